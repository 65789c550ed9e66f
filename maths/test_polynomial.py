"""The one polynomial: read as pupils type, printed as a textbook prints, expanded, factorised, solved."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maths.numbers import MINUSES
from maths.polynomial import (
    MAX_DEGREE,
    ParseError,
    Polynomial,
    as_product,
    factorise,
    parse,
    read,
    read_terms,
    solve_linear,
)

M = "\u2212"


def P(*coefficients, letter="x"):
    """A polynomial from its coefficients, highest power first, as it is read aloud."""
    return Polynomial(reversed(coefficients), letter)


# --- reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("x^2 + 3x - 2", P(1, 3, -2)),
        ("x**2+3*x-2", P(1, 3, -2)),
        ("x² − 1", P(1, 0, -1)),
        ("X^2", P(1, 0, 0)),
        ("3x", P(3, 0)),
        ("3*x", P(3, 0)),
        ("3 × x", P(3, 0)),
        ("x·3", P(3, 0)),
        ("2(x+3)", P(2, 6)),
        ("2 * (x + 3)", P(2, 6)),
        ("(x+2)(x+3)", P(1, 5, 6)),
        ("(x + 2) * (x + 3)", P(1, 5, 6)),
        ("(x+3)2", P(2, 6)),
        ("(x+2)x", P(1, 2, 0)),
        ("x(x+2)", P(1, 2, 0)),
        ("-(x + 1)", P(-1, -1)),
        ("1 + -3x", P(-3, 1)),
        ("4x + (−8)", P(4, -8)),
        ("(x+1)^2", P(1, 2, 1)),
        ("(x+1)²", P(1, 2, 1)),
        ("x³", P(1, 0, 0, 0)),
        ("x/2", P(Fraction(1, 2), 0)),
        ("3x/4", P(Fraction(3, 4), 0)),
        ("0.5x + 1.25", P(Fraction(1, 2), Fraction(5, 4))),
        ("2x^1 - 10", P(2, -10)),
        ("3 + x - x", P(3)),
        ("[x + 1][x - 1]", P(1, 0, -1)),
    ],
)
def test_reads_what_pupils_type(text, value):
    assert parse(text) == value


@pytest.mark.parametrize("minus", list(MINUSES))
def test_every_minus_is_one_minus(minus):
    assert parse(f"{minus}x {minus} 3") == P(-1, -3)


def test_reads_another_letter_in_either_case():
    assert parse("3A + 6", "a") == P(3, 6, letter="a")
    with pytest.raises(ParseError):
        parse("3x + 6", "a")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("x^^2", "^^2"),
        ("3q", "q"),
        ("x++1", "++1"),
        ("2 3", "3"),
        ("x2", "2"),  # a number straight after the letter is not read (the answer reader says why)
        ("xx", "x"),
        ("*x", "*x"),
        ("x(", "("),
        ("5x = 5x", "=5x"),
        ("£5", "£5"),
    ],
)
def test_refuses_and_names_where_it_stopped(text, part):
    with pytest.raises(ParseError) as caught:
        read(text)
    assert caught.value.part == part
    assert f'"{part}"' in str(caught.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "write an expression"),
        ("(x+1", "not closed"),
        ("x/0", "divide by 0"),
        ("1/x", "divide only by a number"),
        (f"x^{MAX_DEGREE + 1}", "too high"),
        ("(x+1)^9(x+1)^9", "too high"),
        ("x^99999999999999", "too high"),
        ("(" * 40 + "x" + ")" * 40, "too many brackets"),
        ("1" * 31 + "x", "too many digits"),
        ("x+" * 150, "too long"),
    ],
)
def test_hostile_or_broken_text_is_refused_cheaply_with_a_reason(text, words):
    with pytest.raises(ParseError, match=words):
        read(text)


def test_read_keeps_how_it_was_written():
    assert len(read("2x + 3x").terms) == 2 and len(read("5x").terms) == 1
    assert read_terms("2x - x + 3") == [(2, 1), (-1, 1), (3, 0)]
    assert read_terms("") == []
    with pytest.raises(ParseError, match="without brackets"):
        read_terms("2(x + 1)")


# --- arithmetic and printing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (P(1, 5, 6), "x² + 5x + 6"),
        (P(-3, 1), f"{M}3x + 1"),
        (P(1, 0, -4), f"x² {M} 4"),
        (P(-1, -1, 0), f"{M}x² {M} x"),
        (P(Fraction(3, 4), Fraction(-1, 2)), f"3x/4 {M} 1/2"),
        (P(Fraction(1, 2), 0), "x/2"),
        (P(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), "x¹⁰"),
        (P(), "0"),
        (P(-7), f"{M}7"),
    ],
)
def test_prints_as_a_textbook_does(p, text):
    assert str(p) == text


def test_arithmetic_is_exact_and_immutable():
    a, b = P(1, 2), P(1, 3)
    assert a * b == P(1, 5, 6)
    assert a + b == P(2, 5) and a - b == P(-1) and -a == P(-1, -2)
    assert 2 * a == P(2, 4) and a + 1 == P(1, 3) and 1 - a == P(-1, -1)
    assert a**2 == P(1, 4, 4)
    assert P(1, 5, 6)(2) == 20 and P(Fraction(1, 2), 0)(3) == Fraction(3, 2)
    assert {P(1, 2), P(1, 2)} == {a} and a == P(1, 2)  # hashable, equal by value
    assert P(5) == P(5, letter="a")  # a number has no letter to disagree about
    assert P(1, 0) != P(1, 0, letter="a")
    with pytest.raises(ValueError, match="different letters"):
        P(1, 0) + P(1, 0, letter="a")


# --- products and factorising ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "factorised"),
    [
        (P(1, 5, 6), "(x + 2)(x + 3)"),
        (P(1, 2, 1), "(x + 1)²"),
        (P(1, -6, 9), f"(x {M} 3)²"),
        (P(1, 0, -4), f"(x {M} 2)(x + 2)"),  # no x term, and it factorises
        (P(1, 0, -1), f"(x {M} 1)(x + 1)"),
        (P(2, 6), "2(x + 3)"),
        (P(2, -6), f"2(x {M} 3)"),  # never (x − 3)(2)
        (P(1, 2, 0), "x(x + 2)"),
        (P(2, 4, 0), "2x(x + 2)"),
        (P(6, 1, -2), f"(2x {M} 1)(3x + 2)"),  # not monic
        (P(4, 4, 1), "(2x + 1)²"),
        (P(-1, -3, -2), f"{M}(x + 1)(x + 2)"),
        (P(-2, -6), f"{M}2(x + 3)"),
        (P(2, 0, 2), "2(x² + 1)"),
        (P(1, 0, -1, 0), f"x(x {M} 1)(x + 1)"),
        (P(1, 0, 1), None),
        (P(1, 1, 1), None),
        (P(1, 1), None),
        (P(-1, -1), None),
        (P(1, 0, 0), None),
        (P(3, 0), None),
        (P(), None),
    ],
)
def test_factorises_over_the_integers(p, factorised):
    product = factorise(p)
    assert (None if product is None else str(product)) == factorised
    if product is not None:
        assert product.expand() == p
        assert product.fully_factorised()


@pytest.mark.parametrize(
    ("text", "printed", "left"),
    [
        ("2(x+3)", "2(x + 3)", None),
        ("(x+3)(2)", "2(x + 3)", None),
        ("(x+3)2", "2(x + 3)", None),
        ("(x+3)*2", "2(x + 3)", None),
        ("(x+2)x", "x(x + 2)", None),
        ("(x+3)(x+2)", "(x + 3)(x + 2)", None),  # in the order written
        ("((x+2)(x+3))", "(x + 2)(x + 3)", None),
        ("(x+1)^2", "(x + 1)²", None),
        ("2(3 - x)", f"2({M}x + 3)", None),
        ("-2(-x-3)", f"{M}2({M}x {M} 3)", "minus"),
        ("(2x+6)", "(2x + 6)", "number"),
        ("3(4a+6)", "3(4x + 6)", "number"),
        ("x(x^2 + 2x)", "x(x² + 2x)", "letter"),
        ("2(x^2 + 5x + 6)", "2(x² + 5x + 6)", "factorises"),
    ],
)
def test_a_written_product_is_read_and_judged(text, printed, left):
    product = as_product(read(text.replace("a", "x")))
    assert str(product) == printed
    assert product.first_factor_left() == left
    assert product.expand() == parse(text.replace("a", "x"))


@pytest.mark.parametrize("text", ["2x + 6", "x^2", "5", "(x+1) + 2", "(x+1)/2"])
def test_what_is_not_a_product_is_not_read_as_one(text):
    assert as_product(read(text)) is None


def test_solve_linear_is_exact():
    assert solve_linear(P(2, -8)) == 4 and type(solve_linear(P(2, -8))) is int
    assert solve_linear(P(2, -3)) == Fraction(3, 2)
    assert solve_linear(P(1, 0, -4)) is None and solve_linear(P(5)) is None and solve_linear(P()) is None


# --- properties, checked against independent arithmetic ----------------------------------------------

small = st.integers(-9, 9)
polynomials = st.lists(small, min_size=0, max_size=5).map(lambda cs: Polynomial(cs))


@settings(deadline=None)  # a correctness property; the machine is shared
@given(polynomials)
def test_print_then_parse_gives_the_same_polynomial(p):
    assert parse(str(p)) == p


@settings(deadline=None)  # a correctness property; the machine is shared
@given(st.lists(st.builds(Fraction, st.integers(-99, 99), st.integers(1, 12)), max_size=4))
def test_print_then_parse_keeps_fractions(cs):
    p = Polynomial(cs)
    assert parse(str(p)) == p


@settings(deadline=None)  # a correctness property; the machine is shared
@given(polynomials, polynomials, st.integers(-5, 5))
def test_arithmetic_agrees_with_evaluating(p, q, x):
    assert (p * q)(x) == p(x) * q(x)
    assert (p + q)(x) == p(x) + q(x) and (p - q)(x) == p(x) - q(x)


@settings(deadline=None)
@given(small, small, small, small, small)
def test_expanding_a_factorisation_gives_the_polynomial_back(k, a, b, c, d):
    p = k * Polynomial([b, a]) * Polynomial([d, c])
    product = factorise(p)
    if product is None:
        return
    assert product.expand() == p
    assert product.fully_factorised()
    assert as_product(read(str(product))) == product  # and its printed form reads back as the same product


@settings(deadline=None)  # a correctness property; the machine is shared
@given(small, small)
def test_a_linear_solution_satisfies_the_equation(a, b):
    p = Polynomial([b, a])
    x = solve_linear(p)
    assert (x is None) == (a == 0)
    if x is not None:
        assert p(x) == 0
