"""A learner's progress: which exercises' self-checks they have passed (``convlib.progress``).

The passes are kept in a small JSON file in the learner's home folder,
``~/.convlib/progress.json`` (the environment variable ``CONVLIB_PROGRESS`` names
another file), never in the book's repository::

    {"version": 1, "passed": {"1.1": "2026-03-02T10:15:04", "2.3": "..."}}

A pass is recorded only when someone may be watching (``convlib.runtime.live()``):
the book build and the notebook tests set ``CONVLIB_WIDGETS=0`` and run every
solution cell, whose self-checks pass with the book's own answers, and none of that
is the learner's work. A test run under pytest records only into a file that
``CONVLIB_PROGRESS`` names. Reading and writing never interrupt a self-check: a file
that cannot be read counts as no progress, and one that cannot be written is left as
it was.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from ..runtime import live

ENV_VAR = "CONVLIB_PROGRESS"
VERSION = 1


def progress_file() -> Path:
    """Where the passes are kept: ``$CONVLIB_PROGRESS``, else ~/.convlib/progress.json."""
    named = os.environ.get(ENV_VAR, "").strip()
    if named:
        return Path(named).expanduser()
    return Path.home() / ".convlib" / "progress.json"


def recording() -> bool:
    """Whether a pass is recorded now: only when someone may be watching (not in the
    book build or the notebook tests), and under pytest only into a file that
    ``CONVLIB_PROGRESS`` names."""
    if not live():
        return False
    if "PYTEST_CURRENT_TEST" in os.environ and not os.environ.get(ENV_VAR, "").strip():
        return False
    return True


def read_passed(path: Path | None = None) -> dict[str, str]:
    """The passed exercises, label -> when; empty if the file is missing or unreadable."""
    path = path or progress_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    passed = data.get("passed") if isinstance(data, dict) else None
    if not isinstance(passed, dict):
        return {}
    return {str(k): str(v) for k, v in passed.items()}


def record_pass(label: str, path: Path | None = None) -> bool:
    """Add ``label`` to the passed exercises (keeping the first time it passed). Returns
    whether the file was written; errors leave the file as it was."""
    path = path or progress_file()
    passed = read_passed(path)
    if label in passed:
        return True
    passed[label] = datetime.now().isoformat(timespec="seconds")
    data = {"version": VERSION, "passed": dict(sorted(passed.items(), key=_order))}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".progress-",
                                             suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
            out.write("\n")
        os.replace(temporary, path)  # whole or not at all
    except OSError:
        return False
    return True


def _order(item: tuple[str, object]) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in item[0].split("."))


def _chapter_of(label: str) -> int:
    head = label.split(".")[0]
    return int(head) if head.isdigit() else 0


@dataclass(frozen=True)
class ChapterProgress:
    number: int
    title: str
    done: tuple[str, ...]
    open: tuple[str, ...]


class Progress:
    """Done and open exercises per chapter. Shown in a notebook as a table; ``str()``
    and ``repr()`` give the same table as text."""

    def __init__(self, labels: Iterable[str], passed: Mapping[str, str],
                 titles: Mapping[int, str], path: Path) -> None:
        self.path = path
        self.passed = dict(passed)
        by_chapter: dict[int, list[str]] = {}
        for label in sorted(set(labels), key=lambda s: _order((s, None))):
            by_chapter.setdefault(_chapter_of(label), []).append(label)
        self.chapters = [
            ChapterProgress(n, titles.get(n, ""),
                            tuple(x for x in found if x in self.passed),
                            tuple(x for x in found if x not in self.passed))
            for n, found in sorted(by_chapter.items())
        ]

    @property
    def done(self) -> int:
        return sum(len(c.done) for c in self.chapters)

    @property
    def total(self) -> int:
        return sum(len(c.done) + len(c.open) for c in self.chapters)

    def _summary(self) -> str:
        return (f"{self.done} of {self.total} exercises passed "
                f"(kept in {_home_relative(self.path)})")

    def __str__(self) -> str:
        head = ("chapter", "done", "passed", "open")
        rows = [(f"{c.number} {c.title}".strip(), f"{len(c.done)}/{len(c.done) + len(c.open)}",
                 ", ".join(c.done) or "-", ", ".join(c.open) or "-") for c in self.chapters]
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
        lines = [self._summary(), ""]
        for row in [head, *rows]:
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths,
                                                                    strict=True)).rstrip())
        if not recording():
            lines += ["", "Passes are not recorded in this run (CONVLIB_WIDGETS=0, or a "
                          "test)."]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        cell = 'style="text-align: left; padding: 0.15em 0.6em; vertical-align: top"'
        rows = []
        for c in self.chapters:
            rows.append(
                f"<tr><td {cell}>{c.number}</td><td {cell}>{escape(c.title)}</td>"
                f'<td {cell.replace("left", "right")}>{len(c.done)}/'
                f"{len(c.done) + len(c.open)}</td>"
                f"<td {cell}>{escape(', '.join(c.done)) or '&ndash;'}</td>"
                f"<td {cell}>{escape(', '.join(c.open)) or '&ndash;'}</td></tr>")
        note = ("" if recording() else
                "<p>Passes are not recorded in this run (<code>CONVLIB_WIDGETS=0</code>, "
                "or a test).</p>")
        return (f"<p>{escape(self._summary())}</p>"
                '<table style="font-size: 0.9em"><thead><tr>'
                + "".join(f"<th {cell}>{h}</th>"
                          for h in ("", "chapter", "done", "passed", "open"))
                + "</tr></thead><tbody>" + "".join(rows) + f"</tbody></table>{note}")


def _home_relative(path: Path) -> str:
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError):
        return str(path)


def chapter_titles(docstrings: Mapping[str, str | None]) -> dict[int, str]:
    """Chapter titles from the self-check modules' docstrings,
    'Self-checks for chapter 1, "The operation".'"""
    titles = {}
    for doc in docstrings.values():
        found = re.search(r'chapter (\d+), "([^"]+)"', doc or "")
        if found:
            titles[int(found.group(1))] = found.group(2)
    return titles
