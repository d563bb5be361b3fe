"""Reference tables embedded in data/: départements, régions, partner countries, A129 activities, TI."""

from __future__ import annotations

import re

import difflib
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from fichex.errors import InputDataError, UnknownCodeError
from fichex.resources import reference_dir
from fichex.territories import CORSICA_CODE


@dataclass(frozen=True)
class Departement:
    """A département with its région (COG 2024)."""

    code: str
    nom: str
    code_region: str
    region: str
    tncc: int | None = None  # INSEE's « type de nom en clair »: the article a sentence gives the name


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
    """Territories a fiche can be about: the COG départements (metropolitan and DROM) and the DGDDI-only
    territories (« 20 » Corse as one, « 99 » Monaco, counted in Provence-Alpes-Côte d'Azur).

    Columns: code_departement, departement, code_region, region, zone, population, tncc (INSEE's type of
    name: 0 or 1 no article, 2 « le », 3 « la », 4 « les », 5 « l' »), code_dgddi, code_region_dgddi,
    cog (1 = COG département), dgddi (1 = a territory of the DGDDI files).
    """
    table = _read("departements.csv")
    for column in ("cog", "dgddi"):
        table[column] = table[column].astype(int).astype(bool)
    return table


def territory_set(present: set[str]) -> set[str]:
    """The territories a complete table holds, judged from the codes it has: DGDDI's (« 20 » for Corse,
    « 99 » Monaco) unless it separates 2A and 2B, then the COG's."""
    return set(_territory_codes("cog" if {"2A", "2B"} & present else "dgddi"))


@lru_cache(maxsize=None)
def _territory_codes(column: str) -> frozenset[str]:
    """The territory codes of the COG (« cog ») or of the DGDDI files (« dgddi »), read once."""
    table = departements()
    return frozenset(table.loc[table[column], "code_departement"])


@lru_cache(maxsize=None)
def cpf4_products() -> pd.DataFrame:
    """CPF rév. 2.1 four-digit product codes with DGDDI's label and their A129 position (may be empty)."""
    return _read("produits_cpf4.csv")


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


# Geonomenclature codes that name no country: high seas, stores and provisions (« avitaillement et
# soutage »), countries not determined or kept secret (QP–QZ), and the EU as a whole. Their trade is real
# and counted in every total, but they are not partner « pays » in rankings.
_NOT_A_COUNTRY = re.compile(r"Q[P-Z]|EU")


def is_country(code: str) -> bool:
    """Whether a partner code names a country or territory (not « Avitaillement et soutage », « QU »…)."""
    return not _NOT_A_COUNTRY.fullmatch(code)


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
    """Return fichex's spelling of a territory code typed by a user or read in a file: « 1 » → « 01 »,
    « 2a » → « 2A », and DGDDI's DOM codes to the COG's (« 9A » → « 971 »)."""
    text = str(code).strip().upper()
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    return _cog_of_dgddi().get(text, text)


@lru_cache(maxsize=1)
def _cog_of_dgddi() -> dict[str, str]:
    table = departements()
    return {dgddi: cog for dgddi, cog in zip(table["code_dgddi"], table["code_departement"]) if dgddi and dgddi != cog}


@lru_cache(maxsize=1)
def region_of_dgddi() -> dict[str, str]:
    """DGDDI's internal région codes (« 09 ») → INSEE's (« 75 »); « 24 » (DOM) is not one région."""
    table = departements()
    pairs = table.loc[table["code_region_dgddi"] != "", ["code_region_dgddi", "code_region"]].drop_duplicates()
    counts = pairs.groupby("code_region_dgddi").size()
    return {dgddi: insee for dgddi, insee in zip(pairs["code_region_dgddi"], pairs["code_region"])
            if counts[dgddi] == 1}


def departement(code: str) -> Departement:
    """Look a département up by code.

    Raises:
        UnknownCodeError: the code is not a département code, with the closest valid codes.
    """
    wanted = normalise_departement_code(code)
    found = _departements_by_code().get(wanted)
    if found is None:
        valid = departements()["code_departement"].tolist()
        near = difflib.get_close_matches(wanted, valid, n=3, cutoff=0.5)
        hint = f" ; vouliez-vous dire {', '.join(near)} ?" if near else ""
        raise UnknownCodeError(
            f"département inconnu : « {code} » ; codes valides : 01 à 95, 2A, 2B (ou 20 : Corse), 971 à 974, 976 "
            "(ou 9A à 9E), 99 (Monaco)"
            f" (voir « fichex list departements »){hint}"
        )
    return found


@lru_cache(maxsize=1)
def _departements_by_code() -> dict[str, Departement]:
    """Every territory of `departements()` by code (the first row of a code), built once: a fiche looks its
    territory up several times, a batch a hundred times."""
    found: dict[str, Departement] = {}
    for row in departements().itertuples(index=False):
        tncc = str(getattr(row, "tncc", ""))
        found.setdefault(row.code_departement, Departement(row.code_departement, row.departement, row.code_region,
                                                           row.region, int(tncc) if tncc.isdigit() else None))
    return found


CORSICA = ("2A", "2B")
CORSICA_DGDDI = CORSICA_CODE  # fichex.territories: the one code of both in the DGDDI files


def departement_in_data(code: str, present: set[str] | None) -> tuple[Departement, bool]:
    """The territory whose rows answer for `code` in a table holding the codes `present`, and whether it is
    another one: the DGDDI files never separate 2A and 2B, so a table with « 20 » answers for both.

    Raises:
        UnknownCodeError: the code is not a territory code.
    """
    dep = departement(code)
    if present is not None and dep.code in CORSICA and dep.code not in present and CORSICA_DGDDI in present:
        return departement(CORSICA_DGDDI), True
    return dep, False


def region_name(code_region: str) -> str:
    """Name of a région from its code.

    Raises:
        UnknownCodeError: the code is not a région code.
    """
    name = _region_names().get(str(code_region).strip())
    if name is None:
        raise UnknownCodeError(
            f"région inconnue : « {code_region} » ; voir « fichex list regions » pour les codes valides"
        )
    return name


@lru_cache(maxsize=1)
def _region_names() -> dict[str, str]:
    """Région code → name (the first row of a code), built once."""
    table = regions()
    names: dict[str, str] = {}
    for code, name in zip(table["code_region"], table["region"]):
        names.setdefault(code, str(name))
    return names


def region_code(code: str) -> str:
    """INSEE's code of a région typed as INSEE's (« 75 ») or DGDDI's (« 09 »); INSEE's wins where the two
    clash (« 01 » is Guadeloupe, not DGDDI's Hauts-de-France).

    Raises:
        UnknownCodeError: neither an INSEE nor a DGDDI région code.
    """
    text = str(code).strip().upper()
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    insee = set(regions()["code_region"])
    if text in insee:
        return text
    if text in region_of_dgddi():
        return region_of_dgddi()[text]
    near = difflib.get_close_matches(text, sorted(insee), n=3, cutoff=0.5)
    hint = f" ; vouliez-vous dire {', '.join(near)} ?" if near else ""
    raise UnknownCodeError(f"région inconnue : « {code} » ; donnez un code INSEE (11, 75, 84…) ou DGDDI (voir "
                           f"« fichex list regions »){hint}")


def _folded(text: str) -> str:
    """Lower case, no accent, words joined by single spaces, dashes as spaces: how names are compared."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def territoire_identifier(name: str) -> str:
    """The identifier of a Territoire d'industrie: its name in ASCII, words joined by hyphens
    (« Aa – Dunkerque – Flandre » → « aa-dunkerque-flandre »)."""
    return _folded(name).replace(" ", "-")


def territoire(name: str) -> tuple[str, list[str]]:
    """A Territoire d'industrie and its départements (COG order), from its name, an unambiguous prefix of it
    or its identifier; accents, case and dashes do not matter.

    Raises:
        UnknownCodeError: no Territoire d'industrie or several match, naming the closest or the candidates.
    """
    table = territoires_industrie()
    names = list(dict.fromkeys(table["territoire_industrie"]))
    wanted = _folded(name)
    exact = [n for n in names if _folded(n) == wanted or territoire_identifier(n) == str(name).strip().lower()]
    matches = exact or [n for n in names if _folded(n).startswith(wanted)] if wanted else []
    if len(matches) == 1:
        chosen = matches[0]
        order = {code: i for i, code in enumerate(departements()["code_departement"])}
        codes = table.loc[table["territoire_industrie"] == chosen, "code_departement"].tolist()
        return chosen, sorted(dict.fromkeys(codes), key=lambda c: order.get(c, len(order)))
    if len(matches) > 1:
        shown = ", ".join(f"« {n} »" for n in matches[:5]) + (" …" if len(matches) > 5 else "")
        raise UnknownCodeError(f"Territoire d'industrie ambigu : « {name} » désigne {len(matches)} territoires "
                               f"({shown}) ; précisez le nom")
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f" ; vouliez-vous dire {', '.join(f'« {n} »' for n in near)} ?" if near else ""
    raise UnknownCodeError(f"Territoire d'industrie inconnu : « {name} » ; voir « fichex list territoires »{hint}")


def departements_of_region(code_region: str) -> list[str]:
    """Codes of the départements of a région, in COG order."""
    region_name(code_region)
    return list(_departements_by_region().get(str(code_region).strip(), ()))


@lru_cache(maxsize=1)
def _departements_by_region() -> dict[str, tuple[str, ...]]:
    """Région code → its territories' codes in COG order, built once."""
    table = departements()
    found: dict[str, list[str]] = {}
    for code, region in zip(table["code_departement"], table["code_region"]):
        found.setdefault(region, []).append(code)
    return {region: tuple(codes) for region, codes in found.items()}


# A DGDDI territory that groups COG départements: Corse (20) is Corse-du-Sud and Haute-Corse.
_COG_OF_TERRITORY = {CORSICA_DGDDI: CORSICA}


def territoires_of(code_departement: str) -> list[str]:
    """Names of the Territoires d'industrie that cover part of a département (or of the départements a
    DGDDI territory groups: 20 → 2A and 2B), alphabetical, each once."""
    by_departement = _territoires_by_departement()
    codes = _COG_OF_TERRITORY.get(code_departement, (code_departement,))
    return sorted(set().union(*(by_departement.get(code, ()) for code in codes)))


@lru_cache(maxsize=1)
def _territoires_by_departement() -> dict[str, frozenset[str]]:
    """Département code → the Territoires d'industrie covering part of it, built once (every fiche asks)."""
    table = territoires_industrie()
    found: dict[str, set[str]] = {}
    for code, name in zip(table["code_departement"].tolist(), table["territoire_industrie"].tolist()):
        found.setdefault(code, set()).add(name)
    return {code: frozenset(names) for code, names in found.items()}


def product_to_a129(code: str) -> str | None:
    """Map a product code of any CPF/NAF depth (or an A129 code) to its A129 position, or None."""
    text = str(code).strip().upper()
    if text in _a129_codes():
        return text
    digits = text.replace(".", "").replace(" ", "")
    if not digits[:2].isdigit() or len(digits) < 2:
        return None
    cpf4 = _cpf4_positions().get(digits)
    if cpf4:  # DGDDI's four-digit codes, « 0300 » and « 3100 » (divisions written on four digits) included
        return cpf4
    # A class (4 digits or more) has one A129 position; a group (3) or a division (2) only when all its
    # classes share one.
    positions = positions_of_prefix(digits[:4])
    return next(iter(positions)) if len(positions) == 1 else None


def positions_of_prefix(digits: str) -> frozenset[str]:
    """The A129 positions of the NAF classes whose code starts with `digits` (« 10 », « 105 », « 1051 »)."""
    return _positions_by_prefix().get(digits, frozenset())


@lru_cache(maxsize=1)
def _a129_codes() -> frozenset[str]:
    return frozenset(activities()["code_a129"])


@lru_cache(maxsize=1)
def _positions_by_prefix() -> dict[str, frozenset[str]]:
    """Division, group and class codes (2, 3, 4 digits) → A129 positions of their classes, built once."""
    found: dict[str, set[str]] = {}
    for naf_class, a129 in _class_positions():
        for length in (2, 3, 4):
            found.setdefault(naf_class[:length], set()).add(a129)
    return {prefix: frozenset(positions) for prefix, positions in found.items()}


@lru_cache(maxsize=1)
def _cpf4_positions() -> dict[str, str]:
    table = cpf4_products()
    return dict(zip(table["code_cpf4"], table["code_a129"]))


@lru_cache(maxsize=1)
def _class_positions() -> tuple[tuple[str, str], ...]:
    table = naf_classes()
    return tuple((code.replace(".", ""), a129) for code, a129 in zip(table["naf_classe"], table["code_a129"]))
