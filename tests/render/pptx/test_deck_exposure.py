"""The exposure slide (render/pptx/exposure.py): the chart's shares equal to the aggregate, the side panel's
figures, the région left out where it is the département itself."""

from __future__ import annotations

import pytest
from pptx.enum.chart import XL_CHART_TYPE

from conftest import all_text, slide_notes, slide_titled
from fichex.wording import deck as deck_text
from fichex.wording.places import place_of
from fichex.render.pptx import build_deck


def test_exposure_slide_chart_values_equal_the_aggregate(deck_23, fiche_23):
    slide = slide_titled(deck_23, deck_text.EXPOSURE_TITLE)
    charts = [s for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(chart.plots[0].categories) == list(deck_text.EXPOSURE_CHART_CATEGORIES)
    exposure = fiche_23.exposure
    expected = {"Département": "departement", "Région": "region", "France": "france"}
    assert [s.name for s in chart.series] == list(expected)
    for series in chart.series:
        level = expected[series.name]
        e, i = exposure.flow(level, "E"), exposure.flow(level, "I")
        wanted = [e.us_pct, e.china_pct, e.eu27_pct, e.first_partner_pct,
                  i.us_pct, i.china_pct, i.eu27_pct, i.first_partner_pct]
        assert list(series.values) == pytest.approx(wanted)
    text = all_text(slide)
    assert deck_text.exposure_rank_line(exposure.us_rank, exposure.n_ranked, exposure.local_exports.us_pct,
                                        place_of(fiche_23)) in text
    assert deck_text.exposure_dependence_line(exposure.n_dependent, len(exposure.import_dependences)) in text
    notes = slide_notes(slide)
    assert "Horizontal Merger Guidelines" in notes and exposure.us_products[0].libelle in notes


def test_exposure_slide_of_a_single_departement_region_has_no_region_series(builder):
    fiche = builder.build("971", 2024)
    slide = slide_titled(build_deck(fiche), deck_text.EXPOSURE_TITLE)
    chart = next(s for s in slide.shapes if s.has_chart).chart
    assert [s.name for s in chart.series] == ["Département", "France"]


def test_the_panel_says_when_the_first_client_bars_compare_different_countries(deck_23, fiche_23):
    text = all_text(slide_titled(deck_23, deck_text.EXPOSURE_TITLE))
    firsts = {fiche_23.exposure.flow(level, "E").first_partner_name for level in ("departement", "region", "france")}
    assert (len(firsts) > 1) == ("comparent des pays différents" in text)
    assert deck_text.EXPOSURE_HHI_KEY in text
    assert deck_text.exposure_first_partners_note([("A", "Italie"), ("B", "Italie")]) == ""
