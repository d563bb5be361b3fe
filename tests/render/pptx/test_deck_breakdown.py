"""The breakdown slide (render/pptx/breakdown.py): a région's départements, bars equal to the aggregate."""

from __future__ import annotations

import pytest

from pptx import Presentation

from conftest import all_text, slide_titled
from fichex.wording import levels as levels_text
from fichex.render.pptx.breakdown import breakdown_lines


def test_region_deck_breaks_its_exports_down_by_departement(fiche_r75, level_documents):
    fiche = fiche_r75
    assert fiche.breakdown
    slide = slide_titled(Presentation(level_documents["r75.pptx"]), levels_text.BREAKDOWN_TITLE["region"])
    chart = next(s for s in slide.shapes if s.has_chart).chart
    shown = list(reversed(fiche.breakdown))
    assert list(chart.plots[0].categories) == [part.nom for part in shown]
    exports, imports = chart.plots[0].series
    assert exports.values == pytest.approx([part.exports_eur / 1e6 for part in shown])
    assert imports.values == pytest.approx([part.imports_eur / 1e6 for part in shown])
    text = all_text(slide)
    assert all(line in text for line in breakdown_lines(fiche))


def test_a_departement_deck_has_no_breakdown(deck_23):
    titles = {slide.shapes.title.text_frame.text for slide in deck_23.slides}
    assert not titles & set(levels_text.BREAKDOWN_TITLE.values())
