"""Generation metrics (padis_nb.generation) and the anatomy classifier (padis_nb.anatomy): the identities each number
rests on, the shipped classifier, a tiny benchmark."""
import json, math
import numpy as np
import pytest
import torch
from padis_nb.core import PadisError, make_gen
from padis_nb.data import ct_dataset, ct_phantom, SPLIT_SEEDS
from padis_nb.anatomy import (CT_KINDS, CT_KIND_P, CLASSIFIER_PATH, ct_labels, recognised_fraction, load_classifier, classify,
                              anatomy_outliers, classifier_for, classifier_features, BUNDLED_CLASSIFIERS)
from padis_nb.generation import (layout_error, intensity_w1, spectrum_error, radial_power_spectrum, frechet_distance,
                                 generation_metrics, bench_generation, generation_table, prior_recipe)
from padis_nb.training import train, TrainConfig

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


def test_the_64_v2_classifier_knows_held_out_v2_slices_and_refuses_other_sizes():
    """The bundled 64x64 'v2' classifier (the lab's ct64 priors): right kind and sure of it on held-out test-split v2
    slices, no kind for outliers or noise; images of another size are refused, not resized."""
    torch.set_num_threads(1)
    c = classifier_for(64, 'v2')
    assert c.file == BUNDLED_CLASSIFIERS[(64, 'v2')] == 'ct64_v2_anatomy_classifier.safetensors'
    assert (c.config['image_size'], c.info['train']['image_size'], c.info['train']['recipe']) == (64, 64, 'v2')
    assert c.info['val_accuracy'] >= 0.95 and c.info['noise_recognised'] == 0.0
    x, y = ct_dataset(64, 64, 'test', recipe='v2'), ct_labels(64, 'test')
    p = classify(c, x)
    assert (p.argmax(1) == y).float().mean() >= 0.9 and recognised_fraction(p) >= 0.9
    assert recognised_fraction(classify(c, anatomy_outliers(x, y, make_gen(5))[0])) <= 0.25
    assert recognised_fraction(classify(c, torch.rand(16, 1, 64, 64))) == 0.0
    with pytest.raises(PadisError, match='trained on 64x64'): classify(c, torch.rand(2, 1, 128, 128))
    with pytest.raises(PadisError, match='trained on 64x64'): classifier_features(c, torch.rand(2, 1, 32, 32))
    with pytest.raises(PadisError, match='trained on 128x128'): classify(classifier_for(), x[:2])
    with pytest.raises(PadisError, match='no bundled anatomy classifier'): classifier_for(64, 'v1')
    with pytest.raises(PadisError, match='no bundled anatomy classifier'): classifier_for(96, 'v2')


@pytest.fixture(scope='module')
def tiny64(tmp_path_factory):
    "A 2-step 64x64 patch prior on 'v2' phantoms: the shapes of the lab's ct64, no skill; seconds to make."
    out = tmp_path_factory.mktemp('tiny64')
    net = dict(ch=8, mults=(1, 2, 2), blocks=1, dropout=0.0)
    train(TrainConfig(image_size=64, patch_size=16, recipe='v2', steps=2, n_train=8, net=net), out, progress=False, log=None)
    return out


def test_bench_generation_judges_a_64_v2_prior_with_the_64_v2_classifier(tiny64):
    r = bench_generation(tiny64, n=4, steps=3, quick=True, progress=False)
    c = classifier_for(64, 'v2')
    assert (r['recipe'], r['image_size'], r['prior_steps']) == ('v2', 64, 2)
    assert (r['classifier_file'], r['classifier_sha256']) == ('ct64_v2_anatomy_classifier.safetensors', c.sha256)
    assert r['classifier_val_accuracy'] == c.info['val_accuracy']
    assert r['reference']['recognised'] >= 0.5 and r['n_val'] == 256
    for k in KEYS: assert math.isfinite(r[k]) and math.isfinite(r['reference'][k]), k
    json.dumps(r)
    # the judge and the recipe must fit the prior
    with pytest.raises(PadisError, match='trained on 128x128'):
        bench_generation(tiny64, n=2, steps=1, progress=False, classifier=classifier_for())
    with pytest.raises(PadisError, match="learnt recipe 'v2'"): bench_generation(tiny64, n=2, steps=1, recipe='v1')


def test_a_v1_128_prior_keeps_the_128_classifier(clf):
    "ct128 records no recipe: 'v1', judged by the first classifier against the same references as before."
    r = bench_generation('ct128', n=2, steps=1, progress=False)
    assert (r['recipe'], r['image_size'], r['classifier_file']) == ('v1', 128, 'ct_anatomy_classifier.safetensors')
    assert r['classifier_sha256'] == clf.sha256
    with pytest.raises(PadisError, match="no bundled anatomy classifier for 128x128 slices of recipe 'v2'"):
        bench_generation('ct128', n=2, steps=1, recipe='v2')


def test_prior_recipe_reads_the_record_or_is_told(tiny64):
    assert prior_recipe(tiny64) == prior_recipe(tiny64 / 'state.pt') == prior_recipe(tiny64, 'v2') == 'v2'
    assert prior_recipe('ct128') == 'v1' and prior_recipe('ct128', 'v2') == 'v2'    # no record: 'v1' unless told
    with pytest.raises(PadisError, match="learnt recipe 'v2'"): prior_recipe(tiny64, 'v1')
    with pytest.raises(PadisError, match='unknown phantom recipe'): prior_recipe('ct128', 'v9')
