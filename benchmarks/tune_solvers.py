"""Tune solver settings on VALIDATION images only (split 'val'); writes benchmarks/results/tuning_<task>.json.

Usage: python benchmarks/tune_solvers.py --task ct --views 20 --n_images 2
The chosen settings are copied by hand into padis_nb.solvers.DEFAULTS (nbs/08_solvers.ipynb) with a pointer to the JSON.
"""
import argparse, itertools, json, time, platform
from pathlib import Path
import torch
from padis_nb.core import make_gen, psnr, ssim, write_json
from padis_nb.data import ct_dataset, natural_dataset
from padis_nb.operators import make_operator, add_gaussian_noise
from padis_nb.training import load_prior
from padis_nb.solvers import run_solver, default_noise

GRIDS = {
    'ddnm': [dict(steps=s, cg_iters=c, eta=e) for s, c, e in itertools.product([100], [2, 3, 5], [0.85, 1.0])]
            + [dict(steps=100, cg_iters=3, eta=1.0, sigma_max=s) for s in (0.5, 2.0)] + [dict(steps=200, cg_iters=3, eta=1.0)],
    'langevin': [dict(steps=100, zeta=z, dc_steps=d, sigma_max=sm) for z, d, sm in itertools.product([1.0, 1.8], [10, 30], [0.5, 2.0])],
    've-dps': [dict(steps=30, zeta=z, sigma_max=sm) for z, sm in itertools.product([1.0, 3.0, 10.0], [0.5, 2.0])],
    'pc': [dict(steps=100, zeta=z, dc_steps=d, snr=r) for z, d, r in itertools.product([1.0, 1.8], [5, 10], [0.08, 0.16])],
}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--task', default='ct'); ap.add_argument('--views', type=int, default=20)
    ap.add_argument('--n_images', type=int, default=2); ap.add_argument('--solvers', default='ddnm,langevin,pc,ve-dps')
    ap.add_argument('--out', default=None); ap.add_argument('--prior', default=None); ap.add_argument('--threads', type=int, default=None)
    a = ap.parse_args()
    ct = a.task.startswith('ct')
    if a.threads: torch.set_num_threads(a.threads)
    prior_path = a.prior or ('ct128' if ct else 'natural64')
    prior = load_prior(prior_path)
    N, C = prior.config['image_size'], prior.config['channels']
    xs = ct_dataset(a.n_images, N, 'val') if ct else natural_dataset(a.n_images, N, 'val')
    op = make_operator(a.task, N, C, views=a.views)
    ys = add_gaussian_noise(op.A(xs), default_noise(a.task), make_gen(123))
    rows = []
    for solver in a.solvers.split(','):
        for setting in GRIDS[solver]:
            t = time.time()
            r = run_solver(ys, op, prior, a.task, solver=solver, gen=make_gen(0), progress=False, **setting)
            xh = r['x'].clamp(0, 1)
            row = dict(solver=solver, **setting, nfe=r['nfe'], seconds=round((time.time() - t) / len(xs), 1),
                       psnr=round(psnr(xh, xs), 3), ssim=round(ssim(xh, xs), 4))
            rows.append(row); print(json.dumps(row), flush=True)
    best = {s: max((r for r in rows if r['solver'] == s), key=lambda r: r['psnr']) for s in a.solvers.split(',')}
    out = a.out or f"benchmarks/results/tuning_{a.task}{a.views if ct else ''}.json"
    from safetensors import safe_open
    from padis_nb.training import resolve_prior
    with safe_open(str(resolve_prior(prior_path)), 'pt') as f: prior_train = json.loads(f.metadata()['padis_config']).get('train')
    write_json(out, dict(task=a.task, views=a.views, split='val', n_images=a.n_images, prior=str(prior_path), prior_train=prior_train, rows=rows, best=best,
                         command='python benchmarks/tune_solvers.py ' + ' '.join(f'--{k} {v}' for k, v in vars(a).items() if v is not None),
                         machine=platform.platform()))
    print('best', json.dumps(best, indent=1))

if __name__ == '__main__': main()
