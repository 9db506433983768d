"""The benchmark table (benchmarks/results/table.json, .md, .png): its sections, running them, and its Markdown and chart.

Every quality number comes from `padis_nb.tasks.evaluate` (simulate -> solve -> score, per image); the memory section is
`padis_nb.bench.bench_memory`. Sections run one after another in this process, or `jobs` at a time, each in its own
worker process (this script run with `--section NAME`, the cores split between the workers); the two timing sections
always run alone, after the others. Each finished section is saved in `<out dir>/table_parts/<name>.json` and reused
when the same command runs again (resume after a kill). A part records its arguments and what its numbers depend on
(solver settings, TV weights, prior files); one that differs is recomputed, and its rows whose own settings did not
change are read back from `table_parts/rows/`.

    .venv/bin/python benchmarks/table.py --quick --out /tmp/t/table.json          # what CI runs (tests/test_bench.py)
    .venv/bin/python benchmarks/table.py --jobs 2 --out benchmarks/results/table.json
    .venv/bin/python benchmarks/table.py --dry_run --out benchmarks/results/table.json   # the sections, nothing run
    .venv/bin/python benchmarks/table.py --section main_ct64_20 --parts DIR --threads 1 ...   # one section (a worker)
"""
import argparse, functools, inspect, json, os, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
import numpy as np
import torch
from tqdm.auto import tqdm
import padis_nb
from padis_nb.core import PadisError, write_json, paired_ci, file_sha256
from padis_nb.tasks import SETTINGS, get_setting, get_task, setting_data, solver_settings, evaluate, reconstruct
from padis_nb.data import real_ct
from padis_nb.patches import PatchGeometry
from padis_nb.priors import load_prior, resolve_prior
from padis_nb.probes import BENCH_NET
from padis_nb.bench import bench_memory
from padis_nb.memory import machine_info

# CT at 64x64 (task ct64: recipe-v2 slices measured from their 4x finer images, noiseless and at 1e4 photons per ray),
# then the paper's two natural-image settings. The 128x128 settings of tasks.SETTINGS serve the tutorials.
TABLE_SETTINGS = ('ct64_20', 'ct64_8', 'ct64_20_I1e4', 'ct64_8_I1e4', 'deblur', 'sr4')
REF = 'ct64_20'   # the setting of the NFE curve, the solver timings and the inference patch sizes
REAL_SETTINGS = TABLE_SETTINGS[:4]   # the real CT test slices (data.REAL_CT_SPLITS['test']) in each CT setting
OOD_ROWS = ('baseline', 'tv', 'padis', 'whole', 'no_pos')
SOLVER_NAMES = ('langevin', 'pc', 've-dps', 'ddnm')
TIMING_SECTIONS = ('memory', 'solvers')
DATA_EFFICIENCY = Path(__file__).parent / 'results' / 'data_efficiency.json'   # benchmarks/data_efficiency.py judge

@functools.lru_cache(None)
def other_patch_sizes(tname):
    "Inference patch sizes of the Table 4 analogue: the smallest and largest sides (>= 8) that give the prior's own pad."
    cfg = load_prior(get_setting(tname).prior).config
    N, P, pad = cfg['image_size'], cfg['patch_size'], cfg['pad']
    ok = [q for q in range(8, N) if q != P and PatchGeometry(N, q).pad == pad]
    return tuple(sorted({ok[0], ok[-1]})) if ok else ()

# ---------------------------------------------------------------- the sections

def table_rows(tname):
    "Row name -> `tasks.evaluate` keyword arguments for the table setting `tname`."
    s = get_setting(tname)
    rows = {'baseline': dict(method='baseline'), 'tv': dict(method='tv'), 'padis': {}, 'ddnm': dict(solver='ddnm')}
    # the paper's four problems also get its other samplers and the stitching ablations; low dose (our addition) keeps
    # the tuned DDNM reference, so every solver in a row is tuned for that row's noise (tuning/ct64_20_I1e4.json)
    if s.photons is None:
        rows.update(langevin=dict(solver='langevin'), pc=dict(solver='pc'), ve_dps=dict(solver='ve-dps'),
                    averaging=dict(denoiser='average'), tiling=dict(denoiser='fixed'), ring_zero=dict(ring='zero'))
    rows.update({row: dict(prior=p) for row, p in get_task(s.task).ablations.items()})   # ct: whole, no_pos
    if tname == REF: rows.update({f'patch_{p}': dict(patch_size=p) for p in other_patch_sizes(tname)})
    return rows

def summarise(per):
    "Means of a row's per-image values, with the per-image lists kept."
    return {**{k: round(float(np.mean(v)), 4) for k, v in per.items()}, 'n': len(per['psnr']), 'per_image': per}

@functools.lru_cache(None)
def prior_sha(name):
    "sha256 of a bundled prior's file: a row's numbers depend on the weights, not on the name."
    return file_sha256(resolve_prior(name))

def row_config(tname, kw, images, quick=False):
    """Everything a table row's numbers depend on besides the code: the setting, the method and its keywords, the resolved
    solver settings, TV weight, `reconstruct`'s defaults (ring, denoiser), the prior file's sha256 and which images."""
    s = get_setting(tname)
    method = kw.get('method', 'padis')
    cfg = dict(setting=tname, spec=s.spec, method=method, kw={k: v for k, v in kw.items() if k != 'method'}, images=images, quick=quick)
    if method == 'tv': cfg['tv_weight'] = s.tv_weight
    if method == 'padis':
        solver, settings = solver_settings(tname, kw.get('solver'), kw.get('prior'))
        cfg.update(solver=solver, settings=settings, prior_sha256=prior_sha(kw.get('prior') or s.prior),
                   defaults={k: v.default for k, v in inspect.signature(reconstruct).parameters.items()
                             if v.default is not inspect.Parameter.empty and isinstance(v.default, (str, int, float, type(None)))})
    return json.loads(json.dumps(cfg, sort_keys=True))

def _section_rows(tname, quick=False, n_images=10, real=False):
    "Row name -> (`evaluate` keywords, `row_config`) of a main or real-CT section."
    rows = table_rows(tname)
    if real: rows = {k: v for k, v in rows.items() if k in OOD_ROWS}
    images = 'real_ct_test' if real else dict(split='test', n=1 if quick else n_images)
    return {name: (kw, row_config(tname, kw, images, quick)) for name, kw in rows.items()}

def main_task(tname, quick=False, n_images=10, progress=True, real=False, cache=None):
    """Every row of the table setting `tname` on the same test images, noise and seeds (`real`: on the real CT test
    slices of `data.REAL_CT_SPLITS`, measured from their 4x finer images, rows `OOD_ROWS` only, with the settings tuned on
    phantom validation slices). Each row keeps its per-image values. With `cache` (a folder) each finished row is saved
    there with its `row_config`, and a row whose config is unchanged is read back instead of recomputed."""
    if tname not in TABLE_SETTINGS: raise PadisError(f"unknown table setting {tname!r}; choose from {list(TABLE_SETTINGS)}")
    rows = _section_rows(tname, quick, n_images, real)
    if real: xs, fine, names = real_ct('test', get_task(get_setting(tname).task).image_size, finer=get_setting(tname).finer)
    else: (xs, fine), names = setting_data(tname, 1 if quick else n_images, 'test'), None
    default, out = solver_settings(tname)[0], {}
    for name, (kw, cfg) in tqdm(rows.items(), desc=tname, disable=not progress):
        if kw == dict(solver=default) and 'padis' in out: out[name] = dict(out['padis'], same_as='padis'); continue
        f = Path(cache) / f'{name}.json' if cache else None
        try: hit = json.loads(f.read_text()) if f else None
        except (OSError, ValueError): hit = None
        if hit and hit.get('config') == cfg: out[name] = hit['result']; continue
        out[name] = summarise(evaluate(tname, xs=xs, xs_fine=fine, **{'method': 'padis', **kw},
                                       **(dict(steps=3, tv_iters=50) if quick else {})))
        if f: write_json(f, dict(config=cfg, result=out[name]), overwrite=True)
    return dict(out, images=names) if real else out

def nfe_curve(quick=False, n_images=3, calls=(10, 20, 30, 50, 100), progress=True):
    "Quality and time of the default solver of `REF` against the number of network calls."
    calls = (2, 4) if quick else calls
    (xs, fine), prior = setting_data(REF, 1 if quick else n_images), load_prior(get_setting(REF).prior)
    return {str(c): summarise(evaluate(REF, xs=xs, xs_fine=fine, prior=prior, steps=c))
            for c in tqdm(calls, desc='nfe curve', disable=not progress)}

def vedps_paper(quick=False):
    """VE-DPS as the paper runs it (100 levels x 10 inner steps, the step zeta / ||y - A D(x)||, sigma from 10), with the
    zeta chosen on validation slices by benchmarks/tune_vedps_paper.py (the paper's 0.3 in quick mode)."""
    f = Path(__file__).parent / 'results' / 'tuning' / f'vedps1000_{REF}.json'
    if quick: zeta = 0.3
    elif not f.exists(): raise PadisError(f"{f} is missing: run python benchmarks/tune_vedps_paper.py --setting {REF}")
    else: zeta = json.loads(f.read_text())['best']['zeta']
    return dict(solver='ve-dps', steps=5 if quick else 100, n_inner=2 if quick else 10, step='dps', sigma_max=10.0,
                sigma_min=0.002, eps=0.5, zeta=zeta)

def _paper_or_none(quick):
    "`vedps_paper`, or None before its zeta is tuned (a section's record must not fail where its run would)."
    try: return vedps_paper(quick)
    except PadisError: return None

def _solver_runs(quick):
    "Run name -> `evaluate` arguments of `bench_solvers`: the paper's 1000-call VE-DPS and Langevin, then every default."
    lv, default = 5 if quick else 100, solver_settings(REF)[0]
    runs = {'ve-dps_paper': vedps_paper(quick), 'langevin_1000': dict(solver='langevin', steps=lv, n_inner=10),
            'default': dict(solver=default, **({'steps': 10} if quick else {}))}
    runs.update({f'{s}_default': dict(solver=s, **({'steps': 5} if quick else {})) for s in SOLVER_NAMES if s != default})
    return runs

def bench_solvers(quick=False, n_images=3, threads=None, progress=True):
    """Seconds, network calls and quality of `REF` solves on the same test slices: the paper's 1000-call VE-DPS and
    Langevin, and each solver's defaults; per-image PSNR and the paired interval of each against the default."""
    if threads: torch.set_num_threads(threads)
    n_images = 1 if quick else n_images
    (xs, fine), out, seen = setting_data(REF, n_images, 'test'), {}, {}
    for name, kw in tqdm(_solver_runs(quick).items(), disable=not progress, desc='solvers'):
        cfg = {**solver_settings(REF, kw['solver'])[1], **kw}
        key = json.dumps(cfg, sort_keys=True)
        if key in seen: out[name] = dict(out[seen[key]], same_as=seen[key]); continue   # identical settings: not re-run
        seen[key] = name
        per = evaluate(REF, xs=xs, xs_fine=fine, **kw)
        out[name] = dict(solver=kw['solver'], nfe=per['nfe'][0], seconds=round(float(np.mean(per['seconds'])), 1),
                         psnr=round(float(np.mean(per['psnr'])), 2), ssim=round(float(np.mean(per['ssim'])), 4),
                         per_image=per['psnr'], settings={k: v for k, v in cfg.items() if k not in ('solver', 'steps')})
    for name, r in out.items():
        if name != 'default' and n_images >= 2: r['minus_default'] = paired_ci(r['per_image'], out['default']['per_image'])
    return dict(task=REF, n_images=n_images, split='test', solvers=out, machine=machine_info())

def data_efficiency_result():
    """The converged data-efficiency study (benchmarks/data_efficiency.py, which trains for hours: the table restates its
    committed JSON rather than re-running it), or None where it has not been judged yet."""
    return json.loads(DATA_EFFICIENCY.read_text()) if DATA_EFFICIENCY.exists() else None

def table_sections(quick=False, n_images=10):
    "The table's sections, name -> (function, kwargs), longest first; the timing sections (`TIMING_SECTIONS`) last."
    main = lambda t: (main_task, dict(tname=t, quick=quick, n_images=n_images))
    ct = [t for t in TABLE_SETTINGS if get_task(get_setting(t).task).data == 'ct']
    s = {f'main_{t}': main(t) for t in ct}
    s.update({f'ood_{t}': (main_task, dict(tname=t, quick=quick, real=True)) for t in REAL_SETTINGS})
    s.update({f'main_{t}': main(t) for t in TABLE_SETTINGS if t not in ct})
    s.update(nfe_curve=(nfe_curve, dict(quick=quick)), memory=(bench_memory, dict(quick=quick)),
             solvers=(bench_solvers, dict(quick=quick)))
    return s

def _depends(fn, kw):
    "What a section's numbers depend on besides its arguments and the code: row configs, solver settings, prior files."
    if fn is main_task: return {k: c for k, (_, c) in _section_rows(kw['tname'], kw['quick'], kw.get('n_images', 10), kw.get('real', False)).items()}
    if fn in (nfe_curve, bench_solvers):
        return dict(solvers={s: solver_settings(REF, s) for s in SOLVER_NAMES}, default=solver_settings(REF)[0],
                    prior_sha256=prior_sha(get_setting(REF).prior), paper=_paper_or_none(kw['quick']))
    return dict(net=BENCH_NET)

def _record(fn, kw):
    "What a part file records of its section (and what a resumed run compares): [function name, kwargs, what it depends on]."
    return json.loads(json.dumps([fn.__name__, kw, _depends(fn, kw)]))

def run_section(name, fn, kw, parts_dir, progress=True):
    "Run one section and save its result, arguments and seconds to parts_dir/<name>.json."
    t = time.time()
    r = fn(**kw, progress=progress, **({'cache': str(Path(parts_dir) / 'rows' / name)} if fn is main_task else {}))
    write_json(Path(parts_dir) / f'{name}.json', dict(args=_record(fn, kw), seconds=round(time.time() - t, 1), result=r), overwrite=True)
    if progress: tqdm.write(f"  {name}: {time.time() - t:.0f} s")

def _is_done(parts_dir, name, fn, kw):
    "Whether parts_dir holds a finished part of this section with the same arguments (a damaged part is recomputed)."
    try: part = json.loads((Path(parts_dir) / f'{name}.json').read_text())
    except (OSError, ValueError): return False
    return isinstance(part, dict) and 'result' in part and part.get('args') == _record(fn, kw)

def _worker(name, parts_dir, threads, targs):
    "Run section `name` in a worker process: this script with --section; returns None or its last error line."
    cmd = [sys.executable, __file__, '--section', name, '--parts', str(parts_dir), '--threads', str(threads), *_argv(targs)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return None if r.returncode == 0 else f"{name}: {(r.stderr.strip().splitlines() or [f'exit {r.returncode}'])[-1]}"

def _run_sections(todo, parts_dir, jobs, progress, targs):
    "Run the sections of `todo` (name -> (fn, kw)): in this process when `jobs` is 1, else `jobs` worker processes at a time."
    if jobs == 1:                                            # in this process, so Ctrl-C stops at once
        for name, (fn, kw) in tqdm(todo.items(), desc='table sections', disable=not progress): run_section(name, fn, kw, parts_dir, progress)
        return
    n_cpu = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else (os.cpu_count() or 1)
    with ThreadPoolExecutor(jobs) as ex:
        futs = [ex.submit(_worker, name, parts_dir, max(1, n_cpu // jobs), targs) for name in todo]
        failed = [f.result() for f in tqdm(as_completed(futs), total=len(futs), desc='table sections', disable=not progress)]
    failed = [f for f in failed if f]
    if failed: raise PadisError(f"{len(failed)} table section(s) failed (finished ones are kept in {parts_dir}): {'; '.join(failed)}")

def _assemble(r, quick, jobs, reused, seconds):
    "The table's JSON from the section results `r` (name -> result), in the committed table.json layout."
    return dict(mode='quick' if quick else 'full', tasks={t: r[f'main_{t}'] for t in TABLE_SETTINGS},
                real_ct={k[4:]: v for k, v in r.items() if k.startswith('ood_')}, nfe_curve=r['nfe_curve'],
                data_efficiency=data_efficiency_result(), memory=r['memory'], solvers=r['solvers'], jobs=jobs,
                reused=reused, section_seconds=seconds,
                versions=dict(padis_nb=padis_nb.__version__, torch=torch.__version__, numpy=np.__version__), machine=machine_info())

def bench_table(quick=False, out_dir=None, n_images=10, jobs=1, progress=True):
    """Everything: main table, real CT, NFE curve, memory and solver timings, and the committed data-efficiency study.
    Returns the JSON dict and writes table.md and table.png to `out_dir`; finished sections are kept in
    out_dir/table_parts/ and reused."""
    if jobs < 1: raise PadisError(f"jobs must be at least 1, got {jobs}")
    t, work = time.time(), Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix='padis_table_'))
    parts_dir = work / 'table_parts'; parts_dir.mkdir(parents=True, exist_ok=True)
    targs = dict(quick=quick, n_images=n_images)
    sections = table_sections(**targs)
    todo = {k: v for k, v in sections.items() if not _is_done(parts_dir, k, *v)}
    _run_sections({k: v for k, v in todo.items() if k not in TIMING_SECTIONS}, parts_dir, jobs, progress, targs)
    _run_sections({k: v for k, v in todo.items() if k in TIMING_SECTIONS}, parts_dir, 1, progress, targs)
    parts = {k: json.loads((parts_dir / f'{k}.json').read_text()) for k in sections}
    res = _assemble({k: v['result'] for k, v in parts.items()}, quick, jobs, sorted(set(sections) - set(todo)),
                    {k: v['seconds'] for k, v in parts.items()})
    res['seconds'] = round(time.time() - t, 1)
    if out_dir:
        (work / 'table.md').write_text(table_markdown(res))
        plot_table(res, work / 'table.png')
    return res

# ---------------------------------------------------------------- Markdown, verdicts and the chart

COMPARISONS = [('padis', 'tv'), ('padis', 'baseline'), ('padis', 'whole'), ('padis', 'no_pos'), ('padis', 'tiling'),
               ('padis', 'averaging'), ('padis', 'ring_zero'), ('ve_dps', 'baseline'), ('ve_dps', 'tv')]

def table_verdicts(tasks, key='psnr', conf=0.95):
    "Paired differences (same images) of the `COMPARISONS` present in each setting, with their interval and verdict."
    out = []
    for t, rows in tasks.items():
        for a, b in COMPARISONS:
            if a in rows and b in rows and rows[a].get('n', 0) >= 2 and 'per_image' in rows[a]:   # tables before per-image values: none
                out.append(dict(setting=t, a=a, b=b, metric=key, **paired_ci(rows[a]['per_image'][key], rows[b]['per_image'][key], conf)))
    return out

def _grid(tasks, fmt):
    "A Markdown table: one row per method, one column per setting."
    names = list(dict.fromkeys(r for t in tasks for r in tasks[t] if r != 'images'))
    lines = ['| method | ' + ' | '.join(tasks) + ' |', '|---|' + '---|' * len(tasks)]
    return lines + [f'| {r} | ' + ' | '.join(fmt(tasks[t][r]) if r in tasks[t] else '-' for t in tasks) + ' |' for r in names]

def basis(tname, n):
    "What a table column measures: the measurement, its simulation grid, the test images and their distinct sources."
    s, t = get_setting(tname), get_task(get_setting(tname).task)
    if t.data == 'ct':
        imgs = f"{n} recipe-{t.recipe or 'v1'} phantom slices ({t.image_size}x{t.image_size}, test seeds)"
    else: imgs = f"{n} crops of {n} distinct photos (data.NATURAL_SOURCES['test'])"
    return f"- **{tname}**: {s.about}; {imgs}; prior `{s.prior}`"

def table_markdown(res):
    "The tables as Markdown: PSNR/SSIM over the image and inside the object, the real CT slices, and the paired verdicts."
    out = _grid(res['tasks'], lambda r: f"{r['psnr']:.2f} / {r['ssim']:.3f}")
    out += ['', 'PSNR (dB) / SSIM over the whole image, mean over the test images. Each column:', '']
    out += [basis(t, rows['padis']['n']) for t, rows in res['tasks'].items() if t in SETTINGS and 'padis' in rows] + ['']
    out += _grid(res['tasks'], lambda r: f"{r['psnr_obj']:.2f} / {r['ssim_obj']:.3f}" if 'psnr_obj' in r else '-')
    out += ['', 'PSNR (dB) / SSIM inside the object (`core.object_mask`), same images.', '']
    if res.get('real_ct'):
        out += _grid(res['real_ct'], lambda r: ' / '.join(f"{v:.2f}" for v in r['per_image']['psnr']))
        out += ['', f"PSNR (dB) on each real CT slice ({', '.join(next(iter(res['real_ct'].values()))['images'])}).", '']
    out += ['| setting | comparison | PSNR difference (dB) | 95% interval | verdict |', '|---|---|---|---|---|']
    real = {f'{t} (real)': rows for t, rows in (res.get('real_ct') or {}).items()}
    out += [f"| {v['setting']} | {v['a']} - {v['b']} | {v['diff']:+.2f} | [{v['lo']:+.2f}, {v['hi']:+.2f}] | {v['verdict']} |"
            for v in table_verdicts({**res['tasks'], **real})]
    return '\n'.join(out) + '\n'

def plot_table(res, path):
    "Bar chart of PSNR per method and task, saved to `path`."
    import matplotlib.pyplot as plt
    tasks = list(res['tasks']); fig, axs = plt.subplots(1, len(tasks), figsize=(4 * len(tasks), 3.2), squeeze=False)
    for ax, t in zip(axs[0], tasks):
        names = [n for n in res['tasks'][t] if n != 'images']; vals = [res['tasks'][t][n]['psnr'] for n in names]
        ax.barh(names, vals, color=['tab:red' if n == 'padis' else 'tab:gray' for n in names]); ax.set_title(t); ax.set_xlabel('PSNR (dB)')
        ax.set_xlim(min(vals) - 2, max(vals) + 1)
    fig.tight_layout(); fig.savefig(path, dpi=90); plt.close(fig)

# ---------------------------------------------------------------- command line

def _argv(targs):
    "The command-line options of this script that give `table_sections` the arguments `targs`."
    return ['--n_images', str(targs['n_images'])] + (['--quick'] if targs['quick'] else [])

def _parser():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default='table.json', help='JSON file; table.md, table.png and table_parts/ go beside it')
    ap.add_argument('--quick', action='store_true'); ap.add_argument('--n_images', type=int, default=10)
    ap.add_argument('--jobs', type=int, default=1); ap.add_argument('--quiet', action='store_true')
    ap.add_argument('--section', help='run only this section (what a worker does)'); ap.add_argument('--parts')
    ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--dry_run', action='store_true', help='print the sections and their arguments; run and write nothing')
    ap.add_argument('--overwrite', action='store_true', help='accepted for the old `padis bench table` command lines: '
                    'the table always rewrites --out (finished sections are reused from table_parts/)')
    return ap

def dry_run(a):
    "What `--dry_run` prints: every section of the table with its function and arguments."
    secs = table_sections(a.quick, a.n_images)
    print(json.dumps(dict(out=a.out, quick=a.quick, jobs=a.jobs, sections={k: dict(fn=f.__name__, **kw) for k, (f, kw) in secs.items()}),
                     indent=1))
    print("dry run: nothing was run or written")

def main():
    a = _parser().parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    try:
        if a.n_images < 1: raise PadisError(f"--n_images must be at least 1, got {a.n_images}")
        if a.jobs < 1: raise PadisError(f"--jobs must be at least 1, got {a.jobs}")
        if a.dry_run: return dry_run(a)
        if a.section:
            fn, kw = table_sections(a.quick, a.n_images)[a.section]
            return run_section(a.section, fn, kw, a.parts, progress=False)
        out = Path(a.out); t = time.time()
        res = bench_table(a.quick, out.parent, a.n_images, a.jobs, not a.quiet)
        write_json(out, {**res, 'command': 'python ' + ' '.join(sys.argv), 'seconds': round(time.time() - t, 1)}, overwrite=True)
        print(f"wrote {out}")
    except PadisError as e: sys.exit(f"benchmarks/table.py: error: {e}")

if __name__ == '__main__': main()
