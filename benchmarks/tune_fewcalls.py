"""Few network calls (issue 24): PSNR against network calls for the few-call solvers of a setting, on VALIDATION images
only (split 'val'), with the setting's bundled prior. Each solver runs its grid at every budget of --nfe (one network
call per noise level, so the budget is the schedule's length); results go to benchmarks/results/tuning/fewcalls_<setting>.json
with per-image values, and the script prints the rule's choice: the fewest calls whose best validation PSNR is within
--tol dB (0.3) of the best 100-call result. The chosen settings are copied into padis_nb.tasks (CT_SOLVERS,
NATURAL_SOLVERS, NOISY); tests/test_tasks.py checks that they agree with these files. Resumable: finished points are kept.

    .venv/bin/python benchmarks/tune_fewcalls.py --setting ct20 [--n_val 4] [--threads 1]
    .venv/bin/python benchmarks/tune_fewcalls.py --setting ct8 --nfe 30,50,100 --sigma_max 0.2 --cg_iters 10   # narrowed
"""
import argparse, itertools, json, sys, time
from pathlib import Path
import numpy as np
import torch
from padis_nb.core import write_json, file_sha256
from padis_nb.tasks import get_setting, get_task, setting_data, evaluate, solver_settings
from padis_nb.priors import resolve_prior

NFE = (10, 20, 30, 50, 100)
AXES = ('sigma_max', 'cg_iters', 'lam', 'zeta', 'sigma_min', 'sigma_y')   # DiffPIR settings the command line can set

def grid(setting, narrow=None):
    """Points per solver: DiffPIR's start level, CG steps and (noisy data) lambda; VE-DDNM at its tuned 100-call settings.
    `narrow` (a dict of lists) replaces some of DiffPIR's axes, e.g. where a first setting already fixed them."""
    noisy = get_setting(setting).sigma > 0 or get_setting(setting).photons is not None
    ct = get_task(get_setting(setting).task).data == 'ct'
    diffpir = dict(sigma_max=[0.2, 0.5] if ct else [0.5, 1.0], cg_iters=[5, 10] if ct else [5, 10, 20],
                   lam=[0.1, 0.3, 1.0, 3.0] if noisy else [1.0])
    if get_task(get_setting(setting).task).recipe:   # ct64: data from a finer grid; the data step's noise level sigma_y
        # is tuned (lam fixed: the data step's weight is lam sigma_y^2 / sigma_t^2, so the two are one knob)
        # (photon noise: widened after ct64_20_I1e4's first grid put its best points at sigma_y 0.012 and sigma_max 0.1,
        # its lower edges)
        diffpir = dict(sigma_max=[0.05, 0.1, 0.2, 0.4] if noisy else [0.05, 0.1, 0.2], cg_iters=[10, 20], lam=[1.0],
                       sigma_y=[0.006, 0.012, 0.024] if noisy else [0.003, 0.006, 0.012])
    diffpir.update(narrow or {})
    pts = [dict(solver='diffpir', **dict(zip(diffpir, v))) for v in itertools.product(*diffpir.values())]
    return pts + [dict(solver='ddnm')]

def others(setting, nfe):
    "Every other solver at its tuned settings, with as many levels as give about `nfe` network calls (for the figure)."
    _, vd = solver_settings(setting, 've-dps')
    calls_per_level = {'langevin': 1, 'pc': 2, 've-dps': vd['n_inner']}
    return [(dict(solver=s), max(1, round(nfe / c))) for s, c in calls_per_level.items()]

def choose(rows, tol):
    "The rule: best 100-call PSNR over all points, then the fewest calls whose best point is within `tol` dB of it."
    best = {}
    for r in (r for r in rows if r['point']['solver'] in ('diffpir', 'ddnm')):
        if r['nfe'] not in best or r['psnr'] > best[r['nfe']]['psnr']: best[r['nfe']] = r
    if 100 not in best: return None
    ref = best[100]['psnr']
    nfe = min(n for n, r in best.items() if r['psnr'] >= ref - tol)
    return dict(nfe=nfe, point=best[nfe]['point'], psnr=best[nfe]['psnr'], ref_100=ref, ref_point=best[100]['point'],
                best_per_nfe={str(n): dict(psnr=r['psnr'], point=r['point']) for n, r in sorted(best.items())})

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--setting', default='ct20')
    ap.add_argument('--n_val', type=int, default=4)
    ap.add_argument('--nfe', default=','.join(map(str, NFE)))
    ap.add_argument('--tol', type=float, default=0.3)
    ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--out', default=None)
    for k in AXES:
        ap.add_argument(f'--{k}', default='', help=f"comma-separated values of DiffPIR's {k} (default: the full grid; "
                                                    "zeta, the share of fresh noise, is 1 and sigma_min the task's unless given)")
    ap.add_argument('--others', action='store_true', help="also Langevin, PC and VE-DPS at their tuned settings, for the figure")
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    s = get_setting(a.setting)
    xs, fine = setting_data(a.setting, a.n_val, 'val')   # fine: what the ct64 settings measure from (else None)
    out = Path(a.out or f'benchmarks/results/tuning/fewcalls_{a.setting}.json')
    try: res = json.loads(out.read_text())
    except (OSError, ValueError): res = dict(rows=[])
    sha = file_sha256(resolve_prior(s.prior))
    if res['rows'] and (res.get('prior_sha256') != sha or res.get('n_val') != a.n_val):
        sys.exit(f"{out} holds a grid for another prior or number of images; move it away or pass --out")
    res.update(setting=a.setting, split='val', n_val=a.n_val, prior=s.prior, prior_sha256=sha, tol=a.tol,
               command='python ' + ' '.join(sys.argv))
    done = {json.dumps([r['point'], r.get('levels', r['nfe'])], sort_keys=True) for r in res['rows']}
    budgets = list(map(int, a.nfe.split(',')))
    narrow = {k: [float(v) if k != 'cg_iters' else int(v) for v in getattr(a, k).split(',')]
              for k in AXES if getattr(a, k)}
    todo = [(p, n) for n in budgets for p in grid(a.setting, narrow)]
    if a.others: todo += [pn for n in budgets for pn in others(a.setting, n)]
    for p, n in todo:
        if json.dumps([p, n], sort_keys=True) in done: continue
        t = time.time()
        per = evaluate(a.setting, xs=xs, xs_fine=fine, steps=n, **p)     # `n` levels: one network call each, except for `others`
        row = dict(point=p, levels=n, nfe=int(per['nfe'][0]), psnr=round(float(np.mean(per['psnr'])), 3),
                   ssim=round(float(np.mean(per['ssim'])), 4), seconds_per_image=round((time.time() - t) / len(xs), 2),
                   per_image=per['psnr'],
                   settings={**solver_settings(a.setting, p['solver'])[1], **p, 'steps': n})
        res['rows'].append(row)
        print(json.dumps({k: v for k, v in row.items() if k not in ('per_image', 'settings')}), flush=True)
        res['choice'] = choose(res['rows'], a.tol)
        res['complete'] = all(json.dumps([q, m], sort_keys=True) in
                              {json.dumps([r['point'], r.get('levels', r['nfe'])], sort_keys=True) for r in res['rows']} for q, m in todo)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_json(out, res, overwrite=True)
    print('choice', json.dumps(res.get('choice'), indent=1))

if __name__ == '__main__': main()
