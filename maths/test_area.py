"""The area model's mathematics: place-value parts, steps, partial products and their sum."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maths.area import partials, place_value_parts, term_sum, total, unit_step
from maths.polynomial import Polynomial
from maths.printing import MINUS

SETTINGS = settings(derandomize=True, database=None, max_examples=200, deadline=None)
decimals = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999.999"), places=3)


@SETTINGS
@given(value=decimals)
def test_a_decimal_splits_into_one_part_for_each_digit_that_is_not_0(value):
    q = Fraction(value)
    parts = place_value_parts(q, decimal=True)
    assert sum(parts) == q
    digits = [c for c in format(value.normalize(), "f") if c.isdigit()]
    assert len(parts) == sum(d != "0" for d in digits)
    for part in parts:  # a digit from 1 to 9 times a power of ten
        power = Decimal(part.numerator) / Decimal(part.denominator)
        assert power.normalize().as_tuple().digits[0] in range(1, 10) and len(power.normalize().as_tuple().digits) == 1
    assert parts == sorted(parts, reverse=True)


def test_a_fraction_that_is_not_a_decimal_splits_into_its_whole_and_the_rest():
    assert place_value_parts(Fraction(7, 3), decimal=True) == [2, Fraction(1, 3)]
    assert place_value_parts(Fraction(1, 4), decimal=False) == [Fraction(1, 4)]
    with pytest.raises(ValueError):
        place_value_parts(Fraction(0), decimal=False)


@SETTINGS
@given(value=decimals)
def test_the_step_of_a_decimal_is_its_last_place(value):
    q = Fraction(value)
    step = unit_step(q, decimal=True)
    assert (q / step).denominator == 1, "the side is a whole number of steps"
    assert step == Fraction(1, 10 ** max(0, -value.normalize().as_tuple().exponent))


def test_a_fraction_steps_by_its_own_fraction():
    assert unit_step(Fraction(7, 3), decimal=True) == Fraction(1, 3)
    assert unit_step(Fraction(5, 2), decimal=False) == Fraction(1, 2)


terms = st.lists(st.tuples(st.integers(-9, 9).filter(bool), st.integers(0, 2)), min_size=1, max_size=4).map(
    lambda ts: [Polynomial.monomial(c, p) for c, p in ts]
)


@SETTINGS
@given(across=terms, down=terms, x=st.integers(-20, 20))
def test_the_cells_add_up_to_the_product_of_the_sides(across, down, x):
    cells = partials(across, down)
    assert len(cells) == len(across) * len(down)
    assert total(cells)(x) == sum(a(x) for a in across) * sum(b(x) for b in down)


def test_the_cells_go_row_by_row_as_the_grid_method_writes_them():
    top, side = [Polynomial([20]), Polynomial([3])], [Polynomial([10]), Polynomial([4])]
    assert [c[0] for c in partials(top, side)] == [a * b for b in (10, 4) for a in (20, 3)]


@SETTINGS
@given(values=st.lists(st.integers(-99, 99), min_size=1, max_size=6))
def test_a_sum_of_terms_has_one_true_minus_between_and_reads_back(values):
    text = term_sum([f"{MINUS}{-v}" if v < 0 else str(v) for v in values])
    assert "+ " + MINUS not in text and "-" not in text
    assert eval(text.replace(MINUS, "-")) == sum(values)  # noqa: S307 - digits and signs only
