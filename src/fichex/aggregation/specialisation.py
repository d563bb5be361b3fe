"""Specialisation and competitiveness by product code (CPF4 in DGDDI files): revealed comparative advantage
against France and the région, the territory's rank for each product, a shift-share decomposition of the
change in its exports between two comparable years, unit values (€/kg) and coverage rates.

Pure functions over the store's product sums (data.store PRODUCT_COLUMNS, plus `code_region`), no I/O.
What every territory of a year shares (France's sums by product, each territory's rows and sums by product) is
computed once per frame and remembered while the frame is one of the last few seen: the frames a builder passes are never
changed after (a copy changed in place would be a new frame to pass).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from fichex.aggregation.model import (
    EMEBI_BREAK_YEAR,
    EXPORT,
    IMPORT,
    UNIT_VALUE_MIN_MASS_COVERAGE_PCT,
    ProductSpecialisation,
    ShiftShare,
    Specialisation,
    UnitValue,
)
from fichex.aggregation import grouping
from fichex.data import reference

N_UNIT_VALUES = 10
PRODUCT = "code_produit"


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    """DGDDI's CPF4 labels, and the A129 labels for tables whose product codes are A129 positions."""
    activities = reference.activities()
    labels = dict(zip(activities["code_a129"].astype(str), activities["libelle_court"]))
    products = reference.cpf4_products()
    labels.update(zip(products["code_cpf4"].astype(str), products["libelle"]))
    return labels


def label(code: str) -> str:
    """The label of a product code (the code itself when no annex names it)."""
    return _labels().get(code, code)


# What has been computed from a builder's product sums of a year, or from their ranks.
_memo = grouping.FrameMemo(size=8).of


def _national(rows: pd.DataFrame, flow: str, column: str = "valeur_eur") -> tuple[dict[str, float], float]:
    """`by_product(rows, flow, column)` of every territory's rows (France's) as a dict, and its sum, once
    per frame."""
    found = _memo(rows)
    key = ("national", flow, column)
    if key not in found:
        sums = by_product(rows, flow, column)
        found[key] = (sums.to_dict(), float(sums.sum()))
    return found[key]


def _rank_codes(ranks: pd.DataFrame, key: str) -> set[str]:
    """The territories `export_ranks` ranked, once per frame."""
    found = _memo(ranks)
    if ("codes", key) not in found:
        found[("codes", key)] = set(ranks.index.get_level_values(key))
    return found[("codes", key)]


def _rank_counts(ranks: pd.DataFrame) -> dict[str, int]:
    """How many territories export each product, once per frame."""
    found = _memo(ranks)
    if "counts" not in found:
        found["counts"] = ranks.groupby(level=PRODUCT, observed=True)["nb_territoires"].first().to_dict()
    return found["counts"]


def _territory_positions(rows: pd.DataFrame, key: str, code: str | None) -> np.ndarray:
    """The positions of the rows whose `key` column, as str, is `code` (in their order), through an index built
    once per frame."""
    found = _memo(rows)
    if ("positions", key) not in found:
        codes = rows[key].astype(str)
        found[("positions", key)] = codes.groupby(codes, sort=False).indices
    positions = found[("positions", key)].get(code)
    return positions if positions is not None else np.empty(0, dtype=np.intp)


def _flow_mask(rows: pd.DataFrame, flow: str) -> np.ndarray:
    """Whether each row of a frame is of `flow`, once per frame."""
    found = _memo(rows)
    if ("flow", flow) not in found:
        found[("flow", flow)] = (rows["flux"] == flow).to_numpy(dtype=bool)
    return found[("flow", flow)]


SUMMED = ("valeur_eur", "masse_kg", "valeur_avec_masse_eur")
TERRITORY_SUMS_KEPT = 64  # per frame, the most recently read: a batch's régions and the fiche being built


def _columns(rows: pd.DataFrame) -> dict:
    """What `_sums_by_product` reads of a frame, as arrays, once per frame: each row's product as its position
    among the frame's products sorted (-1: none), those products, and each column of SUMMED the frame has."""
    found = _memo(rows)
    if "columns" not in found:
        positions, products = pd.factorize(rows[PRODUCT].astype(str), sort=True)
        found["columns"] = {"product": np.asarray(positions, dtype=np.intp), "products": products,
                            **{column: rows[column].to_numpy(dtype="float64") for column in SUMMED
                               if column in rows.columns}}
    return found["columns"]


def _territory_sums(rows: pd.DataFrame, key: str, code: str | None, flow: str) -> pd.DataFrame:
    """`by_product` of a territory's rows for a flow, each column of SUMMED that `rows` has (the same sums, a
    column at a time), kept among the frame's TERRITORY_SUMS_KEPT most recently read: a fiche's products, unit
    values and shift-share read them, and so does every département of a région for the région's."""
    found: OrderedDict = _memo(rows).setdefault("sums", OrderedDict())
    memo_key = (key, code, flow)
    if memo_key in found:
        found.move_to_end(memo_key)
        return found[memo_key]
    positions = _territory_positions(rows, key, code)
    found[memo_key] = _sums_by_product(rows, positions[_flow_mask(rows, flow)[positions]])
    if len(found) > TERRITORY_SUMS_KEPT:
        found.popitem(last=False)
    return found[memo_key]


def _sums_by_product(rows: pd.DataFrame, chosen: np.ndarray) -> pd.DataFrame:
    """`rows.iloc[chosen].groupby(PRODUCT, observed=True, sort=True)[SUMMED].sum()` (each column of SUMMED that
    `rows` has, codes as str, float64). A département's rows of one flow name each product once (the store sums
    them by flow × territory × product): each sum is then one value as pandas sums it alone (a missing value 0,
    -0 as 0), and the rows need only be sorted, not grouped; rows naming a product twice (a région's) are
    grouped by pandas."""
    columns = _columns(rows)
    products = columns["product"][chosen]
    if len(np.unique(products)) != len(products) or (products < 0).any():
        sums = rows.iloc[chosen].groupby(PRODUCT, observed=True, sort=True)[
            [column for column in SUMMED if column in columns]].sum()
        sums.index = sums.index.astype(str)
        return sums.astype("float64")
    order = np.argsort(products, kind="stable")
    taken = chosen[order]
    return pd.DataFrame({column: grouping.alone(columns[column][taken]) for column in SUMMED if column in columns},
                        index=columns["products"].take(products[order]).rename(PRODUCT))


def _as_dict(sums: pd.Series) -> dict[str, float]:
    """`sums.to_dict()`, its index read at once (an index of Arrow text read code by code costs more than the
    rest of a fiche's products)."""
    return dict(zip(sums.index.tolist(), sums.tolist()))


def by_product(rows: pd.DataFrame, flow: str, column: str = "valeur_eur") -> pd.Series:
    """A flow's `column` summed by product code (codes as str)."""
    chosen = rows[rows["flux"] == flow]
    sums = chosen.groupby(PRODUCT, observed=True, sort=True)[column].sum()
    sums.index = sums.index.astype(str)
    return sums.astype("float64")


def export_ranks(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """Every territory's exports of every product with its rank among the territories of `key`
    (« code_departement » or « code_region »): 1 = the first exporter, ties sharing the better rank.

    Returns:
        A frame indexed by (territory, product) with `valeur_eur`, `rang` and `nb_territoires`.
    """
    exports = rows[rows["flux"] == EXPORT]
    sums = exports.groupby([key, PRODUCT], observed=True, sort=True)["valeur_eur"].sum()
    sums = sums[sums > 0].astype("float64")
    frame = sums.to_frame("valeur_eur")
    frame.index = frame.index.set_levels([level.astype(str) for level in frame.index.levels])
    grouped = frame.groupby(level=PRODUCT, observed=True)["valeur_eur"]
    frame["rang"] = grouped.rank(method="min", ascending=False).astype("int64")
    frame["nb_territoires"] = grouped.transform("size").astype("int64")
    return frame


def _rca(part: float, whole: float, reference_part: float, reference_whole: float) -> float | None:
    """(part / whole) / (reference_part / reference_whole), None when a denominator is nil."""
    if whole <= 0 or reference_whole <= 0 or reference_part <= 0:
        return None
    return (part / whole) / (reference_part / reference_whole)


def products(rows: pd.DataFrame, key: str, code: str, ranks: pd.DataFrame,
             region_code: str | None = None) -> tuple[ProductSpecialisation, ...]:
    """The products a territory trades, with their RCA, rank and coverage.

    Args:
        rows: product sums of every territory for the year, with `code_region`.
        key: « code_departement » or « code_region », the territory's column.
        code: the territory's code.
        ranks: `export_ranks(rows, key)`.
        region_code: the région to compare a département with (None: no région RCA).
    """
    exports_sums, imports_sums = (_territory_sums(rows, key, code, flow)["valeur_eur"] for flow in (EXPORT, IMPORT))
    (france_exports, france_total), (france_imports, france_total_imports) = (_national(rows, EXPORT),
                                                                              _national(rows, IMPORT))
    region_sums = (_territory_sums(rows, "code_region", region_code, EXPORT)["valeur_eur"]
                   if region_code is not None else None)
    total, total_imports = float(exports_sums.sum()), float(imports_sums.sum())
    region_total = float(region_sums.sum()) if region_sums is not None else 0.0
    exports, imports = _as_dict(exports_sums), _as_dict(imports_sums)
    region_exports = _as_dict(region_sums) if region_sums is not None else None
    own_ranks = ranks.xs(code, level=key) if code in _rank_codes(ranks, key) else ranks.iloc[0:0]
    rank_of = dict(zip(own_ranks.index.tolist(), own_ranks["rang"].tolist()))
    counts = _rank_counts(ranks)
    result = []
    for product in sorted(set(exports) | set(imports)):
        value, bought = float(exports.get(product, 0.0)), float(imports.get(product, 0.0))
        ranked = value > 0 and product in rank_of
        result.append(ProductSpecialisation(
            code=product, libelle=label(product), exports_eur=value, imports_eur=bought,
            share_pct=100.0 * value / total if total > 0 else 0.0,
            rca_france=_rca(value, total, float(france_exports.get(product, 0.0)), france_total),
            rca_region=(None if region_exports is None
                        else _rca(value, total, float(region_exports.get(product, 0.0)), region_total)),
            rca_imports_france=_rca(bought, total_imports, float(france_imports.get(product, 0.0)),
                                    france_total_imports),
            rank=int(rank_of[product]) if ranked else None,
            n_territories=int(counts.get(product, 0)),
        ))
    return tuple(sorted(result, key=lambda p: (-p.exports_eur, -p.imports_eur, p.code)))


def comparable_year(quarters_by_year: Mapping[int, tuple[int, ...]], year: int) -> tuple[int, tuple[int, ...]] | None:
    """The year before `year` and the quarters to compare (empty: whole years), or None when the data does
    not hold that year on the same quarters (a partial year is compared with the same quarters of the year
    before; a whole year only with a whole year)."""
    current, before = set(quarters_by_year.get(year, ())), set(quarters_by_year.get(year - 1, ()))
    if not current or not before:
        return None

    def whole(quarters: set[int]) -> bool:
        return 0 in quarters or {1, 2, 3, 4} <= quarters

    if whole(current):
        return (year - 1, ()) if whole(before) else None
    if 0 in before or not current <= before:
        return None
    return year - 1, tuple(sorted(current))


def shift_share(start_rows: pd.DataFrame, end_rows: pd.DataFrame, key: str, code: str, start_year: int,
                end_year: int, quarters: tuple[int, ...] = ()) -> ShiftShare:
    """The change of a territory's exports between two years split into three effects, against France:
    national = X0 × g, mix = Σ X0ᵢ × (gᵢ − g), local = Σ (X1ᵢ − X0ᵢ − X0ᵢ × gᵢ), where X is the territory's
    exports, g France's growth and gᵢ France's growth for product i (0 for a product France did not export
    the first year, which the territory did not either). The three sum to X1 − X0.

    Args:
        start_rows, end_rows: product sums of every territory for the two years (the same quarters).
        key, code: the territory's column and code.
    """
    start_own = _territory_sums(start_rows, key, code, EXPORT)["valeur_eur"]
    end_own = _territory_sums(end_rows, key, code, EXPORT)["valeur_eur"]
    (start_france, france_0), (end_france, france_1) = _national(start_rows, EXPORT), _national(end_rows, EXPORT)
    growth = (france_1 - france_0) / france_0 if france_0 > 0 else 0.0
    mix = local = 0.0
    starts, ends = _as_dict(start_own), _as_dict(end_own)
    for product in sorted(set(starts) | set(ends)):
        x0, x1 = float(starts.get(product, 0.0)), float(ends.get(product, 0.0))
        n0 = float(start_france.get(product, 0.0))
        product_growth = (float(end_france.get(product, 0.0)) - n0) / n0 if n0 > 0 else 0.0
        mix += x0 * (product_growth - growth)
        local += x1 - x0 - x0 * product_growth
    total_0, total_1 = float(start_own.sum()), float(end_own.sum())
    return ShiftShare(start_year=start_year, end_year=end_year, quarters=tuple(quarters),
                      start_exports_eur=total_0, end_exports_eur=total_1, national_eur=total_0 * growth,
                      mix_eur=mix, local_eur=local,
                      break_inside=start_year < EMEBI_BREAK_YEAR <= end_year)


def _unit_value(value: float, mass: float, value_with_mass: float) -> tuple[float, float | None]:
    """(mass coverage in %, €/kg or None when masses cover too little of the value)."""
    coverage = 100.0 * value_with_mass / value if value > 0 else 0.0
    if coverage < UNIT_VALUE_MIN_MASS_COVERAGE_PCT or mass <= 0:
        return coverage, None
    return coverage, value_with_mass / mass


def unit_values(rows: pd.DataFrame, key: str, code: str, n: int = N_UNIT_VALUES) -> tuple[UnitValue, ...]:
    """The unit values (€/kg) of a territory's n main exported products, beside France's."""
    columns = SUMMED
    sums = _territory_sums(rows, key, code, EXPORT)
    mine = {column: sums[column] for column in columns}
    france = {column: _national(rows, EXPORT, column)[0] for column in columns}
    values = mine["valeur_eur"][mine["valeur_eur"] > 0]
    ranked = sorted(zip(values.tolist(), values.index.tolist()), key=lambda item: (-item[0], item[1]))[:n]
    result = []
    for value, product in ranked:
        coverage, unit = _unit_value(*(float(mine[c].get(product, 0.0)) for c in columns))
        france_coverage, france_unit = _unit_value(*(float(france[c].get(product, 0.0)) for c in columns))
        result.append(UnitValue(product, label(product), float(value), coverage, unit, france_coverage, france_unit))
    return tuple(result)


def specialisation_of(rows: pd.DataFrame, key: str, code: str, *, ranks: pd.DataFrame | None = None,
                      region_code: str | None = None, start_rows: pd.DataFrame | None = None,
                      end_rows: pd.DataFrame | None = None, start_year: int | None = None, year: int = 0,
                      quarters: tuple[int, ...] = ()) -> Specialisation:
    """A territory's specialisation for a year.

    Args:
        rows: product sums of every territory for the whole year (or the quarters the data holds), with
            `code_region`.
        key: « code_departement » for a département, « code_region » for a région.
        code: the territory's code.
        ranks: `export_ranks(rows, key)` when already computed (a builder computes it once per year).
        region_code: the région a département is compared with (None: no région RCA).
        start_rows, end_rows, start_year, year, quarters: the two comparable years' product sums (the same
            quarters) for the shift-share decomposition; None when the data holds no comparable year.
    """
    ranks = export_ranks(rows, key) if ranks is None else ranks
    decomposition = None
    if start_rows is not None and end_rows is not None and start_year is not None:
        decomposition = shift_share(start_rows, end_rows, key, code, start_year, year, quarters)
    return Specialisation(
        rank_level="region" if key == "code_region" else "departement",
        products=products(rows, key, code, ranks, region_code),
        shift_share=decomposition,
        unit_values=unit_values(rows, key, code),
    )
