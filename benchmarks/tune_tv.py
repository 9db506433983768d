"""Tune the TV weight of every measurement setting on validation images only (never test images), with PDHG run to
its tolerance. Writes benchmarks/results/tuning_tv.json; TV_WEIGHT in nbs/89_tasks.ipynb copies the chosen values
(tests/test_tasks.py checks that they agree).

    .venv/bin/python benchmarks/tune_tv.py [--n_val 4] [--quick]

Grid: 1e-4, 3e-4, 1e-3, 3e-3 (factor sqrt(10)), extended by the same factor while the best value sits at an edge,
then the two geometric midpoints around the best value. Each weight runs as its own batch of validation images, so
PDHG stops as soon as that weight has converged."""
import argparse, json, math, sys, time
import torch
from padis_nb.core import make_gen, psnr, write_json
from padis_nb.data import ct_dataset, natural_dataset
from padis_nb.tasks import make_operator
from padis_nb.ct import measure
from padis_nb.baselines import tv_reconstruct

SETTINGS = {   # name: (operator arguments, measurement arguments); CT noise is simulated on a 2x finer grid
    'ct20': (dict(task='ct', views=20), dict()),
    'ct8': (dict(task='ct', views=8), dict()),
    'ct20_I1e5': (dict(task='ct', views=20), dict(photons=1e5, finer=2)),
    'ct20_I1e4': (dict(task='ct', views=20), dict(photons=1e4, finer=2)),
    'ct8_I1e5': (dict(task='ct', views=8), dict(photons=1e5, finer=2)),
    'ct8_I1e4': (dict(task='ct', views=8), dict(photons=1e4, finer=2)),
    'deblur': (dict(task='deblur', channels=3, image_size=64), dict(sigma=0.01)),
    'sr4': (dict(task='sr', scale=4, channels=3, image_size=64), dict(sigma=0.01)),
}

def score(x, y, op, lam):
    "Mean validation PSNR of TV with weight `lam` (PDHG to its tolerance)."
    xh = tv_reconstruct(y, op, lam)
    return sum(psnr(xh[i:i + 1], x[i:i + 1]) for i in range(len(x))) / len(x)

def tune(name, n_val, quick=False):
    opk, mk = SETTINGS[name]
    op = make_operator(**opk)
    x = ct_dataset(n_val, 128, 'val') if opk['task'] == 'ct' else natural_dataset(n_val, 64, 'val')
    y = measure(x, op, gen=make_gen(1234), **mk)
    res = {l: score(x, y, op, l) for l in ([1e-4, 1e-3] if quick else [1e-4, 10**-3.5, 1e-3, 10**-2.5])}
    while not quick and max(res, key=res.get) in (min(res), max(res)) and 1e-6 < max(res, key=res.get) < 1:
        edge = max(res, key=res.get); new = edge * 10**0.5 if edge == max(res) else edge / 10**0.5
        res[new] = score(x, y, op, new)
    best = max(res, key=res.get)
    for l in ([] if quick else [best / 10**0.25, best * 10**0.25]): res[l] = score(x, y, op, l)
    best = max(res, key=res.get)
    return dict(operator=opk, measurement=mk, n_val=n_val, grid={f"{l:.3g}": round(s, 3) for l, s in sorted(res.items())},
                best=float(f"{best:.3g}"), best_psnr=round(res[best], 3), at_edge=best in (min(res), max(res)))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--n_val', type=int, default=4); ap.add_argument('--quick', action='store_true')
    ap.add_argument('--out', default='benchmarks/results/tuning_tv.json'); ap.add_argument('--only', nargs='*')
    a = ap.parse_args()
    try: out = json.load(open(a.out))
    except (OSError, ValueError): out = {}
    out.update(command='python ' + ' '.join(sys.argv), split='val', settings=out.get('settings', {}))
    for name in a.only or SETTINGS:
        t = time.time(); out['settings'][name] = {**tune(name, a.n_val, a.quick), 'seconds': round(time.time() - t, 1)}
        print(name, out['settings'][name], flush=True)
        write_json(a.out, out, overwrite=True)
