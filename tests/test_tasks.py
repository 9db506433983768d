"The task table agrees with the committed validation tuning, and the real CT slices stay out of every tuning."
import json
from pathlib import Path
import pytest
from padis_nb.tasks import SETTINGS, TV_WEIGHT, evaluate, real_ct_slices, REAL_CT

RESULTS = Path(__file__).parents[1] / 'benchmarks' / 'results'

def test_tv_weights_are_the_validation_choices():
    tuned = json.loads((RESULTS / 'tuning_tv.json').read_text())
    assert tuned['split'] == 'val'
    assert set(TV_WEIGHT) == set(SETTINGS)
    for name, w in TV_WEIGHT.items():
        s = tuned['settings'][name]
        assert s['best'] == w, f"{name}: TV_WEIGHT {w} but the validation grid chose {s['best']}"
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
