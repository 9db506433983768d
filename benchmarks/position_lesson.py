"""Does the prior have to supply global structure? The patch prior with and without position channels, and the
whole-image prior, on CT problems where the data constrain less than at 20 views: 4 views over 180 degrees and 20 views
over 120 degrees (limited angle). Same test slices, measurements and solver seeds for every prior; noiseless, simulated
with the operator the solver inverts (as the noiseless rows of the table). The cases are measurements of the tasks of
`padis_nb.tasks` (`task_setting`), the priors the CT task's own and its ablations, all run through `tasks.evaluate`. Writes per-image values and paired 95%
intervals (padis - other, `padis_nb.core.paired_ci`) to benchmarks/results/position_lesson.json.

    .venv/bin/python benchmarks/position_lesson.py [--n 6] [--threads 1] [--out benchmarks/results/position_lesson.json]
"""
import argparse, sys, time
import numpy as np
import torch
from padis_nb.core import paired_ci, write_json
from padis_nb.priors import load_prior
from padis_nb.tasks import task_setting, get_task, setting_operator, setting_images, solver_settings, evaluate
from padis_nb.memory import machine_info

CASES = {'ct4': task_setting('ct', views=4), 'ct20_120deg': task_setting('ct-limited', views=20)}
ABOUT = {'ct4': '4-view parallel-beam CT over 180 degrees',
         'ct20_120deg': '20-view parallel-beam CT over 120 degrees (limited angle)'}
PRIORS = {'padis': get_task('ct').prior, **get_task('ct').ablations}   # padis, whole, no_pos

def run_case(case, xs, priors, progress=False):
    "Per-image scores of FBP and of the default solver with each prior, on the measurements of `case`."
    s = CASES[case]
    rows = {'baseline': dict(method='baseline'), **{k: dict(method='padis', prior=m) for k, m in priors.items()}}
    out = {}
    for name, kw in rows.items():
        per = evaluate(s, xs=xs, progress=progress, **kw)
        out[name] = {**{k: round(float(np.mean(v)), 4) for k, v in per.items()}, 'n': len(xs), 'per_image': per}
        print(case, name, out[name]['psnr'], flush=True)
    cmp = {f'padis-{b}': {k: paired_ci(out['padis']['per_image'][k], out[b]['per_image'][k]) for k in ('psnr', 'ssim')}
           for b in ('no_pos', 'whole', 'baseline')}
    return dict(about=ABOUT[case], operator=setting_operator(s).name, rows=out, paired=cmp)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=6); ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--out', default='benchmarks/results/position_lesson.json')
    a = ap.parse_args()
    if a.n < 2: sys.exit("position_lesson.py: error: --n must be at least 2 (paired intervals need two images)")
    if a.threads: torch.set_num_threads(a.threads)
    t = time.time(); xs = setting_images('ct20', a.n, 'test')
    priors = {k: load_prior(m) for k, m in PRIORS.items()}
    res = dict(split='test', n=a.n, priors=PRIORS, solver=solver_settings('ct'),
               cases={c: run_case(c, xs, priors) for c in CASES})
    res.update(seconds=round(time.time() - t, 1), machine=machine_info(), command='python ' + ' '.join(sys.argv))
    write_json(a.out, res, overwrite=True); print(f"wrote {a.out}")

if __name__ == '__main__': main()
