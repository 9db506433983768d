"Property tests over the loaders: any file either loads as (N, C, H, W) float32 in [0, 1] or raises PadisError."
import numpy as np, pytest, torch
from hypothesis import given, example, settings, strategies as st
from padis_nb.data import load_images, write_test_dicom
from padis_nb.core import PadisError

dtypes = st.sampled_from(['float32', 'float64', 'uint8', 'uint16', 'int16', 'int64', 'bool', 'complex64'])
shapes = st.lists(st.integers(0, 6), min_size=0, max_size=5)
specials = st.sampled_from([None, 'nan', 'inf', 'const'])
N_ARRAYS, N_GARBAGE = 120, 60

def _check(path):
    "Load `path`: True if it loads as (N, C, H, W) float32 in [0, 1], False if it raises a one-line PadisError."
    try: x = load_images(path)
    except PadisError as e:
        assert str(e) and '\n' not in str(e)
        return False
    assert x.dtype == torch.float32 and x.ndim == 4 and x.shape[1] in (1, 3)
    assert 0 <= float(x.min()) and float(x.max()) <= 1 and torch.isfinite(x).all()
    return True

def test_arrays_load_or_fail_clearly(tmp_path):
    "Every fuzzed array is tried (the count is asserted), and both outcomes occur: some load, some are refused."
    outcomes = []

    @settings(max_examples=N_ARRAYS, deadline=None, database=None)
    @example(shape=[2, 16, 16], dtype='float32', special=None, ext='.npy')      # a good stack, which must load
    @given(shape=shapes, dtype=dtypes, special=specials, ext=st.sampled_from(['.npy', '.npz']))
    def one(shape, dtype, special, ext):
        a = np.random.default_rng(0).random(shape).astype(dtype) if shape else np.array(0.5, dtype)
        if special and a.size and np.issubdtype(a.dtype, np.floating):
            a = a.copy()
            a.flat[0] = {'nan': np.nan, 'inf': np.inf, 'const': 0.0}[special]
            if special == 'const': a[...] = 3.0
        p = tmp_path / f'a{ext}'
        (np.save if ext == '.npy' else (lambda f, v: np.savez(f, images=v)))(p, a)
        outcomes.append(_check(p))

    one()
    assert outcomes[0], "the good (2, 16, 16) float32 stack did not load"
    assert len(outcomes) >= N_ARRAYS, f"only {len(outcomes)} of {N_ARRAYS} fuzzed arrays were tried"
    assert 0 < sum(outcomes) < len(outcomes), f"{sum(outcomes)} of {len(outcomes)} loaded: expected both outcomes"

def test_garbage_files_fail_clearly(tmp_path):
    "Every fuzzed file of random bytes is tried (the count is asserted) and each one is refused with a PadisError."
    tried = []

    @settings(max_examples=N_GARBAGE, deadline=None, database=None)
    @given(blob=st.binary(max_size=300), ext=st.sampled_from(['.png', '.jpg', '.npy', '.npz', '.mat', '.dcm', '.tif', '.xyz']))
    def one(blob, ext):
        p = tmp_path / f'g{ext}'
        p.write_bytes(blob)
        with pytest.raises(PadisError): load_images(p)
        tried.append(ext)

    one()
    assert len(tried) >= N_GARBAGE, f"only {len(tried)} of {N_GARBAGE} garbage files were tried"
    np.save(tmp_path / 'good.npy', np.random.default_rng(0).random((2, 16, 16)).astype('float32'))
    assert load_images(tmp_path / 'good.npy').shape == (2, 1, 16, 16)          # and a good file beside them loads

def test_dicom_without_pixel_data(tmp_path):
    import pydicom
    p = write_test_dicom(tmp_path / 'a.dcm', np.zeros((8, 8)))
    ds = pydicom.dcmread(p); del ds.PixelData; ds.save_as(p)
    with pytest.raises(PadisError, match='without pixel data'): load_images(p)

def test_empty_and_missing(tmp_path):
    (tmp_path / 'e.npy').write_bytes(b'')
    with pytest.raises(PadisError): load_images(tmp_path / 'e.npy')
    with pytest.raises(PadisError, match='does not exist'): load_images(tmp_path / 'nope.png')

def test_regression_two_channel_4d_stack(tmp_path):
    "Found by the fuzz test in CI: a (1, 2, 1, 2) array used to load as 2-channel images."
    np.save(tmp_path / 'a.npy', np.random.rand(1, 2, 1, 2).astype('float32'))
    with pytest.raises(PadisError, match='channels'): load_images(tmp_path / 'a.npy')
