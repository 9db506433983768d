"""Pilot curves of the lab-scale recipe search (issue 22): validation denoising loss of each EMA snapshot that
tools/pilots.sh wrote, against the core-hours spent to reach it, for every pilot run. The loss is EDM's weighted
denoising loss (the training objective) on whole validation slices through each prior's whole-image denoiser (stitched
for patch priors), with the same slices, noise levels, noise and partitions for every snapshot, so curves of patch,
no-position and whole-image runs are comparable and low in variance. Writes JSON (per snapshot) and a figure.

    .venv/bin/python benchmarks/pilot_curves.py runs/pilots/p64_patch runs/pilots/p64_whole ... \
        --out benchmarks/results/lab/pilot_curves.json --fig benchmarks/results/lab/pilot_curves.png
"""
import argparse, json, re, sys
from pathlib import Path
import torch
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from padis_nb.core import make_gen, write_json, file_sha256
from padis_nb.data import ct_dataset
from padis_nb.diffusion import edm_loss, sample_train_sigma
from padis_nb.priors import load_prior
from padis_nb.stitch import prior_denoiser

def val_loss(prior_file, xs, repeats=4):
    "EDM loss of the prior's whole-image denoiser on `xs`, averaged over `repeats` fixed draws of (sigma, noise)."
    model = load_prior(prior_file)
    total = 0.0
    for r in range(repeats):
        D = prior_denoiser(model, gen=make_gen(100 + r))
        g = make_gen(r)
        sigma = sample_train_sigma(len(xs), g)
        with torch.no_grad():
            total += float(edm_loss(D, xs, g, sigma=sigma))
    return total / repeats

def snapshots(run):
    """(minutes or None, file) of every snapshot of a run folder: tools/pilots.sh's snap_MMMmin files (by training
    minutes) and tools/snapshot_runs.py's snaps/step_NNNNNN files (by step; minutes None)."""
    out = []
    for f in sorted(Path(run).glob('snap_*min.safetensors')):
        out.append((int(re.search(r'snap_(\d+)min', f.name).group(1)), f))
    out += [(None, f) for f in sorted(Path(run).glob('snaps/step_*.safetensors'))]
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('runs', nargs='+')
    ap.add_argument('--n_val', type=int, default=32)
    ap.add_argument('--threads_trained', type=int, default=1, help='threads each pilot trained with (core-hours = minutes x threads / 60)')
    ap.add_argument('--out', required=True)
    ap.add_argument('--fig', default=None)
    ap.add_argument('--recipe', default=None, help="phantom recipe of the validation slices (default: data.CT_RECIPE); "
                    "use the recipe the pilots trained on")
    a = ap.parse_args()
    torch.set_num_threads(1)
    try: res = json.loads(Path(a.out).read_text())
    except (OSError, ValueError): res = {}
    res.update(split='val', n_val=a.n_val, recipe=a.recipe, command='python ' + ' '.join(sys.argv), runs=res.get('runs', {}))
    for run in a.runs:
        name = Path(run).name
        rows = {r['sha256']: r for r in res['runs'].get(name, {}).get('snapshots', [])}
        size = None
        for minutes, f in snapshots(run):
            sha = file_sha256(f)
            if sha in rows: continue                     # resumable: finished snapshots are kept
            model = load_prior(f)
            if size != model.config['image_size']:
                size = model.config['image_size']
                xs = ct_dataset(a.n_val, size, 'val', recipe=a.recipe)
            rows[sha] = dict(minutes=minutes, sha256=sha,
                             core_hours=None if minutes is None else round(minutes * a.threads_trained / 60, 3),
                             steps=model.config.get('train', {}).get('steps'), val_loss=round(val_loss(f, xs), 5))
            print(name, json.dumps(rows[sha]), flush=True)
        log = [json.loads(l) for l in open(Path(run) / 'log.jsonl')] if (Path(run) / 'log.jsonl').exists() else []
        res['runs'][name] = dict(snapshots=sorted(rows.values(), key=lambda r: r['steps'] or 0),
                                 train_loss=[[l['step'], round(l['loss'], 5), l['seconds']] for l in log])
        write_json(a.out, res, overwrite=True)
    if a.fig: figure(res, a.fig)

def figure(res, path):
    """Validation loss against training steps (the same pixels per step in every run, so steps measure compute; on the
    quiet machine a 1-thread step takes 0.2-0.3 s), one line per run."""
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    for name, r in res['runs'].items():
        s = [q for q in r['snapshots'] if q['steps']]
        ax.plot([q['steps'] for q in s], [q['val_loss'] for q in s], 'o-', label=name)
    ax.set_xlabel('training steps (18 432 pixels each)'); ax.set_ylabel('validation EDM loss'); ax.legend(fontsize=8)
    ax.set_title('lab-scale runs: validation loss against training', fontsize=9)
    fig.tight_layout(); fig.savefig(path, dpi=120)

if __name__ == '__main__': main()
