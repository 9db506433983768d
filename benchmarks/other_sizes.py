"""A patch prior on images of another size than it was trained on: which way holds quality? Validation images only
(never test images). For a measurement setting (default: deblurring, natural64, trained on 64x64 crops) and an image
side N' (default 128), each validation image is solved by:

- `own`: stitching at N' itself (`prior_at_size`, what `tasks.reconstruct` does with an N' image): the position
  channels of each pixel are those of the same place in the training canvas (image edges on the trained edges, the
  ring as wide as trained: `priors.SizedPrior.remap`);
- `rescaled`: the same, with the positions of the N' canvas rescaled to [-1, 1] as they come (the image's edge then
  sits a few trained pixels inside the ring);
- `edges_linear`: the same, with those positions times one factor that puts the image's edges on the trained edges
  (the ring narrower than trained);
- `windows` (N' > N only): the N' image tiled into windows of the prior's own size N, on a randomly shifted window
  grid, each window stitched as an N x N image (its own noisy ring), i.e. no position rescaled at all;
- `resize`: the image resized to N (antialiased), simulated and solved there, the result resized back to N' (bicubic),
  scored against the N' truth (what a user gets when the image is resized to the prior's size);
- `tv` and `baseline` at N' (the setting's tuned TV weight, the task's simple baseline).

As a reference, `native` solves validation images made at the prior's own size N (the result the prior was made for),
and `resize` also reports its score against the resized truth (`resize_at_N`). Same measurements (noise seed 99) and
solver seeds (1000 + i) for every way. Writes per-image values and paired 95% intervals (own - other) to JSON.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/other_sizes.py [--setting deblur] [--size 128] [--n 6]
        [--solver NAME] [--ways own,resize,tv,...] [--out benchmarks/results/other_sizes_SETTING_SIZE_SOLVER.json]
"""
import argparse, sys, time
import numpy as np
import torch
import torch.nn.functional as F
from padis_nb.core import paired_ci, write_json
from padis_nb.memory import machine_info
from padis_nb.priors import load_prior, prior_at_size, SizedPrior
from padis_nb.stitch import prior_denoiser
from padis_nb.patches import PatchGeometry
from padis_nb.data import ct_dataset, natural_dataset
from padis_nb import tasks

class Scaled(SizedPrior):
    "`SizedPrior` whose positions are the N' canvas's in [-1, 1] times `c` (c = 1: rescaled as they come)."
    def __init__(self, model, size, c):
        super().__init__(model, size)
        self.c = c
    def remap(self, pos): return pos * self.c

class Windows(torch.nn.Module):
    """A 'patch model' of patch side N (the prior's image size) whose patches are denoised as whole N x N images by the
    prior's own stitched denoiser: stitched at N' by `tasks.reconstruct`, it tiles the image into shifted windows."""
    def __init__(self, model, size, gen):
        super().__init__()
        N = model.config['image_size']
        self.inner, self.channels, self.stride = prior_denoiser(model, gen=gen), model.channels, 1
        self.config = dict(kind='patch', image_size=size, patch_size=N, pad=PatchGeometry(size, N).pad,
                           channels=model.channels, use_pos=False)
    def forward(self, x, sigma, pos=None): return self.inner(x, sigma)

def resize(x, n, mode):
    return F.interpolate(x, size=(n, n), mode=mode, antialias=mode != 'bicubic', align_corners=False)

def per_image(label, fn, xs):
    "fn(i) -> reconstruction of image i; scores (psnr, ssim) per image, and seconds."
    out = {'psnr': [], 'ssim': [], 'seconds': []}
    for i in range(len(xs)):
        t = time.time()
        xh = fn(i)
        sc = tasks.score(xh, xs[i:i + 1])
        out['psnr'].append(round(float(sc['psnr']), 4)); out['ssim'].append(round(float(sc['ssim']), 4))
        out['seconds'].append(round(time.time() - t, 2))
    m = {k: np.mean(v) for k, v in out.items()}
    print(f"{label:>14}: {m['psnr']:.3f} dB  {m['ssim']:.4f}  {m['seconds']:.1f} s", flush=True)
    return out

def main(setting, size, n, solver=None, ways=None):
    s = tasks.get_setting(setting)
    model = load_prior(s.prior)
    N, P = model.config['image_size'], model.config['patch_size']
    solve = lambda y, op, prior, i: tasks.reconstruct(s, y, op, prior=prior, solver=solver,
                                                      gen=torch.Generator().manual_seed(1000 + i))[0]
    make = ct_dataset if tasks.get_task(s.task).data == 'ct' else natural_dataset
    xs = make(n, size, 'val')
    op = tasks.setting_operator(s, image_size=size)
    ys = tasks.simulate(s, xs, op, seed=99)
    sized = prior_at_size(model, size)
    M = model.config['pad']   # edges_linear: positions times c put the image's edges at the trained edges
    c = ((N - 1) / (N + 2 * M - 1)) / ((size - 1) / (size + 2 * M - 1))
    res = {}
    want = lambda k: ways is None or k in ways
    res['own'] = per_image('own', lambda i: solve(ys[i:i + 1], op, sized, i), xs)
    if want('rescaled'):
        res['rescaled'] = per_image('rescaled', lambda i: solve(ys[i:i + 1], op, Scaled(model, size, 1.0), i), xs)
    if want('edges_linear'):
        res['edges_linear'] = per_image('edges_linear', lambda i: solve(ys[i:i + 1], op, Scaled(model, size, c), i), xs)
    if size > N and want('windows'):   # windows of the prior's side fit in larger images only
        res['windows'] = per_image('windows', lambda i: solve(
            ys[i:i + 1], op, Windows(model, size, torch.Generator().manual_seed(2000 + i)), i), xs)
    x_small = resize(xs, N, 'bilinear').clamp(0, 1)
    op_small = tasks.setting_operator(s, image_size=N)
    ys_small = tasks.simulate(s, x_small, op_small, seed=99)
    small = {}
    def via_resize(i):
        small[i] = solve(ys_small[i:i + 1], op_small, model, i)
        return resize(small[i], size, 'bicubic').clamp(0, 1)
    if want('resize'):
        res['resize'] = per_image('resize', via_resize, xs)
        res['resize_at_N'] = per_image('resize_at_N', lambda i: small[i], x_small)
    if want('tv'): res['tv'] = per_image('tv', lambda i: tasks.reconstruct(s, ys[i:i + 1], op, 'tv')[0], xs)
    if want('baseline'):
        res['baseline'] = per_image('baseline', lambda i: tasks.reconstruct(s, ys[i:i + 1], op, 'baseline')[0], xs)
    if want('native'):
        x_nat = make(n, N, 'val')
        ys_nat = tasks.simulate(s, x_nat, op_small, seed=99)
        res['native'] = per_image('native', lambda i: solve(ys_nat[i:i + 1], op_small, model, i), x_nat)
    return s, model, c, res

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--setting', default='deblur'); ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--n', type=int, default=6); ap.add_argument('--solver', default=None)
    ap.add_argument('--out', default=None)
    ap.add_argument('--ways', default=None, help="comma-separated subset of the ways (default: all; 'own' always runs)")
    a = ap.parse_args()
    solver = tasks.solver_settings(a.setting, a.solver)[0]   # the setting's default solver unless --solver names one
    out = a.out or f'benchmarks/results/other_sizes_{a.setting}_{a.size}_{solver}.json'
    t0 = time.time()
    ways = None if a.ways is None else {'own', *a.ways.split(',')}
    s, model, c, res = main(a.setting, a.size, a.n, a.solver, ways)
    solver, cfg = tasks.solver_settings(s, a.solver)
    summary = {k: {m: round(float(np.mean(v[m])), 4) for m in ('psnr', 'ssim', 'seconds')} for k, v in res.items()}
    ci = {f'own - {k}': {m: paired_ci(res['own'][m], res[k][m]) for m in ('psnr', 'ssim')}
          for k in ('rescaled', 'edges_linear', 'windows', 'resize', 'tv', 'baseline') if k in res}
    write_json(out, dict(
        command='OMP_NUM_THREADS=1 .venv/bin/python ' + ' '.join(sys.argv), about=__doc__.split('\n\n')[0],
        setting=s.spec, size=a.size, prior=s.prior, prior_image_size=model.config['image_size'],
        patch_size=model.config['patch_size'], split='val', n=a.n, solver=solver, solver_settings=cfg,
        edges_linear_scale=round(c, 4), summary=summary, paired_ci=ci, per_image=res,
        seconds=round(time.time() - t0, 1), machine=machine_info()))
    print(summary); print(ci); print('wrote', out)
