"""Tidy tables into the canonical trade table: checks, duplicates, report, outputs (importing/tidy.py)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from fichex.aggregation.aggregate import FicheBuilder
from fichex.data import trade
from fichex.data.importing import import_files
from fichex.errors import InputDataError
from tidy_samples import (FIXTURES, HEADER, QUARTERS, REGION_75, build_region_75_zip, canonical_rows,
                          rejected_rows, write_xlsx)


def test_dgddi_region_zip_imports_crossed_files_and_skips_the_others(tmp_path):
    archive, expected = build_region_75_zip(tmp_path)
    into = tmp_path / "donnees"
    report = import_files([archive], into)

    imported = [f.name for f in report.files if f.status == "importé"]
    skipped = {f.name.split("/")[-1]: f.reason for f in report.files if f.status == "ignoré"}
    assert len(imported) == 6
    assert set(skipped) == {"LisezMoi_Regions_T.txt", "Libelles_produits_CPF4.xlsx",
                            *(f"Dep_{d}_produits_16_trimestres.xlsx" for d in REGION_75),
                            *(f"Dep_{d}_pays_16_trimestres.xlsx" for d in REGION_75)}
    assert skipped["Libelles_produits_CPF4.xlsx"] == "fichier de libellés"
    assert "pas de colonne pays" in skipped["Dep_16_produits_16_trimestres.xlsx"]
    assert report.rows_rejected == 0
    assert report.rows_read == sum(len(c) for f in REGION_75.values() for c in f.values()) * len(QUARTERS)

    totals = {(t["code_departement"], t["flux"], t["annee"]): t["valeur_eur"] for t in report.totals}
    assert totals == pytest.approx(expected, abs=0.01)
    assert any("année 2023 incomplète" in w and "T3, T4" in w for w in report.warnings)
    assert report.special_partners == ({"code_pays": "QU", "pays": "Pays et territoires non déterminés",
                                        "valeur_eur": pytest.approx(sum(0.75 + i for i in range(len(QUARTERS))) * 1000)},)

    data = trade.load(into)
    assert data.info.demonstration is False
    assert data.info.files == ("dgddi_region_75.zip",)
    assert data.info.source.startswith("Données DGDDI importées")
    fiche = FicheBuilder(data).build("87", 2024)
    assert fiche.demonstration is False
    assert fiche.exports.total_eur == pytest.approx(expected[("87", "E", 2024)], abs=0.01)
    assert fiche.imports.total_eur == pytest.approx(expected[("87", "I", 2024)], abs=0.01)
    assert fiche.exports.region_total_eur == pytest.approx(
        sum(v for (d, f, y), v in expected.items() if f == "E" and y == 2024), abs=0.01)


def test_dgddi_folder_of_unzipped_files_gives_the_same_table(tmp_path):
    archive, _ = build_region_75_zip(tmp_path)
    folder = tmp_path / "region_75"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    import_files([archive], tmp_path / "a")
    import_files([folder], tmp_path / "b")
    assert canonical_rows(tmp_path / "a") == canonical_rows(tmp_path / "b")


def test_latin1_semicolon_decimal_comma_csv(tmp_path):
    report = import_files([FIXTURES / "trade_latin1_semicolon_decimal_comma.csv"], tmp_path)
    assert canonical_rows(tmp_path) == [
        (2024, "E", "01", "10.51", "DE", 1234567.0),
        (2024, "E", "01", "10.51", "IT", 500.0),
        (2024, "E", "33", "C10A", "QU", 7250.0),
        (2024, "I", "2A", "27.11", "CN", 12345001.0),
    ]
    only = report.files[0]
    assert only.unit == "d'après l'en-tête « Valeur (k€) »"
    assert "encodage cp1252, séparateur « ; »" in only.notes
    assert only.columns["code_departement"] == "colonne « Département »"
    fiche = FicheBuilder(trade.load(tmp_path)).build("01", 2024)
    assert fiche.exports.total_eur == pytest.approx((1234.567 + 0.5) * 1000)
    assert fiche.demonstration is False


def test_tidy_xlsx_with_numeric_cells(tmp_path):
    source = write_xlsx(tmp_path / "trade_tidy.xlsx", [
        ["annee", "flux", "code_departement", "code_produit", "code_pays", "valeur_eur"],
        [2024, "E", 1, 1051, "DE", 1500.25],
        [2024, "I", 971, 111, "BR", 20],  # 111 is CPF 01.11 that lost its leading zero in Excel
        [None, None, None, None, None, None],
    ])
    report = import_files([source], tmp_path / "out")
    assert canonical_rows(tmp_path / "out") == [(2024, "E", "01", "1051", "DE", 1500.25),
                                                (2024, "I", "971", "0111", "BR", 20.0)]
    assert trade.load(tmp_path / "out").table["code_a129"].astype(str).tolist() == ["C10E", "A01Z"]
    assert report.rows_read == 2


def test_xlsx_sheets_with_the_same_headers_are_read_one_after_the_other(tmp_path):
    header = ["annee", "flux", "dep", "cpf4", "pays", "valeur_eur"]
    source = write_xlsx(tmp_path / "trade_two_sheets.xlsx", [header, [2024, "E", "23", "10.51", "DE", 1]],
                        sheets={"suite": [header, [2024, "E", "23", "10.51", "IT", 2]],
                                "notes": [["Source", "DGDDI"], ["Unité", "euros"]]})
    report = import_files([source], tmp_path / "out")
    assert [r[4] for r in canonical_rows(tmp_path / "out")] == ["DE", "IT"]
    assert any("« notes » ignorée" in n for n in report.files[0].notes)


def test_parquet_input(tmp_path):
    source = tmp_path / "trade_tidy.parquet"
    pd.DataFrame({"annee": [2024], "flux": ["I"], "code_departement": ["2B"], "code_produit": ["C10A"],
                  "code_pays": ["IT"], "valeur_eur": [42.5]}).to_parquet(source)
    import_files([source], tmp_path / "out")
    assert canonical_rows(tmp_path / "out") == [(2024, "I", "2B", "C10A", "IT", 42.5)]


def test_failed_import_leaves_the_previous_import_untouched(tmp_path):
    import_files([FIXTURES / "trade_duplicated_rows.csv"], tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(InputDataError):
        import_files([FIXTURES / "trade_latin1_semicolon_decimal_comma.csv",
                      FIXTURES / "trade_missing_column.csv"], tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_unknown_codes_are_rejected_rows_with_their_motif(tmp_path):
    report = import_files([FIXTURES / "trade_unknown_codes.csv"], tmp_path)
    assert canonical_rows(tmp_path) == [(2024, "E", "01", "10.51", "DE", 1000.0),
                                        (2024, "I", "01", "10.51", "XU", 8000.0)]
    rejected = {(r["ligne"], r["motif"], r["detail"]) for r in rejected_rows(tmp_path)}
    assert rejected == {
        ("3", "code pays inconnu", "« ZZ »"),
        ("4", "code département inconnu", "« 98 »"),
        ("5", "code produit inconnu (ni A129 ni CPF/NAF)", "« 99.99 »"),
        ("6", "flux inconnu (E ou I attendu)", "« Z »"),
        ("7", "année invalide", "« 20x4 »"),
        ("8", "valeur non numérique", "« s »"),
        ("9", "valeur manquante", ""),
        ("10", "valeur négative", "« -1,000 »"),
    }
    assert all(r["fichier"] == "trade_unknown_codes.csv" for r in rejected_rows(tmp_path))
    assert (report.rows_read, report.rows_kept, report.rows_rejected) == (10, 2, 8)
    assert report.special_partners[0]["code_pays"] == "XU"
    saved = json.loads((tmp_path / "rapport_import.json").read_text(encoding="utf-8"))
    assert saved["rejets_par_motif"]["code pays inconnu"] == 1
    assert saved["lignes_rejetees"] == 8


def test_duplicated_rows_exact_copies_keep_one_conflicts_keep_none(tmp_path):
    report = import_files([FIXTURES / "trade_duplicated_rows.csv"], tmp_path)
    assert canonical_rows(tmp_path) == [(2024, "E", "01", "10.51", "DE", 100.0),
                                        (2024, "I", "01", "10.51", "IT", 300.0)]
    rejected = [(r["ligne"], r["motif"], r["detail"]) for r in rejected_rows(tmp_path)]
    assert sorted(rejected) == [
        ("3", "doublon exact (une seule copie conservée)", "copie de trade_duplicated_rows.csv:2"),
        ("4", "doublon en conflit (même clé, valeurs différentes : toutes les copies écartées)", "valeur 200"),
        ("5", "doublon en conflit (même clé, valeurs différentes : toutes les copies écartées)", "valeur 250"),
    ]
    assert report.rejected_by_reason == {
        "doublon en conflit (même clé, valeurs différentes : toutes les copies écartées)": 2,
        "doublon exact (une seule copie conservée)": 1}


def test_the_same_file_given_twice_counts_once(tmp_path):
    source = FIXTURES / "trade_latin1_semicolon_decimal_comma.csv"
    report = import_files([source, source], tmp_path)
    assert report.rows_rejected == 4
    assert sum(r[5] for r in canonical_rows(tmp_path)) == pytest.approx(1234567 + 500 + 7250 + 12345001)


def test_no_valid_row_at_all_is_an_error(tmp_path):
    source = tmp_path / "trade_all_bad.csv"
    source.write_text("annee,flux,code_departement,code_produit,code_pays,valeur_eur\n2024,E,01,10.51,ZZ,1\n",
                      encoding="utf-8")
    with pytest.raises(InputDataError, match=r"^aucune ligne valide sur 1 lues \(code pays inconnu : 1\)"):
        import_files([source], tmp_path / "out")


def test_malformed_row_is_rejected_not_dropped(tmp_path):
    source = tmp_path / "trade_extra_field.csv"
    source.write_text("annee,flux,code_departement,code_produit,code_pays,valeur_eur\n"
                      "2024,E,01,10.51,DE,1\n2024,E,01,10.51,IT,1,oops\n", encoding="utf-8")
    report = import_files([source], tmp_path / "out")
    assert report.rejected_by_reason == {"ligne mal formée": 1}
    assert rejected_rows(tmp_path / "out")[0]["detail"] == "7 champs au lieu de 6"


def test_codes_followed_by_labels_and_french_country_names(tmp_path):
    report = import_files([FIXTURES / "trade_codes_with_labels.csv"], tmp_path)
    assert report.rows_rejected == 0
    assert canonical_rows(tmp_path) == [(2024, "E", "01", "10.51", "DE", 1000.0),
                                        (2024, "I", "01", "10.51", "DE", 2000.0),
                                        (2024, "I", "01", "10.51", "NL", 3000.0)]
    assert report.files[0].unit == "milliers d'euros supposés (unité des fichiers DGDDI)"


def test_cpf_division_spread_over_several_a129_positions_is_rejected_with_the_fix(tmp_path):
    # « 10 » and « 26 » are divisions whose classes fall in several A129 positions; « 10.5 » is a group
    # whose classes all fall in C10E; « 99.9 » is no group at all.
    report = import_files([FIXTURES / "trade_cpf_division_codes.csv"], tmp_path)
    assert canonical_rows(tmp_path) == [(2024, "E", "01", "10.5", "IT", 3000.0),
                                        (2024, "E", "01", "10.51", "DE", 1000.0),
                                        (2024, "I", "01", "01", "ES", 5000.0)]
    rejected = {r["ligne"]: (r["motif"], r["detail"]) for r in rejected_rows(tmp_path)}
    assert rejected["3"] == ("code produit trop agrégé pour la nomenclature A129",
                             "« 10 » ; fournissez des codes CPF à 4 chiffres (positions A129 possibles : "
                             "C10A, C10B, C10C, C10D, C10E, C10F, C10G, C10H, C10K)")
    assert rejected["5"][0] == "code produit trop agrégé pour la nomenclature A129"
    assert rejected["5"][1].startswith(
        "« 26 » ; fournissez des codes CPF à 4 chiffres (positions A129 possibles : C26A")
    assert rejected["7"] == ("code produit inconnu (ni A129 ni CPF/NAF)", "« 99.9 »")
    assert report.rejected_by_reason == {"code produit trop agrégé pour la nomenclature A129": 2,
                                         "code produit inconnu (ni A129 ni CPF/NAF)": 1}
    assert report.warnings == ("2 lignes rejetées : code produit trop agrégé pour la nomenclature A129 "
                               "(« 10 », « 26 ») ; fournissez des codes CPF à 4 chiffres",)


@pytest.mark.parametrize("code, positions", [
    ("10", 9), ("26", 7), ("10.5", 1), ("105", 1), ("01", 1), ("10.51", 0), ("C10E", 0), ("99.9", 0), ("1", 0)])
def test_a129_positions_of_aggregate_codes(code, positions):
    from fichex.data.importing.tidy import _a129_positions_of_aggregate

    assert len(_a129_positions_of_aggregate(code)) == positions


def write_demo_slice(demo_trade, path: Path, departement: str) -> Path:
    """A few rows of the demonstration table written as fichex writes it (description flags demonstration)."""
    table = demo_trade.table
    rows = table[(table["code_departement"] == departement) & (table["annee"] == 2024)].head(5)
    trade.write_parquet(rows, path, demo_trade.info)
    return path


def test_importing_demonstration_data_keeps_the_flag(demo_trade, tmp_path):
    assert demo_trade.info.demonstration
    source = write_demo_slice(demo_trade, tmp_path / "demo_slice.parquet", "23")
    report = import_files([source], tmp_path / "out")
    info = trade.load(tmp_path / "out").info
    assert info.demonstration is True and report.info.demonstration is True
    assert info.source == ("Données de démonstration importées (demo_slice.parquet) : chiffres simulés, pas des "
                           "données douanières réelles")
    assert report.warnings[0].startswith("demo_slice.parquet : données de démonstration (chiffres simulés)")
    assert "données de démonstration" in " ".join(report.files[0].notes)
    saved = json.loads((tmp_path / "out" / "rapport_import.json").read_text(encoding="utf-8"))
    assert saved["donnees_demonstration"] is True


def test_one_demonstration_input_makes_the_whole_import_demonstration(demo_trade, tmp_path):
    source = write_demo_slice(demo_trade, tmp_path / "demo_slice.parquet", "87")
    report = import_files([FIXTURES / "trade_latin1_semicolon_decimal_comma.csv", source], tmp_path / "out")
    assert trade.load(tmp_path / "out").info.demonstration is True
    assert report.info.source.startswith("Données de démonstration importées (trade_latin1_semicolon_decimal_comma"
                                         ".csv, demo_slice.parquet)")


def test_parquet_without_a_fichex_description_is_real(tmp_path):
    source = tmp_path / "trade_tidy.parquet"
    pd.DataFrame({"annee": [2024], "flux": ["E"], "code_departement": ["23"], "code_produit": ["C10A"],
                  "code_pays": ["DE"], "valeur_eur": [1.5]}).to_parquet(source)
    report = import_files([source], tmp_path / "out")
    assert trade.load(tmp_path / "out").info.demonstration is False
    assert report.info.source == "Données DGDDI importées (trade_tidy.parquet)"


@pytest.mark.parametrize("cell", ["1e400", "inf", "-inf", "Infinity", "1e308", "2e12"])
def test_non_finite_and_absurd_values_are_rejected_not_summed(tmp_path, cell):
    path = tmp_path / "t.csv"
    path.write_text(HEADER.format(value="valeur_eur") + f"2024;E;01;10.51;DE;{cell}\n2024;E;01;10.51;IT;12\n",
                    encoding="utf-8")
    report = import_files([path], tmp_path / "d")
    assert report.rows_rejected == 1 and report.totals_by_year_flow() == {(2024, "E"): 12.0}
    assert rejected_rows(tmp_path / "d")[0]["motif"].startswith("valeur")


@pytest.mark.parametrize("column, cell, euros", [
    ("valeur_eur", "12 keur", 12_000.0), ("valeur_eur", "12 k€", 12_000.0), ("valeur_eur", "12 €", 12.0),
    ("valeur_keur", "12 EUR", 12.0), ("valeur_keur", "12 euros", 12.0), ("valeur_keur", "12", 12_000.0)])
def test_a_unit_written_in_the_cell_is_honoured(tmp_path, column, cell, euros):
    path = tmp_path / "t.csv"
    path.write_text(HEADER.format(value=column) + f"2024;E;01;10.51;DE;{cell}\n", encoding="utf-8")
    assert import_files([path], tmp_path / "d").totals_by_year_flow() == {(2024, "E"): euros}


def test_a_parquet_table_with_an_infinite_value_is_refused(tmp_path):
    frame = pd.DataFrame({"annee": [2024, 2024], "flux": ["E", "E"], "code_departement": ["01", "01"],
                          "code_produit": ["10.51", "10.51"], "code_pays": ["DE", "IT"],
                          "valeur_eur": [float("inf"), 3.0]})
    frame.to_parquet(tmp_path / trade.TRADE_FILE_NAME, index=False)
    with pytest.raises(InputDataError, match="1 ligne avec une valeur infinie ou démesurée"):
        trade.load(tmp_path)


def test_the_rejected_lines_file_never_holds_a_live_formula(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER.format(value="valeur_eur") + '2024;E;01;=HYPERLINK("http://x");DE;12\n'
                    "2024;E;01;10.51;+cmd;12\n2024;E;01;@SUM(A1);DE;3\n2024;E;01;10.51;DE;-5\n"
                    "2024;E;01;10.51;IT;12\n", encoding="utf-8")
    import_files([path], tmp_path / "d")
    rows = {r["ligne"]: r for r in rejected_rows(tmp_path / "d")}
    assert rows["2"]["code_produit"] == "'=HYPERLINK(\"http://x\")"
    assert rows["3"]["code_pays"] == "'+cmd" and rows["4"]["code_produit"] == "'@SUM(A1)"
    assert rows["5"]["valeur"] == "-5"  # a negative number is not a formula
