"""The DGDDI regional files imported: duplicates, reconciliation, report, outputs (importing/regional.py)."""

import json
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from typer.testing import CliRunner

import fichex
from dgddi_samples import MALFORMED, OFFICIAL_EXPORT, OFFICIAL_IMPORT, TERRITORIES, annexes, regional_rows
from fichex.cli import app
from fichex.data import reference, trade
from fichex.data.importing import import_files
from fichex.data.importing.common import MOTIF_CONFLICT
from fichex.errors import InputDataError


runner = CliRunner()


@pytest.fixture(scope="module")
def official_zip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dgddi")
    rows = regional_rows()
    archive = folder / "dgddi.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for flow, name in (("E", "REGIONAL_CPF4PAYSE.txt"), ("I", "REGIONAL_CPF4PAYSI.txt")):
            zf.writestr(name, rows[rows["flux"] == flow].to_csv(sep=";", header=False, index=False,
                                                                  lineterminator="\n"))
        for name, content in annexes().items():
            zf.writestr(name, content)
    report = import_files([archive], folder / "donnees")
    return rows, report, folder / "donnees"


def test_the_official_example_lines_import_and_make_a_fiche(tmp_path):
    (tmp_path / "REGIONAL_CPF4PAYSE.txt").write_text(OFFICIAL_EXPORT, encoding="utf-8")
    (tmp_path / "REGIONAL_CPF4PAYSI.txt").write_text(OFFICIAL_IMPORT, encoding="utf-8")
    report = import_files([tmp_path / "REGIONAL_CPF4PAYSE.txt", tmp_path / "REGIONAL_CPF4PAYSI.txt"],
                          tmp_path / "d")
    assert (report.rows_read, report.rows_kept, report.rows_rejected) == (2, 2, 0)
    table = trade.load(tmp_path / "d").table
    row = table[table["flux"] == "E"].iloc[0]
    assert (row["annee"], row["trimestre"], row["code_departement"], row["code_produit"], row["code_a129"],
            row["code_pays"], row["valeur_eur"], row["masse_kg"]) == (2018, 3, "01", "0111", "A01Z", "BE",
                                                                      406473.0, 1210935.0)
    result = runner.invoke(app, ["build", "01", "--data", str(tmp_path / "d"), "--out-dir", str(tmp_path / "out"),
                                 "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    xlsx = next((tmp_path / "out").rglob("*.xlsx"))
    deck = Presentation(next((tmp_path / "out").rglob("*.pptx")))
    # A year with one quarter is partial, and every output says so.
    cover = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "2018 : 3e trimestre" in cover
    workbook = load_workbook(xlsx, read_only=True)
    texts = [c for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("2018 : 3e trimestre" in text for text in texts)
    figures = fichex.key_figures("01", data=tmp_path / "d")
    assert (figures["exportations"]["total_eur"], figures["importations"]["total_eur"]) == (406473.0, 52.0)
    assert figures["annee_partielle"] is True


def test_a_zip_in_the_official_layout_reconciles_to_the_euro(official_zip):
    rows, report, folder = official_zip
    assert report.rows_read == len(rows) and report.rows_rejected == 0
    assert sorted(report.annexes) == sorted(f"dgddi.zip:{name}" for name in annexes())
    codes = reference.departements().query("dgddi").set_index("code_dgddi")["code_departement"]
    expected = rows.assign(code_departement=rows["code_departement"].map(codes)).groupby(
        ["annee", "flux", "code_departement"])["valeur"].sum()
    totals = {(t["annee"], t["flux"], t["code_departement"]): t["valeur_eur"] for t in report.totals}
    assert totals == {key: float(value) for key, value in expected.items()}
    for line in report.reconciliation:
        assert line["lignes_lues"] == line["lignes_conservees"] + line["lignes_rejetees"]
        assert line["euros_lus"] == line["euros_conserves"] + line["euros_rejetes"]
    on_disk = json.loads(report.report_path.read_text(encoding="utf-8"))
    assert on_disk["rapprochement"] == [dict(r) for r in report.reconciliation]


@pytest.mark.parametrize("code, dgddi_code", [("20", "20"), ("2A", "20"), ("9A", "9A"), ("971", "9A"),
                                              ("974", "9D"), ("99", "99")])
def test_figures_of_dgddi_territories_agree_with_the_files(official_zip, code, dgddi_code):
    rows, _, folder = official_zip
    figures = fichex.key_figures(code, data=folder)
    assert figures["annee"] == 2023  # the last complete year; 2024 has two quarters
    year = rows[rows["annee"] == 2023]
    for flow, key in (("E", "exportations"), ("I", "importations")):
        mine = year[(year["flux"] == flow) & (year["code_departement"] == dgddi_code)]["valeur"].sum()
        assert figures[key]["total_eur"] == mine
        if dgddi_code in ("99", "20"):
            region = [d for d, r in TERRITORIES.items() if r == TERRITORIES[dgddi_code]]
            assert figures[key]["total_region_eur"] == year[(year["flux"] == flow)
                                                            & year["code_departement"].isin(region)]["valeur"].sum()
        assert figures[key]["total_france_eur"] == year[year["flux"] == flow]["valeur"].sum()


def test_monaco_counts_in_paca_and_a_partial_year_is_labelled(official_zip):
    rows, _, folder = official_zip
    figures = fichex.key_figures("13", year=2024, data=folder)
    assert figures["periode"] == "2024 : 1er et 2e trimestres" and figures["annee_partielle"] is True
    paca = rows[(rows["annee"] == 2024) & (rows["flux"] == "E") & rows["code_departement"].isin(["06", "13", "83", "99"])]
    assert figures["exportations"]["total_region_eur"] == paca["valeur"].sum()
    listed = runner.invoke(app, ["list", "departements", "--json"])
    monaco = [row for row in json.loads(listed.stdout) if row["code_departement"] == "99"]
    assert monaco == [{"code_departement": "99", "departement": "Monaco", "code_region": "93",
                       "region": "Provence-Alpes-Côte d'Azur", "code_dgddi": "99", "nomenclature": "DGDDI seulement"}]


def test_building_2a_explains_and_builds_corse(official_zip, tmp_path):
    _, _, folder = official_zip
    result = runner.invoke(app, ["build", "2A", "--data", str(folder), "--out-dir", str(tmp_path), "--formats", "xlsx",
                                 "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "ne séparent pas la Corse-du-Sud (2A) et la Haute-Corse (2B)" in result.stderr
    assert [p.name for p in tmp_path.rglob("*.xlsx")] == ["commerce-exterieur-20-corse-2023.xlsx"]


def test_a_file_with_no_usable_line_exits_1_and_writes_nothing(tmp_path):
    path = tmp_path / "Region_2018_Export.txt"
    path.write_text("".join(line for line, _ in MALFORMED[1:4]), encoding="utf-8")
    result = runner.invoke(app, ["data", "import", str(path), "--into", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : aucune ligne valide sur 3 lues") and result.stderr.count("\n") == 1
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


def test_duplicates_keep_one_exact_copy_and_drop_conflicts(tmp_path):
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    conflict = OFFICIAL_EXPORT.replace("406473", "1")
    path.write_text(OFFICIAL_EXPORT * 2 + OFFICIAL_IMPORT + conflict.replace("BE", "DE") + OFFICIAL_EXPORT.replace(
        "BE", "DE"), encoding="utf-8")
    report = import_files([path], tmp_path / "d")
    assert report.rows_kept == 2 and report.rows_rejected == 3
    motifs = sorted(report.rejected_by_reason)
    assert any(m.startswith("doublon exact") for m in motifs) and any(m.startswith("doublon en conflit") for m in motifs)


@pytest.mark.parametrize("first, second", [
    ("406473;", "406474;"),                 # values differ, masses both blank
    ("406473;1210935", "406473;"),          # one copy gives a mass, the other none
])
def test_copies_that_disagree_without_masses_are_conflicts(tmp_path, first, second):
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    line = "E;3;2018;01;18;A01Z;0111;BE;{}\n"
    path.write_text(line.format(first) + line.format(second) + OFFICIAL_IMPORT, encoding="utf-8")
    report = import_files([path], tmp_path / "d")
    assert report.rows_kept == 1 and report.rows_rejected == 2
    assert list(report.rejected_by_reason) == [MOTIF_CONFLICT]


def test_the_import_stages_on_disk_and_leaves_nothing_behind(tmp_path, monkeypatch):
    """Every checked block goes to a private folder that is gone once the import ends, failed or not."""
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_text(OFFICIAL_EXPORT + OFFICIAL_IMPORT, encoding="utf-8")
    import_files([path], tmp_path / "d")
    path.write_text("".join(line for line, _ in MALFORMED[1:4]), encoding="utf-8")
    with pytest.raises(InputDataError):
        import_files([path], tmp_path / "e")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_paris_energy_and_collection_caveats_reach_the_documents(builder, tmp_path):
    from fichex.wording import model_text, notes as notes_text

    paris = builder.build("75", 2024)
    fichex.write_workbook(paris, tmp_path / "75.xlsx")
    fichex.write_deck(paris, tmp_path / "75.pptx")
    sheet = load_workbook(tmp_path / "75.xlsx", read_only=True)["Méthode"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert f"– {model_text.PARIS_ENERGY_CAVEAT}" in cells and f"– {model_text.EMEBI_BREAK_CAVEAT}" in cells
    assert any("brutes de collecte" in c for c in cells)
    deck = Presentation(tmp_path / "75.pptx")
    slide_text = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert any(model_text.PARIS_ENERGY_CAVEAT in text for text in slide_text)
    assert all(model_text.PARIS_ENERGY_CAVEAT in slide.notes_slide.notes_text_frame.text for slide in deck.slides
               if notes_text.DECK_NOTES_CAVEATS in slide.notes_slide.notes_text_frame.text)
    creuse = builder.build("23", 2024)
    fichex.write_workbook(creuse, tmp_path / "23.xlsx")
    sheet = load_workbook(tmp_path / "23.xlsx", read_only=True)["Méthode"]
    assert not any(model_text.PARIS_ENERGY_CAVEAT in c for row in sheet.iter_rows(values_only=True) for c in row
                   if isinstance(c, str))
