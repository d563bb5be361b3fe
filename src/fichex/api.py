"""The library's front door, re-exported by `import fichex`: everything the CLI does, as Python calls.

Keyword arguments carry the names of the CLI's options (`--out-dir` → `out_dir=`). Heavy modules are
imported inside the functions so that `import fichex` stays instant.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fichex.defaults import DEFAULT_FORMATS, DEFAULT_OUT_DIR, DEFAULT_TOP, DEFAULT_YEAR
from fichex.json_contract import exposure_json, figures_json, territoire_json  # noqa: F401 (the front door's)

if TYPE_CHECKING:
    from fichex.aggregation.aggregate import FicheBuilder
    from fichex.aggregation.model import Fiche
    from fichex.batch.results import BuildResult, TargetResult
    from fichex.data.importing import ImportReport
    from fichex.data.trade import TradeData
    from fichex.render.template import TemplateProblem

LISTABLE = ("departements", "regions", "territoires")


def load(data: Path | str | None = None) -> TradeData:
    """The canonical trade table, validated.

    Args:
        data: a data folder (from `fichex data import`) or a Parquet file; None means $FICHEX_DATA, else
            the embedded demonstration dataset.

    Raises:
        InputDataError: the file is missing, unreadable or invalid.
    """
    from fichex.data import trade

    return trade.load(data)


def fiche(code: str, year: int | None = None, *, data: Path | str | TradeData | None = None,
          top: int = DEFAULT_TOP, level: str = "departement") -> Fiche:
    """The fiche of one département, région or France for one year: everything its workbook and deck show.

    Args:
        code: a département code (« 23 », « 2A », « 974 »; « 1 » reads « 01 »), a région code (INSEE's
            « 75 » or DGDDI's) when `level` is « region », ignored for « france ».
        year: the data year (default: the last complete year of the data).
        data: a data folder or Parquet file, or a table already returned by `load` (reused: région and
            France summaries are then computed once for many fiches).
        top: partners, activities and flow nodes shown.
        level: « departement », « region » or « france ».

    Raises:
        UnknownCodeError: unknown code or level (checked before the data is read).
        InputDataError: unreadable data, or no row for that year or territory.
    """
    from fichex.batch.targets import parse_levels
    from fichex.data import reference

    level = parse_levels(level)[0] if level else "departement"
    if level == "territoire":
        from fichex.errors import UnknownCodeError

        raise UnknownCodeError("une fiche de Territoire d'industrie réunit celles de ses départements : "
                               "utilisez fichex build --territoire NOM")
    # Fail on a bad code before loading the data.
    reference.region_code(code) if level == "region" else reference.departement(code) if level == "departement" else None
    builder = _builder(data, top)
    return builder.build_level(level, code, builder.trade.default_year if year is None else year)


_BUILDERS: dict[tuple[int, int], tuple[object, FicheBuilder]] = {}


def _builder(data, top: int) -> FicheBuilder:
    """A FicheBuilder for `data`, reused while the same loaded table is passed again."""
    from fichex.aggregation.aggregate import FicheBuilder
    from fichex.data.trade import TradeData

    trade = data if isinstance(data, TradeData) else load(data)
    key = (id(trade), top)
    cached = _BUILDERS.get(key)
    if cached is None or cached[0] is not trade:
        _BUILDERS.clear()  # one table at a time: keep memory flat
        cached = _BUILDERS[key] = (trade, FicheBuilder(trade, top))
    return cached[1]


def write_workbook(fiche: Fiche, path: Path | str, *, command: str = "") -> None:
    """Write the Excel workbook of a fiche (atomically). See `fichex.render.xlsx.write_workbook`."""
    from fichex.render.xlsx import write_workbook as write

    write(fiche, path, command=command)


def write_deck(fiche: Fiche, path: Path | str, *, template: Path | str | None = None) -> None:
    """Write the PowerPoint deck of a fiche (atomically), from `template` or the bundled one."""
    from fichex.render.pptx import write_deck as write

    write(fiche, path, template=template)


def territoire_fiches(name: str, year: int | None = None, *, data: Path | str | TradeData | None = None,
                      top: int = DEFAULT_TOP) -> tuple[str, list[Fiche]]:
    """A Territoire d'industrie and the fiches of its départements, in code order: what its deck and workbook
    show (customs data stops at the département, so the territory has no figures of its own).

    A département the data holds under another code is read there, each once: the DGDDI files give Corse as
    « 20 », so a territory in Corse-du-Sud (2A) or Haute-Corse (2B) gets the fiche « 20 ».

    Args:
        name: the territory's name, an unambiguous prefix of it or its identifier (`fichex list territoires`).
        year: the data year (default: the last complete year of the data, as for `fiche`).
        data: a data folder or Parquet file, or a table already returned by `load`.
        top: partners, activities and flow nodes shown.

    Returns:
        The territory's official name and one fiche per département.

    Raises:
        UnknownCodeError: no Territoire d'industrie or several match `name` (checked before the data is read).
        InputDataError: unreadable data, or no row for that year or one of the départements.
    """
    from fichex.batch.targets import territoire_target
    from fichex.data import reference

    reference.territoire(name)  # fail on an unknown name before loading the data
    builder = _builder(data, top)
    chosen = builder.trade.default_year if year is None else year
    target = territoire_target(name, builder.trade.departements)
    return target.nom, [builder.build(code, chosen) for code in target.departements]


def territoire_paths(name: str, out_dir: Path | str, year: int) -> dict[str, Path]:
    """Where a Territoire d'industrie's documents go, as `fichex build --territoire` writes them:
    `<out_dir>/<year>/ti-<identifier>/commerce-exterieur-ti-<identifier>-<year>.<format>`, for « xlsx »
    and « pptx ».

    Raises:
        UnknownCodeError: no Territoire d'industrie or several match `name`.
    """
    from fichex.batch.targets import output_paths, territoire_target

    paths = output_paths(Path(out_dir), year, territoire_target(name))
    return {fmt: paths[fmt] for fmt in ("xlsx", "pptx")}


def write_territoire(name: str, out_dir: Path | str = DEFAULT_OUT_DIR, year: int | None = None, *,
                     data: Path | str | TradeData | None = None, template: Path | str | None = None,
                     top: int = DEFAULT_TOP, command: str = "") -> dict[str, Path]:
    """Write the deck and the workbook of a Territoire d'industrie (atomically): its départements compared,
    then each one's fiche pages; see `territoire_fiches` and `territoire_paths`.

    Args:
        name: the territory's name, an unambiguous prefix of it or its identifier.
        out_dir: the output folder.
        year: the data year (default: the last complete year of the data).
        data: a data folder or Parquet file, or a table already returned by `load`.
        template: a .pptx or .potx with the layouts of the bundled template (default: the bundled one).
        top: partners, activities and flow nodes shown.
        command: the command line shown on the workbook's « Méthode » sheet.

    Returns:
        The path written for each format: {"xlsx": …, "pptx": …}.

    Raises:
        UnknownCodeError: no Territoire d'industrie or several match `name`.
        InputDataError: unreadable data, or no row for that year or one of the départements.
        TemplateError: the template is unreadable or lacks a layout or placeholder.
        OutputError: a file cannot be written.
    """
    from fichex.render.pptx.territoire import write_territoire_deck
    from fichex.render.xlsx.territoire import write_territoire_workbook

    official, fiches = territoire_fiches(name, year, data=data, top=top)
    paths = territoire_paths(official, out_dir, fiches[0].year)
    write_territoire_workbook(official, fiches, paths["xlsx"], command=command)
    write_territoire_deck(official, fiches, paths["pptx"], template=template)
    return paths


def build(codes: Sequence[str] = (), *, region: str | None = None, all_departements: bool = False,
          year: int | None = None, formats: str | Sequence[str] = DEFAULT_FORMATS,
          out_dir: Path | str = DEFAULT_OUT_DIR, data: Path | str | None = None,
          template: Path | str | None = None, jobs: int | None = None, force: bool = False,
          command: str | None = None,
          on_result: Callable[[TargetResult, int, int], None] | None = None,
          level: str | Sequence[str] | None = None, territoire: Sequence[str] = ()) -> BuildResult:
    """Build the documents of many départements, régions, France or Territoires d'industrie, as `fichex build`
    does (`level` is `--level`, `territoire` the names given with `--territoire`). See
    `fichex.batch.build.build`."""
    from fichex.batch.build import build as run

    return run(codes, region=region, all_departements=all_departements, year=year, formats=formats,
               out_dir=out_dir, data=data, template=template, jobs=jobs, force=force, command=command,
               on_result=on_result, levels=level, territoires=territoire)


def key_figures(code: str, year: int | None = None, *, data: Path | str | TradeData | None = None,
                top: int = DEFAULT_TOP, level: str = "departement") -> dict:
    """Key figures of a département, région or France as a JSON-ready dict: what `fichex figures CODE --json`
    prints."""
    from fichex.batch.targets import substitution_notes

    with _pinned(data) as trade:
        builder = _builder(trade, top)
        result = fiche(code, year, data=builder.trade, top=top, level=level)
        figures = figures_json(result)
        figures["notes"] = substitution_notes([code], builder.trade.departements) if result.level == "departement" else []
    return figures


def territoire_figures(name: str, year: int | None = None, *, data: Path | str | TradeData | None = None,
                       top: int = DEFAULT_TOP) -> dict:
    """Key figures of a Territoire d'industrie's départements as a JSON-ready dict: what
    `fichex figures --territoire NAME --json` prints (see `territoire_json`)."""
    with _pinned(data) as trade:
        official, fiches = territoire_fiches(name, year, data=trade, top=top)
        return territoire_json(official, fiches)


@contextlib.contextmanager
def _pinned(data: Path | str | TradeData | None) -> Iterator[TradeData]:
    """The data opened as a build opens it: pinned, and under a shared lock until the figures are computed,
    so that an import into its folder waits (or fails with one line) rather than change them midway. A
    table already loaded is used as it is."""
    from fichex.data import trade as trade_module
    from fichex.data.trade import TradeData

    if isinstance(data, TradeData):
        yield data
        return
    trade = trade_module.load(data, hold=True)
    try:
        yield trade
    finally:
        trade.release()


def listing(kind: str) -> list[dict]:
    """Reference listing (`fichex list KIND`): départements, régions or Territoires d'industrie.

    Raises:
        UnknownCodeError: kind is not one of LISTABLE.
    """
    from fichex.wording import console as console_text
    from fichex.data import reference
    from fichex.errors import UnknownCodeError

    if kind == "departements":
        table = reference.departements()
        rows = table[["code_departement", "departement", "code_region", "region", "code_dgddi"]].to_dict("records")
        for row, cog, dgddi in zip(rows, table["cog"], table["dgddi"]):
            row["nomenclature"] = console_text.territory_nomenclature(bool(cog), bool(dgddi))
        return rows
    if kind == "regions":
        deps = reference.departements()
        counts = deps.groupby("code_region").size()
        return [{"code_region": r.code_region, "region": r.region, "nb_departements": int(counts.get(r.code_region, 0))}
                for r in reference.regions().itertuples()]
    if kind == "territoires":
        table = reference.territoires_industrie()
        grouped = table.groupby("territoire_industrie", sort=False)["code_departement"].apply(list)
        return [{"territoire_industrie": name, "departements": codes} for name, codes in grouped.items()]
    raise UnknownCodeError(f"liste inconnue : « {kind} » ; choisissez parmi {', '.join(LISTABLE)}")


def check_template(path: Path | str) -> list[TemplateProblem]:
    """What a branded template lacks (`fichex template check`); an empty list means usable as it is."""
    from fichex.render.template import check_template as check

    return check(Path(path))


def import_data(paths: Sequence[Path | str], into: Path | str = "donnees", *,
                mapping: Path | str | None = None,
                progress: Callable[[int, int | None], None] | None = None) -> ImportReport:
    """Import DGDDI files or tidy tables into a data folder (`fichex data import`); `progress` receives
    (bytes read, total) while DGDDI regional files are streamed."""
    from fichex.data.importing import import_files

    return import_files([Path(p) for p in paths], Path(into), mapping=Path(mapping) if mapping else None,
                        progress=progress)


def data_info(folder: Path | str | None = None) -> dict:
    """Describe a data folder (`fichex data info`): years, départements, totals, demonstration or not."""
    from fichex.data.describe import describe

    return describe(folder)


def download_data(year: int = DEFAULT_YEAR, dest: Path | str = "telechargements", *, url: str | None = None,
                  sha256: str | None = None, progress: Callable[[int, int | None], None] | None = None) -> Path:
    """Fetch a DGDDI file (`fichex data download`): resumable, checksum verified."""
    from fichex.data.download import download

    return download(year, Path(dest), url=url, sha256=sha256, progress=progress)


COMPARABLE = {  # comparer's indicators: their place in `figures_json`
    "exportations_eur": ("exportations", "total_eur"), "importations_eur": ("importations", "total_eur"),
    "solde_eur": ("solde_eur",), "part_france_exportations_pct": ("exportations", "part_france_pct"),
    "part_france_importations_pct": ("importations", "part_france_pct"),
    "part_region_exportations_pct": ("exportations", "part_region_pct"),
    "part_region_importations_pct": ("importations", "part_region_pct"),
    "rang_exportations": ("exportations", "rang_departements"), "rang_importations": ("importations", "rang_departements"),
}
COMPARED_MAX = 30


def compare(codes: Sequence[str], indicator: str = "exportations_eur", year: int | None = None, *,
            data: Path | str | TradeData | None = None, level: str = "departement") -> dict:
    """One indicator of several territories of one level, the largest first (what `fichex mcp`'s
    « comparer » returns).

    Args:
        codes: département or région codes (at most COMPARED_MAX; ignored for « france »).
        indicator: one of COMPARABLE.
        year: the data year (default: the last complete year of the data).
        data: a data folder or Parquet file, or a table already returned by `load`.
        level: « departement », « region » or « france ».

    Raises:
        UnknownCodeError: an unknown indicator or code, no code, or more than COMPARED_MAX.
        InputDataError: unreadable data, or no row for that year or territory.
    """
    from fichex.errors import UnknownCodeError
    from fichex.json_contract import SCHEMA_VERSION
    from fichex.wording import mcp as mcp_text

    if indicator not in COMPARABLE:
        raise UnknownCodeError(mcp_text.unknown_indicator(indicator, list(COMPARABLE)))
    codes = list(codes) or (["FR"] if level == "france" else [])
    if not codes:
        raise UnknownCodeError(mcp_text.NO_CODES)
    if len(codes) > COMPARED_MAX:
        raise UnknownCodeError(mcp_text.too_many_codes(len(codes), COMPARED_MAX))
    trade = data if not isinstance(data, (str, Path)) and data is not None else load(data)
    rows = []
    for code in dict.fromkeys(codes):
        figures = key_figures(code, year, data=trade, level=level)
        value = figures
        for key in COMPARABLE[indicator]:
            value = value[key]
        rows.append({"territoire": figures["territoire"], "valeur": value, "periode": figures["periode"]})
    descending = not indicator.startswith("rang_")
    rows.sort(key=lambda row: (-row["valeur"] if descending else row["valeur"], row["territoire"]["code"]))
    return {"schema_version": SCHEMA_VERSION, "indicateur": indicator, "niveau": level,
            "annee": figures["annee"], "periode": figures["periode"],
            "donnees_demonstration": figures["donnees_demonstration"], "source_donnees": figures["source_donnees"],
            "territoires": [{"rang": i, **row} for i, row in enumerate(rows, 1)]}


def query_trade(group_by: Sequence[str] = (), *, flux: Sequence[str] = (), territoires: Sequence[str] = (),
                produits: Sequence[str] = (), pays: Sequence[str] = (), annees: Sequence[int] = (),
                limit: int = 50, data: Path | str | TradeData | None = None) -> dict:
    """A bounded grouped sum over the canonical table (`fichex mcp`'s « interroger »): values (€) and masses
    (kg) summed by columns of `store.QUERY_COLUMNS`, filtered on values, at most `store.QUERY_MAX_ROWS` rows,
    the largest first; with the period summed, whether the data is the demonstration's, and the caveats that
    apply. No SQL comes from the caller: the columns are whitelisted and the filters are parameters.

    Args:
        group_by: columns of `store.QUERY_COLUMNS` (none: one total).
        flux: « E », « I » (none: both); territoires: territory codes as in the data; produits: A129 or
            product codes; pays: partner codes; annees: years (none: every year of the data).
        limit: the most rows returned, 1 to `store.QUERY_MAX_ROWS`.
        data: a data folder or Parquet file, or a table already returned by `load`.

    Raises:
        UnknownCodeError: an unknown column, flow, territory or year, or a limit out of range (one French line).
        InputDataError: unreadable data.
    """
    from fichex.data import store
    from fichex.errors import UnknownCodeError
    from fichex.json_contract import SCHEMA_VERSION
    from fichex.wording import mcp as mcp_text

    group_by = list(group_by)
    for column in group_by:
        if column not in store.QUERY_COLUMNS:
            raise UnknownCodeError(mcp_text.unknown_column(column, store.QUERY_COLUMNS))
    if len(set(group_by)) != len(group_by):
        raise UnknownCodeError(mcp_text.repeated_column(group_by))
    if not 1 <= int(limit) <= store.QUERY_MAX_ROWS:
        raise UnknownCodeError(mcp_text.limit_out_of_range(int(limit), store.QUERY_MAX_ROWS))
    for flow in flux:
        if flow not in ("E", "I"):
            raise UnknownCodeError(mcp_text.unknown_flow(flow))
    trade = data if not isinstance(data, (str, Path)) and data is not None else load(data)
    missing = [code for code in territoires if code not in trade.departements]
    if missing:
        raise UnknownCodeError(mcp_text.unknown_territories(missing))
    absent = [year for year in annees if int(year) not in trade.quarters]
    if absent:
        raise UnknownCodeError(mcp_text.unknown_years(absent, sorted(trade.quarters)))
    filters = {"flux": list(flux), "territoires": list(territoires), "produits": list(produits),
               "pays": list(pays), "annees": [int(y) for y in annees]}
    frame = trade.store.grouped_sum(group_by, filters, int(limit))
    frame = frame[frame["lignes"] > 0]
    years = sorted(int(y) for y in annees) if annees else sorted(trade.quarters)
    periods = [mcp_text.period_of(y, trade.quarters[y]) for y in years]
    rows = [{**{column: (int(row[column]) if column in ("annee", "trimestre") else str(row[column]))
                for column in group_by},
             "valeur_eur": float(row["valeur_eur"]),
             "masse_kg": None if row["masse_kg"] != row["masse_kg"] else float(row["masse_kg"]),
             "lignes": int(row["lignes"])} for row in frame.to_dict("records")]
    groups = int(frame["groupes"].iloc[0]) if len(frame) else 0
    return {"schema_version": SCHEMA_VERSION, "donnees_demonstration": trade.info.demonstration,
            "source_donnees": trade.info.source, "periode": {"annees": years, "libelles": periods},
            "filtres": filters, "grouper_par": group_by, "limite": int(limit), "nb_groupes": groups,
            "tronque": groups > len(rows), "lignes": rows,
            "avertissements": mcp_text.query_caveats(
                demonstration=trade.info.demonstration, territories=list(territoires), flows=list(flux),
                years=years, partial_periods=[p for y, p in zip(years, periods) if not trade.complete(y)])}


def build_manifest(out_dir: Path | str) -> dict:
    """The manifest of an output folder (`fichex-manifest.json`): per file, its sha256, size and inputs;
    empty when the folder has none."""
    from fichex.batch import manifest

    return manifest.read(Path(out_dir))
