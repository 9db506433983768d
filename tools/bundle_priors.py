"""Copy trained priors from runs/ into data/priors/ and write data/priors/README.md with their recipes and training logs.

Usage: python tools/bundle_priors.py            (after the `padis train` runs listed in RECIPES have finished)
"""
import json, shutil
from pathlib import Path
from safetensors import safe_open

root = Path(__file__).resolve().parents[1]
COMMON = '--threads 1 --blocks 1 --ckpt_every 250'
RECIPES = {   # name -> the options given to `padis train` (all four ran at the same time, one thread each, on 2 cores)
    'ct128': '--data ct --image_size 128 --patch_size 24',
    'ct128_whole': '--data ct --image_size 128 --kind whole',
    'ct128_nopos': '--data ct --image_size 128 --patch_size 24 --no_pos',
    'natural64': '--data natural --image_size 64 --channels 3 --patch_size 16',
}
(root / 'data/priors/logs').mkdir(parents=True, exist_ok=True)
rows = []
for name, opts in RECIPES.items():
    run = root / 'runs' / name
    src, log = run / 'prior.safetensors', run / 'log.jsonl'
    with safe_open(str(src), 'pt') as f: cfg = json.loads(f.metadata()['padis_config'])
    shutil.copyfile(src, root / 'data/priors' / f'{name}.safetensors')
    recs = [json.loads(l) for l in log.read_text().splitlines() if l.strip()]
    (root / 'data/priors/logs' / f'{name}.jsonl').write_text(log.read_text())
    t = cfg['train']
    first = recs[0]; mid = recs[len(recs) // 2]; last = recs[-1]
    rows.append(f"""### {name}

- kind `{cfg['kind']}`, {cfg['image_size']}x{cfg['image_size']}, {cfg['channels']} channel(s), patch size {cfg['patch_size']}, pad {cfg['pad']},
  positions {'on' if cfg['use_pos'] else 'off'}, network {cfg['net']}, file `data/priors/{name}.safetensors`
  ({(root / 'data/priors' / f'{name}.safetensors').stat().st_size / 2**20:.1f} MB)
- trained: {t['steps']} steps in {t['seconds'] / 60:.0f} min ({t['n_train']} training images, {t['pixels_per_step']} pixels per step, lr {t['lr']})
- reproduce: `padis train --out runs/{name} {opts} --steps {t['steps']} {COMMON}`
  (as run: `--steps 40000 --max_minutes 100`, which stopped at step {t['steps']}; data order, crops and noise depend only on
  (seed, step), so `--steps {t['steps']}` replays the same batches)
- loss (EDM-weighted, mean of 50 steps): step {first['step']}: {first['loss']:.4f}, step {mid['step']}: {mid['loss']:.4f},
  step {last['step']}: {last['loss']:.4f}; full log `data/priors/logs/{name}.jsonl`
""")
(root / 'data/priors/README.md').write_text("""# Bundled priors

Trained on the 2-core CPU machine with the package's own `padis train`, all four at the same time (one thread each),
so each had about half a core for the same wall-clock budget: `ct128`, `ct128_whole` and `ct128_nopos` had the same
data, the same pixels per step and the same compute. Weights are the EMA network, stored as safetensors with the model
config in the metadata (`padis_nb.priors.load_prior` checks it before use).

These four runs started before `padis train` seeded the initial weights from `--seed` (it does now), so re-running a
recipe replays the same batches, crops and noise but from other initial weights: expect the same quality, not the same bits.

""" + '\n'.join(rows))
print((root / 'data/priors/README.md').read_text())
