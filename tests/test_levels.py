"""Fiches of a région and of France (issue 13): the breakdown adds up, the documents say the right level, the
CLI and the JSON take `--level`, and LibreOffice opens the files."""

from __future__ import annotations

import html
import json
import shutil
import subprocess

import openpyxl
import pytest
from pptx import Presentation
from typer.testing import CliRunner

from fichex import api
from fichex.wording import index_page as index_text, levels as levels_text, model_text
from fichex.wording.places import place_of
from fichex.batch.targets import parse_levels, resolve_level_targets
from fichex.cli import app
from fichex.data import reference
from fichex.errors import FichexError, UnknownCodeError

runner = CliRunner()
# The région's and France's documents (conftest.level_documents) and this module's CLI build are written once,
# on one xdist worker (conftest.SHARED_DOCUMENT_GROUPS).


@pytest.fixture(scope="module")
def region_75(fiche_r75):
    return fiche_r75


@pytest.fixture(scope="module")
def france(fiche_france):
    return fiche_france


@pytest.fixture(scope="module")
def level_files(level_documents):
    return level_documents


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory):
    """`fichex build --level region,france 75` (workbooks), run once: the output folder and the JSON."""
    out = tmp_path_factory.mktemp("sorties")
    result = runner.invoke(app, ["build", "--level", "region,france", "75", "--formats", "xlsx",
                                 "--out-dir", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def _deck_text(prs) -> str:
    return "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)


@pytest.mark.parametrize("code", ["75", "84", "94", "93", "01", "11"])
def test_a_regions_breakdown_adds_up_to_its_total(builder, code):
    fiche = builder.build_region(code, 2024)
    parts = fiche.breakdown
    assert {p.code for p in parts} == {c for c in reference.departements_of_region(code)
                                       if c in reference.territory_set(builder.trade.departements)}
    assert sum(p.exports_eur for p in parts) == pytest.approx(fiche.exports.total_eur, rel=1e-12)
    assert sum(p.imports_eur for p in parts) == pytest.approx(fiche.imports.total_eur, rel=1e-12)
    # Each part is the département's own fiche total.
    first = parts[0]
    assert builder.build(first.code, 2024).exports.total_eur == pytest.approx(first.exports_eur)
    assert [p.exports_eur for p in parts] == sorted((p.exports_eur for p in parts), reverse=True)


def test_frances_breakdown_is_its_regions_and_adds_up(builder, france):
    assert len(france.breakdown) == len(reference.regions())
    assert sum(p.exports_eur for p in france.breakdown) == pytest.approx(france.exports.total_eur, rel=1e-12)
    assert sum(p.imports_eur for p in france.breakdown) == pytest.approx(france.imports.total_eur, rel=1e-12)
    by_code = {p.code: p for p in france.breakdown}
    assert by_code["75"].exports_eur == pytest.approx(builder.build_region("75", 2024).exports.total_eur)


def test_a_region_is_ranked_among_regions_and_shares_france(region_75, france):
    share = region_75.exports
    assert share.rank_level == "region" and 1 <= share.rank <= share.n_departements <= len(reference.regions())
    assert share.share_of_france_pct == pytest.approx(100 * share.total_eur / france.exports.total_eur)
    assert model_text.rank_line("E", share, place_of(region_75)).endswith(f"région sur {share.n_departements} pour les exportations")


def test_dgddi_region_codes_are_accepted_and_insee_wins_a_clash(builder):
    assert builder.build_region("09", 2024).territory.code == "75"  # DGDDI's Nouvelle-Aquitaine
    assert builder.build_region("01", 2024).territory.nom == "Guadeloupe"  # INSEE's, not DGDDI's 01
    with pytest.raises(UnknownCodeError, match="région inconnue"):
        builder.build_region("77", 2024)


def test_the_region_deck_speaks_of_the_region_and_has_its_breakdown(level_files, region_75):
    prs = Presentation(level_files["r75.pptx"])
    text = _deck_text(prs)
    assert "Région Nouvelle-Aquitaine" in text
    assert levels_text.BREAKDOWN_TITLE["region"] in text
    for phrase in ("avec le département", "depuis le département", "dans le département", "Paris"):
        assert phrase not in text
    # The map outlines each of its départements, not Paris (« 75 » is the région's code here).
    names = [shape.name for slide in prs.slides for shape in slide.shapes]
    assert "Carte – exportations par département" in names
    charts = [shape for slide in prs.slides for shape in slide.shapes
              if shape.has_chart and shape.name == levels_text.BREAKDOWN_CHART_NAME]
    assert len(charts) == 1
    plot = charts[0].chart.plots[0]
    shown = dict(zip(plot.categories, plot.series[0].values))
    assert sum(shown.values()) == pytest.approx(region_75.exports.total_eur / 1e6)
    assert set(shown) == {p.nom for p in region_75.breakdown}
    # France is the only comparison: no « la région et la France » title.
    assert "Exportations : la France" in text and "la région et la France" not in text


def test_the_france_deck_has_no_comparison_and_its_regions(level_files):
    text = _deck_text(Presentation(level_files["fr.pptx"]))
    assert "France entière" in text and levels_text.BREAKDOWN_TITLE["france"] in text
    assert "Exportations : la France" not in text and "la région et la France" not in text
    assert "département sur" not in text


def test_the_region_workbook_has_the_breakdown_sheet_equal_to_the_fiche(level_files, region_75):
    book = openpyxl.load_workbook(level_files["r75.xlsx"])
    assert book.sheetnames[1] == levels_text.BREAKDOWN_SHEET["region"]
    ws = book[levels_text.BREAKDOWN_SHEET["region"]]
    table = ws.tables["Repartition"]
    rows = list(ws[table.ref])[1:]
    assert [(r[1].value, r[3].value, r[4].value) for r in rows] == [
        (p.code, p.exports_eur, p.imports_eur) for p in region_75.breakdown]
    assert ws._charts, "the breakdown sheet has its native chart"
    comparison = book["Comparaison"]
    headers = [c.value for c in next(comparison.iter_rows(min_row=1, max_row=40)) if c.value]
    cells = [c.value for row in comparison.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith("Département :") for v in cells), headers
    donnees = book["Données"]
    header = [c.value for c in donnees[3]]
    assert "Département" in header  # a row per département of the région


def test_the_france_workbook_has_regions_and_no_comparison(level_files):
    book = openpyxl.load_workbook(level_files["fr.xlsx"], read_only=True)
    try:
        assert levels_text.BREAKDOWN_SHEET["france"] in book.sheetnames and "Comparaison" not in book.sheetnames
        header = [c.value for c in next(book["Données"].iter_rows(min_row=3, max_row=3))]
        # every territory summed together (aggregation.detail_table): the régions are the « Régions » sheet
        assert "Pays" in header and "Région" not in header and "Département" not in header
    finally:
        book.close()


def test_figures_json_keeps_the_keys_but_departement_and_adds_the_breakdown():
    dep = api.key_figures("23")
    region = json.loads(runner.invoke(app, ["figures", "--level", "region", "75", "--json"]).stdout)
    france = json.loads(runner.invoke(app, ["figures", "--level", "france", "--json"]).stdout)
    for figures in (region, france):
        # « departement » only where the fiche is a département's; « territoire » names the fiche at every level
        assert set(dep) - {"notes", "departement"} <= set(figures) and "departement" not in figures
        assert figures["territoire"]["niveau"] == figures["niveau"]
        assert sum(p["exportations_eur"] for p in figures["repartition"]) == pytest.approx(
            figures["exportations"]["total_eur"])
    assert region["niveau"] == "region" and region["exportations"]["rang_parmi"] == "region"
    assert france["niveau"] == "france" and "repartition" not in dep


def test_levels_parse_and_resolve():
    assert parse_levels("region,france") == ("region", "france")
    assert parse_levels("tout") == ("departement", "region", "france", "territoire")
    with pytest.raises(FichexError, match="niveau inconnu"):
        parse_levels("canton")
    keys = [t.key for t in resolve_level_targets(["75"], levels=("region",))]
    assert keys == ["R75"]
    everything = resolve_level_targets(all_targets=True, levels=parse_levels("region,france"))
    assert len(everything) == len(reference.regions()) + 1
    ti = resolve_level_targets(territoires=["nord franche"])[0]
    assert ti.nom == "Nord Franche-Comté" and ti.departements == ("25", "70", "90")


def test_build_level_region_and_france_from_the_cli(cli_build):
    out, summary = cli_build
    built = summary["cibles"]
    assert [(t["niveau"], t["code"]) for t in built] == [("region", "75"), ("france", "FR")]
    assert (out / "2024" / "r75-nouvelle-aquitaine").is_dir() and (out / "2024" / "fr-france").is_dir()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Région Nouvelle-Aquitaine" in page and "France entière" in page


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["r75.pptx", "r75.xlsx", "fr.pptx", "fr.xlsx"])
def test_libreoffice_opens_the_region_and_france_files(tmp_path, level_files, name):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")
    source = level_files[name]
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), str(source)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "pdf" / f"{source.stem}.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000, source.name


def test_the_index_names_regions_and_france_and_leaves_out_what_would_say_nothing(cli_build):
    out, _ = cli_build
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>Fiches commerce extérieur</h1>" in page and ">Territoire<" in page
    assert "10e région sur 18" in page or "e région sur 18" in page
    assert "100.0%" not in page and "1er sur 1<" not in page


def test_a_territoire_builds_with_pdf_and_is_listed_on_the_index(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")
    result = runner.invoke(app, ["build", "--territoire", "creuse", "--formats", "pptx,pdf", "--out-dir",
                                 str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    target = json.loads(result.stdout)["cibles"][0]
    assert (target["niveau"], target["code"]) == ("territoire", "creuse-industrie")
    assert [f["path"].rsplit(".", 1)[1] for f in target["fichiers"]] == ["pptx", "pdf"]
    page = html.unescape((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert "Territoire d'industrie – Creuse Industrie" in page and index_text.INDEX_TERRITOIRE_FIGURES in page
    assert "<h1>Fiches commerce extérieur</h1>" in page


def test_figures_of_a_territoire_are_its_departements_own():
    result = runner.invoke(app, ["figures", "--territoire", "nord-franche-comte", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["niveau"] == "territoire" and figures["territoire_industrie"]["codes_departements"] == [
        "25", "70", "90"]
    assert [d["departement"]["code"] for d in figures["departements"]] == ["25", "70", "90"]
    assert figures["departements"][0]["exportations"] == api.key_figures("25")["exportations"]
    unknown = runner.invoke(app, ["figures", "--territoire", "Sud"])
    assert unknown.exit_code == 1 and "ambigu" in unknown.stderr
