"""Check the book's browser explorers against convlib, in headless Chromium.

Writes a page holding the five explorers that convlib generates
(``convlib.web_*_explorer``) to a temporary folder, opens it from disk with every
request that is not for a local file aborted, and checks that

1. the page's ports of convlib's functions (``window.convlibExplorers``) agree with
   convlib over sweeps of settings: ``output_size`` and ``transposed_output_size`` on
   every n <= 12, k <= 5, s <= 3, p <= 3, d <= 3 (output_padding < 3), the invalid
   settings included, whose error messages must be convlib's word for word;
   ``receptive_field`` on a few hundred random stacks; ``conv_matrix_index``,
   ``conv_params`` and ``valid_groups`` on sweeps; the slide's sums against ``conv2d``;
   and the number formatting against Python's;
2. moving each explorer's controls with the keyboard (sliders) or by choosing an
   option (lists), the numbers the page shows are convlib's for that setting, an
   invalid setting shows convlib's ValueError message, and the drawing changes;
3. every control has a visible label and changes something, also where the host
   page takes arrow keys for shortcuts (as JupyterLab does); nothing is logged to the
   console; the explorers fit the text column on a desktop and on a 400 px screen (a
   drawing too wide scrolls inside its panel), their text is at least 10 px, and in
   dark mode they sit on one light panel;
4. when the book is built, every explorer in its chapter pages starts (its script ran
   and enabled the controls) and each of its controls changes what it shows.

Screenshots of each explorer at a few settings go to _build/screenshots/explorer-*.png
(desktop, 400 px wide, and dark mode). When the book is built, the page uses its
stylesheets, so the explorers look as they will in it. Exits 0 when every check
passes, 1 when one fails (each failure is printed), 2 when it cannot run (no
Chromium, no playwright).

    .venv/bin/python tools/check_explorers.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from check_rendered import CHROMIUM, LOCAL_SCHEMES, TIMEOUT_MS, cannot_open_pages  # noqa: E402  (the same page rules)

import convlib as cl  # noqa: E402
from convlib.draw.grids import number_text  # noqa: E402
from convlib.draw.slide import Slide  # noqa: E402
from convlib.sizes.receptive import stack_layers  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]
# The book's stylesheets, when it is built: the explorers are seen as in the book.
BOOK_CSS = ("_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css",
            "_static/styles/sphinx-book-theme.css", "_static/book.css")

# Chapter 1's input and kernel, which its slide explorer moves over.
X = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
              [2, 0, 0, 0, 1]], dtype=np.float32)
K = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=np.float32)
GROUPS = (8, 8)


# -- the page ---------------------------------------------------------------------------


def page_html(book: Path | None) -> str:
    """The five explorers, each in the markup a book page wraps an output in."""
    explorers = {
        "slide": cl.web_slide_explorer(X, K),
        "output-size": cl.web_output_size_explorer(),
        "receptive-field": cl.web_receptive_field_explorer(cl.photo(gray=True, size=128)),
        "conv-matrix": cl.web_conv_matrix_explorer(),
        "groups": cl.web_groups_explorer(*GROUPS),
    }
    links = "".join(f'<link rel="stylesheet" href="{(book / css).as_uri()}">'
                    for css in BOOK_CSS if book and (book / css).exists())
    cases = "".join(
        f'<section data-case="{kind}"><h2>{kind}</h2><div class="bd-content">'
        f'<div class="cell_output docutils container"><div class="output text_html">'
        f"{html.data}</div></div></div></section>" for kind, html in explorers.items())
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>convlib's explorers</title>"
            # the theme's choice of light or dark, from the reader's system
            "<script>document.documentElement.dataset.theme = matchMedia("
            "'(prefers-color-scheme: dark)').matches ? 'dark' : 'light';</script>"
            # a host's keyboard shortcuts that cancel the keys they take, as JupyterLab's
            "<script>document.addEventListener('keydown', e => { if (/^(Arrow|Home|End|Page)/"
            ".test(e.key)) e.preventDefault(); });</script>"
            + links
            # the book's text column: 688 px on a desktop, the screen less 32 px on a phone
            + "<style>body { max-width: 720px; margin: 0 auto; padding: 0 16px; "
            "box-sizing: border-box; font-family: system-ui, sans-serif; } "
            "html[data-theme='dark'] body { background: #121212; color: #ced6dd; }</style>"
            f"</head><body>{cases}</body></html>")


def open_page(context, path: Path, console: list[str]):
    """The page, from disk, with the network cut off and console errors collected."""
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).scheme
               in LOCAL_SCHEMES else r.abort("blockedbyclient"))
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
    page.goto(path.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
    page.wait_for_function("() => document.querySelectorAll('[data-mounted]').length === 5",
                           timeout=TIMEOUT_MS)
    return page


class Report:
    """Failures, and how many settings each check compared."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.counts: dict[str, int] = {}

    def fail(self, message: str) -> None:
        if message not in self.failures:
            self.failures.append(message)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


# -- 1. the ports of convlib's functions --------------------------------------------------


def python_result(function: Callable, args: Iterable) -> dict:
    """What convlib returns for ``args``, or the type and message of the error it raises."""
    try:
        return {"value": function(*args)}
    except (ValueError, TypeError) as error:
        return {"error": [type(error).__name__, str(error)]}


JS_CALL = """([name, calls]) => calls.map(args => {
  try {
    return {value: window.convlibExplorers[name](...args)};
  } catch (error) {
    return {error: [error.name, error.message]};
  }
})"""


def js_arg(value: object) -> object:
    """A Python argument as the page takes it: tuples become arrays."""
    return [js_arg(v) for v in value] if isinstance(value, (tuple, list)) else value


def compare(page, report: Report, name: str, calls: list[tuple], python: Callable,
            convert: Callable[[object], object] = lambda v: v) -> None:
    """Call the page's ``name`` and convlib's ``python`` on every argument tuple in
    ``calls``; ``convert`` turns convlib's value into what the page returns."""
    shown = page.evaluate(JS_CALL, [name, [js_arg(args) for args in calls]])
    wrong = 0
    for args, got in zip(calls, shown, strict=True):
        want = python_result(python, args)
        if "value" in want:
            want = {"value": convert(want["value"])}
        if got != want:
            wrong += 1
            if wrong <= 5:
                report.fail(f"{name}{tuple(args)}: the page gives {got}, convlib {want}")
    if wrong > 5:
        report.fail(f"{name}: {wrong} of {len(calls)} settings disagree with convlib")
    report.count(f"{name} settings", len(calls))


def field_rows(field) -> list[dict]:
    """convlib's receptive field as the rows the page's port returns."""
    return [{"name": r.name, "layer": r.layer, "kernel_size": r.kernel_size,
             "stride": r.stride, "dilation": r.dilation, "padding": r.padding,
             "size": r.size, "jump": r.jump, "start": r.start, "centre": r.centre}
            for r in field]


def random_stacks(rng: random.Random, count: int) -> list[tuple]:
    """Stacks of 1 to 6 layers as (k, s[, d[, p]]) tuples; about one in ten is invalid."""
    stacks = []
    for _ in range(count):
        layers = []
        for _ in range(rng.randint(1, 6)):
            layer = [rng.randint(1, 7), rng.randint(1, 3), rng.randint(1, 4), rng.randint(0, 3)]
            layer = layer[: rng.randint(2, 4)]
            if rng.random() < 0.02:
                layer[rng.randrange(len(layer))] = rng.choice([0, -1])
            if rng.random() < 0.01:
                layer = layer[:1]
            layers.append(tuple(layer))
        stacks.append((layers,))
    return stacks


def check_ports(page, report: Report) -> None:
    """The page's functions against convlib's over sweeps of settings."""
    compare(page, report, "outputSize",
            list(itertools.product(range(1, 13), range(1, 6), range(1, 4), range(0, 4),
                                   range(1, 4)))
            + [(0, 3), (3, 0), (5, 3, 0), (5, 3, 1, -1), (5, 3, 1, (1, 2)), (5, 3, 1, (2, -1)),
               (2.5, 3), (5, 3, 1, (1, 2, 3))],
            cl.output_size)
    compare(page, report, "transposedOutputSize",
            list(itertools.product(range(1, 13), range(1, 6), range(1, 4), range(0, 4),
                                   range(0, 3), range(1, 4)))
            + [(0, 3), (3, 3, 1, -1), (3, 3, 1, 0, -1), (3, 3, 1, 0, 0, 0), (3, 3.5)],
            cl.transposed_output_size)
    rng = random.Random(13)
    compare(page, report, "receptiveField", random_stacks(rng, 400), cl.receptive_field,
            field_rows)
    stacks = list(itertools.product(range(1, 7), (1, 3, 5, 7), range(1, 4),
                                    (1, 2, 3, "doubling")))
    compare(page, report, "stackLayers", stacks, stack_layers, js_arg)
    compare(page, report, "convMatrixIndex",
            [((k, k), (h, w), s, p, d)
             for k in range(1, 5) for h in range(1, 7) for w in range(1, 7)
             for s in range(1, 4) for p in range(0, 3) for d in range(1, 3)]
            + [((2, 3, 3), (2, 4, 4)), ((3, 2, 2, 2), (2, 3, 3), 1, 1), ((2, 3, 3), (4, 4)),
               ((3, 3), (5, 6), (1, 2), (0, 1), (2, 1)), ((3,), (4, 4)), ((0, 3), (4, 4)),
               ((3, 3), (4, 0)), ((3, 3), (4, 4), 0), ((3, 3), (4, 4), 1, -1)],
            cl.conv_matrix_index, lambda index: index.tolist())
    compare(page, report, "convParams",
            [(cin, cout, k, g, bias)
             for cin in range(1, 9) for cout in range(1, 9)
             for k in (1, 2, 3, (1, 3), (3, 5, 2)) for g in range(1, 9)
             for bias in (True, False)]
            + [(0, 4, 3), (4, 4, 0), (4, 4, (0, 3)), (4, 4, 3, 0), (4, 4, 3, 1, "yes"),
               (4, 4, 3.5), (4, 4, ())],
            cl.conv_params)
    compare(page, report, "validGroups",
            list(itertools.product(range(1, 25), range(1, 25))) + [(0, 4), (4, -2)],
            cl.valid_groups)
    check_correlate(page, report)
    check_formatting(page, report)


def check_correlate(page, report: Report) -> None:
    """The slide's sums against convlib's conv2d, on random grids."""
    rng = np.random.default_rng(0)
    calls = []
    for _ in range(60):
        h, w = rng.integers(1, 8, size=2)
        kh, kw = rng.integers(1, h + 1), rng.integers(1, w + 1)
        whole = rng.random() < 0.5
        x = rng.integers(-9, 10, (h, w)) if whole else rng.normal(size=(h, w))
        k = rng.integers(-9, 10, (kh, kw)) if whole else rng.normal(size=(kh, kw))
        calls.append((x.astype(float), k.astype(float)))
    shown = page.evaluate(JS_CALL, ["correlate", [[x.tolist(), k.tolist()] for x, k in calls]])
    for (x, k), got in zip(calls, shown, strict=True):
        want = cl.conv2d(x[None, None], k[None, None])[0, 0]
        if "value" not in got or not np.allclose(got["value"], want, rtol=1e-12, atol=1e-12):
            report.fail(f"correlate on a {x.shape} input and a {k.shape} kernel: the page "
                        f"gives {got}, convlib {want.tolist()}")
    report.count("correlate settings", len(calls))


def check_formatting(page, report: Report) -> None:
    """Numbers written as Python writes them: f"{v:g}" and convlib's number_text."""
    rng = np.random.default_rng(1)
    values = [0.0, 1.0, -1.0, 0.5, 2.5, 12.5, 13.5, 0.125, 0.375, 2.675, 1e-5, 0.0001,
              0.00012345, 123456.0, 1234567.0, 999999.5, 1 / 3, -2.5e-7, 100.0, 1e16,
              9.9999995, 0.95, 0.05, 1.5, -0.25, 99.5, 150.0, 1e-4 * 0.5]
    values += [float(v) for v in rng.normal(scale=10.0, size=200)]
    values += [float(v) for v in 10.0 ** rng.uniform(-6, 8, size=200)]
    values += [float(v) / 8 for v in rng.integers(-400, 400, size=100)]  # exact ties
    values += [float(v) / 200 for v in rng.integers(-2000, 2000, size=200)]  # near ties
    values += [0.45, 2.45, 1.45, 1.55, 0.15, 0.35, 2.675e-5, 1234565.0, 0.000123455]
    for name, python in (("formatG", lambda v: f"{v:g}"), ("numberText", number_text)):
        shown = page.evaluate(JS_CALL, [name, [[v] for v in values]])
        for v, got in zip(values, shown, strict=True):
            if got != {"value": python(v)}:
                report.fail(f"{name}({v!r}): the page writes {got}, Python {python(v)!r}")
        report.count(f"{name} values", len(values))


# -- 2. the explorers, moved through settings -----------------------------------------------


JS_STATE = """id => {
  const root = document.getElementById(id);
  const values = {};
  root.querySelectorAll('[data-value]').forEach(e => { values[e.dataset.value] = e.textContent; });
  const readouts = {};
  root.querySelectorAll('output[data-readout]').forEach(o => {
    readouts[o.dataset.readout] = o.textContent; });
  return {values, readouts, drawing: root.querySelector('.cl-drawing').innerHTML,
          summary: root.querySelector('.cl-summary').textContent,
          rows: [...root.querySelectorAll('[data-row][data-weights]')].map(g => g.dataset.weights),
          spans: [...root.querySelectorAll('rect[data-span]')].map(r => r.dataset.span),
          table: [...root.querySelectorAll('tr[data-row]')].map(tr =>
            [...tr.querySelectorAll('td')].map(td => td.textContent.replace('*', ''))),
          options: [...root.querySelectorAll('select[data-control="groups"] option')]
            .map(o => o.value)};
}"""


JS_CONTROLS = """id => Object.fromEntries([...document.getElementById(id)
  .querySelectorAll('[data-control]')].map(c => [c.dataset.control,
    c.type === 'range' || c.dataset.type === 'int' ? Number(c.value) : c.value]))"""


def explorer_id(page, kind: str) -> str:
    return page.evaluate("kind => document.querySelector(`[data-explorer='${kind}']`).id", kind)


def set_control(page, root: str, name: str, value: object) -> None:
    """Set a control as a reader would: a slider with the keyboard (Home, End and the
    arrow keys, the fewest presses), a list by choosing an option."""
    control = page.locator(f"#{root}-{name}")
    if control.evaluate("c => c.tagName") == "SELECT":
        control.select_option(str(value))
        return
    low, high, step, now = control.evaluate(
        "c => [c.min, c.max, c.step, c.value].map(Number)")
    target = float(value)
    routes = [([], (target - now) / step), (["Home"], (target - low) / step),
              (["End"], (target - high) / step)]
    keys, arrows = min(routes, key=lambda route: len(route[0]) + abs(route[1]))
    control.focus()
    for key in keys + ["ArrowRight" if arrows > 0 else "ArrowLeft"] * abs(round(arrows)):
        control.press(key)
    if control.evaluate("c => Number(c.value)") != target:
        raise AssertionError(f"the keyboard could not move {name} from {now} to {value}")


def apply(page, root: str, setting: dict) -> dict:
    """Move the controls to ``setting`` (in order) and read what the explorer shows."""
    for name, value in setting.items():
        set_control(page, root, name, value)
    return page.evaluate(JS_STATE, root)


def drive(page, report: Report, kind: str, settings: list[dict],
          expect: Callable[[dict, dict], list[str]]) -> None:
    """Move explorer ``kind`` through ``settings``; ``expect(setting, state)`` lists what
    the page shows that differs from convlib. What it shows must change with the setting
    (the drawing, or for a setting with no output, the reason)."""
    root = explorer_id(page, kind)
    before = page.evaluate(JS_STATE, root)
    full = page.evaluate(JS_CONTROLS, root)
    for setting in settings:
        if {**full, **setting} == full:
            continue  # nothing to move
        full = {**full, **setting}
        try:
            state = apply(page, root, setting)
        except AssertionError as error:
            report.fail(f"{kind}: {error}")
            continue
        for problem in expect(full, state):
            report.fail(f"{kind} at {full}: {problem}")
        for name, value in full.items():
            if name in state["readouts"] and state["readouts"][name] != str(value):
                report.fail(f"{kind} at {full}: the readout of {name} says "
                            f"{state['readouts'][name]}")
        if (state["drawing"], state["summary"]) == (before["drawing"], before["summary"]):
            report.fail(f"{kind}: moving to {setting} changed neither the drawing nor the "
                        "numbers")
        before = state
        report.count(f"{kind} settings")


def error_of(function: Callable, *args) -> str | None:
    try:
        function(*args)
    except ValueError as error:
        return str(error)
    return None


def expect_slide(setting: dict, state: dict) -> list[str]:
    slide = Slide.build(X, K)
    step = setting["step"]
    value = slide.output.flat[step]
    problems = []
    if state["values"].get("output") != f"{value:g}":
        problems.append(f"output {state['values'].get('output')!r}, convlib {value:g}")
    if state["values"].get("equation") != slide.equation(step):
        problems.append(f"equation {state['values'].get('equation')!r}, convlib "
                        f"{slide.equation(step)!r}")
    return problems


def expect_output_size(setting: dict, state: dict) -> list[str]:
    n, k, p, s, d = (setting[name] for name in ("n", "kernel_size", "padding", "stride",
                                               "dilation"))
    if setting.get("mode") == "transposed":
        args = (cl.transposed_output_size, n, k, s, p, setting["output_padding"], d)
    else:
        args = (cl.output_size, n, k, s, p, d)
    error = error_of(*args)
    if error is not None:
        shown = state["values"].get("error")
        return [] if shown == error else [f"error {shown!r}, convlib {error!r}"]
    size = str(args[0](*args[1:]))
    shown = state["values"].get("output-size")
    problems = [] if shown == size else [f"output size {shown!r}, convlib {size}"]
    if setting.get("mode") == "transposed":  # the input as the drawing stretches it
        side = str(cl.zero_stuff(np.zeros((n, n)), k, s, p, setting["output_padding"], d)[0]
                   .shape[0])
        if state["values"].get("stretched") != side:
            problems.append(f"stretched input {state['values'].get('stretched')!r}, "
                            f"convlib's zero_stuff {side}")
    return problems


def expect_field(image_shape: tuple[int, int]) -> Callable[[dict, dict], list[str]]:
    point = ((image_shape[0] - 1) / 2, (image_shape[1] - 1) / 2)

    def expect(setting: dict, state: dict) -> list[str]:
        d = "doubling" if setting["dilation"] == "1, 2, 4, ..." else int(setting["dilation"])
        field = cl.receptive_field(stack_layers(setting["depth"], setting["kernel_size"],
                                                setting["stride"], d))
        problems = []
        for name in ("size", "jump", "start"):
            if state["values"].get(name) != str(getattr(field, name)):
                problems.append(f"{name} {state['values'].get(name)!r}, convlib "
                                f"{getattr(field, name)}")
        table = [[r.name, r.layer, str(r.size), str(r.jump), str(r.start), f"{r.centre:g}"]
                 for r in field]
        if state["table"] != table:
            problems.append(f"table {state['table']}, convlib {table}")
        spans = [",".join(map(str, (*r.span(r.nearest_unit(point[0])),
                                    *r.span(r.nearest_unit(point[1]))))) for r in field]
        if state["spans"] != spans:
            problems.append(f"boxes {state['spans']}, convlib {spans}")
        return problems

    return expect


def expect_matrix(setting: dict, state: dict) -> list[str]:
    n, k, s, p = (setting[name] for name in ("n", "kernel_size", "stride", "padding"))
    error = error_of(cl.conv_matrix_index, (k, k), (n, n), s, p)
    if error is not None:
        shown = state["values"].get("error")
        return [] if shown == error else [f"error {shown!r}, convlib {error!r}"]
    index = cl.conv_matrix_index((k, k), (n, n), s, p)
    stored = int((index >= 0).sum())
    want = {"rows": index.shape[0], "cols": index.shape[1], "entries": index.numel(),
            "stored": stored, "zeros": index.numel() - stored,
            "distinct": len(index[index >= 0].unique())}
    problems = [f"{name} {state['values'].get(name)!r}, convlib {value}"
                for name, value in want.items() if state["values"].get(name) != str(value)]
    rows = [",".join(map(str, row)) for row in index.tolist()]
    if state["rows"] != rows:
        problems.append("the weights its rows hold differ from conv_matrix_index")
    return problems


def expect_groups(setting: dict, state: dict) -> list[str]:
    g, k = setting["groups"], setting["kernel_size"]
    mine = cl.conv_params(*GROUPS, k, groups=g, bias=False)
    full = cl.conv_params(*GROUPS, k, bias=False)
    want = {"weights": f"{mine:,}"}
    if g > 1:
        want |= {"full": f"{full:,}", "ratio": f"{full / mine:g}"}
    problems = [f"{name} {state['values'].get(name)!r}, convlib {value}"
                for name, value in want.items() if state["values"].get(name) != value]
    options = [str(v) for v in cl.valid_groups(*GROUPS)]
    if state["options"] != options:
        problems.append(f"groups offered {state['options']}, convlib's valid_groups {options}")
    return problems


def output_size_settings(rng: random.Random) -> list[dict]:
    """Settings that cover direct and transposed, valid and not, in a reader's order."""
    settings = [{"n": 7, "kernel_size": 3, "padding": 1, "stride": 2, "dilation": 1},
                {"n": 2, "padding": 0, "kernel_size": 5},  # the kernel does not fit
                {"padding": 1}, {"dilation": 3, "padding": 3}, {"n": 12, "stride": 3},
                {"mode": "transposed"}, {"output_padding": 2},
                {"stride": 1, "dilation": 1},  # output_padding too large
                {"output_padding": 0, "n": 1, "kernel_size": 1, "padding": 2},  # cropped away
                {"mode": "direct"}]
    for _ in range(30):
        setting = {"n": rng.randint(1, 12), "kernel_size": rng.randint(1, 5),
                   "padding": rng.randint(0, 3), "stride": rng.randint(1, 3),
                   "dilation": rng.randint(1, 3), "mode": rng.choice(["direct", "transposed"])}
        if setting["mode"] == "transposed":
            setting["output_padding"] = rng.randint(0, 2)
        settings.append(setting)
    return settings


def check_explorers(page, report: Report) -> None:
    """Every explorer moved through settings, its numbers compared with convlib's."""
    rng = random.Random(5)
    drive(page, report, "slide", [{"step": s} for s in (1, 2, 5, 8, 0, 4)], expect_slide)
    settings = output_size_settings(rng)
    # the same drawing twice in a row is no failure of the page: skip repeated settings
    drive(page, report, "output-size", [s for i, s in enumerate(settings)
                                        if i == 0 or s != settings[i - 1]], expect_output_size)
    fields = [{"depth": 1}, {"depth": 6}, {"kernel_size": 5}, {"stride": 2},
              {"dilation": "1, 2, 4, ..."}, {"stride": 1}, {"kernel_size": 7, "depth": 4},
              {"dilation": "3"}, {"stride": 3, "kernel_size": 1}, {"dilation": "2"}]
    fields += [{"depth": rng.randint(1, 6), "kernel_size": rng.choice([1, 3, 5, 7]),
                "stride": rng.randint(1, 3), "dilation": rng.choice(["1", "2", "3",
                                                                     "1, 2, 4, ..."])}
               for _ in range(15)]
    first = {"depth": 3, "kernel_size": 3, "stride": 1, "dilation": "1"}
    drive(page, report, "receptive-field", [{**first, **fields[0]}, *fields[1:]],
          expect_field(cl.photo(gray=True, size=128).shape))
    matrices = [{"n": 4, "kernel_size": 3, "stride": 1, "padding": 1}, {"stride": 2},
                {"n": 6, "padding": 2, "stride": 1}, {"kernel_size": 1}, {"n": 2, "padding": 0,
                                                                          "kernel_size": 4},
                {"padding": 1}, {"kernel_size": 2, "stride": 3}]
    matrices += [{"n": rng.randint(2, 6), "kernel_size": rng.randint(1, 4),
                  "stride": rng.randint(1, 3), "padding": rng.randint(0, 2)} for _ in range(15)]
    drive(page, report, "conv-matrix", matrices, expect_matrix)
    groups = [{"groups": g, "kernel_size": k} for g in cl.valid_groups(*GROUPS)
              for k in (1, 3, 5, 7)]
    drive(page, report, "groups", [{"groups": 2, "kernel_size": 3}, *groups[1:]], expect_groups)


# -- 3. labels, dead controls, fit, text size, dark mode ------------------------------------

JS_LABELS = """() => [...document.querySelectorAll('[data-control]')].map(c => {
  const label = document.querySelector(`label[for="${c.id}"]`);
  return {id: c.id, label: label ? label.textContent.trim() : '',
          visible: !!label && label.getBoundingClientRect().width > 0};
})"""

JS_FIT = """() => [...document.querySelectorAll('.convlib-explorer')].map(e => {
  const output = e.closest('.output');
  const smallest = Math.min(...[...e.querySelectorAll('text, label, p, span, td, th, div')]
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize)));
  const [r, g, b] = getComputedStyle(e).backgroundColor.match(/\\d+/g).map(Number);
  const frame = getComputedStyle(output).backgroundColor;
  return {kind: e.dataset.explorer, wide: output.scrollWidth > output.clientWidth + 1,
          framed: frame !== 'rgba(0, 0, 0, 0)' && frame !== 'transparent',
          pageWide: document.documentElement.scrollWidth > window.innerWidth + 1,
          smallest, light: (r + g + b) / 3 > 200};
})"""


def check_controls(page, report: Report) -> None:
    """Every control is labelled, and moving it from the explorer's first setting (the
    page freshly loaded) changes what the explorer shows."""
    for control in page.evaluate(JS_LABELS):
        if not control["label"]:
            report.fail(f"control {control['id']} has no label")
        report.count("controls")
    # from the first setting of each explorer, one control moved at a time
    moves = {"slide": [{"step": 3}],
             "output-size": [{"n": 6}, {"kernel_size": 2}, {"padding": 0}, {"stride": 1},
                             {"dilation": 2}, {"mode": "transposed"}, {"output_padding": 1}],
             "receptive-field": [{"depth": 2}, {"kernel_size": 5}, {"stride": 2},
                                 {"dilation": "2"}],
             "conv-matrix": [{"n": 5}, {"kernel_size": 2}, {"stride": 2}, {"padding": 1}],
             "groups": [{"groups": 4}, {"kernel_size": 5}]}
    for kind, settings in moves.items():
        root = explorer_id(page, kind)
        names = page.evaluate("id => [...document.getElementById(id)"
                              ".querySelectorAll('[data-control]')].map(c => c.dataset.control)",
                              root)
        missing = set(names) - {name for s in settings for name in s}
        if missing:
            report.fail(f"{kind}: controls not checked for a visible effect: {sorted(missing)}")
        for setting in settings:
            before = page.evaluate(JS_STATE, root)
            try:
                after = apply(page, root, setting)
            except AssertionError as error:
                report.fail(f"{kind}: {error}")
                continue
            if (after["drawing"], after["summary"]) == (before["drawing"], before["summary"]):
                report.fail(f"{kind}: moving {setting} changes nothing (a dead control)")


def check_fit(page, report: Report, where: str) -> None:
    """The explorers fit the column, their text is legible, their panel light."""
    for e in page.evaluate(JS_FIT):
        if e["wide"]:
            report.fail(f"{where}: the {e['kind']} explorer is wider than the text column")
        if e["pageWide"]:
            report.fail(f"{where}: the page scrolls sideways (the {e['kind']} explorer)")
        if e["smallest"] < 10:
            report.fail(f"{where}: the {e['kind']} explorer has text of {e['smallest']} px")
        if not e["light"]:
            report.fail(f"{where}: the {e['kind']} explorer is not on a light panel")
        if e["framed"]:
            report.fail(f"{where}: the {e['kind']} explorer sits in a second, coloured frame")


# -- 4. screenshots ---------------------------------------------------------------------------

SHOTS = {
    "slide": [{"step": 0}, {"step": 4}],
    "output-size": [{"n": 7, "kernel_size": 3, "padding": 1, "stride": 2, "dilation": 1,
                     "mode": "direct"},
                    {"n": 5, "kernel_size": 3, "padding": 1, "stride": 2, "dilation": 1,
                     "mode": "transposed", "output_padding": 1},
                    {"n": 12, "kernel_size": 5, "padding": 3, "stride": 3, "dilation": 3,
                     "mode": "transposed", "output_padding": 2},
                    {"n": 2, "kernel_size": 5, "padding": 0, "stride": 1, "dilation": 1,
                     "mode": "direct"}],
    "receptive-field": [{"depth": 3, "kernel_size": 3, "stride": 1, "dilation": "1"},
                        {"depth": 4, "kernel_size": 3, "stride": 2, "dilation": "1"},
                        {"depth": 6, "kernel_size": 7, "stride": 3, "dilation": "1, 2, 4, ..."}],
    "conv-matrix": [{"n": 4, "kernel_size": 3, "stride": 1, "padding": 0},
                    {"n": 4, "kernel_size": 3, "stride": 1, "padding": 1},
                    {"n": 6, "kernel_size": 4, "stride": 1, "padding": 2}],
    "groups": [{"groups": 1, "kernel_size": 3}, {"groups": 4, "kernel_size": 3}],
}


def screenshots(page, report: Report, where: str, folder: Path) -> None:
    """Each explorer at a few settings, as a reader sees it."""
    for kind, settings in SHOTS.items():
        root = explorer_id(page, kind)
        for number, setting in enumerate(settings, 1):
            try:
                apply(page, root, setting)
            except AssertionError as error:
                report.fail(f"{kind}: {error}")
                continue
            page.locator(f"section[data-case='{kind}']").screenshot(
                path=str(folder / f"explorer-{kind}-{number}-{where}.png"))
            report.count("screenshots")
    check_fit(page, report, where)


# -- 5. the explorers in the built book -----------------------------------------------------

JS_EXPLORER_STATE = """root => ({
    mounted: root.hasAttribute('data-mounted'),
    disabled: [...root.querySelectorAll('input, select')].filter(c => c.disabled)
        .map(c => c.id),
    controls: [...root.querySelectorAll('input[type=range], select')].map(c => c.id),
})"""


def check_book_pages(context, book: Path, report: Report) -> None:
    """Every explorer in the built chapters starts (its script ran, no control is left
    disabled) and every one of its controls changes what it shows."""
    console: list[str] = []
    for path in sorted((book / "chapters").glob("*.html")):
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).scheme
                   in LOCAL_SCHEMES else r.abort("blockedbyclient"))
        page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
        page.goto(path.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_timeout(500)
        where = f"{path.stem} in the built book"
        for root in page.locator("div.convlib-explorer[data-explorer]").all():
            state = root.evaluate(JS_EXPLORER_STATE)
            name = f"{root.get_attribute('data-explorer')} explorer of {where}"
            report.count("explorers in built pages")
            if not state["mounted"] or state["disabled"]:
                report.fail(f"the {name} did not start: controls disabled "
                            f"{state['disabled']}")
                continue
            for control_id in state["controls"]:
                control = page.locator(f"#{control_id}")
                control.scroll_into_view_if_needed()
                before = root.inner_html()
                if control.evaluate("c => c.tagName") == "SELECT":
                    values = control.evaluate("c => [...c.options].map(o => o.value)")
                    current = control.input_value()
                    control.select_option(next(v for v in values if v != current))
                else:
                    control.focus()
                    key = "Home" if control.evaluate("c => +c.value === +c.max") else "End"
                    page.keyboard.press(key)
                if root.inner_html() == before:
                    report.fail(f"in the {name}, moving {control_id} changes nothing")
                report.count("controls moved in built pages")
        page.close()
    for text in console:
        report.fail(f"console, built book: {text}")


# -- the run ------------------------------------------------------------------------------------


def run(chromium: str, shots: Path) -> Report:
    from playwright.sync_api import sync_playwright

    report = Report()
    shots.mkdir(parents=True, exist_ok=True)
    book = ROOT / "_build" / "html"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        path = Path(folder) / "explorers.html"
        path.write_text(page_html(book if (book / "index.html").exists() else None), "utf-8")
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=CHROMIUM_ARGS)
        contexts = {
            "desktop": browser.new_context(viewport={"width": 1280, "height": 900}),
            "narrow": browser.new_context(viewport={"width": 400, "height": 800},
                                          device_scale_factor=2),
            "dark": browser.new_context(viewport={"width": 1280, "height": 900},
                                        color_scheme="dark"),
        }
        console: list[str] = []
        for where, context in contexts.items():
            page = open_page(context, path, console)
            if where == "desktop":
                check_controls(page, report)
                check_ports(page, report)
                check_explorers(page, report)
            check_fit(page, report, where)
            screenshots(page, report, where, shots)
            page.close()
        if (book / "index.html").exists():
            check_book_pages(contexts["desktop"], book, report)
        browser.close()
    for text in console:
        report.fail(f"console: {text}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--screenshots", type=Path, default=ROOT / "_build" / "screenshots")
    args = parser.parse_args()
    if cannot_open_pages("check_explorers", args.chromium):
        return 2
    report = run(args.chromium, args.screenshots)
    for what, n in report.counts.items():
        print(f"  {n:6d} {what}")
    for failure in report.failures:
        print(f"FAIL {failure}")
    compared = sum(n for what, n in report.counts.items() if what.endswith(("settings",
                                                                           "values")))
    print(f"check_explorers: {'FAILED' if report.failures else 'ok'}, {compared} settings "
          f"and values compared with convlib; screenshots in {args.screenshots}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
