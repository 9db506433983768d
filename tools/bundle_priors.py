"""Copy the trained priors from runs/ into data/priors/ and write data/priors/README.md: each prior's two training
stages (stage 1 from scratch, stage 2 fine-tuned with `padis train --init`), with the exact commands and both logs.

Usage: python tools/bundle_priors.py ct128 ct128_nopos ct128_whole   (the runs to bundle; the others stay as they are)
Stage-1 files are read from runs/init/<name>.safetensors (copies of the files bundled at commit cc65d9a)."""
import json, shutil, sys
from pathlib import Path
from safetensors import safe_open
from padis_nb.core import file_sha256

root = Path(__file__).resolve().parents[1]
PRIORS, LOGS = root / 'data/priors', root / 'data/priors/logs'
COMMON = '--threads 1 --blocks 1 --ckpt_every 250'
RECIPES = {   # name -> the options given to `padis train` in both stages (tools/train_priors.sh runs stage 2)
    'ct128': '--data ct --image_size 128 --patch_size 24',
    'ct128_nopos': '--data ct --image_size 128 --patch_size 24 --no_pos',
    'ct128_whole': '--data ct --image_size 128 --kind whole',
    'natural64': '--data natural --image_size 64 --channels 3 --patch_size 16',
}

STAGE2 = {'natural64': '--n_train 8192'}
# the lab-scale priors (issue 22): one run each, resumable over sessions with tools/lab_runs.sh (same flags as there)
LAB_COMMON = '--image_size 64 --lr_decay 2000 --ema 1000 --steps 60000 --blocks 1 --threads 1 --quiet --ckpt_every 500'
LAB = {   # name -> (run folder, the options of `padis train`)
    'ct64': ('runs/pilots/v2_patch_decay', f'--data ct --recipe v2 --patch_size 16 {LAB_COMMON}'),
    'ct64_nopos': ('runs/lab/ct64_nopos', f'--data ct --recipe v2 --patch_size 16 --no_pos {LAB_COMMON}'),
    'ct64_whole': ('runs/lab/ct64_whole', f'--data ct --recipe v2 --kind whole {LAB_COMMON}'),
}   # stage-2 options beyond the recipe: more (augmented) training crops

def meta(p): 
    with safe_open(str(p), 'pt') as f: return json.loads(f.metadata()['padis_config'])

def losses(path):
    recs = [json.loads(l) for l in Path(path).read_text().splitlines() if l.strip()]
    return ', '.join(f"step {r['step']}: {r['loss']:.4f}" for r in (recs[0], recs[len(recs) // 2], recs[-1]))

def section(name):
    cfg = meta(PRIORS / f'{name}.safetensors'); t = cfg['train']; init = t.get('init')
    s1 = meta(root / 'runs/init' / f'{name}.safetensors')['train'] if init else t
    sha = file_sha256(PRIORS / f'{name}.safetensors')
    lines = [f"### {name}\n",
             f"- kind `{cfg['kind']}`, {cfg['image_size']}x{cfg['image_size']}, {cfg['channels']} channel(s), patch size "
             f"{cfg['patch_size']}, pad {cfg['pad']}, positions {'on' if cfg['use_pos'] else 'off'}, network {cfg['net']}",
             f"- file `data/priors/{name}.safetensors`, sha256 `{sha}`",
             f"- stage 1: {s1['steps']} steps, {s1['seconds'] / 60:.0f} min, from scratch: `padis train --out runs/{name} "
             f"{RECIPES[name]} --steps {s1['steps']} {COMMON}`; log `data/priors/logs/{name}.jsonl`"]
    if init:
        lines.append(f"- stage 2: {t['steps']} more steps, {t['seconds'] / 60:.0f} min wall on the shared machine, from the stage-1 "
                     f"file (sha256 `{init['sha256'][:16]}...`): `padis train --out runs/{name} {' '.join(filter(None, (RECIPES[name], STAGE2.get(name))))} --init "
                     f"runs/init/{name}.safetensors --steps {t['steps']} --threads 1 --quiet --ckpt_every 250`; "
                     f"log `data/priors/logs/{name}.stage2.jsonl` ({losses(LOGS / f'{name}.stage2.jsonl')})")
    lines.append(f"- data: {t['n_train']} training images, {t['pixels_per_step']} pixels per step, lr {t['lr']}\n")
    return '\n'.join(lines)

HEAD = """# Bundled priors

Trained on the 2-core CPU machine with the package's own `padis train` (no GPU was lent to this project's sessions).
Stage 1 trained each prior from scratch for 100 minutes, all four at the same time, one thread each; stage 2 fine-tunes
the stage-1 weights with the same recipe (`padis train --init`, commands in `tools/train_priors.sh`), the same data and
pixels per step, and the same number of extra steps for `ct128`, `ct128_nopos` and `ct128_whole`, so the ablations stay
fair. Weights are the EMA network, stored as safetensors with the model config and the training record in the metadata
(`padis_nb.priors.load_prior` checks it before use; `padis_nb.priors.prior_metadata` reads it).

Stage 1 started before `padis train` seeded the initial weights from `--seed` (it does now), so re-running its recipe
replays the same batches, crops and noise from other initial weights: expect the same quality, not the same bits.
Stage 2 resumes bit-exactly from its checkpoints.

`natural64`'s stage 2 also widens its data: 8192 crops (instead of 2048) of every scikit-image photo in neither the
validation nor the test split, with flips, quarter turns and colour changes. It replaced the stage-1 file because it
does better through the full default solver on validation images (deblurring and x4 super-resolution, last lines
below), although one denoiser call on plain validation crops got slightly worse (0.2 to 0.5 dB): the augmented
training set is broader than the photos it is tested on.

"""
def stopped(name, steps):
    "Why a lab run stopped where it did, from its validation-loss curve (benchmarks/results/lab/pilot_curves_v2.json)."
    r = json.loads((root / 'benchmarks/results/lab/pilot_curves_v2.json').read_text())['runs'][Path(LAB[name][0]).name]
    last = [q for q in r['snapshots'] if q['steps']][-1]
    if last['steps'] != steps: return f"stopped at {steps} steps (no validation-loss snapshot there)"
    fall, sec = r['last_quarter_fall'], r['quiet_step_seconds']
    why = ('flat by the 2% rule' if fall < 0.02 else
           "not flat by the 2% rule yet; stopped at ct64's quiet core-hours, the budget the three lab priors share")
    return (f"stopped at {steps} steps, {steps * sec / 3600:.2f} quiet core-hours ({sec} s per step alone on one thread); "
            f"validation loss {last['val_loss']}, {100 * fall:.2f}% lower than a quarter of the run earlier: {why} "
            f"(`benchmarks/pilot_curves.py`, `benchmarks/results/lab/pilot_curves_v2.json`)")

def lab_section(name):
    "The README section of a lab prior: one run from scratch (resumed across sessions), its command, log and data."
    cfg = meta(PRIORS / f'{name}.safetensors'); t = cfg['train']
    run, flags = LAB[name]
    return '\n'.join([f"### {name}\n",
        f"- kind `{cfg['kind']}`, {cfg['image_size']}x{cfg['image_size']}, {cfg['channels']} channel(s), patch size "
        f"{cfg['patch_size']}, pad {cfg['pad']}, positions {'on' if cfg['use_pos'] else 'off'}, network {cfg['net']}",
        f"- file `data/priors/{name}.safetensors`, sha256 `{file_sha256(PRIORS / f'{name}.safetensors')}`",
        f"- {t['steps']} steps from scratch, {t['seconds'] / 3600:.1f} h wall with one thread on the shared 2-core machine (resumed across sessions): "
        f"`padis train --out {run} {flags}` (`bash tools/lab_runs.sh start {name}`); {stopped(name, t['steps'])}; "
        f"log `data/priors/logs/{name}.jsonl` ({losses(LOGS / f'{name}.jsonl')})",
        f"- data: {t['n_train']} recipe-{t.get('ct_recipe')} training slices, {t['pixels_per_step']} pixels per step, "
        f"lr {t['lr']} with inverse-square-root decay after {t['lr_decay']} steps, EMA half-life {t['ema_halflife']} steps\n"])

def stage2_numbers():
    "The 'Stage 2 in numbers' section, from the denoising curves and solver comparisons in benchmarks/results."
    res = root / 'benchmarks/results'
    rows = []
    for f in sorted(res.glob('denoise_curve*.json')):
        d = json.loads(f.read_text()); pr = d['priors']
        for name in RECIPES:
            old = pr.get(f'runs/init/{name}.safetensors'); new = pr.get(name) or pr.get(f'runs/{name}')
            if old and new: rows.append((name, f.name, old['psnr'], new['psnr']))
    if not rows: return ''
    sig = list(rows[0][2])
    out = ["### Stage 2 in numbers\n", "Denoising PSNR (dB) of one call of each prior's whole-image denoiser on validation images, stage 1 ->\n"
           "stage 2 (`benchmarks/denoise_curve.py`; CT on 8 validation slices, photos on validation crops):\n",
           '| prior | file | ' + ' | '.join(f'sigma {s}' for s in sig) + ' |', '|---|---|' + '---|' * len(sig)]
    out += [f"| {n} | `{f}` | " + ' | '.join(f'{o[s]:.2f} -> {w[s]:.2f}' for s in sig) + ' |' for n, f, o, w in rows]
    for f in sorted((res / 'tuning').glob('*_stage2.json')):
        d = json.loads(f.read_text())
        out.append(f"\nThrough the full default solver, on {d['n_val']} validation images per setting (`{f.relative_to(root)}`, "
                   f"stage 2 minus stage 1, paired 95% interval): " + '; '.join(
                       f"{k} {v['new_minus_old_psnr']['diff']:+.2f} dB [{v['new_minus_old_psnr']['lo']:+.2f}, "
                       f"{v['new_minus_old_psnr']['hi']:+.2f}] ({v['new_minus_old_psnr']['verdict']})" for k, v in d['settings'].items()) + '.')
    return '\n'.join(out) + '\n'

if __name__ == '__main__':
    for name in sys.argv[1:]:
        if name not in {**RECIPES, **LAB}: sys.exit(f"unknown prior {name!r}; choose from {', '.join({**RECIPES, **LAB})}")
        run = root / (LAB[name][0] if name in LAB else f'runs/{name}')
        shutil.copyfile(run / 'prior.safetensors', PRIORS / f'{name}.safetensors')
        shutil.copyfile(run / 'log.jsonl', LOGS / (f'{name}.jsonl' if name in LAB else f'{name}.stage2.jsonl'))
    lab = [n for n in LAB if (PRIORS / f'{n}.safetensors').exists()]
    (PRIORS / 'README.md').write_text(HEAD + '\n'.join(section(n) for n in RECIPES) + '\n' + stage2_numbers() +
                                      ('\n## Lab-scale priors (64x64)\n\n' + '\n'.join(lab_section(n) for n in lab) if lab else ''))
    print((PRIORS / 'README.md').read_text())
