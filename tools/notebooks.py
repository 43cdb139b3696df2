"""Keep the chapters' notebooks in the book's shape, and say where they are not.

The book and JupyterLab show a notebook differently. In the book, a figure is a code
cell's output made into a numbered figure by the cell's metadata (``mystnb.figure``:
its ``name`` and ``caption``; ``mystnb.image.alt``: its alt text), and the prose links
to it with ``{numref}``. JupyterLab ignores that metadata, so each figure cell is
followed by a caption cell for Jupyter only (tagged ``remove-cell``, so the book
leaves it out), written from the metadata with the figure's number. Exercise
solutions are collapsed in Jupyter until opened.

    python tools/notebooks.py fix chapters/*.ipynb     # write caption cells, fold solutions
    python tools/notebooks.py check chapters/*.ipynb   # list what is out of shape; exit 1 if any

``tests/test_notebooks.py`` runs the check on every chapter.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

CAPTION_TAG = "jupyter-caption"  # the caption cells this tool writes
GUARD_TAG = "convlib-guard"  # the first cell: a clear message when convlib is missing
MAX_LINE = 88
MAX_LINES = 12  # lines of code (blank lines aside) in a cell a reader sees
HIDDEN_INPUT = {"hide-input", "hide-cell", "remove-input", "remove-cell"}
SOLUTION_START = re.compile(r"^`{3,}\{solution-start\}", re.M)
SOLUTION_END = re.compile(r"^`{3,}\{solution-end\}", re.M)
NUMREF = re.compile(r"\{numref\}`(?:[^`<]*<)?([\w-]+)>?`")
TYPED_FIGURE = re.compile(r"\bFigures? \d+\.\d+")

GUARD_SOURCE = '''\
# Every chapter runs on convlib, the book's own library. A notebook downloaded from
# the book needs it installed: in a copy of the book's repository, `make lab` sets
# everything up, or `pip install -e .` at its root installs convlib alone.
import importlib.util

if importlib.util.find_spec("convlib") is None:
    raise SystemExit(
        "This chapter needs convlib, the library that comes with the book. In a copy "
        "of the book's repository, run `make lab` (or `pip install -e .` at its root), "
        "then open the chapter from there."
    )'''


@dataclass
class Notebook:
    path: Path
    data: dict

    @classmethod
    def read(cls, path: Path) -> Notebook:
        return cls(path, json.loads(path.read_text()))

    def write(self) -> None:
        self.path.write_text(json.dumps(self.data, indent=1, ensure_ascii=False) + "\n")

    @property
    def cells(self) -> list[dict]:
        return self.data["cells"]

    @property
    def chapter(self) -> int:
        return int(self.path.name.split("_")[0])


def source(cell: dict) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def figure_of(cell: dict) -> dict | None:
    """The ``mystnb.figure`` metadata of a code cell, if it makes a figure."""
    if cell["cell_type"] != "code":
        return None
    return cell.get("metadata", {}).get("mystnb", {}).get("figure")


def caption_cell(number: str, figure: dict) -> dict:
    return {"cell_type": "markdown", "id": f"caption-{figure.get('name', number)}"[:64],
            "metadata": {"tags": ["remove-cell", CAPTION_TAG]},
            "source": f"**Figure {number}.** {figure.get('caption', '').strip()}"}


def figures(nb: Notebook) -> list[tuple[int, str, dict]]:
    """(cell index, figure number, metadata) of every figure, in order."""
    found = []
    for i, cell in enumerate(nb.cells):
        figure = figure_of(cell)
        if figure is not None:
            found.append((i, f"{nb.chapter}.{len(found) + 1}", figure))
    return found


def solution_cells(nb: Notebook) -> list[int]:
    """Indexes of the code cells inside exercise solutions."""
    inside, found = False, []
    for i, cell in enumerate(nb.cells):
        text = source(cell)
        if cell["cell_type"] == "markdown":
            if SOLUTION_START.search(text):
                inside = True
            if SOLUTION_END.search(text):
                inside = False
        elif inside:
            found.append(i)
    return found


def guard_cell() -> dict:
    return {"cell_type": "code", "execution_count": None, "outputs": [], "id": GUARD_TAG,
            "metadata": {"tags": ["remove-cell", GUARD_TAG]}, "source": GUARD_SOURCE}


def fix(nb: Notebook) -> None:
    """Put the convlib guard first, write the caption cells, fold the solution cells.

    A guard cell that is already up to date is kept as it is, with the execution count
    of the run that executed it; an outdated or missing one is written new, unrun."""
    current = [c for c in nb.cells if GUARD_TAG in tags(c) and source(c) == GUARD_SOURCE]
    nb.data["cells"] = [c for c in nb.cells
                        if CAPTION_TAG not in tags(c) and GUARD_TAG not in tags(c)]
    nb.cells.insert(1 if nb.cells and nb.cells[0]["cell_type"] == "markdown" else 0,
                    current[0] if current else guard_cell())
    for i, number, figure in reversed(figures(nb)):
        nb.cells.insert(i + 1, caption_cell(number, figure))
    for i in solution_cells(nb):
        metadata = nb.cells[i].setdefault("metadata", {})
        metadata.setdefault("jupyter", {}).update(source_hidden=True, outputs_hidden=True)
        metadata["collapsed"] = True  # what JupyterLab reads for the outputs


def problems(nb: Notebook, labels: set[str] | None = None) -> list[str]:
    """What is out of shape in ``nb``; ``labels`` are figure names defined elsewhere."""
    found: list[str] = []
    expected = Notebook(nb.path, json.loads(json.dumps(nb.data)))
    fix(expected)
    if [source(c) for c in expected.cells] != [source(c) for c in nb.cells]:
        found.append("caption or guard cells are out of date (run tools/notebooks.py fix)")
    for i in solution_cells(nb):
        metadata = nb.cells[i].get("metadata", {})
        jupyter = metadata.get("jupyter", {})
        if not (jupyter.get("source_hidden") and jupyter.get("outputs_hidden")
                and metadata.get("collapsed")):
            found.append(f"cell {i}: a solution cell that is not collapsed in Jupyter")

    first = nb.cells[0] if nb.cells else None
    guard = next((c for c in nb.cells if c["cell_type"] == "code"), None)
    if guard is None or GUARD_TAG not in tags(guard) or source(guard) != GUARD_SOURCE:
        found.append("the first code cell is not the convlib guard (tools/notebooks.py)")
    elif "remove-cell" not in tags(guard):
        found.append("the convlib guard is not tagged remove-cell")
    if first is None or first["cell_type"] != "markdown":
        found.append("the notebook does not start with its title")
    unrun = [i for i, c in enumerate(nb.cells)
             if c["cell_type"] == "code" and c.get("execution_count") is None]
    if unrun:
        found.append(f"cells {unrun}: code never run (commit the outputs of a clean run)")

    names = {f.get("name") for _, _, f in figures(nb)}
    for i, number, figure in figures(nb):
        for key in ("name", "caption"):
            if not figure.get(key):
                found.append(f"cell {i} (Figure {number}): no {key} in mystnb.figure")
        outputs = nb.cells[i].get("outputs", [])
        if any("image/png" in o.get("data", {}) for o in outputs):
            alt = nb.cells[i]["metadata"]["mystnb"].get("image", {}).get("alt", "")
            if len(alt.split()) < 4:
                found.append(f"cell {i} (Figure {number}): no alt text (mystnb.image.alt)")
        if not any(o.get("output_type") in ("display_data", "execute_result") for o in outputs):
            found.append(f"cell {i} (Figure {number}): shows nothing")
    known = names | (labels or set())
    for i, cell in enumerate(nb.cells):
        text = source(cell)
        if cell["cell_type"] == "markdown":
            for target in NUMREF.findall(text):
                if target not in known:
                    found.append(f"cell {i}: {{numref}} to an unknown figure {target!r}")
            if CAPTION_TAG not in tags(cell) and TYPED_FIGURE.search(text):
                found.append(f"cell {i}: a figure number typed by hand "
                             f"({TYPED_FIGURE.search(text).group()}); use {{numref}}")
            continue
        lines = text.splitlines()
        long = [n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE]
        if long:
            found.append(f"cell {i}: lines longer than {MAX_LINE} characters: {long}")
        shown = not (tags(cell) & HIDDEN_INPUT)
        code = [line for line in lines if line.strip()]
        if shown and len(code) > MAX_LINES:
            found.append(f"cell {i}: {len(code)} lines of code shown in the book (at most "
                         f"{MAX_LINES}; move it into convlib or tag it hide-input)")
        if "nbval" in text:
            found.append(f"cell {i}: mentions nbval in its code (reasons go in the metadata)")
        if "nbval-ignore-output" in tags(cell):
            reason = cell["metadata"].get("nbval-ignore-output-reason", "")
            if len(reason.split()) < 4:
                found.append(f"cell {i}: nbval-ignore-output with no reason in its metadata "
                             "(nbval-ignore-output-reason)")
        if "cl.check(" in text and i not in solution_cells(nb) \
                and "remove-output" not in tags(cell):
            found.append(f"cell {i}: an exercise's self-check whose 'no answer yet' output "
                         "the book would show (tag it remove-output)")
    return found


def figure_names(paths: list[Path]) -> set[str]:
    return {f.get("name") for p in paths for _, _, f in figures(Notebook.read(p))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["fix", "check"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args()
    labels = figure_names(args.notebooks)
    status = 0
    for path in args.notebooks:
        nb = Notebook.read(path)
        if args.action == "fix":
            fix(nb)
            nb.write()
        for problem in problems(nb, labels):
            print(f"{path}: {problem}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
