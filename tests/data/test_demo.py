"""The demonstration dataset: calibrated on the published totals, sparse, realistic, deterministic."""

import pandas as pd
import pytest

from fichex import resources as paths
from fichex.data import demo, reference


@pytest.fixture(scope="module")
def published():
    table = pd.read_csv(paths.reference_dir() / "totaux_publies.csv", dtype=str)
    table = table[(table["annee"] == "2024") & ~table["concept"].str.startswith("chiffre officiel")]
    return table


def test_dataset_is_flagged_and_small(demo_trade):
    assert demo_trade.info.demonstration
    assert "démonstration" in demo_trade.info.source
    assert paths.demo_dataset_path().stat().st_size < 20_000_000
    assert demo_trade.years == [2022, 2023, 2024]


def test_every_published_total_is_reproduced_to_a_tenth_of_a_million(demo_trade, published):
    table = demo_trade.table[demo_trade.table["annee"] == 2024].copy()
    table["code_region"] = table["code_departement"].astype(str).map(
        reference.departements().set_index("code_departement")["code_region"])
    assert len(published) == 8
    for row in published.itertuples():
        rows = table[table["flux"] == row.flux]
        if row.perimetre == "departement":
            rows = rows[rows["code_departement"] == row.code]
        elif row.perimetre == "region":
            rows = rows[rows["code_region"] == row.code]
        assert round(rows["valeur_eur"].sum() / 1e6, 1) == pytest.approx(float(row.valeur_meur)), row


def test_all_departements_years_and_many_partners(demo_trade):
    table = demo_trade.table
    assert table["code_departement"].nunique() == 101
    assert 150 <= table["code_pays"].nunique() <= 200
    assert table["code_a129"].nunique() > 60


def test_main_partners_match_france_published_partners(demo_trade):
    partners = pd.read_csv(paths.reference_dir() / "partenaires_france_2024.csv")
    table = demo_trade.table[demo_trade.table["annee"] == 2024]
    sums = table.groupby(["flux", "code_pays"], observed=True)["valeur_eur"].sum() / 1e6
    for row in partners.itertuples():
        assert sums[(row.flux, row.code_pays)] == pytest.approx(row.valeur_meur, rel=0.02)


def test_sparse_and_heavy_tailed(demo_trade):
    rows = demo_trade.table[(demo_trade.table["annee"] == 2024) & (demo_trade.table["code_departement"] == "33")
                            & (demo_trade.table["flux"] == "E")]
    values = rows["valeur_eur"].sort_values(ascending=False)
    assert len(values) < 73 * 185 / 2  # far from every product × partner pair
    assert values.head(len(values) // 10).sum() > 0.5 * values.sum()  # top decile holds most of the value


def test_departements_differ(builder):
    top = {builder.build(code, 2024).local.top_activities_export[0].code for code in ("23", "87", "31", "51", "13")}
    assert len(top) >= 3


def test_shipped_file_is_what_the_generator_writes(demo_trade):
    generated = demo.generate().reset_index(drop=True)
    shipped = demo_trade.table.copy()
    for column in ("flux", "code_departement", "code_produit", "code_a129", "code_pays"):
        shipped[column] = shipped[column].astype(str)
        generated[column] = generated[column].astype(str)
    pd.testing.assert_frame_equal(shipped, generated, check_dtype=False)
