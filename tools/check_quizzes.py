"""Check the chapters' quick quizzes in a browser, and the course pages' links.

The quizzes: builds one standalone HTML page with every chapter's quiz (from
``convlib.explore.quizzes``, with the MathJax the book ships), opens it from
``file://`` in headless Chromium with every other request aborted, and answers every
question, right and wrong:

- a multiple-choice question is answered with each of its choices in turn (by
  mouse, and once by keyboard); exactly that choice's feedback must show, marked
  "Right." for the right one and "Not quite." for the others;
- a numeric question gets its right answer (typed with thousands separators where
  it has them, and submitted with Enter), each of its likely mistakes, another wrong
  number and a word; each must show its own feedback;
- every input sits in a label with text; no request leaves the page and nothing is
  logged as an error; the math is typeset; on a 400 px screen nothing is wider than
  the screen; in dark mode the text and the feedback stay readable (contrast 4.5:1).

If the book is built (``_build/html``), the same is done on its quizzes page and on
every chapter page that holds a quiz, where the quizzes run with the book's own
MathJax and styles.

The links: every link of the course pages (course map, glossary, formula sheet,
exercise index, quizzes) to a chapter's section must name a section that exists,
in the chapter's notebook and, if the book is built, in the built HTML; every
``{ref}`` to an exercise must name an exercise label; every ``{term}`` a glossary
term.

Exits 0 when everything passes, 1 when a check fails (each failure is printed), 2
when it cannot run (no Chromium, no playwright).

    .venv/bin/python tools/check_quizzes.py [--html _build/html] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import re
import sys
import sysconfig
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from check_rendered import CHROMIUM, LOCAL_SCHEMES, TIMEOUT_MS, cannot_open_pages  # noqa: E402  (the same page rules)

from convlib import course  # noqa: E402
from convlib.explore import quizzes  # noqa: E402
from convlib.explore.quiz import number_text, quiz_html  # noqa: E402

COURSE_PAGES = ("course.md", "glossary.md", "formulas.md", "exercises.md", "quizzes.md")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quick quizzes</title>
<style>
body {{ font-family: sans-serif; margin: 1rem; max-width: 50rem; color: #222;
        background: #fff; }}
@media (prefers-color-scheme: dark) {{ body {{ color: #ddd; background: #14181e; }} }}
</style>
<script>window.MathJax = {{"options": {{"processHtmlClass":
  "tex2jax_process|mathjax_process|math|output_area"}}}}</script>
{mathjax}
</head><body>
{body}
</body></html>
"""

# In-page helpers, run by page.evaluate.
JS_QUESTIONS = """() => [...document.querySelectorAll('form.cl-q-form')].map((f, i) => ({
  index: i, kind: f.dataset.kind, answer: f.dataset.answer,
  choices: f.querySelectorAll('input[type=radio]').length,
  mistakes: [...f.querySelectorAll('.cl-fb[data-match=mistake]')].map(m => m.dataset.value),
  feedbackFor: [...f.querySelectorAll('.cl-fb[data-choice]')].map(m => m.dataset.choice),
}))"""

JS_SHOWN = """i => {
  const f = document.querySelectorAll('form.cl-q-form')[i];
  return [...f.querySelectorAll('.cl-fb')].filter(fb => fb.checkVisibility())
    .map(fb => ({choice: fb.dataset.choice || null, match: fb.dataset.match || null,
                 value: fb.dataset.value || null, text: fb.textContent.trim()}));
}"""

JS_LABELS = """() => [...document.querySelectorAll('.cl-quiz input, .cl-quiz button')]
  .filter(e => e.tagName !== 'BUTTON')
  .map(e => ({type: e.type, labels: e.labels ? e.labels.length : 0,
              text: e.labels && e.labels[0] ? e.labels[0].textContent.trim() : ''}))"""

JS_MATH = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const quizzes = [...document.querySelectorAll('.cl-quiz')];
  const raw = quizzes.map(q => {
    const copy = q.cloneNode(true);
    copy.querySelectorAll('script, style, mjx-container').forEach(e => e.remove());
    return copy.textContent;
  }).join(' ');
  return {typeset: document.querySelectorAll('.cl-quiz mjx-container').length,
          raw: (raw.match(/\\\\\\(|\\\\\\[|\\$[^$ ]/g) || []).length};
}"""

JS_WIDTH = """() => ({scroll: document.documentElement.scrollWidth,
                    client: document.documentElement.clientWidth,
                    wide: [...document.querySelectorAll('.cl-quiz *')]
                      .filter(e => e.getBoundingClientRect().right
                                   > document.documentElement.clientWidth + 1)
                      .map(e => e.tagName + '.' + e.className).slice(0, 5)})"""

JS_CONTRAST = """() => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const blend = (top, under) => {
    const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a));
  };
  const background = e => {
    const chain = [];
    for (let n = e; n; n = n.parentElement) chain.unshift(n);
    let colour = [255, 255, 255];
    for (const n of chain) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c.length >= 3 && !(c.length > 3 && c[3] === 0)) colour = blend(c, colour);
    }
    return colour;
  };
  const lum = c => {
    const s = c.map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92
                                                         : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
  };
  const ratio = e => {
    const fg = parse(getComputedStyle(e).color), bg = background(e);
    const [a, b] = [lum(blend(fg, bg)), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  };
  const texts = [...document.querySelectorAll(
      '.cl-quiz legend, .cl-quiz label, .cl-quiz .cl-fb, .cl-quiz button, .cl-quiz p, '
      + '.cl-quiz code, .cl-quiz input')]
    .filter(e => e.checkVisibility());
  return texts.map(e => ({what: e.tagName + ' ' + e.textContent.trim().slice(0, 40),
                          ratio: ratio(e)})).filter(r => r.ratio < 4.5);
}"""


class Failures(list):
    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}")


def mathjax_script() -> str:
    """A script tag for the MathJax the book ships (sphinx-mathjax-offline)."""
    candidates = [Path(sysconfig.get_paths()["purelib"]) / "sphinx-mathjax-offline" / "static"
                  / "mathjax" / "tex-chtml.js",
                  ROOT / "_build" / "html" / "_static" / "mathjax" / "tex-chtml.js"]
    for path in candidates:
        if path.exists():
            return f'<script defer src="{path.as_uri()}"></script>'
    return ""


def standalone_page(folder: Path) -> Path:
    """Every chapter's quiz on one page, written into ``folder``."""
    parts = []
    for n in sorted(quizzes.QUIZZES):
        parts.append(f"<h2>Chapter {n}</h2>\n{quiz_html(quizzes.chapter_questions(n))}")
    path = folder / "quizzes.html"
    path.write_text(PAGE.format(mathjax=mathjax_script(), body="\n".join(parts)),
                    encoding="utf-8")
    return path


def _typed(value: str) -> str:
    """A number as a reader might type it: with thousands separators when large."""
    number = float(value)
    if number.is_integer() and abs(number) >= 10_000:
        return f"{int(number):,}"
    return value


def _other(answer: float, mistakes: list[float], tolerance: float) -> str:
    """A wrong number that is none of the answer and the listed mistakes."""
    for candidate in (answer + 1000.5, answer - 777.25, answer * 3 + 11):
        if all(abs(candidate - v) > tolerance + 1e-9 for v in [answer, *mistakes]):
            return number_text(candidate)
    raise AssertionError("no wrong number found")


def check_answers(page, where: str, failures: Failures) -> int:
    """Answer every question right and wrong; return how many answers were checked."""
    checked = 0
    questions = page.evaluate(JS_QUESTIONS)
    forms = page.locator("form.cl-q-form")
    keyboard_done = False
    for q in questions:
        form = forms.nth(q["index"])
        name = f"{where}, question {q['index'] + 1}"
        if q["kind"] == "choice":
            expected = [str(i) for i in range(q["choices"])]
            if sorted(q["feedbackFor"]) != expected:
                failures.add(name, f"feedback for choices {q['feedbackFor']}, not one for "
                                   f"each of the {q['choices']} choices")
            for i in range(q["choices"]):
                form.locator("label.cl-q-choice").nth(i).click(timeout=TIMEOUT_MS)
                shown = page.evaluate(JS_SHOWN, q["index"])
                right = str(i) == q["answer"]
                verdict = "Right." if right else "Not quite."
                if len(shown) != 1 or shown[0]["choice"] != str(i):
                    failures.add(name, f"choice {i}: shows {shown}, not its own feedback")
                elif not shown[0]["text"].startswith(verdict):
                    failures.add(name, f"choice {i}: feedback does not start {verdict!r}")
                checked += 1
            if not keyboard_done and q["choices"] > 1:  # arrows move between choices
                form.locator("input[type=radio]").nth(0).focus()
                page.keyboard.press("ArrowDown")
                shown = page.evaluate(JS_SHOWN, q["index"])
                if len(shown) != 1 or shown[0]["choice"] != "1":
                    failures.add(name, f"the arrow key did not choose the next answer and "
                                       f"show its feedback: {shown}")
                keyboard_done = True
                checked += 1
            continue
        field = form.locator("input.cl-q-input")
        tolerance = float(form.get_attribute("data-tolerance") or 0)
        mistakes = [float(v) for v in q["mistakes"]]
        trials = [(_typed(q["answer"]), "right", None, "Enter")]
        trials += [(v, "mistake", v, "Enter") for v in q["mistakes"]]
        trials += [(_other(float(q["answer"]), mistakes, tolerance), "other", None, "button"),
                   ("twelve", "invalid", None, "Enter")]
        for typed, match, value, how in trials:
            field.fill(typed)
            if how == "Enter":
                field.press("Enter")
            else:
                form.locator("button.cl-q-check").click(timeout=TIMEOUT_MS)
            shown = page.evaluate(JS_SHOWN, q["index"])
            if len(shown) != 1 or shown[0]["match"] != match or shown[0]["value"] != value:
                failures.add(name, f"typed {typed!r}: shows {shown}, not the {match!r} "
                                   "feedback")
            elif match == "right" and not shown[0]["text"].startswith("Right."):
                failures.add(name, "the right answer's feedback does not start 'Right.'")
            elif match in ("mistake", "other") and not shown[0]["text"].startswith("Not quite."):
                failures.add(name, f"typed {typed!r}: feedback does not start 'Not quite.'")
            checked += 1
    if "file:" not in page.url:
        failures.add(where, "the page navigated away (a form was submitted)")
    return checked


def check_page(browser, path: Path, where: str, failures: Failures, *, answer: bool,
               expect_math: bool) -> int:
    blocked, console = [], []
    checked = 0
    for mode, options in (("desktop", {"viewport": {"width": 1280, "height": 900}}),
                          ("400 px", {"viewport": {"width": 400, "height": 800},
                                      "device_scale_factor": 2}),
                          ("dark", {"viewport": {"width": 1280, "height": 900},
                                    "color_scheme": "dark"})):
        context = browser.new_context(service_workers="block", **options)
        page = context.new_page()

        def route(r, blocked=blocked):
            if urlparse(r.request.url).scheme in LOCAL_SCHEMES:
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort("blockedbyclient")

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and console.append(m.text))
        page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
        label = f"{where} ({mode})"
        try:
            page.goto(path.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
            if not page.locator(".cl-quiz").count():
                failures.add(label, "no quiz on the page")
                continue
            math = page.evaluate(JS_MATH)
            if expect_math and (math["typeset"] == 0 or math["raw"]):
                failures.add(label, f"math not typeset: {math['typeset']} formulas typeset, "
                                    f"{math['raw']} raw delimiters left")
            if mode == "desktop":
                for item in page.evaluate(JS_LABELS):
                    if item["labels"] != 1 or not item["text"]:
                        failures.add(label, f"an input ({item['type']}) without a label "
                                            "that names it")
            if answer or mode == "desktop":
                checked += check_answers(page, label, failures)
            if mode == "400 px":
                width = page.evaluate(JS_WIDTH)
                if width["wide"] or width["scroll"] > width["client"] + 1:
                    failures.add(label, f"wider than the screen: {width}")
            if mode == "dark":
                dark = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)')"
                                     ".matches")
                if not dark:
                    failures.add(label, "the browser did not emulate dark mode")
                for low in page.evaluate(JS_CONTRAST):
                    failures.add(label, f"text contrast {low['ratio']:.1f}:1 (under 4.5): "
                                        f"{low['what']!r}")
            shots = ROOT / "_build" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"quizzes-{where.replace(' ', '-')}-"
                                             f"{mode.replace(' ', '')}.png"), full_page=True)
        except Exception as e:  # any breakage of the page is a failure
            failures.add(label, f"could not check the page: {e}")
        finally:
            context.close()
    for url in sorted(set(blocked)):
        failures.add(where, f"loads from the network (blocked): {url}")
    for text in console:
        failures.add(where, f"console error: {text}")
    return checked


# -- links -----------------------------------------------------------------------------

SECTION_LINK = re.compile(r"\]\((?:\./)?chapters/(\d\d_[\w-]+)\.ipynb#([\w-]+)\)")
REF = re.compile(r"\{ref\}`(?:[^`<]*<)?([\w-]+)>?`")
TERM = re.compile(r"\{term\}`(?:[^`<]*<)?([^`>]+?)>?`")
GLOSSARY_TERM = re.compile(r"^(\S[^\n]*)\n(?=  \S)", re.M)
HREF = re.compile(r'href="(chapters/[\w-]+\.html)#([^"]+)"')


def glossary_terms(text: str) -> set[str]:
    block = re.search(r"^```\{glossary\}.*?\n(.*?)^```", text, re.M | re.S)
    return {t.strip() for t in GLOSSARY_TERM.findall(block.group(1))} if block else set()


def check_links(html_dir: Path | None, failures: Failures) -> int:
    """Every section link, exercise {ref} and {term} of the course pages resolves."""
    chapters = {c.path.stem: c for c in course.chapters()}
    slugs = {stem: {s.slug for s in c.sections} for stem, c in chapters.items()}
    labels = {e.label for c in chapters.values() for e in c.exercises}
    glossary = ROOT / "glossary.md"
    terms = glossary_terms(glossary.read_text()) if glossary.exists() else set()
    checked = 0
    for name in COURSE_PAGES:
        path = ROOT / name
        if not path.exists():
            failures.add(name, "the page is missing")
            continue
        text = path.read_text()
        for stem, slug in SECTION_LINK.findall(text):
            checked += 1
            if stem not in slugs:
                failures.add(name, f"a link to a chapter that does not exist: {stem}")
            elif slug not in slugs[stem]:
                failures.add(name, f"a link to a section that {stem} does not have: #{slug}")
        for label in REF.findall(text):
            checked += 1
            if label not in labels:
                failures.add(name, f"{{ref}} to an unknown exercise label {label!r}")
        for term in TERM.findall(text):
            checked += 1
            if term.strip() not in terms:
                failures.add(name, f"{{term}} {term!r} is not in the glossary")
    if html_dir is None:
        return checked
    ids: dict[str, set[str]] = {}
    for name in COURSE_PAGES:
        page = html_dir / name.replace(".md", ".html")
        if not page.exists():
            continue
        html = page.read_text()
        for problem in re.findall(r'class="[^"]*(?:problematic|system-message)[^"]*"[^>]*>'
                                  r'([^<]{0,60})', html):
            failures.add(page.name, f"unresolved reference or markup error: {problem!r}")
        for target, anchor in HREF.findall(html):
            checked += 1
            if target not in ids:
                built = html_dir / unquote(target)
                ids[target] = set(re.findall(r'id="([^"]+)"', built.read_text())) \
                    if built.exists() else set()
            if unquote(anchor) not in ids[target]:
                failures.add(page.name, f"links to {target}#{anchor}, which is not there")
    return checked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()
    if cannot_open_pages("check_quizzes", args.chromium):
        return 2
    from playwright.sync_api import sync_playwright

    failures = Failures()
    html_dir = args.html.resolve() if (args.html / "index.html").exists() else None
    links = check_links(html_dir, failures)
    answers = 0
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                    args=CHROMIUM_ARGS)
        page = standalone_page(Path(folder))
        answers += check_page(browser, page, "standalone", failures, answer=True,
                              expect_math=bool(mathjax_script()))
        if html_dir is not None:
            pages = [html_dir / "quizzes.html", *sorted((html_dir / "chapters").glob("*.html"))]
            for path in pages:
                if path.exists() and "cl-quiz" in path.read_text(encoding="utf-8"):
                    answers += check_page(browser, path, f"book {path.stem}", failures,
                                          answer=False, expect_math=True)
        browser.close()
    for failure in failures:
        print(f"  - {failure}")
    built = "the built book too" if html_dir else "no built book"
    print(f"check_quizzes: {answers} answers and {links} links checked ({built}); "
          f"{'FAILED: ' + str(len(failures)) + ' problems' if failures else 'all passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
