#!/usr/bin/env python
"""Build the padis_nb tutorial site from the notebooks in nbs/, without Quarto.

`nbdev_docs` renders the site with Quarto, using nbs/_quarto.yml, nbs/nbdev.yml and nbs/styles.css; use it
where Quarto is installed. This script makes a browsable static site where it is not (Quarto cannot be
installed on our machines), in four steps:

1. **nbdev processing.** Every notebook goes through nbdev's own docs pipeline, `FilterDefaults` (what
   `nbdev_proc_nbs` / `nbdev.serve.proc_nbs` run before `quarto render`): the title cell becomes front
   matter, `#| hide` cells go, `#| export` cells are dropped from the page and get `show_doc` entries,
   and what `show_doc` needs is executed to render the API docs: exported definitions, show_doc cells and
   imports. Nothing else runs: figures and printed results are the outputs saved in the notebooks. (nbdev
   also runs whole any cell that mixes imports with other code, which breaks when that code needs cells
   it does not run; here only such a cell's imports run. `--showdoc nbdev` does exactly what nbdev does.)
   The processed notebooks are written to `--proc` (default `_proc/`, the folder nbdev uses).
2. **What Quarto would do with them.** The front matter becomes the page title block; the `#|` cell
   options Quarto understands are applied (`echo: false` hides the code, `output: false` the outputs,
   `include: false` the cell) and stripped from the displayed code; Quarto link attributes
   (`[source](url){target="_blank"}`) become HTML; widgets, which need a kernel, become a short note (a
   tqdm progress bar keeps its text form).
3. **HTML.** nbconvert's `lab` HTML exporter (what `jupyter nbconvert --to html --embed-images` runs)
   converts each notebook with a small template that adds a top bar, a sidebar listing every page in
   course order (index, then 00_..., 01_..., ... by file name) and previous/next links. Output figures
   are base64 PNGs inside the page and images referenced from markdown are embedded too, so every page is
   a single self-contained file. MathJax is served from the site itself (copied from the
   `jupyter-server-mathjax` package), so pages make no request outside the site. Links to the nbdev docs
   host are made relative.
4. **Index.** `index.html` comes from nbs/index.ipynb when it exists, otherwise it is generated from
   settings.ini (title, description) with a table of contents. `site.json` lists every page.

Usage (from anywhere; paths default to the repository's settings.ini):

    python tools/build_site.py                      # -> _docs/ (and _proc/)
    python tools/build_site.py --out /tmp/site --proc /tmp/site_proc
    python -m http.server -d _docs 8000             # then open http://127.0.0.1:8000/

Exit status 1 if any notebook failed to process or convert (the others are still built), 0 otherwise.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import html
import json
import multiprocessing as mp
import os
import re
import shutil
import sys
import time
import traceback
from configparser import ConfigParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE_LABEL = "Course"


# ----------------------------------------------------------------------------------------------- helpers
def read_settings(repo: Path = REPO) -> dict:
    "The [DEFAULT] section of settings.ini as a dict."
    cp = ConfigParser(delimiters=["="])
    cp.read(repo / "settings.ini", encoding="utf-8")
    return dict(cp["DEFAULT"])


def find_notebooks(nbs: Path) -> list[Path]:
    "Notebooks of the site in course order: index first, then by file name; skips names starting with _ or ."
    nbs_ = [p for p in nbs.glob("*.ipynb") if not p.name.startswith(("_", "."))]
    return sorted(nbs_, key=lambda p: (p.stem != "index", p.name))


def page_name(nb: Path) -> str:
    "The HTML page of a notebook, named as nbdev/Quarto name it (00_core.ipynb -> core.html)."
    from nbdev.doclinks import _nbpath2html
    return _nbpath2html(Path(nb.name)).name


# --------------------------------------------------------------------------- step 1: nbdev processing
def _process_one(src: str, dst: str, showdoc: str, repo: str) -> dict:
    "Run nbdev's docs processors on one notebook (in a worker process); return its front matter or error."
    os.chdir(repo)  # nbdev finds settings.ini from the working directory
    os.environ["IN_TEST"] = "1"  # as nbdev.serve_drv does: notebooks can skip work while docs are built
    os.environ.setdefault("MPLBACKEND", "Agg")
    main_mod = sys.modules["__main__"]  # IPython's shell (used to run show_doc cells) replaces it; put it back
    try:
        import ast
        import warnings
        from execnb.nbio import read_nb, write_nb
        from fastcore.xtras import str2bool
        from nbdev.processors import FilterDefaults, _do_eval, _show_docs, exec_show_docs

        mixed = []

        class exec_show_docs_imports(exec_show_docs):
            """nbdev's `exec_show_docs`, except that of a cell mixing imports with other code only the imports
            run (nbdev runs the whole cell, which fails when it uses names from cells it does not run, and
            replaces its saved outputs). Exported cells, pure import cells and show_doc cells run as in nbdev."""
            def __call__(self, cell):
                if not self.nb.has_docs_ or not hasattr(self, "k"): return
                if str2bool(getattr(self.nb, "frontmatter_", {}).get("skip_showdoc", False)): return
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if not _do_eval(cell): return
                trees = cell.parsed_()
                imps = [t for t in trees if isinstance(t, (ast.Import, ast.ImportFrom))]
                if (cell.directives_.keys() & {"export", "exports", "exporti", "exec_doc"} or _show_docs(trees)
                        or len(imps) == len(trees)):
                    self.k.cell(cell)
                else:
                    mixed.append(cell.source.strip().splitlines()[0][:60])
                    self.k.run(ast.unparse(ast.Module(body=imps, type_ignores=[])))
                if self.k.exc:
                    raise Exception(f"Error in cell {cell.idx_} while rendering show_doc:\n{cell.source}") from self.k.exc

        class _Filter(FilterDefaults):
            def base_procs(self):
                procs = super().base_procs()
                if showdoc == "nbdev": return procs
                if showdoc == "off": return [p for p in procs if p is not exec_show_docs]
                return [exec_show_docs_imports if p is exec_show_docs else p for p in procs]

        nb = read_nb(src)
        _Filter()(nb)
        write_nb(nb, dst)
        return {"ok": True, "frontmatter": dict(getattr(nb, "frontmatter_", {}) or {}), "mixed_cells": mixed}
    except BaseException:  # report it; the build goes on with the other notebooks
        return {"ok": False, "error": traceback.format_exc(limit=6)}
    finally:
        sys.modules["__main__"] = main_mod


def process_notebooks(nbs: list[Path], proc: Path, workers: int, showdoc: str) -> dict[str, dict]:
    "nbdev-process `nbs` into `proc` in `workers` fresh processes (spawned: no state shared with this one)."
    proc.mkdir(parents=True, exist_ok=True)
    jobs = {nb.name: (str(nb), str(proc / nb.name), showdoc, str(REPO)) for nb in nbs}
    if not jobs: return {}
    ctx = mp.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), mp_context=ctx) as ex:
        futs = {name: ex.submit(_process_one, *args) for name, args in jobs.items()}
        res = {}
        for name, f in futs.items():
            try: res[name] = f.result()
            except Exception: res[name] = {"ok": False, "error": traceback.format_exc(limit=6)}
    return res


# ----------------------------------------------------------------- step 2: what Quarto would do with it
_re_directive = re.compile(r"^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$")
_re_quarto_link = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)\{((?:\s*[\w-]+=\"[^\"]*\")+)\s*\}")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _quarto_links(s: str) -> str:
    """Quarto's `[text](url){attr="v"}` link attributes (show_doc's "source" links), which mistune would show as
    text: a link alone on its line becomes an HTML block with those attributes, one inside text a plain link."""
    def block(m): return f'<div class="padis-link"><a href="{html.escape(m[2])}" {m[3].strip()}>{m[1]}</a></div>'
    s = re.compile(r"^[ \t]*" + _re_quarto_link.pattern + r"[ \t]*$", re.MULTILINE).sub(block, s)
    return _re_quarto_link.sub(lambda m: f"[{m[1]}]({m[2]})", s)


_WIDGET_NOTE = ('<div class="padis-widget-note">Interactive widget: open this notebook in JupyterLab '
                '(<code>make lab</code>) to use it.</div>')
_re_progress = re.compile(r"\d+%\||it/s|s/it")


def _static_widget(data: dict):
    """A widget output on a static page: a progress bar (tqdm.auto) keeps its text form; any other widget, whose
    text form is only its repr, becomes a note that it is interactive."""
    data.pop(_WIDGET_VIEW)
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    if not _re_progress.search(text):
        data.clear()
        data["text/html"] = _WIDGET_NOTE


def _split_directives(source: str) -> tuple[dict, str]:
    "The leading `#| key: value` lines of a code cell as a dict, and the source without them."
    lines, opts = source.splitlines(), {}
    i = 0
    while i < len(lines) and (m := _re_directive.match(lines[i])):
        opts[m[1].lower()] = m[2].strip().strip("'\"").lower()
        i += 1
    return opts, "\n".join(lines[i:])


def quartoize(nb: dict) -> tuple[dict, dict]:
    "Apply what Quarto does with an nbdev-processed notebook (as a plain nbformat dict); return (nb, front matter)."
    import yaml
    fm, cells = {}, []
    for i, cell in enumerate(nb["cells"]):
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "raw" and i == 0 and src.lstrip().startswith("---"):
            body = src.strip().strip("-")
            fm = yaml.safe_load(body) or {}
            continue
        if cell["cell_type"] == "markdown":
            cell["source"] = _quarto_links(src)
        elif cell["cell_type"] == "code":
            opts, src = _split_directives(src)
            if opts.get("include") == "false": continue
            cell["source"] = src
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if opts.get("echo") == "false" or not src.strip(): tags.append("remove_input")
            if opts.get("output") == "false": cell["outputs"] = []
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if _WIDGET_VIEW in data: _static_widget(data)
                if "text/markdown" in data:
                    md = data["text/markdown"]
                    md = "".join(md) if isinstance(md, list) else md
                    data["text/markdown"] = _quarto_links(md)
        cells.append(cell)
    nb["cells"] = cells
    nb.get("metadata", {}).pop("widgets", None)  # no widget manager from a CDN: the site stays offline-safe
    return nb, fm


def error_outputs(nb: dict) -> list[str]:
    "The `error` outputs of a notebook, as 'ename: evalue' strings."
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.get("cells", []) if c.get("cell_type") == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


# ---------------------------------------------------------------------------------------- step 3: HTML
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
<link rel="icon" href="data:,">
<meta name="description" content="{{ resources.padis.description | e }}">
<link rel="stylesheet" href="styles.css">
<style type="text/css">{{ resources.padis.css }}</style>
{%- endblock extra_css -%}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  tex2jax: {inlineMath: [['$','$'], ['\\(','\\)']], displayMath: [['$$','$$'], ['\\[','\\]']],
            processEscapes: true, processEnvironments: true},
  TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
  // jupyter-server-mathjax ships the STIX-Web fonts only. MathJax's font probe (url('about:blank'), which
  // Chrome reports as a CORS error) and the TeX fonts of the hidden assistive MathML copies are pointed at
  // local() sources, so no page asks for a font the site lacks.
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
               styles: {"@font-face": {src: "local('MathJax_Blank')"}}},
  NativeMML: {styles: {"@font-face /*1*/": {src: "local('MathJax_Caligraphic')"},
                       "@font-face /*2*/": {src: "local('MathJax_Caligraphic')"},
                       "@font-face /*3*/": {src: "local('MathJax_AMS')"},
                       "@font-face /*4*/": {src: "local('MathJax_Script')"},
                       "@font-face /*5*/": {src: "local('MathJax_Fraktur')"},
                       "@font-face /*6*/": {src: "local('MathJax_Fraktur')"}}},
  displayAlign: "center", messageStyle: "none"
});
</script>
<script src="{{ resources.mathjax_url }}"></script>
{%- endblock html_head_js_mathjax -%}
{%- block body_header -%}
<body class="jp-Notebook padis-site" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
{{ resources.padis.topbar }}
<div class="padis-layout">
{{ resources.padis.sidebar }}
<main class="padis-content">
{{ resources.padis.titleblock }}
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.padis.pager }}
</main>
</div>
</body>
{%- endblock body_footer -%}
"""

SITE_CSS = """
:root { --padis-top: 3.2rem; --padis-side: 16rem; --padis-accent: #2c6fbb; }
body.padis-site { margin: 0; padding: 0; }
.padis-topbar { position: fixed; top: 0; left: 0; right: 0; height: var(--padis-top); z-index: 100;
  display: flex; align-items: center; gap: 1.5rem; padding: 0 1.2rem; background: var(--padis-accent);
  color: #fff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-sizing: border-box; }
.padis-topbar a { color: #fff; text-decoration: none; }
.padis-topbar .padis-brand { font-weight: 700; font-size: 1.15rem; }
.padis-topbar .padis-toplinks { margin-left: auto; display: flex; gap: 1.2rem; font-size: .95rem; }
.padis-layout { display: flex; padding-top: var(--padis-top); }
.padis-sidebar { position: fixed; top: var(--padis-top); bottom: 0; left: 0; width: var(--padis-side);
  overflow-y: auto; box-sizing: border-box; padding: 1rem .8rem; border-right: 1px solid #e3e3e3;
  background: #fafbfc; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: .92rem; }
.padis-sidebar .padis-section { font-weight: 600; text-transform: uppercase; font-size: .75rem;
  letter-spacing: .05em; color: #666; margin: .2rem .4rem .6rem; }
.padis-sidebar ol { list-style: none; margin: 0; padding: 0; }
.padis-sidebar li a { display: block; padding: .35rem .5rem; border-radius: 4px; color: #333; text-decoration: none; }
.padis-sidebar li a:hover { background: #eef3f9; }
.padis-sidebar li a[aria-current="page"] { background: #e1ecf8; color: var(--padis-accent); font-weight: 600; }
.padis-sidebar .padis-num { display: inline-block; min-width: 1.8rem; color: #888; font-variant-numeric: tabular-nums; }
main.padis-content { margin-left: var(--padis-side); flex: 1; min-width: 0; max-width: 1100px;
  padding: 1.5rem 2rem 3rem; box-sizing: border-box; }
.padis-titleblock { margin: .5rem 0 1.5rem; padding-bottom: .8rem; border-bottom: 1px solid #e3e3e3; }
.padis-titleblock h1 { margin: 0 0 .4rem; font-size: 2.1rem; }
.padis-titleblock .padis-description { margin: 0; color: #555; font-size: 1.1rem; }
.padis-pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1rem;
  border-top: 1px solid #e3e3e3; }
.padis-pager a { color: var(--padis-accent); text-decoration: none; }
.padis-toc { line-height: 1.7; }
.padis-widget-note { display: inline-block; padding: .4rem .7rem; border: 1px dashed #9bb7d8; border-radius: 4px;
  background: #f3f7fc; color: #345; font-size: .9rem; }
.padis-toc .padis-toc-desc { color: #555; }
@media (max-width: 800px) {
  .padis-sidebar { display: none; }
  main.padis-content { margin-left: 0; padding: 1rem; }
}
"""


def _inline(text: str) -> str:
    "Plain text with `code` spans (a front-matter description) as HTML."
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(str(text)))


def _nav(pages: list[dict], current: str, settings: dict) -> dict:
    "Top bar, sidebar and previous/next links of the page `current`."
    e = html.escape
    title = settings.get("title") or settings.get("lib_name", "site")
    items = []
    for p in pages:
        cur = ' aria-current="page"' if p["page"] == current else ""
        num = re.match(r"^(\d+)[a-zA-Z0-9]*_", p["notebook"] or "")
        num = f'<span class="padis-num">{e(num[1])}</span>' if num else '<span class="padis-num"></span>'
        items.append(f'<li><a href="{e(p["page"])}"{cur}>{num}{e(p["title"])}</a></li>')
    sidebar = (f'<nav class="padis-sidebar" aria-label="Pages"><div class="padis-section">{COURSE_LABEL}</div>'
               f'<ol>{"".join(items)}</ol></nav>')
    links = ['<a href="index.html">Home</a>']
    if settings.get("git_url"): links.append(f'<a href="{e(settings["git_url"])}">Source</a>')
    topbar = (f'<header class="padis-topbar"><a class="padis-brand" href="index.html">{e(title)}</a>'
              f'<span class="padis-toplinks">{"".join(links)}</span></header>')
    names = [p["page"] for p in pages]
    i = names.index(current) if current in names else -1
    prev_ = f'<a rel="prev" href="{e(pages[i-1]["page"])}">&larr; {e(pages[i-1]["title"])}</a>' if i > 0 else "<span></span>"
    next_ = (f'<a rel="next" href="{e(pages[i+1]["page"])}">{e(pages[i+1]["title"])} &rarr;</a>'
             if 0 <= i < len(pages) - 1 else "<span></span>")
    return {"sidebar": sidebar, "topbar": topbar, "pager": f'<nav class="padis-pager">{prev_}{next_}</nav>'}


def make_exporter(mathjax_url: str):
    "nbconvert's lab HTML exporter with the site template, embedded images and `echo: false` support."
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    c = Config()
    c.HTMLExporter.template_name = "lab"
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.exclude_input_prompt = True  # no In [ ]: / Out[ ]: prompts, as on a Quarto site
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.mathjax_url = mathjax_url
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {"remove_input"}
    c.TagRemovePreprocessor.remove_cell_tags = {"remove_cell"}
    ex = HTMLExporter(config=c, extra_loaders=[DictLoader({"padis_site.html.j2": TEMPLATE})])
    ex.template_file = "padis_site.html.j2"
    return ex


def render_page(exporter, nb: dict, fm: dict, page: str, pages: list[dict], settings: dict, nbs: Path) -> str:
    "HTML of one (quartoized) notebook."
    import nbformat
    e = html.escape
    title = fm.get("title") or Path(page).stem
    desc = fm.get("description", "")
    node = nbformat.from_dict(nb)
    node.metadata["title"] = f"{title} – {settings.get('title', '')}".rstrip(" –")
    titleblock = (f'<header class="padis-titleblock"><h1 class="title">{e(str(title))}</h1>'
                  + (f'<p class="padis-description">{_inline(desc)}</p>' if desc else "") + "</header>")
    res = {"metadata": {"name": Path(page).stem, "path": str(nbs)},
           "padis": {**_nav(pages, page, settings), "titleblock": titleblock, "css": SITE_CSS,
                     "description": str(desc).replace("`", "")}}
    body, _ = exporter.from_notebook_node(node, resources=res)
    base = (settings.get("doc_host", "") + settings.get("doc_baseurl", "")).rstrip("/")
    if base: body = body.replace(base + "/", "")  # nbdev's doc links point at the published site: make them local
    # links between notebooks (as Quarto rewrites them): 06_stitching.ipynb -> stitching.html
    return re.sub(r'href="(\w+)\.ipynb(#[^"]*)?"', lambda m: f'href="{page_name(Path(m[1] + ".ipynb"))}{m[2] or ""}"', body)


def index_notebook(pages: list[dict], settings: dict) -> dict:
    "A generated landing page: the project description and the course's table of contents."
    import nbformat
    e = html.escape
    rows = []
    for p in pages:
        if p["page"] == "index.html": continue
        d = f' <span class="padis-toc-desc">— {_inline(p["description"])}</span>' if p["description"] else ""
        rows.append(f'<li><a href="{e(p["page"])}">{e(p["title"])}</a>{d}</li>')
    md = ("This site is built from the notebooks in `nbs/`, one page each, in course order.\n\n"
          f'<ol class="padis-toc">\n{"".join(rows)}\n</ol>\n')
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(md)]
    return nb


def copy_mathjax(out: Path) -> str:
    "Copy MathJax 2 from the jupyter-server-mathjax package into the site; return the URL pages load it from."
    try:
        import jupyter_server_mathjax
    except ImportError:
        print("warning: jupyter-server-mathjax is not installed; pages load MathJax from a CDN", file=sys.stderr)
        return "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
    src = Path(jupyter_server_mathjax.__file__).parent / "static"

    def ignore(d, names):
        d = Path(d)
        if d == src / "localization": return [n for n in names if n != "en"]
        if d == src / "jax" / "output": return [n for n in names if n == "SVG"]
        return []
    shutil.copytree(src, out / "mathjax", ignore=ignore, dirs_exist_ok=True)
    return "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


# ----------------------------------------------------------------------------------------------- main
def build(out: Path, proc: Path, nbs: Path | None = None, workers: int = 2, showdoc: str = "imports",
          quiet: bool = False) -> int:
    "Build the site into `out`; return the number of notebooks that failed."
    t0 = time.perf_counter()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    settings = read_settings()
    nbs = Path(nbs or REPO / settings.get("nbs_path", "nbs")).resolve()
    out, proc = Path(out).resolve(), Path(proc).resolve()
    notebooks = find_notebooks(nbs)
    say(f"{len(notebooks)} notebooks in {nbs}")

    results = process_notebooks(notebooks, proc, workers, showdoc)
    t1 = time.perf_counter()
    say(f"nbdev processing: {t1 - t0:.1f}s -> {proc}")

    # Page list (titles from the front matter) in course order.
    pages, failed = [], {}
    for nb in notebooks:
        r = results[nb.name]
        fm = r.get("frontmatter", {}) if r["ok"] else {}
        if not r["ok"]: failed[nb.name] = r["error"]
        if r.get("mixed_cells"):
            say(f"note: {nb.name}: {len(r['mixed_cells'])} cell(s) mix imports with other code, only their imports"
                f" ran for show_doc (nbdev_docs runs them whole; keep imports in cells of their own): {r['mixed_cells']}")
        pages.append({"notebook": nb.name, "page": page_name(nb), "title": str(fm.get("title") or nb.stem),
                      "description": str(fm.get("description", "")), "ok": r["ok"]})
    has_index = any(p["page"] == "index.html" for p in pages)
    if not has_index:
        pages.insert(0, {"notebook": None, "page": "index.html", "title": "Home",
                         "description": settings.get("description", ""), "ok": True})

    out.mkdir(parents=True, exist_ok=True)
    mathjax_url = copy_mathjax(out)
    css = nbs / "styles.css"
    (out / "styles.css").write_text(css.read_text(encoding="utf-8") if css.exists() else "", encoding="utf-8")
    exporter = make_exporter(mathjax_url)
    import nbformat

    nav = [p for p in pages if p["ok"]]  # the navigation links only the pages that exist
    for p in nav:
        if p["notebook"] is None:  # generated landing page
            fm = {"title": settings.get("title", "Home"), "description": settings.get("description", "")}
            body = render_page(exporter, index_notebook(nav, settings), fm, "index.html", nav, settings, nbs)
            (out / "index.html").write_text(body, encoding="utf-8")
            continue
        try:
            # nbformat's reader joins multi-line fields (lists of lines) into the strings nbconvert expects
            nb = nbformat.reads((proc / p["notebook"]).read_text(encoding="utf-8"), as_version=4)
            if errs := error_outputs(nb):
                say(f"warning: {p['notebook']} has error outputs: {errs}")
            nb, fm = quartoize(nb)
            (out / p["page"]).write_text(render_page(exporter, nb, fm, p["page"], nav, settings, nbs),
                                         encoding="utf-8")
        except Exception:
            failed[p["notebook"]] = traceback.format_exc(limit=6)
            p["ok"] = False
    t2 = time.perf_counter()
    say(f"HTML: {t2 - t1:.1f}s -> {out}")

    manifest = {"title": settings.get("title"), "pages": pages, "failed": sorted(failed),
                "proc": str(proc), "seconds": round(t2 - t0, 2)}
    (out / "site.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    for p in pages: say(f"  {'ok  ' if p['ok'] else 'FAIL'} {p['page']:<22} {p['notebook'] or '(generated)'}")
    for name, err in failed.items():
        print(f"\n{name} failed:\n{err}", file=sys.stderr)
    say(f"site built in {t2 - t0:.1f}s: {sum(p['ok'] for p in pages)} pages, {len(failed)} failed")
    return len(failed)


def main(argv=None) -> int:
    settings = read_settings()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", help="output folder (same as --out)")
    ap.add_argument("--out", dest="out_opt", default=None,
                    help=f"output folder (default: {settings.get('doc_path', '_docs')}/ in the repository)")
    ap.add_argument("--proc", default=None, help="folder for the nbdev-processed notebooks (default: _proc/)")
    ap.add_argument("--nbs", default=None, help="notebook folder (default: nbs_path of settings.ini)")
    ap.add_argument("--workers", type=int, default=int(os.environ.get("PADIS_SITE_WORKERS", 2)),
                    help="processes for the nbdev step (default 2, or $PADIS_SITE_WORKERS)")
    ap.add_argument("--showdoc", choices=["imports", "nbdev", "off"], default="imports",
                    help="how cells are run to render show_doc: 'imports' (default) runs exported cells, show_doc "
                         "cells and imports only; 'nbdev' runs what nbdev_docs runs (also whole cells that mix "
                         "imports with other code); 'off' runs nothing (API docs come out empty)")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    out = Path(a.out_opt or a.out or REPO / settings.get("doc_path", "_docs"))
    proc = Path(a.proc or REPO / "_proc")
    return 1 if build(out, proc, a.nbs, a.workers, a.showdoc, a.quiet) else 0


if __name__ == "__main__":
    sys.exit(main())
