"""Time the paper's 1000-network-call schedule (100 noise levels x 10 inner steps) on one held-out 20-view CT slice.
Usage: python benchmarks/solvers_1000.py   -> benchmarks/results/solvers_1000.json  (the full set: `padis bench solvers`)"""
import json, time, torch
from padis_nb.core import make_gen, psnr, ssim, write_json
from padis_nb.data import ct_dataset
from padis_nb.operators import make_operator
from padis_nb.training import load_prior
from padis_nb.solvers import run_solver
from padis_nb.bench import machine_info

x = ct_dataset(1, 128, 'test'); op = make_operator('ct', 128, views=20); y = op.A(x); prior = load_prior('ct128')
out = {}
for name, kw in [('ve-dps_1000', dict(solver='ve-dps', steps=100, n_inner=10)), ('langevin_1000', dict(solver='langevin', steps=100, n_inner=10)),
                 ('default', {})]:
    t = time.time(); r = run_solver(y, op, prior, 'ct', gen=make_gen(0), progress=False, **kw); s = time.time() - t
    xh = r['x'].clamp(0, 1)
    out[name] = dict(solver=r['solver'], nfe=r['nfe'], seconds=round(s, 1), psnr=round(psnr(xh, x), 2), ssim=round(ssim(xh, x), 4))
    print(name, out[name], flush=True)
write_json('benchmarks/results/solvers_1000.json', dict(task='ct20', split='test', n_images=1, runs=out, machine=machine_info(),
           command='python benchmarks/solvers_1000.py'))
