"""Questions: the marking rules, every kind of question, the answers kept from the browser,
and hostile messages refused."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from widgets import AlwaysSometimesNever, Ask, Choice, Questions, Refused, SpotTheMistake, TrueFalse

MINUS = "\u2212"
PRACTICE = [
    ("3 + (\u22122)", 1),
    ("3 + (\u22123)", 0),
    ("Simplify 2x + 3x", "5x"),
    ("Share 20 in the ratio 2:3", "8:12"),
]


def browser_action(widget, content):
    """Send a custom message exactly as the front end's model.send does, through the comm handler."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def kept(widget):
    """What a pupil sees of the questions' state, apart from the refusal message."""
    state = widget.get_state()
    return {key: state[key] for key in ("prompts", "attempts", "results", "feedback", "answers", "summary")}


# --- marking ---------------------------------------------------------------------------------


@pytest.mark.parametrize("attempt", ["1", " 1 ", "+1", "1.0", "2/2", "1.000"])
def test_a_whole_number_answer_accepts_its_forms(attempt):
    assert Questions(PRACTICE).check(0, attempt) is True


@pytest.mark.parametrize("attempt", [f"{MINUS}2", "-2", " -2 ", f"{MINUS} 2", "\u20132", "-4/2", "-2.0"])
def test_every_minus_sign_reads_the_same(attempt):
    assert Questions([("5 + (\u22127)", -2)]).check(0, attempt) is True


@pytest.mark.parametrize("attempt", ["2", "-1", "0", "-2.5", "-20"])
def test_other_numbers_are_not_yet(attempt):
    q = Questions([("5 + (\u22127)", -2)])
    assert q.check(0, attempt) is False
    assert q.feedback == ["Not yet \u2014 try again."] and q.results == [False]


@pytest.mark.parametrize("attempt", ["3/4", "0.75", ".75", "6/8", "3 / 4", "75/100"])
def test_fractions_and_decimals_compare_exactly(attempt):
    assert Questions([("Half of 1.5", Fraction(3, 4))]).check(0, attempt) is True


def test_a_float_answer_compares_as_the_decimal_it_is_written_as():
    q = Questions([("0.3 \u00d7 0.5", 0.15), ("Half of 3", 1.5), ("A tenth", 0.1)])
    assert q.check(0, "0.15") and q.check(0, "3/20")
    assert q.check(1, "1.5") and q.check(1, "3/2")
    assert q.check(2, "1/10") and q.check(2, "0.1")
    assert not q.check(2, "0.10000000000000001")  # exact: no rounding to the nearest float


def test_a_fraction_over_zero_is_not_yet_with_the_reason():
    q = Questions([("Half of 1.5", Fraction(3, 4))])
    assert q.check(0, "3/0") is False
    assert "0 on the bottom" in q.feedback[0]


@pytest.mark.parametrize("attempt", ["5x", "5 x", "5X", " 5x ", "+5x"])
def test_an_expression_answer_accepts_what_the_tile_parser_reads(attempt):
    assert Questions(PRACTICE).check(2, attempt) is True


@pytest.mark.parametrize(
    ("attempt", "says"), [("5*x", "without \u00d7, as 5x"), ("5 \u00d7 x", "without \u00d7"), ("x5x", "")]
)
def test_a_simplify_answer_written_with_times_is_asked_to_be_written_simply(attempt, says):
    # 4 × x was once marked right for "write x + x + x + x more simply".
    q = Questions(PRACTICE)
    assert q.check(2, attempt) is False
    assert says in q.feedback[2]


def test_expressions_compare_as_polynomials_in_any_order():
    q = Questions([("Expand 3(x + 2)", "3x + 6"), ("Expand (x + 1)(x \u2212 1)", "x^2 - 1")])
    assert q.check(0, "6 + 3x") and q.check(0, "3x+6")
    assert q.check(1, "x\u00b2 \u2212 1") and q.check(1, "-1 + x**2")
    assert not q.check(0, "3x + 2") and not q.check(1, "x^2 + 1")


def test_an_expression_in_another_letter_is_read_in_that_letter():
    q = Questions([("Simplify 2a + a + 6", "3a + 6")])
    assert q.check(0, "6 + 3a") and q.check(0, "3A+6")
    assert not q.check(0, "3x + 6")  # the same shape in the wrong letter is not the answer
    assert q.feedback[0] == "Not yet \u2014 write it with a, not x."


def test_a_simplify_answer_wants_like_terms_collected():
    q = Questions(PRACTICE)
    assert q.check(2, "2x + 3x") is False  # equal, but it is the question copied out
    assert "collect" in q.feedback[2]


@pytest.mark.parametrize(
    ("answer", "attempt", "right", "says"),
    [
        ("(x + 2)(x + 3)", "(x+3)(x+2)", True, "Right"),  # the factors in either order
        ("(x + 2)(x + 3)", "(x + 2) * (x + 3)", True, "Right"),
        ("(x + 2)(x + 3)", "x² + 5x + 6", False, "with brackets"),  # equal, but not factorised
        ("(x + 2)(x + 3)", "(x + 6)(x + 1)", False, "try again"),
        ("2(x + 3)", "2(3 + x)", True, "Right"),
        ("2(x + 3)", "\u22122(\u2212x \u2212 3)", False, "minus sign in front and in the bracket"),
        ("2(x + 3)", "(2x + 6)", False, "common factor still inside the bracket"),
        ("6(2a + 3)", "3(4a + 6)", False, "common factor still inside the bracket"),
        ("2(x + 3)", "2(x + 1 + 2)", False, "collect the like terms inside the bracket"),
        ("2(x + 3)", "(x + 3)(2)", True, "Right"),  # as the multiplication frame once wrote it
        ("2(x + 3)", "(x+3)2", True, "Right"),
        ("x(x + 2)", "(x+2)x", True, "Right"),
        ("6(2a + 3)", "6(3 + 2a)", True, "Right"),
        ("x(x + 4)", "x(4 + x)", True, "Right"),
    ],
)
def test_a_factorised_answer_wants_a_product_of_the_same_factors(answer, attempt, right, says):
    q = Questions([("Factorise", answer)])
    assert q.check(0, attempt) is right
    assert says in q.feedback[0]


@pytest.mark.parametrize(
    ("attempt", "says"),
    [
        ("x5", "type x\u00b2 as x^2, and 5 lots of x as 5x"),
        ("5y", "write it with x, not y"),
        ("5x +", "write it with x, numbers, + and \u2212"),
        ("five x", "write it with x, numbers, + and \u2212"),
        ("5x = 5x", "write it with x, numbers, + and \u2212"),
    ],
)
def test_an_unreadable_expression_is_not_yet_with_a_kind_message(attempt, says):
    q = Questions(PRACTICE)
    assert q.check(2, attempt) is False
    assert q.feedback[2] == f"Not yet \u2014 {says}."
    assert q.results[2] is False


@pytest.mark.parametrize("attempt", ["8:12", "8 : 12", " 8:12 ", "8 to 12", "8\u223612"])
def test_a_ratio_answer_is_read_as_pupils_write_a_ratio(attempt):
    assert Questions(PRACTICE).check(3, attempt) is True


def test_a_text_answer_ignores_case_and_minus_kinds_but_not_the_words():
    q = Questions([("The opposite of hot", "Cold"), ("Coordinates of A", "(\u22122, 3)"), ("Which option?", "b")])
    assert q.check(0, "cold") and q.check(0, "COLD ")
    assert q.check(1, "(-2,3)") and q.check(1, "( \u22122 , 3 )")
    assert q.check(2, "B")
    assert not q.check(0, "colder") and not q.check(1, "(2, 3)") and not q.check(2, "a")
    assert not Questions(PRACTICE).check(3, "2:3")  # the shares, not the ratio they were shared in
    shares = Questions(PRACTICE)
    assert not shares.check(3, "12:8") and "check the order" in shares.feedback[3]


@pytest.mark.parametrize("attempt", ["abc", "2,5", "1e3", "two", "--2", "1/2/3", "\u00bd"])
def test_an_unreadable_number_is_not_yet_with_a_kind_message(attempt):
    q = Questions(PRACTICE)
    assert q.check(0, attempt) is False
    assert q.feedback[0].startswith("Not yet \u2014 write a number")


def test_an_empty_attempt_is_not_a_try():
    q = Questions(PRACTICE)
    assert q.check(0, "   ") is False
    assert q.results[0] is None and q.score == (0, 0)
    assert q.feedback[0] == "Type an answer, then press Check."
    q.check(0, "1")
    q.check(0, "")
    assert q.results[0] is True and q.attempts[0] == "1", "an empty check keeps the last result and attempt"


def test_results_score_and_summary_follow_the_last_attempt():
    q = Questions(PRACTICE)
    assert q.results == [None] * 4 and q.score == (0, 0) and q.summary == "No answers checked yet"
    q.check(0, "1")
    q.check(1, "3")
    q.check(3, "8:12")
    assert q.results == [True, False, None, True]
    assert q.score == (2, 3) and q.summary == "2 of 3 right"
    q.check(1, "0")
    assert q.score == (3, 3) and q.feedback[1] == "\u2713 Right"
    assert q.attempts == ["1", "0", "", "8:12"]


# --- what an author is told -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "error", "words"),
    [
        ("3 + 4", TypeError, r"list of questions: \(prompt, answer\) pairs"),
        ({"3 + 4": 7}, TypeError, r"list of questions: \(prompt, answer\) pairs"),
        ([], ValueError, "1 to 40"),
        ([("3 + 4", 7)] * 41, ValueError, "1 to 40"),
        ([("3 + 4",)], TypeError, "Question 1 must be a pair"),
        ([("3 + 4", 7, 8)], TypeError, "Question 1 must be a pair"),
        ([(34, 7)], TypeError, "prompt of question 1 must be text"),
        ([("", 7)], ValueError, "prompt of question 1 is empty"),
        ([("x" * 201, 7)], ValueError, "at most 200"),
        ([("3 +\n4", 7)], ValueError, "one line"),
        ([("3 + 4", True)], TypeError, "answer to question 1 must be an int"),
        ([("3 + 4", None)], TypeError, "answer to question 1 must be an int"),
        ([("3 + 4", [7])], TypeError, "answer to question 1 must be an int"),
        ([("3 + 4", 7), ("1/0", float("inf"))], ValueError, "question 2 must be a finite number"),
        ([("3 + 4", float("nan"))], ValueError, "finite"),
        ([("3 + 4", " ")], ValueError, "answer to question 1 is empty"),
        ([("3 + 4", "7" * 61)], ValueError, "at most 60"),
        ([("3 + 4", "1/0")], ValueError, "0 on the bottom"),
    ],
)
def test_bad_items_are_refused_with_a_clear_error(items, error, words):
    with pytest.raises(error, match=words):
        Questions(items)


def test_a_bad_title_or_name_is_refused():
    with pytest.raises(ValueError, match="one line"):
        Questions(PRACTICE, title="Exit\nticket")
    with pytest.raises(ValueError, match="name"):
        Questions(PRACTICE, name="x" * 41)


def test_checking_from_python_names_a_wrong_question_or_attempt():
    q = Questions(PRACTICE)
    with pytest.raises(Refused, match="no question 4"):
        q.check(4, "1")
    with pytest.raises(TypeError):
        q.check("0", "1")
    with pytest.raises(TypeError):
        q.check(0, 1)
    with pytest.raises(Refused, match="at most 60"):
        q.check(0, "1" * 61)


# --- the answers stay in Python until reveal ---------------------------------------------------


def test_answers_are_not_in_the_synced_state_until_reveal():
    q = Questions([("Simplify 4y + 3y", "7y"), ("Share 35 in the ratio 3:4", "15:20"), ("7 \u00f7 9", Fraction(7, 9))])
    for i, attempt in enumerate(["6y", "20:15", "0.7"]):
        assert q.check(i, attempt) is False
    q.check(1, "nonsense")
    shown = json.dumps(q.get_state(), ensure_ascii=False, default=str)
    for answer in ("7y", "15:20", "15 : 20", "7/9"):
        assert answer not in shown, f"{answer} reached the browser before reveal"
    assert q.answers == []
    q.reveal()
    assert q.get_state()["answers"] == ["7y", "15 : 20", "7/9"]


def test_reveal_from_the_browser_is_the_same_as_reveal():
    q = Questions(PRACTICE)
    browser_action(q, {"action": "reveal"})
    assert q.answers == ["1", "0", "5x", "8 : 12"] and q.message == ""


def test_revealed_answers_are_written_as_a_textbook_does():
    q = Questions([("a", -3), ("b", Fraction(-3, 4)), ("c", -1.5), ("d", "x^2 - 1"), ("e", "-4"), ("f", 2.0)])
    q.reveal()
    assert q.answers == [f"{MINUS}3", f"{MINUS}3/4", f"{MINUS}1.5", f"x\u00b2 {MINUS} 1", f"{MINUS}4", "2"]


def test_the_plain_text_fallback_lists_the_prompts_and_no_answer():
    q = Questions(PRACTICE, title="Intelligent practice")
    text = q._repr_mimebundle_()[0]["text/plain"]
    assert text.splitlines()[:3] == ["Intelligent practice", "1. 3 + (\u22122)", "2. 3 + (\u22123)"]
    assert "5x" not in text.replace("2x + 3x", "") and "8:12" not in text and "8 : 12" not in text


# --- the browser is not trusted ----------------------------------------------------------------


def test_a_check_from_the_browser_takes_the_same_path_as_check():
    q = Questions(PRACTICE)
    browser_action(q, {"action": "check", "index": 2, "attempt": "3x + 2x"})
    browser_action(q, {"action": "check", "index": 0, "attempt": f"{MINUS}2"})
    browser_action(q, {"action": "check", "index": 1, "attempt": "0"})
    assert q.results == [False, True, False, None] and q.summary == "1 of 3 right" and q.message == ""


@pytest.mark.parametrize(
    "content",
    [
        None,
        "check",
        ["check", 0, "1"],
        {},
        {"action": "grade"},
        {"action": "reveal_answers"},
        {"action": "reveal", "index": 0},
        {"action": "check", "index": 0},
        {"action": "check", "attempt": "1"},
        {"action": "check", "index": 0, "attempt": "1", "answer": "1"},
        {"action": "check", "index": "0", "attempt": "1"},
        {"action": "check", "index": True, "attempt": "1"},
        {"action": "check", "index": 0.0, "attempt": "1"},
        {"action": "check", "index": 4, "attempt": "1"},
        {"action": "check", "index": -1, "attempt": "1"},
        {"action": "check", "index": 10**100, "attempt": "1"},
        {"action": "check", "index": 0, "attempt": 1},
        {"action": "check", "index": 0, "attempt": None},
        {"action": "check", "index": 0, "attempt": ["1"]},
        {"action": "check", "index": 0, "attempt": "1" * 61},
        {"action": "check", "index": 0, "attempt": "1" * 100_000},
        {"action": "check", "index": 0, "attempt": "1\n"},
        {"action": ["check"], "index": 0, "attempt": "1"},
    ],
)
def test_hostile_messages_are_refused_and_the_state_kept(content):
    q = Questions(PRACTICE)
    q.check(1, "5")
    before = kept(q)
    browser_action(q, content)  # never raises
    assert kept(q) == before
    assert q.message and len(q.message) < 120, "the widget says why, briefly"
    assert q.answers == []
    browser_action(q, {"action": "check", "index": 0, "attempt": "1"})
    assert q.message == "" and q.results[0] is True, "a good message after a refused one works"


@pytest.mark.parametrize(
    "state",
    [
        {"results": [True, True, True, True]},
        {"answers": ["1", "0", "5x", "8:12"]},
        {"summary": "4 of 4 right"},
        {"attempts": ["1", "0", "5x", "8:12"]},
        {"prompts": ["1 + 1"]},
        {"message": ""},
    ],
)
def test_the_browser_may_write_no_trait(state):
    q = Questions(PRACTICE)
    before = kept(q)
    q._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})
    assert kept(q) == before and q.message
    q.set_state(state)  # however an update arrives
    assert kept(q) == before


@pytest.mark.parametrize(
    "msg",
    [None, {}, {"content": None}, {"content": {"data": "custom"}}, {"content": {"data": {"method": "explode"}}}],
)
def test_malformed_comm_messages_are_refused_not_raised(msg):
    q = Questions(PRACTICE)
    before = kept(q)
    q._handle_msg(msg)
    assert kept(q) == before and q.message


# --- snapshots -----------------------------------------------------------------------------------


def test_snapshot_round_trip_keeps_prompts_attempts_and_results_but_no_answers():
    q = Questions(PRACTICE, title="Intelligent practice", name="practice")
    q.check(0, f"{MINUS}2")
    q.check(2, "5x")
    snap = json.loads(json.dumps(q.snapshot()))
    assert snap["prompts"] == [p for p, _ in PRACTICE]
    assert snap["attempts"] == [f"{MINUS}2", "", "5x", ""] and snap["results"] == [False, None, True, None]
    assert "5x" not in json.dumps(snap).replace("2x + 3x", "").replace('"5x"', "", 1)
    assert "8:12" not in json.dumps(snap) and "8 : 12" not in json.dumps(snap)
    back = Questions.from_snapshot(snap)
    assert back.snapshot() == snap
    assert (back.title, back.name, back.score, back.summary) == (
        "Intelligent practice",
        "practice",
        (1, 2),
        "1 of 2 right",
    )
    assert back.feedback == ["Not yet \u2014 try again.", "", "\u2713 Right", ""]
    with pytest.raises(Refused, match="without their answers"):
        back.check(1, "0")
    browser_action(back, {"action": "reveal"})  # refused calmly in the widget
    assert back.answers == [] and "without their answers" in back.message


def test_a_snapshot_given_its_answers_checks_again():
    q = Questions(PRACTICE)
    q.check(0, "1")
    back = Questions.from_snapshot(q.snapshot(), answers=[a for _, a in PRACTICE])
    assert back.results == [True, None, None, None]
    assert back.check(3, "8 : 12") and back.score == (2, 2)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"widget": "Counters"}, "not a snapshot of Questions"),
        ({"version": 2}, "version"),
        ({"answers": ["1"]}, "no field"),
        ({"prompts": "3 + 4"}, "prompts"),
        ({"results": [True]}, "results"),
        ({"results": ["yes", None, None, None]}, "results"),
        ({"attempts": [1, "", "", ""]}, "attempts"),
        ({"attempts": ["1" * 61, "", "", ""]}, "at most 60"),
    ],
)
def test_a_bad_snapshot_is_refused(change, words):
    snap = {**Questions(PRACTICE).snapshot(), **change}
    with pytest.raises(ValueError, match=words):
        Questions.from_snapshot(snap)


def test_check_from_the_browser_is_no_oracle_for_a_script():
    """A script trying answer after answer is stopped at MAX_CHECKS per question; other questions still check.

    622 messages once recovered every answer of a 15-question lesson through Check.
    """
    from widgets.questions import MAX_CHECKS

    q = Questions(PRACTICE)
    for guess in range(-5, MAX_CHECKS - 5):  # MAX_CHECKS wrong guesses, none of them 1
        browser_action(q, {"action": "check", "index": 0, "attempt": str(guess if guess != 1 else 99)})
    assert q.message == "" and q.results[0] is False
    before = kept(q)
    browser_action(q, {"action": "check", "index": 0, "attempt": "1"})  # the right answer, too late
    assert kept(q) == before, "a check past the limit still marked the attempt"
    assert f"checked {MAX_CHECKS} times" in q.message and "ask your teacher" in q.message
    browser_action(q, {"action": "check", "index": 1, "attempt": "0"})  # another question is its own count
    assert q.results[1] is True and q.message == ""
    browser_action(q, {"action": "check", "index": 0, "attempt": "   "})  # an empty box is not a try: not refused
    assert q.message == "" and q.results[0] is False
    assert q.check(0, "1") is True  # the teacher's own call in Python is not limited


# --- the forms a question asks for, and the pupils' answers the issue found marked wrong ---------


@pytest.mark.parametrize(
    ("question", "attempt"),
    [
        (("Solve 2x + 3 = 19 (x = ?)", 8), "x = 8"),
        (("Solve 2x + 3 = 19 (x = ?)", 8), "X=8"),
        (("Solve 3x + 20 = 5", -5), "\u22125 = x"),
        (("Share £60 in the ratio 1:4. The smaller share?", 12), "£12.00"),
        (("Share £60 in the ratio 1:4. The smaller share?", 12), "12 pounds"),
        (("It is 5 °C and falls 7 degrees. Now?", -2), "\u22122°C"),
        (("3 + (\u22125)", -2), "(\u22122)"),
        (("Expand (x + 1)(x + 4)", "x^2 + 5x + 4"), "x2+5x+4"),
        (("Factorise fully 2x + 6", "2(x + 3)"), "(x+3)*2"),
        (("Simplify 1 \u2212 3x", "-3x + 1"), "1 + -3x"),
        (("Expand 4(x \u2212 2)", "4x - 8"), "4x + (\u22128)"),
        (("Share 20 in the ratio 2:3", "8:12"), "8 to 12"),
        (Ask("Write the total number of cards", "4d", form="expression"), "d+3d"),
        (Ask("How many pupils are in the class?", 28, units=["pupils"]), "28 pupils"),
        (Ask("How many beads are blue?", 21, units=["beads"]), "21 beads"),
        (Ask("Write 15 : 10 in its simplest form", "3:2", form="simplest ratio"), "3 to 2"),
    ],
)
def test_what_pupils_typed_and_were_marked_wrong_for_is_right(question, attempt):
    q = Questions([question])
    assert q.check(0, attempt), q.feedback[0]
    assert q.feedback == ["\u2713 Right"]


@pytest.mark.parametrize(
    ("question", "attempt", "says"),
    [
        (Ask("Write x + x + x + x more simply", "4x", form="simplified"), "4 \u00d7 x", "without \u00d7"),
        (Ask("Factorise fully 2x + 6", "2(x + 3)"), "2(x+1+2)", "collect the like terms inside the bracket"),
        (Ask("Factorise fully 2x + 6", "2(x + 3)"), "\u22122(\u2212x\u22123)", "minus sign"),
        (Ask("What fraction of the bar is one part?", "1/4", form="fraction"), "2/8", "simplify the fraction"),
        (Ask("Write 15 : 10 in its simplest form", "3:2", form="simplest ratio"), "15:10", "simplify the ratio"),
        (Ask("How many pupils are in the class?", 28, units=["pupils"]), "£28", "just the number, without £"),
        (("Simplify 2x + 3x", "5x"), "2x + 3x", "collect the like terms"),
    ],
)
def test_what_a_teacher_would_not_accept_is_not_yet_and_says_what_to_change(question, attempt, says):
    q = Questions([question])
    assert not q.check(0, attempt)
    assert says in q.feedback[0] and "Traceback" not in q.feedback[0]


def test_a_form_is_named_or_read_from_the_answer():
    q = Questions(
        [
            ("a", 3),
            ("b", "8:12"),
            ("c", "2(x + 3)"),
            ("d", "5x"),
            ("e", "Cold"),
            Ask("f", "4d", form="expression"),
            Ask("g", "1/4", form="fraction"),
        ]
    )
    forms = ["value", "ratio", "factorised", "simplified", "text", "expression", "fraction"]
    assert [a.form for a in q._answers] == forms


HINGE = Choice("What is 3/4 of 20?", answer=15, wrong={5: "found 1/4, not 3/4", 60: "multiplied by 3 only", 80: ""})


def test_a_choice_shows_its_options_shuffled_the_same_way_on_every_screen():
    q = Questions([HINGE])
    assert q.kinds == ["choice"] and sorted(q.options[0]) == ["15", "5", "60", "80"]
    assert Questions([HINGE]).options == q.options, "every screen in the class shows the same order"
    orders = {tuple(Questions([Choice("3/4 of 20", 15, [5, 60, 80], seed=s)]).options[0]) for s in range(12)}
    assert len(orders) > 1, "the seed shuffles"
    assert Questions([Choice("3/4 of 20", 15, [5, 60, 80], shuffle=False)]).options == [["15", "5", "60", "80"]]


def test_a_choice_is_marked_by_the_option_tapped_and_its_misconception_stays_with_the_teacher():
    q = Questions([HINGE])
    shown = json.dumps(q.get_state(), ensure_ascii=False)
    assert "found 1/4" not in shown and "multiplied" not in shown
    assert not q.check(0, "5") and q.feedback[0] == "Not yet \u2014 try again."
    assert q.diagnosis(0) == "found 1/4, not 3/4"
    letter = "abcd"[q.options[0].index("60")]
    assert not q.check(0, letter) and q.diagnosis(0) == "multiplied by 3 only"
    assert not q.check(0, "80") and q.diagnosis(0) == ""
    assert q.check(0, "15") and q.diagnosis(0) == ""
    with pytest.raises(Refused, match="no question 1"):
        q.diagnosis(1)
    assert "found 1/4" not in json.dumps(q.get_state(), ensure_ascii=False)
    q.reveal()
    assert q.answers == [f"{letter_of(q, '15')}) 15"]


def letter_of(q, option):
    return "abcd"[q.options[0].index(option)]


def test_true_false_always_sometimes_never_and_spot_the_mistake():
    q = Questions(
        [
            TrueFalse("\u22123 is greater than \u22122", False, reason="Show it on a number line."),
            AlwaysSometimesNever("Adding a negative number makes the answer smaller.", "always"),
            SpotTheMistake("Sam expanded 3(x + 4). What should it be?", worked="3(x + 4) = 3x + 4", answer="3x + 12"),
        ]
    )
    assert q.kinds == ["true/false", "always/sometimes/never", "mistake"]
    assert q.options == [["True", "False"], ["Always", "Sometimes", "Never"], []]
    assert q.reasons == ["Show it on a number line.", "Give an example, or say why not.", ""]
    assert q.worked == ["", "", "3(x + 4) = 3x + 4"]
    assert not q.check(0, "True") and q.check(0, "False")
    assert not q.check(1, "Sometimes") and q.check(1, "Always")
    assert not q.check(2, "3x + 4") and q.check(2, "12 + 3x")
    q.reveal()
    assert q.answers == ["False", "Always", "3x + 12"]


def test_every_kind_round_trips_through_a_snapshot_and_checks_again_given_its_questions():
    items = [
        ("3 + (\u22122)", 1),
        HINGE,
        TrueFalse("\u22123 > \u22122", False),
        AlwaysSometimesNever("x + 1 > x", "always"),
        SpotTheMistake("Expand 2(x + 5)", "2(x + 5) = 2x + 5", "2x + 10"),
    ]
    q = Questions(items, name="mixed")
    q.check(1, "60")
    q.check(4, "2x + 10")
    snap = json.loads(json.dumps(q.snapshot()))
    assert Questions.from_snapshot(snap).snapshot() == snap
    shown = Questions.from_snapshot(snap)
    assert (shown.kinds, shown.options, shown.worked, shown.reasons) == (q.kinds, q.options, q.worked, q.reasons)
    back = Questions.from_snapshot(snap, answers=[1, *items[1:]])
    assert back.results == q.results and back.check(2, "false") and back.diagnosis(1) == "multiplied by 3 only"
    with pytest.raises(ValueError, match="other questions"):
        Questions.from_snapshot(snap, answers=[1, Choice("What is 3/4 of 20?", 15, [1, 2]), *items[2:]])


@pytest.mark.parametrize(
    ("item", "error", "words"),
    [
        (Ask("a", "2x + 6", form="factorised"), ValueError, "question 1: .*not a product"),
        (Ask("a", 8, form="sum"), ValueError, "form of question 1 must be one of"),
        (Ask("a", "x + y", form="simplified"), ValueError, "one letter, or give letter="),
        (Choice("a", 1, []), ValueError, "1 to 5 wrong options"),
        (Choice("a", 1, [2, 3, 4, 5, 6, 7]), ValueError, "1 to 5 wrong options"),
        (Choice("a", 1, [1]), ValueError, "same option twice"),
        (Choice("a", "-5", ["\u22125"]), ValueError, "same option twice"),
        (Choice("a", 1, ["x" * 61]), ValueError, "at most 60"),
        (Choice("a", 1, "2"), TypeError, "wrong options must be a list"),
        (Choice("a", 1, {2: 3}), TypeError, "misconception of option 2 must be text"),
        (TrueFalse("a", "yes"), TypeError, "True or False"),
        (AlwaysSometimesNever("a", "often"), ValueError, "'always', 'sometimes' or 'never'"),
        (SpotTheMistake("a", "", 4), ValueError, "worked line of question 1 is empty"),
        (("a", 1, "value"), TypeError, r"Ask\(prompt, answer, form\)"),
    ],
)
def test_an_authors_mistake_in_a_question_names_the_question_and_the_fix(item, error, words):
    with pytest.raises(error, match=words):
        Questions([item])
