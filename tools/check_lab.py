"""Run a chapter in JupyterLab, as a learner would, in headless Chromium.

Starts JupyterLab on the chapters (with the book's settings, tools/lab_settings.json,
and live explorers), opens chapter 1 and checks that

- the book's MyST reads as it does in the book: no raw directive text (":::{",
  "````{") is visible, and the math is typeset;
- every exercise's solution cell starts collapsed, its code and its output hidden;
- no news or update prompt appears;
- after Run All, no cell shows an error, and moving the slide explorer's slider
  redraws its figure.

Saves screenshots to _build/screenshots/lab-*.png. Exits 0 when every check passes,
1 when one fails (each failure is printed), 2 when it cannot run.

    .venv/bin/python tools/check_lab.py [--notebook 01_operation.ipynb]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from check_rendered import CHROMIUM, ROOT, cannot_open_pages

SETTINGS = ROOT / "tools" / "lab_settings.json"

JS_STATE = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const visible = e => e.checkVisibility({visibilityProperty: true});
  const text = [...nb.querySelectorAll('.jp-MarkdownOutput, .jp-RenderedMarkdown')]
    .filter(visible).map(e => e.innerText).join('\\n');
  return {
    raw: [':::{', '````{', '```{'].filter(s => text.includes(s)),
    math: nb.querySelectorAll('mjx-container, .MathJax, .katex').length,
    hiddenInputs: nb.querySelectorAll('.jp-Cell .jp-InputPlaceholder').length,
    hiddenOutputs: nb.querySelectorAll('.jp-Cell .jp-OutputPlaceholder').length,
    prompts: [...document.querySelectorAll('.jp-toast-message, .Toastify__toast')]
      .map(e => e.innerText.slice(0, 100)),
  };
}"""


JS_RAN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session?.kernel;
  const cells = [...panel.content.model.cells].filter(c => c.type === 'code');
  return kernel && kernel.status === 'idle' && cells.every(c => c.executionCount);
}"""

JS_ERRORS = """() => [...window.jupyterapp.shell.currentWidget.content.model.cells]
  .filter(c => c.type === 'code')
  .flatMap(c => [...Array(c.outputs.length).keys()].map(i => c.outputs.get(i).toJSON()))
  .filter(o => o.output_type === 'error').map(o => `${o.ename}: ${o.evalue}`)"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def solution_cells(notebook: Path) -> int:
    """How many code cells of the notebook sit inside solutions."""
    sys.path.insert(0, str(ROOT / "tools"))
    from notebooks import Notebook  # noqa: PLC0415
    from notebooks import solution_cells as cells

    return len(cells(Notebook.read(notebook)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="01_operation.ipynb")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--screenshots", type=Path, default=ROOT / "_build" / "screenshots")
    args = parser.parse_args()
    notebook = ROOT / "chapters" / args.notebook
    if cannot_open_pages("check_lab", args.chromium):
        return 2
    from playwright.sync_api import sync_playwright

    # JupyterLab reads its default settings from its application directory.
    settings_dir = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(SETTINGS, settings_dir / "overrides.json")

    port, token = free_port(), secrets.token_hex(16)
    # The learner's progress goes to a scratch file, never the home folder of whoever
    # runs the check; Run All runs only the book's own answers, so it must stay empty.
    progress = Path(tempfile.mkdtemp()) / "progress.json"
    env = {**os.environ, "CONVLIB_WIDGETS": "1", "JUPYTER_TOKEN": token,
           "CONVLIB_PROGRESS": str(progress)}
    lab = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", "--LabApp.expose_app_in_browser=True",
         f"--ServerApp.root_dir={ROOT / 'chapters'}", "--allow-root"],
        cwd=ROOT / "chapters", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures: list[str] = []
    args.screenshots.mkdir(parents=True, exist_ok=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):  # wait for the server
            try:
                urlopen(f"{base}/api?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                        args=["--no-sandbox", "--disable-gpu",
                                              "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/{args.notebook}?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_timeout(8000)  # the MyST renderer and MathJax finish
            before = page.evaluate(JS_STATE)
            page.screenshot(path=str(args.screenshots / "lab-opened.png"))
            for raw in before["raw"]:
                failures.append(f"raw directive text visible: {raw!r}")
            if before["math"] == 0:
                failures.append("no typeset math in the notebook")
            expected = solution_cells(notebook)
            if before["hiddenInputs"] < expected or before["hiddenOutputs"] < expected:
                failures.append(f"{expected} solution cells, but {before['hiddenInputs']} "
                                f"hidden inputs and {before['hiddenOutputs']} hidden outputs")
            for prompt in before["prompts"]:
                failures.append(f"a prompt shows: {prompt!r}")

            page.evaluate("() => window.jupyterapp.commands.execute("
                          "'notebook:run-all-cells')")
            # JupyterLab renders only the cells in view, so progress is read from the
            # notebook's model: every code cell numbered, and the kernel idle.
            page.wait_for_function(JS_RAN, timeout=240_000, polling=1000)
            page.wait_for_timeout(2000)
            for error in page.evaluate(JS_ERRORS):
                failures.append(f"a cell failed: {error!r}")

            slider = page.locator(".jupyter-widgets.widget-slider").first
            if slider.count() == 0:
                failures.append("the slide explorer shows no slider after Run All")
            else:
                slider.scroll_into_view_if_needed()
                widget = slider.locator("xpath=ancestor::*[contains(@class,'widget-interact')]")
                image = widget.locator("img").first
                page.wait_for_timeout(1000)
                src_before = image.get_attribute("src")
                page.screenshot(path=str(args.screenshots / "lab-explorer-before.png"))
                handle = slider.locator(".noUi-handle, .slider-handle, [role=slider]").first
                handle.focus()
                for _ in range(4):
                    page.keyboard.press("ArrowRight")
                page.wait_for_timeout(3000)
                src_after = image.get_attribute("src")
                page.screenshot(path=str(args.screenshots / "lab-explorer-after.png"))
                if not src_before or src_before == src_after:
                    failures.append("moving the slider did not redraw the explorer's figure")
            browser.close()
    except Exception as error:  # any breakage of the run is a failure
        failures.append(f"could not run the check: {error}")
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()

    if progress.exists() and json.loads(progress.read_text()).get("passed"):
        failures.append("Run All marked exercises as passed by the learner: "
                        f"{sorted(json.loads(progress.read_text())['passed'])}")
    for failure in failures:
        print(f"  - {failure}")
    print(f"check_lab: {args.notebook} in JupyterLab: "
          f"{'failed' if failures else 'passed'}; screenshots in {args.screenshots}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
