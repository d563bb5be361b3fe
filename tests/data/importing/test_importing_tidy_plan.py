"""Where each role of a tidy table comes from: columns, mapping, file name, wide headers (importing/tidy_plan.py)."""

import pytest

from fichex.data.importing import import_files
from fichex.errors import InputDataError
from tidy_samples import FIXTURES, canonical_rows


def test_mapping_toml_for_foreign_headers(tmp_path):
    import_files([FIXTURES / "trade_foreign_headers.csv"], tmp_path,
                 mapping=FIXTURES / "trade_foreign_headers_mapping.toml")
    assert canonical_rows(tmp_path) == [(2024, "I", "87", "10.51", "US", 1234.5),
                                        (2024, "I", "87", "C10A", "GB", 99.5)]


def test_departement_and_flow_from_the_file_name_and_quarters_summed(tmp_path):
    report = import_files([FIXTURES / "dep_2A_import_quarters.csv"], tmp_path)
    assert canonical_rows(tmp_path) == [(2024, "I", "2A", "10.51", "DE", 12000.0)]
    assert report.files[0].columns["code_departement"] == "nom du fichier (2A)"
    assert report.files[0].columns["flux"] == "nom du fichier (I)"
    assert report.warnings == ()


def test_wide_file_with_one_column_per_year(tmp_path):
    report = import_files([FIXTURES / "trade_wide_years.csv"], tmp_path)
    assert canonical_rows(tmp_path) == [(2023, "E", "23", "10.51", "DE", 1500.0),
                                        (2023, "I", "23", "10.51", "DE", 250.0),
                                        (2024, "E", "23", "10.51", "DE", 2500.0)]
    assert report.rejected_by_reason == {"valeur manquante": 1}


def test_missing_column_fails_with_one_french_line_naming_file_column_and_fix(tmp_path):
    with pytest.raises(InputDataError) as error:
        import_files([FIXTURES / "trade_missing_column.csv"], tmp_path / "out")
    assert str(error.value) == (
        "trade_missing_column.csv : colonne code_pays introuvable (colonnes lues : annee, flux, "
        "code_departement, code_produit, valeur_eur) ; indiquez les colonnes avec --mapping "
        "([columns] code_pays = \"NOM\", voir docs/donnees-reelles.md)")
    assert "\n" not in str(error.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_mapping_default_fills_only_an_absent_column(tmp_path):
    rules = tmp_path / "defaults.toml"
    rules.write_text('[defaults]\nflux = "I"\nannee = 2023\n', encoding="utf-8")
    import_files([FIXTURES / "trade_duplicated_rows.csv"], tmp_path / "a", mapping=rules)
    assert {(r[0], r[1]) for r in canonical_rows(tmp_path / "a")} == {(2024, "E"), (2024, "I")}
    import_files([FIXTURES / "dep_2A_import_quarters.csv"], tmp_path / "b", mapping=rules)
    assert canonical_rows(tmp_path / "b") == [(2024, "I", "2A", "10.51", "DE", 12000.0)]
