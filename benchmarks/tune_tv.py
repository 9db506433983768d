"""Tune the TV weight of every measurement setting on validation images only (never test images), with PDHG run to
its tolerance. Writes benchmarks/results/tuning_tv.json; each setting's `tv_weight` in nbs/89_tasks.ipynb copies the
chosen value (tests/test_tasks.py checks that they agree). Settings, operators, images and measurements are those of
`padis_nb.tasks` (`SETTINGS`, `setting_operator`, `setting_data`, `simulate`); TV runs through `tasks.reconstruct`.

    .venv/bin/python benchmarks/tune_tv.py [--n_val 4] [--quick]

Grid: 1e-4, 3e-4, 1e-3, 3e-3 (factor sqrt(10)), extended by the same factor while the best value sits at an edge,
then the two geometric midpoints around the best value. Each weight runs as its own batch of validation images, so
PDHG stops as soon as that weight has converged."""
import argparse, json, math, sys, time
from dataclasses import replace
import torch
from padis_nb.core import psnr, write_json
from padis_nb.tasks import SETTINGS, get_setting, setting_operator, setting_data, simulate, reconstruct

def score(s, x, y, op, lam):
    "Mean validation PSNR of TV with weight `lam` in setting `s` (PDHG to its tolerance; unclamped, as tuned)."
    xh, _ = reconstruct(replace(s, tv_weight=lam), y, op, 'tv')
    return sum(psnr(xh[i:i + 1], x[i:i + 1]) for i in range(len(x))) / len(x)

def tune(name, n_val, quick=False):
    s = get_setting(name)
    op = setting_operator(s)
    x, fine = setting_data(s, n_val, 'val')   # fine: the finer images the ct64 settings measure from (else None)
    y = simulate(s, x, op, seed=1234, fine=fine)
    score_at = lambda l: score(s, x, y, op, l)
    res = {l: score_at(l) for l in ([1e-4, 1e-3] if quick else [1e-4, 10**-3.5, 1e-3, 10**-2.5])}
    while not quick and max(res, key=res.get) in (min(res), max(res)) and 1e-6 < max(res, key=res.get) < 1:
        edge = max(res, key=res.get); new = edge * 10**0.5 if edge == max(res) else edge / 10**0.5
        res[new] = score_at(new)
    best = max(res, key=res.get)
    for l in ([] if quick else [best / 10**0.25, best * 10**0.25]): res[l] = score_at(l)
    best = max(res, key=res.get)
    return dict(setting=s.spec, operator=op.name, n_val=n_val, grid={f"{l:.3g}": round(s, 3) for l, s in sorted(res.items())},
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
