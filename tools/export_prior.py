"""Write a run's prior.safetensors (the EMA prior and its training record) from its state.pt, without training: for a
run whose state was restored from the committed copy (tools/lab_runs.sh) and that is not training now.

    python tools/export_prior.py runs/pilots/v2_patch_decay      # -> runs/pilots/v2_patch_decay/prior.safetensors"""
import json, sys, time
from pathlib import Path
from padis_nb.core import PadisError
from padis_nb.training import TrainConfig, read_state, _new_run, _run_data, _save

def export(out):
    out = Path(out)
    if not (out / 'state.pt').exists(): raise PadisError(f"{out} has no state.pt")
    cfg = TrainConfig(**json.loads(read_state(out / 'state.pt')['config']))
    run = _new_run(cfg, out, 'cpu', 0, 1, print)
    run.t0 = time.time() - run.elapsed
    _, _, record = _run_data(run, 'cpu', False)   # the training images' record (data source, count), as train writes
    _save(run, record)
    print(f"wrote {out / 'prior.safetensors'} at step {run.step}")

if __name__ == '__main__':
    try: [export(p) for p in sys.argv[1:]] or sys.exit(__doc__)
    except PadisError as e: sys.exit(f'error: {e}')
