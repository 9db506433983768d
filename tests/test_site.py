"""The tutorial site of tools/build_site.py: checked as files, then in a real browser.

Every test name contains "site" (`pytest tests -k site`). The site is built once per run, into a temp folder, from
the outputs saved in the notebooks. The browser test drives Debian's Chromium with Selenium through Debian's
chromedriver (tools/install_chromium.sh installs both); without them it is skipped, unless PADIS_REQUIRE_BROWSER=1
(`make test` sets it where Chromium is installed), where it fails. Screenshots of the index, the stitching page
and the CT tutorial go to out/site/ (git-ignored).
"""
import configparser, contextlib, functools, http.server, importlib.util, json, os, re, shutil, subprocess, sys
import threading, time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NBS, SHOTS = REPO / "nbs", REPO / "out" / "site"
_spec = importlib.util.spec_from_file_location("build_site", REPO / "tools" / "build_site.py")
build_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_site)
COURSE = [(nb.name, build_site.page_name(nb)) for nb in build_site.notebooks(NBS)]  # (notebook, page) in order
PROGRESS = r"\d+%\||it/s\b|s/it\b"  # a tqdm progress line
WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    "Build the site once: the output folder, the build's result and its duration."
    out = tmp_path_factory.mktemp("site") / "_docs"
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "tools/build_site.py", "--out", str(out)], cwd=REPO, capture_output=True,
                       text=True, timeout=600)
    return dict(out=out, result=r, seconds=time.perf_counter() - t0)


def _html(site, page: str) -> str: return (site["out"] / page).read_text(encoding="utf-8")


def test_site_builds_a_page_for_every_notebook(site):
    r = site["result"]
    assert r.returncode == 0, f"tools/build_site.py failed:\n{r.stdout[-3000:]}\n{r.stderr[-5000:]}"
    assert site["seconds"] < 180, f"the site took {site['seconds']:.0f}s to build"
    assert COURSE[0] == ("index.ipynb", "index.html") and len(COURSE) > 10
    for nb, page in COURSE:
        html = _html(site, page)
        assert "jp-Cell" in html and html.rstrip().endswith("</html>"), f"{page} ({nb}) is not a rendered notebook"
        assert re.search(r'<h1 class="title">[^<]+</h1>', html), f"{page}: no title from the notebook's title cell"


def test_site_index_links_every_page(site):
    links = set(re.findall(r'href="([^"#]+\.html)', _html(site, "index.html").split('class="padis-content"')[1]))
    missing = [page for _, page in COURSE[1:] if page not in links]
    assert not missing, f"pages the index (nbs/index.ipynb) does not link to: {missing}"


def test_site_sidebar_and_pager_follow_the_course_order(site):
    order = [page for _, page in COURSE]
    for i, page in enumerate(order):
        html = _html(site, page)
        nav = re.search(r'<nav[^>]*class="padis-sidebar".*?</nav>', html, re.S)[0]
        assert re.findall(r'href="([^"]+)"', nav) == order, f"{page}: the sidebar is not the course in order"
        assert re.search(rf'aria-current="page" href="{page}"', nav), f"{page}: the sidebar does not mark it"
        pager = re.search(r'<nav class="padis-pager">.*?</nav>', html, re.S)[0]
        assert re.findall(r'href="([^"]+)"', pager) == order[max(i - 1, 0):i] + order[i + 1:i + 2], page


def test_site_has_no_broken_internal_links(site):
    ids = {page: set(re.findall(r'\bid="([^"]+)"', _html(site, page))) for _, page in COURSE}
    broken = []
    for _, page in COURSE:
        for url in re.findall(r'(?:href|src)="([^"]+)"', _html(site, page)):
            if re.match(r"[a-z]+:", url): continue  # http(s), data:, mailto:
            path, _, frag = url.partition("#")
            target = path.split("?")[0] or page
            if not (site["out"] / target).exists(): broken.append(f"{page}: {url} (no such file)")
            elif frag and target in ids and frag not in ids[target]: broken.append(f"{page}: {url} (no such anchor)")
    assert not broken, "\n".join(sorted(set(broken)))


def _cells(nb: str) -> list[dict]:
    return [c for c in json.loads((NBS / nb).read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def test_site_pages_show_figures_code_and_docs_but_no_hidden_cells(site):
    problems = []
    for nb, page in COURSE:
        html, cells = _html(site, page), _cells(nb)
        shown = [c for c in cells if not re.search(r"^#\|\s*hide", "".join(c["source"]), re.M)]
        pngs = sum("image/png" in o.get("data", {}) for c in shown for o in c.get("outputs", []))
        imgs = len(re.findall(r'<img [^>]*src="data:image/png;base64,', html))
        if imgs < pngs: problems.append(f"{page}: {imgs} embedded figures for {pngs} in {nb}")
        if re.search(r'<img [^>]*src="(?!data:)', html): problems.append(f"{page}: a figure is not embedded")
        if "nbdev_export()" in html or re.search(r"^#\|", html, re.M): problems.append(f"{page}: a hidden cell or #|")
        if "Traceback" in html: problems.append(f"{page}: a traceback")
        if build_site.DEFAULT_ALT in html: problems.append(f"{page}: a figure without alt text")
        if re.search(r'<pre>[^<]*' + PROGRESS, html): problems.append(f"{page}: a finished progress bar")
        widgets = any(WIDGET in o.get("data", {}) for c in shown for o in c.get("outputs", []))
        if widgets != ("padis-widget-note" in html): problems.append(f"{page}: widget outputs without their note")
        for c in cells:
            src = "".join(c["source"])
            if not re.match(r"#\|\s*export\b", src): continue
            for name in re.findall(r"^(?:def|class) ([A-Za-z]\w*)", src, re.M):
                if not re.search(rf'<details class="padis-source">(?:(?!</details>).)*<span class="(?:nf|nc)">{name}</span>',
                                 html, re.S):
                    problems.append(f"{page}: the exported code of {name} is not folded on the page")
                if f'id="{name.lower()}"' not in html: problems.append(f"{page}: no show_doc entry for {name}")
    assert not problems, "\n".join(problems)


def test_site_quarto_config_is_nbdev_shaped():
    import yaml
    from nbdev.quarto import _nbdev_yml
    q = yaml.safe_load((NBS / "_quarto.yml").read_text())
    assert q["project"]["type"] == "website" and q["website"]["title"] == "padis_nb" and "sidebar" in q["website"]
    assert q["format"]["html"]["css"] == "styles.css" and (NBS / "styles.css").exists()
    assert q["metadata-files"] == ["nbdev.yml", "sidebar.yml"]
    assert (REPO / "_quarto.yml").resolve() == (NBS / "_quarto.yml").resolve(), "_quarto.yml must link to nbs/"
    cp = configparser.ConfigParser(delimiters=["="])
    cp.read(REPO / "settings.ini")
    cfg = cp["DEFAULT"]
    vals = {k: cfg[k] for k in ["title", "description", "branch", "git_url", "doc_host", "doc_baseurl"]}
    assert (NBS / "nbdev.yml").read_text() == _nbdev_yml.format(doc_path=Path(cfg["doc_path"]).name, **vals), \
        "nbs/nbdev.yml is out of date with settings.ini (nbdev_docs rewrites it from settings.ini)"


# ------------------------------------------------------------------------------------------ in the browser
@pytest.fixture(scope="module")
def browser():
    "Headless Chromium under Selenium; any request that leaves 127.0.0.1 fails, and so shows in the console log."
    chromium, driver = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    try: from selenium import webdriver
    except ImportError: webdriver = None
    missing = [n for n, v in [("chromium", chromium), ("chromedriver", driver), ("selenium", webdriver)] if not v]
    if missing:
        msg = f"no {', '.join(missing)}: run tools/install_chromium.sh and install the dev requirements"
        if os.environ.get("PADIS_REQUIRE_BROWSER") == "1": pytest.fail(msg + " [PADIS_REQUIRE_BROWSER=1]")
        pytest.skip(msg)
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--window-size=1280,900", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]:
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(options=opts, service=webdriver.ChromeService(executable_path=driver))
    d.set_script_timeout(60)
    yield d
    d.quit()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass


@contextlib.contextmanager
def _serve(folder: Path):
    "Serve `folder` on 127.0.0.1 (a free port); give its URL."
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try: yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally: httpd.shutdown(); httpd.server_close()


_CHECK_JS = """const done = arguments[arguments.length - 1]; (async () => {
  while (document.readyState !== 'complete' || !document.body) await new Promise(r => setTimeout(r, 50));  // a cold first load
  if (window.MathJax && MathJax.Hub) await new Promise(r => MathJax.Hub.Queue(r));  // typesetting done
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  return {images: imgs.length, broken: imgs.filter(i => i.naturalWidth === 0).map(i => i.src.slice(0, 60)),
          mathjax: !!(window.MathJax && MathJax.Hub), mathErrors: document.querySelectorAll('.MathJax_Error').length,
          progress: document.body.innerText.split('\\n').filter(l => /PROGRESS/.test(l)).length};
})().then(done, e => done({error: String(e)}));""".replace("PROGRESS", PROGRESS.replace("/", "\\/"))


def _visit(d, url: str) -> tuple[dict, list[str]]:
    "Load `url`; give what the page shows and the problems seen: console errors, failed requests, broken figures."
    d.get_log("browser")  # drop what earlier pages logged
    d.get(url)
    info = d.execute_async_script(_CHECK_JS)
    time.sleep(0.3)  # late console messages
    found = [f"console: {e['message'][:200]}" for e in d.get_log("browser") if e["level"] == "SEVERE"]
    found += [f"{k}: {info[k]}" for k in ["error", "broken"] if info.get(k)]
    if info.get("progress", 0) > 3: found.append(f"{info['progress']} progress-bar lines on the page")
    return info, found


def test_site_pages_load_cleanly_in_browser(browser, site):
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots = {"index.html": "index", "stitching.html": "stitching", "ct_tutorial.html": "ct_tutorial"}
    assert set(shots) <= {page for _, page in COURSE}, "a page to screenshot is gone from the course"
    problems = []
    with _serve(site["out"]) as url:
        for _, page in COURSE:
            info, found = _visit(browser, f"{url}/{page}")
            if not info.get("mathjax") or info.get("mathErrors"): found.append(f"MathJax: {info}")
            problems += [f"{page}: {f}" for f in found]
            if page in shots:
                browser.save_screenshot(str(SHOTS / f"{shots[page]}.png"))
                if info.get("images"):  # and the page's first figure
                    browser.execute_script("document.images[0].scrollIntoView({block: 'center'})")
                    browser.save_screenshot(str(SHOTS / f"{shots[page]}_figure.png"))
    for name in shots.values(): assert (SHOTS / f"{name}.png").stat().st_size > 5000, f"{name}.png looks empty"
    assert not problems, "\n".join(problems)


def test_site_browser_check_catches_broken_pages(browser, tmp_path):
    "The checks above can fail: a JS exception, a console error, a missing figure, an outside request, progress bars."
    bars = "".join(f"<p>{k}%|###| {k}/100 [00:01, 9.0it/s]</p>" for k in (10, 30, 50, 70))
    (tmp_path / "bad.html").write_text(f"<html><body>{bars}<img src='missing.png'><img src='https://example.org/x.png'>"
                                       "<script>console.error('padis-console-error')</script>"
                                       "<script>throw new Error('padis-exception')</script></body></html>")
    with _serve(tmp_path) as url:
        info, found = _visit(browser, f"{url}/bad.html")
    text = "\n".join(found)
    for expected in ["padis-exception", "padis-console-error", "404", "example.org", "4 progress-bar lines"]:
        assert expected in text, f"{expected!r} not caught:\n{text}"
    assert len(info["broken"]) == 2
