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

import anywidget
import traitlets as t

from ._board import MAX_LABEL, MINUS, Refused, _short, check_label, front_end, signed
from .algebra_tiles import _normalise, parse, write

MAX_QUESTIONS = 40
MAX_PROMPT = 200
MAX_ATTEMPT = 60  # the front end's input holds no more; an answer must fit it too
MAX_TITLE = 80
MAX_CHECKS = 20  # checks of one question from one page: plenty for a pupil, too few for a script to search
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-", "\ufe63": "-", "\uff0d": "-"})
# A number as pupils write it: 2, -2, +2, 0.75, .5, 3/4, -3/4, 1.5/2. No exponents: "1e999999" is not a pupil's answer.
_DECIMAL = r"(?:\d{1,30}(?:\.\d{1,30})?|\.\d{1,30})"
_NUMBER = re.compile(rf"([+-]?)\s*({_DECIMAL})(?:\s*/\s*({_DECIMAL}))?")
_SNAPSHOT_VERSION = 1

RIGHT = "\u2713 Right"
NOT_YET = "Not yet \u2014 try again"
_EMPTY = "Type an answer, then press Check."
_NOT_A_NUMBER = "Not yet \u2014 write a number, in digits."
_OVER_ZERO = "Not yet \u2014 a fraction cannot have 0 on the bottom."
_UNCOLLECTED = "Not yet \u2014 collect the like terms."
_NOT_A_PRODUCT = "Not yet \u2014 write it as a product, with brackets."
_NOT_FULLY = "Not yet \u2014 is there a factor still to take out?"
_BRACKET = re.compile(r"\(([^()]*)\)(\^2)?")


# --- reading an answer -----------------------------------------------------------------------


def _read_number(text: str) -> Fraction | None:
    """The exact value of a number as a pupil types it, or None when it is not one.

    Raises ZeroDivisionError for a fraction over 0, so the pupil can be told why.
    """
    match = _NUMBER.fullmatch(text.translate(_MINUSES).strip())
    if match is None:
        return None
    sign, top, bottom = match.groups()
    value = Fraction(top) / Fraction(bottom) if bottom is not None else Fraction(top)
    return -value if sign == "-" else value


def _letters(text: str) -> set[str]:
    return {c for c in text.lower() if c.isalpha()}


def _read_expression(text: str, letter: str) -> tuple[dict[str, int], int] | None:
    """An expression in one letter as (coefficients, how many terms are written), or None.

    The reading is algebra_tiles.parse, which knows x; another letter is read as x.
    """
    text = text.lower()
    if not _letters(text) <= {letter}:
        return None
    if letter != "x":
        text = text.replace(letter, "x")
    try:
        coefficients = parse(text)
    except ValueError:
        return None
    source = _normalise(text)
    return coefficients, 1 + sum(source[1:].count(sign) for sign in "+-")  # every sign after the first starts a term


Polynomial = tuple[int, ...]  # coefficients from the constant up: 2x + 6 is (6, 2)


def _polynomial(coefficients: dict[str, int]) -> Polynomial:
    terms = [coefficients.get("1", 0), coefficients.get("x", 0), coefficients.get("x^2", 0)]
    while len(terms) > 1 and terms[-1] == 0:
        terms.pop()
    return tuple(terms)


def _times(first: Polynomial, second: Polynomial) -> Polynomial:
    product = [0] * (len(first) + len(second) - 1)
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            product[i + j] += a * b
    while len(product) > 1 and product[-1] == 0:
        product.pop()
    return tuple(product)


def _read_product(text: str, letter: str) -> tuple[Polynomial, list[Polynomial]] | None:
    """A product written with brackets, like "2(x + 3)" or "(x + 2)(x + 3)", as (what is outside, the brackets)."""
    text = text.lower()
    if not _letters(text) <= {letter} or "(" not in text:
        return None
    source = _normalise(text.replace(letter, "x") if letter != "x" else text).replace(")*(", ")(")
    first = source.find("(")
    outside, brackets = source[:first].rstrip("*"), list(_BRACKET.finditer(source, first))
    if "".join(found.group(0) for found in brackets) != source[first:]:
        return None
    try:
        factor = (-1,) if outside == "-" else (1,) if outside in ("", "+") else _polynomial(parse(outside))
        factors = []
        for found in brackets:
            factors += [_polynomial(parse(found.group(1)))] * (2 if found.group(2) else 1)
    except ValueError:
        return None
    return factor, factors


def _expanded(product: tuple[Polynomial, list[Polynomial]]) -> Polynomial:
    total = product[0]
    for factor in product[1]:
        total = _times(total, factor)
    return total


def _fully_factorised(product: tuple[Polynomial, list[Polynomial]]) -> bool:
    """No bracket holds a common factor, and none is a number alone."""
    return all(len(factor) > 1 and math.gcd(*factor) == 1 for factor in product[1])


def _as_text(text: str) -> str:
    """Text compared without case or spaces, with every kind of minus the same."""
    return re.sub(r"\s+", "", text.translate(_MINUSES)).casefold()


class _Answer:
    """One question's answer and how to judge an attempt at it. Never synced to the browser."""

    def __init__(self, answer: int | Fraction | float | str) -> None:
        self.number: Fraction | None = None
        self.expression: tuple[dict[str, int], int] | None = None
        self.product: tuple[Polynomial, list[Polynomial]] | None = None
        self.letter = "x"
        if not isinstance(answer, str):
            self.number = Fraction(str(answer)) if isinstance(answer, float) else Fraction(answer)
            self.written = _written_number(answer)
            return
        self.written = answer.strip()
        self.text = _as_text(answer)
        try:
            self.number = _read_number(answer)
        except ZeroDivisionError:
            raise ValueError("has 0 on the bottom of a fraction") from None
        letters = _letters(answer)
        if self.number is not None:
            self.written = self.written.translate(_MINUSES).replace("-", MINUS)
        elif len(letters) == 1 and "(" in answer:
            # A factorised answer, such as "2(x + 3)" or "(x + 2)(x + 3)": the attempt must be a product too.
            self.letter = letters.pop()
            self.product = _read_product(answer, self.letter)
            if self.product is None:
                raise ValueError("has brackets but is not a product of expressions in one letter")
            self.written = self.written.translate(_MINUSES).replace("-", MINUS)
        elif len(letters) == 1 and (self.written in ("x", "X") or len(self.written) > 1):
            # An expression in one letter, such as "5x" or "3a + 6"; a lone letter other than x ("b") is text.
            self.letter = letters.pop()
            self.expression = _read_expression(answer, self.letter)
            if self.expression is not None:
                self.written = write(self.expression[0]).replace("x", self.letter)

    def judge(self, attempt: str) -> tuple[bool, str]:
        """(right?, what to say) for a non-empty attempt."""
        if self.number is not None:
            try:
                value = _read_number(attempt)
            except ZeroDivisionError:
                return False, _OVER_ZERO
            if value is None:
                return False, _NOT_A_NUMBER
            return (True, RIGHT) if value == self.number else (False, NOT_YET)
        if self.product is not None:
            product = _read_product(attempt, self.letter)
            if product is None:
                return False, _NOT_A_PRODUCT
            if _expanded(product) != _expanded(self.product):
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


def _written_number(n: int | Fraction | float) -> str:
    """A number as a textbook prints it, with a true minus sign: −2, −3/4, 0.75."""
    if isinstance(n, float):
        return signed(int(n)) if n.is_integer() else signed(n)
    n = Fraction(n)
    if n.denominator == 1:
        return signed(n.numerator)
    return f"{MINUS if n < 0 else ''}{abs(n.numerator)}/{n.denominator}"


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


class Questions(anywidget.AnyWidget):
    """Questions with an answer box each, checked in Python; the answers stay here until reveal()."""

    _esm = front_end("questions.js")
    # The board palette (drawing.css), given to this widget's root, then its own layout.
    _css = front_end("drawing.css", "questions.css")  # the palette, then the questions' own look

    title = t.Unicode("").tag(sync=True)
    name = t.Unicode("").tag(sync=True)  # a stable key within a lesson, for autosave and capture
    prompts = t.List(t.Unicode()).tag(sync=True)
    attempts = t.List(t.Unicode()).tag(sync=True)  # the last attempt checked, per question ("" for none)
    results = t.List().tag(sync=True)  # per question: None (not tried), True, False
    feedback = t.List(t.Unicode()).tag(sync=True)  # what Python says about each last attempt
    answers = t.List(t.Unicode()).tag(sync=True)  # empty until reveal(); then each answer, written
    summary = t.Unicode("").tag(sync=True)  # the score line, such as "3 of 5 right"
    message = t.Unicode("").tag(sync=True)  # why the last message from the browser was refused

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

    # --- the browser: it writes no trait, and may send two actions --------------------------

    def set_state(self, sync_data: Any) -> None:
        """The browser may not write any trait: answers come only through Check."""
        self._refuse("The questions take answers only through their Check buttons.")

    def _refuse(self, why: str) -> None:
        self.message = why
        self.send_state(self._state_traits)  # put every view back to the state Python kept

    def _handle_msg(self, msg: dict[str, Any]) -> None:
        # A malformed message from the browser is refused, never raised into the kernel's log.
        content = msg.get("content") if isinstance(msg, dict) else None
        data = content.get("data") if isinstance(content, dict) else None
        method = data.get("method") if isinstance(data, dict) else None
        if method == "custom":
            self._handle_custom_msg(data.get("content"), msg.get("buffers"))
        elif method == "request_state":
            super()._handle_msg(msg)
        else:
            self._refuse("The questions ignored a message they could not read.")

    def _handle_custom_msg(self, content: Any, buffers: Any) -> None:
        """{"action": "check", "index": i, "attempt": "..."} or {"action": "reveal"}; nothing else."""
        try:
            action = content.get("action") if isinstance(content, dict) else None
            if action == "check" and content.keys() == {"action", "index", "attempt"}:
                index, attempt = content["index"], content["attempt"]
                if isinstance(index, bool) or not isinstance(index, int) or not isinstance(attempt, str):
                    raise Refused("That check did not name a question and an answer.")
                self._count_check(index, attempt)
                self.check(index, attempt)
            elif action == "reveal" and content.keys() == {"action"}:
                self.reveal()
            else:
                raise Refused("The questions did not understand that message.")
        except (TypeError, ValueError) as why:  # Refused is a ValueError
            self._refuse(str(why))
        else:
            self.message = ""

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
