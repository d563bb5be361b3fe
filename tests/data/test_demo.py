"""The demonstration dataset: calibrated on the published totals, sparse, realistic, deterministic."""

import pandas as pd
import pytest

from fichex import resources as paths
from fichex.data import demo, reference
from fichex.data.importing import dgddi, import_files


@pytest.fixture(scope="module")
def published():
    table = pd.read_csv(paths.reference_dir() / "totaux_publies.csv", dtype=str)
    table = table[(table["annee"] == "2024") & ~table["concept"].str.startswith("chiffre officiel")]
    return table


def test_dataset_is_flagged_and_small(demo_trade):
    assert demo_trade.info.demonstration
    assert "démonstration" in demo_trade.info.source
    assert paths.demo_dataset_path().stat().st_size < 15_000_000
    assert demo_trade.years == [2022, 2023, 2024, 2025]


def test_every_published_total_is_reproduced_to_the_euro(demo_trade, published):
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
        assert rows["valeur_eur"].sum() == round(float(row.valeur_meur) * 1_000_000), row


def test_all_departements_years_and_many_partners(demo_trade):
    table = demo_trade.table
    assert table["code_departement"].nunique() == 101  # DGDDI's: Corse as one, 5 DOM, Monaco
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


def test_shipped_file_is_what_the_importer_makes_of_the_simulated_regional_files(demo_trade, tmp_path):
    # The demo path is the real path: simulated DGDDI files in the official layout, through the importer.
    files = demo.write_regional_files(tmp_path / "fichiers")
    assert [f.name for f in files] == ["REGIONAL_CPF4PAYSE.txt", "REGIONAL_CPF4PAYSI.txt"]
    with files[0].open("rb") as stream:
        head = stream.read(4096)
    assert not head.startswith(b"annee") and dgddi.looks_regional(head)
    first = head.split(b"\n")[0].decode().split(";")
    assert len(first) == 10 and first[0] == "E" and first[1] in "1234" and len(first[6]) == 4
    report = import_files([tmp_path / "fichiers"], tmp_path / "donnees")
    assert report.info.demonstration and report.rows_rejected == 0
    assert report.output.read_bytes() == paths.demo_dataset_path().read_bytes()
    assert sum(r["euros_lus"] for r in report.reconciliation) == demo_trade.table["valeur_eur"].sum()


def test_dgddi_territories_quarters_and_masses(demo_trade):
    table = demo_trade.table
    codes = set(table["code_departement"].astype(str))
    assert {"20", "99", "971", "976"} <= codes and not {"2A", "2B", "9A"} & codes
    assert demo_trade.quarters[2024] == (1, 2, 3, 4) and demo_trade.quarters[2025] == (1,)
    assert not demo_trade.complete(2025) and demo_trade.default_year == 2024
    assert table["code_produit"].astype(str).str.fullmatch(r"\d{4}").all()
    cpf4 = reference.cpf4_products().set_index("code_cpf4")["code_a129"]
    pairs = table[["code_produit", "code_a129"]].drop_duplicates().astype(str)
    assert (pairs["code_produit"].map(cpf4) == pairs["code_a129"]).all()
    assert (table["masse_kg"] >= 0).all() and table["masse_kg"].notna().all()


def test_france_exports_to_the_united_states_keep_the_published_magnitude(demo_trade):
    """DGDDI published 48.5 Md€ of French exports to the US for 2024 (8.3 % of the total): the
    demonstration data stays within 1 % of it, so the exposure pages show plausible magnitudes."""
    table = demo_trade.store.year_aggregate(2024)
    exports = table[table["flux"] == "E"]
    to_us = exports.loc[exports["code_pays"] == "US", "valeur_eur"].sum()
    assert to_us == pytest.approx(48.5e9, rel=0.01)
    assert 100 * to_us / exports["valeur_eur"].sum() == pytest.approx(8.3, abs=0.3)
