"""Does the sampler hold the patch prior's generation back? The paper samples PaDIS with annealed Langevin dynamics and
about 300 network calls (its Fig. A.9) and reports seams from fast deterministic samplers; `padis bench generation`
uses Heun with 32 levels (63 calls). This probe samples the same prior both ways, the same n, seeds and references,
and writes the five generation numbers of each.

    python benchmarks/generation_sampler.py --prior ct64 --n 32 --out benchmarks/results/lab/generation_sampler_ct64.json
"""
import argparse, json, sys, time
import torch
from padis_nb.core import write_json, file_sha256
from padis_nb.priors import load_prior, resolve_prior
from padis_nb.anatomy import classifier_for
from padis_nb.generation import generation_metrics, reference_sets, prior_recipe, sample_prior

SAMPLERS = {   # name -> `sample_prior` keywords; network calls per sample in the name
    'heun_63': dict(sampler='heun', steps=32),
    'langevin_300': dict(sampler='langevin', steps=100, n_inner=3, eps=0.5),
    'langevin_300_eps0.1': dict(sampler='langevin', steps=100, n_inner=3, eps=0.1),
    'langevin_300_eps1': dict(sampler='langevin', steps=100, n_inner=3, eps=1.0),
    'langevin_300_eps2': dict(sampler='langevin', steps=100, n_inner=3, eps=2.0),
    'langevin_1000': dict(sampler='langevin', steps=100, n_inner=10, eps=0.5),
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
        kw, t = SAMPLERS[name], time.time()
        x = sample_prior(model, a.n, a.seed, batch=a.batch, **kw)
        res['samplers'][name] = dict(generation_metrics(x, train, val, clf), seconds=round(time.time() - t, 1), kw=kw)
        print(name, json.dumps(res['samplers'][name]), flush=True)
        write_json(a.out, res, overwrite=True)
        torch.save(x[:16], a.out.replace('.json', f'_{name}.pt'))

if __name__ == '__main__': main()
