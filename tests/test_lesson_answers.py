"""Every lesson's questions, answered as a pupil types what the lesson prints: each one is marked right.

Each lesson in units/ runs in a real kernel; then, in that kernel, every Questions widget it made is
answered with each question's answer as Reveal answers shows it, and as pupils type that (a hyphen
for the minus sign, x^2 or x2 for x², no spaces, x = 8 for an equation, £12 in a money question,
a ratio's colon without spaces, an option's text). A lesson whose own printed answer is marked
wrong would tell a pupil who copied the worked example that they are wrong.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "units").glob("*/*.ipynb"))


def typed_forms(kind: str, form: str, written: str, prompt: str, units: list[str]) -> list[str]:
    """The ways a pupil types an answer the lesson prints as `written`."""
    import re

    if kind == "choice":
        return [written, written.split(") ", 1)[1], written.split(")", 1)[0]]  # "b) 15", "15", "b"
    forms = {written}
    plain = written.replace("\u2212", "-").replace("\u00b2", "^2")
    forms.add(plain)
    if form in ("expression", "simplified", "factorised"):
        forms |= {written.replace(" ", ""), plain.replace(" ", "")}
        if "\u00b2" in written:
            forms.add(written.replace("\u00b2", "2").replace(" ", ""))  # no ^ key: x2 for x²
    if form in ("ratio", "simplest ratio"):
        forms |= {written.replace(" ", ""), written.replace(" : ", " to ")}
    if form == "value":
        if "=" in prompt and re.search(r"(?<![a-z])x(?![a-z])", prompt):  # an equation in x
            forms |= {f"x = {written}", f"x={plain}", f"{written} = x"}
        if "\u00b0C" in prompt:
            forms.add(f"{written}\u00b0C")
        if "\u00a3" in prompt and not units:  # a money answer; "How much rice does £1 buy?" is in kg
            forms.add(f"\u00a3{written}")
        forms |= {f"{written} {unit}" for unit in units}  # 28 pupils, where the question names pupils
        if written.startswith("\u2212"):
            forms.add(f"({written})")  # negatives in brackets, as directed numbers are written
    return sorted(forms)


MARK = """
import gc as _gc
import json as _json

from widgets import Questions as _Questions


def _marked():
    out = []
    for widget in [o for o in _gc.get_objects() if isinstance(o, _Questions)]:
        for index, question in enumerate(widget._answers):
            for attempt in typed_forms(question.kind, question.form, question.written, question.prompt, question.units):
                widget.check(index, attempt)
                out.append([widget.name, question.prompt, attempt, widget.results[index], widget.feedback[index]])
    return out


print("MARKED" + _json.dumps(_marked()))
"""


@functools.cache
def run_and_mark(path: Path) -> list[list]:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(inspect.getsource(typed_forms) + MARK))
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute(stderr=subprocess.DEVNULL)
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.get("name") == "stdout")
    return json.loads(re.search(r"MARKED(.*)", printed)[1])


@pytest.mark.parametrize("path", LESSONS, ids=[f"{p.parent.name}/{p.stem}" for p in LESSONS])
def test_every_answer_a_lesson_prints_is_marked_right_as_a_pupil_types_it(path):
    marked = run_and_mark(path)
    widgets = {name for name, *_ in marked}
    assert len(widgets) >= 3, f"{path.name}: found the questions of only {sorted(widgets)}"
    wrong = [f"{name}: {prompt!r} <- {attempt!r}: {said}" for name, prompt, attempt, right, said in marked if not right]
    assert not wrong, "\n".join(wrong)


def test_the_typed_forms_are_those_pupils_write():
    assert typed_forms("answer", "value", "\u22125", "3x + 20 = 5", []) == sorted(
        ["\u22125", "-5", "x = \u22125", "x=-5", "\u22125 = x", "(\u22125)"]
    )
    assert "x2+5x+6" in typed_forms("answer", "simplified", "x\u00b2 + 5x + 6", "Expand (x + 2)(x + 3)", [])
    assert typed_forms("choice", "choice", "b) 15", "3/4 of 20", []) == ["b) 15", "15", "b"]
    assert "28 pupils" in typed_forms("answer", "value", "28", "How many pupils?", ["pupils"])


# Practice sets whose lesson says each question changes one thing from the one before: (lesson, widget).
ONE_CHANGE = [
    ("y7-09-directed-number/02-adding-directed-numbers", "practice"),
    ("y7-09-directed-number/03-subtracting-directed-numbers", "practice"),
    ("y7-07-multiplication-and-division/02-multiplying-and-dividing-by-powers-of-ten", "practice-a"),
    ("y7-07-multiplication-and-division/04-the-column-method", "practice-a"),
    ("y7-07-multiplication-and-division/05-division-with-remainders", "practice-a"),
    ("y7-08-fractions-and-percentages-of-amounts/01-unit-fractions-of-amounts", "practice"),
    ("y7-08-fractions-and-percentages-of-amounts/02-non-unit-fractions", "practice"),
    ("y7-08-fractions-and-percentages-of-amounts/03-finding-the-whole", "practice"),
    ("y7-01-sequences/01-sequences-in-pictures", "practice-a"),
    ("y7-01-sequences/02-term-to-term-rules", "practice-a"),
    ("y7-01-sequences/04-missing-terms-and-terms-far-along", "practice-a"),
    ("y7-02-algebraic-notation/01-function-machines", "practice-a"),
    ("y7-02-algebraic-notation/02-letters-in-function-machines", "practice-a"),
    ("y7-09-directed-number/04-directed-numbers-on-a-number-line", "practice-a"),
    ("y7-09-directed-number/05-multiplying-and-dividing-directed-numbers", "practice-a"),
    ("y7-02-algebraic-notation/03-forming-expressions", "practice-a"),
    ("y7-02-algebraic-notation/05-sequences-from-a-rule", "practice-a"),
    ("y7-03-equality-and-equivalence/02-balancing-equations", "practice-add"),
    ("y7-03-equality-and-equivalence/02-balancing-equations", "practice-share"),
    ("y7-03-equality-and-equivalence/03-equations-expressions-and-identities", "practice-a"),
    ("y7-10-adding-and-subtracting-fractions/01-adding-fractions-with-the-same-denominator", "practice-a"),
    ("y7-10-adding-and-subtracting-fractions/02-denominators-that-are-multiples", "practice-a"),
    ("y7-10-adding-and-subtracting-fractions/03-any-two-fractions", "practice-a"),
    ("y7-10-adding-and-subtracting-fractions/04-mixed-numbers", "practice-a"),
    ("y7-10-adding-and-subtracting-fractions/05-fractions-in-problems-and-algebra", "practice-a"),
    ("y7-10-adding-and-subtracting-fractions/06-problem-solving-with-fractions", "practice-a"),
]


def changes(before: list[str], after: list[str]) -> int:
    """How many things change from one question's numbers to the next's: a swap of two is one change."""
    if len(before) != len(after):
        return len(before) + len(after)
    differ = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    plain = [re.sub(r"^[×÷+] ", "", number) for number in before], [re.sub(r"^[×÷+] ", "", n) for n in after]
    if len(differ) == 2 and [plain[1][i] for i in differ] == [plain[0][i] for i in reversed(differ)]:
        return 1  # a swap: 5 + (−3) after −3 + 5
    return len(differ)


def numbers_and_blanks(prompt: str) -> list[str]:
    """What can change in a prompt: how many blanks □ it has, then its numbers in order, each with the
    operation written before it ("× 3", "− 5"), so that + 5 for − 5 is one change; decimals stay whole."""
    numbers = re.findall(r"[×÷+\u2212] \d+(?:\.\d+)?|[\u2212-]?\d+(?:\.\d+)?", prompt)
    return [str(prompt.count("□")), *numbers]


@pytest.mark.parametrize(("lesson", "widget"), ONE_CHANGE, ids=[f"{lesson}:{widget}" for lesson, widget in ONE_CHANGE])
def test_a_practice_set_said_to_change_one_thing_at_a_time_does(lesson, widget):
    # Fractions lessons 1 and 2 went from 1/12 of 24 to 1/4 of 28, and from 3/5 of 40 to 3/10 of 30.
    marked = run_and_mark(ROOT / "units" / f"{lesson}.ipynb")
    prompts = list(dict.fromkeys(prompt for name, prompt, *_ in marked if name == widget))
    assert len(prompts) >= 4, f"{lesson} has no practice set named {widget!r}"
    numbers = [numbers_and_blanks(prompt) for prompt in prompts]
    for n in range(1, len(prompts)):
        count = changes(numbers[n - 1], numbers[n])
        assert count == 1, f"{prompts[n - 1]!r} then {prompts[n]!r} changes {count} things"
