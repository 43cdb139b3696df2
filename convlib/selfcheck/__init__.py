"""Self-checks for the exercises: right, or a hint, never the answer.

Each chapter's checks live in a module of their own and register themselves here
by exercise label, e.g. ``check("1.1", my_answer)``.

A check that passes is remembered in the learner's progress file
(``~/.convlib/progress.json``, or the file ``CONVLIB_PROGRESS`` names) when someone
may be watching: unattended runs (``CONVLIB_WIDGETS=0``, the book build and the
notebook tests) record nothing. ``progress()`` shows what is done and what is open.
"""

import sys
from collections.abc import Callable

from . import tracking

Checker = Callable[[object], str | None]  # a hint, or None when the answer is right

_CHECKS: dict[str, Checker] = {}


def exercise(label: str) -> Callable[[Checker], Checker]:
    """Register ``checker`` as the self-check of exercise ``label``."""

    def register(checker: Checker) -> Checker:
        _CHECKS[label] = checker
        return checker

    return register


def check(label: str, answer: object, *, record: bool = True) -> None:
    """Print whether ``answer`` to exercise ``label`` is right, or a hint if it is not.

    A right answer is added to the learner's progress (see ``progress``) when someone
    may be watching; ``record=False`` leaves the progress alone (for a solution's own
    check, which is not the learner's answer).
    """
    if label not in _CHECKS:
        raise ValueError(f"no exercise labelled {label!r}; the labels are {sorted(_CHECKS)}")
    if answer is None or answer is ...:
        print(f"Exercise {label}: no answer yet. Replace the placeholder with yours and run again.")
        return
    try:
        hint = _CHECKS[label](answer)
    except Exception as error:  # the learner's code failed: say so, as a hint
        hint = f"running your answer raised {type(error).__name__}: {error}"
    verdict = "correct." if hint is None else f"not yet. Hint: {hint}"
    print(f"Exercise {label}: {verdict}")
    if hint is None and record and tracking.recording():
        tracking.record_pass(label)


def progress() -> tracking.Progress:
    """The exercises passed and still open, chapter by chapter: a table in a notebook,
    text elsewhere. Passes are kept in ~/.convlib/progress.json (or the file
    ``CONVLIB_PROGRESS`` names); delete the file to start again."""
    path = tracking.progress_file()
    docstrings = {name: module.__doc__ for name, module in list(sys.modules.items())
                  if name.startswith(f"{__name__}.")}
    return tracking.Progress(_CHECKS, tracking.read_passed(path),
                              tracking.chapter_titles(docstrings), path)

# Each chapter's module registers its checks when imported (one name per chapter).
from . import (  # noqa: E402
    adversarial,  # noqa: F401  (chapter 7)
    channels,  # noqa: F401  (chapter 3)
    computing,  # noqa: F401  (chapter 8)
    locality,  # noqa: F401  (chapter 4)
    operation,  # noqa: F401  (chapter 1)
    padding_stride,  # noqa: F401  (chapter 2)
    receptive,  # noqa: F401  (chapter 5)
    variants,  # noqa: F401  (chapter 6)
)
