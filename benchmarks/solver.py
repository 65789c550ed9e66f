"""`python -m benchmarks.solver`: what the bar model's exact solver costs at the limits (a figure, not a test).

Prints the CPU time of `maths.linear.solve` for the hardest systems a bar model within its limits makes
(six rows of 24 parts, a total and 149 braces), and for systems beyond them, which are refused.
"""

from __future__ import annotations

import random
import time

from maths.linear import MAX_EQUATIONS, MAX_UNKNOWNS, Equation, TooLarge, solve


def _bar(seed: int, shortest: int, names: int | None) -> list[Equation]:
    rnd = random.Random(seed)
    pool = [f"n{i:03d}" for i in range(names or MAX_UNKNOWNS)]
    rows = [[rnd.choice(pool) if names else f"u{r}_{i}" for i in range(24)] for r in range(6)]
    value = {n: rnd.randint(1, 50) for row in rows for n in row}
    runs = [(r, i, j) for r in range(6) for i in range(24) for j in range(i + shortest, 25)]
    equations = [Equation([n for row in rows for n in row], sum(value[n] for row in rows for n in row))]
    for r, i, j in rnd.sample(runs, min(MAX_EQUATIONS - 1, len(runs))):
        equations.append(Equation(rows[r][i:j], sum(value[n] for n in rows[r][i:j])))
    return equations


def _time(equations: list[Equation], **limits: int) -> tuple[float, str]:
    start = time.process_time()
    try:
        solution = solve(equations, **limits)
        said = f"{len(solution.known)} known"
    except TooLarge as why:
        said = f"refused: {why}"
    return (time.process_time() - start) * 1000, said


def main() -> None:
    cases = [
        (f"bar model, 144 names, braces of {s}+ parts, seed {k}", _bar(k, s, 144)) for k in range(3) for s in (1, 12)
    ]
    cases += [(f"bar model, 144 distinct unknowns, seed {k}", _bar(k, 1, None)) for k in range(3)]
    rnd = random.Random(3)
    pool = [f"n{i}" for i in range(MAX_UNKNOWNS)]
    dense = [Equation([rnd.choice(pool) for _ in range(24)], rnd.randint(100, 1000)) for _ in range(MAX_EQUATIONS)]
    cases.append(("dense rows no bar model makes (step limit)", dense))
    cases.append(("850 braces (equation limit)", _bar(0, 1, 144) * 6))
    for label, equations in cases:
        ms, said = _time(equations)
        print(f"{label:58} {len(equations):4} equations  {ms:7.1f} ms  {said}")


if __name__ == "__main__":
    main()
