"""What the terminal says (cli.py, console.py, batch/, data import): build statuses and summaries, import
and data-info summaries, the key figures of `fichex figures`, one-line error reasons.
"""

from __future__ import annotations

from fichex.wording.numbers import count_of, format_eur, group_thousands, ordinal, signed_pct
from fichex.wording.grammar import FLOW_NOUN


# One word per status, the same in the progress lines, the summary table and the JSON.
STATUS = {"built": "construit", "skipped": "à jour", "failed": "échec"}
SKIPPED_REASON = "à jour (mêmes entrées)"
BUILTIN_TEMPLATE = "modèle intégré"
NO_TARGET = ("aucune cible : donnez des codes département (23 87 2A), --region CODE, --level region CODE, "
             "--level france, --territoire NOM ou --all")


def pdf_failed(name: str) -> str:
    """The reason of a target whose PDF LibreOffice could not write, with the way round."""
    return f"LibreOffice n'a pas pu convertir {name} en PDF ; réessayez avec --jobs 1"


def unexpected_error(exc: BaseException) -> str:
    """Reason of a target that failed on a bug: the error's type and message."""
    return f"erreur inattendue ({type(exc).__name__} : {exc})"


def worker_died(exc: BaseException) -> str:
    """The reason of a target whose worker process stopped: the error's type."""
    return f"processus interrompu ({type(exc).__name__})"


def territory_nomenclature(cog: bool, dgddi: bool) -> str:
    """Where a territory code is used: the COG and the DGDDI files, or one of them."""
    if cog and dgddi:
        return "COG et DGDDI"
    return "COG seulement" if cog else "DGDDI seulement"


def corsica_note(code: str, name: str, dgddi_code: str) -> str:
    """The `list` note on a Corse code: customs report 2A and 2B together as `dgddi_code`."""
    return (f"{code} : les données douanières ne séparent pas la Corse-du-Sud (2A) et la Haute-Corse (2B) ; "
            f"fiche «\u00a0{name}\u00a0» (code {dgddi_code}) pour les deux départements")


def no_data_for_year(year: int, years: list[int]) -> str:
    """The error of a year the data does not hold, with the years it does and the option to choose."""
    available = ", ".join(str(y) for y in years) or "aucune"
    return f"aucune donnée pour l'année {year} ; années disponibles : {available} (option --year)"


def unknown_format(unknown: list[str], formats: tuple[str, ...]) -> str:
    """The error of an unknown output format, with the formats there are."""
    return f"format inconnu : {', '.join(unknown) or '(vide)'} ; formats possibles : {','.join(formats)}"


def build_summary_line(built: int, skipped: int, failed: int, seconds: float) -> str:
    """« 2 construit(s), 0 à jour, 0 échec(s) en 1.3 s »."""
    return f"{built} construit(s), {skipped} à jour, {failed} échec(s) en {seconds:.1f} s"


def build_table_title(year: int, out_dir: str) -> str:
    """« fichex build — 2024 — out »: the title of a build's summary table."""
    return f"fichex build — {year} — {out_dir}"


BUILD_TABLE_HEADERS = ("Dép.", "Nom", "Statut", "Fichiers", "s")
BUILD_PROGRESS_LABEL = "Construction"


def target_error_line(code: str, name: str, reason: str) -> str:
    """« Erreur : 23 Creuse : … »: a failed target's line on the terminal."""
    return f"Erreur : {code} {name} : {reason}"


IMPORT_STATUS_IMPORTED = "importé"
IMPORT_STATUS_SKIPPED = "ignoré"
IMPORT_STATUS_ANNEX = "annexe"
PROGRESS_DOWNLOAD = "Téléchargement"
PROGRESS_IMPORT = "Import"


REGIONAL_FORMAT = "fichier régional DGDDI (sans en-tête, 10 champs : flux, trimestre, année, département, région, "\
    "A129, CPF4, pays, valeur, masse)"
REGIONAL_UNIT = "euros et kilogrammes (fichier régional DGDDI)"


def partial_year_warning(period: str) -> str:
    """The import's warning that the data's last year covers only `period`."""
    return (f"année partielle : {period} seulement ; les fiches de cette année le disent, et l'année par défaut "
            "est la dernière année complète")


def rejected_lines_warning(count: int, path) -> str:
    """The import's warning of `count` rejected lines, and where their numbers and motifs are."""
    return f"{count_of(count, 'ligne')} rejetée{'s' if count > 1 else ''} : numéros de ligne et motifs dans {path}"


def regional_source(names: list[str], demonstration: bool) -> str:
    """Where a table imported from DGDDI regional files comes from (three file names at most), said
    as demonstration data when it is."""
    shown = ", ".join(names[:3]) + (f" et {len(names) - 3} autres" if len(names) > 3 else "")
    if demonstration:
        return (f"Données de démonstration au format des fichiers régionaux DGDDI ({shown}) : chiffres simulés, "
                "pas des données douanières réelles")
    return f"Fichiers régionaux DGDDI, données brutes de collecte ({shown})"


def regional_demonstration_warning(names: list[str]) -> str:
    """The import's warning that `names` are fichex's simulated files, not DGDDI's."""
    return (f"{', '.join(names)} : fichiers simulés par fichex (marqueur FICHEX_DEMONSTRATION.txt) ; la table importée "
            "reste marquée comme démonstration")


def national_alone_error(names: list[str]) -> str:
    """The error of a national file imported without the regional files it is checked against."""
    return (f"{', '.join(names)} : fichier national seul ; il sert de référence pour la France à côté des fichiers "
            "régionaux REGIONAL_CPF4PAYSE/I.txt : importez-les ensemble")


def national_gap_line(year: int, flow: str, months: int, national: float, regional: float) -> str:
    """« Exportations 2024 : somme des données régionales …, total du fichier national …, écart … »:
    the regional sum of a flow beside the national file's total, over `months` months."""
    gap = regional - national
    share = f" ({signed_pct(gap / national * 100)})" if national else ""
    scope = "" if months == 12 else f", {months} mois"
    return (f"{FLOW_NOUN[flow].capitalize()} {year}{scope} : somme des données régionales {format_eur(regional)}, "
            f"total du fichier national {format_eur(national)}, écart {format_eur(gap)}{share}")


def reconciliation_lines(report) -> list[str]:
    """Lines and euros read = kept + rejected, in total (the JSON has them per flow × year × département)."""
    rows = report.reconciliation
    if not rows:
        return []
    lines = sum(r["lignes_lues"] for r in rows)
    kept = sum(r["lignes_conservees"] for r in rows)
    euros = sum(r["euros_lus"] for r in rows)
    kept_euros = sum(r["euros_conserves"] for r in rows)
    return [f"Rapprochement : {group_thousands(str(lines))} lignes lues = {group_thousands(str(kept))} conservées + "
            f"{group_thousands(str(lines - kept))} rejetées ; {format_eur(euros)} lus = {format_eur(kept_euros)} "
            f"conservés + {format_eur(euros - kept_euros)} rejetés (détail par flux × année × département dans "
            f"{report.report_path})"]


def import_summary_lines(report, detail: bool) -> list[str]:
    """The import report (data.importing.report.ImportReport) in French, one line per fact; with `detail`,
    the totals per département too."""
    imported = [f for f in report.files if f.status == IMPORT_STATUS_IMPORTED]
    skipped = [f for f in report.files if f.status == IMPORT_STATUS_SKIPPED]
    lines = [f"Fichiers importés : {len(imported)}" + (f" ; ignorés : {len(skipped)}" if skipped else "")]
    lines += [f"  ignoré : {f.name} ({f.reason})" for f in skipped]
    lines.append(f"Lignes lues : {group_thousands(str(report.rows_read))} ; "
                 f"conservées : {group_thousands(str(report.rows_kept))} ; "
                 f"rejetées : {group_thousands(str(report.rows_rejected))}")
    for reason, count in report.rejected_by_reason.items():
        lines.append(f"  rejet «\u00a0{reason}\u00a0» : {count_of(count, 'ligne')}")
    if report.rows_rejected:
        lines.append(f"  détail des rejets : {report.rejected_path}")
    lines += reconciliation_lines(report)
    lines += [f"Fichier national : {national_gap_line(g['annee'], g['flux'], g['mois'], g['national_eur'], g['regional_eur'])}"
              for g in report.national_gaps]
    if report.annexes:
        lines.append(f"Annexes de libellés reconnues : {', '.join(report.annexes)}")
    lines.append(f"Table canonique : {count_of(report.rows_written, 'ligne')} → {report.output}")
    departements = sorted({t["code_departement"] for t in report.totals})
    years = sorted({t["annee"] for t in report.totals})
    lines.append(f"Années : {', '.join(str(y) for y in years)} ; départements : {len(departements)}")
    for (year, flow), value in sorted(report.totals_by_year_flow().items()):
        lines.append(f"Total {year} {FLOW_NOUN[flow]} : {format_eur(value)}")
        if detail:
            for t in report.totals:
                if t["annee"] == year and t["flux"] == flow:
                    lines.append(f"  {t['code_departement']} : {format_eur(t['valeur_eur'])}")
    if not detail:
        lines.append(f"  totaux par département : {report.report_path}")
    for partner in report.special_partners:
        lines.append(f"Code pays spécial {partner['code_pays']} ({partner['pays']}) : "
                     f"{format_eur(partner['valeur_eur'])}")
    lines += [f"Attention : {w}" for w in report.warnings]
    return lines


def data_info_lines(info: dict) -> list[str]:
    """The description of `fichex data info` (data.describe.describe) in French, one line per fact."""
    kind = "DÉMONSTRATION (chiffres simulés, pas des données douanières réelles)" if info["donnees_demonstration"]\
        else "réelles"
    lines = [f"Données : {kind}", f"Source : {info['source']}", f"Fichier : {info['chemin']}"]
    if info.get("fichiers"):
        lines.append(f"Fichiers d'origine : {', '.join(info['fichiers'])}")
    if info.get("date_donnees"):
        lines.append(f"Date des données : {info['date_donnees']}")
    years = ", ".join(str(y) for y in info["annees"]) or "aucune"
    lines.append(f"Années : {years} ; départements : {_count_or_unknown(info['nb_departements'])} ; "
                 f"lignes : {_count_or_unknown(info['nb_lignes'])}")
    for total in info["totaux"]:
        lines.append(f"Total {total['annee']} {FLOW_NOUN.get(total['flux'], total['flux'])} : "
                     f"{format_eur(total['valeur_eur'])}")
    imported = info.get("import")
    if imported:
        lines.append(f"Dernier import : {_count_or_unknown(imported.get('lignes_lues'))} lignes lues, "
                     f"{_count_or_unknown(imported.get('lignes_conservees'))} conservées, "
                     f"{_count_or_unknown(imported.get('lignes_rejetees'))} rejetées")
        lines += [f"Attention : {w}" for w in imported.get("avertissements", [])]
    return lines


def _count_or_unknown(value: object) -> str:
    """« 996 480 »; « ? » when an import report lacks the figure."""
    return group_thousands(str(value)) if isinstance(value, int) and not isinstance(value, bool) else "?"


def figures_title(name: str, code: str, region_name: str, year: int) -> str:
    """« Creuse (23) — région Nouvelle-Aquitaine — 2024 »."""
    return f"{name} ({code}) — région {region_name} — {year}"


FIGURES_INDICATOR = "Indicateur"
FIGURES_TOTAL = "Total (M€)"
FIGURES_FRANCE_SHARE = "Part de la France"
FIGURES_RANK = "Rang parmi les départements"
FIGURES_RANK_REGIONS = "Rang parmi les régions"
FIGURES_PARTNERS_TITLE = "Principaux pays partenaires (M€)"
FIGURES_PARTNERS_HEADERS = ("Rang", "Export : pays", "M€", "Import : pays", "M€ ")


def figures_region_share(region_name: str) -> str:
    """« Part de la région Nouvelle-Aquitaine », a row of `fichex figures`."""
    return f"Part de la région {region_name}"


def figures_territoires(names: list[str]) -> str:
    """« Territoires d'industrie : A, B » (« aucun » when there is none), under `fichex figures`."""
    return f"Territoires d'industrie : {', '.join(names) or 'aucun'}"


def partial_data_warning(present: int, expected: int) -> str:
    """The warning that the data holds `present` départements of `expected`, so national shares and
    ranks are among them only."""
    return (f"Données partielles : {present} départements sur {expected} ; les parts et rangs nationaux ne "
            "portent que sur eux")


def unknown_level(unknown: list[str], levels: tuple[str, ...]) -> str:
    """The error of an unknown `--level`, with the levels there are."""
    shown = ", ".join(f"«\u00a0{u}\u00a0»" for u in unknown) or "aucun"
    return f"niveau inconnu : {shown} ; choisissez parmi {', '.join(levels)} (plusieurs séparés par des virgules)"


# Imports: inputs that are never data (a folder holding an earlier import, its cache, temporary files).
IMPORT_OWN_OUTPUT_SKIPPED = ("écrit par fichex (un import précédent, son cache ou un fichier temporaire) : jamais relu "
                             "comme donnée ; donnez le fichier lui-même pour le relire")


# Overlapping DGDDI publications and an interrupted import (data/importing/regional.py, cli.py).
IMPORT_TERMINATED = ("import arrêté par un signal (SIGTERM) ; aucun fichier partiel n'a été laissé, ni dans --into "
                     "ni dans le dossier temporaire : relancez l'import")


REVISED_MOTIF_NAME = "révisée par une publication plus récente"  # the start of importing.common.MOTIF_REVISED


def publications_rule(ranked: list[tuple[str, tuple[int, int]]]) -> str:
    """The rule applied when publications overlap, with their order: (label, (year, quarter)) from the
    earliest to the latest."""
    listed = ", ".join(f"{name} (jusqu'au {ordinal(quarter)} trimestre {year})" for name, (year, quarter) in ranked)
    return ("publications superposées : pour chaque ligne (même flux, trimestre, département, produit et pays), "
            "celle de la publication la plus récente est conservée ; la plus récente est celle qui couvre le "
            "trimestre le plus tardif, à égalité celle donnée en dernier sur la ligne de commande ; "
            f"ordre retenu : {listed}")


def publication_replaced(earlier: str, later: str, replaced: int, revised: int) -> str:
    """« B remplace N lignes de A, dont M de valeur ou de masse différente »: one line of the import report."""
    return (f"{later} remplace {count_of(replaced, 'ligne')} de {earlier}, dont {group_thousands(str(revised))} "
            f"de valeur ou de masse différente (motif «\u00a0{REVISED_MOTIF_NAME}\u00a0» dans lignes_rejetees.csv)")


def staging_disk_full(folder) -> str:
    """A full temporary folder during an import: the folder, why, and the fix."""
    return (f"plus de place dans le dossier temporaire {folder} pendant l'import (l'import y range les lignes "
            "vérifiées avant de les trier) ; libérez-y de la place ou désignez un dossier sur un disque plus "
            "grand avec la variable d'environnement TMPDIR, puis relancez l'import")


# --- issue 22: the national file's unreadable lines, a flow missing from an import or from the data --------

def national_unreadable_warning(name: str, count: int, rejected_path) -> str:
    """The warning of unreadable lines in a DGDDI national file: left out of France's reference totals."""
    lines = f"{count} ligne{'s' if count > 1 else ''} illisible{'s' if count > 1 else ''}"
    return (f"{name} : {lines} (octet hors UTF-8 ou ligne démesurée) écartée{'s' if count > 1 else ''} du total "
            f"national de référence : numéros et contenu dans {rejected_path}")


def missing_flow_warning(flow: str, sources: list[str]) -> str:
    """The warning of an import that holds no line of a flow (« E » or « I »): every fiche would lack it."""
    from fichex.wording.grammar import FLOW_NOUN

    other = "REGIONAL_CPF4PAYSI.txt" if flow == "I" else "REGIONAL_CPF4PAYSE.txt"
    return (f"aucune ligne d'{FLOW_NOUN[flow]} dans {', '.join(sources)} : les {FLOW_NOUN[flow]} manquent à toutes "
            f"les fiches (rangs, parts et solde sans objet) ; importez aussi le fichier des {FLOW_NOUN[flow]} "
            f"({other} de la même archive DGDDI)")


# The cell of a key-figures table for a flow the data does not hold at all (figures).
FLOW_ABSENT_CELL = "absentes des données"


def absent_flow_warning(flow: str, year: int) -> str:
    """Said by `fichex figures` instead of the figures of a flow the data does not hold for the year."""
    from fichex.wording.grammar import FLOW_NOUN

    return (f"Les {FLOW_NOUN[flow]} sont absentes des données en {year} (aucune ligne, pour aucun territoire) : "
            f"leur total, leurs parts, leur rang et le solde commercial ne sont pas des chiffres ; "
            f"vérifiez le fichier importé (fichex data info)")


def figures_france_share(complete: bool, present: int, expected: int) -> str:
    """« Part de la France », qualified on data covering part of France."""
    if complete:
        return FIGURES_FRANCE_SHARE
    return f"{FIGURES_FRANCE_SHARE} (données partielles : {present} départements sur {expected})"


def absent_flow_build_error(flow: str, year: int) -> str:
    """Why `build` refuses data without a flow for the year: every document would print its ranks and shares."""
    from fichex.wording.grammar import FLOW_NOUN

    other = "REGIONAL_CPF4PAYSI.txt" if flow == "I" else "REGIONAL_CPF4PAYSE.txt"
    return (f"les données ne contiennent aucune ligne d'{FLOW_NOUN[flow]} en {year} : les fiches afficheraient des "
            f"rangs, parts et soldes sans objet ; importez aussi le fichier des {FLOW_NOUN[flow]} ({other} de la même "
            "archive DGDDI) avec «\u00a0fichex data import\u00a0»")


# `figures --json`: why France's fiche has no « specialisation » (issue 26).
SPECIALISATION_FRANCE_REASON = ("sans objet pour la France : la spécialisation se mesure par rapport à la France "
                                "entière, qui n'a pas de référence nationale à laquelle se comparer")
