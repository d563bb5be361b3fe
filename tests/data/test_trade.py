import pandas as pd
import pytest

from fichex.data import trade
from fichex.errors import InputDataError


def rows(**overrides):
    base = {"annee": [2024, 2024], "flux": ["E", "I"], "code_departement": ["23", "23"],
            "code_produit": ["C10E", "10.51"], "code_pays": ["DE", "IT"], "valeur_eur": [1000.0, 2.5]}
    base.update(overrides)
    return pd.DataFrame(base)


def test_valid_rows_are_normalised():
    table = trade.validate(rows(code_departement=["23", "2a"], flux=["e", "I"]))
    assert list(table.columns) == trade.CANONICAL_COLUMNS
    assert table["code_departement"].astype(str).tolist() == ["23", "2A"]
    assert table["flux"].astype(str).tolist() == ["E", "I"]
    assert table["code_a129"].astype(str).tolist() == ["C10E", "C10E"]


def test_missing_column_is_named():
    with pytest.raises(InputDataError, match=r"^f\.csv : colonne manquante valeur_eur ; colonnes attendues"):
        trade.validate(rows().drop(columns="valeur_eur"), source="f.csv")


def test_negative_value_counts_rows_and_quotes_examples():
    with pytest.raises(InputDataError, match=r"1 ligne avec une valeur négative.*ex\. 2024 / I / 23"):
        trade.validate(rows(valeur_eur=[1.0, -5.0]))


def test_missing_value_is_refused():
    with pytest.raises(InputDataError, match="sans valeur numérique"):
        trade.validate(rows(valeur_eur=[1.0, None]))


def test_duplicated_key_is_refused():
    with pytest.raises(InputDataError, match="2 lignes en double"):
        trade.validate(rows(flux=["E", "E"], code_produit=["C10E", "C10E"], code_pays=["DE", "DE"]))


@pytest.mark.parametrize("column, value, message", [
    ("code_departement", "98", "code département inconnu"),
    ("code_pays", "ZZ", "code pays inconnu"),
    ("code_produit", "X99", "code produit inconnu"),
    ("flux", "X", "flux autre que E ou I"),
    ("annee", "deux mille", "année invalide"),
])
def test_unknown_codes_are_refused(column, value, message):
    frame = rows()
    frame[column] = frame[column].astype(object)
    frame.loc[1, column] = value
    with pytest.raises(InputDataError, match=message):
        trade.validate(frame)


def test_messages_are_one_line():
    with pytest.raises(InputDataError) as caught:
        trade.validate(rows(valeur_eur=[-1.0, -2.0]))
    assert "\n" not in str(caught.value)


def test_parquet_round_trip_keeps_the_description(tmp_path):
    info = trade.DataSource(demonstration=False, source="essai", path="", files=("a.csv",))
    trade.write_parquet(trade.validate(rows()), tmp_path / trade.TRADE_FILE_NAME, info)
    loaded = trade.load(tmp_path)
    assert loaded.info.source == "essai" and loaded.info.files == ("a.csv",)
    assert not loaded.info.demonstration
    assert loaded.table["valeur_eur"].sum() == pytest.approx(1002.5)
    assert not list(tmp_path.glob("*.tmp"))


def test_unreadable_parquet_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"not parquet")
    with pytest.raises(InputDataError, match="fichier Parquet illisible"):
        trade.load(bad)


def test_missing_data_folder_file(tmp_path):
    with pytest.raises(InputDataError, match="dossier de données sans commerce_exterieur.parquet"):
        trade.load(tmp_path)


@pytest.mark.parametrize("column", ["flux", "code_departement", "code_pays", "code_produit"])
def test_missing_codes_are_reported_not_crashed(column):
    frame = rows()
    frame[column] = frame[column].astype(object)
    frame.loc[1, column] = None
    with pytest.raises(InputDataError, match=r"\(vide\)"):
        trade.validate(frame, source="f.parquet")
