"""Exposure and dependences: partner shares (United States, China, EU27, first partner), the products most
exported to the United States, import dependences, concentration (HHI) and the national US rank.

Pure functions over canonical year rows (flux, code_pays, code_a129, valeur_eur), no I/O.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from fichex.aggregation.model import (  # noqa: F401  (the HHI bands are re-exported with the computation)
    EXPORT,
    HHI_BANDS,
    HHI_HIGH,
    HHI_MODERATE,
    IMPORT,
    FlowExposure,
    ImportDependence,
    UsExposedProduct,
    hhi_band,
)
from fichex.aggregation import grouping
from fichex.data import reference

UNITED_STATES = "US"
CHINA = "CN"
N_US_PRODUCTS = 5
N_DEPENDENCES = 10
DEPENDENCE_THRESHOLD_PCT = 50.0


@lru_cache(maxsize=1)
def _eu27_codes() -> frozenset[str]:
    table = reference.countries()
    return frozenset(table.loc[table["ue27"], "code_pays"].astype(str))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    table = reference.countries()
    return dict(zip(table["code_pays"].astype(str), table["pays"]))


@lru_cache(maxsize=1)
def _product_labels() -> dict[str, str]:
    table = reference.activities()
    return dict(zip(table["code_a129"].astype(str), table["libelle_court"]))


def _sums(rows: pd.DataFrame, key: str) -> pd.Series:
    """Positive sums by code (codes as str), largest first, ties by code."""
    return _ranked((code, value) for (code,), value in grouping.sums_by(rows, [key]))


def _ranked(sums) -> pd.Series:
    """The positive of (code, sum) pairs as a Series by code, largest first, ties by code."""
    order = sorted(((value, code) for code, value in sums if value > 0), key=lambda item: (-item[0], item[1]))
    return pd.Series([v for v, _ in order], index=[c for _, c in order], dtype="float64")


# A territory's rows are read by four functions (both flows' exposure, its US products, its dependences): each
# flow's rows and sums are taken once per frame.
_MEMO = grouping.FrameMemo(size=4)


def _flow_rows(frame: pd.DataFrame, flow: str) -> pd.DataFrame:
    """The rows of one flow of `frame`, once per frame."""
    found = _MEMO.of(frame)
    if ("rows", flow) not in found:
        found[("rows", flow)] = frame[frame["flux"] == flow]
    return found[("rows", flow)]


def _flow_sums(frame: pd.DataFrame, flow: str, key: str) -> pd.Series:
    """`_sums` of one flow's rows of `frame` by `key`, once per frame: from the frame's sums by `key` and flow
    (`grouping.sums_by_flow`, the same sums), which its partners and activities are read from too."""
    found = _MEMO.of(frame)
    if ("sums", flow, key) not in found:
        found[("sums", flow, key)] = _ranked(grouping.sums_by_flow(frame, key).get(flow, {}).items())
    return found[("sums", flow, key)]


def hhi(values, total: float) -> float:
    """Herfindahl-Hirschman index of `values` as shares of `total`: Σ (100 × v / total)², 0 to 10 000."""
    if total <= 0:
        return 0.0
    return float(sum((100.0 * v / total) ** 2 for v in values))


def _pct(part: float, total: float) -> float:
    return 100.0 * part / total if total > 0 else 0.0


def flow_exposure(frame: pd.DataFrame, flow: str) -> FlowExposure:
    """Partner shares and concentration of one flow of a territory.

    Args:
        frame: canonical rows of one territory and one year.
        flow: « E » or « I ».
    """
    rows = _flow_rows(frame, flow)
    total = float(rows["valeur_eur"].sum()) if len(rows) else 0.0
    by_partner = _flow_sums(frame, flow, "code_pays")
    codes = by_partner.index.tolist()  # read at once: an index of Arrow text is slow to iterate
    countries = by_partner[[reference.is_country(code) for code in codes]]
    eu27 = _eu27_codes()
    first = countries.index[0] if len(countries) else ""
    return FlowExposure(
        total_eur=total,
        us_pct=_pct(float(by_partner.get(UNITED_STATES, 0.0)), total),
        china_pct=_pct(float(by_partner.get(CHINA, 0.0)), total),
        eu27_pct=_pct(float(by_partner[[code in eu27 for code in codes]].sum()), total),
        first_partner_code=first,
        first_partner_name=_country_names().get(first, first) if first else "",
        first_partner_pct=_pct(float(countries.iloc[0]) if len(countries) else 0.0, total),
        top3_pct=_pct(float(countries.iloc[:3].sum()), total),
        hhi_partners=hhi(countries.tolist(), total),
        hhi_products=hhi(_flow_sums(frame, flow, "code_a129").tolist(), total),
    )


def us_exposed_products(frame: pd.DataFrame, n: int = N_US_PRODUCTS) -> tuple[UsExposedProduct, ...]:
    """The n A129 positions most exported to the United States, with each one's total exports."""
    exports = _flow_rows(frame, EXPORT)
    # Compared as they are (codes of text, categories in a year aggregate), as in `us_share_by_departement`.
    to_us = _sums(exports[exports["code_pays"] == UNITED_STATES], "code_a129")
    if to_us.empty:
        return ()
    by_product = _flow_sums(frame, EXPORT, "code_a129")
    labels = _product_labels()
    return tuple(UsExposedProduct(code, labels.get(code, code), float(value), float(by_product[code]))
                 for code, value in to_us.iloc[:n].items())


def import_dependences(frame: pd.DataFrame, n: int = N_DEPENDENCES) -> tuple[ImportDependence, ...]:
    """The n most imported A129 positions, each with its first supplier country and that country's imports
    (codes that name no country are never a supplier)."""
    imports = _flow_rows(frame, IMPORT)
    by_product = _flow_sums(frame, IMPORT, "code_a129")
    if by_product.empty:
        return ()
    top = list(by_product.index[:n])
    chosen = imports[imports["code_a129"].isin(top)]
    best: dict[str, tuple[float, str]] = {}
    for (product, partner), value in grouping.sums_by(chosen, ["code_a129", "code_pays"]):
        if value <= 0 or not reference.is_country(partner):
            continue
        current = best.get(product)
        if current is None or (-value, partner) < (-current[0], current[1]):
            best[product] = (value, partner)
    labels, names = _product_labels(), _country_names()
    result = []
    for code in top:
        value, partner = best.get(code, (0.0, ""))
        result.append(ImportDependence(code, labels.get(code, code), float(by_product[code]), partner,
                                       names.get(partner, partner), value))
    return tuple(result)


def us_share_by_departement(year_rows: pd.DataFrame, key: str = "code_departement") -> pd.Series:
    """Share of the United States in each département's exports (%), départements with exports only (or
    each région's: `key` « code_region »)."""
    exports = year_rows[year_rows["flux"] == EXPORT]
    totals = exports.groupby(key, observed=True)["valeur_eur"].sum()
    # Compared as they are (codes of text, categories in a year aggregate): no text column of a million rows.
    to_us = exports[exports["code_pays"] == UNITED_STATES]
    us = to_us.groupby(key, observed=True)["valeur_eur"].sum()
    totals.index = totals.index.astype(str)
    us.index = us.index.astype(str)
    totals = totals[totals > 0]
    return (100.0 * us.reindex(totals.index, fill_value=0.0) / totals).astype("float64")


def us_rank(shares: pd.Series, code: str) -> tuple[int, int]:
    """(rank, number ranked): 1 = the département whose exports go most to the United States."""
    share = float(shares.get(code, 0.0))
    return int((shares > share).sum()) + 1, int(len(shares))
