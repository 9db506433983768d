"""Probe: a natural-image prior against TV on the VALIDATION photos (4 crops), deblurring and x4 super-resolution, with
DiffPIR at a few start levels and budgets. Prints one line per point (mean PSNR, then per photo). Used on natural64_v3
at 8000 steps (tools/export_prior.py runs/lab/natural64_v3 after bash tools/lab_runs.sh start natural64_v3 restored its
committed state):

    python benchmarks/probe_natural.py runs/lab/natural64_v3/prior.safetensors
"""
import sys, numpy as np, torch
from padis_nb.tasks import evaluate, setting_data
from padis_nb.priors import load_prior

torch.set_num_threads(1)
prior = load_prior(sys.argv[1])
for s in ('deblur', 'sr4'):
    xs, _ = setting_data(s, 4, 'val')
    tv = evaluate(s, 'tv', xs=xs)['psnr']
    print(s, 'TV', np.mean(tv).round(3), tv, flush=True)
    for sm in (0.5, 1.0):
        for n in (10, 20, 50):
            r = evaluate(s, xs=xs, prior=prior, steps=n, sigma_max=sm)['psnr']
            print(s, 'diffpir', sm, n, np.mean(r).round(3), r, flush=True)
