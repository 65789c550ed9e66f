"""Polynomials in one letter: read as pupils type them, printed as a textbook prints them, exactly.

One polynomial type for the whole kit (the algebra tiles, Questions, the answer reader):

- `Polynomial`: immutable and hashable, one letter, int or Fraction coefficients. Add, subtract,
  multiply, raise to a whole power, evaluate; `str()` prints as a textbook does: "x² + 5x + 6",
  "−3x + 1", "x² − 4", "3x/4".
- `read(text, letter)`: what a pupil wrote, as a tree that keeps how it was written (`Sum`, `Times`,
  `Bracket`, `Power`, `Number`, `Letter`), so a caller can tell "2x + 3x" from "5x", or "2(x + 3)"
  from "2x + 6". `parse(text, letter)` is its value as a Polynomial.
- `read_terms(text, letter)`: a flat sum of terms, term by term as written ("2x − x" is 2x and −x).
- `Product`: a number times polynomial factors, printed as a textbook prints a product: "2(x − 3)",
  never "(x − 3)(2)"; "x(x + 2)"; "(x + 2)(x + 3)"; "(x + 1)²". `as_product(tree)` reads one from
  what a pupil wrote, `factorise(p)` makes one over the integers, `Product.fully_factorised()` says
  whether any factor is left to take out.
- `solve_linear(p)`: the one solution of p = 0 when p is linear, exactly.

What is read: the letter (either case), numbers (every kind of minus, decimals), `+ −`, times written
`*`, `×`, `·` or not at all (`3x`, `2(x + 3)`, `(x + 2)(x + 3)`, `(x + 3)2`, `(x + 2)x`), powers written
`^2`, `**2` or `²`, division by a number (`x/2`), brackets. A minus may follow an operator (`1 + −3x`),
a plus may not (`x ++ 1`). Not read: a number straight after the letter (`x2`: a pupil who means x²
is told so by the answer reader), two letters side by side, two numbers side by side.

Limits, so hostile text costs little: at most `MAX_TEXT` characters, `MAX_DIGITS` digits a number,
brackets nested at most `MAX_DEPTH` deep, powers (and products) of degree at most `MAX_DEGREE`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from .numbers import MAX_DIGITS, plain, unify_minus
from .printing import MINUS, written

__all__ = [
    "MAX_DEGREE",
    "MAX_DEPTH",
    "MAX_TEXT",
    "Bracket",
    "Letter",
    "Number",
    "ParseError",
    "Polynomial",
    "Power",
    "Product",
    "Sum",
    "Times",
    "as_product",
    "factorise",
    "monomial",
    "parse",
    "read",
    "read_terms",
    "solve_linear",
]

MAX_TEXT = 200
MAX_DEPTH = 12
MAX_DEGREE = 12

Coefficient = int | Fraction
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = {c: str(i) for i, c in enumerate(_SUPERSCRIPT)}


class ParseError(ValueError):
    """Text that is not an expression in the letter. `part` is where reading stopped (cut short to
    name it); the message says it for a pupil: "could not read "++1""."""

    def __init__(self, message: str, part: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.part = part
        self.reason = reason  # why, beyond "could not read" ("a bracket is not closed"); "" when nothing more


# --- the polynomial ---------------------------------------------------------------------------------


class Polynomial:
    """An immutable polynomial in one letter; coefficients from the constant term up.

    >>> p = Polynomial([6, 5, 1])
    >>> str(p), str(p * Polynomial([-1, 1])), p(2)
    ('x² + 5x + 6', 'x³ + 4x² + x − 6', 20)
    """

    __slots__ = ("_coefficients", "_letter")

    def __init__(self, coefficients: Iterable[Coefficient] = (), letter: str = "x") -> None:
        terms = [plain(Fraction(c)) for c in coefficients]
        while terms and terms[-1] == 0:
            terms.pop()
        if not (isinstance(letter, str) and len(letter) == 1 and letter.isalpha()):
            raise ValueError(f"a polynomial's letter is one letter, not {letter!r:.20}")
        self._coefficients: tuple[Coefficient, ...] = tuple(terms)
        self._letter = letter

    @classmethod
    def constant(cls, value: Coefficient, letter: str = "x") -> Polynomial:
        return cls([value], letter)

    @classmethod
    def monomial(cls, coefficient: Coefficient, power: int, letter: str = "x") -> Polynomial:
        """coefficient × letter^power."""
        return cls([0] * power + [coefficient], letter)

    @property
    def coefficients(self) -> tuple[Coefficient, ...]:
        """From the constant term up, with no trailing zeros: 2x + 6 is (6, 2); zero is ()."""
        return self._coefficients

    @property
    def letter(self) -> str:
        return self._letter

    @property
    def degree(self) -> int:
        """The highest power with a coefficient; −1 for the zero polynomial."""
        return len(self._coefficients) - 1

    def __getitem__(self, power: int) -> Coefficient:
        """The coefficient of letter^power (0 when there is none)."""
        return self._coefficients[power] if 0 <= power < len(self._coefficients) else 0

    @property
    def leading(self) -> Coefficient:
        return self._coefficients[-1] if self._coefficients else 0

    @property
    def terms(self) -> int:
        """How many terms it has when collected: x² − 4 has 2."""
        return sum(1 for c in self._coefficients if c)

    def is_integral(self) -> bool:
        return all(isinstance(c, int) for c in self._coefficients)

    def content(self) -> int:
        """The highest common factor of the (whole) coefficients, positive; 0 for zero, 1 if any is a fraction."""
        if not self.is_integral():
            return 1
        return math.gcd(*self._coefficients) if self._coefficients else 0

    def with_letter(self, letter: str) -> Polynomial:
        return Polynomial(self._coefficients, letter)

    # --- arithmetic --------------------------------------------------------------------------------

    def _other(self, other: object) -> Polynomial | None:
        if isinstance(other, Polynomial):
            return other
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return Polynomial.constant(other, self._letter)
        return None

    def _letter_with(self, other: Polynomial) -> str:
        if self.degree > 0 and other.degree > 0 and self._letter != other._letter:
            raise ValueError(f"{self} and {other} are in different letters")
        return self._letter if self.degree > 0 else other._letter

    def __add__(self, other: object) -> Polynomial:
        o = self._other(other)
        if o is None:
            return NotImplemented
        n = max(len(self._coefficients), len(o._coefficients))
        return Polynomial((self[i] + o[i] for i in range(n)), self._letter_with(o))

    __radd__ = __add__

    def __neg__(self) -> Polynomial:
        return Polynomial((-c for c in self._coefficients), self._letter)

    def __sub__(self, other: object) -> Polynomial:
        o = self._other(other)
        return NotImplemented if o is None else self + (-o)

    def __rsub__(self, other: object) -> Polynomial:
        o = self._other(other)
        return NotImplemented if o is None else o + (-self)

    def __mul__(self, other: object) -> Polynomial:
        o = self._other(other)
        if o is None:
            return NotImplemented
        letter = self._letter_with(o)
        if not self._coefficients or not o._coefficients:
            return Polynomial((), letter)
        product = [Fraction(0)] * (len(self._coefficients) + len(o._coefficients) - 1)
        for i, a in enumerate(self._coefficients):
            if a:
                for j, b in enumerate(o._coefficients):
                    product[i + j] += a * b
        return Polynomial(product, letter)

    __rmul__ = __mul__

    def __pow__(self, n: int) -> Polynomial:
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            return NotImplemented
        result = Polynomial.constant(1, self._letter)
        for _ in range(n):
            result = result * self
        return result

    def __call__(self, value: Coefficient) -> Coefficient:
        """The value when the letter is `value` (exact)."""
        total: Fraction = Fraction(0)
        for c in reversed(self._coefficients):
            total = total * value + c
        return plain(total)

    # --- comparing and printing ---------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        o = self._other(other)
        if o is None:
            return NotImplemented
        # a constant has no letter to disagree about
        return self._coefficients == o._coefficients and (self.degree < 1 or self._letter == o._letter)

    def __hash__(self) -> int:
        return hash((self._coefficients, self._letter if self.degree > 0 else ""))

    def __bool__(self) -> bool:
        return bool(self._coefficients)

    def __repr__(self) -> str:
        return f"Polynomial({list(self._coefficients)!r}, {self._letter!r})"

    def __str__(self) -> str:
        """As a textbook prints it: highest power first, a true minus, "0" when nothing is left."""
        text = ""
        for power in range(self.degree, -1, -1):
            c = self._coefficients[power]
            if not c:
                continue
            body = _term(abs(c), power, self._letter)
            if not text:
                text = (MINUS if c < 0 else "") + body
            else:
                text += (f" {MINUS} " if c < 0 else " + ") + body
        return text or "0"


def _power(letter: str, power: int) -> str:
    if power == 1:
        return letter
    return letter + "".join(_SUPERSCRIPT[int(d)] for d in str(power))


def _term(size: Coefficient, power: int, letter: str) -> str:
    """A positive coefficient times letter^power: "3x²", "x", "3x/4", "x/2", "3/4"."""
    if power == 0:
        return written(size)
    q = Fraction(size)
    top = "" if q.numerator == 1 else str(q.numerator)
    bottom = "" if q.denominator == 1 else f"/{q.denominator}"
    return f"{top}{_power(letter, power)}{bottom}"


# --- what a pupil wrote, as a tree --------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A number as written: `text` is its digits ("0.5", "3")."""

    value: Fraction
    text: str

    def polynomial(self, letter: str) -> Polynomial:
        return Polynomial.constant(self.value, letter)


@dataclass(frozen=True)
class Letter:
    """The letter, once."""

    def polynomial(self, letter: str) -> Polynomial:
        return Polynomial.monomial(1, 1, letter)


@dataclass(frozen=True)
class Power:
    """base^exponent, written with ^, ** or a superscript."""

    base: Node
    exponent: int

    def polynomial(self, letter: str) -> Polynomial:
        return _checked(self.base.polynomial(letter) ** self.exponent)


@dataclass(frozen=True)
class Bracket:
    """( inner )."""

    inner: Sum

    def polynomial(self, letter: str) -> Polynomial:
        return self.inner.polynomial(letter)


@dataclass(frozen=True)
class Times:
    """Factors side by side: `joins[i]` is what stood before factors[i + 1]: "" (nothing), "*" or "/"."""

    factors: tuple[Node, ...]
    joins: tuple[str, ...]

    def polynomial(self, letter: str) -> Polynomial:
        total = self.factors[0].polynomial(letter)
        for join, factor in zip(self.joins, self.factors[1:], strict=True):
            value = factor.polynomial(letter)
            if join == "/":
                total = total * Polynomial.constant(1 / Fraction(value[0]), letter)
            else:
                total = _checked(total * value)
        return total


@dataclass(frozen=True)
class Sum:
    """Terms as written, each with its sign (+1 or −1): "2x − x" is ((1, 2x), (−1, x))."""

    terms: tuple[tuple[int, Node], ...]

    def polynomial(self, letter: str) -> Polynomial:
        total = Polynomial((), letter)
        for sign, node in self.terms:
            value = node.polynomial(letter)
            total = total + value if sign > 0 else total - value
        return total


Node = Number | Letter | Power | Bracket | Times | Sum


def _checked(p: Polynomial) -> Polynomial:
    if p.degree > MAX_DEGREE:
        raise ParseError(f"that power is too high (at most {MAX_DEGREE})", "^")
    return p


# --- reading ---------------------------------------------------------------------------------------

_TIMES = str.maketrans({"\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2219": "*", "\u00f7": "/", "\u2044": "/"})
_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*|\.\d+)|([A-Za-z])|(\^|\*|/|\+|-|\(|\)|\[|\]|=)|(\S))")


@dataclass
class _Token:
    kind: str  # "number", "letter", "op", "other", "end"
    text: str
    at: int  # where it starts in the source


def _normalise(text: str) -> str:
    text = unify_minus(text).translate(_TIMES).replace("**", "^")
    return re.sub(f"[{_SUPERSCRIPT}]+", lambda m: "^" + "".join(_FROM_SUPERSCRIPT[c] for c in m[0]), text)


def _tokens(source: str) -> list[_Token]:
    out = []
    at = 0
    while at < len(source):
        match = _TOKEN.match(source, at)
        if match is None:  # only trailing spaces are left
            break
        number, letter, op, other = match.groups()
        kind = "number" if number else "letter" if letter else "op" if op else "other"
        start = match.start(match.lastindex or 0)
        out.append(_Token(kind, match[match.lastindex or 0], start))
        at = match.end()
    out.append(_Token("end", "", len(source)))
    return out


class _Reader:
    def __init__(self, text: str, letter: str) -> None:
        self.text = text
        self.source = _normalise(text)
        self.letter = letter.lower()
        self.tokens = _tokens(self.source)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, token: _Token, why: str = "") -> ParseError:
        if token.kind == "end" and self.i > 1:  # it stops too soon: name what was last read
            token = self.tokens[self.i - 2] if self.tokens[self.i - 1] is token else self.tokens[self.i - 1]
        rest = "".join(self.source[token.at :].split())
        part = rest if len(rest) <= 20 else rest[:17] + "..."
        return ParseError(why or f'could not read "{part}"', part, why)

    def read_sum(self) -> Sum:
        terms: list[tuple[int, Node]] = []
        sign = 1
        token = self.peek()
        if token.kind == "op" and token.text in "+-":
            self.take()
            sign = -1 if token.text == "-" else 1
        terms.append((sign, self.read_times()))
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take()
            sign = -1 if op.text == "-" else 1
            if self.peek().kind == "op" and self.peek().text == "-":  # 1 + −3x: a minus after an operator
                self.take()
                sign = -sign
            terms.append((sign, self.read_times(op)))
        return Sum(tuple(terms))

    def read_times(self, op: _Token | None = None) -> Node:
        start = self.peek()
        if not self.starts_factor(start):
            raise self.fail(op or start)
        factors = [self.read_power()]
        joins: list[str] = []
        while True:
            token = self.peek()
            if token.kind == "op" and token.text in "*/":
                self.take()
                after = self.peek()
                if not self.starts_factor(after):
                    raise self.fail(token)
                joins.append(token.text)
                factor = self.read_power()
                if token.text == "/":
                    value = factor.polynomial(self.letter)
                    if value.degree > 0:
                        raise self.fail(token, "divide only by a number")
                    if not value:
                        raise self.fail(token, "you cannot divide by 0")
                factors.append(factor)
            elif self.starts_factor(token) and self.side_by_side(factors[-1], token):
                joins.append("")
                factors.append(self.read_power())
            else:
                break
        if len(factors) == 1:
            return factors[0]
        return Times(tuple(factors), tuple(joins))

    def starts_factor(self, token: _Token) -> bool:
        return token.kind in ("number", "letter") or (token.kind == "op" and token.text in "([")

    def side_by_side(self, before: Node, token: _Token) -> bool:
        """Whether a factor may follow `before` with no sign between: 3x, 2(x + 1), (x + 1)x, (x + 3)2."""
        if token.kind == "op":
            return True  # a bracket may follow anything
        if token.kind == "letter":
            return not _ends_in_letter(before)  # "xx" is a slip, not x²
        return isinstance(before, Bracket) or (isinstance(before, Power) and isinstance(before.base, Bracket))

    def read_power(self) -> Node:
        base = self.read_atom()
        if self.peek().kind == "op" and self.peek().text == "^":
            hat = self.take()
            exponent = self.peek()
            if exponent.kind != "number" or not exponent.text.isdigit():
                raise self.fail(hat)
            self.take()
            n = int(exponent.text) if len(exponent.text) <= 3 else MAX_DEGREE + 1
            if n > MAX_DEGREE:
                raise self.fail(hat, f"that power is too high (at most {MAX_DEGREE})")
            return Power(base, n)
        return base

    def read_atom(self) -> Node:
        token = self.take()
        if token.kind == "number":
            digits = token.text.split(".")
            if any(len(d) > MAX_DIGITS for d in digits):
                raise self.fail(token, f"that number has too many digits (at most {MAX_DIGITS})")
            return Number(Fraction(token.text.rstrip(".")), token.text)
        if token.kind == "letter":
            if token.text.lower() != self.letter:
                raise self.fail(token)
            return Letter()
        if token.kind == "op" and token.text in "([":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(token, "too many brackets inside each other")
            inner = self.read_sum()
            close = self.take()
            if not (close.kind == "op" and close.text == {"(": ")", "[": "]"}[token.text]):
                raise self.fail(close if close.kind != "end" else token, "a bracket is not closed")
            self.depth -= 1
            return Bracket(inner)
        raise self.fail(token)


def _ends_in_letter(node: Node) -> bool:
    if isinstance(node, Letter):
        return True
    if isinstance(node, Power):
        return _ends_in_letter(node.base)
    return False


def read(text: str, letter: str = "x") -> Sum:
    """What a pupil wrote, as a tree that keeps how it was written; ParseError when it is not an expression.

    >>> read("2x - x").terms
    ((1, Times(factors=(Number(value=Fraction(2, 1), text='2'), Letter()), joins=('',))), (-1, Letter()))
    """
    if not isinstance(text, str):
        raise ParseError("write an expression, as text")
    if len(text) > MAX_TEXT:
        raise ParseError(f"that expression is too long (at most {MAX_TEXT} characters)")
    reader = _Reader(text, letter)
    if reader.peek().kind == "end":
        raise ParseError("write an expression")
    tree = reader.read_sum()
    if reader.peek().kind != "end":
        raise reader.fail(reader.peek())
    tree.polynomial(reader.letter)  # powers and products within the limits
    return tree


def parse(text: str, letter: str = "x") -> Polynomial:
    """The value of an expression in `letter`, with brackets and all: parse("2(x + 3)") is 2x + 6."""
    return read(text, letter).polynomial(letter.lower())


def monomial(node: Node, letter: str = "x") -> tuple[Coefficient, int] | None:
    """(coefficient, power) when `node` is a single term with no bracket: 3x², x, 5, 2*x, x/2; else None."""
    if isinstance(node, (Number, Letter)) or (isinstance(node, Power) and isinstance(node.base, (Letter, Number))):
        pass
    elif isinstance(node, Times) and all(monomial(f, letter) is not None for f in node.factors):
        pass
    else:
        return None
    value = node.polynomial(letter)
    if value.terms > 1:
        return None
    return (value.leading, max(value.degree, 0))


def read_terms(text: str, letter: str = "x") -> list[tuple[Coefficient, int]]:
    """A sum of single terms, term by term as written, as (coefficient, power): "2x − x + 3" is
    [(2, 1), (−1, 1), (3, 0)]. Empty text is no terms. ParseError for brackets, naming where they are."""
    if isinstance(text, str) and not text.strip():
        return []
    tree = read(text, letter)
    out = []
    for sign, node in tree.terms:
        term = monomial(node, letter)
        if term is None:
            source = _normalise(text)
            where = source.find("(")
            part = "".join(source[where:].split()) if where >= 0 else "".join(source.split())
            raise ParseError(f'could not read "{part[:20]}": write the terms without brackets', part[:20])
        out.append((sign * term[0], term[1]))
    return out


# --- products ---------------------------------------------------------------------------------------


class Product:
    """A number times polynomial factors (each of degree 1 or more), as a textbook prints a product:
    the number first, then a lone letter, then the brackets in the order given, a repeated one squared.

    >>> str(Product(2, [Polynomial([-3, 1])])), str(Product(1, [Polynomial([2, 1]), Polynomial([0, 1])]))
    ('2(x − 3)', 'x(x + 2)')
    """

    __slots__ = ("factors", "number")

    def __init__(self, number: Coefficient, factors: Iterable[Polynomial]) -> None:
        self.number: Coefficient = plain(Fraction(number))
        self.factors: tuple[Polynomial, ...] = tuple(factors)
        if any(f.degree < 1 for f in self.factors):
            raise ValueError("a product's factors each have the letter in them; numbers go in front")

    def expand(self) -> Polynomial:
        letter = self.factors[0].letter if self.factors else "x"
        total = Polynomial.constant(self.number, letter)
        for f in self.factors:
            total = total * f
        return total

    def fully_factorised(self) -> bool:
        """No factor holds a common factor (a number, the letter, or −1) or factorises further."""
        return self.first_factor_left() is None

    def first_factor_left(self) -> str | None:
        """What is still to take out: "number", "letter", "minus" or "factorises"; None when there is nothing."""
        for f in self.factors:
            if f.terms == 1:
                continue  # x, or x² as x·x
            if not f.is_integral() or f.content() != 1:
                return "number"
            if f[0] == 0:
                return "letter"
            if all(c <= 0 for c in f.coefficients):
                return "minus"
            if f.degree >= 2 and factorise(f) is not None:
                return "factorises"
        return None

    @classmethod
    def of(cls, factors: Iterable[Polynomial]) -> Product:
        """The product of these polynomials, numbers among them taken to the front: (x − 3) times 2 is 2(x − 3)."""
        number: Fraction = Fraction(1)
        kept = []
        for f in factors:
            if f.degree < 1:
                number *= Fraction(f[0])
            else:
                kept.append(f)
        return cls(number, kept)

    def _ordered(self) -> list[tuple[Polynomial, int]]:
        """Each factor once, with how many times: a lone letter first, then the brackets in the order given."""
        counts = Counter(self.factors)
        return sorted(counts.items(), key=lambda item: not (item[0].terms == 1 and item[0].leading == 1))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Product):
            return NotImplemented
        return self.number == other.number and Counter(self.factors) == Counter(other.factors)

    def __hash__(self) -> int:
        return hash((self.number, frozenset(Counter(self.factors).items())))

    def __repr__(self) -> str:
        return f"Product({self.number!r}, {list(self.factors)!r})"

    def __str__(self) -> str:
        front = "" if self.number == 1 else MINUS if self.number == -1 else written(self.number)
        if not self.factors:
            return written(self.number)
        parts = []
        for factor, times in self._ordered():
            if factor.terms == 1 and factor.leading == 1:
                parts.append(_power(factor.letter, factor.degree * times))
            else:
                parts.append(f"({factor})" + ("" if times == 1 else _power("", times)))
        return front + "".join(parts)


def _factor_key(f: Polynomial) -> tuple:
    # a lone letter first, then by degree, then as the tiles lay them out: (x − 1) before (x + 1)
    return (f.terms != 1 or f.leading != 1, f.degree, f[0] != 0, [Fraction(c) for c in reversed(f.coefficients)])


def as_product(tree: Sum, letter: str = "x") -> Product | None:
    """A product read from what a pupil wrote, when it is one: "2(x + 3)", "(x + 3)(2)", "−2(−x − 3)",
    "x(x + 2)", "(x + 2)(x + 3)", "(x + 1)²". None when it is not a single product holding a bracket."""
    if len(tree.terms) != 1:
        return None
    sign, node = tree.terms[0]
    if isinstance(node, Bracket) and len(node.inner.terms) == 1:  # ((x + 2)(x + 3)): the same product
        inner = as_product(node.inner, letter)
        return None if inner is None else Product(inner.number * sign, inner.factors)
    factors = node.factors if isinstance(node, Times) else (node,)
    joins = node.joins if isinstance(node, Times) else ()
    if "/" in joins or not any(_holds_bracket(f) for f in factors):
        return None
    number: Fraction = Fraction(sign)
    out: list[Polynomial] = []
    for f in factors:
        value = f.polynomial(letter)
        if value.degree < 1:
            number *= Fraction(value[0])
        elif isinstance(f, Power) and isinstance(f.base, Bracket):
            out += [f.base.polynomial(letter)] * f.exponent
        elif isinstance(f, Power) and isinstance(f.base, Letter):
            out += [Polynomial.monomial(1, 1, letter)] * f.exponent
        elif value.terms == 1 and not _holds_bracket(f):
            number *= Fraction(value.leading)
            out += [Polynomial.monomial(1, 1, letter)] * value.degree
        else:
            out.append(value)
    return Product(number, out)


def _holds_bracket(node: Node) -> bool:
    return isinstance(node, Bracket) or (isinstance(node, Power) and isinstance(node.base, Bracket))


def factorise(p: Polynomial) -> Product | None:
    """`p` factorised over the integers: the common factor (a leading minus comes out with it), then the
    letter, then a quadratic into linear factors. None when nothing comes out (x² + 1, x + 1, 3x, x²).

    >>> [str(factorise(Polynomial(cs))) for cs in ([6, 5, 1], [-4, 0, 1], [6, 2])]
    ['(x + 2)(x + 3)', '(x − 2)(x + 2)', '2(x + 3)']
    """
    if p.terms < 2 or not p.is_integral():
        return None
    letter = p.letter
    content = p.content() * (-1 if p.leading < 0 else 1)
    rest = [c // content for c in p.coefficients]
    low = next(i for i, c in enumerate(rest) if c)  # the letter's power that comes out
    rest = rest[low:]
    factors = [Polynomial.monomial(1, 1, letter)] * low
    if len(rest) == 3:
        c, b, a = rest
        root = math.isqrt(b * b - 4 * a * c) if b * b - 4 * a * c >= 0 else -1
        if root >= 0 and root * root == b * b - 4 * a * c:
            for r in (Fraction(-b + root, 2 * a), Fraction(-b - root, 2 * a)):
                factors.append(Polynomial([-r.numerator, r.denominator], letter))  # the root p/q: (qx − p)
            rest = []
    if rest and len(rest) > 1:
        factors.append(Polynomial(rest, letter))
    product = Product(content, sorted(factors, key=_factor_key))
    if abs(content) == 1 and len(factors) == 1 and factors[0].degree == p.degree:
        return None  # nothing came out but perhaps a minus
    return product


def solve_linear(p: Polynomial) -> Coefficient | None:
    """The one solution of p = 0 when p is linear (ax + b with a ≠ 0), exactly; else None."""
    if p.degree != 1:
        return None
    return plain(Fraction(-Fraction(p[0]), Fraction(p[1])))
