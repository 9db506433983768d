"""The paper's solver at the paper's budget (issue 24 item 5): VE-DPS with Langevin updates, 100 noise levels x 10
inner steps = 1000 network calls, the DPS step zeta / ||y - A D(x)|| (step='dps'), sigma from 10 down to 0.002 as the
paper runs 20-view CT, alpha = sigma^2 / 2 (eps 0.5). Only zeta is tuned, on VALIDATION images (split 'val'), on a grid
that is widened until its best point is inside it (the paper's zeta, 0.3, is in the first grid). Results go to
benchmarks/results/tuning/vedps1000_<setting>.json with per-image values; resumable (finished points are kept).

    .venv/bin/python benchmarks/tune_vedps_paper.py --setting ct20 --n_val 2 --threads 1
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np
import torch
from padis_nb.core import write_json, file_sha256
from padis_nb.tasks import get_setting, setting_data, evaluate
from padis_nb.priors import resolve_prior

PAPER = dict(solver='ve-dps', steps=100, n_inner=10, step='dps', sigma_max=10.0, sigma_min=0.002, eps=0.5)
ZETAS = (0.1, 0.3, 1.0)
WIDEN = 3.0   # the next zeta past an edge optimum is this factor further out

def best(rows): return max(rows, key=lambda r: r['psnr'])

def next_zeta(rows):
    "None when the best zeta has a tried neighbour on both sides; else the zeta one step past the edge it sits on."
    zs = sorted(r['point']['zeta'] for r in rows)
    z = best(rows)['point']['zeta']
    if z == zs[0]: return round(z / WIDEN, 4)
    if z == zs[-1]: return round(z * WIDEN, 4)
    return None

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--setting', default='ct20')
    ap.add_argument('--n_val', type=int, default=2)
    ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--max_points', type=int, default=6, help="stop widening after this many zetas")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    s = get_setting(a.setting)
    xs, fine = setting_data(a.setting, a.n_val, 'val')   # fine: what a ct64 setting measures from (else None)
    out = Path(f'benchmarks/results/tuning/vedps1000_{a.setting}.json')
    try: res = json.loads(out.read_text())
    except (OSError, ValueError): res = dict(rows=[])
    sha = file_sha256(resolve_prior(s.prior))
    if res['rows'] and (res.get('prior_sha256') != sha or res.get('n_val') != a.n_val):
        sys.exit(f"{out} holds a grid for another prior or number of images; move it away")
    res.update(setting=a.setting, split='val', n_val=a.n_val, prior=s.prior, prior_sha256=sha, schedule=PAPER,
               command='python ' + ' '.join(sys.argv))
    todo = [z for z in ZETAS if z not in {r['point']['zeta'] for r in res['rows']}]
    while True:
        if not todo:
            z = next_zeta(res['rows'])
            if z is None or len(res['rows']) >= a.max_points: break
            todo = [z]
        z = todo.pop(0)
        t = time.time()
        per = evaluate(a.setting, xs=xs, xs_fine=fine, **PAPER, zeta=z)
        row = dict(point=dict(zeta=z), nfe=int(per['nfe'][0]), psnr=round(float(np.mean(per['psnr'])), 3),
                   ssim=round(float(np.mean(per['ssim'])), 4), seconds_per_image=round((time.time() - t) / len(xs), 1),
                   per_image=per['psnr'])
        res['rows'].append(row)
        print(json.dumps({k: v for k, v in row.items() if k != 'per_image'}), flush=True)
        res['best'] = best(res['rows'])['point']
        res['optimum_inside'] = next_zeta(res['rows']) is None
        write_json(out, res, overwrite=True)
    print('best', res.get('best'), 'inside the grid:', res.get('optimum_inside'))

if __name__ == '__main__': main()
