"""The area model of multiplication: sides split into parts, each cell a partial product, exactly.

- `place_value_parts(q, decimal)`: a positive number split by place value, the largest part first:
  23 is 20 + 3, 2.5 is 2 + 0.5, 305 is 300 + 5. A fraction that is not a decimal splits into its
  whole part and the rest (7/3 is 2 + 1/3).
- `unit_step(q, decimal)`: the finest step a side of length q is split on: whole units for a whole
  number, its last decimal place for a decimal (0.1 for 2.5), its fraction for a fraction (1/3 for 7/3).
- `partials(across, down)`: the cells' products row by row: a row for each part down the side, a
  cell for each part across the top (the grid method's order: 23 × 14 is 200, 30, 80, 12).
- `total(cells)`: the cells added up: the product of the sides.
- `term_sum(terms)`: terms written as one sum, each with its own sign, a true minus between:
  ["x²", "−x", "4x", "−4"] is "x² − x + 4x − 4".

Sides are polynomials (numbers are constant polynomials), so the same cells hold 20 × 10 and
2x × (−1). Nothing here rounds: every value is an int, a Fraction or a Polynomial.
"""

from __future__ import annotations

from fractions import Fraction

from .polynomial import Polynomial
from .printing import MINUS

__all__ = ["partials", "place_value_parts", "term_sum", "total", "unit_step"]


def _places(q: Fraction) -> int | None:
    """How many decimal places q has, or None when it is not a terminating decimal (within 40 places)."""
    return next((p for p in range(41) if 10**p % q.denominator == 0), None)


def unit_step(q: Fraction, decimal: bool) -> Fraction:
    """The finest step a side of length q is split on.

    >>> unit_step(Fraction(23), False), unit_step(Fraction(5, 2), True), unit_step(Fraction(7, 3), False)
    (Fraction(1, 1), Fraction(1, 10), Fraction(1, 3))
    """
    q = Fraction(q)
    places = _places(q) if decimal else None
    if places is not None:
        return Fraction(1, 10**places)
    return Fraction(1, q.denominator)


def place_value_parts(q: Fraction, decimal: bool) -> list[Fraction]:
    """A positive number split by place value, the largest part first (no part is 0).

    >>> [str(p) for p in place_value_parts(Fraction(23), False)]
    ['20', '3']
    >>> [str(p) for p in place_value_parts(Fraction(5, 2), True)]
    ['2', '1/2']
    >>> [str(p) for p in place_value_parts(Fraction(7, 3), False)]
    ['2', '1/3']
    """
    q = Fraction(q)
    if q <= 0:
        raise ValueError("only a positive number splits by place value")
    whole, rest = divmod(q, 1)
    parts = [Fraction(int(digit) * 10**power) for power, digit in enumerate(reversed(str(whole))) if digit != "0"]
    parts.reverse()
    places = _places(rest) if decimal else None
    if places is None:
        return parts + ([rest] if rest else [])
    tenths = rest * 10**places
    for power in range(1, places + 1):
        digit = int(tenths // 10 ** (places - power)) % 10
        if digit:
            parts.append(Fraction(digit, 10**power))
    return parts


def partials(across: list[Polynomial], down: list[Polynomial]) -> list[Polynomial]:
    """The cells' products, row by row: each part down the side times each part across the top.

    >>> [str(p) for p in partials([Polynomial([20]), Polynomial([3])], [Polynomial([10]), Polynomial([4])])]
    ['200', '30', '80', '12']
    """
    return [row * column for row in down for column in across]


def term_sum(terms: list[str]) -> str:
    """Terms, each printed with its own sign, as one sum: a true minus between, never "+ −".

    >>> term_sum(["x²", "\u2212x", "4x", "\u22124"])
    'x² − x + 4x − 4'
    """
    text = ""
    for term in terms:
        if not text:
            text = term
        elif term.startswith(MINUS):
            text += f" {MINUS} {term[len(MINUS) :]}"
        else:
            text += f" + {term}"
    return text


def total(values: list[Polynomial]) -> Polynomial:
    """The sum of the cells (the product of the sides)."""
    out = Polynomial(())
    for v in values:
        out = out + v
    return out
