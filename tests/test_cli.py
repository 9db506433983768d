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
    one_error_line(run('sample', tmp_path / 's.png', '--prior', 'nope'), 'unknown prior')

def test_sample_missing_and_truncated_checkpoint(tmp_path):
    one_error_line(run('sample', tmp_path / 's.png', '--prior', tmp_path / 'missing.safetensors'), 'does not exist')
    bad = tmp_path / 'cut.safetensors'
    bad.write_bytes((Path(__file__).parents[1] / 'data/priors/ct128.safetensors').read_bytes()[:1000])
    one_error_line(run('sample', tmp_path / 's.png', '--prior', bad), 'truncated')
    assert not (tmp_path / 's.png').exists()

def test_sample_refuses_to_overwrite(tmp_path):
    out = tmp_path / 's.png'; out.write_bytes(b'mine')
    one_error_line(run('sample', out, '--n', '1'), 'already exists')
    assert out.read_bytes() == b'mine'

def test_sample_writes_whole_images(tmp_path):
    out = tmp_path / 's.png'
    r = run('sample', out, '--prior', 'ct128', '--n', '2', '--seed', '0', '--steps', '4')
    assert r.returncode == 0, r.stderr[-2000:]
    import matplotlib.image as mpimg
    img = mpimg.imread(out)
    assert img.shape[0] == 128 and img.shape[1] == 2 * 128 + 2

def test_train_bad_data(tmp_path):
    (tmp_path / 'empty').mkdir()
    one_error_line(run('train', tmp_path / 'r', '--data', tmp_path / 'empty', '--steps', '1'), 'no images')
    d = tmp_path / 'mixed'; d.mkdir()
    np.save(d / 'a.npy', np.zeros((2, 32, 32), 'float32')); np.save(d / 'b.npy', np.zeros((2, 40, 40), 'float32'))
    one_error_line(run('train', tmp_path / 'r', '--data', d, '--steps', '1'), 'mixed sizes')
    d = tmp_path / 'nan'; d.mkdir(); np.save(d / 'a.npy', np.full((2, 32, 32), np.nan, 'float32'))
    one_error_line(run('train', tmp_path / 'r', '--data', d, '--image_size', '32', '--patch_size', '8', '--steps', '1'), 'NaN')
    one_error_line(run('train', tmp_path / 'r', '--patch_size', '26', '--steps', '1'), 'multiple of 4')
