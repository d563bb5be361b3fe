"""The query engine (data/store.py): the same answers as pandas, a cache that knows when it is stale,
older data folders still read."""

import os
from pathlib import Path

import pandas as pd
import pytest

import fichex
from fichex.aggregation.aggregate import FicheBuilder
from fichex.data import store, trade
from fichex.errors import InputDataError


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """The demonstration data as a ParquetStore with its own cache folder."""
    cache = tmp_path_factory.mktemp("cache")
    loaded = trade.load()
    assert isinstance(loaded.store, store.ParquetStore)
    return trade.TradeData(info=loaded.info, store=store.ParquetStore(loaded.store.path, cache_dir=cache)), cache


@pytest.fixture(scope="module")
def in_memory(demo_trade):
    return trade.TradeData(demo_trade.table, demo_trade.info)


def test_both_stores_answer_alike(engine, in_memory):
    parquet, _ = engine
    assert parquet.quarters == in_memory.quarters
    assert parquet.departements == in_memory.departements
    pd.testing.assert_frame_equal(parquet.store.totals(), in_memory.store.totals(), check_dtype=False)
    pd.testing.assert_frame_equal(parquet.store.year_aggregate(2024), in_memory.store.year_aggregate(2024),
                                  check_dtype=False)
    for code in ("23", "20", "976", ("19", "23", "87")):
        ordered = ["annee", "flux", "code_departement", "code_a129", "code_pays"]
        mine = parquet.store.detail(code).sort_values(ordered).reset_index(drop=True)
        theirs = in_memory.store.detail(code).astype({c: str for c in ordered[1:]}).sort_values(ordered)
        pd.testing.assert_frame_equal(mine, theirs.reset_index(drop=True), check_dtype=False)
        pd.testing.assert_frame_equal(parquet.store.quarterly(code), in_memory.store.quarterly(code),
                                      check_dtype=False)


@pytest.mark.parametrize("code, year", [("23", 2024), ("87", 2024), ("2A", 2024), ("976", 2024), ("99", 2025)])
def test_fiches_are_identical_from_the_engine_and_from_pandas(engine, in_memory, code, year):
    parquet, _ = engine
    mine, theirs = FicheBuilder(parquet).build(code, year), FicheBuilder(in_memory).build(code, year)
    assert fichex.figures_json(mine) == fichex.figures_json(theirs)
    assert mine.local == theirs.local and mine.region_summary == theirs.region_summary
    pd.testing.assert_frame_equal(mine.detail, theirs.detail)


def test_year_aggregates_are_cached_and_refreshed_when_the_data_changes(tmp_path, monkeypatch):
    monkeypatch.delenv(store.CACHE_ENV_VAR, raising=False)  # the default place, beside the data
    data = tmp_path / "donnees"
    data.mkdir()
    source = trade.load()
    data_file = data / trade.TRADE_FILE_NAME
    data_file.write_bytes(source.store.path.read_bytes())
    first = store.ParquetStore(data_file)
    aggregate = first.year_aggregate(2024)
    cached = sorted((data / store.CACHE_DIR_NAME).glob("agregat-*-2024.parquet"))
    assert len(cached) == 1
    again = store.ParquetStore(data_file)
    again._query = None  # a cached aggregate needs no query
    pd.testing.assert_frame_equal(again.year_aggregate(2024), aggregate)
    os.utime(data_file, ns=(1, 1))  # the data changed: another state, another file, the old one removed
    fresh = store.ParquetStore(data_file).year_aggregate(2024)
    pd.testing.assert_frame_equal(fresh, aggregate)
    now = sorted((data / store.CACHE_DIR_NAME).glob("agregat-*-2024.parquet"))
    assert len(now) == 1 and now != cached


def test_an_edited_query_does_not_read_the_aggregates_cached_by_the_old_one(tmp_path, monkeypatch):
    data_file = tmp_path / trade.TRADE_FILE_NAME
    data_file.write_bytes(trade.load().store.path.read_bytes())
    cache = tmp_path / "cache"
    before = store.ParquetStore(data_file, cache_dir=cache).year_aggregate(2024)
    doubled = store.YEAR_AGGREGATE_SQL.replace("SUM(valeur_eur) AS", "2 * SUM(valeur_eur) AS")
    assert doubled != store.YEAR_AGGREGATE_SQL
    monkeypatch.setattr(store, "YEAR_AGGREGATE_SQL", doubled)
    after = store.ParquetStore(data_file, cache_dir=cache).year_aggregate(2024)
    assert after["valeur_eur"].sum() == 2 * before["valeur_eur"].sum()
    assert len(list(cache.glob("agregat-*-2024.parquet"))) == 1  # the stale aggregate was removed


def test_a_damaged_cache_is_recomputed(tmp_path):
    data_file = tmp_path / trade.TRADE_FILE_NAME
    data_file.write_bytes(trade.load().store.path.read_bytes())
    parquet = store.ParquetStore(data_file, cache_dir=tmp_path / "cache")
    expected = parquet.year_aggregate(2025)
    (path,) = (tmp_path / "cache").glob("*.parquet")
    path.write_bytes(b"not parquet")
    pd.testing.assert_frame_equal(store.ParquetStore(data_file, cache_dir=tmp_path / "cache").year_aggregate(2025),
                                  expected)


def test_the_cache_can_be_moved_or_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv(store.CACHE_ENV_VAR, "off")
    assert store.cache_dir_for(tmp_path / "x.parquet") is None
    monkeypatch.setenv(store.CACHE_ENV_VAR, str(tmp_path / "ailleurs"))
    assert store.cache_dir_for(tmp_path / "x.parquet") == tmp_path / "ailleurs"
    monkeypatch.delenv(store.CACHE_ENV_VAR)
    assert store.cache_dir_for(tmp_path / "x.parquet") == tmp_path / store.CACHE_DIR_NAME
    # The embedded demonstration data is never written beside: the user's cache folder is.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert store.cache_dir_for(trade.load().store.path) == tmp_path / "xdg" / "fichex"


def test_a_table_written_by_an_earlier_version_is_still_read(tmp_path, demo_trade):
    # Before quarters and masses: one row per year × flow × département × product × partner, no mark.
    old = demo_trade.table[demo_trade.table["code_departement"].isin(["23", "87"])]
    old = old.groupby(["annee", "flux", "code_departement", "code_produit", "code_pays"], observed=True)[
        "valeur_eur"].sum().reset_index()
    old.to_parquet(tmp_path / trade.TRADE_FILE_NAME, index=False)
    loaded = trade.load(tmp_path)
    assert isinstance(loaded.store, store.FrameStore)
    assert loaded.quarters == {2022: (0,), 2023: (0,), 2024: (0,), 2025: (0,)}
    figures = fichex.key_figures("23", 2024, data=loaded)
    expected = demo_trade.table[(demo_trade.table["annee"] == 2024) & (demo_trade.table["code_departement"] == "23")
                                & (demo_trade.table["flux"] == "E")]["valeur_eur"].sum()
    assert figures["exportations"]["total_eur"] == expected


def test_only_files_the_importer_checked_are_trusted(tmp_path, demo_trade):
    rows = demo_trade.table.head(50).copy()
    rows.loc[rows.index[0], "valeur_eur"] = -1.0
    trade.write_parquet(rows, tmp_path / trade.TRADE_FILE_NAME, demo_trade.info)
    with pytest.raises(InputDataError, match="1 ligne avec une valeur négative"):
        trade.load(tmp_path)


def test_the_suite_caches_in_a_folder_of_its_own():
    """conftest.py points FICHEX_CACHE at a temporary folder: the user's cache is neither read nor written."""
    import tempfile

    folder = Path(os.environ[store.CACHE_ENV_VAR])
    assert folder.name.startswith("fichex-test-cache-") and folder.parent == Path(tempfile.gettempdir())
    assert store.cache_dir_for(trade.load().store.path) == folder
