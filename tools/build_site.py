#!/usr/bin/env python
"""Build the tutorial site from nbs/ into _docs/ without Quarto.

Where Quarto is installed, `nbdev_docs` renders the site (nbs/_quarto.yml). Where it is not, this script makes a
static site with what is: every notebook goes through nbdev's own docs processing (`FilterDefaults`, what
`nbdev_docs` runs before Quarto: the title cell becomes front matter, `#| hide` cells go, exported definitions get
`show_doc` entries, rendered by running only exported, import and show_doc cells), except that the code of `#| export`
cells stays on the page above its docs. nbconvert's HTMLExporter then renders each notebook with
tools/site/padis.html.j2 (the lab template, a sidebar of every page in course order, a previous/next pager; styles
in nbs/styles.css). Figures are the outputs saved in the notebooks, embedded in the page; MathJax is copied from
jupyter-server-mathjax, so the site makes no request outside itself. Pages are named as nbdev names them
(06_stitching.ipynb -> stitching.html) and links to notebooks are rewritten to them.

    python tools/build_site.py [--out _docs] [--nbs nbs]     # then: python -m http.server -d _docs
"""
import argparse, os, re, shutil, sys
from pathlib import Path

import html as htmllib
import nbformat, yaml
from execnb.nbio import nb2str, read_nb
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from nbconvert import HTMLExporter
from nbdev.config import get_config
from nbdev.doclinks import _nbpath2html
from nbdev.processors import FilterDefaults, rm_export

REPO = Path(__file__).resolve().parents[1]
WIDGET = "application/vnd.jupyter.widget-view+json"
PROGRESS = re.compile(r"\d+%\||it/s\b|s/it\b")  # a tqdm progress line
DEFAULT_ALT = "No description has been provided for this image"
WIDGET_NOTE = ('<div class="padis-widget-note">Interactive widget: open this notebook in JupyterLab (<code>make lab'
               '</code>) to use it; the static figure next to it shows the same frames.</div>')


class SiteFilter(FilterDefaults):
    "nbdev's docs processors, except that exported code stays on the page."
    def base_procs(self): return [p for p in super().base_procs() if p is not rm_export]


def notebooks(nbs: Path) -> list[Path]:
    "The site's notebooks in course order: index first, then by file name (nbdev skips names starting _ or .)."
    return sorted((p for p in nbs.glob("*.ipynb") if not p.name.startswith(("_", "."))),
                  key=lambda p: (p.stem != "index", p.name))


def page_name(nb: Path) -> str:
    "The page of a notebook, as nbdev and Quarto name it: 06_stitching.ipynb -> stitching.html."
    return _nbpath2html(Path(Path(nb).name)).name


def nbdev_process(src: Path):
    "One notebook through nbdev's docs processing, as an nbformat notebook."
    nb, main = read_nb(src), sys.modules["__main__"]
    os.environ["IN_TEST"] = "1"  # as nbdev does while it builds docs: notebooks may skip work
    try: SiteFilter()(nb)
    finally: sys.modules["__main__"] = main  # IPython's shell, which runs the show_doc cells, replaces it
    for cell in nb.cells:  # nbdev takes `#| export` out of the source; keep the fact for quarto_cells
        if set(getattr(cell, "directives_", None) or {}) & {"export", "exports"}: cell.metadata["padis_export"] = True
    return nbformat.reads(nb2str(nb), as_version=4)


def front_matter(nb) -> dict:
    "The front matter that nbdev put in the first raw cell (title, description), removed from the notebook."
    if nb.cells and nb.cells[0].cell_type == "raw" and nb.cells[0].source.startswith("---"):
        return yaml.safe_load(nb.cells.pop(0).source.strip().strip("-")) or {}
    return {}


def folded_source(code: str) -> str:
    "Exported library code as a collapsed block: the lesson reads on, the code is one click away above its docs."
    names = re.findall(r"^(?:def|class) ([A-Za-z_]\w*)", code, re.M) or re.findall(r"^([A-Z_]\w*)\s*=", code, re.M)
    label = ", ".join(names[:4]) + (" ..." if len(names) > 4 else "") if names else "exported code"
    body = highlight(code, PythonLexer(), HtmlFormatter(cssclass="highlight hl-ipython3"))
    return (f'<details class="padis-source"><summary>Source: <code>{htmllib.escape(label)}</code> (library code)'
            f'</summary>{body}</details>')


GREEK = {n: chr(c) for n, c in zip("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi "
                                    "rho varsigma sigma tau upsilon phi chi psi omega".split(), range(0x3b1, 0x3ca))}
TEX_WORDS = {"times": "x", "cdot": "*", "sim": "~", "approx": "~", "le": "<=", "ge": ">=", "leq": "<=", "geq": ">=",
             "tfrac12": "1/2", "frac12": "1/2", "to": "->", "in": "in", "ln": "ln", "log": "log", "exp": "exp"}
TEX_SILENT = {"mathcal", "mathbf", "mathrm", "text", "left", "right", "quad", "hat", "tilde"}


def tex_plain(tex: str) -> str:
    "Inline TeX as a screen reader can say it: Greek letters as letters, other commands as words, no braces or markup."
    def word(m):
        name, follows = m[1], m.string[m.end():m.end() + 1]
        if name in TEX_WORDS: return f" {TEX_WORDS[name]} "
        said = GREEK.get(name, "" if name in TEX_SILENT else name)
        return said + " " if follows.isalnum() else said
    out = re.sub(r"\\[lr]?Vert", "\u2016", tex)
    out = re.sub(r"\\([A-Za-z]+\d*)", word, out)
    out = re.sub(r"[{}]|\\[,;! ]", "", out).replace("_", "")
    return " ".join(out.split())


def alt_text(markdown: str) -> str:
    "A figure's alt text: the first sentence of the markdown that introduces it, without markup."
    heads = re.findall(r"^#+\s*(.+)$", markdown, re.M)
    text = re.sub(r"^#+.*$", "", markdown, flags=re.M)
    text = re.sub(r"\$([^$]*)\$|`|\*|\[([^\]]*)\]\([^)]*\)", lambda m: tex_plain(m[1]) if m[1] else m[2] or "", text)
    first = re.split(r"(?<=[.:!?])\s", " ".join(text.split()), maxsplit=1)[0].rstrip(":")
    alt = ": ".join(x for x in (heads[-1].strip() if heads else "", first) if x)
    return (alt[:157] + "...") if len(alt) > 160 else (alt or "A figure of this lesson")


def _is_progress(out) -> bool:
    "A finished tqdm bar saved as stderr text or as a progress widget."
    if out.get("output_type") == "stream": return out.get("name") == "stderr" and bool(PROGRESS.search(out.get("text", "")))
    data = out.get("data", {})
    return WIDGET in data and bool(PROGRESS.search("".join(data.get("text/plain", ""))))


def quarto_cells(nb):
    """What Quarto does with the rest: `#|` lines leave the code, and `echo: false` (nbdev's show_doc cells) hides
    it. Widgets, which need a kernel, become a note; finished progress bars go; exported code folds away above its
    docs; every figure gets the sentence that introduces it as alt text (in `nb.metadata.padis_alts`, in order)."""
    alts, last_md = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown": last_md = cell.source
        if cell.cell_type != "code": continue
        opts = " ".join(re.findall(r"^#\|(.*)$", cell.source, re.M))
        cell.source = re.sub(r"^#\|.*\n?", "", cell.source, flags=re.M).strip("\n")
        if not cell.source or re.search(r"echo:\s*false", opts):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        outs = [o for o in cell.get("outputs", []) if o.get("data", True) and not _is_progress(o)]  # no empty results
        if (cell.metadata.pop("padis_export", False) or re.search(r"\bexports?\b", opts)) and cell.source:
            outs.insert(0, nbformat.v4.new_output("display_data", data={"text/html": folded_source(cell.source)}))
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        cell.outputs = outs
        for out in cell.outputs:
            data = out.get("data", {})
            if WIDGET in data: out.data = {"text/html": WIDGET_NOTE}
            if "image/png" in data: alts.append(alt_text(last_md))
            if "text/markdown" in data:  # show_doc's `[source](url){target="_blank" ...}`: Quarto link attributes
                data["text/markdown"] = re.sub(r"\)\{[^}\n]*\}", ")", "".join(data["text/markdown"]))
    nb.metadata.pop("widgets", None)
    nb.metadata["padis_alts"] = alts
    return nb


def with_alts(body: str, alts: list) -> str:
    "Give the page's output figures (embedded PNGs, in order) their alt texts."
    it = iter(alts)
    def one(m):
        alt = next(it, "A figure of this lesson")
        return re.sub(r'alt="[^"]*"', lambda _: f'alt="{htmllib.escape(alt)}"', m[0])   # a function: alt text may hold '\\'
    return re.sub(rf'<img (?=[^>]*alt="{DEFAULT_ALT}")[^>]*src="data:image/png;base64,[^>]*>', one, body)


def exporter() -> HTMLExporter:
    "nbconvert's lab exporter with the site template; every image is embedded in its page."
    ex = HTMLExporter(template_name="lab", extra_template_paths=[str(REPO / "tools" / "site")])
    ex.template_file, ex.embed_images = "padis.html.j2", True
    ex.exclude_input_prompt = ex.exclude_output_prompt = True  # no In [ ]: / Out[ ]: prompts, as on a Quarto site
    return ex


def local_links(body: str, base: str) -> str:
    "Links to notebooks become links to their pages (as Quarto does), links to the published site relative ones."
    if base: body = body.replace(base.rstrip("/") + "/", "")
    body = re.sub(r'href="([\w-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{page_name(m[1] + ".ipynb")}{m[2] or ""}"', body)
    # nbdev links `_private` names too, but documents only public ones: those links would lead nowhere
    body = re.sub(r'<a href="[\w.]*#_\w+">(<code>[^<]*</code>)</a>', r"\1", body)
    # heading ids in lower case, as Quarto makes them and nbdev's links to show_doc entries expect (core.html#padiserror)
    return re.sub(r'(<h[1-6] id="|href="(?![a-z]+:)[^"#]*#)([^"]+)', lambda m: m[1] + m[2].lower(), body)


def build(out: Path, nbs: Path) -> list[dict]:
    "Build the site into `out`; give its pages in course order (notebook, page, title)."
    cfg, srcs = get_config(), notebooks(nbs)
    done = [quarto_cells(nbdev_process(s)) for s in srcs]
    fms = [front_matter(nb) for nb in done]
    pages = [dict(notebook=s.name, page=page_name(s), title=str(fm.get("title", s.stem)),
                  description=str(fm.get("description", ""))) for s, fm in zip(srcs, fms)]
    out.mkdir(parents=True, exist_ok=True)
    mathjax = Path(__import__("jupyter_server_mathjax").__file__).parent / "static"
    shutil.copytree(mathjax, out / "mathjax", dirs_exist_ok=True, ignore=shutil.ignore_patterns("localization", "SVG"))
    shutil.copy(nbs / "styles.css", out / "styles.css")
    ex, base = exporter(), cfg.get("doc_host", "") + cfg.get("doc_baseurl", "")
    for i, (nb, p) in enumerate(zip(done, pages)):
        nb.metadata["title"] = f"{p['title']} – {cfg.get('title', cfg.lib_name)}"
        alts = nb.metadata.pop("padis_alts", [])
        site = dict(p, name=cfg.get("title", cfg.lib_name), git_url=cfg.get("git_url"), pages=pages,
                    prev=pages[i - 1] if i else None, next=pages[i + 1] if i + 1 < len(pages) else None)
        body, _ = ex.from_notebook_node(nb, resources={"site": site, "metadata": {"name": p["page"], "path": str(nbs)}})
        (out / p["page"]).write_text(local_links(with_alts(body, alts), base), encoding="utf-8")
        print(f"  {p['page']:<24} {p['notebook']}")
    return pages


if __name__ == "__main__":
    cfg = get_config(path=REPO)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=cfg.doc_path, help="output folder (default: _docs/)")
    ap.add_argument("--nbs", type=Path, default=cfg.nbs_path, help="notebook folder (default: nbs/)")
    a = ap.parse_args()
    out, nbs = a.out.resolve(), a.nbs.resolve()
    os.chdir(REPO)  # nbdev's processors read settings.ini from the working directory
    print(f"{len(build(out, nbs))} pages in {out}")
