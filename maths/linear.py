"""Exact linear equations, solved with a bounded cost: the bar model's mathematics.

A bar model means equations such as b + b + 5 = 29 (a total), u + u + u = 36 (a brace) or
a − 12 = 5 (a difference). Each term is a known number or the name of an unknown.

- `Equation(left, right, minus=(), text="")`: sum(left) − sum(minus) = right, each term a number
  or a name; `text` is how it reads, for messages. `Equation.row()` is its coefficients and constant.
- `solve(equations, names=(), most_unknowns=..., most_equations=...)`: every unknown the equations
  fix, exactly (Fractions), the names they leave free, and whether they contradict each other.
  Returns a `Solution` (known, free, contradicts), which unpacks as a tuple.
- `TooLarge`: raised before any arithmetic when a system has more unknowns or equations than the
  caller allows, so one message can never cost seconds.

The elimination is Gauss–Jordan on sparse rows (dicts of the names a row holds), one equation at a
time: each new row is reduced by the pivots so far; a row that vanishes is redundant, or, when its
constant does not, a contradiction, and solving stops there. The pivot rows are kept reduced against
each other, so at the end an unknown is known exactly when its row holds nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from .numbers import exact

__all__ = ["MAX_EQUATIONS", "MAX_STEPS", "MAX_UNKNOWNS", "Equation", "Solution", "TooLarge", "solve"]

MAX_UNKNOWNS = 300  # defaults: six rows of 24 parts, each its own unknown, and a name for each equation's value
MAX_EQUATIONS = 150
MAX_STEPS = 50_000  # one step: one coefficient updated; the hardest bar model found within the limits took 17,000

Term = Any  # a number (int, float, Fraction) or the name of an unknown (str)
Row = tuple[dict[str, Fraction], Fraction]


class TooLarge(ValueError):
    """A system with more unknowns or equations than allowed: refused before any work."""


class Equation:
    """sum(left) − sum(minus) = right, each term a number or an unknown's name; `text` is how it reads."""

    __slots__ = ("left", "minus", "right", "text")

    def __init__(self, left: Sequence[Term], right: Term, minus: Sequence[Term] | None = None, text: str = "") -> None:
        self.left, self.minus, self.right, self.text = list(left), list(minus or []), right, text

    def names(self) -> set[str]:
        return {t for t in (*self.left, *self.minus, self.right) if isinstance(t, str)}

    def row(self) -> Row:
        """Coefficients of the unknowns and the constant c, so that sum(coef × unknown) = c."""
        coef: dict[str, Fraction] = {}
        const = Fraction(0)
        for sign, terms in ((1, self.left), (-1, self.minus)):
            for term in terms:
                if isinstance(term, str):
                    coef[term] = coef.get(term, Fraction(0)) + sign
                else:
                    const -= sign * _number(term)
        if isinstance(self.right, str):
            coef[self.right] = coef.get(self.right, Fraction(0)) - 1
        else:
            const += _number(self.right)
        return {k: v for k, v in coef.items() if v}, const

    def __repr__(self) -> str:
        return f"Equation({self.left!r}, {self.right!r}, {self.minus!r})"


def _number(term: Any) -> Fraction:
    return term if isinstance(term, Fraction) else exact(term)


class Solution(NamedTuple):
    known: dict[str, Fraction]  # each unknown the equations fix, and its value
    free: set[str]  # the unknowns they leave free (all of them when they contradict)
    contradicts: bool


def solve(
    equations: Sequence[Equation],
    names: Iterable[str] = (),
    *,
    most_unknowns: int = MAX_UNKNOWNS,
    most_equations: int = MAX_EQUATIONS,
    most_steps: int = MAX_STEPS,
) -> Solution:
    """Solve exactly; `names` are unknowns to report even if no equation holds them.

    >>> solve([Equation(["b", "b", 5], 29)])
    Solution(known={'b': Fraction(12, 1)}, free=set(), contradicts=False)

    Raises TooLarge, before any arithmetic, beyond `most_unknowns` or `most_equations`; and once the
    elimination has taken `most_steps` steps (one step: one coefficient updated), so that no system,
    however it is built, costs more than a bounded time.
    """
    if len(equations) > most_equations:
        raise TooLarge(f"{len(equations)} equations are too many to solve here (at most {most_equations})")
    every = set(names)
    for eq in equations:
        every |= eq.names()
        if len(every) > most_unknowns:
            raise TooLarge(f"more than {most_unknowns} unknowns are too many to solve here")
    pivots: dict[str, dict[str, Fraction]] = {}  # pivot name -> its row (holding the pivot, with coefficient 1)
    constants: dict[str, Fraction] = {}
    holders: dict[str, set[str]] = {}  # a non-pivot name -> the pivots whose rows hold it
    steps = 0
    for eq in equations:
        coef, const = eq.row()
        steps += len(coef)
        for p in [n for n in coef if n in pivots]:  # pivot rows hold no other pivot: one pass clears them all
            factor = coef.pop(p)
            steps += len(pivots[p])
            _subtract(coef, pivots[p], factor, p)
            const -= factor * constants[p]
        if not coef:
            if const:
                return Solution({}, every, True)  # it contradicts the equations before it: stop here
            continue  # it says nothing new
        q = min(coef)  # the new pivot; any name would do, this one keeps the result the same every time
        lead = coef[q]
        row = {n: v / lead for n, v in coef.items()}
        const /= lead
        for p in holders.pop(q, set()):  # clear q from every row that holds it
            other = pivots[p]
            factor = other.pop(q)
            steps += len(row)
            for n, kept in _subtract(other, row, factor, q):
                if kept:
                    holders.setdefault(n, set()).add(p)
                else:
                    holders[n].discard(p)
            constants[p] -= factor * const
        pivots[q], constants[q] = row, const
        if steps > most_steps:
            raise TooLarge(f"these equations take too long to solve here (more than {most_steps} steps)")
        for n in row:
            if n != q:
                holders.setdefault(n, set()).add(q)
    known = {p: constants[p] for p, row in pivots.items() if len(row) == 1}
    return Solution(known, every - set(known), False)


def _subtract(target: dict[str, Fraction], source: dict[str, Fraction], factor: Fraction, skip: str) -> list:
    """target −= factor × source, for every name but `skip`: each name changed, and whether target still holds it."""
    changed = []
    for n, v in source.items():
        if n != skip:
            w = target.get(n, 0) - factor * v
            if w:
                target[n] = w
            else:
                target.pop(n, None)
            changed.append((n, bool(w)))
    return changed
