"""Questions: exit tickets and intelligent practice, checked on the spot in Python.

A lesson author gives a list of (prompt, answer) pairs. Pupils type an answer and press Check;
the browser sends the attempt and Python says whether it is right. The answers stay in a private
attribute here: they reach the browser only when the teacher reveals them.

    q = Questions([("3 + (−2)", 1), ("Simplify 2x + 3x", "5x")], title="Exit ticket", name="exit")
    q.check(0, "−2")  # False; q.results == [False, None]; q.score == (0, 1)
    q.reveal()
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any, ClassVar

import traitlets as t

from maths.numbers import NotANumber, OverZero, exact, read_number, unify_minus
from maths.polynomial import ParseError, Polynomial, Product, as_product, read, read_terms
from maths.printing import written

from ._board import MAX_LABEL, MINUS, Refused, _short, check_label, front_end, stylesheet
from ._protocol import Guarded, action

MAX_QUESTIONS = 40
MAX_PROMPT = 200
MAX_ATTEMPT = 60  # the front end's input holds no more; an answer must fit it too
MAX_TITLE = 80
MAX_CHECKS = 20  # checks of one question from one page: plenty for a pupil, too few for a script to search
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SNAPSHOT_VERSION = 1

RIGHT = "\u2713 Right"
NOT_YET = "Not yet \u2014 try again"
_EMPTY = "Type an answer, then press Check."
_NOT_A_NUMBER = "Not yet \u2014 write a number, in digits."
_OVER_ZERO = "Not yet \u2014 a fraction cannot have 0 on the bottom."
_UNCOLLECTED = "Not yet \u2014 collect the like terms."
_NOT_A_PRODUCT = "Not yet \u2014 write it as a product, with brackets."
_NOT_FULLY = "Not yet \u2014 is there a factor still to take out?"


# --- reading an answer -----------------------------------------------------------------------


def _letters(text: str) -> set[str]:
    return {c for c in text.lower() if c.isalpha()}


def _read_expression(text: str, letter: str) -> tuple[Polynomial, int] | None:
    """An expression in one letter, written as terms without brackets, as (its value, how many terms are written)."""
    try:
        terms = read_terms(text, letter)
    except ParseError:
        return None
    value = sum((Polynomial.monomial(c, power, letter) for c, power in terms), Polynomial((), letter))
    return value, len(terms)


def _read_product(text: str, letter: str) -> Product | None:
    """A product written with brackets, like "2(x + 3)" or "(x + 2)(x + 3)"."""
    try:
        return as_product(read(text, letter), letter)
    except ParseError:
        return None


def _fully_factorised(product: Product) -> bool:
    # A −1 left inside a bracket, −2(−x − 3), is still accepted here; the pupil-answer reader refuses it.
    return product.first_factor_left() in (None, "minus")


def _as_text(text: str) -> str:
    """Text compared without case or spaces, with every kind of minus the same."""
    return re.sub(r"\s+", "", unify_minus(text)).casefold()


class _Answer:
    """One question's answer and how to judge an attempt at it. Never synced to the browser."""

    def __init__(self, answer: int | Fraction | float | str) -> None:
        self.number: Fraction | None = None
        self.expression: tuple[Polynomial, int] | None = None
        self.product: Product | None = None
        self.letter = "x"
        if not isinstance(answer, str):
            self.number = exact(answer)
            self.written = written(answer)
            return
        self.written = answer.strip()
        self.text = _as_text(answer)
        try:
            self.number = read_number(answer)
        except OverZero:
            raise ValueError("has 0 on the bottom of a fraction") from None
        except NotANumber:
            pass
        letters = _letters(answer)
        if self.number is not None:
            self.written = unify_minus(self.written).replace("-", MINUS)
        elif len(letters) == 1 and "(" in answer:
            # A factorised answer, such as "2(x + 3)" or "(x + 2)(x + 3)": the attempt must be a product too.
            self.letter = letters.pop()
            self.product = _read_product(answer, self.letter)
            if self.product is None:
                raise ValueError("has brackets but is not a product of expressions in one letter")
            self.written = unify_minus(self.written).replace("-", MINUS)
        elif len(letters) == 1 and (self.written in ("x", "X") or len(self.written) > 1):
            # An expression in one letter, such as "5x" or "3a + 6"; a lone letter other than x ("b") is text.
            self.letter = letters.pop()
            self.expression = _read_expression(answer, self.letter)
            if self.expression is not None:
                self.written = str(self.expression[0])

    def judge(self, attempt: str) -> tuple[bool, str]:
        """(right?, what to say) for a non-empty attempt."""
        if self.number is not None:
            try:
                value = read_number(attempt)
            except OverZero:
                return False, _OVER_ZERO
            except NotANumber:
                return False, _NOT_A_NUMBER
            return (True, RIGHT) if value == self.number else (False, NOT_YET)
        if self.product is not None:
            product = _read_product(attempt, self.letter)
            if product is None:
                return False, _NOT_A_PRODUCT
            if product.expand() != self.product.expand():
                return False, NOT_YET
            if _fully_factorised(self.product) and not _fully_factorised(product):
                return False, _NOT_FULLY
            return True, RIGHT
        if self.expression is not None:
            read = _read_expression(attempt, self.letter)
            if read is None:  # no example here: an example could be the answer
                return False, f"Not yet \u2014 write it with {self.letter}, numbers, + and \u2212."
            if read[0] != self.expression[0]:
                return False, NOT_YET
            if read[1] > self.expression[1]:
                return False, _UNCOLLECTED
            return True, RIGHT
        return (True, RIGHT) if _as_text(attempt) == self.text else (False, NOT_YET)


# --- checking what authors give --------------------------------------------------------------


def _one_line(value: Any, what: str, most: int) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be text (a str), not {type(value).__name__}.")
    if not value.strip():
        raise ValueError(f"{what} is empty.")
    if len(value) > most:
        raise ValueError(f"{what} is {len(value)} characters long; at most {most} fit.")
    if _CONTROL.search(value):
        raise ValueError(f"{what} must be one line of text, with no line breaks or tabs.")
    return value


def _items(items: Any) -> tuple[list[str], list[_Answer]]:
    if isinstance(items, (str, bytes, dict)) or not isinstance(items, (list, tuple)):
        raise TypeError(
            "Questions takes a list of (prompt, answer) pairs, such as [('3 + (\u22122)', 1)]; "
            f"got {type(items).__name__}."
        )
    if not 1 <= len(items) <= MAX_QUESTIONS:
        raise ValueError(f"Questions takes 1 to {MAX_QUESTIONS} questions; got {len(items)}.")
    prompts, answers = [], []
    for n, item in enumerate(items, 1):
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise TypeError(f"Question {n} must be a pair (prompt, answer); got {_short(item)}.")
        prompt, answer = item
        prompts.append(_one_line(prompt, f"The prompt of question {n}", MAX_PROMPT).strip())
        what = f"The answer to question {n}"
        if isinstance(answer, bool) or not isinstance(answer, (int, Fraction, float, str)):
            raise TypeError(f"{what} must be an int, a Fraction, a float or a str; got {type(answer).__name__}.")
        if isinstance(answer, float) and not math.isfinite(answer):
            raise ValueError(f"{what} must be a finite number; got {answer}.")
        if isinstance(answer, str):
            _one_line(answer, what, MAX_ATTEMPT)
        try:
            answers.append(_Answer(answer))
        except ValueError as why:
            raise ValueError(f"{what} {why}.") from None
        if len(answers[-1].written) > MAX_ATTEMPT:
            raise ValueError(f"{what} is too long to type in the answer box (at most {MAX_ATTEMPT} characters).")
    return prompts, answers


# --- the widget ------------------------------------------------------------------------------


class Questions(Guarded):
    """Questions with an answer box each, checked in Python; the answers stay here until reveal()."""

    _esm = front_end("questions.js")
    # The board palette (drawing.css), given to this widget's root, then its own layout.
    _css = stylesheet("drawing.css", "questions.css")  # the palette, then the questions' own look

    title = t.Unicode("").tag(sync=True)
    name = t.Unicode("").tag(sync=True)  # a stable key within a lesson, for autosave and capture
    prompts = t.List(t.Unicode()).tag(sync=True)
    attempts = t.List(t.Unicode()).tag(sync=True)  # the last attempt checked, per question ("" for none)
    results = t.List().tag(sync=True)  # per question: None (not tried), True, False
    feedback = t.List(t.Unicode()).tag(sync=True)  # what Python says about each last attempt
    answers = t.List(t.Unicode()).tag(sync=True)  # empty until reveal(); then each answer, written
    summary = t.Unicode("").tag(sync=True)  # the score line, such as "3 of 5 right"

    _state_traits: ClassVar[list[str]] = [
        "title",
        "name",
        "prompts",
        "attempts",
        "results",
        "feedback",
        "answers",
        "summary",
        "message",
    ]
    _refusal = "The questions take answers only through their Check buttons."

    def __init__(
        self, items: list[tuple[str, int | Fraction | float | str]], *, title: str = "", name: str = ""
    ) -> None:
        prompts, answers = _items(items)
        self._setup(prompts, answers, title, name, [""] * len(prompts), [None] * len(prompts))

    def _setup(
        self,
        prompts: list[str],
        answers: list[_Answer] | None,
        title: str,
        name: str,
        attempts: list[str],
        results: list[bool | None],
    ) -> None:
        self._answers = answers  # private: never a trait, never in get_state()
        super().__init__(
            title=title,
            name=name,
            prompts=prompts,
            attempts=attempts,
            results=results,
            feedback=[{True: RIGHT, False: NOT_YET, None: ""}[r] for r in results],
        )
        self.summary = self._summary()

    @t.validate("title")
    def _check_title(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value == "":
            return value
        try:
            return _one_line(value, "The title", MAX_TITLE)
        except (TypeError, ValueError) as why:
            raise Refused(str(why)) from None

    @t.validate("name")
    def _check_name(self, proposal: dict[str, Any]) -> str:
        try:
            return check_label(proposal["value"])
        except Refused:
            raise Refused(f"A name must be text of at most {MAX_LABEL} characters on one line.") from None

    # --- what authors and teachers call ----------------------------------------------------

    @property
    def score(self) -> tuple[int, int]:
        """(right, tried): how many questions were answered right, of those tried."""
        return sum(r is True for r in self.results), sum(r is not None for r in self.results)

    def check(self, index: int, attempt: str) -> bool:
        """Check an attempt at question `index` (from 0), as the browser's Check button does.

        Updates results, feedback and the score. An empty attempt is not a try: it changes no result.
        """
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"A question's index is a whole number from 0; got {_short(index)}.")
        if not 0 <= index < len(self.prompts):
            raise Refused(f"There is no question {_short(index)}: these are questions 0 to {len(self.prompts) - 1}.")
        if not isinstance(attempt, str):
            raise TypeError(f"An attempt is text, as a pupil types it; got {type(attempt).__name__}.")
        if len(attempt) > MAX_ATTEMPT or _CONTROL.search(attempt):
            raise Refused(f"An answer is one line of at most {MAX_ATTEMPT} characters.")
        if self._answers is None:
            raise Refused("These questions were restored without their answers, so they cannot be checked.")
        attempt = attempt.strip()
        if attempt:
            right, said = self._answers[index].judge(attempt)
            result: bool | None = right
        else:
            right, said, result = False, _EMPTY, self.results[index]
        if attempt:
            self.attempts = _replace(self.attempts, index, attempt)
        self.results = _replace(self.results, index, result)
        self.feedback = _replace(self.feedback, index, said)
        self.summary = self._summary()
        return right

    def reveal(self) -> None:
        """Show every answer, beside each question (the teacher's Reveal answers button)."""
        if self._answers is None:
            raise Refused("These questions were restored without their answers, so there is nothing to reveal.")
        self.answers = [a.written for a in self._answers]

    def snapshot(self) -> dict[str, Any]:
        """Prompts, attempts and results as plain JSON (never the answers)."""
        return {
            "widget": type(self).__name__,
            "version": _SNAPSHOT_VERSION,
            "title": self.title,
            "name": self.name,
            "prompts": list(self.prompts),
            "attempts": list(self.attempts),
            "results": list(self.results),
        }

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any], answers: list[Any] | None = None) -> Questions:
        """Questions restored from `snapshot()`. Without `answers` they show, but cannot check or reveal."""
        if not isinstance(snap, dict) or snap.get("widget") != cls.__name__:
            raise ValueError(f"This is not a snapshot of {cls.__name__}.")
        if snap.get("version") != _SNAPSHOT_VERSION:
            raise ValueError(f"Snapshot version {_short(snap.get('version'))} is not one this kit reads (it reads 1).")
        unknown = snap.keys() - {"widget", "version", "title", "name", "prompts", "attempts", "results"}
        if unknown:
            raise ValueError(f"A {cls.__name__} snapshot has no field {', '.join(sorted(map(_short, unknown)))}.")
        prompts = snap.get("prompts")
        if not isinstance(prompts, list):
            raise ValueError("A Questions snapshot needs its prompts, as a list of text.")
        if answers is None:
            prompts, checked = _items([(p, 0) for p in prompts])[0], None
        else:
            if not isinstance(answers, list) or len(answers) != len(prompts):
                raise ValueError(f"Give one answer for each of the {len(prompts)} prompts.")
            prompts, checked = _items(list(zip(prompts, answers, strict=True)))
        n = len(prompts)
        attempts, results = snap.get("attempts", [""] * n), snap.get("results", [None] * n)
        if not (isinstance(attempts, list) and len(attempts) == n and all(isinstance(a, str) for a in attempts)):
            raise ValueError(f"A Questions snapshot's attempts must be {n} pieces of text, one per prompt.")
        if any(len(a) > MAX_ATTEMPT or _CONTROL.search(a) for a in attempts):
            raise ValueError(f"Each attempt in a snapshot is one line of at most {MAX_ATTEMPT} characters.")
        if not (isinstance(results, list) and len(results) == n and all(r in (None, True, False) for r in results)):
            raise ValueError(f"A Questions snapshot's results must be {n} of null, true or false, one per prompt.")
        results = [None if r is None else bool(r) for r in results]
        questions = cls.__new__(cls)
        questions._setup(prompts, checked, snap.get("title", ""), snap.get("name", ""), attempts, results)
        return questions

    def to_text(self) -> str:
        """The questions as plain text, for places where widgets do not run."""
        lines = [self.title] if self.title else []
        for n, prompt in enumerate(self.prompts):
            line = f"{n + 1}. {prompt}"
            if self.answers:
                line += f"    answer: {self.answers[n]}"
            lines.append(line)
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle[0]["text/plain"] = self.to_text()
        return bundle

    def _summary(self) -> str:
        right, tried = self.score
        return f"{right} of {tried} right" if tried else "No answers checked yet"

    # --- the browser: it writes no trait, and may ask for two actions --------------------------

    @action(name="check")
    def _check_action(self, index: int, attempt: str) -> None:
        self._count_check(index, attempt)  # from a page, Check is no oracle for a script
        self.check(index, attempt)

    @action(name="reveal")
    def _reveal_action(self) -> None:
        self.reveal()

    def _kept(self) -> tuple[str, ...]:
        return tuple(self._state_traits)

    def _resent(self) -> set[str]:
        return set(self._state_traits)  # put every view back to the state Python kept

    def _count_check(self, index: int, attempt: str) -> None:
        """One more check of a question from the browser; refused past MAX_CHECKS, so Check is no oracle."""
        if not attempt.strip() or not 0 <= index < len(self.prompts):
            return  # not a try (check() says so, or refuses it)
        checks = self.__dict__.setdefault("_checks", [0] * len(self.prompts))
        if checks[index] >= MAX_CHECKS:
            raise Refused(f"This question has been checked {MAX_CHECKS} times on this page: ask your teacher.")
        checks[index] += 1


def _replace(values: list[Any], index: int, value: Any) -> list[Any]:
    """A new list (so the change syncs) with one value replaced."""
    return [value if n == index else old for n, old in enumerate(values)]
