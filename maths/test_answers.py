"""The pupil-answer reader, marked against the table of pupils' answers (maths/answer_table.toml)."""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maths.answers import FORMS, Answer, Judgement
from maths.polynomial import Polynomial, factorise
from maths.printing import MINUS, written

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TABLE = tomllib.loads((Path(__file__).parent / "answer_table.toml").read_text(encoding="utf-8"))["question"]


def answer(question: dict) -> Answer:
    return Answer(
        question["answer"],
        question["form"],
        units=question.get("units", ()),
        options=question.get("options", ()),
    )


RIGHT = [(q["asks"], q, attempt) for q in TABLE for attempt in q["right"]]
WRONG = [(q["asks"], q, case["attempt"], case["says"]) for q in TABLE for case in q["wrong"]]


@pytest.mark.parametrize(("asks", "question", "attempt"), RIGHT, ids=[f"{a} <- {t}" for a, _, t in RIGHT])
def test_a_right_answer_written_as_pupils_write_it_is_right(asks, question, attempt):
    judged = answer(question).judge(attempt)
    assert judged.right, f"{attempt!r} for {asks!r}: {judged.feedback}"
    assert judged.feedback == "\u2713 Right"


@pytest.mark.parametrize(("asks", "question", "attempt", "says"), WRONG, ids=[f"{a} <- {t}" for a, _, t, _ in WRONG])
def test_a_wrong_answer_is_not_right_and_the_feedback_says_what_to_change(asks, question, attempt, says):
    judged = answer(question).judge(attempt)
    assert not judged.right, f"{attempt!r} passed for {asks!r}"
    assert judged.feedback.startswith("Not yet \u2014 ") and judged.feedback.endswith(".")
    assert says in judged.feedback


def test_the_table_covers_every_form_with_dozens_of_answers():
    for form in FORMS:
        questions = [q for q in TABLE if q["form"] == form]
        assert questions, form
        assert sum(len(q["right"]) for q in questions) >= 8 or form == "true/false", form
        assert sum(len(q["wrong"]) for q in questions) >= 4, form


@pytest.mark.parametrize(
    "attempt", ["could not read", "ParseError", "Traceback", "None", "NotANumber", "<", "'"], ids=str
)
def test_feedback_never_speaks_like_a_parser(attempt):
    words = {answer(q).judge(case["attempt"]).feedback for q in TABLE for case in q["wrong"]}
    assert not any(attempt in w for w in words)


def test_hostile_attempts_are_read_cheaply_and_marked_wrong():
    for form, expected in [("value", 8), ("simplified", "4x"), ("factorised", "2(x + 3)"), ("fraction", "1/4")]:
        a = Answer(expected, form)
        for attempt in ["9" * 10_000, "(" * 5000, "x^99999999", "1e999999", "\x00", "", "   ", "x" * 300]:
            assert not a.judge(attempt).right


@pytest.mark.parametrize(
    ("expected", "form", "error"),
    [
        (8, "sum", "form must be one of"),
        ("2x + 6", "factorised", "not a product"),
        ("x + y", "simplified", "one letter"),
        ("eight", "value", "not a number"),
        ("2:", "ratio", "not a ratio"),
        ("e", "choice", "options"),
        (True, "value", "an int"),
    ],
)
def test_an_authors_mistake_is_refused_with_the_fix(expected, form, error):
    with pytest.raises((TypeError, ValueError), match=error):
        Answer(expected, form)


def test_a_judgement_reads_as_a_teacher_says_it():
    assert Judgement(True).feedback == "\u2713 Right"
    assert Judgement(False).feedback == "Not yet \u2014 try again."
    assert Judgement(False, "simplify the fraction").feedback == "Not yet \u2014 simplify the fraction."


def test_authors_give_numbers_in_any_exact_form():
    for expected in (Fraction(3, 4), 0.75, "3/4", "0.75"):
        assert Answer(expected).judge("6/8").right
    assert Answer(0.1).judge("1/10").right and not Answer(0.1).judge("0.10000000000000001").right


# --- properties: whatever the kit prints, the reader accepts -----------------------------------------

fractions = st.builds(Fraction, st.integers(-(10**6), 10**6), st.integers(1, 10**4))
small = st.integers(-9, 9)


@settings(deadline=None)  # a correctness property; the machine is shared
@given(fractions)
def test_every_printed_number_is_read_as_itself(q):
    a = Answer(q)
    for shown in (written(q), written(q, decimal=True), f"x = {written(q)}", f"({written(q)})"):
        assert a.judge(shown).right, shown


@settings(deadline=None)  # a correctness property; the machine is shared
@given(fractions)
def test_a_fraction_is_right_in_lowest_terms_and_only_then(q):
    a = Answer(q, "fraction")
    assert a.judge(written(q)).right
    if q.denominator > 1:
        doubled = f"{2 * q.numerator}/{2 * q.denominator}".replace("-", MINUS)
        assert a.judge(doubled).advice == "simplify the fraction"


@settings(deadline=None)  # a correctness property; the machine is shared
@given(st.lists(small, min_size=2, max_size=4).filter(lambda cs: cs[-1] != 0))
def test_a_printed_polynomial_is_its_own_simplified_answer(cs):
    p = Polynomial(cs)
    a = Answer(str(p), "simplified")
    assert a.judge(str(p)).right
    if p[1] not in (0, -1):  # the same with its x term in two parts is not collected
        split = str(p + Polynomial([0, 1])) + f" {MINUS} x"
        assert a.judge(split).advice == "collect the like terms"


@settings(deadline=None)
@given(st.integers(1, 5), small, small, small, small)
def test_a_printed_factorisation_is_its_own_factorised_answer(k, a, b, c, d):
    product = factorise(k * Polynomial([b, a]) * Polynomial([d, c]))
    if product is None:
        return
    answer = Answer(str(product), "factorised")
    assert answer.judge(str(product)).right
    assert answer.judge(str(product.expand())).advice == "write it as a product, with brackets"


@settings(deadline=None)  # a correctness property; the machine is shared
@given(st.lists(st.integers(1, 50), min_size=2, max_size=4))
def test_a_ratio_is_right_in_simplest_form_and_only_then(parts):
    a = Answer(":".join(map(str, parts)), "simplest ratio")
    common = math.gcd(*parts)
    assert a.judge(" to ".join(str(p // common) for p in parts)).right
    if common > 1:
        assert a.judge(":".join(map(str, parts))).advice == "simplify the ratio"


@pytest.mark.parametrize(
    ("expected", "form", "options", "shown"),
    [
        ("-5", "value", (), f"{MINUS}5"),
        (0.75, "value", (), "0.75"),
        ("0.75", "value", (), "0.75"),  # as the author wrote it
        (" -3/4 ", "value", (), f"{MINUS}3/4"),
        (Fraction(3, 4), "fraction", (), "3/4"),
        ("d + 3d", "expression", (), "4d"),
        ("(x - 3)(2)", "factorised", (), f"2(x {MINUS} 3)"),
        ("(x+2)x", "factorised", (), "x(x + 2)"),
        ("8:12", "simplest ratio", (), "2 : 3"),
        ("b", "choice", ("1", "5"), "b) 5"),
        (False, "true/false", (), "false"),
    ],
)
def test_the_answer_is_revealed_as_a_textbook_prints_it(expected, form, options, shown):
    assert Answer(expected, form, options=options).written == shown


@pytest.mark.parametrize("said", ["2 × 2 × 3 × 3", "2*2*3*3", "b", "b) 2 × 2 × 3 × 3"])
def test_an_option_written_with_times_is_right_when_tapped_or_typed(said):
    # A tapped option is sent as its text: "×" read as "*" in the pupil's words and not in the option's
    # marked every option with a times sign wrong.
    answer = Answer("2 × 2 × 3 × 3", "choice", options=("2 × 18", "2 × 2 × 3 × 3", "4 × 9"))
    assert answer.judge(said).right
