"""Give finished table parts written before parts recorded their dependencies (solver settings, TV weights, prior files)
that record, and split their rows into the row cache (`table_parts/rows/<section>/`), so a later run reuses them.

This certifies that the named parts were computed with the settings and priors in the code now, except for what
`--ran_with` states: a solver setting as it was when the part ran (`ct.ve-dps.zeta=1.8`), so that the rows it touches
get a record that no longer matches and are recomputed. Run it only for parts whose settings you know (the note of the
run says which). A part that already has the record is left alone.

    .venv/bin/python benchmarks/adopt_parts.py --parts benchmarks/results/table_parts ood_ct20 ood_ct8
    .venv/bin/python benchmarks/adopt_parts.py --parts ... --ran_with ct.ve-dps.zeta=1.8 --ran_with ct.ve-dps.n_inner=2 main_ct20
"""
import argparse, json, runpy, sys
from pathlib import Path
from padis_nb.core import write_json
from padis_nb import tasks

T = runpy.run_path(str(Path(__file__).parent / 'table.py'))

def adopt(parts, name, targs):
    "Rewrite part `name` in `parts` with its full record; write its rows to the row cache. Returns what it did."
    fn, kw = T['table_sections'](**targs)[name]
    f = Path(parts) / f'{name}.json'; part = json.loads(f.read_text())
    if len(part['args']) == 3: return f'{name}: already has its record'
    if part['args'] != json.loads(json.dumps([fn.__name__, kw])): sys.exit(f"adopt_parts.py: error: {name} was run with other arguments")
    if fn is T['main_task']:
        rows = T['_section_rows'](kw['tname'], kw['quick'], kw.get('n_images', 10), kw.get('real', False))
        for row, (_, cfg) in rows.items():
            r = part['result'].get(row)
            if r is not None and 'same_as' not in r: write_json(Path(parts) / 'rows' / name / f'{row}.json', dict(config=cfg, result=r))
    write_json(f, {**part, 'args': T['_record'](fn, kw), 'adopted': True})
    return f'{name}: adopted'

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('sections', nargs='+'); ap.add_argument('--parts', required=True)
    ap.add_argument('--ran_with', action='append', default=[], help='TASK.SOLVER.KEY=JSON: a solver setting as the parts ran')
    ap.add_argument('--n_images', type=int, default=10); ap.add_argument('--train_minutes', type=float, default=20.0)
    ap.add_argument('--train_steps', type=int, default=None); ap.add_argument('--workdir', default='runs/data_efficiency')
    a = ap.parse_args()
    targs = dict(quick=False, n_images=a.n_images, train_minutes=a.train_minutes, workdir=a.workdir, train_steps=a.train_steps)
    for p in a.ran_with:             # a task's solver settings as the parts ran (the CT tasks share one dict, so do the others)
        try: (task, solver, key), value = p.split('=', 1)[0].split('.'), json.loads(p.split('=', 1)[1])
        except ValueError: sys.exit(f"adopt_parts.py: error: --ran_with {p!r} is not TASK.SOLVER.KEY=JSON")
        solvers = tasks.get_task(task).solvers
        solvers[solver] = {**solvers[solver], key: value}
    for s in a.sections: print(adopt(a.parts, s, targs))
