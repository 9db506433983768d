"""benchmarks/data_efficiency.py (issue 22 item 5): the plateau rule, the memorisation distance, a tiny end-to-end run
that writes the documented JSON, resuming without retraining, and one clear error for a bad run name."""
import json, runpy, subprocess, sys
from pathlib import Path
import numpy as np
import torch

REPO = Path(__file__).parents[1]
DE = runpy.run_path(str(REPO / 'benchmarks' / 'data_efficiency.py'))

def test_plateau_flat_and_falling():
    steps = np.arange(50, 8001, 50)
    flat = DE['plateau'](steps, np.full(len(steps), 0.05))
    falling = DE['plateau'](steps, 0.1 / np.sqrt(steps / 50))        # still falling like 1/sqrt(t): about 13% per quarter
    assert flat == 0 and 0.1 < falling < 0.2
    assert DE['plateau'](steps[:60], np.ones(60)) is None             # shorter than four windows: undecided

def test_nn_rmse_finds_the_copy():
    ref = torch.rand(5, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    x = torch.cat([ref[2:3], ref[4:5] + 0.1])
    d = DE['nn_rmse'](x, ref)
    assert d[0] < 1e-6 and abs(float(d[1]) - 0.1) < 1e-4

def test_quick_run_writes_the_runs_list(tmp_path):
    out, work = tmp_path / 'de.json', tmp_path / 'work'
    cmd = [sys.executable, str(REPO / 'benchmarks' / 'data_efficiency.py'), 'all', '--quick', '--sizes', '16,64',
           '--workdir', str(work), '--out', str(out), '--threads', '1']
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text())
    assert {(x['kind'], x['n_train']) for x in res['runs']} == {('patch', 16), ('whole', 16), ('patch', 64), ('whole', 64)}
    for x in res['runs']:
        assert {'kind', 'n_train', 'steps', 'plateau', 'psnr', 'memorisation', 'tuned'} <= set(x) and x['steps'] == 6
        assert len(x['psnr']['ct64_20']) == len(x['psnr']['ct64_8']) == 2 and all(10 < p < 60 for p in x['psnr']['ct64_20'])
        assert x['tuned']['ct64_20']['sigma_max'] in res['sigma_max_grid'] and x['tuned']['ct64_20']['sigma_y'] in res['sigma_y_grid']
    assert {'16', '64', 'gap_16_minus_gap_64'} <= set(res['gaps']['ct64_20'])
    # a second call resumes: nothing is retrained past the step budget
    log = (work / 'patch_16' / 'log.jsonl').read_text()
    r = subprocess.run([*cmd[:2], 'train', *cmd[3:]], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0 and (work / 'patch_16' / 'log.jsonl').read_text() == log

def test_bad_run_name_is_one_clear_error():
    r = subprocess.run([sys.executable, str(REPO / 'benchmarks' / 'data_efficiency.py'), 'train', '--runs', 'patch16'],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and 'kind_size' in r.stderr and 'Traceback' not in r.stderr
