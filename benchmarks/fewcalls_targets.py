"""Few network calls, the targets (issue 24): the best DiffPIR point of each setting's validation grid
(benchmarks/results/tuning/fewcalls_<setting>.json) at each budget of --nfe, measured against 100-call VE-DDNM with
`padis_nb.bench.bench_fewcalls` on the bundled test image(s) and, for CT, the real test slices. Writes one JSON with a
run per budget. Until the few-call default is switched on in padis_nb.tasks (with the table re-run), this is how the
candidates are measured; afterwards `padis bench fewcalls` measures the default itself.

    .venv/bin/python benchmarks/fewcalls_targets.py --settings ct20,deblur,sr4 --nfe 10,30,50 --out benchmarks/results/fewcalls.json
"""
import argparse, json, sys
from pathlib import Path
import torch
from padis_nb.bench import bench_fewcalls
from padis_nb.core import write_json

def candidate(setting, nfe):
    "`reconstruct` keywords of the best validation point at `nfe` calls of the setting's few-call grid."
    grid = json.loads(Path(f'benchmarks/results/tuning/fewcalls_{setting}.json').read_text())
    best = grid['choice']['best_per_nfe'][str(nfe)]['point']
    return dict(best, steps=nfe)

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--settings', default='ct20,deblur,sr4')
    ap.add_argument('--nfe', default='30,50')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    try: res = json.loads(Path(a.out).read_text())
    except (OSError, ValueError): res = dict(runs={})
    res['command'] = 'python ' + ' '.join(sys.argv)
    for setting in a.settings.split(','):
        for nfe in map(int, a.nfe.split(',')):
            key = f'{setting}@{nfe}'
            if key in res['runs']: continue                     # resumable
            r = bench_fewcalls(progress=False, candidates={setting: candidate(setting, nfe)})
            res['runs'][key] = dict(r['settings'][setting], threads=r['threads'], machine=r['machine'])
            s = res['runs'][key]
            print(key, json.dumps({k: s[k] for k in ('mean_gap_db', 'speedup', 'nfe', 'ref_nfe', 'targets_met')}), flush=True)
            write_json(a.out, res, overwrite=True)
