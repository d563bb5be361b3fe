"""The query engine (data/store.py): the same answers as pandas, a cache keyed on the data's content and
checked before it is used, a store pinned to the file it opened, older data folders still read."""

import os
import tempfile
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


@pytest.mark.parametrize("code", ["23", "20", "976", ("19", "23", "87"), ("2A", "2B")])
def test_detail_and_quarterly_are_the_two_queries_in_one(engine, in_memory, code):
    """One pass (DETAIL_QUARTERLY_SQL's grouping sets) gives exactly `detail` and `quarterly`: the same rows,
    values and types (the detail's rows in any order: every reader sorts them)."""
    parquet, _ = engine
    for data in (parquet, in_memory):
        detail, quarterly = data.store.detail_and_quarterly(code)
        ordered = list(store.DETAIL_KEY)
        pd.testing.assert_frame_equal(detail.sort_values(ordered).reset_index(drop=True),
                                      data.store.detail(code).sort_values(ordered).reset_index(drop=True))
        pd.testing.assert_frame_equal(quarterly, data.store.quarterly(code))


def test_both_stores_sum_territories_together_as_their_detail_does(engine, in_memory):
    """France's Données rows (`combined_detail`): the territories' detail rows summed by year, flow, product and
    partner, alike from both stores; the sums France's Données held by région before, added up."""
    parquet, _ = engine
    codes = sorted(in_memory.departements)
    key = list(store.COMBINED_DETAIL_KEY)
    mine = parquet.store.combined_detail(codes).sort_values(key).reset_index(drop=True)
    theirs = in_memory.store.combined_detail(codes).astype({c: str for c in key[1:]}).sort_values(key)
    pd.testing.assert_frame_equal(mine, theirs.reset_index(drop=True), check_dtype=False)
    territories = parquet.store.detail(codes)
    by_territory = territories.groupby(key, as_index=False)["valeur_eur"].sum()
    pd.testing.assert_frame_equal(mine, by_territory.sort_values(key).reset_index(drop=True), check_dtype=False)
    assert len(mine) < len(territories)


@pytest.mark.parametrize("level, code", [("region", "75"), ("france", "FR")])
def test_region_and_france_fiches_are_identical_from_the_engine_and_from_pandas(engine, in_memory, level, code):
    parquet, _ = engine
    mine, theirs = (FicheBuilder(data).build_level(level, code, 2024) for data in (parquet, in_memory))
    assert fichex.figures_json(mine) == fichex.figures_json(theirs)
    assert mine.local == theirs.local and mine.breakdown == theirs.breakdown and mine.exposure == theirs.exposure
    pd.testing.assert_frame_equal(mine.detail, theirs.detail)


def test_the_engine_queries_in_a_memory_of_its_own(engine):
    import duckdb

    def settings(connection) -> tuple:
        return connection.sql("SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchall()[0]

    parquet, _ = engine
    limit, spill = settings(parquet.store.connection)
    assert limit == settings(duckdb.connect(config={"memory_limit": store.STORE_MEMORY}))[0] != settings(
        duckdb.connect())[0]
    assert Path(spill).parent == Path(tempfile.gettempdir()) and Path(spill).name.startswith("fichex-duckdb-")


def test_one_territory_is_asked_on_a_connection_of_one_thread_with_its_own_spill_folder(tmp_path, demo_trade, monkeypatch):
    """A fiche's own question (one territory's detail and quarters) runs on a connection of one DuckDB thread, with
    the store's memory limit and a spill folder of its own (not the other connection's, even with one thread); the whole-year questions keep their threads; both
    are closed together."""
    engine = store.ParquetStore(demo_trade.store.path, cache_dir=tmp_path)

    def settings(connection) -> tuple:
        return connection.sql("SELECT current_setting('threads'), current_setting('memory_limit'), "
                              "current_setting('temp_directory')").fetchall()[0]

    assert engine._territory_connection is None
    engine.detail_and_quarterly("23")
    assert engine._connection is None  # one territory only: the store's other connection is not opened
    threads, limit, spill = settings(engine.territory_connection)
    assert threads == 1 and Path(spill).name.startswith("fichex-duckdb-")
    assert (store.STORE_THREADS, limit) == settings(engine.connection)[:2] and spill != settings(engine.connection)[2]
    engine.detail_and_quarterly(("19", "23"))  # several territories: the store's connection, its threads
    assert settings(engine.connection)[0] == store.STORE_THREADS
    engine.close()
    assert engine._connection is None and engine._territory_connection is None
    monkeypatch.setattr(store, "STORE_THREADS", 1)  # a one-core machine: the folders still differ
    single = store.ParquetStore(demo_trade.store.path, cache_dir=tmp_path)
    assert settings(single.territory_connection)[2] != settings(single.connection)[2]
    single.close()


@pytest.mark.parametrize("year, quarters", [(2024, ()), (2024, (1,)), (2025, (1, 2))])
def test_both_stores_give_the_same_sums_by_product(engine, in_memory, year, quarters):
    parquet, _ = engine
    mine, theirs = parquet.store.product_sums(year, quarters), in_memory.store.product_sums(year, quarters)
    assert list(mine.columns) == store.PRODUCT_COLUMNS and len(mine) > 0
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), theirs.reset_index(drop=True), check_dtype=False)
    table = in_memory.table
    chosen = table[(table["annee"] == year) & (table["trimestre"].isin(quarters) if quarters else True)]
    assert mine["valeur_eur"].sum() == pytest.approx(chosen["valeur_eur"].sum())


def test_sums_by_product_without_masses_cover_nothing():
    frame = pd.DataFrame({"annee": [2024, 2024], "trimestre": [1, 2], "flux": ["E", "E"],
                          "code_departement": ["23", "23"], "code_produit": ["0111", "0111"],
                          "valeur_eur": [100.0, 300.0], "masse_kg": [50.0, float("nan")]})
    sums = store.FrameStore(frame).product_sums(2024)
    assert sums[["valeur_eur", "masse_kg", "valeur_avec_masse_eur"]].values.tolist() == [[400.0, 50.0, 100.0]]
    assert store.FrameStore(frame).product_sums(2024, (2,))["valeur_avec_masse_eur"].tolist() == [0.0]


@pytest.mark.parametrize("code, year", [("23", 2024), ("87", 2024), ("2A", 2024), ("976", 2024), ("99", 2025)])
def test_fiches_are_identical_from_the_engine_and_from_pandas(engine, in_memory, code, year):
    parquet, _ = engine
    mine, theirs = FicheBuilder(parquet).build(code, year), FicheBuilder(in_memory).build(code, year)
    assert fichex.figures_json(mine) == fichex.figures_json(theirs)
    assert mine.local == theirs.local and mine.region_summary == theirs.region_summary
    pd.testing.assert_frame_equal(mine.detail, theirs.detail)


def _copy_of_demo(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data_file = folder / trade.TRADE_FILE_NAME
    data_file.write_bytes(trade.load().store.path.read_bytes())
    return data_file


def _only_totals(store_object):
    """Let a store run only the check of a cached aggregate (its year's totals), not the aggregate itself."""
    query = store_object._query

    def checked_only(sql, **parameters):
        assert sql == store.YEAR_TOTALS_SQL, "a cached aggregate needs no aggregate query"
        return query(sql, **parameters)
    store_object._query = checked_only


def test_year_aggregates_are_cached_and_refreshed_when_the_data_changes(tmp_path, monkeypatch, demo_trade):
    monkeypatch.delenv(store.CACHE_ENV_VAR, raising=False)  # the default place, beside the data
    data = tmp_path / "donnees"
    data_file = _copy_of_demo(data)
    first = store.ParquetStore(data_file)
    aggregate = first.year_aggregate(2024)
    cached = sorted((data / store.CACHE_DIR_NAME).glob("agregat-*-2024.parquet"))
    assert len(cached) == 1
    assert (data / store.CACHE_DIR_NAME).stat().st_mode & 0o777 == 0o700
    again = store.ParquetStore(data_file)
    _only_totals(again)
    pd.testing.assert_frame_equal(again.year_aggregate(2024), aggregate)
    os.utime(data_file, ns=(1, 1))  # touched, not changed: the content is the key, the aggregate still serves
    touched = store.ParquetStore(data_file)
    _only_totals(touched)
    pd.testing.assert_frame_equal(touched.year_aggregate(2024), aggregate)
    rows = demo_trade.table[demo_trade.table["annee"] == 2024].reset_index(drop=True)
    rows["valeur_eur"] = rows["valeur_eur"] * 2
    trade.write_parquet(rows, data_file, demo_trade.info, checked=True)  # new content: another aggregate
    fresh = store.ParquetStore(data_file).year_aggregate(2024)
    assert fresh["valeur_eur"].sum() == pytest.approx(2 * aggregate["valeur_eur"].sum())
    now = sorted((data / store.CACHE_DIR_NAME).glob("agregat-*-2024.parquet"))
    assert len(now) == 1 and now != cached  # the aggregate of the old content removed


def test_the_content_key_reads_the_footer_not_the_dates(tmp_path):
    data_file = _copy_of_demo(tmp_path)
    key = store.ParquetStore(data_file).content_key()
    os.utime(data_file, ns=(5, 5))
    assert store.ParquetStore(data_file).content_key() == key
    other = _copy_of_demo(tmp_path / "ailleurs")
    assert store.ParquetStore(other).content_key() == key  # same bytes, same key, wherever the file lies


def _cached_file(cache: Path) -> Path:
    (path,) = cache.glob("agregat-*.parquet")
    return path


def _rewrite(path: Path, change, keep_checksum: bool = False) -> None:
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    frame = change(table.to_pandas())
    meta = dict(table.schema.metadata)
    if not keep_checksum:
        described = json.loads(meta[store.CACHE_METADATA_KEY])
        described["somme"] = store.aggregate_checksum(frame)
        meta[store.CACHE_METADATA_KEY] = json.dumps(described).encode()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(meta), path)


def _times(factor):
    def change(frame):
        frame["valeur_eur"] = frame["valeur_eur"] * factor
        return frame
    return change


def _one_row_moved(frame):
    """Values swapped between two rows of one flow: the totals hold, the checksum does not."""
    frame = frame.copy()
    first, second = frame.index[frame["flux"] == "E"][:2]
    frame.loc[[first, second], "valeur_eur"] = frame.loc[[second, first], "valeur_eur"].to_numpy()
    return frame


@pytest.mark.parametrize("change, keep_checksum", [
    (_times(10), False),         # a poisoner who recomputes the checksum: the data's own totals disagree
    (_times(-1), False),         # negative values
    (_one_row_moved, True),      # the totals hold, the checksum does not
    (lambda f: f.drop(columns="code_pays").assign(code_pays="DE"), True),
], ids=["×10", "négatives", "deux valeurs échangées", "colonne réécrite"])
def test_a_cached_aggregate_is_checked_before_it_is_used(tmp_path, change, keep_checksum):
    data_file = _copy_of_demo(tmp_path)
    cache = tmp_path / "cache"
    expected = store.ParquetStore(data_file, cache_dir=cache).year_aggregate(2024)
    _rewrite(_cached_file(cache), change, keep_checksum)
    pd.testing.assert_frame_equal(store.ParquetStore(data_file, cache_dir=cache).year_aggregate(2024), expected)
    assert store._read_cache(_cached_file(cache), store.ParquetStore(data_file).content_key(), 2024) is not None


def test_an_aggregate_cached_for_another_content_or_year_is_not_read(tmp_path):
    data_file = _copy_of_demo(tmp_path)
    cache = tmp_path / "cache"
    parquet = store.ParquetStore(data_file, cache_dir=cache)
    parquet.year_aggregate(2024)
    path = _cached_file(cache)
    assert store._read_cache(path, parquet.content_key(), 2024) is not None
    assert store._read_cache(path, "0" * 64, 2024) is None
    assert store._read_cache(path, parquet.content_key(), 2023) is None


@pytest.mark.parametrize("kind", ["fichier", "/dev/null", "sous un fichier", "modifiable par d'autres"])
def test_an_unusable_cache_folder_is_a_warning_and_no_cache(tmp_path, capsys, kind):
    store._WARNED.clear()
    if kind == "/dev/null":
        folder = Path("/dev/null")
    elif kind == "modifiable par d'autres":
        folder = tmp_path / "partage"
        folder.mkdir()
        folder.chmod(0o775)
    else:
        (tmp_path / "f").write_text("x")
        folder = tmp_path / "f" if kind == "fichier" else tmp_path / "f" / "cache"
    assert store.usable_cache_dir(folder) is None
    assert store.usable_cache_dir(folder) is None
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("fichex : avertissement : cache des agrégats inutilisable : ")
    assert str(folder) in err[0]
    data_file = _copy_of_demo(tmp_path / "d")
    frame = store.ParquetStore(data_file, cache_dir=folder).year_aggregate(2025)  # recomputed, no traceback
    assert len(frame)


def test_a_cache_that_cannot_be_written_is_a_warning(tmp_path, capsys):
    store._WARNED.clear()
    frame = pd.DataFrame({c: ["x"] for c in store.AGGREGATE_COLUMNS[:-1]} | {"valeur_eur": [1.0]})
    store._write_cache(tmp_path / "absent" / "agregat-a-b-2024.parquet", frame, "k", 2024)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cache des agrégats inutilisable" in err


def test_a_store_is_pinned_to_the_file_it_opened(tmp_path):
    data_file = _copy_of_demo(tmp_path)
    parquet = store.ParquetStore(data_file, cache_dir=tmp_path / "cache")
    parquet.detail("23")
    state = parquet.state
    replacement = tmp_path / "autre.parquet"
    replacement.write_bytes(data_file.read_bytes())
    os.replace(replacement, data_file)  # an import renames its new table over the old one
    with pytest.raises(InputDataError, match="les données ont changé pendant la lecture"):
        parquet.detail("23")
    with pytest.raises(InputDataError, match="les données ont changé"):
        store.ParquetStore(data_file, state=state)


def test_a_table_is_pinned_and_its_digest_is_that_of_the_pinned_file(tmp_path):
    from fichex.atomic import file_sha256

    data_file = _copy_of_demo(tmp_path)
    loaded = trade.load(tmp_path)
    assert loaded.pin == store.FileState.at(data_file)
    assert loaded.content_sha256() == file_sha256(data_file)
    with pytest.raises(InputDataError, match="ont changé"):
        trade.load(tmp_path, pin=store.FileState(0, 0, 0, 0))
    os.utime(data_file, ns=(7, 7))
    with pytest.raises(InputDataError, match="ont changé"):
        loaded.content_sha256()


def test_a_table_read_whole_is_pinned_too(tmp_path, demo_trade):
    old = demo_trade.table[demo_trade.table["code_departement"].isin(["23"])].head(100)
    old.to_parquet(tmp_path / trade.TRADE_FILE_NAME, index=False)
    loaded = trade.load(tmp_path)
    assert isinstance(loaded.store, store.FrameStore) and loaded.pin is not None
    emptied = loaded.without_rows()
    assert emptied.pin == loaded.pin and len(emptied.table) == 0


def test_a_held_table_keeps_imports_out_until_released(tmp_path, monkeypatch):
    from fichex.data import lock
    from fichex.errors import OutputError

    monkeypatch.setenv(lock.WAIT_ENV_VAR, "0")
    _copy_of_demo(tmp_path)
    loaded = trade.load(tmp_path, hold=True)
    with pytest.raises(OutputError, match="occupé"):
        with lock.importing(tmp_path, trade.TRADE_FILE_NAME):
            pass
    loaded.release()
    with lock.importing(tmp_path, trade.TRADE_FILE_NAME):
        pass


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
    path = _cached_file(tmp_path / "cache")
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


def test_the_year_aggregate_computed_in_many_parts_is_the_one_computed_at_once(tmp_path, monkeypatch, demo_trade):
    """Parts of a few thousand lines (a flow and a run of territories each) give the same frame, row for row and
    category for category, as one part holding the whole year; and the frame pandas gives."""
    path = demo_trade.store.path
    whole = store.ParquetStore(path, cache_dir=tmp_path / "one").year_aggregate(2024)
    lines = store.ParquetStore(path)._query(store.YEAR_LINES_SQL, year=2024)
    assert len(store.aggregate_parts(lines, 5_000)) > 10
    monkeypatch.setattr(store, "AGGREGATE_PART_LINES", 5_000)
    parted = store.ParquetStore(path, cache_dir=tmp_path / "many").year_aggregate(2024)
    pd.testing.assert_frame_equal(parted, whole)
    for column in store.AGGREGATE_COLUMNS[:-1]:
        assert list(parted[column].cat.categories) == sorted(parted[column].cat.categories)
    pandas_made = store.FrameStore(demo_trade.table).year_aggregate(2024)
    pd.testing.assert_frame_equal(parted, pandas_made, check_dtype=False)


def test_a_year_aggregate_leaves_no_duckdb_memory_behind_and_the_next_query_reconnects(tmp_path, demo_trade):
    """The connection DuckDB grouped with is closed once the parts are read; the next question opens another,
    in the same memory limit."""
    engine = store.ParquetStore(demo_trade.store.path, cache_dir=tmp_path)
    engine.periods()
    engine.year_aggregate(2024)
    assert engine._connection is None
    assert len(engine.quarterly("23")) and engine._connection is not None


@pytest.mark.parametrize("counts, most, parts", [
    ([("E", "01", 3), ("E", "02", 3), ("E", "03", 3), ("I", "01", 3)], 6, [("E", "01", "02"), ("E", "03", "03"),
                                                                            ("I", "01", "01")]),
    ([("E", "75", 9), ("E", "76", 1)], 4, [("E", "75", "75"), ("E", "76", "76")]),
    ([], 4, [("E", "", "")]),
], ids=["runs-of-one-flow", "a-territory-over-the-bound-alone", "a-year-without-lines"])
def test_parts_of_a_year_aggregate_are_runs_of_one_flow_within_the_bound(counts, most, parts):
    lines = pd.DataFrame(counts, columns=["flux", "code_departement", "lignes"])
    assert store.aggregate_parts(lines, most) == parts


def test_a_streamed_result_is_one_frame_sorted_on_its_codes():
    """Batches from several readers, out of order, text or dictionary-encoded, some empty, give the frame the
    sorted result would; `read` is called once, when every batch is read."""
    import pyarrow as pa

    def reader(rows):
        table = pa.table({"flux": pa.array([r[0] for r in rows], pa.string()),
                          "code": pa.array([r[1] for r in rows], pa.string()).dictionary_encode(),
                          "valeur_eur": pa.array([r[2] for r in rows], pa.float64())})
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=2))

    calls = []
    frame = store.streamed_aggregate(
        [reader([("I", "b", 1), ("E", "b", 2), ("E", "a", 3)]), lambda: reader([]), reader([("I", "a", 4)])],
        ["flux", "code"], read=lambda: calls.append(len(calls)))
    expected = store.as_categories(pd.DataFrame({"flux": ["E", "E", "I", "I"], "code": ["a", "b", "a", "b"],
                                                 "valeur_eur": [3.0, 2.0, 4.0, 1.0]}), ["flux", "code"])
    pd.testing.assert_frame_equal(frame, expected)
    assert calls == [0]
    empty = store.streamed_aggregate([lambda: reader([])], ["flux", "code"])
    assert list(empty.columns) == ["flux", "code", "valeur_eur"] and empty.empty
    assert empty["valeur_eur"].dtype == "float64"
