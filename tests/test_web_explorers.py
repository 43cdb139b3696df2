"""The browser explorers as convlib writes them: self-contained HTML (nothing fetched),
an id of their own, the script inline, a label for every control, and clear errors for
settings they cannot show. tools/check_explorers.py runs them in Chromium."""

import re
from html.parser import HTMLParser

import numpy as np
import pytest
from IPython.display import HTML

import convlib as cl
from convlib.explore.web.page import script

X = np.arange(25.0).reshape(5, 5)
K = np.ones((3, 3))
EXPLORERS = {
    "slide": lambda: cl.web_slide_explorer(X, K),
    "output-size": cl.web_output_size_explorer,
    "receptive-field": lambda: cl.web_receptive_field_explorer(np.zeros((20, 16))),
    "conv-matrix": cl.web_conv_matrix_explorer,
    "groups": cl.web_groups_explorer,
}


class Page(HTMLParser):
    """The ids, the controls, the labels and the scripts of a piece of HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.controls: list[str] = []
        self.labels: dict[str, str] = {}
        self.scripts: list[str] = []
        self._label: str | None = None
        self._script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "id" in found:
            self.ids.append(found["id"])
        if tag in ("input", "select") and "data-control" in found:
            self.controls.append(found["id"])
        if tag == "label":
            self._label = found.get("for")
            self.labels[self._label] = ""
        self._script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label = None
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self.labels[self._label] += data
        if self._script:
            self.scripts.append(data)


@pytest.mark.parametrize("kind", EXPLORERS)
def test_an_explorer_is_html_that_loads_nothing(kind):
    explorer = EXPLORERS[kind]()
    assert isinstance(explorer, HTML)
    assert not re.search(r"https?://", explorer.data)
    assert f'data-explorer="{kind}"' in explorer.data


@pytest.mark.parametrize("kind", EXPLORERS)
def test_ids_are_unique_across_calls(kind):
    first, second = Page(EXPLORERS[kind]().data), Page(EXPLORERS[kind]().data)
    assert len(set(first.ids)) == len(first.ids)
    assert not set(first.ids) & set(second.ids)
    assert first.ids[0].startswith(f"convlib-{kind}-")


@pytest.mark.parametrize("kind", EXPLORERS)
def test_the_script_is_inline_and_mounts_the_explorer(kind):
    page = Page(EXPLORERS[kind]().data)
    assert len(page.scripts) == 1
    assert page.scripts[0].startswith(script())
    assert f'mount("{page.ids[0]}", "{kind}", ' in page.scripts[0]


@pytest.mark.parametrize("kind", EXPLORERS)
def test_every_control_has_a_label(kind):
    page = Page(EXPLORERS[kind]().data)
    assert page.controls
    for control in page.controls:
        assert page.labels.get(control, "").strip(), control


def test_the_controls_are_the_notebook_explorers():
    labels = Page(cl.web_output_size_explorer().data).labels.values()
    assert list(labels) == ["input n", "kernel k", "padding p", "stride s", "dilation d",
                            "convolution", "output_padding"]
    groups = cl.web_groups_explorer(6, 9).data
    assert re.findall(r'<option value="(\d+)"', groups) == ["1", "3"]


def test_the_script_defines_itself_once_per_version():
    assert script().count("window.convlibExplorers = {") == 1
    assert "window.convlibExplorers.version === VERSION" in script()


def test_the_photograph_is_embedded():
    html = cl.web_receptive_field_explorer().data
    assert '"image":"data:image/png;base64,' in html


@pytest.mark.parametrize("make, message", [
    (lambda: cl.web_output_size_explorer(n=13), "n must be an int from 1 to 12; got 13"),
    (lambda: cl.web_output_size_explorer(kernel_size=0), "kernel_size must be an int from 1"),
    (lambda: cl.web_conv_matrix_explorer(n=7), "n must be an int from 2 to 6; got 7"),
    (lambda: cl.web_groups_explorer(64, 64), "at most 32 channels"),
    (lambda: cl.web_groups_explorer(0, 8), "in_channels must be at least 1"),
    (lambda: cl.web_slide_explorer(K, X), "the kernel spans 5"),
    (lambda: cl.web_slide_explorer(X, [[np.nan]]), "finite numbers"),
    (lambda: cl.web_receptive_field_explorer(np.zeros((4, 4, 2))), "image must be (H, W)"),
])
def test_bad_arguments_are_clear_errors(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


def test_controls_wait_for_the_script():
    """Where no script runs (an untrusted notebook), the controls are disabled and a note
    says how to start the explorer; the script enables them."""
    html = cl.web_conv_matrix_explorer().data
    assert html.count(" disabled>") == 4
    assert "starts when its cell is run" in html
    assert "control.disabled = false" in script()
