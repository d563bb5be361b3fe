"""Where each role of a tidy table comes from (a column, the file name, a default, or one column per
period), and the table's cells laid out one row per value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fichex.data.importing import columns as col
from fichex.data.importing.readers import RawTable
from fichex.errors import InputDataError

_RAW_ROLES = ["annee", "periode", "flux", "code_departement", "code_produit", "code_pays", "valeur"]
_LABEL_FILE = re.compile(r"libel|label|nomenclature|^lib[_ -]", re.IGNORECASE)
MAPPING_HINT = "voir docs/donnees-reelles.md"


@dataclass
class Plan:
    """Where each role of a table comes from: a column, the file name, a [defaults] value or wide headers."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    described: dict[str, str] = field(default_factory=dict)
    wide: list[tuple[str, int, str | None]] = field(default_factory=list)
    unit: str = col.DEFAULT_UNIT


class Skip(Exception):
    """A member of an archive or folder that is not a crossed pays × produits table."""


def plan_table(table: RawTable, mapping: col.Mapping, known_deps: set[str]) -> Plan:
    """Decide the source of every role, or raise Skip (bundled tables) or InputDataError."""
    if table.bundled and _LABEL_FILE.search(Path(table.member).stem):
        raise Skip("fichier de libellés")
    if not table.headers:
        if table.bundled:
            raise Skip("fichier vide")
        raise InputDataError(f"{table.name} : aucune ligne d'en-tête trouvée ; la première ligne doit porter les "
                             "noms des colonnes")
    plan = Plan()
    _plan_columns(plan, table, mapping)
    for role, value in mapping.defaults.items():
        if role not in plan.columns:
            plan.constants[role] = value
            plan.described[role] = f"valeur par défaut « {value} » ({mapping.path})"
    _plan_from_headers_and_name(plan, table, known_deps)
    _require_roles(plan, table)
    _plan_unit(plan, mapping)
    return plan


def _plan_columns(plan: Plan, table: RawTable, mapping: col.Mapping) -> None:
    """The column of each role: the one the mapping names, else the one an alias recognises."""
    by_norm = {col.normalise_header(h): h for h in table.headers}
    for role in col.ROLES:
        wanted = mapping.columns.get(role)
        if wanted is not None:
            header = wanted if wanted in table.headers else by_norm.get(col.normalise_header(wanted))
            if header is None:
                raise InputDataError(
                    f"{table.name} : colonne « {wanted} » (indiquée pour {role} dans {mapping.path}) absente ; "
                    f"colonnes lues : {', '.join(table.headers[:15])} ; corrigez le fichier --mapping")
        else:
            header = col.find_column(table.headers, role)
        if header is not None and header not in plan.columns.values():
            plan.columns[role] = header
            plan.described[role] = f"colonne « {header} »"


def _plan_from_headers_and_name(plan: Plan, table: RawTable, known_deps: set[str]) -> None:
    """Without a column: the values from one column per period, the flow and département from the file name."""
    if "valeur" not in plan.columns and "valeur" not in plan.constants:
        used = set(plan.columns.values())
        for header in table.headers:
            period = col.periods_from_header(header) if header not in used else None
            if period is not None:
                plan.wide.append((header, period[0], period[1]))
        if plan.wide:
            plan.described["valeur"] = "colonnes par période : " + ", ".join(h for h, _, _ in plan.wide)
            plan.described["annee"] = "en-têtes des colonnes de valeurs"
    if "flux" not in plan.columns and "flux" not in plan.constants:
        flow = col.flow_from_name(table.member)
        if flow:
            plan.constants["flux"] = flow
            plan.described["flux"] = f"nom du fichier ({flow})"
    if "code_departement" not in plan.columns and "code_departement" not in plan.constants:
        dep = col.departement_from_name(table.member, known_deps)
        if dep:
            plan.constants["code_departement"] = dep
            plan.described["code_departement"] = f"nom du fichier ({dep})"


def _has_role(plan: Plan, role: str) -> bool:
    if role in plan.columns or role in plan.constants:
        return True
    if role == "valeur":
        return bool(plan.wide)
    if role == "annee":
        return bool(plan.wide) or "periode" in plan.columns
    return False


def _require_roles(plan: Plan, table: RawTable) -> None:
    """Raise Skip for a bundled table that is not crossed pays × produits, InputDataError for a role missing."""
    missing = [role for role in col.REQUIRED_ROLES if not _has_role(plan, role)]
    if table.bundled and ({"code_pays", "code_produit"} & set(missing)):
        lacking = " et ".join(r.removeprefix("code_") for r in ("code_pays", "code_produit") if r in missing)
        raise Skip(f"pas de colonne {lacking} : fichier non croisé pays × produits, ignoré pour ne pas compter "
                   "deux fois")
    if missing:
        fixes = []
        if "flux" in missing:
            fixes.append("mettez export ou import dans le nom du fichier ou [defaults] flux = \"E\"")
        if "code_departement" in missing:
            fixes.append("mettez le département dans le nom du fichier (dep_01_export.csv)")
        fixes.append(f"indiquez les colonnes avec --mapping ([columns] {missing[0]} = \"NOM\", {MAPPING_HINT})")
        plural = "s" if len(missing) > 1 else ""
        raise InputDataError(
            f"{table.name} : colonne{plural} {', '.join(missing)} introuvable{plural} "
            f"(colonnes lues : {', '.join(table.headers[:15])}) ; {' ; '.join(fixes)}")


def _plan_unit(plan: Plan, mapping: col.Mapping) -> None:
    """The unit of the values: the mapping's, the value header's, else thousands of euros."""
    if mapping.unit:
        plan.unit = mapping.unit
        plan.described["unite"] = f"{mapping.path} : {mapping.unit}"
    elif "valeur" in plan.columns and col.unit_of_header(plan.columns["valeur"]):
        plan.unit = col.unit_of_header(plan.columns["valeur"]) or col.DEFAULT_UNIT
        plan.described["unite"] = f"d'après l'en-tête « {plan.columns['valeur']} »"
    else:
        plan.unit = col.DEFAULT_UNIT
        plan.described["unite"] = "milliers d'euros supposés (unité des fichiers DGDDI)"


def raw_frame(table: RawTable, plan: Plan) -> pd.DataFrame:
    """One row per value with the cells of every role as read (objects), plus fichier and ligne."""

    def block(value_header: str | None, year: int | None, sub: str | None) -> pd.DataFrame:
        frame = pd.DataFrame({"fichier": table.name, "ligne": table.lines}, index=table.frame.index)
        for role in _RAW_ROLES:
            if role == "valeur" and value_header is not None:
                frame[role] = table.frame[value_header]
            elif role in plan.columns:
                frame[role] = table.frame[plan.columns[role]]
            elif role in plan.constants:
                frame[role] = plan.constants[role]
            else:
                frame[role] = None
        if year is not None:
            frame["annee"] = frame["annee"].where(frame["annee"].map(lambda v: not col.is_blank(v)), year)
            if sub is not None:
                frame["periode"] = sub
        return frame.astype({r: object for r in _RAW_ROLES})

    if plan.wide:
        return pd.concat([block(h, y, s) for h, y, s in plan.wide], ignore_index=True)
    return block(None, None, None).reset_index(drop=True)
