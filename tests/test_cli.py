"The `padis` command line: one clear error line and a non-zero exit on bad input, nothing overwritten."
import subprocess, sys, json
from pathlib import Path
import numpy as np
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
    img = mpimg.imread(out)
    assert img.shape[0] == 128 and img.shape[1] == 2 * 128 + 2

def test_train_bad_data(tmp_path):
    (tmp_path / 'empty').mkdir()
    one_error_line(run('train', '--out', tmp_path / 'r', '--data', tmp_path / 'empty', '--steps', '1'), 'no images')
    d = tmp_path / 'mixed'; d.mkdir()
    np.save(d / 'a.npy', np.zeros((2, 32, 32), 'float32')); np.save(d / 'b.npy', np.zeros((2, 40, 40), 'float32'))
    one_error_line(run('train', '--out', tmp_path / 'r', '--data', d, '--steps', '1'), 'mixed sizes')
    d = tmp_path / 'nan'; d.mkdir(); np.save(d / 'a.npy', np.full((2, 32, 32), np.nan, 'float32'))
    one_error_line(run('train', '--out', tmp_path / 'r', '--data', d, '--image_size', '32', '--patch_size', '8', '--steps', '1'), 'NaN')
    one_error_line(run('train', '--out', tmp_path / 'r', '--patch_size', '26', '--steps', '1'), 'multiple of 4')

DATA = Path(__file__).parents[1] / 'data'

@pytest.mark.parametrize('task,img', [('ct', 'ct_test.png'), ('ct-fan', 'ct_test.png'), ('ct-limited', 'ct_test.png'),
                                      ('deblur', 'natural_test.png'), ('sr', 'natural_test.png'), ('denoise', 'natural_test.png')])
def test_reconstruct_every_task_writes_figure_and_json(tmp_path, task, img):
    out, js = tmp_path / 'r.png', tmp_path / 'r.json'
    r = run('reconstruct', DATA / img, '--task', task, '--steps', '3', '--out', out, '--json', js)
    assert r.returncode == 0, r.stderr[-2000:]
    info = json.loads(js.read_text())
    for k in ('psnr', 'ssim', 'seconds', 'nfe', 'task', 'solver', 'prior', 'seed', 'baseline'): assert k in info
    assert info['task'] == task and info['nfe'] > 0 and set(info['baseline']) == {'psnr', 'ssim'}
    assert out.stat().st_size > 1000

def test_reconstruct_bad_inputs_leave_nothing_behind(tmp_path):
    out = tmp_path / 'r.png'
    img = DATA / 'ct_test.png'
    one_error_line(run('reconstruct', img, '--views', '0', '--out', out), 'views')
    one_error_line(run('reconstruct', img, '--noise', '-1', '--out', out), 'noise')
    one_error_line(run('reconstruct', img, '--task', 'mri', '--out', out), 'unknown task')
    one_error_line(run('reconstruct', img, '--solver', 'magic', '--steps', '2', '--out', out), 'unknown solver')
    one_error_line(run('reconstruct', DATA / 'natural_test.png', '--task', 'ct', '--out', out), '64x64')
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
    "--max_memory picks a patch cap that runs, and names the problem when the budget cannot fit."
    out = tmp_path / 'r.png'
    one_error_line(run('reconstruct', DATA / 'ct_test.png', '--steps', '2', '--max_memory', '2', '--out', out), 'cannot fit one 24x24 patch')
    one_error_line(run('reconstruct', DATA / 'ct_test.png', '--steps', '2', '--solver', 've-dps', '--max_memory', '60', '--out', out),
                   'backpropagates')
    one_error_line(run('reconstruct', DATA / 'ct_test.png', '--steps', '2', '--max_memory', '-3', '--out', out), 'positive')
    assert not out.exists()
    r = run('reconstruct', DATA / 'ct_test.png', '--steps', '2', '--max_memory', '60', '--out', out, '--json', tmp_path / 'r.json')
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads((tmp_path / 'r.json').read_text())['psnr'] > 20
