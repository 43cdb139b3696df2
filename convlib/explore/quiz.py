"""Quizzes that a reader answers in the page itself: in Jupyter, and in the rendered
book, which has no kernel.

``quiz(questions)`` returns one self-contained piece of HTML (its own styles and a
short script, nothing loaded from anywhere) that shows each question with radio
buttons or a box for a number, and answers every choice with feedback that explains
it: why the right answer is right, and what each wrong one gets wrong. The page's
MathJax typesets math written as ``$...$`` in the questions.

The HTML is the same on every run (no random ids), so a notebook's stored output
stays comparable; each question is its own ``<form>``, so radio buttons of two
quizzes on one page never interfere, and every input sits inside its ``<label>``.
In JupyterLab the quiz keeps the notebook's keyboard shortcuts out
(``data-lm-suppress-shortcuts``), so that typing a number or moving between choices
with the arrow keys answers the quiz instead of editing the notebook.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from IPython.display import HTML


@dataclass(frozen=True)
class Question:
    """One question of a quiz.

    Multiple choice: ``choices`` holds ``(text, feedback)`` pairs, and ``answer`` is the
    index of the right one; each feedback says why that choice is right or wrong.

    Numeric: no ``choices``; ``answer`` is the number, ``feedback`` says why it is
    right, ``mistakes`` pairs likely wrong numbers with what each one gets wrong, and
    ``otherwise`` answers any other number. An answer within ``tolerance`` of a number
    counts as that number.

    Text may hold ``code`` in backticks, *emphasis*, **bold** and math in ``$...$``.
    """

    prompt: str
    answer: float
    choices: tuple[tuple[str, str], ...] = ()
    feedback: str = ""
    mistakes: tuple[tuple[float, str], ...] = ()
    otherwise: str = ""
    tolerance: float = 0.0

    def __post_init__(self) -> None:
        if not self.prompt.strip():
            raise ValueError("a question needs a prompt")
        if self.tolerance < 0:
            raise ValueError(f"tolerance must not be negative; got {self.tolerance}")
        if self.choices:
            self._check_choices()
        else:
            self._check_number()

    def _check_choices(self) -> None:
        if len(self.choices) < 2:
            raise ValueError(f"{self.prompt[:40]!r}: a multiple-choice question needs at "
                             "least two choices")
        if not isinstance(self.answer, int) or isinstance(self.answer, bool) \
                or not 0 <= self.answer < len(self.choices):
            raise ValueError(f"{self.prompt[:40]!r}: answer must be the index of the right "
                             f"choice, 0 to {len(self.choices) - 1}; got {self.answer!r}")
        texts = [text for text, _ in self.choices]
        if len(set(texts)) != len(texts):
            raise ValueError(f"{self.prompt[:40]!r}: two choices read the same")
        for text, feedback in self.choices:
            if not text.strip() or not feedback.strip():
                raise ValueError(f"{self.prompt[:40]!r}: every choice needs a text and "
                                 f"feedback that explains it; {text!r} has none")
        if self.feedback or self.mistakes or self.otherwise:
            raise ValueError(f"{self.prompt[:40]!r}: a multiple-choice question explains "
                             "each choice in its own feedback")

    def _check_number(self) -> None:
        if not isinstance(self.answer, (int, float)) or isinstance(self.answer, bool) \
                or not math.isfinite(self.answer):
            raise ValueError(f"{self.prompt[:40]!r}: answer must be a finite number; "
                             f"got {self.answer!r}")
        if not self.feedback.strip() or not self.otherwise.strip():
            raise ValueError(f"{self.prompt[:40]!r}: a numeric question needs feedback for "
                             "the right answer and for any other number (otherwise)")
        seen = [self.answer]
        for value, feedback in self.mistakes:
            if not feedback.strip():
                raise ValueError(f"{self.prompt[:40]!r}: mistake {value!r} has no feedback")
            if any(abs(value - v) <= self.tolerance for v in seen):
                raise ValueError(f"{self.prompt[:40]!r}: mistake {value!r} is the answer or "
                                 "another mistake, within the tolerance")
            seen.append(value)

    @property
    def kind(self) -> str:
        """``"choice"`` or ``"number"``."""
        return "choice" if self.choices else "number"


# -- text to HTML --------------------------------------------------------------------

_CODE = re.compile(r"`([^`]+)`")
_DISPLAY_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<!\\)\$(?=\S)(.+?)(?<=\S)(?<!\\)\$")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")


def _prose(text: str) -> str:
    """Escaped text with its math delimiters made MathJax's (\\( \\) and \\[ \\]), which
    every MathJax reads, and ** and * made bold and italic outside the math."""
    parts, last = [], 0
    for m in re.finditer(f"{_DISPLAY_MATH.pattern}|{_INLINE_MATH.pattern}", text, re.S):
        parts.append(_markup(html.escape(text[last:m.start()], quote=False)))
        if m.group(1) is not None:
            parts.append(r"\[" + html.escape(m.group(1), quote=False) + r"\]")
        else:
            parts.append(r"\(" + html.escape(m.group(2), quote=False) + r"\)")
        last = m.end()
    parts.append(_markup(html.escape(text[last:], quote=False)))
    return "".join(parts)


def _markup(escaped: str) -> str:
    escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
    return _EMPHASIS.sub(r"<em>\1</em>", escaped)


def inline(text: str) -> str:
    """A question's text as HTML: code in backticks, **bold**, *italic*, $math$."""
    out, last = [], 0
    for m in _CODE.finditer(text):
        out.append(_prose(text[last:m.start()]))
        out.append(f"<code>{html.escape(m.group(1), quote=False)}</code>")
        last = m.end()
    out.append(_prose(text[last:]))
    return "".join(out)


_SPOKEN = (
    (re.compile(r"\\sqrt\{([^{}]*)\}"), r"the square root of \1"),
    (re.compile(r"\^\{([^{}]*)\}"), r" to the power \1"),
    (re.compile(r"\^(\w)"), r" to the power \1"),
    (re.compile(r"\\star\b"), "star"),
    (re.compile(r"\\cdot\b"), "times"),
    (re.compile(r"\\times\b"), "times"),
    (re.compile(r"\\([A-Za-z]+)"), r"\1"),
    (re.compile(r"[{}]"), ""),
    (re.compile(r"\s+"), " "),
)


def spoken(text: str) -> str:
    """A choice's text with its math as plain words (``$2^n$`` becomes "2 to the power
    n"): the name a screen reader announces for a radio button whose label is all
    math, which assistive technology may not read from MathJax's rendering."""
    out = _CODE.sub(r"\1", text).replace("$", "")
    for pattern, words in _SPOKEN:
        out = pattern.sub(words, out)
    return out.strip()


def number_text(value: float) -> str:
    """A number as the page stores it: whole numbers without a decimal point."""
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


# -- the page element ------------------------------------------------------------------

STYLE = """
.cl-quiz{margin:.6em 0 1em;max-width:46rem;line-height:1.45;overflow-wrap:break-word}
.cl-quiz .cl-quiz-intro{margin:0 0 .5em}
.cl-quiz ol.cl-quiz-list{list-style:none;margin:0;padding:0;counter-reset:clq}
.cl-quiz li.cl-q{counter-increment:clq;margin:0 0 .8em;padding:.6em .75em;
  border:1px solid rgba(127,127,127,.45);border-radius:6px}
.cl-quiz fieldset{border:0;margin:0;padding:0;min-width:0}
.cl-quiz legend{float:none;width:auto;max-width:100%;margin:0 0 .4em;padding:0;
  font-size:inherit;font-weight:600;line-height:inherit;white-space:normal}
.cl-quiz legend::before{content:counter(clq) ". "}
.cl-quiz .cl-q-choices{display:flex;flex-direction:column;gap:.3em}
.cl-quiz label.cl-q-choice{display:flex;align-items:flex-start;gap:.5em;margin:0;
  padding:.25em .45em;border:1px solid transparent;border-radius:4px;cursor:pointer;
  font-weight:normal}
.cl-quiz label.cl-q-choice:hover{border-color:rgba(127,127,127,.45)}
.cl-quiz label.cl-q-choice input{appearance:none;-webkit-appearance:none;margin:.25em 0 0;
  flex:none;width:1.05em;height:1.05em;border:2px solid currentColor;border-radius:50%;
  background:transparent;color:inherit;cursor:pointer}
.cl-quiz label.cl-q-choice input:checked{background:radial-gradient(currentColor 0 40%,
  transparent 46%)}
.cl-quiz label.cl-q-choice.cl-right{border-color:#2e8540;background:rgba(46,133,64,.12)}
.cl-quiz label.cl-q-choice.cl-wrong{border-color:#c0392b;background:rgba(192,57,43,.10)}
.cl-quiz label.cl-q-choice.cl-right::after{content:"\\2713";margin-left:auto;color:#2e8540;
  font-weight:700}
.cl-quiz label.cl-q-choice.cl-wrong::after{content:"\\2717";margin-left:auto;color:#c0392b;
  font-weight:700}
.cl-quiz .cl-q-number{display:flex;flex-wrap:wrap;align-items:center;gap:.5em}
.cl-quiz .cl-q-number label{display:flex;flex-wrap:wrap;align-items:center;gap:.5em;
  margin:0;font-weight:normal}
.cl-quiz input.cl-q-input{width:9em;max-width:100%;padding:.2em .4em;font:inherit;
  color:inherit;background:transparent;border:1px solid rgba(127,127,127,.7);
  border-radius:4px}
.cl-quiz button.cl-q-check{font:inherit;color:inherit;background:transparent;
  padding:.2em .8em;border:1px solid rgba(127,127,127,.7);border-radius:4px;cursor:pointer}
.cl-quiz button.cl-q-check:hover{background:rgba(127,127,127,.15)}
.cl-quiz input:focus-visible,.cl-quiz button:focus-visible{outline:2px solid currentColor;
  outline-offset:2px}
.cl-quiz .cl-fb{margin:.5em 0 0;padding:.4em .6em;border-left:4px solid;border-radius:3px}
.cl-quiz .cl-fb.cl-fb-right{border-color:#2e8540;background:rgba(46,133,64,.12)}
.cl-quiz .cl-fb.cl-fb-wrong{border-color:#c0392b;background:rgba(192,57,43,.10)}
.cl-quiz .cl-fb[hidden]{display:none}
.cl-quiz code{font-size:.9em;color:inherit;background:rgba(127,127,127,.16);
  border:0;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
"""

SCRIPT = r"""
(function () {
  var here = document.currentScript;
  var root = here && here.parentElement && here.parentElement.closest
    ? here.parentElement.closest('.cl-quiz') : null;
  if (!window.convlibQuiz) {
    var NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
    var parse = function (text) {
      var t = String(text).trim().replace(/[\s,_\u2009\u202f']/g, '')
        .replace(/\u2212/g, '-');
      var parts = t.split('/');
      if (parts.length === 2 && NUMBER.test(parts[0]) && NUMBER.test(parts[1])) {
        var d = Number(parts[1]);
        return d === 0 ? null : Number(parts[0]) / d;
      }
      return NUMBER.test(t) ? Number(t) : null;
    };
    var near = function (a, b, tolerance) {
      return Math.abs(a - b) <= tolerance + 1e-9 * Math.max(1, Math.abs(b));
    };
    var show = function (form, shown) {
      form.querySelectorAll('.cl-fb').forEach(function (fb) { fb.hidden = fb !== shown; });
      form.setAttribute('data-answered', shown && shown.classList.contains('cl-fb-right')
        ? 'right' : 'wrong');
    };
    var choose = function (form, input) {
      form.querySelectorAll('label.cl-q-choice').forEach(function (label) {
        label.classList.remove('cl-right', 'cl-wrong');
      });
      var right = input.value === form.getAttribute('data-answer');
      var label = input.closest('label');
      if (label) { label.classList.add(right ? 'cl-right' : 'cl-wrong'); }
      show(form, form.querySelector('.cl-fb[data-choice="' + input.value + '"]'));
    };
    var check = function (form) {
      var field = form.querySelector('input.cl-q-input');
      var value = parse(field.value);
      var tolerance = Number(form.getAttribute('data-tolerance') || 0);
      var shown;
      if (value === null) {
        shown = form.querySelector('.cl-fb[data-match="invalid"]');
      } else if (near(value, Number(form.getAttribute('data-answer')), tolerance)) {
        shown = form.querySelector('.cl-fb[data-match="right"]');
      } else {
        form.querySelectorAll('.cl-fb[data-match="mistake"]').forEach(function (fb) {
          if (!shown && near(value, Number(fb.getAttribute('data-value')), tolerance)) {
            shown = fb;
          }
        });
        shown = shown || form.querySelector('.cl-fb[data-match="other"]');
      }
      show(form, shown);
    };
    document.addEventListener('change', function (event) {
      var input = event.target;
      if (!input || input.type !== 'radio' || !input.closest) { return; }
      var form = input.closest('form.cl-q-form');
      if (form) { choose(form, input); }
    });
    // Enter in a number box, and the arrow keys among choices, are handled here, before
    // the page sees them: a notebook may take them for its own shortcuts.
    document.addEventListener('keydown', function (event) {
      var target = event.target;
      var form = target && target.closest ? target.closest('form.cl-q-form') : null;
      if (!form) { return; }
      if (event.key === 'Enter' && target.classList.contains('cl-q-input')) {
        event.preventDefault();
        event.stopPropagation();
        check(form);
      } else if (target.type === 'radio' && /^Arrow(Up|Down|Left|Right)$/.test(event.key)) {
        var radios = Array.prototype.slice.call(form.querySelectorAll('input[type=radio]'));
        var step = event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 1;
        var next = radios[(radios.indexOf(target) + step + radios.length) % radios.length];
        event.preventDefault();
        event.stopPropagation();
        next.checked = true;
        next.focus();
        choose(form, next);
      }
    }, true);
    document.addEventListener('click', function (event) {
      var button = event.target && event.target.closest
        ? event.target.closest('button.cl-q-check') : null;
      var form = button ? button.closest('form.cl-q-form') : null;
      if (form) {
        event.preventDefault();
        check(form);
      }
    });
    document.addEventListener('submit', function (event) {
      var form = event.target;
      if (!form || !form.classList || !form.classList.contains('cl-q-form')) { return; }
      event.preventDefault();
      if (form.getAttribute('data-kind') === 'number') { check(form); }
    });
    window.convlibQuiz = {parse: parse};
  }
  var mathjax = window.MathJax;
  if (root && mathjax && mathjax.typesetPromise) {
    var ready = (mathjax.startup && mathjax.startup.promise) || Promise.resolve();
    ready.then(function () { return mathjax.typesetPromise([root]); })
      .catch(function () {});
  }
})();
"""

INTRO = ("Choose an answer, or type a number and press Enter: every answer is "
         "explained. Nothing is sent anywhere or stored.")


def _choice_html(q: Question) -> str:
    rows, notes = [], []
    for i, (text, feedback) in enumerate(q.choices):
        name = f' aria-label="{html.escape(spoken(text))}"' if "$" in text else ""
        rows.append(f'<label class="cl-q-choice"><input type="radio" name="choice" '
                    f'value="{i}"{name}> <span>{inline(text)}</span></label>')
        right = i == q.answer
        verdict = "Right." if right else "Not quite."
        notes.append(f'<div class="cl-fb cl-fb-{"right" if right else "wrong"}" '
                     f'data-choice="{i}" hidden><strong>{verdict}</strong> '
                     f"{inline(feedback)}</div>")
    return (f'<form class="cl-q-form" data-kind="choice" data-answer="{q.answer}" '
            f'autocomplete="off"><fieldset><legend>{inline(q.prompt)}</legend>'
            f'<div class="cl-q-choices">{"".join(rows)}</div></fieldset>'
            f'<div class="cl-q-feedback" aria-live="polite">{"".join(notes)}</div></form>')


def _number_html(q: Question) -> str:
    notes = [f'<div class="cl-fb cl-fb-right" data-match="right" hidden>'
             f"<strong>Right.</strong> {inline(q.feedback)}</div>"]
    for value, feedback in q.mistakes:
        notes.append(f'<div class="cl-fb cl-fb-wrong" data-match="mistake" '
                     f'data-value="{number_text(value)}" hidden><strong>Not quite.</strong> '
                     f"{inline(feedback)}</div>")
    notes.append(f'<div class="cl-fb cl-fb-wrong" data-match="other" hidden>'
                 f"<strong>Not quite.</strong> {inline(q.otherwise)}</div>")
    notes.append('<div class="cl-fb cl-fb-wrong" data-match="invalid" hidden>Type a number, '
                 "such as 12, 0.25 or 1/9.</div>")
    return (f'<form class="cl-q-form" data-kind="number" '
            f'data-answer="{number_text(q.answer)}" '
            f'data-tolerance="{number_text(q.tolerance)}" autocomplete="off"><fieldset>'
            f"<legend>{inline(q.prompt)}</legend>"
            f'<div class="cl-q-number"><label>Your answer <input class="cl-q-input" '
            f'type="text" inputmode="decimal" name="number" spellcheck="false"></label> '
            f'<button class="cl-q-check" type="submit">Check</button></div></fieldset>'
            f'<div class="cl-q-feedback" aria-live="polite">{"".join(notes)}</div></form>')


def quiz_html(questions: Sequence[Question], intro: str = INTRO) -> str:
    """The quiz as a string of HTML (what ``quiz`` displays)."""
    questions = list(questions)
    if not questions:
        raise ValueError("a quiz needs at least one question")
    for q in questions:
        if not isinstance(q, Question):
            raise TypeError(f"a quiz takes Question objects; got {type(q).__name__}")
    items = "".join(f'<li class="cl-q">'
                    f'{_choice_html(q) if q.kind == "choice" else _number_html(q)}</li>'
                    for q in questions)
    return (f'<div class="cl-quiz tex2jax_process mathjax_process" '
            f'data-lm-suppress-shortcuts="true">'
            f"<style>{' '.join(STYLE.split())}</style>"
            f'<p class="cl-quiz-intro">{inline(intro)}</p>'
            f'<ol class="cl-quiz-list">{items}</ol>'
            f"<script>{SCRIPT.strip()}</script></div>")


def quiz(questions: Sequence[Question], intro: str = INTRO) -> HTML:
    """A quiz the reader answers in the page, in Jupyter and in the rendered book."""
    return HTML(quiz_html(questions, intro))
