"""Every chapter is in the book's shape: numbered figures with captions and alt text,
Jupyter caption cells in step, the convlib guard first, solutions collapsed, short
code cells with short lines, reasons for ignored outputs in the metadata."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from notebooks import Notebook, figure_names, problems  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
LABELS = figure_names(CHAPTERS)


def test_there_are_chapters():
    assert len(CHAPTERS) >= 8


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_is_in_shape(path):
    assert problems(Notebook.read(path), LABELS) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_is_listed_in_the_book(path):
    assert f"chapters/{path.stem}" in (ROOT / "_toc.yml").read_text()
