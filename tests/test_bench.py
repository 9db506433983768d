"`padis bench table --quick` runs end to end (what CI checks) and writes the documented JSON shape."
import json, subprocess, sys
from pathlib import Path

def test_bench_table_quick_json_shape(tmp_path):
    out = tmp_path / 'table.json'
    r = subprocess.run([str(Path(sys.executable).parent / 'padis'), 'bench', 'table', '--quick', '--out', str(out)],
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    from padis_nb.bench import TASKS, OOD_ROWS
    assert set(res['tasks']) == set(TASKS) and {'ct20_I1e4', 'deblur', 'sr4'} <= set(TASKS)
    for row in ('padis', 'baseline', 'tv', 'whole', 'no_pos', 'averaging', 'tiling', 'langevin', 'pc', 'ddnm', 've_dps', 'ring_zero'):
        r = res['tasks']['ct20'][row]
        assert {'psnr', 'ssim', 'psnr_obj', 'ssim_obj'} <= set(r) and len(r['per_image']['psnr']) == r['n'] == 1
    assert 'ring_zero' not in res['tasks']['ct20_I1e4'] and 'whole' not in res['tasks']['deblur']
    for v in ('ct20', 'ct8'):                       # the real CT slices: two images, named, the out-of-distribution rows only
        real = res['real_ct'][v]
        assert real['images'] == ['693_UNCI.dcm', 'explicit_VR-UN.dcm'] and set(real) - {'images'} == set(OOD_ROWS)
        assert len(real['padis']['per_image']['psnr']) == 2
    for n, d in res['data_efficiency'].items(): assert {'padis', 'whole'} <= set(d) and 'psnr' in d['padis']
    assert all({'psnr', 'seconds'} <= set(v) for v in res['nfe_curve'].values())
    assert res['command'].startswith('padis bench table') and 'torch' in res['versions'] and res['machine']['cpus']
    assert set(res['memory']['sizes']) == {'128', '256'} and res['memory']['sizes']['128']['ratio'] > 1
    md = (tmp_path / 'table.md').read_text()
    assert md.startswith('| method |') and 'inside the object' in md and '693_UNCI.dcm' in md and (tmp_path / 'table.png').stat().st_size > 1000
