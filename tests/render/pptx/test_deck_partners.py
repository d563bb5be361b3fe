"""The partners slide (render/pptx/partners.py): butterfly chart values equal to the aggregate, balances
coloured by sign, alternative text, nothing shown as « -0.0 », codes naming no country set apart."""

from __future__ import annotations

import pytest
from pptx.enum.chart import XL_CHART_TYPE

from conftest import all_text, slide_titled
from fichex.wording import deck as deck_text, numbers as numbers_text
from fichex.render import theme
from fichex.render.pptx import build_deck


def descr(shape) -> str:
    return shape.element.xpath("./*[1]/p:cNvPr")[0].get("descr") or ""


def butterfly(prs):
    frames = [s for s in slide_titled(prs, deck_text.DECK_PARTNERS_TITLE).shapes if s.has_chart]
    assert len(frames) == 1
    return frames[0]


def test_butterfly_chart_equals_aggregate(deck_23, fiche_23):
    chart = butterfly(deck_23).chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert chart.plots[0].overlap == 100
    assert chart.plots[0].vary_by_categories is False
    assert chart.has_title is False
    partners = fiche_23.main_partners
    assert list(chart.plots[0].categories) == [p.nom for p in partners]
    imports, exports = chart.plots[0].series
    assert imports.name == "Importations" and exports.name == "Exportations"
    assert imports.values == pytest.approx([-p.imports_eur / 1e6 for p in partners])
    assert exports.values == pytest.approx([p.exports_eur / 1e6 for p in partners])
    xml = chart.element.xml
    assert f'<a:srgbClr val="{theme.IMPORT}"/>' in xml and f'<a:srgbClr val="{theme.EXPORT}"/>' in xml
    labels = [point.data_label.text_frame.text for point in imports.points]
    assert labels == [numbers_text.format_meur(p.imports_eur) for p in partners]  # shown without minus sign


def test_butterfly_balances_red_or_green(deck_23, fiche_23):
    slide = slide_titled(deck_23, deck_text.DECK_PARTNERS_TITLE)
    boxes = {s.name: s for s in slide.shapes if s.name.startswith("Solde – ")}
    assert len(boxes) == len(fiche_23.main_partners)
    for partner in fiche_23.main_partners:
        run = boxes[f"Solde – {partner.nom}"].text_frame.paragraphs[0].runs[0]
        expected = numbers_text.format_meur(partner.balance_eur)
        assert run.text.lstrip("+") == expected
        colour = theme.POSITIVE if partner.balance_eur > 0 else theme.NEGATIVE
        assert str(run.font.color.rgb) == colour


def test_butterfly_alt_text_has_every_figure(deck_23, fiche_23):
    alt = descr(butterfly(deck_23))
    for partner in fiche_23.main_partners:
        assert f"{partner.nom} : importations {numbers_text.format_meur(partner.imports_eur)}" in alt


def test_no_minus_zero_and_no_label_for_what_rounds_to_zero(builder):
    fiche = builder.build("976", 2024)
    prs = build_deck(fiche)
    chart = butterfly(prs).chart
    tiny = [(series_index, i) for series_index, flow in enumerate(("I", "E"))
            for i, p in enumerate(fiche.main_partners) if numbers_text.rounds_to_zero(p.value(flow))]
    assert tiny, "the Mayotte demo fiche has a partner with no imports: the case under test"
    xml = chart.element.xml
    for series_index, i in tiny:
        series = chart.plots[0].series[series_index]
        deleted = series._element.xpath(f"./c:dLbls/c:dLbl[c:idx/@val='{i}']/c:delete/@val")
        assert deleted == ["1"]
    assert "<a:t>0.0</a:t>" not in xml and "<a:t>-0.0</a:t>" not in xml
    for slide in prs.slides:
        assert "-0.0" not in all_text(slide)


def test_codes_that_name_no_country_are_left_out_with_a_line(builder):
    fiche = builder.build("976", 2024)
    assert fiche.unallocated_partners
    assert all(p.country for p in fiche.main_partners)
    text = all_text(slide_titled(build_deck(fiche), deck_text.DECK_PARTNERS_TITLE))
    for partner in fiche.unallocated_partners:
        assert partner.nom in text
    assert "Hors pays" in text
