"""Why DiffPIR's data step needs a noise level on fine-grid data: 20-view CT of 4 v2 validation slices at 64x64,
simulated on a 4x finer grid (model mismatch, about 1.6% of the signal), solved with an exact data step (sigma_y 0)
and with sigma_y > 0, beside TV at its best weight. Prints mean PSNR per point and writes JSON.

    python benchmarks/probe_sigma_y.py benchmarks/results/lab/runs/init/ct64_v2_step14500.safetensors \
        benchmarks/results/lab/probe_sigma_y.json
"""
import json, runpy, sys
from dataclasses import replace
from pathlib import Path
import numpy as np
import torch
from padis_nb.core import psnr, write_json
from padis_nb.data import ct_dataset_fine
from padis_nb.priors import load_prior
from padis_nb.tasks import setting_operator, simulate, score_solves, reconstruct

torch.set_num_threads(1)
DE = runpy.run_path(str(Path(__file__).parent / 'data_efficiency.py'))
prior, out = sys.argv[1], sys.argv[2]
model, s = load_prior(prior), DE['setting']('ct20')
op = setting_operator(s, image_size=64)
xs, fine = ct_dataset_fine(4, 64, 'val')
ys = simulate(s, xs, op, fine=fine)
res = dict(command='python benchmarks/probe_sigma_y.py ' + ' '.join(sys.argv[1:]), prior=prior, tv={}, padis={})
for lam in (3e-4, 1e-3, 3e-3):
    xh, _ = reconstruct(replace(s, tv_weight=lam), ys, op, 'tv')
    res['tv'][str(lam)] = round(float(np.mean([psnr(xh[i:i + 1].clamp(0, 1), xs[i:i + 1]) for i in range(4)])), 3)
    print('tv', lam, res['tv'][str(lam)], flush=True)
for sm in (0.1, 0.3):
    for sy in (0.0, 0.003, 0.006, 0.012):
        p = score_solves(s, xs, ys, op, prior=model, solver='diffpir', steps=50, sigma_max=sm, sigma_y=sy)['psnr']
        res['padis'][f'{sm}/{sy}'] = round(float(np.mean(p)), 3)
        print('diffpir', sm, sy, res['padis'][f'{sm}/{sy}'], flush=True)
write_json(out, res)
