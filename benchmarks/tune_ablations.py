"""Tune the default solver (DiffPIR) on VALIDATION images for each ablation prior of a task (`Task.ablations`: the
whole-image and no-position priors), so that the table compares each prior at its own best settings rather than at the
patch prior's (issue 22). Same images, measurements, call budget (the setting's default) and grid axes as the patch
prior's few-call grid (benchmarks/tune_fewcalls.py: start level sigma_max and the data step's noise level sigma_y; CG
steps fixed at the default's). Results, with per-image values, go to benchmarks/results/tuning/ablations_<task>.json;
the best point per prior and setting is copied into padis_nb.tasks.PRIOR_TUNED, and tests/test_tasks.py checks that the
two agree. Resumable: finished points are kept.

    .venv/bin/python benchmarks/tune_ablations.py --task ct64 [--settings ct64_20,ct64_8] [--threads 1]
"""
import argparse, importlib.util, json, sys, time
from pathlib import Path
import numpy as np
import torch
from padis_nb.core import write_json, file_sha256
from padis_nb.priors import resolve_prior
from padis_nb.tasks import SETTINGS, get_task, setting_data, evaluate, solver_settings

_spec = importlib.util.spec_from_file_location('tune_fewcalls', Path(__file__).parent / 'tune_fewcalls.py')
fewcalls = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(fewcalls)

def points(setting):
    "DiffPIR points of the few-call grid at the setting's default CG steps (sigma_max x sigma_y for the 64x64 settings)."
    _, used = solver_settings(setting, 'diffpir')
    return [p for p in fewcalls.grid(setting) if p['solver'] == 'diffpir' and p.get('cg_iters') == used['cg_iters']]

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--task', default='ct64'); ap.add_argument('--settings', default='')
    ap.add_argument('--n_val', type=int, default=4); ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--priors', default='', help="comma-separated priors (default: the task's ablation priors)")
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    task = get_task(a.task)
    priors = a.priors.split(',') if a.priors else list(task.ablations.values())
    if not priors: sys.exit(f"error: task {a.task} has no ablation priors (Task.ablations); name them with --priors")
    names = a.settings.split(',') if a.settings else [n for n, s in SETTINGS.items() if s.task == a.task]
    bad = [n for n in names if n not in SETTINGS or SETTINGS[n].task != a.task]
    if bad: sys.exit(f"error: not settings of task {a.task}: {', '.join(bad)}")
    out = Path(a.out or f'benchmarks/results/tuning/ablations_{a.task}.json')
    try: res = json.loads(out.read_text())
    except (OSError, ValueError): res = dict(rows=[])
    old, new = res.get('prior_sha256', {}), {p: file_sha256(resolve_prior(p)) for p in priors}
    shas = {**old, **new}
    if res['rows'] and (any(old.get(p, h) != h for p, h in new.items()) or res.get('n_val') != a.n_val):
        sys.exit(f"error: {out} holds a grid for other prior files or another number of images; move it away or pass --out")
    res.update(task=a.task, split='val', n_val=a.n_val, prior_sha256=shas, command='python ' + ' '.join(sys.argv))
    key = lambda r: json.dumps([r['prior'], r['setting'], r['point']], sort_keys=True)
    done = {key(r) for r in res['rows']}
    for name in names:
        xs, fine = setting_data(name, a.n_val, 'val')
        steps = solver_settings(name, 'diffpir')[1]['steps']
        for prior in priors:
            for p in points(name):
                row = dict(prior=prior, setting=name, point=p)
                if key(row) in done: continue
                t = time.time()
                per = evaluate(name, xs=xs, xs_fine=fine, prior=prior, steps=steps, **p)
                row.update(nfe=int(per['nfe'][0]), psnr=round(float(np.mean(per['psnr'])), 3),
                           seconds_per_image=round((time.time() - t) / len(xs), 2), per_image=per['psnr'])
                res['rows'].append(row); print(json.dumps({k: v for k, v in row.items() if k != 'per_image'}), flush=True)
                best = {}
                for r in res['rows']:
                    b = best.setdefault(r['prior'], {}).get(r['setting'])
                    if b is None or r['psnr'] > b['psnr']: best[r['prior']][r['setting']] = dict(point=r['point'], psnr=r['psnr'])
                res['best'] = best
                res['complete'] = all(key(dict(prior=q, setting=n, point=p)) in {key(r) for r in res['rows']}
                                      for n in names for q in task.ablations.values() or priors for p in points(n))
                out.parent.mkdir(parents=True, exist_ok=True); write_json(out, res, overwrite=True)
    print('best', json.dumps(res.get('best'), indent=1))

if __name__ == '__main__': main()
