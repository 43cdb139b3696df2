"""The quick quizzes: self-contained HTML that works without a kernel, every input
labelled, every answer explained, and every number the one convlib computes."""

import re
from html.parser import HTMLParser

import numpy as np
import pytest
import torch
from IPython.display import HTML
from torch import nn

import convlib as cl
from convlib.explore.quiz import Question, inline, number_text, quiz_html, spoken
from convlib.explore.quizzes import QUIZZES, chapter_questions

CHAPTERS = range(1, 9)


class Page(HTMLParser):
    """The parts of a quiz's HTML the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.forms: list[dict] = []
        self.inputs: list[dict] = []  # each with the labels it sits in
        self.urls: list[str] = []
        self.ids: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for name in ("src", "href", "action"):
            if name in attrs:
                self.urls.append(attrs[name])
        if tag == "form":
            self.forms.append({**attrs, "feedback": [], "inputs": []})
        if tag == "input":
            labels = [a for t, a in self.stack if t == "label"]
            item = {**attrs, "labels": labels}
            self.inputs.append(item)
            self.forms[-1]["inputs"].append(item)
        if tag == "div" and "cl-fb" in attrs.get("class", ""):
            self.forms[-1]["feedback"].append(attrs)
        if tag not in ("input", "br", "img", "meta"):
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def _page(n: int) -> tuple[str, Page]:
    html = cl.chapter_quiz(n).data
    return html, Page(html)


@pytest.mark.parametrize("n", CHAPTERS)
def test_every_chapter_has_a_quiz_of_three_to_five_questions(n):
    quiz = cl.chapter_quiz(n)
    assert isinstance(quiz, HTML)
    questions = chapter_questions(n)
    assert 3 <= len(questions) <= 5
    assert {q.kind for q in questions} == {"choice", "number"}  # both kinds
    assert sorted(QUIZZES) == list(CHAPTERS)


@pytest.mark.parametrize("n", CHAPTERS)
def test_no_network_url_and_no_ids_to_collide(n):
    html, page = _page(n)
    assert not re.search(r"https?:|//[a-z]", html, re.I)
    assert all(u.startswith("#") for u in page.urls)
    assert page.ids == []  # no ids: two quizzes on a page cannot collide


@pytest.mark.parametrize("n", CHAPTERS)
def test_every_input_has_a_label_with_text(n):
    _, page = _page(n)
    assert page.inputs
    for item in page.inputs:
        assert len(item["labels"]) == 1, item
    choices = [c for q in chapter_questions(n) for c, _ in q.choices]
    radios = [item for item in page.inputs if item["type"] == "radio"]
    assert len(radios) == len(choices)
    for item, text in zip(radios, choices, strict=True):
        # A label that holds math gets a name in words, which screen readers announce.
        if "$" in text:
            assert item["aria-label"] == spoken(text)
            assert not re.search(r"[$\\{}^]", item["aria-label"]), item
        else:
            assert "aria-label" not in item


def test_math_is_spoken_in_words():
    assert spoken("Like $2^n$") == "Like 2 to the power n"
    assert spoken(r"$f(Tx) = T^{-1} f(x)$") == "f(Tx) = T to the power -1 f(x)"
    assert spoken(r"Like $\sqrt{n}$") == "Like the square root of n"
    assert spoken(r"Cross-correlation, $x \star w$") == "Cross-correlation, x star w"
    assert spoken("`conv2d`, plain") == "conv2d, plain"


@pytest.mark.parametrize("n", CHAPTERS)
def test_every_choice_and_every_number_has_its_feedback(n):
    _, page = _page(n)
    questions = chapter_questions(n)
    assert len(page.forms) == len(questions)
    for form, q in zip(page.forms, questions, strict=True):
        if q.kind == "choice":
            radios = [i for i in form["inputs"] if i["type"] == "radio"]
            assert [r["value"] for r in radios] == [str(i) for i in range(len(q.choices))]
            assert [f["data-choice"] for f in form["feedback"]] == \
                [r["value"] for r in radios]
            assert sum(f["class"].endswith("right") for f in form["feedback"]) == 1
            assert form["data-answer"] == str(q.answer)
        else:
            matches = [f["data-match"] for f in form["feedback"]]
            assert matches[0] == "right" and matches[-2:] == ["other", "invalid"]
            assert [f.get("data-value") for f in form["feedback"] if f["data-match"]
                    == "mistake"] == [number_text(v) for v, _ in q.mistakes]
            assert float(form["data-answer"]) == pytest.approx(q.answer)
            assert [i["type"] for i in form["inputs"]] == ["text"]


def test_questions_explain_every_answer():
    for n in CHAPTERS:
        for q in chapter_questions(n):
            texts = [f for _, f in q.choices] if q.choices else \
                [q.feedback, q.otherwise, *(f for _, f in q.mistakes)]
            assert all(len(t.split()) >= 4 for t in texts), q.prompt


def _linear_two_class(weights):
    layer = nn.Linear(len(weights), 2, bias=False)
    with torch.no_grad():
        layer.weight.zero_()
        layer.weight[0] = torch.tensor(weights)
    return layer


# Each numeric answer, computed here again from convlib, independently of the quizzes.
EXPECTED = {
    (1, 0): lambda: cl.output_size(7, 3),
    (1, 2): lambda: float(cl.conv1d(np.arange(1, 7, dtype=np.float32)[None, None],
                                    np.array([[[1, 0, -1]]], dtype=np.float32))[0, 0, 0]),
    (1, 4): lambda: 36 * cl.output_size(6, 3) ** 2,
    (2, 0): lambda: cl.output_size(32, 5, stride=2, padding=2),
    (2, 1): lambda: cl.same_padding(5, dilation=2)[0],
    (2, 3): lambda: cl.transposed_output_size(14, 3, stride=2, padding=1, output_padding=1),
    (3, 0): lambda: cl.conv_params(3, 16, 5),
    (3, 2): lambda: cl.conv_macs((256, 28, 28), 64, 1),
    (3, 3): lambda: cl.conv_params(8, 8, 3, groups=8, bias=False),
    (4, 0): lambda: int((cl.conv_matrix_index((3, 3), (6, 6)) >= 0).sum()),
    (4, 2): lambda: 3 * cl.conv_params(1, 1, 3, bias=False),
    (4, 4): lambda: float(np.abs(cl.conv2d(np.full((1, 1, 5, 5), 0.6, dtype=np.float32),
                                           cl.kernel("sobel_x")[None, None])).max()),
    (5, 0): lambda: cl.receptive_field([(3, 1)] * 4).size,
    (5, 1): lambda: cl.receptive_field([(3, 2), (2, 2)]).jump,
    (5, 2): lambda: cl.receptive_field([(3, 2), (3, 1)]).size,
    (6, 0): lambda: (cl.conv_params(3, 3, 3, groups=3, bias=False)
                     + cl.conv_params(3, 128, 1, bias=False)),
    (6, 1): lambda: cl.conv_macs((64, 14, 14), 64, 3, padding=1) / (
        cl.conv_macs((64, 14, 14), 64, 3, padding=1, groups=64)
        + cl.conv_macs((64, 14, 14), 64, 1)),
    (6, 3): lambda: cl.overlap_range(3, 2, dims=2)[1],
    (7, 0): lambda: float(cl.fgsm(_linear_two_class([1.0]), torch.tensor([[0.95]]),
                                  torch.tensor([1]), 0.1)[0, 0]),
    (7, 1): lambda: float((torch.tensor([0.5, -1.0, 2.0, -0.25]) * (cl.fgsm(
        _linear_two_class([0.5, -1.0, 2.0, -0.25]), torch.full((1, 4), 0.5),
        torch.tensor([1]), 0.05) - 0.5)).sum()),
    (8, 0): lambda: 2 * cl.conv_macs((16, 8, 8), 32, 3, padding=1),
    (8, 1): lambda: cl.im2col(cl.pad(torch.zeros(1, 4, 10, 10), ((1, 1), (1, 1))),
                              (3, 3)).numel() / 400,
    (8, 2): lambda: len(cl.F2_3.BT) ** 2,
    (8, 4): lambda: cl.attainable(4.0, 1000e9, 50e9) / 1e9,
}


def test_every_numeric_answer_is_listed_here():
    numeric = {(n, i) for n in CHAPTERS for i, q in enumerate(chapter_questions(n))
               if q.kind == "number"}
    assert numeric == set(EXPECTED)


@pytest.mark.parametrize("where", sorted(EXPECTED))
def test_numeric_answers_are_convlibs(where):
    n, i = where
    q = chapter_questions(n)[i]
    assert q.answer == pytest.approx(EXPECTED[where](), abs=max(q.tolerance, 1e-9))


def test_numbers_in_the_page_are_exact_and_plain():
    assert number_text(12845056) == "12845056"
    assert number_text(4.0) == "4"
    assert number_text(0.1875) == "0.1875"


def test_math_becomes_mathjax_delimiters_and_text_is_escaped():
    assert inline("the size $n - k + 1$") == r"the size \(n - k + 1\)"
    assert inline("$$a < b$$") == r"\[a &lt; b\]"
    assert inline("`x<y` and *em* and **bold**") == \
        "<code>x&lt;y</code> and <em>em</em> and <strong>bold</strong>"
    assert inline("a `$code$` stays") == "a <code>$code$</code> stays"


def test_a_question_must_explain_itself():
    with pytest.raises(ValueError, match="feedback"):
        Question("Which?", 0, choices=(("a", "because"), ("b", "")))
    with pytest.raises(ValueError, match="index"):
        Question("Which?", 2, choices=(("a", "why a"), ("b", "why b")))
    with pytest.raises(ValueError, match="otherwise"):
        Question("How many?", 3, feedback="because")
    with pytest.raises(ValueError, match="mistake"):
        Question("How many?", 3, feedback="because", otherwise="count",
                 mistakes=((3, "the answer itself"),))
    with pytest.raises(ValueError, match="at least one"):
        quiz_html([])


def test_the_same_quiz_gives_the_same_html():
    assert cl.chapter_quiz(3).data == cl.chapter_quiz(3).data  # stored outputs compare
    with pytest.raises(ValueError, match="chapters 1 to 8"):
        cl.chapter_quiz(9)


def test_quiz_takes_any_questions():
    html = cl.quiz([cl.Question("Two and two?", 4, feedback="Add them.",
                                otherwise="Count on your fingers.")]).data
    assert 'data-answer="4"' in html and "<script>" in html and "<style>" in html
