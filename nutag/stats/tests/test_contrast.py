"""The dashboard's text colours read at 4.5:1 or more (WCAG AA) on the backgrounds they sit
on: white cards, the page's grey, the pale row of the current unit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from nutag.stats.templatetags.charts import COLOUR_BELOW, COLOUR_LINE, COLOUR_OK

CSS = Path(settings.BASE_DIR) / "nutag/stats/templates/stats/_dashboard_css.html"
BACKGROUNDS = ("#ffffff", "#f5f5f5", "#fff8e1")


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#c25e00", "#ffffff") < 4.5  # the old warning orange failed


@pytest.mark.parametrize("colour", [COLOUR_BELOW, COLOUR_OK, COLOUR_LINE])
def test_chart_text_colours(colour):
    for background in BACKGROUNDS:
        assert contrast(colour, background) >= 4.5, (colour, background)


def test_every_text_colour_of_the_dashboard_css():
    colours = set(re.findall(r"(?<![-\w])color:(#[0-9a-fA-F]{6})", CSS.read_text()))
    assert colours
    for colour in colours:
        for background in BACKGROUNDS:
            assert contrast(colour, background) >= 4.5, (colour, background)
