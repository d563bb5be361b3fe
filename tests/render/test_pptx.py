"""The PowerPoint deck, reopened with python-pptx: slides, butterfly chart values, drawings, alt text, notes."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from fichex import texts
from fichex.errors import TemplateError
from fichex.resources import default_template_path
from fichex.render import theme
from fichex.render.pptx import write_deck

# Slide indices (0-based) of the deck's slides.
SUMMARY, MAP, PARTNERS, EXPOSURE, ACTIVITIES, FLOWS_E, COMPARE_E, FLOWS_I, COMPARE_I, EVOLUTION = range(4, 14)
EXPECTED_TITLES = [
    texts.COVER_TITLE,
    texts.DECK_INTRO_TITLE,
    texts.DECK_CONTEXT_TITLE,
    texts.DECK_CAVEATS_TITLE,
    texts.DECK_SUMMARY_TITLE,
    texts.DECK_MAP_TITLE,
    texts.DECK_PARTNERS_TITLE,
    texts.EXPOSURE_TITLE,
    texts.DECK_ACTIVITIES_TITLE,
    texts.DECK_FLOW_TITLES["E"],
    texts.DECK_COMPARISON_TITLES["E"],
    texts.DECK_FLOW_TITLES["I"],
    texts.DECK_COMPARISON_TITLES["I"],
    texts.DECK_EVOLUTION_TITLE,
    texts.DECK_PRACTICAL_TITLE,
]


@pytest.fixture(scope="module")
def deck_path(fiche_23, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("deck") / "fiche_23.pptx"
    write_deck(fiche_23, path)
    return path


@pytest.fixture(scope="module")
def prs(deck_path):
    return Presentation(str(deck_path))


def all_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in iter_shapes(slide.shapes) if shape.has_text_frame)


def iter_shapes(shapes):
    for shape in shapes:
        yield shape
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from iter_shapes(shape.shapes)


def descr(shape) -> str:
    return shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr") or ""


def groups(slide):
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP]


def butterfly(prs):
    frames = [s for s in prs.slides[PARTNERS].shapes if s.has_chart]
    assert len(frames) == 1
    return frames[0]


def test_slides_and_titles(prs):
    assert len(prs.slides) == len(EXPECTED_TITLES)
    assert [slide.shapes.title.text_frame.text for slide in prs.slides] == EXPECTED_TITLES
    assert prs.slide_width * 9 == prs.slide_height * 16


def test_layouts_used(prs):
    assert [slide.slide_layout.name for slide in prs.slides] == [
        "Couverture", "Titre et texte", "Titre et texte", "Titre et texte", "Titre et texte", "Graphique",
        "Graphique", "Graphique", "Graphique", "Graphique",
        "Deux graphiques", "Graphique", "Deux graphiques", "Graphique", "Contact"]


def test_cover(prs, fiche_23):
    text = all_text(prs.slides[0])
    assert texts.cover_subtitle("Creuse") in text
    assert str(fiche_23.year) in text
    for name in fiche_23.territoires_industrie:
        assert name in text


def test_butterfly_chart_equals_aggregate(prs, fiche_23):
    chart = butterfly(prs).chart
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
    xml = chart._chartSpace.xml
    assert f'<a:srgbClr val="{theme.IMPORT}"/>' in xml and f'<a:srgbClr val="{theme.EXPORT}"/>' in xml
    labels = [point.data_label.text_frame.text for point in imports.points]
    assert labels == [texts.format_meur_fixed(p.imports_eur) for p in partners]  # shown without minus sign


def test_butterfly_balances_red_or_green(prs, fiche_23):
    slide = prs.slides[PARTNERS]
    boxes = {s.name: s for s in slide.shapes if s.name.startswith("Solde – ")}
    assert len(boxes) == len(fiche_23.main_partners)
    for partner in fiche_23.main_partners:
        run = boxes[f"Solde – {partner.nom}"].text_frame.paragraphs[0].runs[0]
        expected = texts.format_meur_fixed(partner.balance_eur)
        assert run.text.lstrip("+") == expected
        colour = theme.POSITIVE if partner.balance_eur > 0 else theme.NEGATIVE
        assert str(run.font.color.rgb) == colour


def test_treemap_present(prs):
    found = groups(prs.slides[ACTIVITIES])
    assert [g.name for g in found] == [texts.DECK_TREEMAP_NAME]
    assert len(found[0].shapes) > 3


@pytest.mark.parametrize("slide_index, scopes", [(FLOWS_E, ("local",)), (COMPARE_E, ("region_summary", "france_summary")),
                                                 (FLOWS_I, ("local",)), (COMPARE_I, ("region_summary", "france_summary"))])
def test_sankeys_ribbons(prs, fiche_23, slide_index, scopes):
    flow = "E" if slide_index in (FLOWS_E, COMPARE_E) else "I"
    found = groups(prs.slides[slide_index])
    assert len(found) == len(scopes)
    for group, scope in zip(found, scopes):
        summary = getattr(fiche_23, scope)
        matrix = summary.export_flows if flow == "E" else summary.import_flows
        ribbons = [s for s in group.shapes if s.name.startswith("Flux ")]
        assert len(ribbons) == len(matrix.links())
        red = [s for s in ribbons if f'<a:srgbClr val="{theme.HIGHLIGHT}"' in s._element.xml]
        assert 0 < len(red) <= 5


def test_headlines_equal_aggregate(prs, fiche_23):
    for slide_index, flow in ((FLOWS_E, "E"), (FLOWS_I, "I")):
        text = all_text(prs.slides[slide_index])
        for line in texts.headline_lines(fiche_23, flow):
            assert line in text
    comparison = all_text(prs.slides[COMPARE_E])
    assert texts.total_line("E", fiche_23.region_summary.exports_eur) in comparison
    assert texts.total_line("E", fiche_23.france_summary.exports_eur) in comparison
    assert texts.total_line("E", fiche_23.exports.region_total_eur) in comparison


def test_alt_text_on_every_chart_and_drawing(prs):
    count = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart or shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                assert len(descr(shape)) > 40, shape.name
                count += 1
    assert count == 1 + 1 + 1 + 1 + 1 + 2 + 1 + 2 + 1  # map, butterfly, exposure, treemap, Sankeys, evolution


def test_butterfly_alt_text_has_every_figure(prs, fiche_23):
    alt = descr(butterfly(prs))
    for partner in fiche_23.main_partners:
        assert f"{partner.nom} : importations {texts.format_meur_fixed(partner.imports_eur)}" in alt


def notes_of(prs) -> list[str]:
    return [slide.notes_slide.notes_text_frame.text for slide in prs.slides]


def test_notes_on_every_slide_each_its_own(prs, fiche_23):
    notes = notes_of(prs)
    assert all(len(text) > 80 for text in notes)
    # no paragraph pasted on several slides (the demonstration warning and the key figures aside)
    shared = {texts.DEMO_WARNING + "."}
    paragraphs = [p for text in notes for p in text.split("\n\n") if p not in shared and not p.startswith("En chiffres")]
    assert len(paragraphs) == len(set(paragraphs))
    assert texts.PARTNERS_KEY in notes[PARTNERS]
    assert texts.CAVEATS[0] in notes[SUMMARY - 1]


def test_summary_slide_says_the_commentary_after_the_caveats(prs, fiche_23):
    slide = prs.slides[SUMMARY]
    body = [p.text for s in slide.placeholders if s.placeholder_format.idx != 0 for p in s.text_frame.paragraphs]
    assert body == texts.commentary(fiche_23)
    notes = slide.notes_slide.notes_text_frame.text
    assert all(sentence in notes for sentence in texts.commentary(fiche_23))


def test_notes_carry_the_territory_figures(prs, fiche_23):
    notes = notes_of(prs)
    first_client = max(fiche_23.main_partners, key=lambda p: p.exports_eur)
    assert f"Premier client : {first_client.nom} ({texts.meur_label(first_client.exports_eur)})" in notes[PARTNERS]
    assert texts.rank_line("E", fiche_23.exports) in notes[0]
    assert texts.rank_line("I", fiche_23.imports) in notes[FLOWS_I]
    first_product = fiche_23.local.top_activities("E")[0]
    assert f"Première activité exportée : {first_product.libelle_court}" in notes[ACTIVITIES]
    assert fiche_23.france_summary.territory.nom not in notes[COMPARE_E] or "France entière" in notes[COMPARE_E]
    assert texts.meur_label(fiche_23.france_summary.total("E")) in notes[COMPARE_E]
    # Creuse: no port, no overseas, not Paris: none of their caveats
    assert not any(texts.NOTES_DROM in text or "hydrocarbures (pétrole brut" in text for text in notes)


@pytest.mark.parametrize("code, caveat", [("13", "hydrocarbures (pétrole brut"), ("976", texts.NOTES_DROM),
                                          ("75", texts.PARIS_ENERGY_CAVEAT)])
def test_notes_say_the_caveat_that_applies_here(builder, code, caveat):
    from fichex.render.pptx import build_deck

    prs = build_deck(builder.build(code, 2024))
    assert caveat in notes_of(prs)[FLOWS_I]


def test_demo_warning_on_every_slide(prs):
    for slide in prs.slides:
        assert texts.DEMO_WARNING in all_text(slide)


def test_no_empty_placeholder(prs):
    for slide in prs.slides:
        for placeholder in slide.placeholders:
            assert placeholder.has_text_frame and placeholder.text_frame.text.strip(), placeholder.name


def test_no_demo_banner_for_real_data(fiche_23, tmp_path):
    real = dataclasses.replace(fiche_23, data=dataclasses.replace(fiche_23.data, demonstration=False))
    path = tmp_path / "reel.pptx"
    write_deck(real, path)
    for slide in Presentation(str(path)).slides:
        assert texts.DEMO_WARNING not in all_text(slide)


def test_potx_template(fiche_23, tmp_path):
    potx = tmp_path / "marque.potx"
    with zipfile.ZipFile(default_template_path()) as zin, zipfile.ZipFile(potx, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            zout.writestr(info, data)
    out = tmp_path / "depuis_potx.pptx"
    write_deck(fiche_23, out, template=potx)
    assert len(Presentation(str(out)).slides) == len(EXPECTED_TITLES)


def test_template_slides_are_dropped(fiche_23, tmp_path):
    branded = Presentation(str(default_template_path()))
    branded.slides.add_slide(branded.slide_layouts[0])
    path = tmp_path / "avec_diapo.pptx"
    branded.save(str(path))
    out = tmp_path / "deck.pptx"
    write_deck(fiche_23, out, template=path)
    assert len(Presentation(str(out)).slides) == len(EXPECTED_TITLES)


def test_template_missing_layout(fiche_23, tmp_path):
    branded = Presentation(str(default_template_path()))
    branded.slide_layouts[3]._element.cSld.set("name", "Autre")
    path = tmp_path / "incomplet.pptx"
    branded.save(str(path))
    out = tmp_path / "deck.pptx"
    with pytest.raises(TemplateError, match="Graphique"):
        write_deck(fiche_23, out, template=path)
    assert not out.exists()
    assert list(tmp_path.glob(".deck.pptx.*")) == []


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_deck(deck_path, tmp_path):
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(deck_path)],
        capture_output=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "fiche_23.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000


def test_shape_ids_unique_per_slide(prs):
    # Duplicate ids make PowerPoint offer to « repair » the file.
    for slide in prs.slides:
        ids = slide.shapes._spTree.xpath(".//p:cNvPr/@id")
        assert len(ids) == len(set(ids))


def test_deck_parts_are_deterministic(fiche_23, deck_path, tmp_path):
    again = tmp_path / "encore.pptx"
    write_deck(fiche_23, again)
    with zipfile.ZipFile(deck_path) as one, zipfile.ZipFile(again) as two:
        assert one.namelist() == two.namelist()
        for name in one.namelist():
            assert one.read(name) == two.read(name), name


def test_single_departement_region_shows_one_comparison_sankey(tmp_path, builder):
    from pptx import Presentation
    from pptx.shapes.group import GroupShape

    from fichex import texts
    from fichex.render.pptx import write_deck

    fiche = builder.build("974", 2024)
    assert fiche.single_departement_region
    path = tmp_path / "974.pptx"
    write_deck(fiche, path)
    deck = Presentation(str(path))
    for index in (COMPARE_E, COMPARE_I):  # région and France
        slide = deck.slides[index]
        groups = [s for s in slide.shapes if isinstance(s, GroupShape)]
        assert len(groups) == 1
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert texts.single_departement_region_note("La Réunion") in text


def test_decks_are_byte_identical_across_builds(fiche_23, tmp_path):
    import time
    import zipfile

    write_deck(fiche_23, tmp_path / "a.pptx")
    time.sleep(2.1)  # ZIP dates have a two-second resolution: a clock date would differ
    write_deck(fiche_23, tmp_path / "b.pptx")
    assert (tmp_path / "a.pptx").read_bytes() == (tmp_path / "b.pptx").read_bytes()
    dates = {info.date_time for info in zipfile.ZipFile(tmp_path / "a.pptx").infolist()}
    assert dates == {(fiche_23.document_date.year, fiche_23.document_date.month, fiche_23.document_date.day, 0, 0, 0)}


def test_the_package_meets_the_standard_where_python_pptx_falls_short(fiche_23, tmp_path):
    import re
    import zipfile

    from fichex import texts

    write_deck(fiche_23, tmp_path / "d.pptx")
    with zipfile.ZipFile(tmp_path / "d.pptx") as package:
        charts = [package.read(n) for n in package.namelist() if n.startswith("ppt/charts/") and n.endswith(".xml")]
        presentation = package.read("ppt/presentation.xml")
        rels = package.read("ppt/_rels/presentation.xml.rels")
        app = package.read("docProps/app.xml")
        core = package.read("docProps/core.xml").decode()
    ids = [int(v) for chart in charts for v in re.findall(rb'<c:(?:axId|crossAx) val="(-?\d+)"', chart)]
    assert charts and ids and all(0 <= v < 2**32 for v in ids)
    for chart in charts:  # every axis still crosses an axis of its chart
        assert set(re.findall(rb'<c:crossAx val="(\d+)"', chart)) <= set(re.findall(rb'<c:axId val="(\d+)"', chart))
    (rid,) = re.findall(rb'<p:notesMasterId r:id="(rId\d+)"/>', presentation)
    assert re.search(rb'Id="' + rid + rb'"[^>]*notesMaster', rels) or re.search(rb'notesMaster[^>]*Id="' + rid, rels)
    assert presentation.index(b"</p:sldMasterIdLst>") < presentation.index(b"<p:notesMasterIdLst>") \
        < presentation.index(b"<p:sldIdLst>")
    assert f"<Slides>{len(EXPECTED_TITLES)}</Slides>".encode() in app
    assert f"<dc:description>{texts.DEMO_WARNING}</dc:description>" in core


def test_no_minus_zero_and_no_label_for_what_rounds_to_zero(builder):
    from fichex.render.pptx import build_deck

    fiche = builder.build("976", 2024)
    prs = build_deck(fiche)
    chart = butterfly(prs).chart
    tiny = [(series_index, i) for series_index, flow in enumerate(("I", "E"))
            for i, p in enumerate(fiche.main_partners) if texts.format_meur_fixed(p.value(flow)) == "0.0"]
    assert tiny, "the Mayotte demo fiche has a partner with no imports: the case under test"
    xml = chart._chartSpace.xml
    for series_index, i in tiny:
        series = chart.plots[0].series[series_index]
        deleted = series._element.xpath(f"./c:dLbls/c:dLbl[c:idx/@val='{i}']/c:delete/@val")
        assert deleted == ["1"]
    assert "<a:t>0.0</a:t>" not in xml and "<a:t>-0.0</a:t>" not in xml
    for slide in prs.slides:
        assert "-0.0" not in all_text(slide)


def test_codes_that_name_no_country_are_left_out_with_a_line(builder):
    from fichex.render.pptx import build_deck

    fiche = builder.build("976", 2024)
    assert fiche.unallocated_partners
    assert all(p.country for p in fiche.main_partners)
    text = all_text(build_deck(fiche).slides[PARTNERS])
    for partner in fiche.unallocated_partners:
        assert partner.nom in text
    assert "Hors pays" in text


def test_evolution_chart_holds_every_quarter(prs, fiche_23):
    charts = [s for s in prs.slides[EVOLUTION].shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    quarters = fiche_23.evolution.quarters
    assert list(chart.plots[0].categories) == [texts.quarter_label(q.year, q.quarter) for q in quarters]
    exports, imports = chart.plots[0].series
    assert exports.values == pytest.approx([q.exports_eur / 1e6 for q in quarters])
    assert imports.values == pytest.approx([q.imports_eur / 1e6 for q in quarters])
    text = all_text(prs.slides[EVOLUTION])
    for year in fiche_23.evolution.years:
        assert texts.evolution_year_line(year.year, year.quarters, year.exports_eur, year.imports_eur,
                                         year.exports_growth_pct, year.imports_growth_pct) in text


def test_exposure_slide_chart_values_equal_the_aggregate(prs, fiche_23):
    from pptx.enum.chart import XL_CHART_TYPE

    slide = prs.slides[EXPOSURE]
    charts = [s for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(chart.plots[0].categories) == list(texts.EXPOSURE_CHART_CATEGORIES)
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
    assert texts.exposure_rank_line(exposure.us_rank, exposure.n_ranked, exposure.local_exports.us_pct) in text
    assert texts.exposure_dependence_line(exposure.n_dependent, len(exposure.import_dependences)) in text
    notes = slide.notes_slide.notes_text_frame.text
    assert "Horizontal Merger Guidelines" in notes and exposure.us_products[0].libelle in notes


def test_exposure_slide_of_a_single_departement_region_has_no_region_series(builder):
    from fichex.render.pptx import build_deck

    fiche = builder.build("971", 2024)
    slide = build_deck(fiche).slides[EXPOSURE]
    chart = next(s for s in slide.shapes if s.has_chart).chart
    assert [s.name for s in chart.series] == ["Département", "France"]


def test_the_collection_break_is_marked_on_the_evolution_chart(fiche_across_the_break):
    from fichex.render.pptx import EVOLUTION_PLOT, break_boundary, build_deck

    assert fiche_across_the_break.evolution.break_inside
    stream = io.BytesIO()
    build_deck(fiche_across_the_break).save(stream)
    slide = Presentation(io.BytesIO(stream.getvalue())).slides[EVOLUTION]
    graphic = next(s for s in slide.shapes if s.has_chart)
    categories = list(graphic.chart.plots[0].categories)
    index = break_boundary(categories)
    assert categories[index] == "2022 T1" and categories[index - 1] == "2021 T4"
    line = next(s for s in slide.shapes if s.name == texts.EVOLUTION_BREAK_LINE_NAME)
    px, py, pw, ph = EVOLUTION_PLOT
    expected = graphic.left + graphic.width * (px + pw * index / len(categories))
    assert abs(line.begin_x - expected) <= 1 and line.begin_x == line.end_x
    assert line.begin_y < line.end_y <= graphic.top + graphic.height
    label = next(s for s in slide.shapes if s.name == texts.EVOLUTION_BREAK_LABEL_NAME)
    assert label.text_frame.text == texts.EVOLUTION_BREAK_LABEL
    xml = graphic.chart.element.xml
    assert '<c:layoutTarget val="inner"/>' in xml and '<c:crossBetween val="between"/>' in xml
    assert texts.EMEBI_BREAK_CAVEAT in all_text(slide)  # the side panel says it in words


def test_no_break_mark_when_the_years_follow_it(prs):
    names = {s.name for s in prs.slides[EVOLUTION].shapes}
    assert texts.EVOLUTION_BREAK_LINE_NAME not in names and texts.EVOLUTION_BREAK_LABEL_NAME not in names
