"""The bounded grouped sum an agent may ask of the store (store.grouped_sum): the same answer from DuckDB over
the Parquet file and from pandas over the table, whitelisted columns only, never more rows than the cap."""

from __future__ import annotations

import pandas as pd
import pytest

from fichex.data import store
from fichex.data.store import QUERY_MAX_ROWS, FrameStore


@pytest.fixture(scope="module")
def frame_store(demo_trade):
    return FrameStore(demo_trade.table)


@pytest.mark.parametrize("group_by, filters", [
    (["code_departement", "flux"], {"annees": [2024], "territoires": ["23", "87"]}),
    (["code_pays"], {"produits": ["C10E"], "flux": ["I"]}),
    (["annee", "trimestre"], {"territoires": ["971"], "pays": ["US", "CN"]}),
    ([], {"annees": [2024], "flux": ["E"]}),
])
def test_duckdb_and_pandas_give_the_same_grouped_sum(demo_trade, frame_store, group_by, filters):
    parquet = demo_trade.store.grouped_sum(group_by, filters, 20)
    memory = frame_store.grouped_sum(group_by, filters, 20)
    columns = [*group_by, "valeur_eur", "masse_kg", "lignes", "groupes"]
    pd.testing.assert_frame_equal(parquet[columns].reset_index(drop=True), memory[columns].reset_index(drop=True),
                                  check_dtype=False, rtol=1e-9)
    assert parquet["valeur_eur"].is_monotonic_decreasing


def test_the_cap_holds_and_the_number_of_groups_is_told(demo_trade):
    frame = demo_trade.store.grouped_sum(["code_departement", "code_pays"], {}, QUERY_MAX_ROWS)
    assert len(frame) == QUERY_MAX_ROWS and frame["groupes"].iloc[0] > QUERY_MAX_ROWS


@pytest.mark.parametrize("group_by, limit", [(["valeur_eur"], 10), (["annee; DROP TABLE trade"], 10),
                                             (["annee", "annee"], 10), (["annee"], 0),
                                             (["annee"], QUERY_MAX_ROWS + 1)])
def test_columns_outside_the_list_and_caps_out_of_range_are_refused_before_any_sql(demo_trade, group_by, limit):
    with pytest.raises(ValueError):
        demo_trade.store.grouped_sum(group_by, {}, limit)
    with pytest.raises(ValueError):
        store.check_query(group_by, limit)


def test_values_are_parameters_never_sql(demo_trade):
    frame = demo_trade.store.grouped_sum(["flux"], {"territoires": ["23' OR '1'='1"]}, 10)
    assert frame.empty or int(frame["lignes"].sum()) == 0
