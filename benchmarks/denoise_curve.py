"""Denoising PSNR of priors on validation images (CT slices, or photo crops with --data natural) at fixed noise
levels: one call of the whole-image denoiser (stitched for patch priors) on x + sigma n, the same noise and partition
seeds for every prior. A cheap, low-variance way to compare two checkpoints of the same recipe (the training loss
averages over random noise levels and is noisy).

    .venv/bin/python benchmarks/denoise_curve.py --out benchmarks/results/denoise_curve.json ct128 runs/init/ct128.safetensors ...
"""
import argparse, json, sys
import torch
from padis_nb.core import make_gen, psnr, write_json, file_sha256
from padis_nb.data import ct_dataset, natural_dataset
from padis_nb.priors import load_prior, resolve_prior
from padis_nb.stitch import prior_denoiser

SIGMAS = (0.01, 0.03, 0.1, 0.3, 1.0)

def curve(prior, xs, sigmas=SIGMAS):
    "Mean PSNR (dB) of D(x + sigma n, sigma) against x over the images `xs`, per sigma."
    model = load_prior(prior); out = {}
    D = prior_denoiser(model, 'padis', make_gen(2))   # stitched for patch priors, the bare network for whole-image ones
    for s in sigmas:
        noisy = xs + s * torch.randn(xs.shape, generator=make_gen(1))
        with torch.no_grad(): d = D(noisy, torch.full((len(xs),), s)).clamp(0, 1)
        out[str(s)] = round(sum(psnr(d[i:i + 1], xs[i:i + 1]) for i in range(len(xs))) / len(xs), 3)
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('priors', nargs='+'); ap.add_argument('--n_val', type=int, default=8)
    ap.add_argument('--data', default='ct', choices=('ct', 'natural')); ap.add_argument('--out', required=True)
    ap.add_argument('--size', type=int, default=None, help='image side (default: 128 for ct, 64 for natural)')
    ap.add_argument('--recipe', default=None, help="CT phantom recipe of the validation slices (the priors' own)")
    ap.add_argument('--sigmas', default=','.join(map(str, SIGMAS)), help='comma-separated noise levels')
    a = ap.parse_args()
    sigmas = tuple(float(v) for v in a.sigmas.split(','))
    torch.set_num_threads(1)
    size = a.size or (128 if a.data == 'ct' else 64)
    xs = ct_dataset(a.n_val, size, 'val', recipe=a.recipe) if a.data == 'ct' else natural_dataset(a.n_val, size, 'val')
    res = dict(split='val', data=a.data, n_val=a.n_val, size=size, recipe=a.recipe, sigmas=list(sigmas),
               command='python ' + ' '.join(sys.argv), priors={})
    for p in a.priors:
        res['priors'][p] = dict(sha256=file_sha256(resolve_prior(p)), psnr=curve(p, xs, sigmas))
        print(p, res['priors'][p]['psnr'], flush=True)
    write_json(a.out, res, overwrite=True)
