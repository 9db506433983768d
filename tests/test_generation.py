"""Generation metrics (padis_nb.generation) and the anatomy classifier (padis_nb.anatomy): the identities each number
rests on, the shipped classifier, a tiny benchmark."""
import json, math
import numpy as np
import pytest
import torch
from padis_nb.core import PadisError, make_gen
from padis_nb.data import ct_dataset, ct_phantom, SPLIT_SEEDS
from padis_nb.anatomy import (CT_KINDS, CT_KIND_P, CLASSIFIER_PATH, ct_labels, recognised_fraction, load_classifier, classify,
                              anatomy_outliers)
from padis_nb.generation import (layout_error, intensity_w1, spectrum_error, radial_power_spectrum, frechet_distance,
                                 generation_metrics, bench_generation, generation_table)

KEYS = ('layout_error', 'intensity_w1', 'spectrum_error', 'fd', 'recognised')


@pytest.fixture(scope='module')
def clf():
    torch.set_num_threads(1)
    return load_classifier()


@pytest.fixture(scope='module')
def val():
    return ct_dataset(32, split='val'), ct_labels(32, 'val')


def test_labels_are_the_generators_own_draw():
    x = ct_dataset(6, split='train')
    for i, k in enumerate(ct_labels(6, 'train')):
        rng = np.random.default_rng([SPLIT_SEEDS['train'], i]); rng.choice(list(CT_KINDS), p=list(CT_KIND_P))
        assert np.array_equal(ct_phantom(128, rng, kind=CT_KINDS[int(k)]), x[i, 0].numpy())
    with pytest.raises(PadisError, match='unknown split'): ct_labels(2, 'holdout')


def test_layout_error_identities():
    a = torch.rand(5, 1, 16, 16)
    assert layout_error(a.flip(0), a) == 0.0                      # identical means, different images
    assert layout_error(2 * a, a) == pytest.approx(1.0)
    assert layout_error(a + 0.1 * torch.randn(5, 1, 16, 16), a) > 0


def test_w1_of_a_shift_is_the_shift():
    v = torch.rand(4, 1, 8, 8, dtype=torch.float64)
    for s in (0.0, 0.05, 0.3):
        assert intensity_w1(v + s, v) == pytest.approx(s, abs=1e-9)
    assert intensity_w1(v, v.flip(-1)) == pytest.approx(0.0, abs=1e-12)


def test_spectrum_error_identities():
    a = torch.rand(4, 1, 32, 32, dtype=torch.float64, generator=make_gen(0))
    assert spectrum_error(a, a) == 0.0
    assert spectrum_error(3 * a, a) == pytest.approx(2 * math.log10(3), abs=1e-8)   # 3x the amplitude, 9x the power
    assert spectrum_error(a.roll((5, 7), (-2, -1)), a) == pytest.approx(0.0, abs=1e-9)
    assert radial_power_spectrum(a).shape == (16,)
    assert math.isfinite(spectrum_error(torch.zeros_like(a), a))


def test_frechet_distance_identities():
    rng = np.random.default_rng(1)
    f = rng.standard_normal((300, 6)) @ rng.standard_normal((6, 6))
    assert frechet_distance(f, f) == pytest.approx(0.0, abs=1e-8)
    shift = rng.standard_normal(6)
    assert frechet_distance(f, f + shift) == pytest.approx((shift**2).sum(), rel=1e-8)
    assert frechet_distance(f[:4], f[:4]) == pytest.approx(0.0, abs=1e-8)    # fewer points than dimensions
    assert frechet_distance(f, 2 * f) > 0
    with pytest.raises(PadisError, match='at least 2'): frechet_distance(f[:1], f)


def test_recognised_fraction():
    p = torch.tensor([[0.95, 0.05, 0.0], [0.5, 0.25, 0.25], [0.0, 0.1, 0.9]])
    assert recognised_fraction(p) == pytest.approx(2 / 3)
    assert recognised_fraction(p, threshold=0.99) == 0.0


def test_classifier_file_loads_safely_and_tells_the_kinds_apart(clf, val):
    from safetensors import safe_open
    with safe_open(str(CLASSIFIER_PATH), 'pt') as f: meta = f.metadata()
    assert json.loads(meta['padis_classifier'])['n_classes'] == len(CT_KINDS)
    assert float(meta['val_accuracy']) == clf.info['val_accuracy'] >= 0.95
    xv, yv = val
    p = classify(clf, xv)
    assert (p.argmax(1) == yv).float().mean() > 0.9 > 1 / len(CT_KINDS)       # far above chance
    assert recognised_fraction(p) >= 0.8
    assert recognised_fraction(classify(clf, anatomy_outliers(xv, yv, make_gen(5))[0])) <= 0.25
    assert recognised_fraction(classify(clf, torch.rand(8, 1, 128, 128))) == 0.0


def test_classifier_loader_refuses_bad_files(tmp_path):
    with pytest.raises(PadisError, match='does not exist'): load_classifier(tmp_path / 'missing.safetensors')
    (tmp_path / 'cut.safetensors').write_bytes(CLASSIFIER_PATH.read_bytes()[:300])
    with pytest.raises(PadisError, match='truncated'): load_classifier(tmp_path / 'cut.safetensors')
    with pytest.raises(PadisError, match='not an anatomy classifier'):
        load_classifier(CLASSIFIER_PATH.parent / 'ct128.safetensors')


def test_metrics_of_the_data_against_itself_are_zero(clf, val):
    xv, _ = val
    m = generation_metrics(xv, xv, xv, clf)
    for k in ('layout_error', 'intensity_w1', 'spectrum_error', 'fd'): assert m[k] == pytest.approx(0.0, abs=1e-6)
    assert m['recognised'] >= 0.8
    noise = generation_metrics(torch.rand(16, 1, 128, 128), xv, xv, clf)
    assert noise['recognised'] == 0.0 and all(noise[k] > 10 * m[k] for k in ('layout_error', 'intensity_w1', 'spectrum_error'))


def test_bench_generation_tiny_budget(clf):
    """The quick budget (n and steps clipped to 8) on the whole-image prior: every field, JSON-ready, its table row. The
    patch prior's path runs in notebook 09b (ct128) and in the CLI test of `padis bench generation` (ct128_nopos)."""
    r = bench_generation('ct128_whole', n=2, steps=40, quick=True, progress=False, classifier=clf)
    assert (r['prior'], r['n'], r['steps'], r['denoiser']) == ('ct128_whole', 2, 8, 'whole') and r['seconds'] >= 0
    assert {'prior', 'n', 'seconds', *KEYS, 'reference', 'classifier_val_accuracy'} <= set(r)
    for k in KEYS:
        assert math.isfinite(r[k]) and math.isfinite(r['reference'][k]), k
    assert 0 <= r['recognised'] <= 1 and 0 <= r['reference']['recognised'] <= 1
    assert r['classifier_val_accuracy'] >= 0.95
    json.dumps(r)                                                   # JSON-ready
    assert '| ct128_whole | 2 |' in generation_table([r])
    assert r['sampling_seconds'] == r['seconds'] and len(r['prior_sha256']) == len(r['classifier_sha256']) == 64
    with pytest.raises(PadisError, match='1-channel'): bench_generation('natural64', n=4, steps=1, classifier=clf)
    with pytest.raises(PadisError, match='at least 2'): bench_generation('ct128', n=1, steps=1, classifier=clf)
