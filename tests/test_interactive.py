"""Explorers are live widgets in Jupyter, and their in-page twins or a note in unattended runs."""

import re

import ipywidgets as widgets
from IPython.display import HTML, Markdown

import convlib
from convlib.explore.interactive import interactive


def _show(step: int) -> None:
    """Nothing to draw: the tests only look at what ``interactive`` returns."""


def test_live_by_default(monkeypatch):
    monkeypatch.delenv("CONVLIB_WIDGETS", raising=False)
    explorer = interactive(_show, step=widgets.IntSlider(max=3, description="position"))
    assert isinstance(explorer, widgets.interactive)
    assert [c.description for c in explorer.children if hasattr(c, "max")] == ["position"]


def test_a_note_naming_the_controls_when_unattended(monkeypatch):
    monkeypatch.setenv("CONVLIB_WIDGETS", "0")
    note = interactive(_show, step=widgets.IntSlider(max=3, description="position"))
    assert isinstance(note, Markdown)
    assert "position" in note.data and "Jupyter" in note.data


def test_every_chapter_explorer_follows_the_switch(monkeypatch):
    monkeypatch.setenv("CONVLIB_WIDGETS", "0")
    # Unattended, each explorer is its in-page twin, with the same settings.
    for explorer, kind in [(convlib.slide_explorer([[1, 2, 3]], [[1, 1]]), "slide"),
                           (convlib.output_size_explorer(), "output-size"),
                           (convlib.groups_explorer(), "groups"),
                           (convlib.receptive_field_explorer(), "receptive-field")]:
        assert isinstance(explorer, HTML) and f'id="convlib-{kind}-' in explorer.data
    page = convlib.output_size_explorer(5, 2).data
    assert re.search(r'id="convlib-output-size-\d+-n"[^>]*value="5"', page)
    assert re.search(r'id="convlib-output-size-\d+-kernel_size"[^>]*value="2"', page)
    monkeypatch.setenv("CONVLIB_WIDGETS", "1")
    assert isinstance(convlib.slide_explorer([[1, 2, 3]], [[1, 1]]), widgets.interactive)
