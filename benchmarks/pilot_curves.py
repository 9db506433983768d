"""Pilot curves of the lab-scale recipe search (issue 22): validation denoising loss of each EMA snapshot that
tools/pilots.sh wrote, against the core-hours spent to reach it, for every pilot run. The loss is EDM's weighted
denoising loss (the training objective) on whole validation slices through each prior's whole-image denoiser (stitched
for patch priors), with the same slices, noise levels, noise and partitions for every snapshot, so curves of patch,
no-position and whole-image runs are comparable and low in variance. Writes JSON (per snapshot) and a figure.

    .venv/bin/python benchmarks/pilot_curves.py runs/pilots/p64_patch runs/pilots/p64_whole ... \
        --out benchmarks/results/lab/pilot_curves.json --fig benchmarks/results/lab/pilot_curves.png
"""
import argparse, json, re, sys
import numpy as np
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

def quiet_step_seconds(run, steps=12):
    """Seconds per training step of run folder `run`'s own config (network, patch-size mix, pixels per step), one thread,
    averaged over `steps` steps (the first two warm up): what a step costs on a quiet machine, so curves can be drawn
    against core-hours. Run it with the trainers paused."""
    from padis_nb.training import TrainConfig, read_state, make_batch, pad_images, position_channels
    from padis_nb.network import Denoiser
    from padis_nb.probes import _adam_step
    cfg = TrainConfig(**json.loads(read_state(Path(run) / 'state.pt')['config']))
    model = Denoiser(net=cfg.net, **cfg.model_config())
    opt = torch.optim.Adam(model.parameters())
    padded = pad_images(ct_dataset(64, cfg.image_size, 'val', recipe=cfg.recipe), cfg.pad)
    pos = position_channels(padded.shape[-1])
    secs = [_adam_step(model, opt, x0, make_gen(k), p) for k in range(1, steps + 1)
            for x0, p in [make_batch(padded, pos, cfg, k)]]
    return round(sum(secs[2:]) / len(secs[2:]), 4)

GENERATION = {'v2_patch_decay': 'ct64', 'ct64_whole': 'ct64_whole', 'ct64_nopos': 'ct64_nopos', 'ct64_p32': 'ct64_p32'}

def generation_points(name, results=Path(__file__).parent / 'results' / 'lab'):
    "(steps, fd, recognised) of each generation benchmark of run `name` (files generation_<label>_step<N>_s0.json)."
    out = []
    for f in sorted(results.glob(f"generation_{GENERATION.get(name, name)}_step*_s0.json")):
        d = json.loads(f.read_text())
        out.append((d['prior_steps'], d['fd'], d['recognised']))
    return sorted(out)

def snapshots(run):
    """(minutes or None, file) of every snapshot of a run folder: tools/pilots.sh's snap_MMMmin files (by training
    minutes) and tools/snapshot_runs.py's snaps/step_NNNNNN files (by step; minutes None)."""
    out = []
    for f in sorted(Path(run).glob('snap_*min.safetensors')):
        out.append((int(re.search(r'snap_(\d+)min', f.name).group(1)), f))
    out += [(None, f) for f in sorted(Path(run).glob('snaps/step_*.safetensors'))]
    return out

def last_quarter_fall(snaps):
    """The flatness rule of issue 22: relative fall of the validation loss over the last quarter of training,
    (L(3T/4) - L(T)) / L(3T/4), with L between snapshots interpolated linearly; None before a snapshot at or below 3T/4."""
    s = sorted((q['steps'], q['val_loss']) for q in snaps if q['steps'])
    if len(s) < 2 or s[0][0] > 0.75 * s[-1][0]: return None
    T, LT = s[-1]
    L = float(np.interp(0.75 * T, [a for a, _ in s], [b for _, b in s]))
    return round((L - LT) / L, 4)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('runs', nargs='+')
    ap.add_argument('--n_val', type=int, default=32)
    ap.add_argument('--threads_trained', type=int, default=1, help='threads each pilot trained with (core-hours = minutes x threads / 60)')
    ap.add_argument('--out', required=True)
    ap.add_argument('--fig', default=None)
    ap.add_argument('--time_steps', action='store_true', help="measure each run's quiet seconds per step (pause trainers)")
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
        old = res['runs'].get(name, {})
        snaps = sorted(rows.values(), key=lambda r: r['steps'] or 0)
        print(name, 'last-quarter fall of the validation loss:', last_quarter_fall(snaps), flush=True)
        res['runs'][name] = dict(snapshots=snaps, last_quarter_fall=last_quarter_fall(snaps),
                                 train_loss=[[l['step'], round(l['loss'], 5), l['seconds']] for l in log],
                                 generation=generation_points(name),
                                 quiet_step_seconds=quiet_step_seconds(run) if a.time_steps else old.get('quiet_step_seconds'))
        write_json(a.out, res, overwrite=True)
    gens = sorted((Path(__file__).parent / 'results' / 'lab').glob('generation_*_s0.json'))
    floor = json.loads(gens[0].read_text())['reference']['fd'] if gens else None
    if a.fig: figure(res, a.fig, floor)

def figure(res, path, floor=None):
    """Left: validation loss against training steps (the same pixels per step in every run). Right: generation fd against
    core-hours (steps x the run's quiet seconds per step) where both are known, with the reference floor and the target
    (3x the floor) when `floor` is given."""
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 3.4))
    for i, (name, r) in enumerate(res['runs'].items()):   # one colour per run in both panels
        s = [q for q in r['snapshots'] if q['steps']]
        ax.plot([q['steps'] for q in s], [q['val_loss'] for q in s], 'o-', color=f'C{i}', label=GENERATION.get(name, name))
        g, sec = r.get('generation') or [], r.get('quiet_step_seconds')
        if g and sec: bx.plot([st * sec / 3600 for st, _, _ in g], [fd for _, fd, _ in g], 'o-', color=f'C{i}', label=GENERATION.get(name, name))
    ax.set_xlabel('training steps (18 432 pixels each)'); ax.set_ylabel('validation EDM loss'); ax.legend(fontsize=8)
    ax.set_title('validation loss against training', fontsize=9)
    if floor:
        bx.axhline(floor, color='k', lw=0.8, ls=':', label='held-out slices (floor)')
        bx.axhline(3 * floor, color='k', lw=0.8, ls='--', label='target: 3x floor')
    bx.set_yscale('log'); bx.set_xlabel('core-hours (quiet 1-thread step time x steps)'); bx.set_ylabel('generation fd (n=64)')
    bx.set_title('generation against compute (Heun, 63 calls per sample)', fontsize=9); bx.legend(fontsize=7)
    fig.tight_layout(); fig.savefig(path, dpi=110)

if __name__ == '__main__': main()
