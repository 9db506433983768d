"""`benchmarks/table.py --quick` runs end to end (what CI checks) and writes the documented JSON shape; the table's
orchestration is maintainer work in the repository's benchmarks/table.py, never loaded by the package."""
import json, runpy, subprocess, sys
from pathlib import Path
import pytest
from padis_nb.data import REAL_CT_SPLITS
from padis_nb.tasks import get_setting, get_task

REPO = Path(__file__).parents[1]
TABLE = runpy.run_path(str(REPO / 'benchmarks' / 'table.py'))

def test_table_rows_per_setting():
    "The paper's four problems carry its samplers and stitching ablations; low dose carries the tuned DDNM reference only."
    rows = TABLE['table_rows']
    for t in ('ct64_20', 'ct64_8', 'deblur', 'sr4'):
        assert {'langevin', 'pc', 've_dps', 'ddnm', 'tiling', 'averaging', 'ring_zero'} <= set(rows(t)), t
    for t in ('ct64_20_I1e4', 'ct64_8_I1e4'):
        assert set(rows(t)) & {'langevin', 'pc', 've_dps', 'tiling'} == set() and {'padis', 'tv', 'ddnm'} <= set(rows(t)), t

@pytest.mark.slow   # every section of the table at the quick budget: several minutes on 2 cores (16+ under load)
def test_bench_table_quick_json_shape(tmp_path):
    out = tmp_path / 'table.json'
    r = subprocess.run([sys.executable, str(REPO / 'benchmarks' / 'table.py'), '--quick', '--quiet', '--out', str(out)],
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    TASKS, OOD_ROWS = TABLE['TABLE_SETTINGS'], TABLE['OOD_ROWS']
    assert set(res['tasks']) == set(TASKS) and {'ct64_20', 'ct64_8_I1e4', 'deblur', 'sr4'} <= set(TASKS)
    ref = TABLE['REF']
    ablations = set(get_task(get_setting(ref).task).ablations)   # whole, no_pos: once their priors are bundled
    for row in ('padis', 'baseline', 'tv', 'averaging', 'tiling', 'langevin', 'pc', 'ddnm', 've_dps', 'ring_zero', *ablations):
        r = res['tasks'][ref][row]
        assert {'psnr', 'ssim', 'psnr_obj', 'ssim_obj'} <= set(r) and len(r['per_image']['psnr']) == r['n'] == 1
    assert any(k.startswith('patch_') for k in res['tasks'][ref])   # the other inference patch sizes
    assert 'ring_zero' not in res['tasks']['ct64_20_I1e4'] and 'whole' not in res['tasks']['deblur']
    assert 'langevin' not in res['tasks']['ct64_20_I1e4'] and 'ddnm' in res['tasks']['ct64_20_I1e4']
    test_slices = [files[0] for files in REAL_CT_SPLITS['test'].values()]
    for v in TABLE['REAL_SETTINGS']:                # the real CT test slices, named; the out-of-distribution rows only
        real = res['real_ct'][v]
        assert real['images'] == test_slices and set(real) - {'images'} == set(OOD_ROWS) & (set(res['tasks'][v]))
        assert len(real['padis']['per_image']['psnr']) == len(test_slices)
    assert res['data_efficiency'] == TABLE['data_efficiency_result']()   # the committed study, restated
    assert all({'psnr', 'seconds'} <= set(v) for v in res['nfe_curve'].values())
    assert 'benchmarks/table.py' in res['command'] and 'torch' in res['versions'] and res['machine']['cpus']
    assert set(res['memory']['sizes']) == {'128', '256'} and res['memory']['sizes']['128']['ratio'] > 1
    m = res['memory']['sizes']['128']   # equal pixels per step: many more patches, so much less saving than at equal images
    assert m['equal_pixels_batch'] > m['batch'] and m['ratio_equal_pixels'] < m['ratio']
    assert {'ve-dps_paper', 'langevin_1000', 'default'} <= set(res['solvers']['solvers'])
    assert res['solvers']['solvers']['ve-dps_paper']['settings']['step'] == 'dps'
    md = (tmp_path / 'table.md').read_text()
    assert md.startswith('| method |') and 'inside the object' in md and test_slices[0] in md and (tmp_path / 'table.png').stat().st_size > 1000
    assert '4x finer simulation grid' in md and 'distinct photos' in md   # each column's basis
    parts = {p.stem: json.loads(p.read_text()) for p in (tmp_path / 'table_parts').glob('*.json')}
    assert set(parts) == set(TABLE['table_sections'](quick=True)) and parts[f'main_{ref}']['args'][0] == 'main_task'

def test_committed_table_still_renders():
    "The committed benchmarks/results/table.json renders with table_markdown: one column per setting, and each cell is that row's mean."
    res = json.loads((REPO / 'benchmarks/results/table.json').read_text())
    md = TABLE['table_markdown'](res)
    assert md.startswith('| method | ' + ' | '.join(res['tasks']) + ' |')
    p = next(iter(res['tasks'].values()))['padis']
    assert f"| padis | {p['psnr']:.2f} / {p['ssim']:.3f} |" in md and len(p['per_image']['psnr']) >= 10

def test_resume_skips_finished_parts_and_redoes_changed_ones(tmp_path):
    "A part with the same arguments is reused; one whose arguments differ, or a damaged one, is recomputed."
    fn, kw = TABLE['table_sections'](quick=True)['nfe_curve']
    TABLE['run_section']('nfe_curve', lambda **k: {'fake': 1}, kw, tmp_path, progress=False)   # records the lambda's name
    assert not TABLE['_is_done'](tmp_path, 'nfe_curve', fn, kw)
    (tmp_path / 'nfe_curve.json').write_text(json.dumps(dict(args=TABLE['_record'](fn, kw), seconds=1, result={})))
    assert TABLE['_is_done'](tmp_path, 'nfe_curve', fn, kw) and not TABLE['_is_done'](tmp_path, 'nfe_curve', fn, {**kw, 'quick': False})
    (tmp_path / 'nfe_curve.json').write_text('{broken')
    assert not TABLE['_is_done'](tmp_path, 'nfe_curve', fn, kw)

@pytest.mark.slow   # a whole quick section (12 rows) and one row again: 3 minutes under load
def test_changed_default_recomputes_only_the_rows_it_touches(tmp_path, monkeypatch):
    """Rows are cached with everything they depend on: a changed VE-DPS default makes the section's part stale and
    recomputes the ve_dps row, while the other rows are read back (a sentinel value proves it)."""
    from padis_nb import tasks
    fn, kw = TABLE['table_sections'](quick=True)['main_ct64_8']
    TABLE['run_section']('main_ct64_8', fn, kw, tmp_path, progress=False)
    cache = tmp_path / 'rows' / 'main_ct64_8'
    assert TABLE['_is_done'](tmp_path, 'main_ct64_8', fn, kw) and (cache / 've_dps.json').exists()
    for row in ('tv', 've_dps'):
        f = cache / f'{row}.json'; c = json.loads(f.read_text()); c['result']['psnr'] = -1.0; f.write_text(json.dumps(c))
    new = {**tasks.CT64_SOLVERS['ve-dps'], 'zeta': 1.0}
    monkeypatch.setitem(tasks.CT64_SOLVERS, 've-dps', new)
    assert not TABLE['_is_done'](tmp_path, 'main_ct64_8', fn, kw)
    res = fn(**kw, progress=False, cache=str(cache))
    assert res['tv']['psnr'] == -1.0 and res['ve_dps']['psnr'] > 0
    assert json.loads((cache / 've_dps.json').read_text())['config']['settings']['zeta'] == 1.0

def test_worker_runs_one_section_in_its_own_process(tmp_path):
    "`benchmarks/table.py --section NAME` (what each parallel worker runs) writes that section's part and nothing else."
    targs = dict(quick=True, n_images=1)
    assert TABLE['_worker']('no_such_section', tmp_path, 1, targs).startswith('no_such_section: ')
    r = subprocess.run([sys.executable, str(REPO / 'benchmarks/table.py'), '--section', 'main_sr4', '--parts', str(tmp_path),
                        '--threads', '1', *TABLE['_argv'](targs)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert [p.name for p in tmp_path.glob('*.json')] == ['main_sr4.json']
    assert json.loads((tmp_path / 'main_sr4.json').read_text())['result']['padis']['n'] == 1
