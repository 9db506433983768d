"""Does the sampler hold the patch prior's generation back? The paper samples PaDIS with annealed Langevin dynamics and
about 300 network calls (its Fig. A.9) and reports seams from fast deterministic samplers; `padis bench generation`
uses Heun with 32 levels (63 calls). This probe samples the same prior both ways, the same n, seeds and references,
and writes the five generation numbers of each.

    python benchmarks/generation_sampler.py --prior ct64 --n 32 --out benchmarks/results/lab/generation_sampler_ct64.json
"""
import argparse, json, sys, time
import torch
from padis_nb.core import make_gen, write_json, file_sha256
from padis_nb.diffusion import karras_sigmas, sample_heun, sample_langevin
from padis_nb.priors import load_prior, resolve_prior
from padis_nb.stitch import prior_denoiser
from padis_nb.anatomy import classifier_for
from padis_nb.generation import generation_metrics, reference_sets, prior_recipe

SAMPLERS = {   # name -> (function, its noise levels, keywords); network calls per sample in the name
    'heun_63': (sample_heun, lambda: karras_sigmas(32, 0.002, 40.0), {}),
    'langevin_300': (sample_langevin, lambda: karras_sigmas(100, 0.002, 40.0), dict(n_inner=3, eps=0.5)),
    'langevin_300_eps0.1': (sample_langevin, lambda: karras_sigmas(100, 0.002, 40.0), dict(n_inner=3, eps=0.1)),
    'langevin_300_eps1': (sample_langevin, lambda: karras_sigmas(100, 0.002, 40.0), dict(n_inner=3, eps=1.0)),
    'langevin_1000': (sample_langevin, lambda: karras_sigmas(100, 0.002, 40.0), dict(n_inner=10, eps=0.5)),
}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--prior', default='ct64'); ap.add_argument('--n', type=int, default=32)
    ap.add_argument('--seed', type=int, default=0); ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--samplers', default=','.join(SAMPLERS)); ap.add_argument('--out', required=True)
    a = ap.parse_args()
    torch.set_num_threads(1)
    model = load_prior(a.prior); N = model.config['image_size']; recipe = prior_recipe(a.prior)
    clf = classifier_for(N, recipe)
    train, val, _ = reference_sets(a.n, size=N, recipe=recipe)
    res = dict(command='python ' + ' '.join(sys.argv), prior=a.prior, prior_sha256=file_sha256(resolve_prior(a.prior)),
               n=a.n, seed=a.seed, recipe=recipe, samplers={})
    res['reference'] = generation_metrics(reference_sets(a.n, size=N, recipe=recipe)[2], train, val, clf)
    for name in a.samplers.split(','):
        fn, sig, kw = SAMPLERS[name]
        D = prior_denoiser(model, 'padis', make_gen(a.seed + 1)); g = make_gen(a.seed); t = time.time()
        with torch.no_grad():
            x = torch.cat([fn(D, (min(a.batch, a.n - i), 1, N, N), sig(), g, **kw).clamp(0, 1) for i in range(0, a.n, a.batch)])
        res['samplers'][name] = dict(generation_metrics(x, train, val, clf), seconds=round(time.time() - t, 1), kw=kw)
        print(name, json.dumps(res['samplers'][name]), flush=True)
        write_json(a.out, res, overwrite=True)
        torch.save(x[:16], a.out.replace('.json', f'_{name}.pt'))

if __name__ == '__main__': main()
