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


def _labelled_chart(partners, label):
    """A butterfly's chart (imports negative, exports) on a blank slide, its values labelled by `label`."""
    import datetime as dt

    from pptx import Presentation

    from fichex.render.pptx_internals import FixedDateChartData

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = FixedDateChartData(dt.datetime(2025, 3, 1), number_format="#,##0.0")
    data.categories = [p.nom for p in partners]
    data.add_series("Importations", [-p.imports_eur / 1e6 for p in partners])
    data.add_series("Exportations", [p.exports_eur / 1e6 for p in partners])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, 4_000_000, 3_000_000, data).chart
    label(chart, chart.plots[0], partners)
    return chart.part.blob


def _labelled_by_python_pptx(chart, plot, partners):
    """The labels through python-pptx's API, one point at a time: what partners._label_values writes at once."""
    from lxml import etree
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_LABEL_POSITION
    from pptx.util import Pt

    from fichex.aggregation.model import EXPORT, IMPORT
    from fichex.render.pptx import partners as partners_slide

    for series, flow in zip(plot.series, (IMPORT, EXPORT)):
        for index, (point, partner) in enumerate(zip(series.points, partners)):
            if numbers_text.rounds_to_zero(partner.value(flow)):
                d_lbls = series._element.get_or_add_dLbls()
                d_lbls.insert(0, etree.fromstring(
                    f'<c:dLbl xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:idx val="{index}"/>'
                    '<c:delete val="1"/></c:dLbl>'))
                continue
            label = point.data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            tf = label.text_frame
            tf.text = numbers_text.format_meur(partner.value(flow))
            font = tf.paragraphs[0].runs[0].font
            font.size = Pt(partners_slide.BUTTERFLY_VALUE_PT)
            font.color.rgb = RGBColor.from_string(theme.TEXT)


def test_value_labels_are_the_ones_python_pptx_makes():
    """Written at once, the labels are python-pptx's, in its order: hidden ones (a value that rounds to zero)
    between, before and after shown ones, on both sides."""
    from fichex.aggregation.model import PartnerTrade
    from fichex.render.pptx import partners as partners_slide

    values = [(12.3e6, 0.01e6), (0.0, 4.56e6), (1_109.1e6, 2e3), (7e6, 8e6), (0.04e6, 0.0), (3.3e6, 0.2e6)]
    partners = [PartnerTrade(f"P{i}", f"Pays {i}", "UE", exports, imports) for i, (exports, imports) in enumerate(values)]
    written = _labelled_chart(partners, partners_slide._label_values)
    assert written == _labelled_chart(partners, _labelled_by_python_pptx)
    assert written.count(b"<c:delete val=\"1\"/></c:dLbl>") == 5
    assert numbers_text.format_meur(1_109.1e6).encode() in written
