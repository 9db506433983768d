"""Data efficiency, trained to a plateau (issue 22 item 5): patch (PaDIS) against whole-image priors trained on 16, 64
and 512 CT slices (64x64, recipe v2), each run until its training loss is flat, then judged on 64x64 CT at 20 and 8
views with the solver tuned on validation slices for each prior.

Three phases, each resumable, so the long training can be spread over sessions and cores:

    # 1. train one run (repeat until it prints 'plateau'; every call adds at most --chunk steps per run)
    python benchmarks/data_efficiency.py train --runs patch_16 --threads 1
    # 2. judge every trained run (memorisation, tuning on validation, 10 test slices), write the JSON
    python benchmarks/data_efficiency.py judge --out benchmarks/results/data_efficiency.json
    # both, tiny (what the tests run)
    python benchmarks/data_efficiency.py all --quick --workdir /tmp/de --out /tmp/de.json

A run has reached its plateau when the smoothed training loss fell by less than --plateau (relative) over the last
quarter of the run (smoothing: mean over windows of 1000 steps). The JSON's `runs` list has, per run, `kind`,
`n_train`, `steps`, `plateau` (that relative change), `converged`, `memorisation` (distance of 64 samples to their
nearest training slice against the same for 64 test slices) and `psnr` per test image at each view count, plus the
tuned solver settings; `gaps` has the paired 95% intervals of patch minus whole at each size and of the gap at the
smallest size minus the gap at the largest.
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np
import torch
from padis_nb.core import make_gen, paired_ci, write_json, PadisError
from padis_nb.data import ct_dataset
from padis_nb.generation import sample_prior
from padis_nb.priors import load_prior
from padis_nb.tasks import get_setting, setting_data, setting_operator, simulate, score_solves, solver_settings
from padis_nb.training import TrainConfig, train

SIZE, RECIPE, PATCH = 64, 'v2', 16
NET = dict(ch=32, mults=(1, 2, 2), blocks=1, dropout=0.0)
VIEWS = ('ct64_20', 'ct64_8')   # the 64x64 settings of padis_nb.tasks; DiffPIR runs with each one's default calls
# DiffPIR's grid on validation, per prior and view count: start level, and the data step's noise level sigma_y. The data
# are simulated on a 4x finer grid, so they hold model mismatch (about 1.5% of the signal, std 0.006 at 64x64): an exact
# least-squares data step (sigma_y 0) fits it: 26.7 dB against 34.0 with sigma_y 0.006 (benchmarks/probe_sigma_y.py).
SIGMA_MAX = (0.1, 0.3)
SIGMA_Y = (0.0015, 0.003, 0.006, 0.012)

def config(kind, n_train, steps, quick=False):
    "The lab recipe (ct64's): v2 phantoms at 64x64, 16x16 patches with positions, lr decay after 2000, EMA 1000."
    net = dict(ch=8, mults=(1, 2, 2), blocks=1, dropout=0.0) if quick else NET
    return TrainConfig(data='ct', recipe=RECIPE, image_size=SIZE, kind=kind, patch_size=PATCH, n_train=n_train,
                       steps=steps, lr_decay=0 if quick else 2000, ema_halflife=10 if quick else 1000,
                       warmup=2 if quick else 500, net=net, ckpt_every=2 if quick else 500)

def read_log(run):
    "(steps, losses) of a run's log.jsonl, the last entry per step (a resumed run re-logs a few steps)."
    d = {}
    for line in (Path(run) / 'log.jsonl').read_text().splitlines():
        r = json.loads(line)
        if 'step' in r and 'loss' in r: d[r['step']] = r['loss']
    s = sorted(d)
    return np.array(s), np.array([d[k] for k in s])

def plateau(steps, losses, window=1000):
    """Relative fall of the smoothed training loss over the last quarter of the run: (L(3T/4) - L(T)) / L(3T/4), each L
    the mean loss over the `window` steps that end there. None while the run is shorter than 4 windows."""
    if len(steps) < 2 or steps[-1] < 4 * window: return None
    T = steps[-1]
    def L(t): return float(losses[(steps > t - window) & (steps <= t)].mean())
    a, b = L(0.75 * T), L(T)
    return round((a - b) / a, 4)

WINDOW = 1000   # steps the smoothed loss averages over

def train_run(name, workdir, chunk, max_steps, min_steps, thr, quick=False, threads=None):
    "Train run `name` ('patch_16') by at most `chunk` more steps unless it has reached its plateau; its status."
    kind, n = name.split('_')
    run = Path(workdir) / name
    if threads: torch.set_num_threads(threads)
    done = _status(run, min_steps, max_steps, thr, quick)
    if done['converged'] or done['steps'] >= max_steps: return done
    target = min(max_steps, done['steps'] + chunk)
    train(config(kind, int(n), target, quick), run, progress=False, log=lambda s: None)
    return _status(run, min_steps, max_steps, thr, quick)

def _status(run, min_steps, max_steps, thr, quick=False):
    "Steps so far, the plateau measure and whether the run counts as converged."
    if not (run / 'log.jsonl').exists(): return dict(steps=0, plateau=None, converged=False)
    s, l = read_log(run)
    p = plateau(s, l, window=1 if quick else WINDOW)
    return dict(steps=int(s[-1]), plateau=p, converged=p is not None and p < thr and s[-1] >= min_steps)

def nn_rmse(x, ref):
    "Per image of `x`, the RMSE to its nearest image of `ref` (both (n, 1, N, N))."
    a, b = x.flatten(1).double(), ref.flatten(1).double()
    d2 = (a * a).sum(1, keepdim=True) - 2 * a @ b.T + (b * b).sum(1)[None]
    return (d2.clamp_min(0).min(1).values / a.shape[1]).sqrt().float()

def memorisation(model, n_train, n=64, quick=False):
    """Distance of `n` samples to their nearest training slice, and of `n` test slices to theirs: a memorising prior's
    samples sit far closer to the training set than new slices do (ratio well below 1)."""
    tr, te = ct_dataset(n_train, SIZE, 'train', recipe=RECIPE), ct_dataset(n, SIZE, 'test', recipe=RECIPE)
    x = sample_prior(model, n, seed=0, steps=4 if quick else 32)
    ds, dt = nn_rmse(x, tr), nn_rmse(te, tr)
    return dict(n=n, sample_nn_rmse_median=round(float(ds.median()), 5), test_nn_rmse_median=round(float(dt.median()), 5),
                ratio=round(float(ds.median() / dt.median()), 4))

def tune(model, name, n_val, quick=False):
    "DiffPIR's start level and data-step noise level chosen on `n_val` validation slices: the grid's mean PSNR and the best."
    s = get_setting(name)
    op = setting_operator(s)
    xs, fine = setting_data(s, n_val, 'val')
    ys = simulate(s, xs, op, fine=fine)
    steps = 3 if quick else solver_settings(s, 'diffpir')[1]['steps']
    pts = [(sm, sy) for sm in SIGMA_MAX for sy in (SIGMA_Y[1:3] if quick else SIGMA_Y)]
    grid = {p: float(np.mean(score_solves(s, xs, ys, op, prior=model, solver='diffpir', steps=steps, sigma_max=p[0],
                                          sigma_y=p[1])['psnr'])) for p in pts}
    (sm, sy) = max(grid, key=grid.get)
    return dict(sigma_max=sm, sigma_y=sy, steps=steps, grid={f'{a}/{b}': round(v, 3) for (a, b), v in grid.items()})

def test(model, name, tuned, n_test):
    s = get_setting(name)
    op = setting_operator(s)
    xs, fine = setting_data(s, n_test, 'test')
    ys = simulate(s, xs, op, fine=fine)
    return score_solves(s, xs, ys, op, prior=model, solver='diffpir', steps=tuned['steps'],
                        sigma_max=tuned['sigma_max'], sigma_y=tuned['sigma_y'])['psnr']

def judge(workdir, names, n_val, n_test, min_steps, max_steps, thr, quick=False):
    runs = []
    for name in names:
        run = Path(workdir) / name
        if not (run / 'prior.safetensors').exists():
            print(f'{name}: not trained yet ({run}); skipped', file=sys.stderr)
            continue
        kind, n = name.split('_')
        model = load_prior(run / 'prior.safetensors')
        st = _status(run, min_steps, max_steps, thr, quick)
        t = time.time()
        r = dict(name=name, kind=kind, n_train=int(n), steps=st['steps'], plateau=st['plateau'],
                 converged=st['converged'], memorisation=memorisation(model, int(n), n=8 if quick else 64, quick=quick))
        r['tuned'] = {v: tune(model, v, n_val, quick) for v in VIEWS}
        r['psnr'] = {v: test(model, v, r['tuned'][v], n_test) for v in VIEWS}
        r['judge_seconds'] = round(time.time() - t, 1)
        print(name, json.dumps({k: r[k] for k in ('steps', 'plateau', 'converged')}),
              {v: round(float(np.mean(p)), 2) for v, p in r['psnr'].items()}, flush=True)
        runs.append(r)
    return runs

def gaps(runs):
    "Paired 95% intervals of patch minus whole per size and view count, and of the smallest size's gap minus the largest's."
    by = {(r['kind'], r['n_train']): r for r in runs}
    sizes = sorted({n for k, n in by if (('patch', n) in by and ('whole', n) in by)})
    out = {}
    for v in VIEWS:
        d = {n: np.subtract(by['patch', n]['psnr'][v], by['whole', n]['psnr'][v]) for n in sizes}
        out[v] = {str(n): paired_ci(by['patch', n]['psnr'][v], by['whole', n]['psnr'][v]) for n in sizes}
        if len(sizes) >= 2:
            out[v][f'gap_{sizes[0]}_minus_gap_{sizes[-1]}'] = paired_ci(d[sizes[0]], d[sizes[-1]])
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('phase', choices=('train', 'judge', 'all'))
    p.add_argument('--runs', default='', help="comma-separated runs such as patch_16,whole_512 (default: all six)")
    p.add_argument('--sizes', default='16,64,512')
    p.add_argument('--workdir', default='runs/data_efficiency')
    p.add_argument('--out', default='benchmarks/results/data_efficiency.json')
    p.add_argument('--chunk', type=int, default=2000, help='at most this many more steps per run per call')
    p.add_argument('--min_steps', type=int, default=8000)
    p.add_argument('--max_steps', type=int, default=60000)
    p.add_argument('--plateau', type=float, default=0.02)
    p.add_argument('--n_val', type=int, default=4)
    p.add_argument('--n_test', type=int, default=10)
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--quick', action='store_true', help='tiny networks, few steps (the tests)')
    a = p.parse_args(argv)
    try:
        sizes = [int(s) for s in a.sizes.split(',')]
    except ValueError:
        p.error(f'--sizes must be comma-separated integers, got {a.sizes!r}')
    names = a.runs.split(',') if a.runs else [f'{k}_{n}' for n in sizes for k in ('patch', 'whole')]
    for nm in names:
        k, _, n = nm.partition('_')
        if k not in ('patch', 'whole') or not n.isdigit(): p.error(f"run names are kind_size like patch_16, got {nm!r}")
    if a.quick: a.chunk, a.min_steps, a.max_steps, a.n_val, a.n_test = 6, 6, 6, 2, 2
    if a.threads: torch.set_num_threads(a.threads)
    t0 = time.time()
    if a.phase in ('train', 'all'):
        for nm in names:
            st = train_run(nm, a.workdir, a.chunk, a.max_steps, a.min_steps, a.plateau, a.quick, a.threads)
            print(nm, 'plateau' if st['converged'] else 'not flat yet', json.dumps(st), flush=True)
    if a.phase in ('judge', 'all'):
        runs = judge(a.workdir, names, a.n_val, a.n_test, a.min_steps, a.max_steps, a.plateau, a.quick)
        cmd = 'python benchmarks/data_efficiency.py ' + ' '.join(sys.argv[1:] if argv is None else argv)
        write_json(a.out, dict(command=cmd, size=SIZE, recipe=RECIPE, views=VIEWS, sigma_max_grid=SIGMA_MAX, sigma_y_grid=SIGMA_Y,
                               plateau_threshold=a.plateau, runs=runs, gaps=gaps(runs),
                               seconds=round(time.time() - t0, 1)))
        print('wrote', a.out)

if __name__ == '__main__':
    try: main()
    except PadisError as e: sys.exit(f'error: {e}')
