"""Deterministic generator of the demonstration data: simulated DGDDI regional files, calibrated on the
published 2024 totals, which the real importer turns into the embedded table.

The values are invented: territory totals follow population with heavy-tailed noise and a few stylised
specialisations, partner shares follow France's published main partners, product × country cells are
sparse and log-normal, then split into CPF4 codes of the DGDDI annex and into quarters, with a mass.
For 2024 the totals of France, of each région and of each département named in data/totaux_publies.csv
are reproduced to the euro. The files have the official layout (no header, DGDDI territory codes « 20 »,
« 9A »…« 9E », « 99 », DGDDI région codes, euros, kilograms, one row per quarter), three full years and
the first quarter of the next, like a « dernière publication » download. Nothing here is real customs data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from fichex.data import reference
from fichex.resources import reference_dir
SEED = 20240
YEARS = (2022, 2023, 2024, 2025)
CALIBRATION_YEAR = 2024
# The last year is published for its first quarter only, as in a « dernière publication » download.
PARTIAL_YEAR, PARTIAL_QUARTERS = 2025, (1,)
# Level of each flow relative to 2024 (France-wide; each territory varies).
YEAR_FACTORS = {2022: {"E": 0.99, "I": 1.10}, 2023: {"E": 1.00, "I": 0.98}, 2024: {"E": 1.0, "I": 1.0},
                2025: {"E": 1.01, "I": 0.99}}
# Monaco is not in the COG's population table: a weight of its own (about its population), for sizing only.
MONACO_WEIGHT = 38_000
# Date the simulated files carry (a first-quarter publication), so that every build gives the same bytes.
FILES_DATE = (2025, 6, 13)
REGIONAL_FILES = {"E": "REGIONAL_CPF4PAYSE.txt", "I": "REGIONAL_CPF4PAYSI.txt"}
DEMO_SOURCE = (
    "Données de démonstration générées par fichex (graine {seed}) au format des fichiers régionaux DGDDI, "
    "calibrées sur les totaux 2024 publiés par l'ANCT et la DGDDI ; ce ne sont pas des données douanières réelles"
)
# Below this many euros a flow appears in one or two quarters only; above, in every quarter.
SPORADIC_EUR = 200_000

# National product weights (≈ billions of euros, stylised) by flow; other goods get a small random weight.
PRODUCT_WEIGHTS = {
    "E": {"C30C": 65, "C21Z": 35, "C11Z": 25, "C20B": 25, "C29A": 25, "C29B": 15, "C20A": 20, "C20C": 15,
          "C28A": 15, "C28D": 12, "C27B": 14, "C26E": 10, "C19Z": 12, "C24A": 10, "C24B": 9, "C10H": 8,
          "C10E": 7, "A01Z": 15, "C22B": 8, "C25E": 5, "C32A": 8, "C14Z": 8, "C15Z": 10, "C26A": 8,
          "C23B": 4, "C17A": 4, "C10A": 5, "C10F": 5, "C32B": 5, "C26F": 3, "C30A": 4, "D35A": 10, "E38Z": 4},
    "I": {"B06Z": 55, "C19Z": 30, "C29A": 45, "C21Z": 30, "C26B": 12, "C26C": 12, "C20A": 20, "C20C": 12,
          "C28A": 18, "C28D": 10, "C27B": 15, "C14Z": 18, "C15Z": 10, "C30C": 35, "C29B": 18, "C24A": 12,
          "C24B": 15, "C22B": 10, "C26A": 10, "C26E": 8, "A01Z": 14, "C10H": 10, "C10A": 8, "C10B": 6,
          "C32C": 10, "C31Z": 6, "C13Z": 6, "C26D": 6, "C27A": 5},
}
# Partners beyond France's ten main ones (≈ billions of euros, stylised), by flow.
OTHER_PARTNER_WEIGHTS = {
    "E": {"JP": 7.5, "KR": 6, "IN": 6.5, "TR": 7, "SE": 7, "AT": 6, "PT": 8, "CZ": 5.5, "IE": 5, "DK": 4,
          "AE": 5.5, "SA": 4, "SG": 7, "HK": 5, "MA": 6.5, "DZ": 4.5, "TN": 4, "BR": 5, "CA": 4.5, "MX": 3.5,
          "AU": 3.5, "NO": 2.5, "HU": 3.5, "RO": 4, "QA": 2.5, "GR": 3, "FI": 2, "IL": 2, "ZA": 2, "SN": 1.5,
          "CI": 1.8, "LU": 4, "SK": 2, "SI": 1, "TW": 3, "VN": 1.5, "TH": 1.5, "MY": 1.5, "ID": 1, "EG": 2,
          "UA": 1.5, "NC": 1.2, "PF": 0.8, "MC": 1.0, "QQ": 1.5, "QU": 0.8},
    "I": {"JP": 9, "KR": 6, "IN": 6, "TR": 9, "SE": 5, "AT": 6, "PT": 7, "CZ": 7, "IE": 8, "DK": 3, "AE": 3,
          "SA": 5, "SG": 3, "HK": 1, "MA": 7, "DZ": 6, "TN": 5, "BR": 4, "CA": 4, "MX": 2, "AU": 1, "NO": 8,
          "HU": 4, "RO": 4, "QA": 2, "GR": 1, "FI": 2, "IL": 1.5, "ZA": 1.5, "CI": 1.2, "LU": 3, "SK": 4,
          "SI": 1.5, "TW": 3.5, "VN": 6, "TH": 3.5, "MY": 2.5, "ID": 2, "EG": 1, "UA": 1, "NG": 3.5,
          "KZ": 4, "AZ": 2, "LY": 2, "IQ": 1.5, "BD": 3, "PK": 1, "AR": 1, "CL": 1.5, "QU": 0.8},
}
# Stylised specialisations (product → multiplier) so that fiches differ; invented, not observed.
SPECIALTIES = {
    "23": {"A01Z": 30, "C29B": 15, "C27B": 10, "C16Z": 8},
    "87": {"C23B": 25, "C27B": 20, "C15Z": 12, "C10A": 6},
    "31": {"C30C": 25}, "33": {"C11Z": 20, "C30C": 5}, "51": {"C11Z": 30}, "16": {"C11Z": 40},
    "13": {"B06Z": 15, "C19Z": 10, "C20A": 4}, "76": {"C19Z": 15, "B06Z": 10, "C20A": 4},
    "69": {"C21Z": 8, "C20C": 6}, "44": {"B06Z": 8, "C30A": 15}, "59": {"C24A": 8, "C29A": 5},
    "974": {"C10H": 10, "A03Z": 15}, "971": {"C11Z": 20}, "972": {"C11Z": 20}, "973": {"C30C": 40},
}
# Neighbours and regional partners boosted for some départements (partner → multiplier).
PARTNER_BOOSTS = {
    "67": {"DE": 3}, "68": {"DE": 3, "CH": 3}, "57": {"DE": 3, "LU": 4}, "59": {"BE": 3, "GB": 2},
    "62": {"GB": 3, "BE": 2}, "06": {"IT": 3, "MC": 20}, "64": {"ES": 4}, "66": {"ES": 5},
    "20": {"IT": 4}, "99": {"IT": 3, "CH": 3}, "74": {"CH": 5}, "01": {"CH": 3}, "25": {"CH": 4},
    "23": {"IT": 3}, "974": {"MU": 40, "MG": 40, "ZA": 10, "SG": 5, "CN": 2},
    "976": {"KM": 80, "MG": 50, "ZA": 10}, "971": {"US": 3, "DO": 30}, "972": {"US": 3, "TT": 30},
    "973": {"BR": 30, "SR": 60, "US": 2},
}
# Département activity levels beyond population (logistic hubs, industrial bases), by flow.
LEVEL_BOOSTS = {
    "E": {"31": 4, "13": 2, "76": 2.5, "69": 1.5, "59": 1.5, "44": 1.3, "92": 1.5, "16": 2.5, "51": 2.5},
    "I": {"13": 4, "76": 4, "59": 2, "94": 2, "93": 2, "95": 3, "77": 1.5, "44": 2, "69": 1.5, "67": 1.3},
}
# France's own statistical territory is not a partner.
N_PARTNERS = 185
NOT_PARTNERS = {"FR", "GP", "MQ", "GF", "RE", "YT", "AQ", "BV", "HM", "UM"}


def _exact_split(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights that sum exactly to total (largest remainder)."""
    raw = weights / weights.sum() * total
    base = np.floor(raw).astype(np.int64)
    remainder = int(total - base.sum())
    if remainder:
        order = np.argsort(-(raw - base), kind="stable")
        base[order[:remainder]] += 1
    return base


def _published_targets() -> pd.DataFrame:
    table = pd.read_csv(reference_dir() / "totaux_publies.csv", dtype=str)
    table = table[(table["annee"] == str(CALIBRATION_YEAR))]
    # Raw regional sums (the fiches' concept), not the official national figure with estimates.
    table = table[~((table["perimetre"] == "france") & table["concept"].str.startswith("chiffre officiel"))]
    table["valeur_eur"] = (table["valeur_meur"].astype(float) * 1_000_000).round().astype(np.int64)
    return table


def _territories() -> pd.DataFrame:
    """The territories of the DGDDI files (« 20 » Corse, the DOM, « 99 » Monaco), in fichex's codes."""
    return reference.departements().query("dgddi").reset_index(drop=True)


def _departement_totals(rng: np.random.Generator, flow: str) -> dict[str, int]:
    """2024 totals per territory for a flow, calibrated on the published totals."""
    deps = _territories()
    codes = deps["code_departement"].tolist()
    population = deps["population"].astype(float).to_numpy().copy()
    population[deps["code_departement"].eq("99").to_numpy()] = MONACO_WEIGHT
    weights = population ** 0.95 * rng.lognormal(0.0, 0.55, len(codes))
    weights = weights * np.array([LEVEL_BOOSTS[flow].get(c, 1.0) for c in codes])
    drom = deps["zone"].eq("drom").to_numpy()
    weights[drom] *= 0.15
    weights = pd.Series(weights, index=codes)

    targets = _published_targets()
    targets = targets[targets["flux"] == flow]
    fixed = {r.code: int(r.valeur_eur) for r in targets.itertuples() if r.perimetre == "departement"}
    regions = {r.code: int(r.valeur_eur) for r in targets.itertuples() if r.perimetre == "region"}
    france = int(targets.loc[targets["perimetre"] == "france", "valeur_eur"].iloc[0])

    totals: dict[str, int] = dict(fixed)
    region_of = dict(zip(deps["code_departement"], deps["code_region"]))
    constrained_regions = set(regions)
    for code_region, region_total in sorted(regions.items()):
        free = [c for c in codes if region_of[c] == code_region and c not in fixed]
        left = region_total - sum(v for c, v in fixed.items() if region_of[c] == code_region)
        totals.update(zip(free, _exact_split(left, weights[free].to_numpy())))
    rest = [c for c in codes if c not in totals and region_of[c] not in constrained_regions]
    left = france - sum(totals.values())
    totals.update(zip(rest, _exact_split(left, weights[rest].to_numpy())))
    return {c: int(totals[c]) for c in codes}


def _partner_weights(flow: str, partner_codes: list[str], rng: np.random.Generator) -> np.ndarray:
    main = pd.read_csv(reference_dir() / "partenaires_france_2024.csv", dtype={"valeur_meur": float})
    known = {r.code_pays: r.valeur_meur / 1000 for r in main[main["flux"] == flow].itertuples()}
    known.update(OTHER_PARTNER_WEIGHTS[flow])
    # Remaining partners share a Zipf-like tail of small values.
    tail = [c for c in partner_codes if c not in known]
    tail_order = rng.permutation(len(tail))
    weights = {c: 0.9 / (1 + rank) ** 1.1 for c, rank in zip(tail, tail_order)}
    weights.update(known)
    return np.array([weights[c] for c in partner_codes])


def _cells(rng: np.random.Generator, total: float, product_w: np.ndarray, partner_w: np.ndarray) -> tuple:
    """Sparse product × partner cells for one département, flow and year (float values, unscaled)."""
    size = int(np.clip(90 * (total / 1e8) ** 0.45, 40, 2500))
    # Which cells exist follows a flatter law than their values: many small flows, a few large ones.
    p_presence = product_w ** 0.6 / (product_w ** 0.6).sum()
    c_presence = partner_w ** 0.5 / (partner_w ** 0.5).sum()
    draws = int(size * 1.5)
    p_idx = rng.choice(len(p_presence), size=draws, p=p_presence)
    c_idx = rng.choice(len(c_presence), size=draws, p=c_presence)
    pairs = np.unique(p_idx * len(c_presence) + c_idx)
    pairs = rng.permutation(pairs)[:size]
    p_idx, c_idx = np.divmod(pairs, len(c_presence))
    values = product_w[p_idx] * partner_w[c_idx] * rng.lognormal(0.0, 1.0, len(p_idx))
    return p_idx, c_idx, values


def _rake(dep_idx: np.ndarray, c_idx: np.ndarray, values: np.ndarray, dep_totals: np.ndarray,
          partner_targets: dict[int, float], rounds: int = 12) -> np.ndarray:
    """Scale cells so that département totals hold and the main partners' national totals approach
    their targets (iterative proportional fitting on two margins)."""
    values = values.astype("float64").copy()
    grand = dep_totals.sum()
    targeted = np.array(sorted(partner_targets))
    target_values = np.array([partner_targets[i] for i in targeted])
    n_partners = int(c_idx.max()) + 1
    for _ in range(rounds):
        by_partner = np.bincount(c_idx, weights=values, minlength=n_partners)
        factors = np.ones(n_partners)
        factors[targeted] = target_values / np.maximum(by_partner[targeted], 1.0)
        others = np.setdiff1d(np.arange(n_partners), targeted)
        other_now = by_partner[others].sum()
        factors[others] = max(grand - target_values.sum(), 0.0) / max(other_now, 1.0)
        values *= factors[c_idx]
        by_dep = np.bincount(dep_idx, weights=values, minlength=len(dep_totals))
        values *= (dep_totals / np.maximum(by_dep, 1e-9))[dep_idx]
    return values


def generate(seed: int = SEED) -> pd.DataFrame:
    """Build the demonstration canonical trade table (all départements, YEARS, A129 goods).

    Returns:
        A DataFrame of annual cells (annee, flux, code_departement, code_a129, code_pays, valeur_eur), sorted,
        values in whole euros; regional_rows splits them into the rows of the regional files.
    """
    rng = np.random.default_rng(seed)
    deps = _territories()["code_departement"].tolist()
    products = reference.activities().query("bien")["code_a129"].tolist()
    candidates = [c for c in reference.countries()["code_pays"] if c not in NOT_PARTNERS
                  and not (c.startswith("Q") and c not in ("QQ", "QU"))]
    main = pd.read_csv(reference_dir() / "partenaires_france_2024.csv", dtype={"valeur_meur": float})
    named = set(main["code_pays"]) | set(OTHER_PARTNER_WEIGHTS["E"]) | set(OTHER_PARTNER_WEIGHTS["I"])
    named |= {partner for boosts in PARTNER_BOOSTS.values() for partner in boosts}
    tail = [c for c in candidates if c not in named]
    chosen_tail = set(rng.choice(tail, size=N_PARTNERS - len(named), replace=False))
    partners = [c for c in candidates if c in named or c in chosen_tail]

    frames = []
    for flow in ("E", "I"):
        totals_2024 = _departement_totals(rng, flow)
        base_p = np.array([PRODUCT_WEIGHTS[flow].get(p, 0.0) for p in products])
        small = base_p == 0
        base_p[small] = rng.lognormal(0.0, 0.9, small.sum())
        base_c = _partner_weights(flow, partners, rng)
        flow_main = main[main["flux"] == flow]
        structure = {}
        for dep in deps:
            # What a département trades and with whom is shared by its three years.
            dep_p = base_p * rng.lognormal(0.0, 1.0, len(products))
            for product, factor in SPECIALTIES.get(dep, {}).items():
                dep_p[products.index(product)] *= factor
            boost_prob = np.sqrt(base_p) / np.sqrt(base_p).sum()
            for idx in rng.choice(len(products), size=3, replace=False, p=boost_prob):
                dep_p[idx] *= rng.uniform(3, 12)
            dep_c = base_c * rng.lognormal(0.0, 0.45, len(partners))
            for partner, factor in PARTNER_BOOSTS.get(dep, {}).items():
                dep_c[partners.index(partner)] *= factor
            structure[dep] = (dep_p, dep_c)
        for year in YEARS:
            dep_rows, p_rows, c_rows, v_rows, dep_totals = [], [], [], [], []
            for d, dep in enumerate(deps):
                dep_p, dep_c = structure[dep]
                level = YEAR_FACTORS[year][flow]
                if year != CALIBRATION_YEAR:
                    level *= rng.lognormal(0, 0.06)
                total = round(totals_2024[dep] * level)
                year_p = dep_p * rng.lognormal(0.0, 0.15, len(products))
                p_idx, c_idx, values = _cells(rng, total, year_p, dep_c)
                dep_rows.append(np.full(len(p_idx), d))
                p_rows.append(p_idx)
                c_rows.append(c_idx)
                v_rows.append(values)
                dep_totals.append(total)
            dep_idx, p_idx, c_idx = (np.concatenate(x) for x in (dep_rows, p_rows, c_rows))
            totals = np.array(dep_totals, dtype="float64")
            # Main partners keep their 2024 share of the national total in every year.
            scale = totals.sum() / sum(totals_2024.values())
            targets = {partners.index(r.code_pays): r.valeur_meur * 1e6 * scale
                       for r in flow_main.itertuples()}
            values = _rake(dep_idx, c_idx, np.concatenate(v_rows), totals, targets)
            exact = np.empty(len(values), dtype=np.int64)
            bounds = np.flatnonzero(np.diff(dep_idx)) + 1
            for start, stop, total in zip(np.r_[0, bounds], np.r_[bounds, len(values)], dep_totals):
                exact[start:stop] = _exact_split(int(total), values[start:stop])
            keep = exact > 0
            frames.append(pd.DataFrame({
                "annee": year, "flux": flow, "code_departement": np.array(deps)[dep_idx[keep]],
                "code_produit": np.array(products)[p_idx[keep]], "code_pays": np.array(partners)[c_idx[keep]],
                "valeur_eur": exact[keep].astype("float64"),
            }))
    table = pd.concat(frames, ignore_index=True)
    table["code_a129"] = table["code_produit"]
    return table[["annee", "flux", "code_departement", "code_a129", "code_pays", "valeur_eur"]].sort_values(
        ["annee", "flux", "code_departement", "code_a129", "code_pays"]).reset_index(drop=True)


def _exact_rows(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split each integer of `values` (n) by the rows of `weights` (n × k) into integers that sum to it."""
    shares = weights / weights.sum(axis=1, keepdims=True)
    parts = np.floor(values[:, None] * shares).astype(np.int64)
    parts[np.arange(len(values)), shares.argmax(axis=1)] += values - parts.sum(axis=1)
    return parts


def _cpf4_codes() -> dict[str, list[str]]:
    table = reference.cpf4_products()
    return {a129: group.tolist() for a129, group in table.groupby("code_a129")["code_cpf4"] if a129}


def regional_rows(annual: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """The annual A129 cells split into CPF4 codes and quarters, with a mass: the rows of the regional files.

    Values stay integers and every cell's quarters and codes sum to it exactly. The partial year keeps its
    first quarter only.
    """
    rng = np.random.default_rng(seed + 1)
    cpf4 = _cpf4_codes()
    a129 = annual["code_a129"].astype(str).to_numpy()
    values = annual["valeur_eur"].to_numpy().astype(np.int64)
    # One or two CPF4 codes of the position per cell (two for a fifth of the cells that have a choice).
    first = np.array([c[rng.integers(len(c))] if (c := cpf4.get(code)) else code for code in a129], dtype=object)
    second = np.array([c[rng.integers(len(c))] if (c := cpf4.get(code)) else code for code in a129], dtype=object)
    two = (rng.random(len(values)) < 0.2) & (first != second)
    split = _exact_rows(values, np.c_[np.ones(len(values)), np.where(two, rng.uniform(0.1, 1.0, len(values)), 0)])
    index = np.r_[np.arange(len(values)), np.flatnonzero(two)]
    codes = np.r_[first, second[two]]
    cell_values = np.r_[split[:, 0], split[two, 1]]
    # Quarters: every quarter for large flows, one or two for small ones.
    weights = rng.gamma(4.0, 1.0, (len(cell_values), 4))
    sporadic = cell_values < SPORADIC_EUR
    keep = rng.random((len(cell_values), 4)) < 0.3
    keep[np.arange(len(cell_values)), rng.integers(0, 4, len(cell_values))] = True
    weights[sporadic] *= keep[sporadic]
    quarters = _exact_rows(cell_values, weights)
    years = annual["annee"].to_numpy()[index]
    partial = years == PARTIAL_YEAR
    quarters[partial] *= np.isin(np.arange(1, 5), PARTIAL_QUARTERS)
    rows, cols = np.nonzero(quarters)
    source = index[rows]
    euros = quarters[rows, cols]
    # Mass: a price per kilogram by position (log-normal around 4 €/kg), with noise per row.
    positions = sorted(set(a129))
    price = dict(zip(positions, rng.lognormal(np.log(4.0), 1.2, len(positions))))
    per_kg = np.array([price[code] for code in a129[source]]) * rng.lognormal(0.0, 0.3, len(euros))
    table = _territories().set_index("code_departement")
    deps = annual["code_departement"].astype(str).to_numpy()[source]
    out = pd.DataFrame({
        "flux": annual["flux"].astype(str).to_numpy()[source], "trimestre": cols + 1, "annee": years[rows],
        "code_departement": table.loc[deps, "code_dgddi"].to_numpy(),
        "code_region": table.loc[deps, "code_region_dgddi"].to_numpy(),
        "code_a129": a129[source], "code_cpf4": codes[rows], "code_pays": annual["code_pays"].astype(str).to_numpy()[source],
        "valeur": euros, "masse": np.round(euros / per_kg).astype(np.int64),
    })
    return out.sort_values(["annee", "trimestre", "flux", "code_departement", "code_cpf4", "code_pays"],
                           kind="stable").reset_index(drop=True)


def write_regional_files(folder: Path, seed: int = SEED) -> list[Path]:
    """Write the simulated DGDDI regional files (both flows) and the demonstration marker into `folder`."""
    import datetime as dt
    import os

    from fichex.data.importing.dgddi_files import DEMONSTRATION_MARKER

    folder.mkdir(parents=True, exist_ok=True)
    rows = regional_rows(generate(seed), seed)
    stamp = dt.datetime(*FILES_DATE, tzinfo=dt.timezone.utc).timestamp()
    written = []
    for flow, name in REGIONAL_FILES.items():
        path = folder / name
        rows[rows["flux"] == flow].to_csv(path, sep=";", header=False, index=False, lineterminator="\n")
        written.append(path)
    marker = folder / DEMONSTRATION_MARKER
    marker.write_text(DEMO_SOURCE.format(seed=seed) + "\n", encoding="utf-8")
    for path in [*written, marker]:
        os.utime(path, (stamp, stamp))
    return written


def write(path: Path, seed: int = SEED) -> pd.DataFrame:
    """Generate the simulated regional files, import them with the real importer, and write the canonical
    table to `path` (flagged as demonstration by the files' marker)."""
    import shutil
    import tempfile

    from fichex.data.importing import import_files

    with tempfile.TemporaryDirectory(prefix="fichex-demo-") as tmp:
        files = Path(tmp) / "fichiers"
        write_regional_files(files, seed)
        report = import_files([files], Path(tmp) / "donnees")
        shutil.move(str(report.output), path)
    return pd.read_parquet(path)
