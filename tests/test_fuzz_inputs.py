"Property tests over the loaders: any file either loads as (N, C, H, W) float32 in [0, 1] or raises PadisError."
import numpy as np, pytest, torch
from hypothesis import given, settings, strategies as st, HealthCheck
from padis_nb.data import load_images, write_test_dicom
from padis_nb.core import PadisError

dtypes = st.sampled_from(['float32', 'float64', 'uint8', 'uint16', 'int16', 'int64', 'bool', 'complex64'])
shapes = st.lists(st.integers(0, 6), min_size=0, max_size=5)
specials = st.sampled_from([None, 'nan', 'inf', 'const'])
COUNT = {'tried': 0}

def _check(path):
    COUNT['tried'] += 1
    try: x = load_images(path)
    except PadisError as e:
        assert str(e) and '\n' not in str(e); return
    assert x.dtype == torch.float32 and x.ndim == 4 and x.shape[1] in (1, 3)
    assert 0 <= float(x.min()) and float(x.max()) <= 1 and torch.isfinite(x).all()

@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shapes, dtypes, specials, st.sampled_from(['.npy', '.npz']))
def test_arrays_load_or_fail_clearly(tmp_path, shape, dtype, special, ext):
    a = np.random.default_rng(0).random(shape).astype(dtype) if shape else np.array(0.5, dtype)
    if special and a.size and np.issubdtype(a.dtype, np.floating):
        a = a.copy(); a.flat[0] = {'nan': np.nan, 'inf': np.inf, 'const': 0.0}[special]
        if special == 'const': a[...] = 3.0
    p = tmp_path / f'a{ext}'
    (np.save if ext == '.npy' else (lambda f, v: np.savez(f, images=v)))(p, a)
    _check(p)

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from(['.png', '.jpg', '.npy', '.npz', '.mat', '.dcm', '.tif', '.xyz']))
def test_garbage_files_fail_clearly(tmp_path, blob, ext):
    p = tmp_path / f'g{ext}'; p.write_bytes(blob)
    with pytest.raises(PadisError): load_images(p)
    COUNT['tried'] += 1

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
