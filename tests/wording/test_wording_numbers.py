"""wording/numbers.py: every number as users read it."""

import pytest

from fichex.wording import numbers as numbers_text


@pytest.mark.parametrize("value, text", [(675.8e6, "675.8"), (1109.1e6, "1\u202f109.1"), (207.0e6, "207"),
                                         (26635.6e6, "26\u202f635.6"), (580354.5e6, "580\u202f354.5"), (0, "0"),
                                         (-1234.5e6, "\u22121\u202f234.5"), (-40_000, "0")])
def test_amounts_in_millions_as_the_model_writes_them(value, text):
    assert numbers_text.format_meur(value) == text


def test_one_style_for_every_amount():
    # One way to write millions, with or without the unit, signed or not: never « .0 », never « −0 ».
    assert numbers_text.meur(207e6) == "207\u00a0M€" and numbers_text.meur(-40_000) == "0\u00a0M€"
    assert numbers_text.signed_meur_label(468.8e6) == "+468.8\u00a0M€"
    assert numbers_text.signed_meur_label(-40_000) == "0\u00a0M€"
    assert numbers_text.signed_meur(-4.54e6) == "\u22124.5"
    assert numbers_text.balance_label(10_000) == "Solde : 0\u00a0M€"
    assert numbers_text.meur_text(-1234.5e6) == "+1\u202f234.5 M€"  # a cell's width: its format keeps « .0 »
    assert numbers_text.meur_text(1234.5e6, signed=False) == "1\u202f234.5 M€"
    assert numbers_text.percent_of(1, 8) == "12.5%" and numbers_text.percent_of(1, 0) == "0.0%"
    assert numbers_text.format_pct(-5.34, 1) == "\u22125.3%" and numbers_text.format_pct(-0.04, 1) == "0.0%"
    assert numbers_text.format_eur(-1234567.4) == "\u22121\u202f234\u202f567\u00a0€"


def test_ordinals_and_growth():
    assert [numbers_text.ordinal(n) for n in (1, 2, 91)] == ["1er", "2e", "91e"]
    assert numbers_text.growth_text(-4.54) == "\u00a0(\u22124.5%)"
    assert numbers_text.growth_text(7.84) == "\u00a0(+7.8%)"
    assert numbers_text.growth_text(-0.04) == "\u00a0(0.0%)" and numbers_text.growth_text(None) == ""


def test_no_break_keeps_a_figure_and_its_unit_on_one_line():
    assert numbers_text.no_break("« Viandes » (12.1%) : 35 075.1 M€") == (
        "«\u00a0Viandes\u00a0»\u00a0(12.1%)\u00a0: 35\u00a0075.1\u00a0M€")
