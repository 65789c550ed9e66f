"""Numbers printed as a textbook prints them: one minus sign, one fraction style, for the whole kit.

The rule: **a value prints as it was written.**

- An int prints whole: 12, −3.
- A float or a Decimal is a decimal the author typed: it prints as that decimal, exactly and without
  float noise (0.1 + 0.2 is never 0.30000000000000004 here: 0.3 is 0.3) and without an exponent.
- A Fraction prints as a fraction in lowest terms, a/b (3/4, −3/4), or whole when it is whole (6/3 is 2).
- A value computed from decimals (a bar model whose lengths are 0.1 and 0.3) prints as a decimal
  when it is one with at most `MOST_PLACES` places (`written(q, decimal=True)`); otherwise, as the
  fraction it is (1/3 is never 0.333...).

Negative numbers take the true minus sign U+2212 (`MINUS`), never a hyphen: "−3", "−3/4".

- `signed(n)`: an int (or any number already in its final form) with a true minus sign.
- `written(value, decimal=False)`: any number by the rule above.
- `decimal_style(values)`: whether values an author gave are decimals, so results computed from them
  print as decimals too.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .numbers import exact

__all__ = ["MINUS", "MOST_PLACES", "decimal_style", "signed", "written"]

MINUS = "\u2212"  # the true minus sign, as a textbook prints it
MOST_PLACES = 6  # a computed decimal longer than this prints as its fraction


def signed(n: Any) -> str:
    """A number as a textbook prints it, with a true minus sign: −2, not -2."""
    return f"{MINUS}{-n}" if n < 0 else str(n)


def written(value: int | float | Fraction | Decimal, *, decimal: bool = False, mixed: bool = False) -> str:
    """`value` as a textbook prints it, by the rule in this module's docstring; `mixed`: a fraction beyond
    1 as a whole number and a proper fraction, as pupils write it once they add mixed numbers.

    >>> written(Fraction(3, 4)), written(0.75), written(-2), written(Fraction(3, 4), decimal=True)
    ('3/4', '0.75', '−2', '0.75')
    >>> written(Fraction(5, 2), mixed=True), written(Fraction(-7, 4), mixed=True), written(3, mixed=True)
    ('2 1/2', '−1 3/4', '3')
    """
    if isinstance(value, (float, Decimal)):
        return _decimal(exact(value)) or _fraction(exact(value))  # every float is a terminating decimal
    q = exact(value)
    if decimal:
        return _decimal(q, MOST_PLACES) or _fraction(q)
    if mixed and abs(q) > 1 and q.denominator != 1:
        whole, part = divmod(abs(q), 1)
        return f"{MINUS if q < 0 else ''}{whole} {_fraction(part)}"
    return _fraction(q)


def decimal_style(values: Iterable[Any]) -> bool:
    """True when any of an author's values is a decimal that is not whole (0.5, not 2.0): results print as decimals."""
    for v in values:
        if isinstance(v, (float, Decimal)) and not isinstance(v, bool) and exact(v).denominator != 1:
            return True
    return False


def _fraction(q: Fraction) -> str:
    sign = MINUS if q < 0 else ""
    q = abs(q)
    if q.denominator == 1:
        return f"{sign}{q.numerator}"
    return f"{sign}{q.numerator}/{q.denominator}"


def _decimal(q: Fraction, most_places: int | None = None) -> str | None:
    """`q` as an exact decimal (no exponent, no trailing zeros), or None when it does not terminate in time."""
    places, d = 0, q.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return None
    places = max(twos, fives)
    if most_places is not None and places > most_places:
        return None
    sign = MINUS if q < 0 else ""
    digits = str(abs(q.numerator) * 10**places // q.denominator).rjust(places + 1, "0")
    if not places:
        return sign + digits
    whole, part = digits[:-places], digits[-places:].rstrip("0")
    return sign + whole + ("." + part if part else "")
