"""Reference tables embedded in data/: départements, régions, partner countries, A129 activities, TI."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from fichex.errors import InputDataError, UnknownCodeError
from fichex.resources import reference_dir


@dataclass(frozen=True)
class Departement:
    """A département with its région (COG 2024)."""

    code: str
    nom: str
    code_region: str
    region: str


def _read(name: str) -> pd.DataFrame:
    path = reference_dir() / name
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputDataError(
            f"table de référence introuvable : {path} ; réinstallez fichex ou lancez scripts/build_reference.py"
        ) from None


@lru_cache(maxsize=None)
def departements() -> pd.DataFrame:
    """Départements of France (metropolitan and DROM): code_departement, departement, code_region, region, zone."""
    return _read("departements.csv")


@lru_cache(maxsize=None)
def regions() -> pd.DataFrame:
    """Régions of France: code_region, region, zone."""
    return _read("regions.csv")


@lru_cache(maxsize=None)
def countries() -> pd.DataFrame:
    """Partner codes (ISO 3166-1 alpha-2 and DGDDI special codes): code_pays, pays, zone, ue27, special."""
    table = _read("pays.csv")
    table["ue27"] = table["ue27"].astype(int).astype(bool)
    table["special"] = table["special"].astype(int).astype(bool)
    return table


@lru_cache(maxsize=None)
def activities() -> pd.DataFrame:
    """A129 activities with their short product label and A88/A38/A17/A10 groups (NA 2008)."""
    table = _read("activites_a129.csv")
    table["bien"] = table["bien"].astype(int).astype(bool)
    return table


@lru_cache(maxsize=None)
def naf_classes() -> pd.DataFrame:
    """NAF rév. 2 classes (« 10.51 ») with their A129 position, to map CPF/NAF product codes."""
    return _read("naf_classes_a129.csv")


@lru_cache(maxsize=None)
def territoires_industrie() -> pd.DataFrame:
    """Territoires d'industrie 2023-2027 × département pairs: territoire_industrie, code_departement, n_communes."""
    return _read("territoires_industrie.csv")


def normalise_departement_code(code: str) -> str:
    """Return the COG spelling of a département code typed by a user (« 1 » → « 01 », « 2a » → « 2A »)."""
    text = str(code).strip().upper()
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    return text


def departement(code: str) -> Departement:
    """Look a département up by code.

    Raises:
        UnknownCodeError: the code is not a département code, with the closest valid codes.
    """
    wanted = normalise_departement_code(code)
    table = departements()
    match = table[table["code_departement"] == wanted]
    if match.empty:
        valid = table["code_departement"].tolist()
        near = difflib.get_close_matches(wanted, valid, n=3, cutoff=0.5)
        hint = f" ; vouliez-vous dire {', '.join(near)} ?" if near else ""
        raise UnknownCodeError(
            f"département inconnu : « {code} » ; codes valides : 01 à 95, 2A, 2B, 971 à 974, 976"
            f" (voir « fichex list departements »){hint}"
        )
    row = match.iloc[0]
    return Departement(row.code_departement, row.departement, row.code_region, row.region)


def region_name(code_region: str) -> str:
    """Name of a région from its code.

    Raises:
        UnknownCodeError: the code is not a région code.
    """
    table = regions()
    match = table[table["code_region"] == str(code_region).strip()]
    if match.empty:
        raise UnknownCodeError(
            f"région inconnue : « {code_region} » ; voir « fichex list regions » pour les codes valides"
        )
    return str(match.iloc[0]["region"])


def departements_of_region(code_region: str) -> list[str]:
    """Codes of the départements of a région, in COG order."""
    region_name(code_region)
    table = departements()
    return table.loc[table["code_region"] == str(code_region).strip(), "code_departement"].tolist()


def territoires_of(code_departement: str) -> list[str]:
    """Names of the Territoires d'industrie that cover part of a département, alphabetical."""
    table = territoires_industrie()
    return sorted(table.loc[table["code_departement"] == code_departement, "territoire_industrie"].tolist())


def product_to_a129(code: str) -> str | None:
    """Map a product code of any CPF/NAF depth (or an A129 code) to its A129 position, or None."""
    text = str(code).strip().upper()
    a129 = set(activities()["code_a129"])
    if text in a129:
        return text
    digits = text.replace(".", "").replace(" ", "")
    if not digits[:2].isdigit() or len(digits) < 2:
        return None
    # A class (4 digits or more) has one A129 position; a group (3) or a division (2) only when all its
    # classes share one.
    prefix = digits[:4]
    positions = {a129 for naf_class, a129 in _class_positions() if naf_class.startswith(prefix)}
    return positions.pop() if len(positions) == 1 else None


@lru_cache(maxsize=1)
def _class_positions() -> tuple[tuple[str, str], ...]:
    table = naf_classes()
    return tuple((code.replace(".", ""), a129) for code, a129 in zip(table["naf_classe"], table["code_a129"]))
