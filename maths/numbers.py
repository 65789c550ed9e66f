"""Numbers as pupils and authors write them, read exactly.

One reader for the whole kit, so a pupil's "−3", "-3", ".5" and "3/4" mean the same in every
widget:

- `read_number(text)`: a number as a pupil types it (every kind of minus, "+3", ".5", "5.",
  "3/4", "−1.5/2", spaces around), as an exact `Fraction`; anything else is refused with a
  `NotANumber` whose message a pupil can read ("write a number, in digits").
- `exact(value)`: an author's value (int, float, Fraction, Decimal) as the exact Fraction it is
  written as: the float 0.1 is 1/10, not the binary number nearest to it.
- `plain(q)`: a Fraction as an int when it is whole, so results compare and print simply.
- `unify_minus(text)`: text with every kind of minus (and dash a pupil's keyboard makes) as "-".
- `looks_numeric(text)`: whether text is a number in any spelling, even one the reader refuses
  (1e3, inf, nan): for telling an author "that is a number written as text".

Limits: a number has at most `MAX_DIGITS` digits on each side of its point and on each side of its
fraction bar, and no exponent, so hostile text such as 10**4000 written out or "1e999999" costs nothing.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "MAX_DIGITS",
    "MINUSES",
    "NotANumber",
    "OverZero",
    "exact",
    "looks_numeric",
    "plain",
    "read_number",
    "unify_minus",
]

MAX_DIGITS = 30  # more than any lesson needs; a pupil's answer box holds 60 characters
_MOST_TEXT = 200  # longer text is not read at all

# Every character a pupil's keyboard, phone or word processor makes for "minus": the true minus,
# the hyphen-minus, the en dash (autocorrect), the hyphen and the non-breaking hyphen, the small and
# the fullwidth hyphen-minus, and the figure dash. The em dash is punctuation, not a minus.
MINUSES = "-\u2212\u2013\u2010\u2011\ufe63\uff0d\u2012"
_TO_HYPHEN = str.maketrans(dict.fromkeys(MINUSES[1:], "-"))
_FULLWIDTH_PLUS = str.maketrans({"\uff0b": "+", "\ufe62": "+"})

_DECIMAL = rf"(?:\d{{1,{MAX_DIGITS}}}(?:\.\d{{0,{MAX_DIGITS}}})?|\.\d{{1,{MAX_DIGITS}}})"
_NUMBER = re.compile(rf"([+-]?)\s*({_DECIMAL})(?:\s*/\s*({_DECIMAL}))?")
_LONG_DIGITS = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


class NotANumber(ValueError):
    """Text that is not a number as pupils write them. Its message is for the pupil: no parser's words."""


class OverZero(NotANumber):
    """A fraction with 0 on the bottom: a number in form, but none in value."""


def unify_minus(text: str) -> str:
    """`text` with every kind of minus written "-" (and a fullwidth plus written "+")."""
    return text.translate(_TO_HYPHEN).translate(_FULLWIDTH_PLUS)


def read_number(text: str) -> Fraction:
    """The exact value of a number as a pupil types it.

    >>> read_number("−3/4"), read_number(" .5 "), read_number("+2")
    (Fraction(-3, 4), Fraction(1, 2), Fraction(2, 1))

    Raises NotANumber with a message for the pupil: "write a number, in digits", "a fraction
    cannot have 0 on the bottom", "that number has too many digits".
    """
    if not isinstance(text, str):
        raise NotANumber("write a number, in digits")
    if len(text) > _MOST_TEXT or _LONG_DIGITS.search(text):
        raise NotANumber(f"that number has too many digits (at most {MAX_DIGITS})")
    source = unify_minus(text).strip()
    if not source:
        raise NotANumber("write a number, in digits")
    match = _NUMBER.fullmatch(source)
    if match is None:
        raise NotANumber("write a number, in digits")
    sign, top, bottom = match.groups()
    value = Fraction(top.rstrip(".") or "0")
    if bottom is not None:
        below = Fraction(bottom.rstrip(".") or "0")
        if not below:
            raise OverZero("a fraction cannot have 0 on the bottom")
        value /= below
    return -value if sign == "-" else value


def exact(value: int | float | Fraction | Decimal) -> Fraction:
    """An author's number as the exact Fraction it is written as: exact(0.1) == Fraction(1, 10).

    A float is read from its shortest decimal text (its repr), which is what the author typed.
    Raises TypeError for a bool or a non-number, ValueError for NaN or an infinity.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        raise TypeError(f"a number must be an int, a float, a Fraction or a Decimal, not {type(value).__name__}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a number must be finite, not {value}")
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"a number must be finite, not {value}")
        return Fraction(value)
    return Fraction(value)


def plain(q: Fraction | int) -> int | Fraction:
    """`q` as an int when it is whole, else as the Fraction it is."""
    q = Fraction(q)
    return q.numerator if q.denominator == 1 else q


def looks_numeric(text: str) -> bool:
    """Whether `text` is a number in any spelling: one `read_number` reads, or a float's (1e3, inf, nan)."""
    if not isinstance(text, str) or len(text) > _MOST_TEXT:
        return False
    try:
        read_number(text)
    except NotANumber:
        pass
    else:
        return True
    try:
        float(unify_minus(text).replace("_", "x"))  # "1_000" is a name's spelling, not a number's
    except ValueError:
        return False
    return True
