"""Check the built book as a reader's browser shows it, with the network cut off.

Opens every page listed in _toc.yml from _build/html in headless Chromium, with
every request that is not for a local file aborted, and checks on each page that

- nothing was fetched from the network, no local file was missing, and the page
  logged no error to the console;
- MathJax (served from _build/html/_static/mathjax) typeset every formula: each
  math element holds an ``mjx-container`` and no raw TeX delimiters are left in
  the text outside code;
- every image loaded;
- every matplotlib animation (``to_jshtml``) has its frame image and button icons,
  and its "Next frame" button changes the image;
- every exercise solution is hidden until its title is clicked, and shown after;
- a notebook page offers its .ipynb for download, and the file is there;
- no tooling text shows ("nbval", an exercise's "no answer yet");
- every image has alt text that says what it shows (not a file name);
- no code line is cut off, and no figure is shrunk below its drawn size or wider
  than the text column (figure text would fall under 9 px);
- every "Figure N.M" in the prose is a link, and every citation resolves to the
  References page;
- in dark mode, every figure sits on a light panel;
- on a 400 px wide screen, wide figures scroll rather than shrink.

It saves full-page screenshots of each page in _build/screenshots/ (desktop, 400 px
wide, and dark). Exits 0 when
all pages pass, 1 when a check fails (each failure is printed), 2 when it cannot
run (no built book, no Chromium, no playwright).

    .venv/bin/python tools/check_rendered.py [--html _build/html] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"  # Debian's
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
# A chapter page is large (animations, MathJax) and the checks run on a busy machine
# right after the build: a page gets this long to load before the check gives up on it.
TIMEOUT_MS = 90_000


def cannot_open_pages(tool: str, chromium: str) -> bool:
    """Whether ``tool`` cannot open pages here (no Chromium at ``chromium``, or no
    playwright), having said why on stderr; each check then exits with 2, "could not
    check", not with 1, "a check failed"."""
    if not Path(chromium).exists():
        print(f"{tool}: no Chromium at {chromium} (on Debian: apt-get install chromium)",
              file=sys.stderr)
        return True
    if importlib.util.find_spec("playwright") is None:
        print(f"{tool}: playwright is not installed (pip install -r requirements.txt)",
              file=sys.stderr)
        return True
    return False

# Raw TeX left in the visible text: display or inline delimiters, or an
# environment, outside code blocks and outside typeset math.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|(?<![\w$])\$[^$\s][^$\n]*?\$(?![\w$])")

# In-page helpers, run by page.evaluate.
JS_MATH_READY = """async () => {
  if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return false;
  await MathJax.startup.promise;
  return true;
}"""

JS_MATH_REPORT = """() => {
  const maths = [...document.querySelectorAll('.math')];
  const untypeset = maths
    .filter(m => !m.querySelector('mjx-container'))
    .map(m => m.textContent.trim().slice(0, 80));
  const article = document.querySelector('article, main, [role=main]') || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, textarea, .math')
      .forEach(e => e.remove());
  return {count: maths.length,
          typeset: document.querySelectorAll('mjx-container').length,
          untypeset, text: copy.textContent,
          errors: [...document.querySelectorAll('mjx-merror, [data-mjx-error]')]
                    .map(e => e.getAttribute('data-mjx-error') || e.textContent)};
}"""

JS_IMAGES = """async () => {
  const imgs = [...document.querySelectorAll('img')];
  for (const img of imgs) {
    if (!img.complete) {
      img.scrollIntoView();
      await new Promise(r => { img.addEventListener('load', r, {once: true});
                               img.addEventListener('error', r, {once: true});
                               setTimeout(r, 5000); });
    }
  }
  return imgs.map(img => ({src: (img.getAttribute('src') || '').slice(0, 100),
                           id: img.id, ok: img.complete && img.naturalWidth > 0}));
}"""

JS_ANIMATIONS = """() => [...document.querySelectorAll('div.animation')].map((a, i) => {
  const img = a.querySelector('img');
  const next = a.querySelector('button[title="Next frame"]');
  const buttons = [...a.querySelectorAll('button')];
  const blank = buttons.filter(b => {
    const icon = b.querySelector('svg, i');
    const drawn = icon && icon.getBoundingClientRect().width > 0;
    const text = b.innerText.trim() && b.getBoundingClientRect().width > 0;
    return !drawn && !text;
  }).map(b => b.title);
  return {index: i, hasImg: !!img, hasNext: !!next, src: img ? img.src : '',
          loaded: !!img && img.complete && img.naturalWidth > 0, blankButtons: blank};
})"""

JS_SOLUTIONS = """() => [...document.querySelectorAll('div.solution')].map(s => {
  const body = [...s.children].filter(c => !c.classList.contains('admonition-title'));
  return {id: s.id, dropdown: s.classList.contains('dropdown'),
          visible: body.some(c => c.getBoundingClientRect().height > 0
            && c.checkVisibility({visibilityProperty: true, opacityProperty: true}))};
})"""


JS_PRESENTATION = """() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const visible = e => e.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const text = [...article.querySelectorAll('p, li, pre, span, div.output')]
    .filter(e => visible(e) && e.children.length === 0).map(e => e.textContent).join('\\n');
  const tooling = ['nbval', 'no answer yet'].filter(w => text.toLowerCase().includes(w));
  const images = [...article.querySelectorAll('img')].filter(visible).map(img => ({
    alt: img.getAttribute('alt') || '',
    src: (img.getAttribute('src') || '').slice(-60),
    drawn: img.style.width ? parseFloat(img.style.width) : img.naturalWidth,
    shown: img.getBoundingClientRect().width,
  }));
  const cut = [...article.querySelectorAll('div.highlight pre, .cell_output pre')]
    .filter(visible).filter(pre => pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => pre.textContent.split('\\n').reduce((a, b) => a.length > b.length ? a : b));
  const wide = [...article.querySelectorAll('.cell_output figure, .cell_output > .output, '
                                            + 'div.animation')]
    .filter(visible).filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => (e.querySelector('figcaption') || e).textContent.trim().slice(0, 60));
  const unlinked = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const inside = node.parentElement.closest('a, figcaption, pre, code, .caption-number');
    const m = node.textContent.match(/\\bFigures? \\d+\\.\\d+/);
    if (m && !inside) unlinked.push(m[0]);
  }
  const citations = [...article.querySelectorAll('a')]
    .filter(a => /references\\.html#id/.test(a.getAttribute('href') || ''))
    .map(a => a.getAttribute('href'));
  const problems = [...article.querySelectorAll('.problematic, .system-message')]
    .map(e => e.textContent.slice(0, 60));
  return {tooling, images, cut, wide, unlinked, citations, problems};
}"""

JS_DARK_PANELS = """() => [...document.querySelectorAll('article .cell_output img, div.animation')]
  .filter(e => e.checkVisibility())
  .filter(e => {
    const c = getComputedStyle(e).backgroundColor.match(/\\d+(\\.\\d+)?/g).map(Number);
    return c.length === 4 && c[3] === 0 || (c[0] + c[1] + c[2]) / 3 < 200;
  }).length"""

ALT_IS_A_FILE = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|svg|gif)$|^_images/|^data:", re.I)


def check_presentation(page, result: PageCheck) -> None:
    """Tooling text, alt text, cut-off code, figure sizes, figure links, citations."""
    report = page.evaluate(JS_PRESENTATION)
    for word in report["tooling"]:
        result.fail(f"tooling text on the page: {word!r}")
    for img in report["images"]:
        alt = img["alt"].strip()
        if len(alt.split()) < 3 or ALT_IS_A_FILE.search(alt):
            result.fail(f"image without real alt text: {img['src']!r} alt={alt!r}")
        if img["drawn"] and img["shown"] < 0.97 * img["drawn"]:
            result.fail(f"image shrunk to {img['shown']:.0f} of its {img['drawn']:.0f} px, so "
                        f"its text is too small: {img['src']!r} ({alt[:50]!r})")
    for line in report["cut"]:
        result.fail(f"code line cut off: {line.strip()[:70]!r}")
    for caption in report["wide"]:
        result.fail(f"figure wider than the text column: {caption!r}")
    for text in report["unlinked"]:
        result.fail(f"{text!r} in the text is not a link to the figure")
    for text in report["problems"]:
        result.fail(f"unresolved reference or markup error: {text!r}")
    result.counts["citations"] = len(report["citations"])


def check_narrow_and_dark(context_narrow, context_dark, doc: str, path: Path,
                          shots: Path, result: PageCheck) -> None:
    """A 400 px screen: figures scroll, never shrink. Dark mode: figures on panels."""
    for context, suffix in ((context_narrow, "narrow"), (context_dark, "dark")):
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).scheme
                   in LOCAL_SCHEMES else r.abort("blockedbyclient"))
        try:
            page.goto(path.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
            page.wait_for_timeout(500)
            if suffix == "narrow":
                for img in page.evaluate(JS_PRESENTATION)["images"]:
                    if img["drawn"] and img["shown"] < 0.97 * img["drawn"]:
                        result.fail(f"on a 400 px screen, an image shrinks to "
                                    f"{img['shown']:.0f} of {img['drawn']:.0f} px: "
                                    f"{img['src']!r}")
            else:
                bare = page.evaluate(JS_DARK_PANELS)
                if bare:
                    result.fail(f"in dark mode, {bare} figures have no light panel")
            page.screenshot(path=str(shots / f"{doc.replace('/', '__')}.{suffix}.png"),
                            full_page=True)
        except Exception as e:  # any breakage of the page is a failure
            result.fail(f"could not check the page ({suffix}): {e}")
        finally:
            page.close()


def toc_files(toc: dict) -> list[str]:
    """Every document named in a jb-book _toc.yml: the root, then in reading order."""
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(toc)
    return [re.sub(r"\.(ipynb|md|rst)$", "", f) for f in found]


def source_of(doc: str) -> Path | None:
    for suffix in (".ipynb", ".md", ".rst"):
        if (ROOT / (doc + suffix)).exists():
            return ROOT / (doc + suffix)
    return None


class PageCheck:
    """Everything recorded about one page while it loads, and the failures found."""

    def __init__(self, doc: str):
        self.doc = doc
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.console: list[str] = []
        self.failures: list[str] = []
        self.counts: dict[str, int] = {}

    def fail(self, message: str) -> None:
        if message not in self.failures:
            self.failures.append(message)


def check_page(context, doc: str, html_dir: Path, shots: Path) -> PageCheck:
    result = PageCheck(doc)
    path = html_dir / f"{doc}.html"
    if not path.exists():
        result.fail(f"{path} was not built")
        return result
    page = context.new_page()

    def route(r):
        if urlparse(r.request.url).scheme in LOCAL_SCHEMES:
            r.continue_()
        else:
            result.blocked.append(r.request.url)
            r.abort("blockedbyclient")

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and result.console.append(m.text))
    page.on("pageerror", lambda e: result.console.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: result.failed.append(r.url))
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)

        # Math
        has_mathjax = page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')")
        math_count = page.evaluate("() => document.querySelectorAll('.math').length")
        if math_count or has_mathjax:
            try:
                page.wait_for_function("() => window.MathJax && MathJax.startup",
                                       timeout=TIMEOUT_MS)
                ready = page.evaluate(JS_MATH_READY)
            except Exception as e:  # reported as a failure
                ready = False
                result.fail(f"MathJax did not start: {e}")
            if ready:
                for s in page.evaluate("() => [...document.querySelectorAll('script[src]')]"
                                       ".map(s => s.src).filter(s => /mathjax/i.test(s))"):
                    if not s.startswith("file:"):
                        result.fail(f"MathJax is loaded from {s}, not from _static")
        report = page.evaluate(JS_MATH_REPORT)
        result.counts["formulas"] = report["count"]
        if report["untypeset"]:
            result.fail(f"{len(report['untypeset'])} of {report['count']} formulas not typeset "
                        f"by MathJax, e.g. {report['untypeset'][:3]}")
        for err in report["errors"]:
            result.fail(f"MathJax error: {err!r}")
        raw = RAW_TEX.findall(report["text"])
        if raw:
            result.fail(f"raw TeX left in the text (not typeset): {sorted(set(raw))[:5]}")

        # The page as a reader first sees it, scrolled through to its end.
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / (doc.replace("/", "__") + ".png")), full_page=True)

        check_presentation(page, result)

        # Images
        images = page.evaluate(JS_IMAGES)
        result.counts["images"] = len(images)
        for img in images:
            if not img["ok"]:
                result.fail(f"image did not load: id={img['id']!r} src={img['src']!r}")

        # Animations
        animations = page.evaluate(JS_ANIMATIONS)
        result.counts["animations"] = len(animations)
        for anim in animations:
            n = anim["index"] + 1
            if not anim["hasImg"] or not anim["hasNext"]:
                result.fail(f"animation {n}: no frame image or no 'Next frame' button")
                continue
            if not anim["loaded"]:
                result.fail(f"animation {n}: its frame image did not load")
            if anim["blankButtons"]:
                result.fail(f"animation {n}: buttons with neither an icon nor a symbol: "
                            f"{anim['blankButtons']}")
            box = page.locator("div.animation").nth(anim["index"])
            box.locator('button[title="Next frame"]').click(timeout=TIMEOUT_MS)
            try:
                page.wait_for_function(
                    "([i, before]) => document.querySelectorAll('div.animation')[i]"
                    ".querySelector('img').src !== before",
                    arg=[anim["index"], anim["src"]], timeout=5_000)
            except Exception:  # reported as a failure
                result.fail(f"animation {n}: 'Next frame' did not change the image")

        # Exercise solutions
        before = page.evaluate(JS_SOLUTIONS)
        result.counts["solutions"] = len(before)
        for i, sol in enumerate(before):
            if not sol["dropdown"]:
                result.fail(f"solution {sol['id']!r} is not a dropdown (add ':class: dropdown')")
            if sol["visible"]:
                result.fail(f"solution {sol['id']!r} is shown before it is clicked")
                continue
            page.locator("div.solution").nth(i).locator(":scope > .admonition-title").click(
                timeout=TIMEOUT_MS)
            try:
                page.wait_for_function(f"i => ({JS_SOLUTIONS})()[i].visible", arg=i,
                                       timeout=5_000)
            except Exception:  # reported as a failure
                result.fail(f"solution {sol['id']!r} stays hidden when its title is clicked")

        # Download button (notebook pages)
        source = source_of(doc)
        if source is not None and source.suffix == ".ipynb":
            hrefs = page.evaluate(
                "() => [...document.querySelectorAll('.dropdown-download-buttons a')]"
                ".map(a => a.href)")
            notebooks = [h for h in hrefs if h.endswith(".ipynb")]
            if not notebooks:
                result.fail("no .ipynb download button")
            for href in notebooks:
                target = Path(unquote(urlparse(href).path))
                if not target.exists():
                    result.fail(f"the download button points to a missing file: {target}")

    except Exception as e:  # any breakage of the page is a failure
        result.fail(f"could not check the page: {e}")
    finally:
        page.close()

    for url in result.blocked:
        result.fail(f"loads from the network (blocked): {url}")
    for url in result.failed:
        if urlparse(url).scheme == "file":
            result.fail(f"local file missing: {url}")
    for text in result.console:
        if "ERR_BLOCKED_BY_CLIENT" in text:
            continue  # reported above as a blocked request
        result.fail(f"console error: {text}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--screenshots", type=Path, default=ROOT / "_build" / "screenshots")
    parser.add_argument("--pages", nargs="*", help="check only these pages, e.g. intro")
    args = parser.parse_args()

    html_dir = args.html.resolve()
    if not (html_dir / "index.html").exists():
        print(f"check_rendered: no built book in {html_dir}; run `make book` first",
              file=sys.stderr)
        return 2
    if cannot_open_pages("check_rendered", args.chromium):
        return 2
    from playwright.sync_api import sync_playwright

    docs = toc_files(yaml.safe_load(args.toc.read_text()))
    if args.pages:
        docs = [d for d in docs if d in args.pages]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                    args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      service_workers="block")
        narrow = browser.new_context(viewport={"width": 400, "height": 800},
                                     device_scale_factor=2, service_workers="block")
        dark = browser.new_context(viewport={"width": 1280, "height": 900},
                                   color_scheme="dark", service_workers="block")
        results = []
        for doc in docs:
            result = check_page(context, doc, html_dir, args.screenshots)
            if (html_dir / f"{doc}.html").exists():
                check_narrow_and_dark(narrow, dark, doc, html_dir / f"{doc}.html",
                                      args.screenshots, result)
            results.append(result)
        browser.close()

    failed = [r for r in results if r.failures]
    for r in results:
        status = "FAIL" if r.failures else "ok"
        counts = ", ".join(f"{v} {k}" for k, v in r.counts.items())
        print(f"{status:4} {r.doc}" + (f" ({counts})" if counts else ""))
        for f in r.failures:
            print(f"       - {f}")
    print(f"check_rendered: {len(results) - len(failed)} pages passed, {len(failed)} failed; "
          f"screenshots in {args.screenshots}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
