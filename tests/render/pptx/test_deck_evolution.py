"""The evolution slide (render/pptx/evolution.py): every quarter on the chart, the growth beside, the
collection break marked where the data spans it."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from conftest import all_text, slide_titled
from fichex.wording import deck as deck_text, grammar as grammar_text, model_text
from fichex.render.pptx import build_deck
from fichex.render.pptx.evolution import EVOLUTION_PLOT, break_boundary


def test_evolution_chart_holds_every_quarter(deck_23, fiche_23):
    slide = slide_titled(deck_23, deck_text.DECK_EVOLUTION_TITLE)
    charts = [s for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    quarters = fiche_23.evolution.quarters
    assert list(chart.plots[0].categories) == [grammar_text.quarter_label(q.year, q.quarter) for q in quarters]
    exports, imports = chart.plots[0].series
    assert exports.values == pytest.approx([q.exports_eur / 1e6 for q in quarters])
    assert imports.values == pytest.approx([q.imports_eur / 1e6 for q in quarters])
    text = all_text(slide)
    for year in fiche_23.evolution.years:
        assert deck_text.evolution_year_line(year.year, year.quarters, year.exports_eur, year.imports_eur,
                                             year.exports_growth_pct, year.imports_growth_pct) in text


def test_the_collection_break_is_marked_on_the_evolution_chart(fiche_across_the_break):
    assert fiche_across_the_break.evolution.break_inside
    stream = io.BytesIO()
    build_deck(fiche_across_the_break).save(stream)
    slide = slide_titled(Presentation(io.BytesIO(stream.getvalue())), deck_text.DECK_EVOLUTION_TITLE)
    graphic = next(s for s in slide.shapes if s.has_chart)
    categories = list(graphic.chart.plots[0].categories)
    index = break_boundary(categories)
    assert categories[index] == "2022 T1" and categories[index - 1] == "2021 T4"
    line = next(s for s in slide.shapes if s.name == deck_text.EVOLUTION_BREAK_LINE_NAME)
    px, py, pw, ph = EVOLUTION_PLOT
    expected = graphic.left + graphic.width * (px + pw * index / len(categories))
    assert abs(line.begin_x - expected) <= 1 and line.begin_x == line.end_x
    assert line.begin_y < line.end_y <= graphic.top + graphic.height
    label = next(s for s in slide.shapes if s.name == deck_text.EVOLUTION_BREAK_LABEL_NAME)
    assert label.text_frame.text == deck_text.EVOLUTION_BREAK_LABEL
    xml = graphic.chart.element.xml
    assert '<c:layoutTarget val="inner"/>' in xml and '<c:crossBetween val="between"/>' in xml
    assert model_text.EMEBI_BREAK_CAVEAT in all_text(slide)  # the side panel says it in words


def test_no_break_mark_when_the_years_follow_it(deck_23):
    names = {s.name for s in slide_titled(deck_23, deck_text.DECK_EVOLUTION_TITLE).shapes}
    assert deck_text.EVOLUTION_BREAK_LINE_NAME not in names and deck_text.EVOLUTION_BREAK_LABEL_NAME not in names
