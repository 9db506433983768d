"`padis bench table --quick` runs end to end (what CI checks) and writes the documented JSON shape."
import json, subprocess, sys
from pathlib import Path

def test_bench_table_quick_json_shape(tmp_path):
    out = tmp_path / 'table.json'
    r = subprocess.run([str(Path(sys.executable).parent / 'padis'), 'bench', 'table', '--quick', '--out', str(out)],
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    assert set(res['tasks']) == {'ct20', 'ct8', 'deblur', 'sr4'}
    for row in ('padis', 'baseline', 'tv', 'whole', 'no_pos', 'averaging', 'tiling', 'langevin', 'pc', 'ddnm', 've_dps'):
        assert {'psnr', 'ssim'} <= set(res['tasks']['ct20'][row])
    for n, d in res['data_efficiency'].items(): assert {'padis', 'whole'} <= set(d) and 'psnr' in d['padis']
    assert all({'psnr', 'seconds'} <= set(v) for v in res['nfe_curve'].values())
    assert res['command'].startswith('padis bench table') and 'torch' in res['versions'] and res['machine']['cpus']
    assert set(res['memory']['sizes']) == {'128', '256'} and res['memory']['sizes']['128']['ratio'] > 1
    assert (tmp_path / 'table.md').read_text().startswith('| method |') and (tmp_path / 'table.png').stat().st_size > 1000
