"""The maths layer as a whole: it stands alone (no widget library is imported), and its examples are true."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

MODULES = ["maths.numbers", "maths.printing", "maths.polynomial", "maths.linear", "maths.answers", "maths.area"]


def test_the_maths_layer_imports_no_widget_library():
    code = f"import sys; import {', '.join(MODULES)}; print(sorted(set(m.split('.')[0] for m in sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for heavy in ("traitlets", "anywidget", "ipywidgets", "numpy", "widgets"):
        assert f"'{heavy}'" not in loaded


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_each_docstring_are_true(name):
    failed, tried = doctest.testmod(importlib.import_module(name))
    assert failed == 0
