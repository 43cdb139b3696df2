"""Audit every page of the built book for accessibility with axe-core.

Opens each page listed in _toc.yml, and the index, from _build/html in headless
Chromium with the network cut off, in light and in dark mode, and runs axe-core
(the copy shipped with axe-playwright-python) on it. A serious or critical
violation fails the page; moderate and minor ones are counted and listed with
--verbose. Exits 0 when no page has a serious or critical violation, 1 when one
has, 2 when the audit cannot run.

    .venv/bin/python tools/check_a11y.py [--html _build/html] [--pages intro ...] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import yaml
from check_rendered import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_SCHEMES,
    ROOT,
    TIMEOUT_MS,
    cannot_open_pages,
    toc_files,
)

FAILING = {"serious", "critical"}
# The standards axe checks against: WCAG 2.1 A and AA, and its best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    """The axe-core script, from the installed axe-playwright-python package."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def audit(context, path: Path, script: str) -> list[dict]:
    """axe-core's violations on one page, once its scripts and math have settled."""
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_()
               if urlparse(route.request.url).scheme in LOCAL_SCHEMES else route.abort())
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_timeout(500)  # MathJax and the animations build their DOM
        page.add_script_tag(content=script)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        return result["violations"]
    finally:
        page.close()


def describe(violation: dict) -> str:
    nodes = violation["nodes"]
    where = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list)
                      else str(n["target"]) for n in nodes[:3])
    more = f" (and {len(nodes) - 3} more)" if len(nodes) > 3 else ""
    return (f"{violation['impact']}: {violation['id']} on {len(nodes)} element(s), "
            f"{violation['help']}: {where}{more}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--pages", nargs="*", help="audit only these pages, e.g. intro")
    parser.add_argument("--verbose", action="store_true",
                        help="also list moderate and minor violations")
    args = parser.parse_args()

    html_dir = args.html.resolve()
    if not (html_dir / "index.html").exists():
        print(f"check_a11y: no built book in {html_dir}; run `make book` first",
              file=sys.stderr)
        return 2
    if cannot_open_pages("check_a11y", args.chromium):
        return 2
    from playwright.sync_api import sync_playwright

    try:
        script = axe_source()
    except ImportError as e:
        print(f"check_a11y: {e.name} is not installed (pip install -r requirements.txt)",
              file=sys.stderr)
        return 2

    docs = toc_files(yaml.safe_load(args.toc.read_text())) + ["genindex"]
    if args.pages:
        docs = [d for d in docs if d in args.pages]
    failed = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                    args=CHROMIUM_ARGS)
        modes = {
            "light": browser.new_context(viewport={"width": 1280, "height": 900},
                                         service_workers="block"),
            "dark": browser.new_context(viewport={"width": 1280, "height": 900},
                                        color_scheme="dark", service_workers="block"),
        }
        for doc in docs:
            path = html_dir / f"{doc}.html"
            if not path.exists():
                print(f"FAIL {doc}\n       - no page {path.name} in the built book")
                failed += 1
                continue
            problems, minor = [], Counter()
            for mode, context in modes.items():
                for v in audit(context, path, script):
                    if v["impact"] in FAILING:
                        problems.append(f"{mode}: {describe(v)}")
                    else:
                        minor[v["impact"]] += len(v["nodes"])
                        if args.verbose:
                            print(f"       . {doc} {mode}: {describe(v)}")
            failed += bool(problems)
            counts = ", ".join(f"{n} {impact}" for impact, n in minor.items())
            print(f"{'FAIL' if problems else 'ok':4} {doc}"
                  + (f" (not failing: {counts})" if counts else ""))
            for problem in problems:
                print(f"       - {problem}")
        browser.close()
    print(f"check_a11y: {len(docs) - failed} pages with no serious or critical "
          f"violation, {failed} with one")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
