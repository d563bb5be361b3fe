"""A Territoire d'industrie's library calls and documents: its fiches and paths, both documents valid and opened by
LibreOffice (the deck alone: tests/render/pptx/test_deck_territoire.py; the workbook alone:
tests/render/xlsx/test_xlsx_territoire.py)."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from pptx import Presentation

from conftest import MULTI_TI as MULTI, all_text, slide_title  # MULTI: 25, 70, 90
from fichex import api
from fichex.wording import territoire as territoire_text
from fichex.data import reference

title = slide_title


# --------------------------------------------------------------------------------------------------------
# Library API
# --------------------------------------------------------------------------------------------------------
def test_fiches_of_a_territory_in_code_order(ti_fiches, demo_trade):
    name, fiches = ti_fiches
    assert name == MULTI
    assert [f.territory.code for f in fiches] == ["25", "70", "90"] == reference.territoire(MULTI)[1]
    assert {f.year for f in fiches} == {demo_trade.default_year}


def test_a_territory_in_corse_reads_the_fiche_20(demo_trade, monkeypatch):
    name, fiches = api.territoire_fiches("Pays Ajaccien", data=demo_trade)
    assert reference.territoire(name)[1] == ["2A"]
    assert [f.territory.code for f in fiches] == ["20"]
    # A ti_fiches over both Corsican départements gets the fiche « 20 » once.
    monkeypatch.setattr(reference, "territoire", lambda text: ("Corse entière", ["2A", "2B"]))
    assert [f.territory.code for f in api.territoire_fiches("x", data=demo_trade)[1]] == ["20"]


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


def test_a_territory_in_corse_says_the_figures_are_corse_s(demo_trade, tmp_path):
    paths = api.write_territoire("Pays Ajaccien", tmp_path, data=demo_trade)
    deck = Presentation(str(paths["pptx"]))
    assert territoire_text.TI_CORSICA_NOTE in all_text(deck.slides[0])
    assert territoire_text.TI_CORSICA_NOTE in all_text(next(s for s in deck.slides if title(s) == "Corse (20)"))
    ws = openpyxl.load_workbook(paths["xlsx"])[territoire_text.TI_XLSX_SHEETS["departements"]]
    assert territoire_text.TI_CORSICA_NOTE in [c.value for row in ws.iter_rows(max_row=10) for c in row]


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
