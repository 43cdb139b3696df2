"""The course read from the chapters themselves: titles, objectives, prerequisites,
sections, exercises and reading time, for the pages that turn the chapters into a
self-paced course (the course map, the exercise index, the formula sheet).

Everything here is read from the notebooks in ``chapters/`` with the standard library
alone, so the pages built from it follow the chapters as they change:

* a chapter's title is its first heading; its objectives are the bullets under
  **What you will learn**; its prerequisites, the paragraph that starts with
  **Prerequisites**, and the chapters that paragraph links to;
* an exercise is an ``{exercise}`` block: its ``:label:``, the difficulty in
  parentheses that opens it (*(Quick check.)*), its first sentence, and the
  self-check label (``cl.check("2.1", ...)``) of the cell that follows it;
* a section is a heading, with the two anchors it gets in the book: the slug a
  Markdown link names (``chapters/02_padding_stride.ipynb#the-output-size-formula``,
  MyST's heading anchors) and the id Sphinx gives the section in the HTML.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
WORDS_PER_MINUTE = 200

# Minutes allowed for an exercise, by the difficulty written at its start.
ALLOWANCE: dict[str, int] = {
    "Quick check": 5,
    "Reasoning": 10,
    "Roofline": 10,
    "Application": 15,
    "Coding": 20,
    "Design": 20,
    "Small project": 45,
}

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^(`{3,}|:{3,})")
_EXERCISE = re.compile(r"^(`{3,})\{exercise\}[^\n]*\n(.*?)^\1\s*$", re.M | re.S)
_LABEL = re.compile(r"^:label:\s*(\S+)", re.M)
_DIFFICULTY = re.compile(r"^\*\((?P<kind>[^)]+?)\.?\)\*\s*")
_CHECK = re.compile(r"""cl\.check\(\s*["']([\d.]+)["']""")
_CHAPTER_LINK = re.compile(r"\]\((?:\.\./chapters/|\./)?(\d\d)_[\w-]+\.ipynb(?:#[\w-]*)?\)")
_MYST_SLUG_CLEAN = re.compile(r"[^\w\u4e00-\u9fff\- ]")


def myst_slug(title: str) -> str:
    """The anchor MyST gives a heading (``myst_heading_anchors``): GitHub's slugs."""
    return _MYST_SLUG_CLEAN.sub("", title.lower().replace(" ", "-"))


def sphinx_id(title: str) -> str:
    """The id Sphinx (docutils' ``make_id``) gives a section with this title."""
    text = unicodedata.normalize("NFKD", title.lower()).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", " ".join(text.split()))
    return re.sub(r"^[-0-9]+|-+$", "", text)


@dataclass(frozen=True)
class Section:
    """A heading of a chapter."""

    level: int  # 1 for the title, 2 for a section, 3 for a subsection
    title: str
    slug: str  # what a Markdown link names: chapters/NN_name.ipynb#slug
    html_id: str  # the section's id in the built page


@dataclass(frozen=True)
class Exercise:
    """An exercise of a chapter, as its ``{exercise}`` block states it."""

    label: str  # the block's :label:, for {ref}
    difficulty: str  # "Quick check", "Coding", ...
    text: str  # the statement, without the difficulty
    check: str | None  # the self-check's label, "2.1", if the exercise has one

    @property
    def first_sentence(self) -> str:
        """The statement up to its first full stop (or question mark)."""
        flat = " ".join(self.text.split())
        match = re.search(r"(?<!\be\.g)(?<!\bi\.e)[.?](?=\s|$)", flat)
        return flat[: match.end()] if match else flat

    @property
    def minutes(self) -> int:
        """The time allowed for it (``ALLOWANCE``)."""
        if self.difficulty not in ALLOWANCE:
            raise KeyError(f"exercise {self.label}: no time allowance for the difficulty "
                           f"{self.difficulty!r}; add it to convlib.course.ALLOWANCE")
        return ALLOWANCE[self.difficulty]


@dataclass(frozen=True)
class Chapter:
    """What the course pages need from one chapter's notebook."""

    number: int
    path: Path
    title: str
    objectives: tuple[str, ...]
    prerequisites: str  # the paragraph, Markdown, without its bold lead
    needs: tuple[int, ...]  # the chapters the prerequisites link to
    words: int  # words of text a reader reads (prose, captions, exercises)
    exercises: tuple[Exercise, ...]
    sections: tuple[Section, ...] = field(repr=False)

    @property
    def doc(self) -> str:
        """The chapter as a path from the book's root, without suffix (for {doc})."""
        return f"chapters/{self.path.stem}"

    @property
    def reading_minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE

    @property
    def exercise_minutes(self) -> int:
        return sum(e.minutes for e in self.exercises)

    @property
    def minutes(self) -> float:
        """Reading time plus the time allowed for the exercises."""
        return self.reading_minutes + self.exercise_minutes

    def section(self, title: str) -> Section:
        """The section with this exact title; a KeyError names the titles there are."""
        for s in self.sections:
            if s.title == title:
                return s
        titles = "; ".join(s.title for s in self.sections)
        raise KeyError(f"chapter {self.number} has no section {title!r}; it has: {titles}")

    def link(self, title: str, text: str | None = None, root: str = "") -> str:
        """A Markdown link to the section ``title`` (checked to exist), from a page at
        the book's root (``root=""``) or in ``chapters/`` (``root="../"``)."""
        s = self.section(title)
        label = text if text is not None else f'chapter {self.number}, "{s.title}"'
        return f"[{label}]({root}{self.doc}.ipynb#{s.slug})"


def _source(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _headings(markdown: Iterable[str]) -> list[tuple[int, str]]:
    found, fence = [], None
    for text in markdown:
        for line in text.splitlines():
            opened = _FENCE.match(line)
            if opened:
                if fence is None:
                    fence = opened.group(1)[0]
                elif line.startswith(fence * 3) and line.strip(fence) == "":
                    fence = None
                continue
            heading = _HEADING.match(line) if fence is None else None
            if heading:
                found.append((len(heading.group(1)), heading.group(2)))
    return found


def _sections(headings: list[tuple[int, str]]) -> tuple[Section, ...]:
    slugs: set[str] = set()
    ids: set[str] = set()
    sections = []
    for level, title in headings:
        slug = base = myst_slug(title)
        i = 1
        while slug in slugs:
            slug, i = f"{base}-{i}", i + 1
        slugs.add(slug)
        html_id = sphinx_id(title)
        if html_id in ids:  # docutils numbers a repeated id
            html_id = ""
        ids.add(html_id)
        sections.append(Section(level, title, slug, html_id))
    return tuple(sections)


_MARKUP = [
    (re.compile(r"^`{3,}\{[\w-]+\}.*$|^`{3,}\s*$|^:[\w-]+:.*$|^:{3,}.*$", re.M), " "),
    (re.compile(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^`]*>)?`"), r"\1"),  # roles: keep their text
    (re.compile(r"\$\$.*?\$\$", re.S), " formula "),
    (re.compile(r"\$[^$\n]+\$"), " formula "),
    (re.compile(r"\]\([^)]*\)"), "]"),  # links: keep their text
]


def count_words(markdown: str) -> int:
    """The words a reader reads in MyST Markdown: directive and option lines left out,
    a role or a link counted by its text, a formula as one word."""
    for pattern, replacement in _MARKUP:
        markdown = pattern.sub(replacement, markdown)
    return sum(1 for token in markdown.split() if re.search(r"\w", token))


def _bullets_after(text: str, lead: str) -> tuple[str, ...]:
    """The bullet list that follows the bold ``lead`` in ``text``."""
    start = text.find(f"**{lead}**")
    if start < 0:
        return ()
    bullets, current = [], None
    for line in text[start:].splitlines()[1:]:
        if line.startswith("- "):
            if current is not None:
                bullets.append(current)
            current = line[2:].strip()
        elif line.startswith("  ") and current is not None:
            current += " " + line.strip()
        elif line.strip() == "" and current is None:
            continue
        else:
            break
    if current is not None:
        bullets.append(current)
    return tuple(bullets)


def _exercises(cells: list[dict]) -> tuple[Exercise, ...]:
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        for block in _EXERCISE.finditer(_source(cell)):
            body = block.group(2)
            label = _LABEL.search(body)
            statement = _LABEL.sub("", body).strip()
            difficulty = _DIFFICULTY.match(statement)
            if label is None or difficulty is None:
                raise ValueError(f"an exercise without a :label: or a difficulty such as "
                                 f"*(Quick check.)*: {statement[:60]!r}")
            check = None
            for later in cells[i + 1:]:
                if later["cell_type"] == "markdown" and _EXERCISE.search(_source(later)):
                    break
                found_check = _CHECK.search(_source(later)) if later["cell_type"] == "code" \
                    else None
                if found_check:
                    check = found_check.group(1)
                    break
            found.append(Exercise(label.group(1), difficulty.group("kind").strip(),
                                  statement[difficulty.end():].strip(), check))
    return tuple(found)


def read_chapter(path: Path) -> Chapter:
    """Read one chapter's notebook."""
    cells = json.loads(Path(path).read_text())["cells"]
    markdown = [_source(c) for c in cells
                if c["cell_type"] == "markdown" and "remove-cell" not in _tags(c)]
    headings = _headings(markdown)
    if not headings or headings[0][0] != 1:
        raise ValueError(f"{path} does not start with its title, a level-1 heading")
    captions = [c.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("caption", "")
                for c in cells if c["cell_type"] == "code"]
    text = "\n\n".join(markdown)
    prerequisites = ""
    match = re.search(r"\*\*Prerequisites\*\*:?\s*(.*?)(?:\n\s*\n|\Z)", text, re.S)
    if match:
        prerequisites = " ".join(match.group(1).split())
    number = int(Path(path).name.split("_")[0])
    needs = sorted({int(n) for n in _CHAPTER_LINK.findall(prerequisites)} - {number})
    if re.search(r"\ball (\w+ )?earlier chapters\b", prerequisites):
        needs = sorted(set(needs) | set(range(1, number)))
    return Chapter(
        number=number,
        path=Path(path),
        title=headings[0][1],
        objectives=_bullets_after(text, "What you will learn"),
        prerequisites=prerequisites,
        needs=tuple(needs),
        words=count_words(text) + sum(count_words(c) for c in captions),
        exercises=_exercises(cells),
        sections=_sections(headings),
    )


def chapters(folder: Path | str | None = None) -> list[Chapter]:
    """Every chapter in ``folder`` (the book's ``chapters/`` by default), in order."""
    folder = Path(folder) if folder is not None else CHAPTERS
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no chapter notebooks (NN_name.ipynb) in {folder}")
    return [read_chapter(p) for p in paths]


def chapter(number: int, folder: Path | str | None = None) -> Chapter:
    """The chapter numbered ``number``."""
    for c in chapters(folder):
        if c.number == number:
            return c
    raise KeyError(f"no chapter {number} in {folder or CHAPTERS}")
