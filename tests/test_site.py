"""The tutorial site: built from the notebooks by tools/build_site.py and checked in a real browser.

Every test name contains "site": `pytest tests -k site` runs only these. The site is built once per run, from
the outputs saved in the notebooks (nothing is re-executed but the show_doc cells), into a temp folder.

The browser test drives Debian's Chromium headless over the Chrome DevTools Protocol (CDP) with
`websocket-client`: the one small pure-Python package it needs, already installed beside Jupyter, and no
browser download (Playwright's Python wheel bundles a Node driver of its own and its tooling wants to
download a browser). Pages are served by `http.server` on 127.0.0.1. Without Chromium the test is skipped,
unless PADIS_REQUIRE_BROWSER=1 (as `make test` sets when Chromium is installed), where it fails.
Screenshots go to tests/artifacts/ (git-ignored).
"""
from __future__ import annotations

import base64
import contextlib
import functools
import html as html_lib
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NBS = REPO / "nbs"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BUILD_TIMEOUT = 300  # seconds; the build itself takes ~15-30 s on 2 cores


def _site_notebooks() -> list[Path]:
    return sorted(p for p in NBS.glob("*.ipynb") if not p.name.startswith(("_", ".")))


_re_no_output = re.compile(r"^\s*#\|\s*(output|include)\s*:\s*false", re.MULTILINE)


def _png_outputs(nb: dict) -> int:
    "PNG outputs of a notebook's cells that show their outputs (not `#| output: false` / `#| include: false`)."
    return sum("image/png" in o.get("data", {}) for c in nb.get("cells", []) if c.get("cell_type") == "code"
               and not _re_no_output.search("".join(c.get("source", ""))) for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    "Build the site once; give the build's result, the manifest and what the notebooks held at build time."
    root = tmp_path_factory.mktemp("site")
    out, proc = root / "_docs", root / "_proc"
    # Snapshot of the notebooks as they are when the build starts (other people may be editing them).
    src_pngs = {p.name: _png_outputs(json.loads(p.read_text(encoding="utf-8"))) for p in _site_notebooks()}
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(REPO / "tools" / "build_site.py"), "--out", str(out), "--proc", str(proc)],
                       cwd=REPO, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    secs = time.perf_counter() - t0
    manifest = json.loads((out / "site.json").read_text()) if (out / "site.json").exists() else {"pages": []}
    return dict(out=out, proc=proc, result=r, seconds=secs, manifest=manifest, src_pngs=src_pngs)


def _pages(site) -> list[dict]:
    return [p for p in site["manifest"]["pages"] if p["notebook"]]


def test_site_builds_without_errors(site):
    r = site["result"]
    assert r.returncode == 0, f"tools/build_site.py failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-5000:]}"
    assert site["seconds"] < 120, f"site build took {site['seconds']:.0f}s (budget: well under 2 minutes)"
    print(f"site built in {site['seconds']:.1f}s")


def test_site_has_a_page_for_every_notebook(site):
    built = {p["notebook"]: p for p in _pages(site)}
    assert set(site["src_pngs"]) <= set(built), f"notebooks without a page: {set(site['src_pngs']) - set(built)}"
    for name in site["src_pngs"]:
        page = site["out"] / built[name]["page"]
        assert built[name]["ok"] and page.exists(), f"{name}: no page {page.name}"
        text = page.read_text(encoding="utf-8")
        assert "jp-Cell" in text and "</html>" in text, f"{page.name} is not a rendered notebook"
        assert html_lib.escape(built[name]["title"]) in text, f"{page.name} lacks its title {built[name]['title']!r}"
    assert (site["out"] / "index.html").exists(), "no index.html"


def test_site_navigation_links_every_page_in_course_order(site):
    pages = site["manifest"]["pages"]
    assert pages[0]["page"] == "index.html", "the index must come first"
    names = [p["notebook"] for p in pages if p["notebook"] and p["notebook"] != "index.ipynb"]
    assert names == sorted(names), f"pages are not in file-name order: {names}"
    order = [p["page"] for p in pages if p["ok"]]
    for page in order:
        text = (site["out"] / page).read_text(encoding="utf-8")
        nav = re.search(r'<nav\b[^>]*class="padis-sidebar"[^>]*>.*?</nav>', text, re.S)
        assert nav, f"{page}: no sidebar"
        links = re.findall(r'href="([^"]+)"', nav[0])
        assert links == order, f"{page}: sidebar links {links} != {order}"
        assert 'aria-current="page"' in nav[0]


def test_site_pages_contain_their_figures_and_no_errors(site):
    problems = []
    for p in _pages(site):
        if not p["ok"]: continue
        html = (site["out"] / p["page"]).read_text(encoding="utf-8")
        proc_nb = json.loads((site["proc"] / p["notebook"]).read_text(encoding="utf-8"))
        n_imgs = len(re.findall(r"<img\b[^>]*\bsrc=\"data:image/png;base64,", html))
        if site["src_pngs"].get(p["notebook"], 0) and not n_imgs:
            problems.append(f"{p['page']}: the notebook has figures but the page has no <img>")
        if n_imgs < _png_outputs(proc_nb):
            problems.append(f"{p['page']}: {n_imgs} embedded images for {_png_outputs(proc_nb)} PNG outputs")
        if re.search(r"<img\b[^>]*\bsrc=\"(?!data:)", html):
            problems.append(f"{p['page']}: an image is not embedded (figures must travel with the page)")
        errs = [f"{o.get('ename')}: {o.get('evalue')}" for c in proc_nb["cells"] if c["cell_type"] == "code"
                for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errs: problems.append(f"{p['notebook']}: error outputs {errs}")
        if "Traceback" in html: problems.append(f"{p['page']}: 'Traceback' in the page")
    assert not problems, "\n".join(problems)


def test_site_quarto_config_is_nbdev_shaped():
    import configparser
    import yaml
    from nbdev.quarto import _nbdev_yml
    q = yaml.safe_load((NBS / "_quarto.yml").read_text())
    assert q["project"]["type"] == "website"
    assert q["website"]["title"] == "padis_nb" and "sidebar" in q["website"]
    assert q["format"]["html"]["theme"] and q["format"]["html"]["css"] == "styles.css"
    assert q["metadata-files"] == ["nbdev.yml", "sidebar.yml"]
    assert (NBS / "styles.css").exists()
    assert (REPO / "_quarto.yml").resolve() == (NBS / "_quarto.yml").resolve(), "_quarto.yml must link to nbs/_quarto.yml"
    # nbdev rewrites nbdev.yml from settings.ini on every `nbdev_docs`: the committed one must be what it writes.
    cp = configparser.ConfigParser(delimiters=["="])
    cp.read(REPO / "settings.ini")
    cfg = cp["DEFAULT"]
    vals = {k: cfg[k] for k in ["title", "description", "branch", "git_url", "doc_host", "doc_baseurl"]}
    assert (NBS / "nbdev.yml").read_text() == _nbdev_yml.format(doc_path=Path(cfg["doc_path"]).name, **vals), \
        "nbs/nbdev.yml is out of date with settings.ini (nbdev_docs rewrites it from settings.ini)"


# ------------------------------------------------------------------- the pipeline on a notebook made here
def _png(w=24, h=16) -> bytes:
    "A small valid RGB PNG (a colour gradient), made without any imaging library."
    import struct
    import zlib
    rows = b"".join(b"\x00" + bytes(v for x in range(w) for v in (10 * x % 256, 15 * y % 256, 128)) for y in range(h))
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _synthetic_notebook() -> dict:
    b64 = base64.b64encode(_png()).decode()
    def code(src, outputs=()): return {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": src,
                                       "outputs": list(outputs)}
    def md(src): return {"cell_type": "markdown", "metadata": {}, "source": src}
    def fig(): return {"output_type": "display_data", "metadata": {},
                       "data": {"image/png": b64, "text/plain": "<Figure size 240x160 with 1 Axes>"}}
    def stream(t): return {"output_type": "stream", "name": "stdout", "text": t + "\n"}
    def widget(text): return {"output_type": "display_data", "metadata": {}, "data": {
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "text/plain": text}}
    cells = [md("# Synthetic page\n> A notebook made by the test, with saved figures."),
             md("Math $x_0 + \\sigma\\varepsilon$ and a figure file: ![a file figure](fig.png)"),
             code("#| hide\nSECRET_HIDDEN = 1", [stream("hidden-output-text")]),
             code('#| export\ndef synthetic_fn(x):\n    "Docstring of synthetic_fn."\n    return x + 41'),
             code("print('visible-output-text')", [stream("visible-output-text"), fig()]),
             code("#| echo: false\nSECRET_ECHO_FALSE_SOURCE = 2", [fig()]),
             code("#| include: false\nSECRET_NOT_INCLUDED = 3", [stream("not-included-output")]),
             code("#| output: false\nshown_without_its_figure = 4", [fig()]),
             code("slider", [widget("VBox(children=(IntSlider(value=3),))")]),
             code("for _ in tqdm(range(50)): pass", [widget("100%|##########| 50/50 [00:01<00:00, 42.0it/s]")])]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    "The site of one notebook made here (saved figures, hidden/exported/echo-less cells), built like the real one."
    root = tmp_path_factory.mktemp("synthetic")
    nbs = root / "nbs"
    nbs.mkdir()
    (nbs / "00_synthetic.ipynb").write_text(json.dumps(_synthetic_notebook()), encoding="utf-8")
    (nbs / "fig.png").write_bytes(_png(12, 12))
    (nbs / "_draft.ipynb").write_text(json.dumps(_synthetic_notebook()), encoding="utf-8")  # skipped: leading _
    r = subprocess.run([sys.executable, str(REPO / "tools" / "build_site.py"), "--nbs", str(nbs),
                        "--out", str(root / "_docs"), "--proc", str(root / "_proc"), "-q"],
                       cwd=REPO, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert r.returncode == 0, f"build of the synthetic site failed:\n{r.stdout[-3000:]}\n{r.stderr[-5000:]}"
    return dict(out=root / "_docs", proc=root / "_proc",
                manifest=json.loads((root / "_docs" / "site.json").read_text()))


def test_site_pipeline_embeds_figures_and_applies_cell_options(synthetic_site):
    out = synthetic_site["out"]
    assert [p["page"] for p in synthetic_site["manifest"]["pages"]] == ["index.html", "synthetic.html"]
    html = (out / "synthetic.html").read_text(encoding="utf-8")
    assert re.search(r'<h1[^>]*>Synthetic page</h1>', html) and "A notebook made by the test" in html
    imgs = re.findall(r'<img\b[^>]*\bsrc="data:image/png;base64,', html)
    assert len(imgs) == 3, f"expected 2 output figures + 1 markdown image, all embedded; got {len(imgs)}"
    assert "shown_without_its_figure" in html, "an `output: false` cell keeps its code, not its figure"
    assert html.count("visible-output-text") >= 2, "the code cell and its printed output should both show"
    assert "Docstring of synthetic_fn." in html and "synthetic_fn" in html, "show_doc was not rendered"
    for gone in ["SECRET_HIDDEN", "hidden-output-text", "return x + 41", "SECRET_ECHO_FALSE_SOURCE",
                 "SECRET_NOT_INCLUDED", "not-included-output"]:
        assert gone not in html, f"{gone!r} should not be on the page"
    assert not re.search(r"#\|\s*(hide|export|echo|include|output)\b", html), "cell directives left in the code"
    assert "Traceback" not in html
    assert "VBox(children" not in html and "Interactive widget" in html, "a widget should become a note"
    assert "50/50" in html, "a progress bar keeps its text form"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="synthetic.html"' in index and "Synthetic page" in index, "generated index lacks the page"


# ------------------------------------------------------------------------------------------ browser test
def _chromium() -> str | None:
    "$PADIS_CHROMIUM if set (only it), else Debian's chromium, else a Chromium or Chrome on PATH."
    if "PADIS_CHROMIUM" in os.environ:
        c = os.environ["PADIS_CHROMIUM"]
        return c if os.access(c, os.X_OK) else None
    for c in ["/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"),
              shutil.which("google-chrome")]:
        if c and os.access(c, os.X_OK): return c
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass


@contextlib.contextmanager
def _serve(folder: Path):
    "Serve `folder` over HTTP on 127.0.0.1 (a free port); yield the base URL."
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try: yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(site):
    with _serve(site["out"]) as url: yield url


class CDP:
    "A minimal Chrome DevTools Protocol client over one page target's websocket."
    def __init__(self, ws_url: str):
        import websocket  # websocket-client
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True, enable_multithread=True)
        self.next_id, self.events = 0, []

    def _recv(self, timeout: float):
        import websocket
        self.ws.settimeout(timeout)
        try: return json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException: return None

    def call(self, method: str, _timeout: float = 60, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        end = time.monotonic() + _timeout
        while time.monotonic() < end:
            msg = self._recv(max(0.05, end - time.monotonic()))
            if msg is None: continue
            if msg.get("id") == mid:
                if "error" in msg: raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg: self.events.append(msg)
        raise TimeoutError(f"CDP {method} got no answer in {_timeout}s")

    def wait_for(self, pred, timeout: float = 30):
        "Collect events until `pred(event)` holds for one of them."
        end = time.monotonic() + timeout
        if any(pred(e) for e in self.events): return True
        while time.monotonic() < end:
            msg = self._recv(max(0.05, end - time.monotonic()))
            if msg and "method" in msg:
                self.events.append(msg)
                if pred(msg): return True
        return False

    def settle(self, quiet: float = 0.5, timeout: float = 20):
        "Collect events until the page's network has been idle for `quiet` seconds."
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            inflight = set()
            for e in self.events:
                rid = e.get("params", {}).get("requestId")
                if e["method"] == "Network.requestWillBeSent": inflight.add(rid)
                elif e["method"] in ("Network.loadingFinished", "Network.loadingFailed"): inflight.discard(rid)
            msg = self._recv(quiet)
            if msg is None and not inflight: return
            if msg and "method" in msg: self.events.append(msg)

    def evaluate(self, expr: str, timeout: float = 30):
        r = self.call("Runtime.evaluate", _timeout=timeout + 5, expression=expr, returnByValue=True,
                      awaitPromise=True, timeout=int(timeout * 1000))
        if "exceptionDetails" in r: raise RuntimeError(f"evaluate failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def screenshot(self, path: Path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self): self.ws.close()


def _problems(events: list[dict], origin: str) -> list[str]:
    "JavaScript errors, console errors, failed or non-local requests among a page's CDP events."
    out = []
    for e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            out.append(f"JS exception: {d.get('exception', {}).get('description') or d.get('text')}")
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.append("console.error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            out.append(f"console ({p['entry'].get('source')}): {p['entry']['text']} {p['entry'].get('url', '')}")
        elif m == "Network.loadingFailed" and not p.get("canceled"):
            out.append(f"request failed: {p.get('errorText')} (request {p.get('requestId')})")
        elif m == "Network.responseReceived" and p["response"]["status"] >= 400:
            out.append(f"HTTP {p['response']['status']}: {p['response']['url']}")
        elif m == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if url.startswith(("http:", "https:", "ws:", "wss:")) and not url.startswith(origin):
                out.append(f"request outside the site: {url}")
    return out


def _ct_page(pages: list[dict]) -> dict:
    "The CT tutorial's page: a notebook named for CT/tomography, else 06_..., else the first page after the index."
    nbs = [p for p in pages if p["notebook"] and p["ok"]]
    for p in nbs:
        if re.search(r"(^|_)(ct|tomo\w*|radon|reconstruct\w*)(_|\.ipynb$)", p["notebook"].lower()): return p
    for p in nbs:
        if p["notebook"].startswith("06_"): return p
    return next((p for p in nbs if p["page"] != "index.html"), nbs[0])


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    if not exe:
        msg = ("Chromium not found ($PADIS_CHROMIUM, /usr/bin/chromium, chromium, google-chrome); "
               "install it with `apt-get install chromium` (make test does this where apt-get works)")
        if os.environ.get("PADIS_REQUIRE_BROWSER") == "1": pytest.fail(msg + " [PADIS_REQUIRE_BROWSER=1]")
        pytest.skip(msg)
    profile = Path(tempfile.mkdtemp(prefix="padis-chromium-"))
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", f"--user-data-dir={profile}",
            "--remote-debugging-port=0", "--window-size=1280,900", "about:blank"]
    log = open(profile / "chromium.log", "wb")  # a file, not a pipe: Chromium's chatter can't fill a pipe and stall it
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    try:
        port_file, end = profile / "DevToolsActivePort", time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()) and time.monotonic() < end:
            if proc.poll() is not None:
                tail = (profile / "chromium.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"Chromium exited ({proc.returncode}): {tail}")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            targets = json.load(r)
        page = next(t for t in targets if t["type"] == "page")
        cdp = CDP(page["webSocketDebuggerUrl"])
        for dom in ("Page", "Runtime", "Log", "Network"): cdp.call(f"{dom}.enable")
        cdp.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        yield cdp
        cdp.close()
    finally:
        try: os.killpg(proc.pid, signal.SIGTERM)  # the browser's own process group (start_new_session)
        except ProcessLookupError: pass
        try: proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()
        shutil.rmtree(profile, ignore_errors=True)


_CHECK_JS = """(async () => {
  if (window.MathJax && MathJax.Hub) await new Promise(r => MathJax.Hub.Queue(r));  // typesetting done
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  return {
    title: document.title,
    images: imgs.length,
    broken: imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80)),
    mathjax: !!(window.MathJax && MathJax.Hub),
    mathErrors: document.querySelectorAll('.MathJax_Error').length
                + (document.body.innerText.includes('Math Processing Error') ? 1 : 0),
    sidebarLinks: document.querySelectorAll('nav.padis-sidebar a').length,
  };
})()"""


def test_site_pages_load_cleanly_in_browser(browser, site, server):
    pages = [p for p in site["manifest"]["pages"] if p["ok"]]
    assert pages, "nothing was built"
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("screenshot*.png"): old.unlink()  # no stale screenshots of renamed pages
    ct = _ct_page(pages)
    shots, problems = {"index.html": "screenshot_index.png",
                       ct["page"]: f"screenshot_{Path(ct['notebook']).stem}.png"}, []
    for p in pages:
        info, found = _visit(browser, f"{server}/{p['page']}")
        if info["broken"]: found.append(f"images that failed to load: {info['broken']}")
        if info["mathErrors"]: found.append("MathJax errors on the page")
        if not info["mathjax"]: found.append("MathJax did not load")
        if info["sidebarLinks"] != len(pages): found.append(f"{info['sidebarLinks']} sidebar links for {len(pages)} pages")
        problems += [f"{p['page']}: {f}" for f in found]
        if p["page"] in shots:
            browser.evaluate("window.scrollTo(0, 0)")
            browser.screenshot(ARTIFACTS / shots[p["page"]])
            if info["images"]:  # and the first figure of the page
                browser.evaluate("document.images[0].scrollIntoView({block: 'center'})")
                time.sleep(0.2)
                browser.screenshot(ARTIFACTS / shots[p["page"]].replace(".png", "_figure.png"))
    for name in set(shots.values()):
        assert (ARTIFACTS / name).stat().st_size > 5000, f"{name} looks empty"
    assert not problems, "\n".join(problems)


def _visit(browser, url: str) -> tuple[dict, list[str]]:
    "Load `url`; give the page's check results and the problems seen while loading it."
    browser.events.clear()
    browser.call("Page.navigate", url=url)
    assert browser.wait_for(lambda e: e["method"] == "Page.loadEventFired", 30), f"{url}: no load event"
    info = browser.evaluate(_CHECK_JS, timeout=30)
    browser.settle()
    origin = re.match(r"https?://[^/]+", url)[0]
    return info, _problems(browser.events, origin)


def test_site_browser_check_catches_broken_pages(browser, tmp_path):
    "The checks above can fail: a page with a JS exception, a console error and a missing image is caught."
    (tmp_path / "bad.html").write_text("<html><body><img src='missing.png'>"
                                       "<script>console.error('padis-console-error')</script>"
                                       "<script>throw new Error('padis-exception')</script></body></html>")
    with _serve(tmp_path) as url:
        info, problems = _visit(browser, f"{url}/bad.html")
    text = "\n".join(problems)
    assert info["broken"] and "padis-exception" in text and "padis-console-error" in text and "HTTP 404" in text, text


def test_site_synthetic_figures_load_in_browser(browser, synthetic_site):
    "Embedded figures decode in the browser (naturalWidth > 0), whatever the notebooks hold today."
    with _serve(synthetic_site["out"]) as url:
        info, problems = _visit(browser, f"{url}/synthetic.html")
        ARTIFACTS.mkdir(exist_ok=True)
        browser.evaluate("document.images[0] && document.images[0].scrollIntoView({block: 'start'})")
        time.sleep(0.2)
        browser.screenshot(ARTIFACTS / "screenshot_synthetic_figures.png")
    assert info["images"] == 3 and not info["broken"], info
    assert info["mathjax"] and not info["mathErrors"], info
    assert not problems, "\n".join(problems)
