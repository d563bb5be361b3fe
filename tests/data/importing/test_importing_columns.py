"""Recognising columns, units, periods and amounts; the mapping file (importing/columns.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from fichex.data.importing import columns as col
from fichex.data.importing import import_files
from fichex.errors import InputDataError
from tidy_samples import FIXTURES


@pytest.mark.parametrize(("cells", "decimal", "expected"), [
    (["1 234,567", "0,5", "12\u00a0345,001"], None, [1234.567, 0.5, 12345.001]),
    (["1.234,5", "2,25"], None, [1234.5, 2.25]),
    (["1,234.5", "99.5"], None, [1234.5, 99.5]),
    (["1.234.567", "12"], None, [1234567.0, 12.0]),
    (["1,234,567"], None, [1234567.0]),
    ([12.5, 3], None, [12.5, 3.0]),
    (["1.234"], ",", [1234.0]),
])
def test_parse_amounts(cells, decimal, expected):
    assert col.parse_amounts(pd.Series(cells, dtype=object), decimal).tolist() == pytest.approx(expected)


@pytest.mark.parametrize(("text", "kind", "expected"), [
    ("2024T1", "", (2024, "T1")), ("T3 2023", "", (2023, "T3")), ("2024-Q2", "", (2024, "T2")),
    ("202403", "", (2024, "M03")), ("2024-11", "", (2024, "M11")), ("2024", "", (2024, None)),
    ("2", "trimestre", (None, "T2")), ("7", "mois", (None, "M07")), ("bientôt", "", None),
])
def test_parse_period(text, kind, expected):
    assert col.parse_period(text, kind) == expected


@pytest.mark.parametrize(("name", "flow", "dep"), [
    ("Dep_01_export_pays_x_produits.xls", "E", "01"), ("33-importations.csv", "I", "33"),
    ("D2A_IMP.xlsx", "I", "2A"), ("export_2024.csv", "E", None), ("donnees.csv", None, None),
    ("export_import_974.csv", None, "974"),
])
def test_hints_from_file_name(name, flow, dep):
    from fichex.data import reference

    known = set(reference.departements()["code_departement"])
    assert col.flow_from_name(name) == flow
    assert col.departement_from_name(name, known) == dep


def test_aliases_prefer_the_finest_product_code_and_the_code_column():
    headers = ["Libellé pays", "PAYS", "Code pays", "A129", "CPF6", "CPF4"]
    assert col.find_column(headers, "code_produit") == "CPF6"
    assert col.find_column(headers, "code_pays") == "Code pays"


def test_mapping_errors(tmp_path):
    bad_key = tmp_path / "bad_key.toml"
    bad_key.write_text('[columns]\nyear = "YEAR"\n', encoding="utf-8")
    with pytest.raises(InputDataError, match=r"^bad_key\.toml : clé « year » inconnue dans \[columns\]"):
        import_files([FIXTURES / "trade_foreign_headers.csv"], tmp_path / "out", mapping=bad_key)
    bad_unit = tmp_path / "bad_unit.toml"
    bad_unit.write_text('[units]\nvaleur = "meur"\n', encoding="utf-8")
    with pytest.raises(InputDataError, match=r"valeur = \"keur\""):
        import_files([FIXTURES / "trade_foreign_headers.csv"], tmp_path / "out", mapping=bad_unit)
    absent_column = tmp_path / "absent_column.toml"
    absent_column.write_text('[columns]\ncode_pays = "COUNTRY"\n', encoding="utf-8")
    with pytest.raises(InputDataError, match=r"colonne « COUNTRY » \(indiquée pour code_pays"):
        import_files([FIXTURES / "trade_foreign_headers.csv"], tmp_path / "out", mapping=absent_column)
