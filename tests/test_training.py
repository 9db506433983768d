"Training: data-parallel runs through torchrun (2 CPU processes, gloo) and checkpoint safety."
import json, os, subprocess, sys, shutil
from pathlib import Path
import pytest, torch
from padis_nb.training import TrainConfig, train
from padis_nb.priors import load_prior, prior_metadata
from padis_nb.core import PadisError

TINY = dict(image_size=32, patch_size=8, n_train=16, pixels_per_step=1024, ckpt_every=5,
            net=dict(ch=8, mults=(1, 2, 2), blocks=1, dropout=0.0))

def test_torchrun_two_cpu_processes(tmp_path):
    "DDP with gloo: 2 ranks train together, rank 0 writes one consistent checkpoint."
    torchrun = Path(sys.executable).parent / 'torchrun'
    out = tmp_path / 'ddp'
    cmd = [str(torchrun), '--standalone', '--nproc_per_node', '2', '--no-python', str(torchrun.parent / 'padis'), 'train', '--out', str(out),
           '--image_size', '32', '--patch_size', '8', '--n_train', '16', '--steps', '6', '--pixels_per_step', '1024',
           '--ch', '8', '--blocks', '1', '--ckpt_every', '3', '--threads', '1']
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    prior = load_prior(out / 'prior.safetensors', image_size=32)
    meta = prior_metadata(out)
    assert meta['train']['world'] == 2 and meta['train']['steps'] == 6
    assert not list(out.glob('*.tmp'))

def test_loading_a_prior_does_not_import_training():
    "Solvers and samplers need priors and stitching, not the training loop (nor its torch.distributed and data sets)."
    code = "import sys, padis_nb.priors, padis_nb.stitch; print('padis_nb.training' in sys.modules)"
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == 'False', r.stderr[-2000:]

def test_resume_refuses_other_config(tmp_path):
    train(TrainConfig(**TINY, steps=5), tmp_path, progress=False)
    with pytest.raises(PadisError, match='different config'):
        train(TrainConfig(**{**TINY, 'patch_size': 16}, steps=10), tmp_path, progress=False)

def test_checkpoint_config_mismatch_refused_before_compute(tmp_path):
    m = train(TrainConfig(**TINY, steps=2), tmp_path, progress=False)
    with pytest.raises(PadisError, match='channel'): load_prior(tmp_path / 'prior.safetensors', channels=3)
    with pytest.raises(PadisError, match='does not exist'): load_prior(tmp_path / 'nope.safetensors')
    (tmp_path / 'empty.safetensors').write_bytes(b'')
    with pytest.raises(PadisError, match='truncated'): load_prior(tmp_path / 'empty.safetensors')

def test_bad_training_data_is_refused(tmp_path):
    import numpy as np
    d = tmp_path / 'imgs'; d.mkdir()
    np.save(d / 'a.npy', np.random.rand(4, 48, 48).astype('float32'))
    with pytest.raises(PadisError, match='48x48'): train(TrainConfig(**{**TINY, 'n_train': 4}, data=str(d), steps=1), tmp_path / 'r', progress=False)
    np.save(d / 'a.npy', np.full((4, 32, 32), np.nan, 'float32'))
    with pytest.raises(PadisError, match='NaN'): train(TrainConfig(**{**TINY, 'n_train': 4}, data=str(d), steps=1), tmp_path / 'r2', progress=False)

def _train_cmd(out, steps):
    padis = str(Path(sys.executable).parent / 'padis')
    return [padis, 'train', '--out', str(out), '--image_size', '32', '--patch_size', '8', '--n_train', '16', '--steps', str(steps),
            '--pixels_per_step', '1024', '--ch', '8', '--blocks', '1', '--ckpt_every', '1', '--threads', '1']

@pytest.mark.parametrize('steps,targets', [(40, (15,)), pytest.param(150, (20, 60, 100), marks=pytest.mark.slow)],
                         ids=['one_kill', 'three_kills'])
def test_sigkill_during_training_then_resume_matches_uninterrupted(tmp_path, steps, targets):
    """Kill a real training process (SIGKILL) at random moments after chosen steps (mid-step or mid-save): once in the
    fast run, three times in the slow one; every kill leaves whole checkpoint files, and the resumed run ends
    bit-identical to an uninterrupted one."""
    import time, random
    out, kills = tmp_path / 'killed', 0
    rnd = random.Random(0)
    for target in targets:
        p = subprocess.Popen(_train_cmd(out, steps), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 300
        while time.time() < deadline and p.poll() is None:
            if (out / 'state.pt').exists() and torch.load(out / 'state.pt', weights_only=True)['step'] >= target: break
            time.sleep(0.02)
        time.sleep(rnd.uniform(0, 0.05))          # land anywhere in a step or a save
        assert p.poll() is None, 'training finished before it could be killed'
        p.kill(); p.wait(); kills += 1
        st = torch.load(out / 'state.pt', weights_only=True)           # the checkpoint left behind is whole
        load_prior(out / 'prior.safetensors', image_size=32)
        assert target <= st['step'] < steps
    r = subprocess.run(_train_cmd(out, steps), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'resuming' in r.stdout + r.stderr
    straight = tmp_path / 'straight'
    r = subprocess.run(_train_cmd(straight, steps), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0
    a = torch.load(out / 'state.pt', weights_only=True); b = torch.load(straight / 'state.pt', weights_only=True)
    assert kills == len(targets) and a['step'] == b['step'] == steps
    for k in b['ema']: torch.testing.assert_close(a['ema'][k], b['ema'][k], rtol=0, atol=0)

def test_prior_records_its_phantoms_and_schedule(tmp_path):
    "A CT prior's training record names the phantom recipe it learnt from and its learning-rate decay and EMA length."
    train(TrainConfig(**TINY, recipe='v2', steps=2, lr_decay=7, ema_halflife=3), tmp_path / 'v2', progress=False)
    t = prior_metadata(tmp_path / 'v2')['train']
    assert (t['ct_recipe'], t['lr_decay'], t['ema_halflife']) == ('v2', 7, 3)
    train(TrainConfig(**{**TINY, 'data': 'natural', 'channels': 3}, steps=1), tmp_path / 'nat', progress=False)
    assert prior_metadata(tmp_path / 'nat')['train']['ct_recipe'] is None
