"""The one reader of numbers: what pupils and authors write, read exactly; hostile text refused cheaply."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maths.numbers import MAX_DIGITS, MINUSES, NotANumber, exact, looks_numeric, plain, read_number, unify_minus


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", Fraction(3)),
        ("+3", Fraction(3)),
        (" 3 ", Fraction(3)),
        (".5", Fraction(1, 2)),
        ("5.", Fraction(5)),
        ("0.75", Fraction(3, 4)),
        ("3/4", Fraction(3, 4)),
        ("3 / 4", Fraction(3, 4)),
        ("1.5/2", Fraction(3, 4)),
        ("-3/4", Fraction(-3, 4)),
        ("\u2212 2", Fraction(-2)),
        ("0.10000000000000001", Fraction(10000000000000001, 10**17)),  # exact, never rounded to a float
    ],
)
def test_reads_numbers_as_pupils_write_them(text, value):
    assert read_number(text) == value


@pytest.mark.parametrize("minus", list(MINUSES))
def test_every_minus_is_one_minus(minus):
    assert read_number(f"{minus}3") == -3
    assert read_number(f"{minus}3/4") == Fraction(-3, 4)
    assert unify_minus(f"x {minus} 1") == "x - 1"


def test_the_em_dash_is_punctuation_not_a_minus():
    with pytest.raises(NotANumber):
        read_number("\u20143")


@pytest.mark.parametrize("text", ["", " ", "abc", "2,5", "1e3", "two", "--2", "1/2/3", "\u00bd", "3-", "+-3", "."])
def test_refuses_what_is_not_a_number_in_words_a_pupil_reads(text):
    with pytest.raises(NotANumber) as caught:
        read_number(text)
    assert str(caught.value) == "write a number, in digits"


def test_a_fraction_over_zero_says_why():
    with pytest.raises(NotANumber, match="0 on the bottom"):
        read_number("3/0")
    with pytest.raises(NotANumber, match="0 on the bottom"):
        read_number("0/0.0")


@pytest.mark.parametrize("text", ["1" * 4001, "9" * (MAX_DIGITS + 1), "0." + "1" * (MAX_DIGITS + 1), "1/" + "7" * 500])
def test_hostile_lengths_are_refused_as_too_long(text):
    with pytest.raises(NotANumber, match="too many digits"):
        read_number(text)


def test_an_exponent_is_not_read_even_a_huge_one():
    for text in ["1e999999", "1E5", "inf", "nan", "-infinity"]:
        with pytest.raises(NotANumber):
            read_number(text)
        assert looks_numeric(text)  # but it is a number written as text, to an author


def test_looks_numeric_tells_numbers_from_names():
    assert looks_numeric(".5") and looks_numeric("-3") and looks_numeric(" 7 ")
    assert not looks_numeric("b") and not looks_numeric("u1") and not looks_numeric("1_000") and not looks_numeric("")


def test_exact_reads_a_float_as_the_decimal_written():
    assert exact(0.1) == Fraction(1, 10)
    assert exact(0.1) + exact(0.2) == exact(0.3)
    assert exact(Decimal("2.50")) == Fraction(5, 2)
    assert exact(3) == 3 and exact(Fraction(6, 8)) == Fraction(3, 4)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), Decimal("NaN"), Decimal("-Infinity")])
def test_exact_refuses_what_is_not_finite(value):
    with pytest.raises(ValueError, match="finite"):
        exact(value)


@pytest.mark.parametrize("value", [True, False, "3", None, [1]])
def test_exact_refuses_what_is_not_a_number(value):
    with pytest.raises(TypeError):
        exact(value)


def test_plain_is_an_int_when_whole():
    assert type(plain(Fraction(6, 3))) is int and plain(Fraction(6, 3)) == 2
    assert plain(Fraction(3, 4)) == Fraction(3, 4)


@settings(deadline=None)  # a correctness property; the machine is shared
@given(st.fractions(max_denominator=10**6).filter(lambda q: abs(q.numerator) < 10**20))
def test_a_fraction_written_as_pupils_write_it_reads_back(q):
    text = f"{q.numerator}/{q.denominator}".replace("-", "\u2212")
    assert read_number(text) == q


@settings(deadline=None)  # a correctness property; the machine is shared
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9))
def test_a_decimal_reads_back_exactly(d):
    assert read_number(format(d, "f")) == Fraction(d)
