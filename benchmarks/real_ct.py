"""Real CT slices (issue 23): PaDIS against TV on the real slices that installed packages ship, each method tuned on the
real VALIDATION slices only (`data.REAL_CT_SPLITS['val']`), then scored once on the real TEST slices, with per-image
values and paired 95% intervals. Measurements are simulated from each slice on a 4x finer grid (no inverse crime), at
20 and 8 views, noiseless and with 1e4 photons per ray.

    python benchmarks/real_ct.py --prior runs/lab/ct64_v3/prior.safetensors --size 64 --out benchmarks/results/real_ct_64.json
    python benchmarks/real_ct.py --prior ct128 --size 128 --settings ct20 --quick --out /tmp/r.json    # smoke test

DiffPIR (the default solver) is tuned over its start level and the noise level of its data step (the finer-grid
simulation leaves model mismatch even in noiseless data); TV over its weight, PDHG run to its tolerance. Everything the
choice saw is in the JSON's `tuning`; the test numbers are in `test`.
"""
import argparse, json, sys, time
from dataclasses import replace
import numpy as np
import torch
from padis_nb.core import paired_ci, psnr, write_json, file_sha256, PadisError
from padis_nb.data import real_ct
from padis_nb.priors import load_prior, resolve_prior
from padis_nb.tasks import Setting, setting_operator, simulate, score_solves, reconstruct

SETTINGS = {'ct20': dict(views=20), 'ct8': dict(views=8), 'ct20_I1e4': dict(views=20, photons=1e4),
            'ct8_I1e4': dict(views=8, photons=1e4)}
STEPS = {20: 50, 8: 100}                                  # DiffPIR calls, as the 128x128 defaults
SIGMA_MAX = (0.1, 0.3, 1.0)   # 0.3, the top of (0.1, 0.3), won on the bundled ct64 (real_ct_64_ct64_bundled.json)
SIGMA_Y = {False: (0.0004, 0.0008, 0.0015, 0.003, 0.006), True: (0.006, 0.012, 0.024, 0.048)}   # noiseless / photon noise
TV_WEIGHTS = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)

def setting(name):
    kw = SETTINGS[name]
    about = f"{kw['views']}-view CT of real slices, " + (f"{kw['photons']:.0e} photons/ray, " if 'photons' in kw else '')
    return Setting(name + '_real', 'ct', about + 'simulated on a 4x finer grid', 'none', 0.0, **kw)

def data(s, split, size, seed=99):
    xs, fine, names = real_ct(split, size, finer=4)
    op = setting_operator(s, image_size=size)
    return xs, simulate(s, xs, op, seed=seed, fine=fine), op, names

def tv_scores(s, xs, ys, op, lam):
    xh, _ = reconstruct(replace(s, tv_weight=lam), ys, op, 'tv')
    return [round(psnr(xh[i:i + 1].clamp(0, 1), xs[i:i + 1]), 4) for i in range(len(xs))]

def padis_scores(s, xs, ys, op, model, sm, sy, steps):
    return score_solves(s, xs, ys, op, prior=model, solver='diffpir', steps=steps, sigma_max=sm, sigma_y=sy)['psnr']

def run(model, name, size, quick=False):
    s = setting(name)
    steps = 3 if quick else STEPS[s.views]
    xv, yv, op, val_names = data(s, 'val', size)
    noisy = s.photons is not None
    pts = [(sm, sy) for sm in SIGMA_MAX[:1 if quick else None] for sy in SIGMA_Y[noisy][:2 if quick else None]]
    pg = {p: float(np.mean(padis_scores(s, xv, yv, op, model, *p, steps))) for p in pts}
    tg = {l: float(np.mean(tv_scores(s, xv, yv, op, l))) for l in (TV_WEIGHTS[1:3] if quick else TV_WEIGHTS)}
    (sm, sy), lam = max(pg, key=pg.get), max(tg, key=tg.get)
    xt, yt, op, test_names = data(s, 'test', size)
    padis, tv = padis_scores(s, xt, yt, op, model, sm, sy, steps), tv_scores(s, xt, yt, op, lam)
    return dict(about=s.about, val_images=val_names, test_images=test_names,
                tuning=dict(padis={f'{a}/{b}': round(v, 3) for (a, b), v in pg.items()},
                            tv={str(k): round(v, 3) for k, v in tg.items()},
                            chosen=dict(sigma_max=sm, sigma_y=sy, steps=steps, tv_weight=lam),
                            edges=dict(sigma_y=sy in (SIGMA_Y[noisy][0], SIGMA_Y[noisy][-1]),
                                       tv_weight=lam in (TV_WEIGHTS[0], TV_WEIGHTS[-1]))),
                test=dict(padis=padis, tv=tv, padis_mean=round(float(np.mean(padis)), 3),
                          tv_mean=round(float(np.mean(tv)), 3), padis_minus_tv=paired_ci(padis, tv)))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--prior', required=True, help='a bundled prior name, a prior file or a run folder')
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--settings', default=','.join(SETTINGS))
    p.add_argument('--out', required=True)
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--quick', action='store_true', help='a one-point PaDIS grid, 3 levels (smoke test)')
    a = p.parse_args(argv)
    names = a.settings.split(',')
    bad = [n for n in names if n not in SETTINGS]
    if bad: p.error(f"unknown setting(s) {', '.join(bad)}; choose from {', '.join(SETTINGS)}")
    if a.threads: torch.set_num_threads(a.threads)
    model, t0 = load_prior(a.prior), time.time()
    res = dict(command='python benchmarks/real_ct.py ' + ' '.join(sys.argv[1:] if argv is None else argv),
               prior=a.prior, prior_sha256=file_sha256(resolve_prior(a.prior)), prior_steps=model.config.get('train', {}).get('steps'),
               size=a.size, settings={})
    for n in names:
        res['settings'][n] = run(model, n, a.size, a.quick)
        t = res['settings'][n]['test']
        print(n, 'PaDIS', t['padis_mean'], 'TV', t['tv_mean'], json.dumps(t['padis_minus_tv']), flush=True)
        res['seconds'] = round(time.time() - t0, 1)
        write_json(a.out, res)
    print('wrote', a.out)

if __name__ == '__main__':
    try: main()
    except PadisError as e: sys.exit(f'error: {e}')
