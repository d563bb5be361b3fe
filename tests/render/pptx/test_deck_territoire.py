"""A Territoire d'industrie's deck (render/pptx/territoire.py): reopened with python-pptx, its figures equal
to the départements' fiches, each département's pages in code order, checked for overflow."""

from __future__ import annotations

import pytest
from ooxml_integrity.pptx_checks import check_pptx
from pptx import Presentation

from conftest import MULTI_TI as MULTI, all_text, slide_title, slide_titled, ti_label  # MULTI: 25, 70, 90
from fichex import api
from fichex.wording import (commentary as commentary_text, deck as deck_text, grammar as grammar_text, model_text,
                            numbers as numbers_text, specialisation as specialisation_text,
                            territoire as territoire_text)
from fichex.aggregation.territoire import departement_figures
from fichex.render.pptx.territoire import comparison_values, write_territoire_deck

BLOCKING = {"error", "warn"}
title = slide_title


def figure_titles(fiche, compared: bool = True) -> list[str]:
    """The titles of one département's figure pages (render/pptx/__init__.py `add_figure_pages`), the
    comparisons with the région and France only where `compared`."""
    titles = [deck_text.DECK_MAP_TITLE, deck_text.DECK_PARTNERS_TITLE]
    titles += [deck_text.EXPOSURE_TITLE] if fiche.exposure is not None else []
    titles += [specialisation_text.SPECIALISATION_TITLE] if fiche.specialisation is not None else []
    titles += [deck_text.DECK_ACTIVITIES_TITLE]
    for flow in ("E", "I"):
        titles += [deck_text.DECK_FLOW_TITLES[flow]] + ([deck_text.DECK_COMPARISON_TITLES[flow]] if compared else [])
    evolution = fiche.evolution
    if evolution is not None and (len(evolution.years) >= 2 or len(evolution.quarters) >= 2):
        titles.append(deck_text.DECK_EVOLUTION_TITLE)
    return titles


@pytest.fixture(scope="module")
def prs(ti_documents):
    return Presentation(str(ti_documents["pptx"]))


def test_deck_holds_each_departement_pages_in_code_order(prs, ti_fiches):
    _, fiches = ti_fiches
    expected = [model_text.COVER_TITLE, deck_text.DECK_INTRO_TITLE, deck_text.DECK_CONTEXT_TITLE, deck_text.DECK_CAVEATS_TITLE,
                territoire_text.TI_COMPARISON_TITLE]
    regions = set()
    for fiche in fiches:  # the région's and France's flows once per région (25, 70, 90: all Bourgogne-Franche-Comté)
        pages = [deck_text.DECK_SUMMARY_TITLE, *figure_titles(fiche, fiche.region.code not in regions)]
        expected += [ti_label(fiche), *(deck_text.page_title(page, ti_label(fiche)) for page in pages)]
        regions.add(fiche.region.code)
    expected.append(deck_text.DECK_PRACTICAL_TITLE)
    assert [title(s) for s in prs.slides] == expected
    sections = [s for s in prs.slides if s.slide_layout.name == "Section"]
    assert [title(s) for s in sections] == ["Doubs (25)", "Haute-Saône (70)", "Territoire de Belfort (90)"]


def test_each_departement_pages_are_its_own(prs, ti_fiches):
    _, fiches = ti_fiches
    slides = list(prs.slides)
    for fiche in fiches:
        start = [title(s) for s in slides].index(ti_label(fiche))
        assert title(slides[start + 1]) == deck_text.page_title(deck_text.DECK_SUMMARY_TITLE, ti_label(fiche))
        assert commentary_text.commentary(fiche)[0] in all_text(slides[start + 1])
        partners = slides[start + 3]
        assert title(partners) == deck_text.page_title(deck_text.DECK_PARTNERS_TITLE, ti_label(fiche))
        assert deck_text.deck_butterfly_title(fiche.territory.nom, grammar_text.period(fiche)) in all_text(partners)
        section = all_text(slides[start])
        assert territoire_text.ti_section_figures(fiche.exports.total_eur, fiche.imports.total_eur, fiche.balance_eur) in section


def test_cover_names_the_territory_its_departements_and_says_figures_are_departemental(prs, ti_fiches):
    name, fiches = ti_fiches
    slide = slide_titled(prs, model_text.COVER_TITLE)
    assert slide.slide_layout.name == "Couverture"
    text = all_text(slide)
    assert territoire_text.ti_cover_subtitle(name) in text
    assert territoire_text.TI_DEPARTEMENTAL_FIGURES in text
    for fiche in fiches:
        assert territoire_text.ti_departement_line(fiche.territory.nom, fiche.territory.code, fiche.region.nom) in text


def test_the_model_advice_on_interdepartmental_territories_is_set_out(prs):
    assert territoire_text.INTERDEPARTMENTAL_ADVICE in model_text.CAVEATS[-1]
    intro = slide_titled(prs, deck_text.DECK_INTRO_TITLE)
    runs = [r for p in intro.placeholders[1].text_frame.paragraphs for r in p.runs
            if r.text == territoire_text.INTERDEPARTMENTAL_ADVICE]
    assert len(runs) == 1 and runs[0].font.bold


def comparison_table(prs):
    slide = next(s for s in prs.slides if title(s) == territoire_text.TI_COMPARISON_TITLE)
    (frame,) = [s for s in slide.shapes if s.has_table]
    return slide, frame


def test_comparison_table_equals_the_fiches(prs, ti_fiches):
    _, fiches = ti_fiches
    slide, frame = comparison_table(prs)
    table = frame.table
    cells = [[table.cell(i, j).text_frame.text for j in range(len(table.columns))] for i in range(len(table.rows))]
    assert [row[0] for row in cells[1:]] == list(territoire_text.TI_COMPARISON_ROWS)
    for j, fiche in enumerate(fiches, 1):
        column = [row[j] for row in cells]
        assert column[0].startswith(ti_label(fiche)) and fiche.region.nom in column[0]
        assert column[1:] == comparison_values(departement_figures(fiche))
        # read back against the fiche itself, not only through the renderer's helper
        assert column[1] == numbers_text.meur(fiche.exports.total_eur)
        assert column[2] == numbers_text.meur(fiche.imports.total_eur)
        assert column[4] == numbers_text.format_pct(fiche.exports.share_of_region_pct, 1)
        assert column[6] == numbers_text.format_pct(fiche.exports.share_of_france_pct, 2)
        assert column[8] == territoire_text.ti_rank(fiche.exports.rank, fiche.exports.n_departements)
        client = next(p for p in fiche.local.top_partners_export if p.country)
        supplier = next(p for p in fiche.local.top_partners_import if p.country)
        assert column[10] == territoire_text.ti_partner(client.nom, client.exports_eur)
        assert column[11] == territoire_text.ti_partner(supplier.nom, supplier.imports_eur)
    assert frame._element.xpath("./*[1]/p:cNvPr")[0].get("descr").startswith("Tableau comparant")
    assert territoire_text.TI_DEPARTEMENTAL_FIGURES in all_text(slide)


def test_comparison_table_fits_its_slide(prs):
    _, frame = comparison_table(prs)
    assert frame.top + frame.height < prs.slide_height
    assert frame.left + frame.width <= prs.slide_width


def test_notes_and_demonstration_banner_on_every_slide(prs):
    for slide in prs.slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.strip(), title(slide)
        assert model_text.DEMO_WARNING in all_text(slide)
    cover_notes = slide_titled(prs, model_text.COVER_TITLE).notes_slide.notes_text_frame.text
    assert MULTI in cover_notes and territoire_text.TI_DEPARTEMENTAL_FIGURES in cover_notes


def test_properties_name_the_territory(prs, ti_fiches):
    name, fiches = ti_fiches
    assert prs.core_properties.title == deck_text.deck_title(name, grammar_text.period(fiches[0]))
    assert all(ti_label(f) in prs.core_properties.subject for f in fiches)


def test_deck_is_byte_identical_across_builds(ti_fiches, ti_documents, tmp_path):
    name, fiches = ti_fiches
    again = tmp_path / "again.pptx"
    write_territoire_deck(name, fiches, again)
    assert again.read_bytes() == ti_documents["pptx"].read_bytes()


def test_one_departement_territory_has_the_same_structure(demo_trade, tmp_path):
    name, fiches = api.territoire_fiches("Creuse Industrie", data=demo_trade)
    assert [f.territory.code for f in fiches] == ["23"]
    path = tmp_path / "creuse.pptx"
    write_territoire_deck(name, fiches, path)
    titles = [title(s) for s in Presentation(str(path)).slides]
    assert titles == [model_text.COVER_TITLE, deck_text.DECK_INTRO_TITLE, deck_text.DECK_CONTEXT_TITLE, deck_text.DECK_CAVEATS_TITLE,
                      territoire_text.TI_COMPARISON_TITLE, "Creuse (23)",
                      *(deck_text.page_title(page, "Creuse (23)")
                        for page in (deck_text.DECK_SUMMARY_TITLE, *figure_titles(fiches[0]))),
                      deck_text.DECK_PRACTICAL_TITLE]


def test_section_slides_fall_back_on_the_text_layout(ti_fiches, tmp_path, template_copy):
    """A branded template need not have the « Section » layout: the section slides use « Titre et texte »."""
    name, fiches = ti_fiches
    template = template_copy("sans-section.pptx", lambda part, data: data.replace(
        b'<p:cSld name="Section">', b'<p:cSld name="Autre">'))
    path = tmp_path / "deck.pptx"
    write_territoire_deck(name, fiches[:1], path, template=template)
    slide = slide_titled(Presentation(str(path)), ti_label(fiches[0]))
    assert title(slide) == ti_label(fiches[0]) and slide.slide_layout.name == "Titre et texte"


@pytest.mark.parametrize("name", [MULTI, "Alpes-de-Haute-Provence", "Pays de Bernay", "Creuse Industrie",
                                  "Pays Ajaccien", "Aa – Dunkerque – Flandre"])
def test_no_text_outside_its_box(name, demo_trade, tmp_path):
    """Four départements, the longest name, one département, Corse: the new slides' texts fit (the figure
    pages are checked for every département in test_deck_overflow.py)."""
    official, fiches = api.territoire_fiches(name, data=demo_trade)
    path = tmp_path / "ti.pptx"
    write_territoire_deck(official, fiches, path)
    problems = [f"{f.code} {f.message} ({f.where})" for f in check_pptx(path)
                if str(getattr(f.severity, "value", f.severity)).lower() in BLOCKING]
    assert not problems, "\n".join(problems)


def test_shape_ids_unique_per_slide(prs):
    for slide in prs.slides:
        ids = slide.shapes._spTree.xpath(".//p:cNvPr/@id")
        assert len(ids) == len(set(ids))


def test_shares_of_totals_held_in_part_are_flagged(ti_fiches, tmp_path):
    import dataclasses

    name, fiches = ti_fiches
    partial = [dataclasses.replace(f, exports=dataclasses.replace(f.exports, france_complete=False,
                                                                   departements_in_data=5, departements_total=101))
               for f in fiches]
    path = tmp_path / "partiel.pptx"
    write_territoire_deck(name, partial, path)
    slide, _ = comparison_table(Presentation(str(path)))
    assert model_text.partial_france(partial[0].exports) in all_text(slide)
    assert not [f for f in check_pptx(path) if str(getattr(f.severity, "value", f.severity)).lower() in BLOCKING]


def test_no_slide_repeats_the_same_comparison(prs, ti_fiches):
    """The région's and France's flows are the same for every département of a région: shown once, in the
    first département's pages; the later ones' sections say where (issue 23: 6 of 39 slides were copies)."""
    _, fiches = ti_fiches
    comparisons = [s for s in prs.slides if title(s).startswith(tuple(deck_text.DECK_COMPARISON_TITLES.values()))]
    assert len(comparisons) == 2 * len({f.region.code for f in fiches})
    first = ti_label(fiches[0])
    for fiche in fiches[1:]:
        section = slide_titled(prs, ti_label(fiche))
        line = territoire_text.ti_comparison_elsewhere(fiche.region.nom, first)
        assert line in all_text(section) and line in section.notes_slide.notes_text_frame.text
    assert territoire_text.ti_comparison_elsewhere(fiches[0].region.nom, first) not in all_text(slide_titled(prs, first))
