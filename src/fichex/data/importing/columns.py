"""Recognising columns (aliases, mapping TOML, file names) and parsing the cells of trade files."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fichex.errors import InputDataError

# Roles a source column can play. « valeur » is converted to « valeur_eur » with the unit of the file.
ROLES = ("annee", "periode", "flux", "code_departement", "code_produit", "code_pays", "valeur")
REQUIRED_ROLES = ("annee", "flux", "code_departement", "code_produit", "code_pays", "valeur")

# Column headers recognised for each role, compared after `normalise_header` (lower case, no accents,
# every run of other characters turned into « _ »). Order matters: the first alias present wins, so
# the finest product code (CPF6 before CPF4 before A129) and a code column before a label column.
ALIASES: dict[str, tuple[str, ...]] = {
    "annee": ("annee", "an", "year", "millesime", "annee_civile", "exercice"),
    "periode": ("periode", "trimestre", "mois", "period", "quarter", "month", "trim", "code_periode"),
    "flux": ("flux", "flow", "sens", "code_flux", "type_flux", "sens_flux", "e_i", "export_import"),
    "code_departement": ("code_departement", "code_dep", "code_dept", "code_dpt", "cod_dep", "num_dep",
                         "dep", "dept", "dpt", "departement", "depart", "code_departement_insee"),
    "code_produit": ("code_produit", "code_cpf6", "cpf6", "code_cpf5", "cpf5", "code_cpf4", "cpf4",
                     "code_cpf", "cpf", "cpf_rev2", "code_cpf_rev2", "code_naf", "naf", "code_nace", "nace",
                     "code_cpf3", "cpf3", "code_a129", "a129", "code_a88", "a88", "produit", "produits",
                     "product", "code_product"),
    "code_pays": ("code_pays", "code_pays_iso", "pays_code", "code_partenaire", "code_iso2", "iso2", "iso",
                  "code_country", "country_code", "pays", "partenaire", "country", "partner", "geo"),
    "valeur": ("valeur_eur", "valeur_euros", "valeur_en_euros", "montant_eur", "montant_euros", "euros", "eur",
               "valeur_keur", "valeur_k_eur", "valeur_k", "valeur_milliers_euros", "valeur_milliers_d_euros",
               "valeur_en_milliers_d_euros", "milliers_d_euros", "montant_keur", "montant_k_eur", "keur", "k_eur",
               "valeur", "montant", "value", "val", "valeur_caf", "valeur_fab", "valeur_caf_fab"),
}

# Unit implied by a value header; absent means « ambiguous », then thousands of euros as in DGDDI files.
_EUR_HEADERS = {"valeur_eur", "valeur_euros", "valeur_en_euros", "montant_eur", "montant_euros", "euros", "eur"}
_KEUR_HEADERS = {"valeur_keur", "valeur_k_eur", "valeur_k", "valeur_milliers_euros", "valeur_milliers_d_euros",
                 "valeur_en_milliers_d_euros", "milliers_d_euros", "montant_keur", "montant_k_eur", "keur", "k_eur"}
DEFAULT_UNIT = "keur"
UNITS = {"keur": 1000.0, "eur": 1.0}

# Names a user may write in [columns] / [defaults] of a mapping file, mapped to the role.
_MAPPING_KEYS = {
    "annee": "annee", "periode": "periode", "flux": "flux",
    "code_departement": "code_departement", "departement": "code_departement", "dep": "code_departement",
    "code_produit": "code_produit", "produit": "code_produit",
    "code_pays": "code_pays", "pays": "code_pays",
    "valeur": "valeur", "valeur_eur": "valeur", "valeur_keur": "valeur",
}
_FORMAT_KEYS = {"delimiter", "encoding", "decimal", "sheet"}

_FLOW_WORDS = {
    "E": {"e", "exp", "export", "exports", "exportation", "exportations", "x", "fab", "fob", "sortie", "sorties"},
    "I": {"i", "imp", "import", "imports", "importation", "importations", "m", "caf", "cif", "entree", "entrees"},
}


def strip_accents(text: str) -> str:
    """The text without its accents (« Département » → « Departement »)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise_header(text: object) -> str:
    """« Code Département » → « code_departement », « VALEUR (k€) » → « valeur_k »."""
    plain = strip_accents(str(text)).lower().replace("€", " eur ")
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


@dataclass(frozen=True)
class Mapping:
    """What a mapping TOML file says: source column per role, unit, constant values, reading format."""

    path: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    sheet: str | None = None


def _toml_module():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise InputDataError(
                "lecture du fichier --mapping impossible : TOML demande Python 3.11 ou plus ; "
                "passez à Python 3.11 ou installez tomli (pip install tomli)"
            ) from None
    return tomllib


def load_mapping(path: Path | None) -> Mapping:
    """Read a mapping TOML file (see docs/donnees-reelles.md).

    Raises:
        InputDataError: the file is missing, is not valid TOML or holds an unknown key or unit.
    """
    if path is None:
        return Mapping()
    path = Path(path)
    tomllib = _toml_module()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputDataError(f"fichier de correspondance introuvable : {path} ; vérifiez le chemin donné à --mapping") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputDataError(f"{path.name} : TOML invalide ({exc}) ; corrigez la syntaxe (clé = \"valeur\")") from None

    known_sections = {"columns", "units", "defaults", "format"}
    for section in data:
        if section not in known_sections:
            raise InputDataError(f"{path.name} : section [{section}] inconnue ; sections possibles : "
                                 "[columns], [units], [defaults], [format]")

    def role_of(key: str, section: str) -> str:
        role = _MAPPING_KEYS.get(normalise_header(key))
        if role is None:
            raise InputDataError(f"{path.name} : clé « {key} » inconnue dans [{section}] ; clés possibles : "
                                 "annee, periode, flux, code_departement, code_produit, code_pays, valeur")
        return role

    columns = {role_of(k, "columns"): str(v) for k, v in data.get("columns", {}).items()}
    defaults = {role_of(k, "defaults"): str(v) for k, v in data.get("defaults", {}).items()}
    unit = None
    units = data.get("units", {})
    for key, value in units.items():
        if role_of(key, "units") != "valeur" or str(value).lower() not in UNITS:
            raise InputDataError(f"{path.name} : [units] {key} = « {value} » invalide ; écrivez "
                                 "valeur = \"keur\" (milliers d'euros) ou valeur = \"eur\" (euros)")
        unit = str(value).lower()
    if unit is None:
        for key in data.get("columns", {}):
            if normalise_header(key) == "valeur_eur":
                unit = "eur"
            elif normalise_header(key) == "valeur_keur":
                unit = "keur"
    fmt = data.get("format", {})
    for key in fmt:
        if key not in _FORMAT_KEYS:
            raise InputDataError(f"{path.name} : clé « {key} » inconnue dans [format] ; clés possibles : "
                                 "delimiter, encoding, decimal, sheet")
    decimal = fmt.get("decimal")
    if decimal is not None and decimal not in (",", "."):
        raise InputDataError(f"{path.name} : [format] decimal = « {decimal} » invalide ; écrivez \",\" ou \".\"")
    return Mapping(path=path.name, columns=columns, unit=unit, defaults=defaults,
                   delimiter=fmt.get("delimiter"), encoding=fmt.get("encoding"), decimal=decimal,
                   sheet=None if fmt.get("sheet") is None else str(fmt["sheet"]))


def find_column(headers: list[str], role: str) -> str | None:
    """The header playing `role` among `headers`, by the alias list (first alias present wins)."""
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise_header(header), header)
    for alias in ALIASES[role]:
        if alias in by_norm:
            return by_norm[alias]
    return None


def unit_of_header(header: str) -> str | None:
    """The unit a value header names (« keur » or « eur »), None when it names none."""
    norm = normalise_header(header)
    if norm in _EUR_HEADERS:
        return "eur"
    if norm in _KEUR_HEADERS:
        return "keur"
    return None


# --- hints from the file name --------------------------------------------------------------------


def flow_from_name(name: str) -> str | None:
    """« E » or « I » when the file name says export or import (and not both)."""
    stem = strip_accents(Path(name).stem).lower()
    words = set(re.split(r"[^a-z]+", stem))
    found = set()
    if "export" in stem or "exp" in words:
        found.add("E")
    if "import" in stem or "imp" in words:
        found.add("I")
    return found.pop() if len(found) == 1 else None


def departement_from_name(name: str, known: set[str]) -> str | None:
    """The département a file name is about: « dep_01_export.xls », « D2A.csv », « 33-import.xlsx »."""
    stem = strip_accents(Path(name).stem).upper()
    tagged = set(re.findall(r"(?:DEPARTEMENT|DEPT|DEP|DPT|D)[_ -]?(\d{2,3}|2[AB])(?![0-9A-Z])", stem))
    tagged = {code for code in tagged if code in known}
    if len(tagged) == 1:
        return tagged.pop()
    if tagged:
        return None
    tokens = {t for t in re.split(r"[^0-9A-Z]+", stem) if t in known}
    return tokens.pop() if len(tokens) == 1 else None


def periods_from_header(header: str) -> tuple[int, str | None] | None:
    """(year, sub-period) when a header names a period, for wide files: « 2024 », « 2024T1 », « valeur 2023 »."""
    norm = normalise_header(header).upper()
    norm = re.sub(r"^(VALEUR|VAL|MONTANT|ANNEE)_?", "", norm)
    parsed = parse_period(norm)
    if parsed is None or parsed[0] is None:
        return None
    return parsed  # type: ignore[return-value]


# --- cells ---------------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN or blank text."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value: object) -> str:
    """A cell as text; integral numbers from Excel or Parquet lose their « .0 »."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def product_code(value: object) -> str:
    """A product code as text; a number that lost its leading zero (111 for « 0111 ») gets it back.

    Only numeric cells are padded: a text « 111 » is CPF group 11.1 and stays as it is.
    """
    text = cell_text(value)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric and text.isdigit() and len(text) in (3, 5):
        return "0" + text
    return text.upper()


def flow_code(value: object) -> str | None:
    """« E » or « I » for a cell naming exports or imports, None otherwise."""
    word = normalise_header(cell_text(value))
    for code, words in _FLOW_WORDS.items():
        if word in words:
            return code
    return None


_PERIOD_PATTERNS = (
    (re.compile(r"^(\d{4})[-_/ ]?[TQ]([1-4])$"), lambda m: (int(m[1]), f"T{m[2]}")),
    (re.compile(r"^[TQ]([1-4])[-_/ ]?(\d{4})$"), lambda m: (int(m[2]), f"T{m[1]}")),
    (re.compile(r"^(\d{4})[-_/ ]?(0[1-9]|1[0-2])$"), lambda m: (int(m[1]), f"M{m[2]}")),
    (re.compile(r"^(0?[1-9]|1[0-2])[-_/ ](\d{4})$"), lambda m: (int(m[2]), f"M{int(m[1]):02d}")),
    (re.compile(r"^(\d{4})$"), lambda m: (int(m[1]), None)),
)


def parse_period(text: str, kind: str = "") -> tuple[int | None, str | None] | None:
    """(year or None, sub-period « T1 »/« M03 » or None) from a period cell, None when unreadable.

    Args:
        text: « 2024T1 », « T1 2024 », « 2024-03 », « 202403 », « 2024 », or « 1 » (with `kind`).
        kind: normalised header of the period column; a bare number is a quarter under « trimestre »
            and a month under « mois ».
    """
    text = text.strip().upper()
    for pattern, build in _PERIOD_PATTERNS:
        match = pattern.match(text)
        if match:
            return build(match)
    bare = re.match(r"^[TQM]?0?(\d{1,2})$", text)
    if bare:
        number = int(bare[1])
        if kind in ("trimestre", "quarter", "trim") and 1 <= number <= 4:
            return None, f"T{number}"
        if kind in ("mois", "month") and 1 <= number <= 12:
            return None, f"M{number:02d}"
        if text.startswith(("T", "Q")) and 1 <= number <= 4:
            return None, f"T{number}"
    return None


def quarter_of(sub_period: str) -> int:
    """The quarter of a sub-period (« T3 » → 3, « M08 » → 3), 0 for a value covering the year."""
    match = re.fullmatch(r"T([1-4])|M(0[1-9]|1[0-2])", sub_period or "")
    if match is None:
        return 0
    return int(match[1]) if match[1] else (int(match[2]) - 1) // 3 + 1


# A unit written in a value cell: « 12 k€ », « 12 keur », « 12 K EUR », « 12 € », « 12 EUR », « 12 euros ».
_UNIT_WORD = r"(?i)(k€|keur|keuros?|€|eur|euros?)$"


def cell_units(raw: pd.Series) -> pd.Series:
    """The unit written in each value cell (« keur », « eur »), or None: a unit in the cell wins over the
    column's, so « 12 k€ » in a column of euros is 12 000 € and « 12 EUR » in thousands is 12 €."""
    texts = raw.map(lambda v: "" if isinstance(v, (int, float)) else cell_text(v))
    words = texts.str.replace(r"[\s\u00a0\u202f']", "", regex=True).str.extract(_UNIT_WORD, expand=False)
    lowered = words.str.lower()
    return lowered.map(lambda w: None if not isinstance(w, str) else ("keur" if w.startswith("k") else "eur"))


def parse_amounts(raw: pd.Series, decimal: str | None = None) -> pd.Series:
    """Numbers from cells written « 1 234,567 », « 1.234,5 », « 1,234.5 », « 12.5 » or already numeric.

    The decimal separator is decided once per column when not given: the rightmost of « , » and « . »
    in values holding both; a lone « , » is the French decimal comma; several dots in one value are
    thousands separators. Spaces, non-breaking spaces and « ' » are thousands separators. Unreadable
    cells become NaN (the caller rejects those rows with their text).
    """
    numeric = raw.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    texts = raw[~numeric].map(cell_text)
    texts = texts.str.replace(r"[\s\u00a0\u202f']", "", regex=True).str.replace(_UNIT_WORD, "", regex=True)
    if decimal is None:
        has_comma = texts.str.contains(",", regex=False)
        has_dot = texts.str.contains(".", regex=False)
        both = texts[has_comma & has_dot]
        if not both.empty:
            comma_last = (both.str.rfind(",") > both.str.rfind(".")).mean() >= 0.5
            decimal = "," if comma_last else "."
        elif has_comma.any():
            decimal = "." if texts.str.count(",").max() > 1 else ","
        else:
            decimal = "," if texts.str.count(r"\.").max(skipna=True) > 1 else "."
    if decimal == ",":
        texts = texts.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        texts = texts.str.replace(",", "", regex=False)
    values = pd.Series(float("nan"), index=raw.index, dtype="float64")
    values[~numeric] = pd.to_numeric(texts, errors="coerce").astype("float64")
    values[numeric] = raw[numeric].astype("float64")
    return values
