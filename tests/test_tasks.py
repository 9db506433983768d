"The task table agrees with the committed validation tuning, and the real CT slices stay out of every tuning."
import inspect, json
from pathlib import Path
import pytest, torch
from padis_nb.tasks import SETTINGS, evaluate, real_ct_slices, REAL_CT, reconstruct
from padis_nb.tasks import TASKS, get_task, task_setting, make_operator, solver_settings, solver_schedule, baseline_reconstruction
from padis_nb.solvers import SOLVERS

RESULTS = Path(__file__).parents[1] / 'benchmarks' / 'results'

def test_tv_weights_are_the_validation_choices():
    tuned = json.loads((RESULTS / 'tuning_tv.json').read_text())
    assert tuned['split'] == 'val'
    assert set(tuned['settings']) == set(SETTINGS)
    for name, setting in SETTINGS.items():
        s, w = tuned['settings'][name], setting.tv_weight
        assert s['best'] == w, f"{name}: tv_weight {w} but the validation grid chose {s['best']}"
        assert not s['at_edge'] and s['n_val'] >= 4, f"{name}: grid too small or best at its edge"

def test_tuning_never_saw_test_or_real_images():
    for f in RESULTS.glob('tuning*/*.json'):
        assert json.loads(f.read_text()).get('split', 'val') == 'val', f
    text = ' '.join(p.read_text() for p in RESULTS.rglob('tuning*.json'))
    assert not any(name in text for name in REAL_CT)

def test_real_slices_through_evaluate():
    x, names = real_ct_slices()
    r = evaluate('ct20', 'baseline', xs=x)
    assert len(r['psnr']) == 2 and all(10 < p < 40 for p in r['psnr'])

def test_every_task_is_one_record_and_every_name_one_error_line():
    "One record per task (its name is its key), every name checked by one lookup with one clear line."
    from padis_nb.core import PadisError
    assert all(t.name == k for k, t in TASKS.items()) and all(s.name == k for k, s in SETTINGS.items())
    for bad, lookup in (('mri', get_task), ('mri', task_setting), ('ct7', solver_settings), ('ct7', evaluate)):
        with pytest.raises(PadisError) as e: lookup(bad)
        assert 'unknown' in str(e.value) and '\n' not in str(e.value)

@pytest.mark.parametrize('task', list(TASKS))
def test_solver_defaults_are_a_valid_plain_call(task):
    "Each solver's defaults give a decreasing schedule ending in 0 and keywords that its function accepts."
    for solver, fn in SOLVERS.items():
        if solver not in TASKS[task].solvers: continue   # a solver this task has no tuned settings for
        name, settings = solver_settings(task, solver)
        sigmas, kw = solver_schedule(settings)
        assert name == solver and (sigmas[:-1].diff() < 0).all() and sigmas[-2] > 0 and sigmas[-1] == 0
        inspect.signature(fn).bind(None, None, None, sigmas, gen=None, callback=None, **kw)

@pytest.mark.parametrize('task', ['ct', 'deblur', 'sr', 'denoise'])
def test_baseline_is_an_image_of_the_right_shape(task):
    op = make_operator(task, 32, 1, views=8); x = torch.rand(1, 1, 32, 32)
    assert baseline_reconstruction(task, op.A(x), op).shape == x.shape

@pytest.mark.parametrize('setting', ['ct20_I1e5', 'ct20_I1e4'])
def test_noisy_ddnm_is_the_complete_validation_grids_best(setting):
    "`NOISY`'s DDNM floor (and the CG steps it runs with) is the best point of the complete 20-view validation grid."
    grid = json.loads((RESULTS / 'tuning' / f'{setting}.json').read_text())
    assert grid['complete'] and grid['split'] == 'val' and grid['n_val'] >= 4
    best = max((r for r in grid['rows'] if r['point']['solver'] == 'ddnm'), key=lambda r: r['psnr'])['point']
    _, used = solver_settings(setting, 'ddnm')
    assert {k: used[k] for k in ('cg_iters', 'dc_floor')} == {k: best[k] for k in ('cg_iters', 'dc_floor')}

def test_ve_dps_default_is_the_complete_validation_grids_best():
    """VE-DPS's zeta is the best of the complete 20-view validation grid at the default's number of inner steps, which is
    the grid's largest: inner steps buy quality with network calls, so their number is a budget (300 calls), not a tuned knob."""
    grid = json.loads((RESULTS / 'tuning' / 'ct20.json').read_text())
    assert grid['complete'] and grid['split'] == 'val' and grid['n_val'] >= 4
    rows = [r for r in grid['rows'] if r['point']['solver'] == 've-dps']
    _, used = solver_settings('ct20', 've-dps')
    assert used['n_inner'] == max(r['point']['n_inner'] for r in rows)
    best = max((r for r in rows if r['point']['n_inner'] == used['n_inner']), key=lambda r: r['psnr'])['point']
    assert (used['zeta'], used['step']) == (best['zeta'], best['step'])

@pytest.mark.parametrize('setting,solver', [('ct64_20', 'ddnm'), ('ct64_20', 'langevin'), ('ct64_20', 'pc'),
                                            ('ct64_20', 've-dps'), ('ct64_20_I1e4', 'ddnm')])
def test_64_solver_settings_are_the_complete_validation_grids_best(setting, solver):
    """At 64x64 every solver of the table runs with the best point of its complete validation grid
    (benchmarks/tune_solvers.py): the noiseless settings with ct64_20's, the low-dose ones (DDNM only) with ct64_20_I1e4's."""
    grid = json.loads((RESULTS / 'tuning' / f'{setting}.json').read_text())
    assert grid['complete'] and grid['split'] == 'val' and grid['n_val'] >= 4 and grid['setting'] == setting
    best = max((r for r in grid['rows'] if r['point']['solver'] == solver), key=lambda r: r['psnr'])['point']
    for s in [setting] + (['ct64_8'] if setting == 'ct64_20' else ['ct64_8_I1e4']):   # 8 views reuse 20 views' values
        _, used = solver_settings(s, solver)
        assert {k: used[k] for k in best if k != 'solver'} == {k: v for k, v in best.items() if k != 'solver'}, (s, solver)

def test_ablation_priors_run_with_their_own_validation_choice():
    """Each ablation prior of ct64 (whole-image, no positions) solves every 64x64 setting with the DiffPIR point that won
    its own complete validation grid (benchmarks/tune_ablations.py), at the patch prior's call budget."""
    grid = json.loads((RESULTS / 'tuning' / 'ablations_ct64.json').read_text())
    assert grid['complete'] and grid['split'] == 'val' and grid['n_val'] >= 4
    ablations = set(get_task('ct64').ablations.values())
    assert set(grid['best']) == ablations and ablations == {'ct64_whole', 'ct64_nopos'}
    for prior, per in grid['best'].items():
        assert set(per) == {n for n, s in SETTINGS.items() if s.task == 'ct64'}, prior
        for setting, b in per.items():
            _, used = solver_settings(setting, 'diffpir', prior)
            assert used['steps'] == solver_settings(setting, 'diffpir')[1]['steps']     # the same budget as ct64's
            for k, v in b['point'].items():
                if k != 'solver': assert used[k] == v, (prior, setting, k, used[k], v)

@pytest.mark.parametrize('setting', ['ct20', 'ct8', 'ct20_I1e4', 'deblur', 'sr4', 'ct64_20', 'ct64_8', 'ct64_20_I1e4', 'ct64_8_I1e4'])
def test_few_call_default_is_the_validation_rules_choice(setting):
    """The default solver of a tuned setting is DiffPIR at the few-call grid's choice: the fewest calls whose best
    validation PSNR is within the grid's tolerance (0.3 dB) of the best 100-call result, with that point's settings."""
    grid = json.loads((RESULTS / 'tuning' / f'fewcalls_{setting}.json').read_text())
    assert grid['split'] == 'val' and grid['n_val'] >= 4 and grid['setting'] == setting and grid['tol'] == 0.3
    choice = grid['choice']
    best = {}
    for r in grid['rows']:
        if r['point']['solver'] in ('diffpir', 'ddnm') and r['psnr'] > best.get(r['nfe'], -1.0): best[r['nfe']] = r['psnr']
    assert choice['nfe'] == min(n for n, p in best.items() if p >= best[100] - 0.3)   # the committed choice is the rule's
    solver, used = solver_settings(setting)
    assert solver == choice['point']['solver'] == 'diffpir' and used['steps'] == choice['nfe']
    for k, v in choice['point'].items():
        if k != 'solver': assert used[k] == v, (setting, k, used[k], v)

def test_ring_default_is_not_beaten_on_validation():
    """The stitching ring stays 'noise' (as in training) unless 'zero' wins on validation, with a paired interval clear of
    0, for some solver of CT (the four solvers of the grid) or of the natural-image settings (VE-DDNM, the default
    when the grids were run; DiffPIR has no ring grid yet)."""
    from padis_nb.core import paired_ci
    assert inspect.signature(reconstruct).parameters['ring'].default == 'noise'
    ring_grid = {'ve-dps', 'langevin', 'pc', 'ddnm'}   # the solvers of the committed ring grids (before diffpir)
    for name, solvers in (('ct20', ring_grid), ('deblur', {'ddnm'}), ('sr4', {'ddnm'})):
        grid = json.loads((RESULTS / 'tuning' / f'{name}_ring.json').read_text())
        assert grid['complete'] and grid['split'] == 'val' and grid['n_val'] >= 4 and grid['setting'] == name
        per = {(r['point']['solver'], r['point']['ring']): r['per_image'] for r in grid['rows']}
        assert {s for s, _ in per} == solvers, name
        for s in solvers: assert paired_ci(per[s, 'zero'], per[s, 'noise'])['verdict'] != 'better', (name, s)

# ---------------------------------------------------------------- images of another size than the prior's

def test_reconstruct_stitches_a_patch_prior_at_the_images_own_size():
    "natural64 solves a 128x128 deblurring at 128 (positions remapped); the whole-image prior refuses another size."
    from padis_nb.tasks import setting_operator, simulate
    from padis_nb.priors import load_prior, bundled_priors, prior_at_size, accepts_size, sizes_text
    from padis_nb.core import PadisError
    x = torch.rand(1, 3, 128, 128)
    op = setting_operator('deblur', image_size=128)
    xh, info = reconstruct('deblur', simulate('deblur', x, op), op, steps=2)
    assert xh.shape == (1, 3, 128, 128) and info['nfe'] == 2
    whole = load_prior('ct128_whole')
    assert sizes_text(whole) == '128x128 only' and not accepts_size(whole, 176)
    with pytest.raises(PadisError, match='ct128_whole cannot solve 176x176 images'): prior_at_size(whole, 176, 'ct128_whole')
    for name in bundled_priors():   # every bundled prior takes its own size
        m = load_prior(name)
        assert accepts_size(m, m.config['image_size']) and prior_at_size(m, m.config['image_size']) is m

def test_other_sizes_benchmark_is_on_validation_images():
    "The measurement behind stitching at the image's own size used validation images and records its command."
    for f in sorted((Path(__file__).parents[1] / 'benchmarks' / 'results').glob('other_sizes_*.json')):
        r = json.loads(f.read_text())
        assert r['split'] == 'val' and r['command'].startswith('OMP_NUM_THREADS=1') and 'other_sizes.py' in r['command']
        assert len(r['per_image']['own']['psnr']) == r['n']

def test_readme_says_which_sizes_each_bundled_prior_takes():
    "One README line per bundled prior, listing the first sides it is stitched at, as `priors.accepts_size` has them."
    import re
    from padis_nb.priors import bundled_priors, prior_metadata, accepts_size, stitch_sizes
    readme = (Path(__file__).parents[1] / 'README.md').read_text()
    for name in bundled_priors():
        m = re.search(rf'^- `{name}`: ([0-9, ]+)(?:, \.\.\.| only)', readme, re.M)
        assert m, f'README has no sizes line for {name}'
        sides = [int(v) for v in m.group(1).split(',')]
        cfg = prior_metadata(name)
        first, step = stitch_sizes(cfg)
        assert sides[0] == first and all(accepts_size(cfg, n) for n in sides)
        assert sides == [n for n in range(1, sides[-1] + 1) if accepts_size(cfg, n)]   # none left out
