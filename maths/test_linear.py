"""The exact linear solver: right answers, checked by substitution and against a plain dense elimination."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maths.linear import MAX_EQUATIONS, MAX_UNKNOWNS, Equation, TooLarge, solve


def test_the_bar_models_examples():
    assert solve([Equation(["b", "b", 5], 29)]).known == {"b": 12}
    assert solve([Equation(["a"], 5, [12])]).known == {"a": 17}  # a − 12 = 5
    assert solve([Equation(["x", "x", "x"], 10)]).known == {"x": Fraction(10, 3)}
    assert solve([Equation([0.1, "x"], 0.3)]).known == {"x": Fraction(1, 5)}  # decimals read as written
    assert solve([Equation(["u", "u", "u"], "n"), Equation(["u"] * 5, 60)]).known == {"u": 12, "n": 36}


def test_what_is_not_fixed_is_free_and_named():
    known, free, contradicts = solve([Equation(["a", "b"], 10)], names={"c"})
    assert known == {} and free == {"a", "b", "c"} and not contradicts
    known, free, _ = solve([Equation(["a", "b"], 10), Equation(["a"], 4), Equation(["c", "d"], "c")])
    assert known == {"a": 4, "b": 6, "d": 0} and free == {"c"}


def test_a_contradiction_is_found():
    assert solve([Equation([3, 4], 8)]).contradicts
    assert solve([Equation(["a", "a"], 10), Equation(["a"], 4)]).contradicts
    assert not solve([Equation(["a", "a"], 10), Equation(["a"], 5)]).contradicts  # repeated, not contradicting


def test_limits_are_checked_before_any_work():
    many = [Equation([f"u{i}"], 1) for i in range(MAX_UNKNOWNS + 1)]
    with pytest.raises(TooLarge, match=f"more than {MAX_UNKNOWNS} unknowns"):
        solve(many, most_equations=10**6)
    with pytest.raises(TooLarge, match=f"at most {MAX_EQUATIONS}"):
        solve([Equation(["a"], 1)] * (MAX_EQUATIONS + 1))
    with pytest.raises(TooLarge, match="at most 2"):
        solve([Equation(["a"], 1)] * 3, most_equations=2)


def dense(equations, names):
    """Plain Gauss–Jordan over every column: the elimination the bar model used before, as a reference."""
    names = sorted(names)
    matrix = []
    for eq in equations:
        coef, const = eq.row()
        matrix.append([coef.get(n, Fraction(0)) for n in names] + [const])
    pivots, r = [], 0
    for col in range(len(names)):
        pick = next((i for i in range(r, len(matrix)) if matrix[i][col]), None)
        if pick is None:
            continue
        matrix[r], matrix[pick] = matrix[pick], matrix[r]
        matrix[r] = [v / matrix[r][col] for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col]:
                f = matrix[i][col]
                matrix[i] = [a - f * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(col)
        r += 1
    contradicts = any(not any(row[:-1]) and row[-1] for row in matrix)
    known = {
        names[c]: matrix[i][-1]
        for i, c in enumerate(pivots)
        if not any(matrix[i][j] for j in range(len(names)) if j != c)
    }
    return known, contradicts


NAMES = [f"u{i}" for i in range(8)]
values = st.fixed_dictionaries({n: st.integers(1, 30) for n in NAMES})
runs = st.lists(st.lists(st.sampled_from(NAMES + [1, 2, 5]), min_size=1, max_size=6), min_size=1, max_size=10)


@settings(deadline=None)
@given(values, runs, st.booleans())
def test_solutions_satisfy_the_equations_and_agree_with_dense_elimination(value, rows, lie):
    equations = [Equation(run, sum(value.get(t, t) if isinstance(t, str) else t for t in run)) for run in rows]
    if lie:  # one false statement about a run the model already holds
        equations.append(Equation(rows[0], equations[0].right + 1))
    known, free, contradicts = solve(equations)
    expected, expected_contradicts = dense(equations, {n for eq in equations for n in eq.names()})
    assert contradicts == expected_contradicts == lie
    if not lie:
        assert known == expected
        assert all(known[n] == value[n] for n in known)  # the values the equations were built from
        assert free == {n for eq in equations for n in eq.names()} - set(known)


def bar_rows(names_per_row):
    """The equations of six rows of 24 parts: a total and every prefix brace, the densest a bar model makes."""
    rows = [[f"u{r}_{i}" if names_per_row else f"n{(r * 7 + i * 5) % 144}" for i in range(24)] for r in range(6)]
    value = {n: 1 + len(n) for row in rows for n in row}
    equations = [Equation([n for row in rows for n in row], sum(value[n] for row in rows for n in row))]
    for r in range(6):
        for j in range(1, 25):
            equations.append(Equation(rows[r][:j], sum(value[n] for n in rows[r][:j])))
    return equations[:MAX_EQUATIONS], value


@pytest.mark.parametrize("distinct", [True, False])
def test_the_largest_bar_model_within_the_limits_is_solved_not_refused(distinct):
    equations, value = bar_rows(distinct)
    known, free, contradicts = solve(equations)
    assert not contradicts and known and all(known[n] == value[n] for n in known)


def test_a_system_costing_too_many_steps_is_refused_whatever_its_shape():
    rnd = random.Random(3)
    pool = [f"n{i}" for i in range(MAX_UNKNOWNS)]  # dense rows no bar model can make
    equations = [Equation([rnd.choice(pool) for _ in range(24)], rnd.randint(100, 1000)) for _ in range(MAX_EQUATIONS)]
    with pytest.raises(TooLarge, match="too long"):
        solve(equations)
