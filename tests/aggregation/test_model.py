"""The Fiche and its parts: accessors by flow code, document date, the detail table, a leaf module."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from fichex.aggregation import model
from fichex.aggregation.model import ActivityTrade, DataSource, PartnerTrade

PARTNER = PartnerTrade("DE", "Allemagne", "Union européenne", exports_eur=120.0, imports_eur=45.0)
ACTIVITY = ActivityTrade("C10A", "Produits de la viande", "Viande", "CA", "Produits alimentaires",
                         exports_eur=7.5, imports_eur=2.5)


def test_partner_and_activity_values_by_flow():
    assert (PARTNER.value("E"), PARTNER.value("I"), PARTNER.balance_eur) == (120.0, 45.0, 75.0)
    assert (ACTIVITY.value("E"), ACTIVITY.value("I"), ACTIVITY.balance_eur) == (7.5, 2.5, 5.0)


def test_fiche_share_and_tiles_by_flow(fiche_23):
    assert fiche_23.share("E") is fiche_23.exports
    assert fiche_23.share("I") is fiche_23.imports
    assert fiche_23.tiles("E") is fiche_23.export_tiles
    assert fiche_23.tiles("I") is fiche_23.import_tiles
    assert fiche_23.exports.total_eur != fiche_23.imports.total_eur  # else the test could not tell them apart


@pytest.mark.parametrize("scope", ["local", "region_summary", "france_summary"])
def test_scope_summary_by_flow(fiche_23, scope):
    summary = getattr(fiche_23, scope)
    assert (summary.total("E"), summary.total("I")) == (summary.exports_eur, summary.imports_eur)
    assert summary.top_partners("E") is summary.top_partners_export
    assert summary.top_partners("I") is summary.top_partners_import
    assert summary.top_activities("E") is summary.top_activities_export
    assert summary.top_activities("I") is summary.top_activities_import
    assert summary.flows("E") is summary.export_flows and summary.flows("E").flow == "E"
    assert summary.flows("I") is summary.import_flows and summary.flows("I").flow == "I"
    assert [p.value("E") for p in summary.top_partners("E")] == [p.exports_eur for p in summary.top_partners_export]


def test_local_summary_totals_are_the_fiche_totals(fiche_23):
    assert fiche_23.local.total("E") == pytest.approx(fiche_23.share("E").total_eur)
    assert fiche_23.local.total("I") == pytest.approx(fiche_23.share("I").total_eur)


@pytest.mark.parametrize("flow", ["X", "e", "", "EI"])
def test_a_bad_flow_code_is_refused(fiche_23, flow):
    for call in (fiche_23.share, fiche_23.tiles, fiche_23.local.total, fiche_23.local.top_partners,
                 fiche_23.local.top_activities, fiche_23.local.flows, PARTNER.value, ACTIVITY.value):
        with pytest.raises(ValueError, match="flow must be 'E' or 'I'"):
            call(flow)


@pytest.mark.parametrize("created, expected", [
    ("2025-02-07", dt.datetime(2025, 2, 7)),
    ("2025-02-07T15:30:00+01:00", dt.datetime(2025, 2, 7)),
    ("", dt.datetime(2025, 1, 1)),
    ("inconnue", dt.datetime(2025, 1, 1)),
])
def test_document_date(created, expected):
    source = DataSource(demonstration=False, source="DGDDI", path="donnees/commerce.parquet", created=created)
    assert source.document_date(2024) == expected


def test_fiche_document_date_is_its_data_date(fiche_23):
    assert fiche_23.document_date == fiche_23.data.document_date(fiche_23.year)


def test_detail_columns_and_totals(fiche_23, demo_trade):
    detail = fiche_23.detail
    assert tuple(detail.columns) == model.DETAIL_COLUMNS
    assert set(detail["code_departement"].astype(str)) == {"23"}
    table = demo_trade.table
    rows = table[table["code_departement"].astype(str) == "23"]
    expected = rows.groupby(["annee", "flux"], observed=True)["valeur_eur"].sum()
    shown = detail.groupby(["annee", "flux"], observed=True)["valeur_eur"].sum()
    assert len(expected) >= 2
    assert {(int(y), str(f)) for y, f in shown.index} == {(int(y), str(f)) for y, f in expected.index}
    for (year, flow), value in expected.items():
        assert shown[(year, flow)] == pytest.approx(value), (year, flow)
    this_year = detail[detail["annee"] == fiche_23.year]
    assert this_year.loc[this_year["flux"] == "E", "valeur_eur"].sum() == pytest.approx(fiche_23.exports.total_eur)


def test_model_imports_nothing_from_fichex_but_the_provenance_leaf():
    tree = ast.parse(Path(model.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import in the model"
            imported.add(node.module)
    assert imported  # the walk saw the imports
    assert [name for name in imported if name == "fichex" or name.startswith("fichex.")] == ["fichex.provenance"]
    provenance = ast.parse(Path(model.__file__).parents[1].joinpath("provenance.py").read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(provenance) if isinstance(node, ast.ImportFrom)
                and (node.level or (node.module or "").startswith("fichex"))]  # itself a leaf
