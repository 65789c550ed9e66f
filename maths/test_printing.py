"""The one printer: a value prints as it was written, with a true minus sign."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maths.numbers import read_number
from maths.printing import MINUS, decimal_style, signed, written


def test_the_minus_is_the_true_minus_sign():
    assert MINUS == "\u2212"
    assert signed(-2) == "\u22122" and signed(0) == "0" and signed(5) == "5"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(3, 4), "3/4"),  # bug: a bar model printed this as 0.75 while Questions printed 3/4
        (Fraction(-3, 4), f"{MINUS}3/4"),
        (Fraction(6, 3), "2"),
        (Fraction(10, 3), "10/3"),
        (0.75, "0.75"),
        (-2.5, f"{MINUS}2.5"),
        (2.0, "2"),
        (0.1 + 0.2, "0.30000000000000004"),  # the float the author computed is what it is
        (0.3, "0.3"),
        (1e16, "10000000000000000"),  # no exponent
        (1e-7, "0.0000001"),
        (Decimal("2.50"), "2.5"),
        (-7, f"{MINUS}7"),
        (0, "0"),
    ],
)
def test_a_value_prints_as_it_was_written(value, text):
    assert written(value) == text


def test_a_value_computed_from_decimals_prints_as_a_decimal_when_it_is_one():
    assert written(Fraction(1, 5), decimal=True) == "0.2"
    assert written(Fraction(-3, 8), decimal=True) == f"{MINUS}0.375"
    assert written(Fraction(1, 3), decimal=True) == "1/3"  # never 0.333...
    assert written(Fraction(1, 2**10), decimal=True) == "1/1024"  # too many places to read


def test_decimal_style_is_set_by_an_authors_decimal():
    assert decimal_style([1, 0.5, "b"])
    assert not decimal_style([1, 2.0, Fraction(1, 2), "b", True])


@settings(deadline=None)  # a correctness property; the machine is shared
@given(st.fractions(max_denominator=10**4).filter(lambda q: abs(q.numerator) < 10**12))
def test_the_reader_reads_every_printed_fraction(q):
    assert read_number(written(q)) == q
    assert read_number(written(q, decimal=True)) == q


# (smaller floats have more digits than a pupil types)
@settings(deadline=None)  # a correctness property; the machine is shared
@given(st.floats(min_value=-1e9, max_value=1e9).filter(lambda f: abs(f) >= 1e-9 or not f))
def test_the_reader_reads_every_printed_float_as_its_decimal(f):
    assert read_number(written(f)) == Fraction(repr(f))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(5, 2), "2 1/2"),
        (Fraction(-7, 4), f"{MINUS}1 3/4"),
        (Fraction(3, 4), "3/4"),  # a proper fraction stays as it is
        (Fraction(-1, 2), f"{MINUS}1/2"),
        (Fraction(6, 2), "3"),
        (Fraction(12, 8), "1 1/2"),  # in lowest terms, as the fraction would be
    ],
)
def test_a_mixed_number_prints_as_a_whole_number_and_a_proper_fraction(value, text):
    assert written(value, mixed=True) == text


@settings(max_examples=200, deadline=None)
@given(st.fractions(min_value=-50, max_value=50, max_denominator=24))
def test_a_mixed_number_reads_back_as_the_same_value(q):
    shown = written(q, mixed=True)
    whole, _, part = shown.replace(MINUS, "").partition(" ")
    value = Fraction(whole) + Fraction(part) if part else Fraction(whole)
    assert (-value if shown.startswith(MINUS) else value) == q
