"`data.ct_phantom` in named pieces draws exactly the slices it drew as one function (values recorded before the split)."
import numpy as np, pytest
from padis_nb.data import ct_phantom
from padis_nb.core import PadisError

# (n, seed, kind) -> (sum, position-weighted sum, pixels above 0.8) of the slice the one-piece ct_phantom drew
BEFORE = {(64, 0, None): (738.971941, 351.409464, 4), (64, 1, 'head'): (1288.741787, 622.487352, 161),
          (64, 2, 'thorax'): (576.999484, 303.18138, 4), (64, 3, 'abdomen'): (1158.11673, 603.439243, 6),
          (128, 7, None): (2856.279997, 1389.803368, 81)}

@pytest.mark.parametrize('n,seed,kind', list(BEFORE))
def test_ct_phantom_unchanged_by_the_split(n, seed, kind):
    a = ct_phantom(n, seed, kind).astype(np.float64)
    w = np.arange(n * n).reshape(n, n) / (n * n)
    total, moment, bright = BEFORE[n, seed, kind]
    assert a.sum() == pytest.approx(total, rel=1e-5) and (a * w).sum() == pytest.approx(moment, rel=1e-5)
    assert int((a > 0.8).sum()) == bright

def test_ct_phantom_unknown_kind():
    with pytest.raises(PadisError, match='abdomen, thorax, head'): ct_phantom(64, 0, 'knee')
