"""`data.ct_phantom`: recipe v1 draws exactly the slices it drew as one function (values recorded before the split);
recipe v2 is deterministic, is the area average of its finer image and is closer to the real CT slices than v1;
the real slices are split by slice into validation and test only."""
import time
import numpy as np, pytest, torch
import torch.nn.functional as F
from padis_nb.data import (ct_phantom, ct_dataset, ct_dataset_fine, real_ct, REAL_CT_SPLITS, find_real_ct,
                           REAL_CT_EXCLUDED, gradient_distance, TISSUE_HU, hu_to_unit, PHANTOM_KINDS)
from padis_nb.ct import CTOperator, project_fine, measure
from padis_nb.core import PadisError

# (n, seed, kind) -> (sum, position-weighted sum, pixels above 0.8) of the slice the one-piece ct_phantom drew
BEFORE = {(64, 0, None): (738.971941, 351.409464, 4), (64, 1, 'head'): (1288.741787, 622.487352, 161),
          (64, 2, 'thorax'): (576.999484, 303.18138, 4), (64, 3, 'abdomen'): (1158.11673, 603.439243, 6),
          (128, 7, None): (2856.279997, 1389.803368, 81)}

@pytest.mark.parametrize('n,seed,kind', list(BEFORE))
def test_ct_phantom_v1_unchanged_by_the_split(n, seed, kind):
    a = ct_phantom(n, seed, kind, recipe='v1').astype(np.float64)
    w = np.arange(n * n).reshape(n, n) / (n * n)
    total, moment, bright = BEFORE[n, seed, kind]
    assert a.sum() == pytest.approx(total, rel=1e-5) and (a * w).sum() == pytest.approx(moment, rel=1e-5)
    assert int((a > 0.8).sum()) == bright

def test_ct_phantom_bad_arguments():
    with pytest.raises(PadisError, match='abdomen, thorax, head'): ct_phantom(64, 0, 'knee')
    with pytest.raises(PadisError, match='v1, v2'): ct_phantom(64, 0, recipe='v9')
    with pytest.raises(PadisError, match='no finer image'): ct_phantom(64, 0, recipe='v1', fine=True)
    with pytest.raises(PadisError, match='positive integer'): ct_phantom(64, 0, recipe='v2', finer=0)

@pytest.mark.parametrize('kind', PHANTOM_KINDS)
def test_v2_deterministic_and_the_average_of_its_finer_image(kind):
    img, fine = ct_phantom(32, 5, kind, recipe='v2', fine=True)
    assert img.shape == (32, 32) and fine.shape == (128, 128) and img.dtype == fine.dtype == np.float32
    assert np.array_equal(img, ct_phantom(32, 5, kind, recipe='v2'))
    np.testing.assert_allclose(fine.reshape(32, 4, 32, 4).mean((1, 3)), img, atol=1e-6)
    assert 0 <= fine.min() and fine.max() <= 1
    assert ct_phantom(32, 5, kind, recipe='v2', finer=8, fine=True)[1].shape == (256, 256)

def test_v2_tissue_values():
    assert hu_to_unit(TISSUE_HU['water']) == 0.5 and hu_to_unit(TISSUE_HU['air']) == 0
    assert 0.05 <= hu_to_unit(TISSUE_HU['lung']) <= 0.1 and 0.9 <= hu_to_unit(TISSUE_HU['cortical']) <= 0.95
    chest, belly = ct_phantom(128, 0, 'thorax', recipe='v2'), ct_phantom(128, 0, 'abdomen', recipe='v2')
    lungs = lambda a: ((a > 0.03) & (a < 0.13)).mean()
    assert lungs(chest) > 0.1 > 0.02 > lungs(belly)
    assert (np.abs(belly - 0.45) < 0.02).mean() > 0.05            # subcutaneous and visceral fat near -100 HU

def test_ct_dataset_fine_pairs():
    x, xf = ct_dataset_fine(3, 32, 'val')
    assert x.shape == (3, 1, 32, 32) and xf.shape == (3, 1, 128, 128)
    assert torch.equal(x, ct_dataset(3, 32, 'val', recipe='v2'))
    torch.testing.assert_close(F.avg_pool2d(xf, 4), x, atol=1e-6, rtol=0)
    with pytest.raises(PadisError, match='unknown split'): ct_dataset_fine(1, 32, 'holdout')

def test_v2_speed():
    "2048 slices at 64 x 64 well under a minute of one core (a loose bound: the shared test machine is busy)."
    t = time.process_time(); ct_dataset(64, 64, 'train', recipe='v2')
    assert (time.process_time() - t) / 64 * 2048 < 90

def test_real_ct_split_by_slice_val_and_test_only():
    assert set(REAL_CT_SPLITS) == {'val', 'test'}
    files = [f for split in REAL_CT_SPLITS.values() for slice_files in split.values() for f in slice_files]
    assert len(files) == len(set(files))                           # no file in two slices or two splits
    assert set(find_real_ct()) - set(REAL_CT_EXCLUDED) == set(files)
    for split, k in (('val', 2), ('test', 3)):
        x, names = real_ct(split, 64)
        assert x.shape == (k, 1, 64, 64) and 0 <= x.min() and x.max() <= 1 and len(names) == k
    for bad in ('train', 'all'):
        with pytest.raises(PadisError, match='validation and test only'): real_ct(bad)

def test_real_ct_fine_pairs_simulate():
    x, xf, names = real_ct('test', 64, finer=4)
    torch.testing.assert_close(F.avg_pool2d(xf, 4), x, atol=1e-5, rtol=0)
    op = CTOperator(64, views=8)
    y, yf = op(x), project_fine(op, xf, x)
    gap = float((yf - y).norm() / y.norm())
    assert 1e-3 < gap < 0.05                                        # a finer object: data the model does not fit exactly
    with pytest.raises(PadisError, match='does not average down'): project_fine(op, xf.flip(0), x)
    assert torch.equal(measure(x, op, fine=xf), yf) and not torch.equal(measure(x, op), yf)   # every CT row can use it

@pytest.mark.parametrize('n', [64, 128])
def test_v2_closer_to_real_slices_than_v1(n):
    "By the gradient-magnitude distribution (Wasserstein-1 in decades), against the validation slices it was chosen on."
    real = real_ct('val', n)[0]
    v1 = np.stack([ct_phantom(n, np.random.default_rng([1, i]), recipe='v1') for i in range(24)])
    v2 = ct_dataset(24, n, 'val', recipe='v2')
    d1, d2 = gradient_distance(v1, real), gradient_distance(v2, real)
    assert d2 < 0.75 * d1, (d1, d2)
