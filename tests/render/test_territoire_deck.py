"""A Territoire d'industrie's library calls and documents: its fiches and paths, its workbook reopened with
openpyxl, both documents valid and opened by LibreOffice (the deck alone: tests/render/pptx/test_deck_territoire.py)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from pptx import Presentation

from conftest import MULTI_TI as MULTI, all_text, slide_title, ti_label  # MULTI: 25, 70, 90
from fichex import api, texts
from fichex.data import reference
from fichex.render import territoire_xlsx, xlsx

title = slide_title


# --------------------------------------------------------------------------------------------------------
# Library API
# --------------------------------------------------------------------------------------------------------
def test_fiches_of_a_territory_in_code_order(ti_fiches, demo_trade):
    name, fiches = ti_fiches
    assert name == MULTI
    assert [f.departement.code for f in fiches] == ["25", "70", "90"] == reference.territoire(MULTI)[1]
    assert {f.year for f in fiches} == {demo_trade.default_year}


def test_a_territory_in_corse_reads_the_fiche_20(demo_trade, monkeypatch):
    name, fiches = api.territoire_fiches("Pays Ajaccien", data=demo_trade)
    assert reference.territoire(name)[1] == ["2A"]
    assert [f.departement.code for f in fiches] == ["20"]
    # A ti_fiches over both Corsican départements gets the fiche « 20 » once.
    monkeypatch.setattr(reference, "territoire", lambda text: ("Corse entière", ["2A", "2B"]))
    assert [f.departement.code for f in api.territoire_fiches("x", data=demo_trade)[1]] == ["20"]


def test_paths_and_files(ti_documents, tmp_path):
    year = 2024
    expected = api.territoire_paths(MULTI, ti_documents["pptx"].parents[2], year)
    assert ti_documents == expected
    folder = ti_documents["pptx"].parent
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
# Both documents
# --------------------------------------------------------------------------------------------------------
@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["pptx", "xlsx"])
def test_libreoffice_converts_the_documents(ti_documents, kind, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")
    source = tmp_path / f"ti.{kind}"
    shutil.copy(ti_documents[kind], source)
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "ti.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000


# --------------------------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def book(ti_documents):
    return openpyxl.load_workbook(ti_documents["xlsx"])


def test_workbook_sheets(book):
    assert book.sheetnames == list(texts.TI_XLSX_SHEETS.values())


def test_departements_sheet_equals_the_fiches(book, ti_fiches):
    _, fiches = ti_fiches
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


def test_departements_chart_reads_the_table(ti_documents):
    with zipfile.ZipFile(ti_documents["xlsx"]) as package:
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


def test_donnees_holds_every_departement_rows(ti_documents, ti_fiches):
    import pandas as pd

    _, fiches = ti_fiches
    frame = pd.read_excel(ti_documents["xlsx"], sheet_name=texts.TI_XLSX_SHEETS["donnees"], header=2, dtype={
        texts.XLSX_DATA_HEADERS["code_departement"]: str})
    code = texts.XLSX_DATA_HEADERS["code_departement"]
    assert sorted(frame[code].unique()) == [f.departement.code for f in fiches]
    assert len(frame) == sum(len(f.detail) for f in fiches)
    year, flow, value = (texts.XLSX_DATA_HEADERS[k] for k in ("annee", "flux", "valeur_eur"))
    for fiche in fiches:
        rows = frame[(frame[code] == fiche.departement.code) & (frame[year] == fiche.year) & (frame[flow] == "E")]
        assert rows[value].sum() == pytest.approx(fiche.exports.total_eur, rel=1e-9)


def test_methode_names_the_departements(book, ti_fiches):
    _, fiches = ti_fiches
    ws = book[texts.TI_XLSX_SHEETS["methode"]]
    assert ws["A2"].value == texts.ti_xlsx_period_line(texts.period(fiches[0]), [ti_label(f) for f in fiches])


def test_workbook_is_byte_identical_across_builds(ti_fiches, tmp_path):
    name, fiches = ti_fiches
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


def test_territoire_json(ti_fiches):
    import json

    name, fiches = ti_fiches
    figures = api.territoire_json(name, fiches)
    assert figures["territoire_industrie"] == {"nom": MULTI, "identifiant": "nord-franche-comte",
                                               "codes_departements": ["25", "70", "90"]}
    assert [d["departement"]["code"] for d in figures["departements"]] == ["25", "70", "90"]
    assert figures["departements"][0]["exportations"]["total_eur"] == fiches[0].exports.total_eur
    json.dumps(figures)


@pytest.mark.parametrize("kind", ["pptx", "xlsx"])
def test_documents_are_valid_open_xml(ti_documents, kind):
    import openxml_audit

    assert [str(e) for e in openxml_audit.OpenXmlValidator().validate(str(ti_documents[kind])).errors] == []


def test_detail_rows_are_cut_to_the_years_that_fit_one_sheet(ti_fiches):
    from fichex.aggregation.territoire import territoire_detail

    _, fiches = ti_fiches
    whole = territoire_detail(fiches)
    assert len(whole) == sum(len(f.detail) for f in fiches)
    year_rows = int((whole["annee"] == fiches[0].year).sum())
    cut = territoire_detail(fiches, max_rows=year_rows + 1)
    assert set(cut["annee"]) == {fiches[0].year} and len(cut) == year_rows
