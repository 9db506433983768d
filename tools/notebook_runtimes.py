"""How long each notebook runs top to bottom, headless, as a student's 2-core laptop would run it.

Each notebook runs in a fresh Jupyter kernel under nbclient (what `jupyter nbconvert --execute` uses), every cell
included (`#| slow` ones too; not the hidden `nbdev_export()` cell, which would rewrite padis_nb/), with
OMP_NUM_THREADS (torch's and numpy's thread count) set to --threads, progress bars on, and nothing is written back
to the notebook. Per notebook the JSON gets the wall seconds, the slowest cells and the longest *idle
wait*: the time nbclient spent on a cell beyond what the kernel was busy with it (a stall after widget output shows
there; see tests/test_headless.py). The file also records the machine (CPU, cores, load average before and after,
memory), the date, the git commit and the command. Results are merged into the existing file, so a subset can be
re-measured.

    python tools/notebook_runtimes.py                          # every notebook in nbs/
    python tools/notebook_runtimes.py nbs/10_ct_tutorial.ipynb # one notebook (merged into the JSON)
    python tools/notebook_runtimes.py --stamp [notebooks]      # write each (or these) notebook's runtime line from the JSON
"""
import argparse, datetime, json, os, platform, re, subprocess, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / 'benchmarks' / 'results' / 'notebook_runtimes.json'
STAMP = '**Runtime:**'   # the first words of the line `--stamp` writes into each notebook, right under its title


def _ts(s):
    "An ISO timestamp of a kernel message as seconds since the epoch (None when absent)."
    if not s: return None
    return datetime.datetime.fromisoformat(str(s).replace('Z', '+00:00')).timestamp()


def run_notebook(path, threads: int = 2, timeout: int = 1800, kernel: str = 'python3') -> dict:
    """Execute the notebook at `path` in a fresh kernel (cwd: its folder), outputs not saved. Returns seconds (wall),
    kernel_cpu_seconds (CPU time of the kernel and its child processes, which other work on the machine does not
    inflate), ok, error (the first line of a failure), the slowest cells and `max_idle_s`: the longest time nbclient waited on a
    cell after the kernel had gone idle (or before it went busy), with that cell's first line."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:   # the hidden `nbdev_export()` cell would rewrite padis_nb/ from the notebooks: not run here
        if c.cell_type == 'code' and 'nbdev_export()' in c.source:
            c.metadata.setdefault('tags', []).append('skip-execution')
    env_keep = {k: os.environ.get(k)
                for k in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'MPLBACKEND', 'OMP_WAIT_POLICY', 'TQDM_DISABLE')}
    os.environ.pop('TQDM_DISABLE', None)   # progress bars as a student sees them (90_cli checks that they show)
    os.environ.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads),
                      OMP_WAIT_POLICY='PASSIVE')   # idle threads sleep: on a shared machine spinning would count as CPU time
    os.environ.pop('MPLBACKEND', None)   # the kernel's inline backend, as in JupyterLab
    cells, t_cell = [], {}

    def start(cell, cell_index, **kw): t_cell[cell_index] = time.time()

    def done(cell, cell_index, **kw):
        wall = time.time() - t_cell[cell_index]
        m = cell.metadata.get('execution', {})
        busy, idle = _ts(m.get('iopub.status.busy')), _ts(m.get('iopub.status.idle'))
        kernel_s = (idle - busy) if busy and idle else None
        first = next((l for l in cell.source.splitlines() if l.strip() and not l.startswith('#|')), '')
        cells.append(dict(index=cell_index, first_line=first[:80], seconds=round(wall, 2),
                          idle_s=round(max(wall - kernel_s, 0), 2) if kernel_s is not None else None))
        kernel_cpu()

    cpu = {}

    def kernel_cpu():   # the kernel's CPU seconds so far (its children too), read after every cell
        try:
            import psutil
            k = psutil.Process(client.km.provisioner.process.pid)
            cpu['s'] = sum(k.cpu_times()[:4]) + sum(sum(p.cpu_times()[:2]) for p in k.children(recursive=True))   # + reaped children
        except Exception: pass   # no psutil, or a kernel that is not a local process

    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, record_timing=True, allow_errors=False,
                            skip_cells_with_tag='skip-execution',
                            resources={'metadata': {'path': str(path.parent)}},
                            on_cell_start=start, on_cell_executed=done)
    t0, error = time.time(), None
    try: client.execute()
    except (CellExecutionError, CellTimeoutError) as e: error = str(e).strip().splitlines()[-1][:300]
    except Exception as e: error = f'{type(e).__name__}: {str(e).strip()[:300]}'
    finally:
        for k, v in env_keep.items():
            if v is None: os.environ.pop(k, None)
            else: os.environ[k] = v
    seconds = time.time() - t0
    idle = max((c for c in cells if c['idle_s'] is not None), key=lambda c: c['idle_s'], default=None)
    return dict(seconds=round(seconds, 1), kernel_cpu_seconds=round(cpu['s'], 1) if 's' in cpu else None,
                ok=error is None, error=error, cells=len(cells),
                slowest=sorted(cells, key=lambda c: -c['seconds'])[:3],
                max_idle_s=idle['idle_s'] if idle else 0.0, max_idle_cell=idle['first_line'] if idle else None)


def machine() -> dict:
    "What the numbers were measured on."
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
    mem = next((int(l.split()[1]) // 1024 for l in open('/proc/meminfo') if l.startswith('MemTotal')), None)
    return dict(cpu=cpu, cores=os.cpu_count(), memory_mb=mem, python=platform.python_version(), system=platform.platform())


def human(s: float) -> str:
    "Seconds as a reader says them: '40 seconds', 'about 3 minutes', 'about 1 hour 10 minutes'."
    if s < 55: return f'{max(5, round(s / 5) * 5):.0f} seconds'
    m = round(s / 60)
    return f'about {m} minute{"s" * (m != 1)}' if m < 60 else f'about {m // 60} hour {m % 60} minutes'


def stamp_line(r: dict, loaded: bool) -> str:
    """The one line a notebook states at its top. On a loaded machine the wall time says more about the other work than
    about the notebook, so the line gives the kernel's CPU time (what the notebook itself needs: on a free 2-core laptop
    with 2 threads it runs in about that time, less where torch uses both cores) and the wall time it took there."""
    est = r.get('kernel_cpu_seconds') if loaded and r.get('kernel_cpu_seconds') else r['seconds']
    short = lambda s: human(s).replace('about ', '').replace(' seconds', ' s').replace(' minutes', ' min').replace(' minute', ' min')
    where = f"{short(r['seconds'])} on a loaded shared one" if loaded else 'measured on a free one'
    return (f"{STAMP} {'about ' * ('about' in human(est))}{short(est)} top to bottom on a 2-core laptop ({where}; "
            f"`tools/notebook_runtimes.py`, {r['date'][:10]}).")


def stamp(nb_path: Path, line: str):
    "Put `line` right under the notebook's title cell (replacing an earlier runtime line); keep the file's format."
    nb = json.loads(nb_path.read_text())
    cells = nb['cells']
    src = lambda c: ''.join(c['source'])
    old = [i for i, c in enumerate(cells) if c['cell_type'] == 'markdown' and src(c).startswith(STAMP)]
    if old: cells[old[0]]['source'] = [line]
    else:
        title = next(i for i, c in enumerate(cells) if c['cell_type'] == 'markdown' and src(c).lstrip().startswith('# '))
        cells.insert(title + 1, dict(cell_type='markdown', id='runtime0', metadata={}, source=[line]))
    nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('notebooks', nargs='*', type=Path, help='notebooks to run (default: every nbs/*.ipynb)')
    ap.add_argument('--threads', type=int, default=2, help='OMP_NUM_THREADS of each kernel (a 2-core laptop: 2)')
    ap.add_argument('--timeout', type=int, default=1800, help='seconds one cell may take')
    ap.add_argument('--out', type=Path, default=OUT)
    ap.add_argument('--stamp', action='store_true', help='only write the runtime line of each measured notebook (or of the notebooks given)')
    a = ap.parse_args()
    res = json.loads(a.out.read_text()) if a.out.exists() else dict(notebooks={})
    if a.stamp:
        only = {p.name for p in a.notebooks}
        for name, r in res['notebooks'].items():
            if only and name not in only: continue
            if r.get('ok') and (REPO / 'nbs' / name).exists():
                stamp(REPO / 'nbs' / name, stamp_line(r, r['load_before'] > 0.5 * r['threads'] or r['load_after'] > 0.5 * r['threads']))
        return
    nbs = a.notebooks or sorted((REPO / 'nbs').glob('[!_.]*.ipynb'))
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=REPO, capture_output=True, text=True).stdout.strip()
    res.update(machine=machine(), about=__doc__.split('\n\n')[1].replace('\n', ' '))
    for p in nbs:
        load0 = os.getloadavg()[0]
        r = run_notebook(p.resolve(), a.threads, a.timeout)
        r.update(threads=a.threads, load_before=round(load0, 2), load_after=round(os.getloadavg()[0], 2),
                 date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'), commit=commit,
                 command=f'python tools/notebook_runtimes.py {p.relative_to(REPO) if p.is_absolute() else p} --threads {a.threads}')
        res['notebooks'][p.name] = r
        res['notebooks'] = dict(sorted(res['notebooks'].items()))
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(res, indent=1) + '\n')   # after every notebook: a long run keeps what it measured
        print(f"{p.name}: {r['seconds']:.0f} s, ok={r['ok']}, max idle {r['max_idle_s']} s"
              f"{' (' + r['error'] + ')' if r['error'] else ''}", flush=True)


if __name__ == '__main__': main()
