"""Keep a copy of a training run's EMA prior every K steps (for validation-loss curves against steps), while the run
trains in another process: polls each run folder's prior.safetensors and copies it to snaps/step_NNNNNN.safetensors
when its recorded step is a multiple of K. Runs until killed; cheap (reads a safetensors header once a minute).

    python tools/snapshot_runs.py runs/lab/ct64_whole runs/pilots/v2_patch_decay --every 2000
"""
import argparse, json, shutil, struct, time
from pathlib import Path

def prior_step(f):
    "The training step recorded in a prior file's safetensors metadata (header only), or None."
    try:
        with open(f, 'rb') as fh:
            n = struct.unpack('<Q', fh.read(8))[0]
            meta = json.loads(fh.read(n)).get('__metadata__', {})
        for v in meta.values():
            try: d = json.loads(v)
            except (TypeError, ValueError): continue
            if isinstance(d, dict) and isinstance(d.get('train'), dict): return d['train'].get('steps')
    except (OSError, ValueError, struct.error): return None

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('runs', nargs='+')
ap.add_argument('--every', type=int, default=2000)
ap.add_argument('--poll', type=float, default=60)
a = ap.parse_args()
while True:
    for run in map(Path, a.runs):
        f = run / 'prior.safetensors'
        s = prior_step(f) if f.exists() else None
        if s and s % a.every == 0:
            dst = run / 'snaps' / f'step_{s:06d}.safetensors'
            if not dst.exists():
                dst.parent.mkdir(exist_ok=True)
                tmp = dst.with_suffix('.tmp')
                shutil.copyfile(f, tmp)
                if prior_step(tmp) == s: tmp.replace(dst)   # the file was not rewritten while it was copied
                else: tmp.unlink()
    time.sleep(a.poll)
