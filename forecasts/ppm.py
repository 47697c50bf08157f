"""Parts per million: how every probability is stored, so equal numbers compare equal.

>>> to_ppm(0.7), from_ppm(700000), format_percent(265000)
(700000, 0.7, '26.5%')
"""

from __future__ import annotations

PPM = 1_000_000
# How far from 1 the probabilities of a question's options may sum (rounded figures add up so).
SUM_TOLERANCE = 0.01


def to_ppm(probability: float) -> int:
    """A probability in [0, 1] as whole parts per million, rounded half to even.

    >>> to_ppm(1 / 3)
    333333
    """
    return round(probability * PPM)


def from_ppm(ppm):
    """Parts per million (an int or a numpy array) as a probability in [0, 1].

    >>> from_ppm(250000)
    0.25
    """
    return ppm / PPM


def format_percent(ppm: int) -> str:
    """Parts per million as a short percentage.

    >>> format_percent(265000), format_percent(700000), format_percent(333333)
    ('26.5%', '70%', '33.3333%')
    """
    return f"{ppm / 10_000:.4f}".rstrip("0").rstrip(".") + "%"
