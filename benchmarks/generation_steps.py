"""Is the sampler the bottleneck of a prior's generation? `bench_generation` of one prior at 32 and 128 Heun noise
levels (n samples, one seed): if more levels (more random patch partitions per sample) do not lower fd, the prior itself
lacks the global structure.

    python benchmarks/generation_steps.py PRIOR OUT.json [--n 32] [--recipe v2]
"""
import argparse, json
import torch
from padis_nb.core import write_json
from padis_nb.generation import bench_generation

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('prior'); ap.add_argument('out')
ap.add_argument('--n', type=int, default=32); ap.add_argument('--recipe', default=None)
ap.add_argument('--steps', default='32,128')
a = ap.parse_args()
torch.set_num_threads(1)
out = dict(prior=a.prior, n=a.n, command='python benchmarks/generation_steps.py ' + f'{a.prior} {a.out} --n {a.n}' +
           (f' --recipe {a.recipe}' if a.recipe else ''), runs={})
for steps in map(int, a.steps.split(',')):
    r = bench_generation(a.prior, n=a.n, seed=0, steps=steps, progress=False, recipe=a.recipe)
    out['runs'][str(steps)] = {k: r[k] for k in ('fd', 'recognised', 'layout_error', 'spectrum_error', 'sampling_seconds')}
    out['floor'] = {k: r['reference'][k] for k in ('fd', 'recognised', 'layout_error')}
    out['prior_steps'] = r.get('prior_steps')
    print(steps, out['runs'][str(steps)], flush=True)
write_json(a.out, out)
