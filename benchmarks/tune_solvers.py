"""Tune each diffusion solver of a setting on VALIDATION images only (split 'val', never test), with the exact schedule
(noise levels x inner steps) that the defaults use and the bundled prior of the setting. Every grid point is run;
results go to benchmarks/results/tuning/<setting>.json and the best point per solver is printed. The chosen values are
copied into padis_nb.tasks.CT_SOLVERS / NATURAL_SOLVERS (noiseless settings) or padis_nb.tasks.NOISY (photon noise); the tests
check that they agree with these files.

    .venv/bin/python benchmarks/tune_solvers.py --setting ct20 [--solvers ddnm,ve-dps] [--n_val 4] [--threads 2]
    .venv/bin/python benchmarks/tune_solvers.py --setting ct20 --ring       # stitching ring: noise vs zeros, default solvers
"""
import argparse, itertools, json, sys, time
from pathlib import Path
import numpy as np
import torch
from padis_nb.core import write_json, file_sha256
from padis_nb.tasks import get_setting, get_task, setting_data, evaluate, solver_settings
from padis_nb.priors import resolve_prior

def grid(setting, solver):
    "The grid of one solver: noiseless settings tune the main knobs, noisy ones the data-consistency strength."
    # photon noise, or data measured from a finer grid (ct64): both leave a residual that an exact data step would fit
    fine = get_task(get_setting(setting).task).recipe is not None   # measured from a 4x finer image
    noisy = get_setting(setting).photons is not None or fine
    g = {'ddnm': dict(cg_iters=[2, 5], dc_floor=[0.0, 0.05, 0.1, 0.2, 0.4]) if noisy else dict(cg_iters=[3, 5, 8], eta=[0.85, 1.0]),
         've-dps': dict(step=['lipschitz'], zeta=[1.0, 1.5, 1.8, 1.9], n_inner=[2, 3]),   # below 1.0 lost 2+ dB on a first slice; 2 is the stability bound
         'langevin': dict(zeta=[0.3, 0.6, 1.0, 1.8], dc_steps=[10, 30]),
         'pc': dict(zeta=[0.3, 0.6, 1.0, 1.8], dc_steps=[5, 10])}[solver]
    if fine and solver in ('langevin', 'pc'):   # 64x64 (ct64_20): zeta 0.3, the lower edge above, won with the fewer
        g = dict(zeta=[0.1, 0.2, 0.3, 0.6, 1.0, 1.8], dc_steps=[3, 10] if solver == 'langevin' else [2, 5])  # data steps
    return [dict(zip(g, v)) for v in itertools.product(*g.values())]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--setting', default='ct20'); ap.add_argument('--solvers', default='ddnm,ve-dps,langevin,pc')
    ap.add_argument('--n_val', type=int, default=4); ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--ring', action='store_true'); ap.add_argument('--out', default=None)
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    xs, fine = setting_data(a.setting, a.n_val, 'val')   # fine: what a ct64 setting measures from (else None)
    out_path = Path(a.out or f'benchmarks/results/tuning/{a.setting}{"_ring" if a.ring else ""}.json')
    try: res = json.loads(out_path.read_text())
    except (OSError, ValueError): res = dict(rows=[])
    sha = file_sha256(resolve_prior(get_setting(a.setting).prior))
    if res['rows'] and (res.get('prior_sha256') != sha or res.get('n_val') != a.n_val):
        sys.exit(f"{out_path} holds a grid for another prior or number of images; move it away or pass --out")
    done = {json.dumps(r['point'], sort_keys=True) for r in res['rows']}
    res.update(setting=a.setting, split='val', n_val=a.n_val, prior=get_setting(a.setting).prior, prior_sha256=sha,
               command='python ' + ' '.join(sys.argv))
    points = ([dict(solver=s, ring=r) for s in a.solvers.split(',') for r in ('noise', 'zero')] if a.ring else
              [dict(solver=s, **p) for s in a.solvers.split(',') for p in grid(a.setting, s)])
    for p in points:
        key = json.dumps(p, sort_keys=True)
        if key in done: continue                           # resumable: finished points are kept
        t = time.time(); per = evaluate(a.setting, xs=xs, xs_fine=fine, **p)
        row = dict(point=p, psnr=round(float(np.mean(per['psnr'])), 3), ssim=round(float(np.mean(per['ssim'])), 4),
                   nfe=per['nfe'][0], seconds_per_image=round((time.time() - t) / len(xs), 1), per_image=per['psnr'])
        res['rows'].append(row); print(json.dumps({k: v for k, v in row.items() if k != 'per_image'}), flush=True)
        res['best'] = {s: max((r for r in res['rows'] if r['point']['solver'] == s), key=lambda r: r['psnr'])['point']
                       for s in {r['point']['solver'] for r in res['rows']}}
        res['complete'] = all(json.dumps(q, sort_keys=True) in {json.dumps(r['point'], sort_keys=True) for r in res['rows']} for q in points)
        out_path.parent.mkdir(parents=True, exist_ok=True); write_json(out_path, res, overwrite=True)
    print('best', json.dumps(res.get('best'), indent=1))

if __name__ == '__main__': main()
