"""The DGDDI regional files imported: duplicates, reconciliation, report, outputs (importing/regional.py)."""

import csv
import json
import zipfile

import pytest
from pptx import Presentation
from typer.testing import CliRunner

import fichex
from conftest import read_only_cells
from fichex.wording import console as console_text
from dgddi_samples import MALFORMED, OFFICIAL_EXPORT, OFFICIAL_IMPORT, TERRITORIES, annexes, regional_rows
from fichex.cli import app
from fichex.data import reference, trade
from fichex.data.importing import common, import_files
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
    assert "2018 (3e trimestre)" in cover
    texts = read_only_cells(xlsx)
    assert any("2018 (3e trimestre)" in text for text in texts)
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
    assert figures["periode"] == "2024 (1er et 2e trimestres)" and figures["annee_partielle"] is True
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
    cells = read_only_cells(tmp_path / "75.xlsx", "Méthode")
    assert f"– {model_text.PARIS_ENERGY_CAVEAT}" in cells and f"– {model_text.EMEBI_BREAK_CAVEAT}" in cells
    assert any("brutes de collecte" in c for c in cells)
    deck = Presentation(tmp_path / "75.pptx")
    slide_text = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert any(model_text.PARIS_ENERGY_CAVEAT in text for text in slide_text)
    assert all(model_text.PARIS_ENERGY_CAVEAT in slide.notes_slide.notes_text_frame.text for slide in deck.slides
               if notes_text.DECK_NOTES_CAVEATS in slide.notes_slide.notes_text_frame.text)
    creuse = builder.build("23", 2024)
    fichex.write_workbook(creuse, tmp_path / "23.xlsx")
    assert not any(model_text.PARIS_ENERGY_CAVEAT in c for c in read_only_cells(tmp_path / "23.xlsx", "Méthode"))


# --- Overlapping publications: an annual file and a later « dernière publication » -------------------------
PUBLICATION_DEPS = {"23": "09", "13": "21"}
PUBLICATION_PRODUCTS = [("A01Z", "0111"), ("C11Z", "1102")]


def _publication(quarters, value) -> list[tuple]:
    """Lines (flux, trimestre, année, département, région, A129, CPF4, pays, valeur, masse) of a publication
    covering `quarters` ((year, quarter) pairs), each line's value given by `value(key)` (None: no line)."""
    lines = []
    for year, quarter in quarters:
        for flow in "EI":
            for dep, region in PUBLICATION_DEPS.items():
                for a129, cpf4 in PUBLICATION_PRODUCTS:
                    for country in ("BE", "DE", "US"):
                        key = (flow, quarter, year, dep, region, a129, cpf4, country)
                        euros = value(key)
                        if euros is not None:
                            lines.append((*key, euros, euros // 3))
    return lines


def _annual(key):
    flow, quarter, year, dep, _, _, cpf4, country = key
    return None if country == "US" else 1_000 * quarter + 10 * int(cpf4[:2]) + (7 if dep == "23" else 0)


def _revision(key):
    flow, quarter, year, dep, _, _, cpf4, country = key
    if (year, quarter, dep, cpf4, country) == (2023, 4, "13", "1102", "DE"):
        return None  # a line the annual file has and the revision does not: the annual one stays
    if country == "BE" and year == 2023:
        return _annual(key)  # unchanged by the revision
    return 5_000 + 100 * quarter + 3 * int(cpf4[:2]) + (11 if country == "DE" else 0) + year % 10


ANNUAL = _publication([(2023, q) for q in (1, 2, 3, 4)], _annual)
REVISION = _publication([(2023, 4), (2024, 1), (2024, 2), (2024, 3), (2024, 4)], _revision)


def _zip_of(path, lines):
    with zipfile.ZipFile(path, "w") as archive:
        for flow, name in (("E", "REGIONAL_CPF4PAYSE.txt"), ("I", "REGIONAL_CPF4PAYSI.txt")):
            archive.writestr(name, "".join(";".join(str(c) for c in line) + "\n" for line in lines if line[0] == flow))
    return path


def _expected_totals(*publications_in_order):
    """Each key's value from the latest publication holding it, summed per year × flow × département: plain
    dictionaries, independently of fichex."""
    latest = {}
    for lines in publications_in_order:
        for line in lines:
            latest[line[:8]] = line[8]
    totals = {}
    for (flow, _, year, dep, *_), euros in latest.items():
        totals[(year, flow, dep)] = totals.get((year, flow, dep), 0) + euros
    return latest, totals


@pytest.mark.parametrize("order", ["annuel d'abord", "mise à jour d'abord"])
def test_a_later_publication_revises_an_annual_file_key_by_key(tmp_path, order):
    annual, revision = _zip_of(tmp_path / "annuel.zip", ANNUAL), _zip_of(tmp_path / "maj.zip", REVISION)
    paths = [annual, revision] if order == "annuel d'abord" else [revision, annual]
    report = import_files(paths, tmp_path / "d")
    latest, expected = _expected_totals(ANNUAL, REVISION)
    assert {(t["annee"], t["flux"], t["code_departement"]): t["valeur_eur"] for t in report.totals} == expected
    assert report.rows_kept == len(latest) and report.rows_read == len(ANNUAL) + len(REVISION)
    # Every annual line of a key the revision holds is rejected: revised, or a copy when unchanged.
    both = [line for line in ANNUAL if line[:8] in {r[:8] for r in REVISION}]
    revised = [line for line in both if latest[line[:8]] != line[8]]
    assert report.rejected_by_reason == common.rejected_by_reason(
        [(common.MOTIF_REVISED, len(revised)), (common.MOTIF_DUPLICATE, len(both) - len(revised))])
    rejected = list(csv.DictReader(report.rejected_path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert {r["fichier"] for r in rejected} == {"annuel.zip:REGIONAL_CPF4PAYSE.txt", "annuel.zip:REGIONAL_CPF4PAYSI.txt"}
    first = next(r for r in rejected if r["motif"] == common.MOTIF_REVISED)
    key = (first["flux"], int(first["periode"]), int(first["annee"]), first["code_departement"])
    kept = next(v for k, v in latest.items() if k[:4] == key and k[6:] == (first["code_produit"], first["code_pays"]))
    assert first["detail"].startswith(f"{common.REVISED_DETAIL}{kept} (maj.zip:REGIONAL_CPF4PAYS")
    assert report.warnings[:2] == (
        console_text.publications_rule([("annuel.zip", (2023, 4)), ("maj.zip", (2024, 4))]),
        console_text.publication_replaced("annuel.zip", "maj.zip", len(both), len(revised)))
    for line in report.reconciliation:
        assert line["euros_lus"] == line["euros_conserves"] + line["euros_rejetes"]
    figures = fichex.key_figures("23", year=2023, data=tmp_path / "d")
    assert figures["exportations"]["total_eur"] == expected[(2023, "E", "23")]


def test_on_the_same_latest_quarter_the_publication_given_last_wins(tmp_path):
    first = _publication([(2024, 4)], lambda key: 100)
    second = _publication([(2024, 4)], lambda key: 200)
    report = import_files([_zip_of(tmp_path / "a.zip", first), _zip_of(tmp_path / "b.zip", second)], tmp_path / "d")
    assert sum(t["valeur_eur"] for t in report.totals) == 200 * len(second)
    assert report.rejected_by_reason == {common.MOTIF_REVISED: len(first)}


def test_a_conflict_inside_the_latest_publication_is_still_dropped(tmp_path):
    line = "E;4;2023;23;09;A01Z;0111;BE;{};1\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "REGIONAL_CPF4PAYSE.txt").write_text(line.format(10) + OFFICIAL_EXPORT, encoding="utf-8")
    (tmp_path / "b" / "REGIONAL_CPF4PAYSE.txt").write_text(line.format(20) + line.format(30), encoding="utf-8")
    report = import_files([tmp_path / "a" / "REGIONAL_CPF4PAYSE.txt", tmp_path / "b" / "REGIONAL_CPF4PAYSE.txt"],
                          tmp_path / "d")
    assert report.rows_kept == 1 and report.rejected_by_reason == {MOTIF_CONFLICT: 2, common.MOTIF_REVISED: 1}


def test_publications_of_different_years_are_simply_added(tmp_path):
    report = import_files([_zip_of(tmp_path / "2023.zip", ANNUAL),
                           _zip_of(tmp_path / "2024.zip", [line for line in REVISION if line[2] == 2024])],
                          tmp_path / "d")
    assert report.rows_rejected == 0 and not any("publications superposées" in w for w in report.warnings)


# --- Interruptions and a full temporary folder --------------------------------------------------------------
def test_a_full_temporary_folder_is_an_error_naming_it(tmp_path, monkeypatch):
    import errno
    import tempfile

    from fichex.data.importing import regional
    from fichex.errors import OutputError

    def full(self, block, source):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(regional._Stage, "add", full)
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_text(OFFICIAL_EXPORT, encoding="utf-8")
    with pytest.raises(OutputError) as error:
        import_files([path], tmp_path / "d")
    assert str(error.value) == console_text.staging_disk_full(tempfile.gettempdir())
    assert not (tmp_path / "d").exists()


def test_a_signal_a_library_swallowed_still_ends_the_import_as_an_interruption(tmp_path, monkeypatch):
    """DuckDB or Arrow may turn the KeyboardInterrupt of a Ctrl-C into their own error: the import raises
    the interruption again, so the command ends with its one line and exit code."""
    from fichex.data.importing import regional

    def interrupted(*args):
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(regional, "_connect", interrupted)
    monkeypatch.setattr(regional, "signal_exception", lambda: SystemExit(143))
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_text(OFFICIAL_EXPORT, encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        import_files([path], tmp_path / "d")
    assert stopped.value.code == 143
