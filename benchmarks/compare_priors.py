"""Two checkpoints of one prior, compared on validation images only, through the full default solver of each setting:
the same images, measurements and solver seeds for both, with paired 95% intervals. Use it to decide whether a new
training stage replaces the bundled file (the test split is never looked at).

    .venv/bin/python benchmarks/compare_priors.py natural64 runs/natural64 --settings deblur,sr4 --n_val 8 \
        --out benchmarks/results/tuning/natural64_stage2.json
"""
import argparse, json, sys
import torch
from padis_nb.core import paired_ci, write_json, file_sha256
from padis_nb.priors import resolve_prior
from padis_nb.tasks import setting_data, evaluate

def compare(old:str, new:str, settings:list, n_val:int=8)->dict:
    "Per-image validation scores of the prior files `old` and `new` in each setting, and new minus old with its interval."
    out = {}
    for name in settings:
        xs, fine = setting_data(name, n_val, 'val')     # the same images, measurements (seed 99) and solver seeds for both
        rows = {k: evaluate(name, 'padis', xs=xs, xs_fine=fine, prior=str(p)) for k, p in (('old', old), ('new', new))}
        out[name] = dict(rows=rows, **{f'new_minus_old_{m}': paired_ci(rows['new'][m], rows['old'][m]) for m in ('psnr', 'ssim')})
        print(name, {k: round(sum(v['psnr']) / len(v['psnr']), 2) for k, v in rows.items()}, out[name]['new_minus_old_psnr'], flush=True)
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('old'); ap.add_argument('new'); ap.add_argument('--settings', default='deblur,sr4')
    ap.add_argument('--n_val', type=int, default=8); ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--out', required=True); a = ap.parse_args()
    torch.set_num_threads(a.threads)
    res = dict(split='val', n_val=a.n_val, command='python ' + ' '.join(sys.argv),
               priors={k: dict(path=str(p), sha256=file_sha256(resolve_prior(p))) for k, p in (('old', a.old), ('new', a.new))},
               settings=compare(a.old, a.new, a.settings.split(','), a.n_val))
    write_json(a.out, res, overwrite=True)
