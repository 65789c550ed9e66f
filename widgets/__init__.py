"""Virtual manipulatives for mastery mathematics lessons, as Jupyter widgets.

Each manipulative is a board of pieces that pupils drag, flip and group in the browser,
with the mathematics computed here, in Python, and shown beside it.
"""

from ._board import Refused, signed
from .algebra_tiles import AlgebraTiles
from .area_model import AreaModel
from .bar_model import BarModel
from .counters import Counters
from .dice import Dice
from .double_number_line import DoubleNumberLine
from .fraction_wall import FractionWall
from .number_line import NumberLine
from .place_value import PlaceValue
from .questions import AlwaysSometimesNever, Ask, Choice, Questions, SpotTheMistake, TrueFalse
from .study import anticipate

__all__ = [
    "AlgebraTiles",
    "AlwaysSometimesNever",
    "AreaModel",
    "Ask",
    "BarModel",
    "Choice",
    "Counters",
    "Dice",
    "DoubleNumberLine",
    "FractionWall",
    "NumberLine",
    "PlaceValue",
    "Questions",
    "Refused",
    "SpotTheMistake",
    "TrueFalse",
    "anticipate",
    "signed",
]
