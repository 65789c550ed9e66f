"""Positive and negative pieces tell apart by lightness, and their marks read, in both themes.

Colour alone never carries the sign (every piece has a mark too), but on a washed-out projector, in
greyscale or for a pupil with protanopia the two fills must still look different: they differ in
lightness by at least 3:1 (WCAG relative luminance), also after a simulation of protanopia and
deuteranopia, and the sign drawn on each fill reads at 4.5:1. The colours are read from the stylesheets
the boards use (widgets/static/drawing.css and each manipulative's own), for the light and the dark theme.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

STATIC = ROOT / "widgets" / "static"
LIGHT = ".mn-board, .mn-questions"  # the selector of drawing.css that sets the light palette
DARK = '[data-jp-theme-light="false"] :is(.mn-board, .mn-questions), .mn-board.mn-dark'

# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
SIMULATIONS = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
}


def rules(css: str) -> dict[str, dict[str, str]]:
    """Selector -> its declarations, for a flat stylesheet (comments dropped)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = dict(
            (name.strip(), value.strip()) for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)
        )
        found.setdefault(" ".join(selector.split()), {}).update(declarations)
    return found


def palette(theme: str) -> dict[str, str]:
    drawing = rules((STATIC / "drawing.css").read_text())
    colours = dict(drawing[LIGHT])
    if theme == "dark":
        colours.update(drawing[DARK])
    return colours


def linear(hex_colour: str) -> tuple[float, float, float]:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))


def luminance(rgb: tuple[float, float, float]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def seen_with(matrix, rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    return tuple(min(max(sum(m * c for m, c in zip(row, rgb, strict=True)), 0.0), 1.0) for row in matrix)


def drawn(theme: str) -> list[tuple[str, str, str, str, str]]:
    """(piece, positive fill, positive mark, negative fill, negative mark) as each stylesheet draws them."""
    colours = palette(theme)

    def resolve(value: str) -> str:
        var = re.fullmatch(r"var\((--[\w-]+)\)", value)
        resolved = colours[var.group(1)] if var else value
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", resolved), f"{value} is not a #rrggbb colour"
        return resolved

    pieces = []
    for sheet, piece, shape in [("counters.css", ".counter", "circle"), ("algebra_tiles.css", ".at-tile", "rect")]:
        sheet_rules = rules((STATIC / sheet).read_text())
        pieces.append(
            (
                f"{sheet} {piece}",
                resolve(sheet_rules[f"{piece}.positive {shape}"]["fill"]),
                resolve(sheet_rules[f"{piece}.positive text"]["fill"]),
                resolve(sheet_rules[f"{piece}.negative {shape}"]["fill"]),
                resolve(sheet_rules[f"{piece}.negative text"]["fill"]),
            )
        )
    return pieces


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_two_signs_differ_in_lightness_and_their_marks_read(theme):
    for piece, positive, positive_mark, negative, negative_mark in drawn(theme):
        plus, minus = linear(positive), linear(negative)
        assert contrast(plus, minus) >= 3, f"{theme}: {piece} fills {positive} and {negative} look alike in grey"
        for name, matrix in SIMULATIONS.items():
            seen = contrast(seen_with(matrix, plus), seen_with(matrix, minus))
            assert seen >= 3, f"{theme}: {piece} fills {positive} and {negative} are {seen:.2f}:1 with {name}"
        assert contrast(linear(positive_mark), plus) >= 4.5, f"{theme}: {piece} + mark on {positive}"
        assert contrast(linear(negative_mark), minus) >= 4.5, f"{theme}: {piece} − mark on {negative}"


def test_the_dark_theme_is_read_from_its_own_rule():
    """The dark palette really is another rule: a page, ink and paper of its own."""
    light, dark = palette("light"), palette("dark")
    assert luminance(linear(dark["--mn-surface"])) < 0.05 < luminance(linear(light["--mn-surface"]))
