"""Pupils' answers, read and judged as a mathematics teacher would.

One reader of answers for the whole kit. The author says what the answer is and the form the question
asks for; a pupil's attempt is read the many ways pupils write it, and judged right or wrong with
advice that names what to change, never a parser's words.

- `Answer(expected, form, *, letter=None, units=(), options=(), powers=None)`: one question's answer.
  `form` is one of `FORMS`:

  - "value": expected a number (8, −5, Fraction(3, 4), 0.75, "3/4"). Right: the same number in any
    form: 8, x = 8, −5 = x, £12.00, 12 pounds, −2°C, (−2), 1,200. Money signs and units (£, p, °C, cm, ...)
    are set aside; when the question names its units (`units=["pupils"]`), only those are.
  - "expression": expected an expression ("4d"). Right: the same expression, written any way: d + 3d.
  - "simplified": expected an expression ("4x"). Right: the same, collected, in simplest form: 4x;
    not x + x + x + x, not 4 × x.
  - "factorised": expected a product ("2(x + 3)"). Right: the same product, fully factorised: 2(3 + x),
    (x + 3)2; not 2(x + 1 + 2), not −2(−x − 3), not 2x + 6.
  - "fraction": expected a fraction (Fraction(1, 4), "1/4"). Right: it, in simplest form: 1/4; not 2/8
    nor 0.25.
  - "mixed number": expected a fraction (Fraction(7, 4), "1 3/4"). Right: it as a mixed number in simplest
    form: 1 3/4; not 7/4, 1 6/8 nor 13/4 (a proper fraction or a whole number is right as itself).
  - "ratio": expected a ratio ("8:12", (8, 12)). Right: those parts in that order: 8:12, 8 to 12.
  - "simplest ratio": expected a ratio ("2:3"). Right: it in simplest form: 2:3, 2 to 3; not 4:6.
  - "choice": expected an option (its letter, its index from 0, or its text), with `options`. Right:
    that option, by letter (b, B, (b)) or by its text.
  - "true/false": expected True or False. Right: true, T, false, F (any case).
  - "text": expected words or a code ("Cold", "(−2, 3)"). Right: the same, in any case, with any
    spacing and any kind of minus sign.

- `Answer.written`: the answer as a textbook prints it, for revealing: "2(x + 3)", "−5", "3/4", "2 : 3".
- `Answer.judge(attempt) -> Judgement`: `right`, and `advice` (what to change, "" when right);
  `Judgement.feedback` says it whole: "✓ Right" or "Not yet — collect the like terms."
- `FORMS`: the forms above.

An expression is in one letter: `letter`, or the one letter of the expected answer. `powers` says the
question is about powers of the letter, so "x2" is read as x² (by default: when the expected answer has
x² or a higher power); otherwise "x2" is answered with "type x² as x^2".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .numbers import NotANumber, OverZero, exact, read_number, unify_minus
from .polynomial import Bracket, Number, ParseError, Polynomial, Power, Sum, Times, as_product, monomial, read
from .printing import MINUS, written

__all__ = ["FORMS", "Answer", "Judgement"]

FORMS = (
    "value",
    "expression",
    "simplified",
    "factorised",
    "fraction",
    "mixed number",
    "ratio",
    "simplest ratio",
    "choice",
    "true/false",
    "text",
)
MAX_ATTEMPT = 200  # longer attempts are not read

RIGHT = "\u2713 Right"
TRY_AGAIN = "try again"
_NUMBER_ADVICE = "write a number, in digits"

# Units and money that a number may carry in any question: read as the number alone.
_UNITS = {
    "p", "pence", "pound", "pounds", "£", "$", "€", "dollars", "euros",
    "°", "°c", "° c", "degrees", "degree", "degrees c", "degrees celsius", "°f", "c",
    "mm", "cm", "m", "km", "metres", "meters", "metre", "cm²", "m²", "cm^2", "m^2", "cm³", "cm^3", "ml", "l",
    "litres", "g", "kg", "grams", "kilograms", "s", "seconds", "mins", "minutes", "hours", "h",
}  # fmt: skip
_CURRENCY = "£$€"
_TIMES = str.maketrans({"\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2219": "*", "\u00f7": "/"})
_OPTION = re.compile(r"\(?([a-zA-Z])[).]?")
_LETTERED = re.compile(r"\(?([a-z])[).:]+(.+)")  # read from text already without spaces or case
_TRUE, _FALSE = {"true", "t"}, {"false", "f"}


@dataclass(frozen=True)
class Judgement:
    """Right or not, and what to change ("" when right)."""

    right: bool
    advice: str = ""

    @property
    def feedback(self) -> str:
        """What the pupil reads: "✓ Right", or "Not yet — " and the advice."""
        if self.right:
            return RIGHT
        return f"Not yet \u2014 {self.advice or TRY_AGAIN}."


class Answer:
    """One question's answer and the form it asks for; `judge(attempt)` marks a pupil's attempt."""

    def __init__(
        self,
        expected: Any,
        form: str = "value",
        *,
        letter: str | None = None,
        units: Sequence[str] = (),
        options: Sequence[str] = (),
        powers: bool | None = None,
    ) -> None:
        if form not in FORMS:
            raise ValueError(f"form must be one of {', '.join(FORMS)}; got {form!r:.30}")
        if isinstance(units, str) or not all(isinstance(u, str) for u in units):
            raise TypeError('units must be a list of words, such as ["pupils"]')
        self.form = form
        self.units = {_singular(u.strip().lower()) for u in units if u.strip()}
        self.options = [str(o) for o in options]
        self.letter = letter.lower() if letter else None
        self.powers = powers
        self._read_expected(expected)
        self.written = self._written(expected)

    def _written(self, expected: Any) -> str:
        """The answer as a textbook prints it, for when answers are revealed: 2(x + 3), −5, 3/4, 2:3."""
        form = self.form
        if form == "value":
            if isinstance(expected, str):  # as the author typed it, with a true minus
                return " ".join(unify_minus(expected).split()).replace("-", MINUS)
            return written(expected)
        if form == "fraction":
            return written(self.value)
        if form == "mixed number":
            return written(self.value, mixed=True)
        if form in ("expression", "simplified"):
            return str(self.polynomial)
        if form == "factorised":
            return str(self.product)
        if form in ("ratio", "simplest ratio"):
            return " : ".join(written(p) for p in self.parts)
        if form == "choice":
            return f"{chr(ord('a') + self.choice)}) {self.options[self.choice]}"
        if form == "text":
            return " ".join(unify_minus(expected).split()).replace("-", MINUS)
        return "true" if self.truth else "false"

    # --- what the author gave --------------------------------------------------------------

    def _read_expected(self, expected: Any) -> None:
        form = self.form
        if form in ("value", "fraction", "mixed number"):
            self.value = _author_number(expected)
        elif form in ("expression", "simplified", "factorised"):
            if not isinstance(expected, str):
                raise TypeError(f"an expression answer is text, such as '2(x + 3)'; got {type(expected).__name__}")
            letters = {c for c in expected.lower() if c.isalpha()}
            if self.letter is None:
                if len(letters) != 1:
                    raise ValueError(f"{expected!r:.40} must be in one letter, or give letter=")
                self.letter = letters.pop()
            try:
                tree = read(expected, self.letter)
            except ParseError as why:
                raise ValueError(f"{expected!r:.40} is not an expression in {self.letter}: {why}") from None
            self.polynomial = tree.polynomial(self.letter)
            if self.powers is None:  # a question about x² (expanded or factorised) is about powers of x
                self.powers = self.polynomial.degree >= 2
            self.product = as_product(tree, self.letter)
            if form == "factorised" and self.product is None:
                raise ValueError(f"{expected!r:.40} is not a product with brackets, such as '2(x + 3)'")
        elif form in ("ratio", "simplest ratio"):
            parts = _author_ratio(expected)
            if form == "simplest ratio":
                parts = _simplest(parts)
            self.parts = parts
        elif form == "choice":
            if not self.options:
                raise ValueError("a choice question needs its options")
            self.choice = _author_choice(expected, self.options)
        elif form == "text":
            if not isinstance(expected, str) or not expected.strip():
                raise TypeError("a text answer is words, such as 'Cold'")
            self.text = _as_text(expected.translate(_TIMES))  # judged as attempts are read
        else:
            if not isinstance(expected, bool):
                raise TypeError("a true/false answer is True or False")
            self.truth = expected

    # --- judging -----------------------------------------------------------------------------

    def judge(self, attempt: str) -> Judgement:
        """Mark a pupil's attempt: right or not, and what to change."""
        if not isinstance(attempt, str) or not attempt.strip():
            return Judgement(False, "type an answer")
        if len(attempt) > MAX_ATTEMPT:
            return Judgement(False, "that answer is too long")
        text = " ".join(unify_minus(attempt).translate(_TIMES).split())
        judge = {
            "value": self._value,
            "expression": self._expression,
            "simplified": self._expression,
            "factorised": self._factorised,
            "fraction": self._fraction,
            "mixed number": self._mixed,
            "ratio": self._ratio,
            "simplest ratio": self._ratio,
            "choice": self._choice,
            "true/false": self._true_false,
            "text": self._text,
        }[self.form]
        return judge(text)

    def _value(self, text: str) -> Judgement:
        value, advice = _read_value(_without_letter(text, self.letter), self.units)
        if value is None:
            return Judgement(False, advice)
        return Judgement(value == self.value)

    def _fraction(self, text: str) -> Judgement:
        text = _unwrapped(_without_letter(text, self.letter))
        match = re.fullmatch(r"([+-]?)\s*(\d{1,30})\s*/\s*(\d{1,30})", text)
        mixed = re.fullmatch(r"([+-]?)\s*(\d{1,30})\s+(\d{1,30})\s*/\s*(\d{1,30})", text)
        if match is None and mixed is None:
            value, advice = _read_value(text, self.units)
            if value is None:
                return Judgement(False, "write it as a fraction: the top number, /, the bottom number")
            if value != self.value:
                return Judgement(False)
            if self.value.denominator == 1 and re.fullmatch(r"[+-]?\d+", text):
                return Judgement(True)  # a whole number is its own simplest form
            return Judgement(False, "write it as a fraction")
        if mixed:
            sign, whole, top, bottom = mixed.groups()
            whole, top, bottom = int(whole), int(top), int(bottom)
            if not bottom:
                return Judgement(False, "a fraction cannot have 0 on the bottom")
            value = whole + Fraction(top, bottom)
        else:
            sign, top, bottom = match.groups()
            top, bottom = int(top), int(bottom)
            if not bottom:
                return Judgement(False, "a fraction cannot have 0 on the bottom")
            value = Fraction(top, bottom)
        if sign == "-":
            value = -value
        if value != self.value:
            return Judgement(False)
        if math.gcd(top, bottom) != 1 or (mixed and top >= bottom):
            return Judgement(False, "simplify the fraction")
        return Judgement(True)

    def _mixed(self, text: str) -> Judgement:
        judged = self._fraction(text)  # the same number, its fraction in lowest terms and less than 1
        beyond_one = abs(self.value) > 1 and self.value.denominator != 1
        if judged.right and beyond_one and not re.search(r"\d\s+\d", text):
            return Judgement(False, "write it as a mixed number: the whole number, a space, then the fraction")
        return judged

    def _ratio(self, text: str) -> Judgement:
        parts = _read_ratio(text)
        if parts is None:
            return Judgement(False, "write it as a ratio, with a colon (:) between the parts")
        if len(parts) != len(self.parts):
            return Judgement(False, f"the ratio has {len(self.parts)} parts")
        if parts == self.parts:
            return Judgement(True)
        if self.form == "simplest ratio" and _proportional(parts, self.parts):
            if any(p.denominator != 1 for p in parts):
                return Judgement(False, "write the ratio with whole numbers")
            return Judgement(False, "simplify the ratio")
        if _proportional(parts[::-1], self.parts) and parts != parts[::-1]:
            return Judgement(False, "check the order of the parts")
        return Judgement(False)

    def _choice(self, text: str) -> Judgement:
        chosen = _read_choice(text, self.options)
        if chosen is None:
            letters = [chr(ord("a") + i) for i in range(len(self.options))]
            return Judgement(False, f"choose one of {', '.join(letters[:-1])} or {letters[-1]}")
        return Judgement(chosen == self.choice)

    def _true_false(self, text: str) -> Judgement:
        word = text.strip(" .!").lower()
        if word not in _TRUE | _FALSE:
            return Judgement(False, "answer true or false")
        return Judgement((word in _TRUE) == self.truth)

    def _text(self, text: str) -> Judgement:
        return Judgement(_as_text(text) == self.text)

    # --- expressions -----------------------------------------------------------------------------

    def _tree(self, text: str) -> tuple[Sum | None, str]:
        letter = self.letter or "x"
        if self.powers:
            text = re.sub(rf"(?<=[{letter}{letter.upper()}])(\d)", r"^\1", text)  # x2 is x² here
        try:
            return read(text, letter), ""
        except ParseError:
            pass
        digit = re.search(rf"[{letter}{letter.upper()}](\d)", text)
        if digit:  # x² or 2x? say both ways
            return None, f"type {letter}² as {letter}^2, and {digit[1]} lots of {letter} as {digit[1]}{letter}"
        others = {c for c in text.lower() if c.isalpha()} - {letter}
        if len(others) == 1:
            return None, f"write it with {letter}, not {others.pop()}"
        return None, f"write it with {letter}, numbers, + and {MINUS}"

    def _expression(self, text: str) -> Judgement:
        tree, advice = self._tree(text)
        if tree is None:
            return Judgement(False, advice)
        if tree.polynomial(self.letter) != self.polynomial:
            return Judgement(False)
        if self.form == "simplified":
            untidy = _untidy(tree, self.letter)
            if untidy:
                return Judgement(False, untidy)
        return Judgement(True)

    def _factorised(self, text: str) -> Judgement:
        tree, advice = self._tree(text)
        if tree is None:
            return Judgement(False, advice)
        equal = tree.polynomial(self.letter) == self.polynomial
        product = as_product(tree, self.letter)
        if product is None:
            return Judgement(False, "write it as a product, with brackets" if equal else "")
        if not equal:
            return Judgement(False)
        if not self.product.fully_factorised():
            return Judgement(True)  # the question asks for a product, not for every factor
        for bracket in _brackets(tree):
            untidy = _untidy(bracket.inner, self.letter)
            if untidy and untidy != "multiply out the brackets":
                return Judgement(False, untidy + " inside the bracket")
        left = product.first_factor_left()
        if left in ("number", "letter"):
            return Judgement(False, "there is a common factor still inside the bracket")
        if left == "minus":
            return Judgement(False, "there is a minus sign in front and in the bracket: they cancel")
        if left == "factorises":
            return Judgement(False, "a bracket still factorises")
        return Judgement(True)


# --- reading numbers with what pupils write around them -------------------------------------------


def _author_number(value: Any) -> Fraction:
    if isinstance(value, str):
        try:
            return read_number(value)
        except NotANumber as why:
            raise ValueError(f"{value!r:.40} is not a number: {why}") from None
    if isinstance(value, (int, float, Fraction, Decimal)) and not isinstance(value, bool):
        return exact(value)
    raise TypeError(f"a number answer is an int, a Fraction, a float or text such as '3/4'; got {type(value).__name__}")


def _without_letter(text: str, letter: str | None) -> str:
    """ "x = 8" and "8 = x" as "8": the letter the question asks for, around a value."""
    letters = letter or "a-z"
    match = re.fullmatch(rf"\s*[{letters}]\s*=\s*(.+)", text, re.IGNORECASE) or re.fullmatch(
        rf"(.+?)\s*=\s*[{letters}]\s*", text, re.IGNORECASE
    )
    return match[1] if match else text


def _unwrapped(text: str) -> str:
    """A lone number in brackets, as directed numbers are written: "(−2)" is −2."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _read_value(text: str, named: set[str]) -> tuple[Fraction | None, str]:
    """The number in an answer, with money signs, units and words the question names around it set aside."""
    text = _unwrapped(text)
    sign = ""
    match = re.fullmatch(rf"([+-]?)\s*([{_CURRENCY}])\s*(.+)", text)
    if match:
        if named and match[2] not in named:  # the question names its units, and money is not one
            return None, f"write just the number, without {match[2]}"
        sign, text = match[1], match[3]
    match = re.fullmatch(r"(.*?[\d)])\s*([^\d\s()/.,+-][^\d]*)", text)
    if match:
        number, unit = match[1], match[2].strip().rstrip(".").lower()
        known = unit in named or _singular(unit) in named or (not named and unit in _UNITS)
        if not known:
            return None, f"write just the number, without \u201c{match[2].strip()}\u201d"
        text = number
    text = sign + _unwrapped(text)
    grouped = re.fullmatch(r"([+-]?)\s*(\d{1,3}(?:,\d{3})+)(\.\d+)?", text)  # 1,200 is a thousands comma
    if grouped:
        text = grouped[1] + grouped[2].replace(",", "") + (grouped[3] or "")
    mixed = re.fullmatch(r"([+-]?)\s*(\d{1,30})\s+(\d{1,30})\s*/\s*(\d{1,30})", text)
    if mixed and int(mixed[4]):
        value = int(mixed[2]) + Fraction(int(mixed[3]), int(mixed[4]))
        return (-value if mixed[1] == "-" else value), ""
    try:
        return read_number(text), ""
    except OverZero as why:
        return None, str(why)
    except NotANumber:
        return None, _NUMBER_ADVICE


# --- ratios and choices ------------------------------------------------------------------------------


def _read_ratio(text: str) -> list[Fraction] | None:
    pieces = re.split(r"\s*(?::|∶|\bto\b)\s*", text.strip(), flags=re.IGNORECASE)
    if len(pieces) < 2:
        return None
    try:
        return [read_number(p) for p in pieces]
    except NotANumber:
        return None


def _author_ratio(value: Any) -> list[Fraction]:
    if isinstance(value, str):
        parts = _read_ratio(unify_minus(value))
        if parts is None:
            raise ValueError(f"{value!r:.40} is not a ratio, such as '2:3'")
        return parts
    if isinstance(value, (list, tuple)) and len(value) >= 2:
        return [_author_number(v) for v in value]
    raise TypeError(f"a ratio answer is text such as '2:3', or a list of its parts; got {type(value).__name__}")


def _simplest(parts: list[Fraction]) -> list[Fraction]:
    scale = math.lcm(*(p.denominator for p in parts))
    whole = [int(p * scale) for p in parts]
    common = math.gcd(*whole) or 1
    return [Fraction(w // common) for w in whole]


def _proportional(parts: list[Fraction], other: list[Fraction]) -> bool:
    return all(a * other[0] == b * parts[0] for a, b in zip(parts, other, strict=True)) and any(parts)


def _author_choice(value: Any, options: list[str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(options):
        return value
    if isinstance(value, str):
        chosen = _read_choice(value, options)
        if chosen is not None:
            return chosen
    raise ValueError(f"the answer {value!r:.30} is not one of the options (give its letter, index or text)")


def _as_text(text: str) -> str:
    """Words compared without case or spaces, with every kind of minus (and of times) the same.

    A space between two digits stays (as one): 1 3/4 is a mixed number, and 13/4 is not it."""
    text = " ".join(unify_minus(text).translate(_TIMES).split())
    return re.sub(r"(?<!\d) | (?!\d)", "", text).casefold()


def _read_choice(text: str, options: list[str]) -> int | None:
    said = _as_text(text)
    for i, option in enumerate(options):
        if said == _as_text(option):
            return i
    match = _OPTION.fullmatch(said)
    if match and 0 <= ord(match[1]) - ord("a") < len(options):
        return ord(match[1]) - ord("a")
    match = _LETTERED.fullmatch(said)  # "b) 5", as the answer is revealed: the letter and its option agree
    if match and 0 <= ord(match[1]) - ord("a") < len(options):
        chosen = ord(match[1]) - ord("a")
        return chosen if match[2] == _as_text(options[chosen]) else None
    return None


# --- how an expression is written ------------------------------------------------------------------


def _untidy(tree: Sum, letter: str) -> str:
    """What stops an expression being in simplest form, said for a pupil; "" when it is."""
    powers: Counter[int] = Counter()
    for _, node in tree.terms:
        if isinstance(node, Bracket) and len(node.inner.terms) == 1 and isinstance(node.inner.terms[0][1], Number):
            powers[0] += 1  # 4x + (−8): a number in brackets, as directed numbers are written
            continue
        if _brackets(node):
            return "multiply out the brackets"
        term = monomial(node, letter)
        if term is None:
            return "multiply out the brackets"
        coefficient, power = term
        if coefficient == 0:
            return "leave out what adds 0"
        powers[power] += 1
        fix = _term_fix(node, coefficient, power, letter)
        if fix:
            return fix
    if any(n > 1 for n in powers.values()):
        return "collect the like terms"
    return ""


def _term_fix(node: Any, coefficient: Any, power: int, letter: str) -> str:
    """How to write one term as a textbook does: 4 × x as 4x, 1x as x, x^1 as x."""
    tidy = str(Polynomial.monomial(abs(coefficient), power, letter))
    if isinstance(node, Times):
        if any(j == "*" for j in node.joins):
            return f"write it without \u00d7, as {tidy}"
        numbers = [f for f in node.factors if isinstance(f, Number)]
        letters = [f for f in node.factors if not isinstance(f, Number)]
        if len(numbers) > 1 or len(letters) > 1:
            return f"write it as {tidy}"
        if numbers and numbers[0].value == 1 and power:
            return f"write 1{tidy} as {tidy}"
        if node.factors and not isinstance(node.factors[0], Number) and numbers and "/" not in node.joins:
            return f"write the number first, as {tidy}"
    if isinstance(node, Power):
        if isinstance(node.base, Number) or node.exponent in (0, 1):
            return f"write it as {tidy}"
    if isinstance(node, Times) and any(isinstance(f, Power) and f.exponent in (0, 1) for f in node.factors):
        return f"write it as {tidy}"
    return ""


def _brackets(node: Any) -> list[Bracket]:
    if isinstance(node, Bracket):
        return [node, *_brackets(node.inner)]
    if isinstance(node, Sum):
        return [b for _, n in node.terms for b in _brackets(n)]
    if isinstance(node, Times):
        return [b for f in node.factors for b in _brackets(f)]
    if isinstance(node, Power):
        return _brackets(node.base)
    return []
