"""benchmarks/real_ct.py (issue 23): tuned on the real validation slices, scored on the real test slices, the JSON
keeps per-image values and a paired interval; a bad setting name is one clear error."""
import json, subprocess, sys
from pathlib import Path
from padis_nb.data import REAL_CT_SPLITS

REPO = Path(__file__).parents[1]
SCRIPT = str(REPO / 'benchmarks' / 'real_ct.py')

def test_quick_run_tunes_on_val_and_reports_test(tmp_path):
    out = tmp_path / 'r.json'
    r = subprocess.run([sys.executable, SCRIPT, '--prior', 'ct128', '--size', '56', '--settings', 'ct20', '--quick',
                        '--threads', '1', '--out', str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    s = json.loads(out.read_text())['settings']['ct20']
    val = {files[0] for files in REAL_CT_SPLITS['val'].values()}
    test = {files[0] for files in REAL_CT_SPLITS['test'].values()}
    assert set(s['val_images']) == val and set(s['test_images']) == test and not val & test
    t = s['test']
    assert len(t['padis']) == len(t['tv']) == len(test) and all(15 < v < 60 for v in t['padis'] + t['tv'])
    assert t['padis_minus_tv']['n'] == len(test) and t['padis_minus_tv']['verdict'] in ('tie', 'better', 'worse')
    assert s['tuning']['chosen']['tv_weight'] in (3e-4, 1e-3)

def test_unknown_setting_is_one_clear_error():
    r = subprocess.run([sys.executable, SCRIPT, '--prior', 'ct128', '--settings', 'ct30', '--out', '/tmp/never.json'],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and 'unknown setting' in r.stderr and 'Traceback' not in r.stderr
