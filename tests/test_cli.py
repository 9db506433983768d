"The `padis` command line: one clear error line and a non-zero exit on bad input, nothing overwritten."
import os, subprocess, sys, json, re
from pathlib import Path
import numpy as np
import torch
import pytest

PADIS = str(Path(sys.executable).parent / 'padis')

def run(*args, cwd=None):
    return subprocess.run([PADIS, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)

def one_error_line(r, *words):
    assert r.returncode == 2, (r.returncode, r.stderr[-1000:])
    lines = [l for l in r.stderr.strip().splitlines() if l.strip() and 'it/s' not in l and '%|' not in l]
    assert len(lines) == 1 and 'error' in lines[0] and 'Traceback' not in r.stderr, r.stderr
    for w in words: assert w in lines[0], lines[0]

def test_unknown_command():
    one_error_line(run('frobnicate'), 'unknown command')

def test_sample_unknown_prior(tmp_path):
    one_error_line(run('sample', '--out', tmp_path / 's.png', '--prior', 'nope'), 'unknown prior')

def test_sample_missing_and_truncated_checkpoint(tmp_path):
    one_error_line(run('sample', '--out', tmp_path / 's.png', '--prior', tmp_path / 'missing.safetensors'), 'does not exist')
    bad = tmp_path / 'cut.safetensors'
    bad.write_bytes((Path(__file__).parents[1] / 'data/priors/ct128.safetensors').read_bytes()[:1000])
    one_error_line(run('sample', '--out', tmp_path / 's.png', '--prior', bad), 'truncated')
    assert not (tmp_path / 's.png').exists()

def test_sample_refuses_to_overwrite(tmp_path):
    out = tmp_path / 's.png'; out.write_bytes(b'mine')
    one_error_line(run('sample', '--out', out, '--n', '1'), 'already exists')
    assert out.read_bytes() == b'mine'

def test_sample_writes_whole_images(tmp_path):
    out = tmp_path / 's.png'
    r = run('sample', '--out', out, '--prior', 'ct128', '--n', '2', '--seed', '0', '--steps', '4')
    assert r.returncode == 0, r.stderr[-2000:]
    import matplotlib.image as mpimg
    x = np.load(out.with_suffix('.npy'))
    assert x.shape == (2, 1, 128, 128) and 0 <= x.min() and x.max() <= 1 and x.std() > 0.01
    assert min(mpimg.imread(out).shape[:2]) > 128          # the labelled grid around them

def test_train_bad_data(tmp_path):
    (tmp_path / 'empty').mkdir()
    one_error_line(run('train', '--out', tmp_path / 'r', '--data', tmp_path / 'empty', '--steps', '1'), 'no images')
    d = tmp_path / 'mixed'; d.mkdir()
    np.save(d / 'a.npy', np.zeros((2, 32, 32), 'float32')); np.save(d / 'b.npy', np.zeros((2, 40, 40), 'float32'))
    one_error_line(run('train', '--out', tmp_path / 'r', '--data', d, '--steps', '1'), 'mixed sizes')
    d = tmp_path / 'nan'; d.mkdir(); np.save(d / 'a.npy', np.full((2, 32, 32), np.nan, 'float32'))
    one_error_line(run('train', '--out', tmp_path / 'r', '--data', d, '--image_size', '32', '--patch_size', '8', '--steps', '1'), 'NaN')
    one_error_line(run('train', '--out', tmp_path / 'r', '--patch_size', '26', '--steps', '1'), 'multiple of 4')

def test_train_device_is_checked_before_anything_is_written(tmp_path):
    "`--device`: a name torch cannot parse, or CUDA where torch sees none, is one error line and leaves no run folder."
    one_error_line(run('train', '--out', tmp_path / 'r', '--device', 'gpu0', '--steps', '1'), 'not a device name')
    one_error_line(run('train', '--out', tmp_path / 'r', '--device', 'mps', '--steps', '1'), 'cpu or cuda')
    if not torch.cuda.is_available():
        one_error_line(run('train', '--out', tmp_path / 'r', '--device', 'cuda', '--steps', '1'), 'sees no CUDA device')
    assert not (tmp_path / 'r').exists()

DATA = Path(__file__).parents[1] / 'data'

@pytest.mark.parametrize('task,img', [('ct', 'ct_test.png'), ('ct-fan', 'ct_test.png'), ('ct-limited', 'ct_test.png'),
                                      ('deblur', 'natural_test.png'), ('sr', 'natural_test.png'), ('denoise', 'natural_test.png')])
def test_reconstruct_every_task_writes_figure_and_json(tmp_path, task, img):
    out, js = tmp_path / 'r.png', tmp_path / 'r.json'
    r = run('reconstruct', DATA / img, '--task', task, '--steps', '3', '--tv_iters', '20', '--out', out, '--json', js)
    assert r.returncode == 0, r.stderr[-2000:]
    info = json.loads(js.read_text())
    for k in ('psnr', 'ssim', 'seconds', 'nfe', 'task', 'solver', 'prior', 'seed', 'baseline', 'tv'): assert k in info
    assert {'psnr', 'ssim', 'lam'} <= set(info['tv'])
    assert info['task'] == task and info['nfe'] > 0 and set(info['baseline']) == {'psnr', 'ssim', 'psnr_obj', 'ssim_obj'}
    assert out.stat().st_size > 1000

def test_reconstruct_bad_inputs_leave_nothing_behind(tmp_path):
    out = tmp_path / 'r.png'
    img = DATA / 'ct_test.png'
    one_error_line(run('reconstruct', img, '--views', '0', '--out', out), 'views')
    one_error_line(run('reconstruct', img, '--noise', '-1', '--out', out), 'noise')
    one_error_line(run('reconstruct', img, '--task', 'mri', '--out', out), 'unknown task')
    one_error_line(run('reconstruct', img, '--solver', 'magic', '--steps', '2', '--out', out), 'unknown solver')
    np.save(tmp_path / 'wide.npy', np.random.rand(64, 80).astype('float32'))
    one_error_line(run('reconstruct', tmp_path / 'wide.npy', '--task', 'ct', '--out', out), 'only square images')
    (tmp_path / 'junk.png').write_bytes(b'not a png')
    one_error_line(run('reconstruct', tmp_path / 'junk.png', '--out', out), 'cannot read')
    np.save(tmp_path / 'y.npy', np.zeros((1, 1, 19, 192), 'float32'))
    one_error_line(run('reconstruct', '--measurement', tmp_path / 'y.npy', '--out', out), 'expects')
    assert not out.exists() and not list(tmp_path.glob('.*tmp'))

from hypothesis import given, settings, strategies as st, HealthCheck

@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.one_of(st.binary(max_size=200), st.sampled_from([b'', b'\x89PNG\r\n\x1a\n', b'\x93NUMPY'])),
       ext=st.sampled_from(['.png', '.npy', '.npz', '.mat', '.dcm', '.txt']),
       task=st.sampled_from(['ct', 'deblur', 'sr']))
def test_reconstruct_fuzzed_inputs_one_line_no_output(tmp_path, blob, ext, task):
    f = tmp_path / f'in{ext}'; f.write_bytes(blob)
    out = tmp_path / 'o.png'
    one_error_line(run('reconstruct', f, '--task', task, '--steps', '2', '--out', out))
    assert not out.exists()

@pytest.mark.parametrize('arr', [np.zeros((3, 3, 3, 3, 3), 'float32'), np.full((128, 128), np.inf, 'float32'),
                                 np.zeros((0, 128, 128), 'float32'), np.random.rand(7, 7).astype('float32')])
def test_reconstruct_bad_arrays(tmp_path, arr):
    f = tmp_path / 'a.npy'; np.save(f, arr)
    one_error_line(run('reconstruct', f, '--steps', '2', '--out', tmp_path / 'o.png'))
    assert not (tmp_path / 'o.png').exists()

def test_reconstruct_max_memory(tmp_path):
    "--max_memory_mb picks a patch cap that runs, and names the problem when the budget cannot fit."
    out, img = tmp_path / 'r.png', DATA / 'ct_test.png'
    one_error_line(run('reconstruct', img, '--steps', '2', '--max_memory_mb', '2', '--out', out), 'cannot fit one 24x24 patch')
    one_error_line(run('reconstruct', img, '--steps', '2', '--solver', 've-dps', '--max_memory_mb', '60', '--out', out),
                   'backpropagates')
    one_error_line(run('reconstruct', img, '--steps', '2', '--max_memory_mb', '-3', '--out', out), 'positive')
    assert not out.exists()
    r = run('reconstruct', img, '--steps', '2', '--max_memory', '60', '--tv_iters', '0', '--out', out,   # the old spelling
            '--json', tmp_path / 'r.json')
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads((tmp_path / 'r.json').read_text())['psnr'] > 20

# ---------------------------------------------------------------- the command-line experience

def run_env(*args, cwd=None, **env):
    import os
    return subprocess.run([PADIS, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600, env={**os.environ, **env})

def has_bar(stderr): return '%|' in stderr or 'it/s' in stderr or 's/it' in stderr

def test_top_level_help_lists_every_command():
    from padis_nb.cli import COMMANDS
    for flag in ('--help', '-h'):
        r = run(flag)
        assert r.returncode == 0 and r.stderr == '', (r.returncode, r.stderr)
        for name in ('train', 'sample', 'reconstruct', 'demo', 'bench'):
            first = COMMANDS[name].__doc__.strip().splitlines()[0]
            assert re.search(rf'^\s+{name}\s+{re.escape(first)}$', r.stdout, re.M), (name, r.stdout)
        assert '--version' in r.stdout

def test_no_command_prints_help_and_exits_2():
    r = run()
    assert r.returncode == 2 and r.stdout == ''
    for name in ('train', 'sample', 'reconstruct', 'demo', 'bench'): assert re.search(rf'^\s+{name}\s', r.stderr, re.M), r.stderr

def test_version():
    import padis_nb
    r = run('--version')
    assert r.returncode == 0 and r.stdout == f'padis_nb {padis_nb.__version__}\n', r.stdout

def test_every_command_with_progress_has_quiet():
    for cmd in ('train', 'sample', 'reconstruct', 'demo', 'bench'):
        r = run(cmd, '-h')
        assert r.returncode == 0 and '--quiet' in r.stdout, (cmd, r.stdout)

QUIET_CASES = {'sample': ['sample', '--n', '1', '--steps', '2', '--out', 's.png'],
               'reconstruct': ['reconstruct', DATA / 'natural_test.png', '--task', 'deblur', '--steps', '2', '--tv_iters', '0',
                               '--out', 'r.png']}

@pytest.mark.parametrize('case', list(QUIET_CASES))
def test_quiet_silences_progress(tmp_path, case):
    "A progress bar without --quiet; none with --quiet; none with TQDM_DISABLE=1 (the installed tqdm honours it)."
    args = QUIET_CASES[case]
    (tmp_path / 'loud').mkdir(); (tmp_path / 'quiet').mkdir()
    r = run(*args, cwd=tmp_path / 'loud')
    assert r.returncode == 0 and has_bar(r.stderr), r.stderr[-2000:]
    r = run(*args, '--quiet', cwd=tmp_path / 'quiet')
    assert r.returncode == 0 and not has_bar(r.stderr) and 'wrote' in r.stdout, r.stderr[-2000:]
    (tmp_path / 'env').mkdir()
    r = run_env(*args, cwd=tmp_path / 'env', TQDM_DISABLE='1')
    assert r.returncode == 0 and not has_bar(r.stderr), r.stderr[-2000:]

def test_bench_quiet_reaches_the_benchmark(tmp_path, monkeypatch):
    "`padis bench X --quiet` (or TQDM_DISABLE=1) runs the benchmark with progress=False (in-process: benchmarks take minutes)."
    import padis_nb.bench as bench, padis_nb.cli as cli
    seen = []
    monkeypatch.setattr(bench, 'bench_stitching', lambda quick=False, progress=True: seen.append(progress) or {})
    monkeypatch.delenv('TQDM_DISABLE', raising=False)
    for i, extra in enumerate([[], ['--quiet']]):
        monkeypatch.setattr(sys, 'argv', ['padis bench', 'stitching', '--quick', '--out', str(tmp_path / f'{i}.json'), *extra])
        cli.padis_bench()
    monkeypatch.setenv('TQDM_DISABLE', '1')
    monkeypatch.setattr(sys, 'argv', ['padis bench', 'stitching', '--quick', '--out', str(tmp_path / 'e.json')])
    cli.padis_bench()
    assert seen == [True, False, False]

TINY_TRAIN = ['--image_size', '32', '--patch_size', '8', '--n_train', '4', '--ckpt_every', '1', '--pixels_per_step', '1024', '--threads', '1']

def test_train_with_max_minutes_shows_time_progress(tmp_path):
    "With --max_minutes the bar counts the budget's seconds (60 for 1 minute) and shows the step count in its postfix."
    r = run('train', '--out', tmp_path / 'run', *TINY_TRAIN, '--steps', '3', '--max_minutes', '1')
    assert r.returncode == 0, r.stderr[-2000:]
    assert re.search(r'\d+/60 \[', r.stderr) and 'step 3/3' in r.stderr, r.stderr[-2000:]
    r = run('train', '--out', tmp_path / 'run2', *TINY_TRAIN, '--steps', '3')
    assert r.returncode == 0 and '3/3 [' in r.stderr and 'step 3/3' not in r.stderr, r.stderr[-2000:]

def test_train_run_folder_is_a_prior_for_sample(tmp_path):
    run_dir = tmp_path / 'run'
    r = run('train', '--out', run_dir, *TINY_TRAIN, '--steps', '2', '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    r = run('sample', '--prior', run_dir, '--n', '1', '--steps', '2', '--out', tmp_path / 's.png', '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    import matplotlib.image as mpimg
    assert np.load(tmp_path / 's.npy').shape == (1, 1, 32, 32) and min(mpimg.imread(tmp_path / 's.png').shape[:2]) > 32
    (tmp_path / 'notarun').mkdir()
    one_error_line(run('sample', '--prior', tmp_path / 'notarun', '--out', tmp_path / 't.png'), 'not a training run')

@pytest.mark.parametrize('args,word', [(['--patch_size', '26'], 'multiple of 4'), (['--lr', '0'], 'lr'),
                                       (['--max_minutes', '-1'], 'max_minutes'), (['--data', 'no/such/folder'], 'does not exist'),
                                       (['--init', 'nope'], 'unknown prior'), (['--channels', '2'], 'channels')])
def test_failed_train_check_leaves_no_run_folder(tmp_path, args, word):
    out = tmp_path / 'run'
    one_error_line(run('train', '--out', out, '--steps', '1', '--quiet', *args), word)
    assert not out.exists(), list(out.iterdir())

def _warnings(r): return [l for l in r.stderr.splitlines() if 'warning' in l]

def test_reconstruct_warns_when_input_is_not_the_priors_domain(tmp_path):
    "Colour into the grey CT prior, grey into the colour prior: one warning line, still converted and solved."
    rng = np.random.default_rng(0)
    np.save(tmp_path / 'colour.npy', rng.random((128, 128, 3)).astype('float32'))
    np.save(tmp_path / 'grey.npy', rng.random((64, 64)).astype('float32'))
    common = ['--steps', '1', '--tv_iters', '0', '--quiet', '--overwrite', '--out', tmp_path / 'o.png']
    r = run('reconstruct', tmp_path / 'colour.npy', '--task', 'ct', *common)
    assert r.returncode == 0 and len(_warnings(r)) == 1 and 'colour' in _warnings(r)[0] and 'ct128' in _warnings(r)[0], r.stderr
    r = run('reconstruct', tmp_path / 'grey.npy', '--task', 'denoise', *common)
    assert r.returncode == 0 and len(_warnings(r)) == 1 and 'grey' in _warnings(r)[0] and 'natural64' in _warnings(r)[0], r.stderr
    for img, task in (('ct_test.png', 'ct'), ('natural_test.png', 'deblur')):   # the right domain (ct_test.png is a grey RGBA PNG)
        r = run('reconstruct', DATA / img, '--task', task, *common)
        assert r.returncode == 0 and _warnings(r) == [], r.stderr

def test_hw4_array_is_ambiguous(tmp_path):
    "H x W x 4 could be RGBA or four slices: an error asking for the layout; H x W x 3 is one RGB image; (4, H, W) four slices."
    from padis_nb.data import load_images
    from padis_nb.core import PadisError
    a = np.random.default_rng(0).random((128, 128, 4)).astype('float32')
    np.save(tmp_path / 'a.npy', a)
    one_error_line(run('reconstruct', tmp_path / 'a.npy', '--steps', '1', '--out', tmp_path / 'o.png'), 'RGBA')
    with pytest.raises(PadisError, match='4 slices'): load_images(tmp_path / 'a.npy')
    np.save(tmp_path / 'b.npy', a[None])
    with pytest.raises(PadisError, match='RGBA'): load_images(tmp_path / 'b.npy')
    np.save(tmp_path / 'c.npy', a[..., :3]); assert load_images(tmp_path / 'c.npy').shape == (1, 3, 128, 128)
    np.save(tmp_path / 'd.npy', a.transpose(2, 0, 1)); assert load_images(tmp_path / 'd.npy').shape == (4, 1, 128, 128)

@pytest.mark.parametrize('task,name', [('ct', 'FBP'), ('ct-fan', 'FBP'), ('ct-limited', 'FBP'), ('deblur', 'blurred input'),
                                       ('sr', 'nearest upsampling'), ('denoise', 'noisy input')])
def test_figure_panels_like_demo(monkeypatch, task, name):
    "One helper draws `padis demo` and `padis reconstruct`: truth, the named pseudo-inverse, TV, PaDIS, PSNR in each title."
    import torch, padis_nb.cli as cli
    from padis_nb.tasks import SETTINGS, task_setting
    got = {}
    monkeypatch.setattr(cli, 'save_figure', lambda path, panels, titles, overwrite=False: got.update(panels=panels, titles=titles))
    x = torch.rand(1, 1, 8, 8)
    m = dict(psnr=20.0, ssim=0.5)
    r = dict(x=x, x_hat=x, baseline=x, tv=x, std=None,
             info=dict(task=task, solver='ddnm', nfe=7, samples=1, baseline=dict(m, psnr=11.0), tv=dict(m, psnr=12.0), **dict(m, psnr=13.0)))
    cli.comparison_figure('unused.png', r)
    assert got['titles'] == ['truth', f'{name}\n11.00 dB', 'TV\n12.00 dB', 'PaDIS (ddnm, 7 calls)\n13.00 dB']
    s = task_setting(task, 20)      # the weight tuned for the nearest validation setting, and which one
    assert s.tuned_for == {'deblur': 'deblur', 'sr': 'sr4', 'denoise': 'deblur'}.get(task, 'ct20')
    assert s.tv_weight == SETTINGS[s.tuned_for].tv_weight

def test_demo_draws_the_same_figure(tmp_path, monkeypatch):
    "`padis demo` goes through the same helper (in-process with a fake solve: the real demo takes minutes)."
    import torch, padis_nb.cli as cli
    got = {}
    monkeypatch.setattr(cli, 'save_figure', lambda path, panels, titles, overwrite=False: got.update(titles=titles))
    def fake_reconstruct(x, task, **kw):
        m = dict(psnr=20.0, ssim=0.5)
        return dict(x=x, x_hat=x, baseline=x, std=None, y=None, op=None,
                    info=dict(task=task, solver='ddnm', nfe=3, samples=1, baseline=dict(m, psnr=11.0), **m))
    monkeypatch.setattr(cli, 'reconstruct', fake_reconstruct)
    monkeypatch.setattr(cli, 'add_tv', lambda r, **kw: {**r, 'tv': r['x'], 'info': {**r['info'], 'tv': dict(psnr=12.0, ssim=0.6)}})
    monkeypatch.setattr(sys, 'argv', ['padis demo', '--out', str(tmp_path / 'o'), '--quiet'])
    cli.padis_demo()
    assert got['titles'] == ['truth', 'FBP\n11.00 dB', 'TV\n12.00 dB', 'PaDIS (ddnm, 3 calls)\n20.00 dB']
    assert json.loads((tmp_path / 'o' / 'demo.json').read_text())['tv']['psnr'] == 12.0

def test_reconstruct_figure_has_truth_fbp_tv_padis(tmp_path):
    import matplotlib.image as mpimg
    out, js = tmp_path / 'r.png', tmp_path / 'r.json'
    r = run('reconstruct', DATA / 'ct_test.png', '--steps', '2', '--tv_iters', '20', '--quiet', '--out', out, '--json', js)
    assert r.returncode == 0, r.stderr[-2000:]
    assert mpimg.imread(out).shape[1] == 4 * 300                     # 4 panels of 3 inches at 100 dpi
    tv = json.loads(js.read_text())['tv']
    assert tv['psnr'] > json.loads(js.read_text())['baseline']['psnr'] - 5 and tv['iters'] == 20

def test_bench_dry_run_runs_and_writes_nothing(tmp_path):
    out = tmp_path / 'res' / 'c.json'
    r = run('bench', 'cost', '--quick', '--dry_run', '--out', out)
    assert r.returncode == 0 and 'dry run' in r.stdout, r.stderr[-2000:]
    plan = json.loads(r.stdout[:r.stdout.index('dry run')])
    assert plan['what'] == 'cost' and plan['function'] == 'bench_cost' and not (tmp_path / 'res').exists()

def test_bench_table_is_maintainer_work_in_one_line(tmp_path):
    "The table and solver timings run from a clone (python benchmarks/table.py); the package never loads that script."
    for what in ('table', 'solvers'):
        one_error_line(run('bench', what, '--out', tmp_path / 't.json'), 'python benchmarks/table.py')
    src = (Path(__file__).parents[1] / 'padis_nb').glob('*.py')
    assert not any('runpy' in p.read_text() or "'benchmarks'" in p.read_text() for p in src)

def test_reconstruct_photons_simulates_like_the_table(tmp_path):
    "--photons I0: photon-counting noise on the table's finer grid, and the tuned values of the nearest noisy setting."
    js = tmp_path / 'r.json'
    r = run('reconstruct', DATA / 'ct_test.png', '--views', '8', '--photons', '1e4', '--steps', '2', '--tv_iters', '5',
            '--quiet', '--out', tmp_path / 'r.png', '--json', js)
    assert r.returncode == 0, r.stderr[-2000:]
    info = json.loads(js.read_text())
    assert info['photons'] == 1e4 and info['noise'] == 0.0 and info['tv']['tuned_for'] == 'ct8_I1e4'
    one_error_line(run('reconstruct', DATA / 'ct_test.png', '--photons', '1e4', '--noise', '0.01', '--out', tmp_path / 'o.png'),
                   'not both')
    one_error_line(run('reconstruct', DATA / 'natural_test.png', '--task', 'deblur', '--photons', '1e4',
                       '--out', tmp_path / 'o.png'), 'CT tasks only')

def test_bench_generation_writes_the_five_numbers_and_their_floor(tmp_path):
    "`padis bench generation` (quick): the five numbers for the prior and for held-out generator images, all finite."
    import json, math
    out = tmp_path / 'g.json'
    r = subprocess.run([PADIS, 'bench', 'generation', '--prior', 'ct128_nopos', '--n', '4', '--quick', '--quiet', '--out', str(out)],
                       capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'}, timeout=900)
    assert r.returncode == 0, r.stderr[-1500:]
    g = json.loads(out.read_text()); keys = ('layout_error', 'intensity_w1', 'spectrum_error', 'fd', 'recognised')
    assert g['prior'] == 'ct128_nopos' and g['n'] == 4
    assert all(math.isfinite(g[k]) and math.isfinite(g['reference'][k]) for k in keys)


# ---------------------------------------------------------------- images of another size than the prior's

def photo(tmp_path, side):
    "A side x side RGB PNG: the bundled 64x64 test photo, resized."
    from PIL import Image
    f = tmp_path / f'photo{side}.png'
    Image.open(DATA / 'natural_test.png').convert('RGB').resize((side, side), Image.BICUBIC).save(f)
    return f

def test_reconstruct_128_photo_with_natural64_is_stitched_at_its_size(tmp_path):
    "natural64 takes multiples of 16: a 128x128 photo is solved at 128x128, and the metrics say so."
    out, js = tmp_path / 'r.png', tmp_path / 'r.json'
    r = run('reconstruct', photo(tmp_path, 128), '--task', 'deblur', '--steps', '2', '--tv_iters', '5', '--quiet',
            '--out', out, '--json', js)
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'warning' not in r.stderr, r.stderr   # nothing resized, nothing to warn about
    assert 'natural64 (trained on 64x64) was stitched at 128x128' in r.stdout, r.stdout
    info = json.loads(js.read_text())
    assert (info['size'], info['prior_size'], info['resized_from'], info['prior']) == (128, 64, None, 'natural64')
    assert info['psnr'] > info['baseline']['psnr'] - 10 and out.stat().st_size > 1000

def test_reconstruct_other_size_is_resized_with_one_line(tmp_path):
    "A square side the prior does not take is resized to the nearest one it takes, with one warning line."
    out, js = tmp_path / 'r.png', tmp_path / 'r.json'
    r = run('reconstruct', photo(tmp_path, 100), '--task', 'deblur', '--steps', '2', '--tv_iters', '0', '--quiet',
            '--out', out, '--json', js)
    assert r.returncode == 0, r.stderr[-2000:]
    warns = [l for l in r.stderr.splitlines() if 'warning' in l]
    assert len(warns) == 1 and 'the 100x100 image is resized to 96x96' in warns[0], r.stderr
    info = json.loads(js.read_text())
    assert (info['size'], info['resized_from']) == (96, [100, 100])

def test_reconstruct_sizes_that_cannot_work(tmp_path):
    "Too small for one patch, not square, or a measurement of a side the prior does not take: one error line each."
    out = tmp_path / 'r.png'
    one_error_line(run('reconstruct', photo(tmp_path, 12), '--task', 'deblur', '--out', out), "smaller than natural64's 16x16")
    np.save(tmp_path / 'tall.npy', np.random.rand(3, 128, 96).astype('float32'))
    one_error_line(run('reconstruct', tmp_path / 'tall.npy', '--task', 'deblur', '--out', out), 'the image is 128x96')
    np.save(tmp_path / 'y.npy', np.random.rand(3, 100, 100).astype('float32'))
    one_error_line(run('reconstruct', '--measurement', tmp_path / 'y.npy', '--task', 'deblur', '--out', out),
                   'a measurement cannot be resized')
    assert not out.exists()
