"""The kit's mathematics, apart from any widget: it imports neither traitlets, anywidget nor numpy.

- `maths.numbers`: one reader of numbers as pupils and authors write them, exactly.
- `maths.printing`: one printer, as a textbook prints: the true minus sign, one fraction style.
- `maths.polynomial`: one polynomial type: read, print, expand, factorise, solve.
- `maths.linear`: one exact linear solver, with a bounded cost.
- `maths.answers`: one reader of pupils' answers, judged as a teacher would.
- `maths.area`: the area model of multiplication: place-value parts, partial products, exactly.
"""
