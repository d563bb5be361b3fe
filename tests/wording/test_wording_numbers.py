"""wording/numbers.py: every number as users read it."""

import pytest

from fichex.wording import numbers as numbers_text


@pytest.mark.parametrize("value, text", [(675.8e6, "675.8"), (1109.1e6, "1 109.1"), (207.0e6, "207"),
                                         (26635.6e6, "26 635.6"), (580354.5e6, "580 354.5"), (0, "0"),
                                         (-1234.5e6, "-1 234.5")])
def test_amounts_in_millions_as_the_model_writes_them(value, text):
    assert numbers_text.format_meur(value) == text


def test_the_formatters_moved_from_the_renderers_write_what_they_wrote():
    # render/pptx/slides.py's meur and signed_meur, render/pptx/territoire.py's signed amount,
    # render/xlsx/base.py's meur_text, render/pptx/notes.py's share of a whole
    assert numbers_text.meur(207e6) == "207.0 M€" and numbers_text.meur(-40_000) == "-0.0 M€"
    assert numbers_text.signed_meur_label(468.8e6) == "+468.8 M€"
    assert numbers_text.signed_meur_label(-40_000) == "0.0 M€"
    assert numbers_text.meur_text(-1234.5e6) == "+1 234.5 M€"
    assert numbers_text.meur_text(1234.5e6, signed=False) == "1 234.5 M€"
    assert numbers_text.percent_of(1, 8) == "12.5%" and numbers_text.percent_of(1, 0) == "0.0%"
    assert numbers_text.meur_label(207e6) == "207 M€" and numbers_text.drawing_meur(-40_000) == "0.0 M€"


def test_ordinals_and_growth():
    assert [numbers_text.ordinal(n) for n in (1, 2, 91)] == ["1er", "2e", "91e"]
    assert numbers_text.growth_text(-4.54) == " (\u22124.5\u00a0%)"
    assert numbers_text.growth_text(-0.04) == " (0.0\u00a0%)" and numbers_text.growth_text(None) == ""


def test_no_break_keeps_a_figure_and_its_unit_on_one_line():
    assert numbers_text.no_break("« Viandes » (12.1%) : 35 075.1 M€") == (
        "«\u00a0Viandes\u00a0»\u00a0(12.1%)\u00a0: 35\u00a0075.1\u00a0M€")
