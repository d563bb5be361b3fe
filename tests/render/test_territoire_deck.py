"""A Territoire d'industrie's deck and workbook: reopened with python-pptx and openpyxl, their figures equal to
the départements' fiches, each département's pages in code order, checked for overflow, opened by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from ooxml_integrity.pptx_checks import check_pptx
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from fichex import api, texts
from fichex.aggregation.territoire import departement_figures
from fichex.data import reference
from fichex.render import territoire_deck, territoire_xlsx, xlsx
from fichex.render.territoire_deck import comparison_values, write_territoire_deck

MULTI = "Nord Franche-Comté"  # 25, 70, 90
BLOCKING = {"error", "warn"}


def figure_titles(fiche) -> list[str]:
    """The titles of one département's figure pages (render/pptx.py `_add_figure_pages`)."""
    titles = [texts.DECK_MAP_TITLE, texts.DECK_PARTNERS_TITLE]
    titles += [texts.EXPOSURE_TITLE] if fiche.exposure is not None else []
    titles += [texts.DECK_ACTIVITIES_TITLE]
    for flow in ("E", "I"):
        titles += [texts.DECK_FLOW_TITLES[flow], texts.DECK_COMPARISON_TITLES[flow]]
    evolution = fiche.evolution
    if evolution is not None and (len(evolution.years) >= 2 or len(evolution.quarters) >= 2):
        titles.append(texts.DECK_EVOLUTION_TITLE)
    return titles


def label(fiche) -> str:
    return texts.ti_departement_label(fiche.departement.nom, fiche.departement.code)


@pytest.fixture(scope="module")
def territory(demo_trade):
    return api.territoire_fiches(MULTI, data=demo_trade)


@pytest.fixture(scope="module")
def written(territory, demo_trade, tmp_path_factory):
    out = tmp_path_factory.mktemp("ti")
    return api.write_territoire(MULTI, out, data=demo_trade)


@pytest.fixture(scope="module")
def prs(written):
    return Presentation(str(written["pptx"]))


def all_text(slide) -> str:
    def shapes(items):
        for shape in items:
            yield shape
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                yield from shapes(shape.shapes)
    return "\n".join(s.text_frame.text for s in shapes(slide.shapes) if s.has_text_frame)


def title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


# --------------------------------------------------------------------------------------------------------
# Library API
# --------------------------------------------------------------------------------------------------------
def test_fiches_of_a_territory_in_code_order(territory, demo_trade):
    name, fiches = territory
    assert name == MULTI
    assert [f.departement.code for f in fiches] == ["25", "70", "90"] == reference.territoire(MULTI)[1]
    assert {f.year for f in fiches} == {demo_trade.default_year}


def test_a_territory_in_corse_reads_the_fiche_20(demo_trade, monkeypatch):
    name, fiches = api.territoire_fiches("Pays Ajaccien", data=demo_trade)
    assert reference.territoire(name)[1] == ["2A"]
    assert [f.departement.code for f in fiches] == ["20"]
    # A territory over both Corsican départements gets the fiche « 20 » once.
    monkeypatch.setattr(reference, "territoire", lambda text: ("Corse entière", ["2A", "2B"]))
    assert [f.departement.code for f in api.territoire_fiches("x", data=demo_trade)[1]] == ["20"]


def test_paths_and_files(written, tmp_path):
    year = 2024
    expected = api.territoire_paths(MULTI, written["pptx"].parents[2], year)
    assert written == expected
    folder = written["pptx"].parent
    assert folder.name == "ti-nord-franche-comte" and folder.parent.name == str(year)
    assert sorted(p.name for p in folder.iterdir()) == [
        "commerce-exterieur-ti-nord-franche-comte-2024.pptx", "commerce-exterieur-ti-nord-franche-comte-2024.xlsx"]


def test_unknown_territory_fails_before_the_data_is_read(monkeypatch):
    from fichex.data import trade
    from fichex.errors import UnknownCodeError

    monkeypatch.setattr(trade, "load", lambda *a, **k: (_ for _ in ()).throw(AssertionError("data loaded")))
    with pytest.raises(UnknownCodeError, match="Territoire d'industrie inconnu"):
        api.territoire_fiches("Nulle part sur la carte")


# --------------------------------------------------------------------------------------------------------
# Deck
# --------------------------------------------------------------------------------------------------------
def test_deck_holds_each_departement_pages_in_code_order(prs, territory):
    _, fiches = territory
    expected = [texts.COVER_TITLE, texts.DECK_INTRO_TITLE, texts.DECK_CONTEXT_TITLE, texts.DECK_CAVEATS_TITLE,
                texts.TI_COMPARISON_TITLE]
    for fiche in fiches:
        expected += [label(fiche), texts.DECK_SUMMARY_TITLE, *figure_titles(fiche)]
    expected.append(texts.DECK_PRACTICAL_TITLE)
    assert [title(s) for s in prs.slides] == expected
    sections = [s for s in prs.slides if s.slide_layout.name == "Section"]
    assert [title(s) for s in sections] == ["Doubs (25)", "Haute-Saône (70)", "Territoire de Belfort (90)"]


def test_each_departement_pages_are_its_own(prs, territory):
    _, fiches = territory
    slides = list(prs.slides)
    for fiche in fiches:
        start = [title(s) for s in slides].index(label(fiche))
        assert title(slides[start + 1]) == texts.DECK_SUMMARY_TITLE
        assert texts.commentary(fiche)[0] in all_text(slides[start + 1])
        partners = slides[start + 3]
        assert title(partners) == texts.DECK_PARTNERS_TITLE
        assert texts.deck_butterfly_title(fiche.departement.nom, texts.period(fiche)) in all_text(partners)
        section = all_text(slides[start])
        assert texts.ti_section_figures(fiche.exports.total_eur, fiche.imports.total_eur, fiche.balance_eur) in section


def test_cover_names_the_territory_its_departements_and_says_figures_are_departemental(prs, territory):
    name, fiches = territory
    slide = prs.slides[0]
    assert slide.slide_layout.name == "Couverture"
    text = all_text(slide)
    assert texts.ti_cover_subtitle(name) in text
    assert texts.TI_DEPARTEMENTAL_FIGURES in text
    for fiche in fiches:
        assert texts.ti_departement_line(fiche.departement.nom, fiche.departement.code, fiche.region.nom) in text


def test_the_model_advice_on_interdepartmental_territories_is_set_out(prs):
    assert texts.INTERDEPARTMENTAL_ADVICE in texts.CAVEATS[-1]
    intro = prs.slides[1]
    runs = [r for p in intro.placeholders[1].text_frame.paragraphs for r in p.runs
            if r.text == texts.INTERDEPARTMENTAL_ADVICE]
    assert len(runs) == 1 and runs[0].font.bold


def comparison_table(prs):
    slide = next(s for s in prs.slides if title(s) == texts.TI_COMPARISON_TITLE)
    (frame,) = [s for s in slide.shapes if s.has_table]
    return slide, frame


def test_comparison_table_equals_the_fiches(prs, territory):
    _, fiches = territory
    slide, frame = comparison_table(prs)
    table = frame.table
    cells = [[table.cell(i, j).text_frame.text for j in range(len(table.columns))] for i in range(len(table.rows))]
    assert [row[0] for row in cells[1:]] == list(texts.TI_COMPARISON_ROWS)
    for j, fiche in enumerate(fiches, 1):
        column = [row[j] for row in cells]
        assert column[0].startswith(label(fiche)) and fiche.region.nom in column[0]
        assert column[1:] == comparison_values(departement_figures(fiche))
        # read back against the fiche itself, not only through the renderer's helper
        assert column[1] == f"{texts.format_meur_fixed(fiche.exports.total_eur)} M€"
        assert column[2] == f"{texts.format_meur_fixed(fiche.imports.total_eur)} M€"
        assert column[4] == texts.format_pct(fiche.exports.share_of_region_pct, 1)
        assert column[6] == texts.format_pct(fiche.exports.share_of_france_pct, 2)
        assert column[8] == texts.ti_rank(fiche.exports.rank, fiche.exports.n_departements)
        client = next(p for p in fiche.local.top_partners_export if p.country)
        supplier = next(p for p in fiche.local.top_partners_import if p.country)
        assert column[10] == texts.ti_partner(client.nom, client.exports_eur)
        assert column[11] == texts.ti_partner(supplier.nom, supplier.imports_eur)
    assert frame._element.xpath("./*[1]/p:cNvPr")[0].get("descr").startswith("Tableau comparant")
    assert texts.TI_DEPARTEMENTAL_FIGURES in all_text(slide)


def test_comparison_table_fits_its_slide(prs):
    _, frame = comparison_table(prs)
    assert frame.top + frame.height < prs.slide_height
    assert frame.left + frame.width <= prs.slide_width


def test_notes_and_demonstration_banner_on_every_slide(prs):
    for slide in prs.slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.strip(), title(slide)
        assert texts.DEMO_WARNING in all_text(slide)
    cover_notes = prs.slides[0].notes_slide.notes_text_frame.text
    assert MULTI in cover_notes and texts.TI_DEPARTEMENTAL_FIGURES in cover_notes


def test_properties_name_the_territory(prs, territory):
    name, fiches = territory
    assert prs.core_properties.title == texts.deck_title(name, texts.period(fiches[0]))
    assert all(label(f) in prs.core_properties.subject for f in fiches)


def test_deck_is_byte_identical_across_builds(territory, written, tmp_path):
    name, fiches = territory
    again = tmp_path / "again.pptx"
    write_territoire_deck(name, fiches, again)
    assert again.read_bytes() == written["pptx"].read_bytes()


def test_one_departement_territory_has_the_same_structure(demo_trade, tmp_path):
    name, fiches = api.territoire_fiches("Creuse Industrie", data=demo_trade)
    assert [f.departement.code for f in fiches] == ["23"]
    path = tmp_path / "creuse.pptx"
    write_territoire_deck(name, fiches, path)
    titles = [title(s) for s in Presentation(str(path)).slides]
    assert titles == [texts.COVER_TITLE, texts.DECK_INTRO_TITLE, texts.DECK_CONTEXT_TITLE, texts.DECK_CAVEATS_TITLE,
                      texts.TI_COMPARISON_TITLE, "Creuse (23)", texts.DECK_SUMMARY_TITLE, *figure_titles(fiches[0]),
                      texts.DECK_PRACTICAL_TITLE]


def test_section_slides_fall_back_on_the_text_layout(territory, tmp_path, template_copy):
    """A branded template need not have the « Section » layout: the section slides use « Titre et texte »."""
    name, fiches = territory
    template = template_copy("sans-section.pptx", lambda part, data: data.replace(
        b'<p:cSld name="Section">', b'<p:cSld name="Autre">'))
    path = tmp_path / "deck.pptx"
    write_territoire_deck(name, fiches[:1], path, template=template)
    slide = Presentation(str(path)).slides[5]
    assert title(slide) == label(fiches[0]) and slide.slide_layout.name == "Titre et texte"


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


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["pptx", "xlsx"])
def test_libreoffice_converts_the_documents(written, kind, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")
    source = tmp_path / f"ti.{kind}"
    shutil.copy(written[kind], source)
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "ti.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000


# --------------------------------------------------------------------------------------------------------
# Pure layout
# --------------------------------------------------------------------------------------------------------
def test_fitting_size_shrinks_a_long_text_only():
    width, height = 7_315_200, 731_520
    assert territoire_deck.fitting_size("Court", width, height, (24, 20, 16)) == 24
    long = texts.ti_cover_subtitle("Pays de Bernay, de Conches, du Neubourg et du Sud de l’Eure")
    assert territoire_deck.fitting_size(long, width, height, (24, 20, 16)) < 24


def test_table_layout_fits_the_height_given(territory):
    _, fiches = territory
    rows = territoire_deck.comparison_cells([departement_figures(f) for f in fiches])
    layout = territoire_deck.table_layout(rows, 11_000_000, 4_000_000)
    assert sum(layout.row_heights) <= 4_000_000
    assert len(layout.col_widths) == len(fiches) + 1 and sum(layout.col_widths) <= 11_000_000


# --------------------------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def book(written):
    return openpyxl.load_workbook(written["xlsx"])


def test_workbook_sheets(book):
    assert book.sheetnames == list(texts.TI_XLSX_SHEETS.values())


def test_departements_sheet_equals_the_fiches(book, territory):
    _, fiches = territory
    ws = book[texts.TI_XLSX_SHEETS["departements"]]
    (table,) = ws.tables.values()
    assert table.name == territoire_xlsx.TABLE_NAME
    rows = list(ws[table.ref])
    assert [c.value for c in rows[0]] == list(texts.TI_XLSX_HEADERS)
    body = rows[1:]
    assert len(body) == len(fiches)
    for cells, fiche in zip(body, fiches):
        values = {h: c for h, c in zip(texts.TI_XLSX_HEADERS, cells)}
        assert values["Code"].value == fiche.departement.code
        assert values["Département"].value == fiche.departement.nom
        assert values["Exportations (€)"].value == pytest.approx(fiche.exports.total_eur)
        assert values["Importations (€)"].value == pytest.approx(fiche.imports.total_eur)
        assert values["Solde (€)"].value == pytest.approx(fiche.balance_eur)
        assert values["Part des exportations de la région"].value == pytest.approx(fiche.exports.share_of_region_pct / 100)
        assert values["Part des importations de la France"].value == pytest.approx(fiche.imports.share_of_france_pct / 100)
        assert values["Rang national à l'export"].value == fiche.exports.rank
        assert values["Rang national à l'import"].value == fiche.imports.rank
        client = next(p for p in fiche.local.top_partners_export if p.country)
        assert values["Premier pays client"].value == client.nom
        assert values["Premier pays client (€)"].value == pytest.approx(client.exports_eur)
        for header in ("Exportations (€)", "Importations (€)", "Premier pays client (€)"):
            assert values[header].number_format == xlsx.FMT_MEUR
        assert values["Solde (€)"].number_format == xlsx.FMT_MEUR_SIGNED
    # every amount header says euros, the cells showing millions
    assert all("M€" not in h for h in texts.TI_XLSX_HEADERS)


def test_departements_chart_reads_the_table(written):
    with zipfile.ZipFile(written["xlsx"]) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = package.read(charts[0]).decode()
    assert "<c:barChart>" in xml
    assert "$D$" in xml and "$E$" in xml and "$B$" in xml  # exports, imports by département name


def test_demonstration_warning_on_every_sheet(book):
    for ws in book.worksheets:
        found = [c for row in ws.iter_rows(max_row=4) for c in row
                 if isinstance(c.value, str) and c.value.startswith(texts.DEMO_WARNING)]
        assert found, ws.title


def test_donnees_holds_every_departement_rows(written, territory):
    import pandas as pd

    _, fiches = territory
    frame = pd.read_excel(written["xlsx"], sheet_name=texts.TI_XLSX_SHEETS["donnees"], header=2, dtype={
        texts.XLSX_DATA_HEADERS["code_departement"]: str})
    code = texts.XLSX_DATA_HEADERS["code_departement"]
    assert sorted(frame[code].unique()) == [f.departement.code for f in fiches]
    assert len(frame) == sum(len(f.detail) for f in fiches)
    year, flow, value = (texts.XLSX_DATA_HEADERS[k] for k in ("annee", "flux", "valeur_eur"))
    for fiche in fiches:
        rows = frame[(frame[code] == fiche.departement.code) & (frame[year] == fiche.year) & (frame[flow] == "E")]
        assert rows[value].sum() == pytest.approx(fiche.exports.total_eur, rel=1e-9)


def test_methode_names_the_departements(book, territory):
    _, fiches = territory
    ws = book[texts.TI_XLSX_SHEETS["methode"]]
    assert ws["A2"].value == texts.ti_xlsx_period_line(texts.period(fiches[0]), [label(f) for f in fiches])


def test_workbook_is_byte_identical_across_builds(territory, tmp_path):
    name, fiches = territory
    one, two = tmp_path / "un.xlsx", tmp_path / "deux.xlsx"
    territoire_xlsx.write_territoire_workbook(name, fiches, one, version="test")
    territoire_xlsx.write_territoire_workbook(name, fiches, two, version="test")
    assert one.read_bytes() == two.read_bytes()


def test_a_territory_in_corse_says_the_figures_are_corse_s(demo_trade, tmp_path):
    paths = api.write_territoire("Pays Ajaccien", tmp_path, data=demo_trade)
    deck = Presentation(str(paths["pptx"]))
    assert texts.TI_CORSICA_NOTE in all_text(deck.slides[0])
    assert texts.TI_CORSICA_NOTE in all_text(next(s for s in deck.slides if title(s) == "Corse (20)"))
    ws = openpyxl.load_workbook(paths["xlsx"])[texts.TI_XLSX_SHEETS["departements"]]
    assert texts.TI_CORSICA_NOTE in [c.value for row in ws.iter_rows(max_row=10) for c in row]


def test_territoire_json(territory):
    import json

    name, fiches = territory
    figures = api.territoire_json(name, fiches)
    assert figures["territoire_industrie"] == {"nom": MULTI, "identifiant": "nord-franche-comte",
                                               "codes_departements": ["25", "70", "90"]}
    assert [d["departement"]["code"] for d in figures["departements"]] == ["25", "70", "90"]
    assert figures["departements"][0]["exportations"]["total_eur"] == fiches[0].exports.total_eur
    json.dumps(figures)


@pytest.mark.parametrize("kind", ["pptx", "xlsx"])
def test_documents_are_valid_open_xml(written, kind):
    import openxml_audit

    assert [str(e) for e in openxml_audit.OpenXmlValidator().validate(str(written[kind])).errors] == []


def test_shape_ids_unique_per_slide(prs):
    for slide in prs.slides:
        ids = slide.shapes._spTree.xpath(".//p:cNvPr/@id")
        assert len(ids) == len(set(ids))


def test_shares_of_totals_held_in_part_are_flagged(territory, tmp_path):
    import dataclasses

    name, fiches = territory
    partial = [dataclasses.replace(f, exports=dataclasses.replace(f.exports, france_complete=False,
                                                                   departements_in_data=5, departements_total=101))
               for f in fiches]
    path = tmp_path / "partiel.pptx"
    write_territoire_deck(name, partial, path)
    slide, _ = comparison_table(Presentation(str(path)))
    assert texts.partial_france(partial[0].exports) in all_text(slide)
    assert not [f for f in check_pptx(path) if str(getattr(f.severity, "value", f.severity)).lower() in BLOCKING]


def test_detail_rows_are_cut_to_the_years_that_fit_one_sheet(territory):
    from fichex.aggregation.territoire import territoire_detail

    _, fiches = territory
    whole = territoire_detail(fiches)
    assert len(whole) == sum(len(f.detail) for f in fiches)
    year_rows = int((whole["annee"] == fiches[0].year).sum())
    cut = territoire_detail(fiches, max_rows=year_rows + 1)
    assert set(cut["annee"]) == {fiches[0].year} and len(cut) == year_rows
