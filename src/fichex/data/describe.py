"""What a data folder holds: years, départements, totals, and whether the figures are real or simulated."""

from __future__ import annotations

import json
from pathlib import Path

from fichex.data import trade
from fichex.data.importing.report import REPORT_FILE_NAME


def describe(data_dir: Path | str | None = None) -> dict:
    """Describe the trade table of a data folder (or Parquet file).

    Args:
        data_dir: a folder holding commerce_exterieur.parquet, or the Parquet file itself; None means
            $FICHEX_DATA, else the demonstration dataset (as for trade.load).

    Returns:
        A JSON-ready dict: chemin, donnees_demonstration, source, fichiers, date_donnees, annees,
        nb_departements, nb_lignes, totaux (list of {annee, flux, valeur_eur}) and, after an import,
        import (rows read, kept and rejected from rapport_import.json).

    Raises:
        InputDataError: no trade table there, or an invalid one.
    """
    data = trade.load(data_dir, hold=True)  # the table and its report read together: an import waits
    try:
        return _describe(data)
    finally:
        data.release()


def _describe(data: trade.TradeData) -> dict:
    """The description of a table opened (and held) by `describe`."""
    totals = data.store.totals()
    info = {
        "chemin": data.info.path,
        "donnees_demonstration": data.info.demonstration,
        "source": data.info.source,
        "fichiers": list(data.info.files),
        "date_donnees": data.info.created,
        "annees": data.years,
        "nb_departements": len(data.departements),
        "nb_lignes": int(totals["lignes"].sum()),
        "totaux": [{"annee": int(r.annee), "flux": str(r.flux), "valeur_eur": round(float(r.valeur_eur), 2)}
                   for r in totals.itertuples()],
    }
    # An imported folder keeps its import report, demonstration data included (imported from the demo file).
    report_path = Path(data.info.path).parent / REPORT_FILE_NAME
    if report_path.is_file():
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
            info["import"] = {key: report[key] for key in ("lignes_lues", "lignes_conservees", "lignes_rejetees",
                                                           "avertissements") if key in report}
        except (OSError, ValueError):
            info["import"] = {}
    return info
