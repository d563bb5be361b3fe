"""Excel workbook of a fiche: a synthesis with native charts, detail sheets, the long data table, the method.

`write_workbook` is the table of contents: the sheets in their order, one writer each, in the module named
after the sheet family (synthese, flows, comparison, breakdown, exposure, specialisation, evolution, pivot, data_sheet); their
common toolkit is `base`. The PivotTables are added once XlsxWriter has closed the file
(`pivot.add_pivot_tables`). A Territoire d'industrie's workbook is `territoire.write_territoire_workbook`.
"""

from __future__ import annotations

import contextlib
import gc
from io import BytesIO
from pathlib import Path
from typing import Iterator

import xlsxwriter

from fichex.wording import grammar as grammar_text, levels as levels_text, model_text, workbook as workbook_text
from fichex.aggregation.model import Fiche
from fichex.wording import specialisation as spec_text
from fichex.wording.places import place_of
from fichex.atomic import atomic_path, private_tmpdir
from fichex.render import xlsx_internals
from fichex.render.xlsx import (breakdown, comparison, data_sheet, evolution, exposure, flows, pivot, specialisation,
                                synthese)
from fichex.render.xlsx.base import Formats, open_workbook, set_properties

SHEET_ORDER = ("synthese", "pays", "activites", "flux_export", "flux_import", "comparaison", "exposition",
               "specialisation", "evolution", "tableau_croise", "donnees", "methode")
# The part of the territory a PivotTable can filter on: a région's départements (France's Données sums its
# territories together: no part to filter on).
PIVOT_TERRITORY_COLUMN = {"region": "departement"}
# The most rows of a Données sheet whose workbook is saved in memory (its sheet's XML, about 200 bytes a
# row, then held whole): a département's; a bigger table goes through XlsxWriter's scratch files.
IN_MEMORY_MAX_ROWS = 50_000


def write_workbook(fiche: Fiche, path: Path | str, *, command: str = "", version: str | None = None) -> None:
    """Write the Excel workbook of a fiche.

    Args:
        fiche: the fiche of one département and one year (its `detail` fills the « Données » sheet).
        path: the `.xlsx` file to write; written to a temporary file and renamed, never left half-written.
        command: the command line that produced the file, shown on the « Méthode » sheet.
        version: the fichex version shown on the « Méthode » sheet (default: this one).

    Raises:
        OutputError: the folder cannot be created or written, or the disk is full.
    """
    if version is None:
        from fichex.version import __version__ as version
    in_memory = len(fiche.detail) <= IN_MEMORY_MAX_ROWS
    scratch_folder = contextlib.nullcontext(None) if in_memory else private_tmpdir()
    with _collector_paused(in_memory), atomic_path(Path(path)) as tmp, scratch_folder as scratch:
        # A workbook whose Données fits IN_MEMORY_MAX_ROWS is saved in memory (no scratch file a part, no
        # scratch folder); a bigger one through scratch files, its Données never held whole. The same bytes
        # either way.
        saved = BytesIO() if in_memory else tmp
        workbook = open_workbook(saved, scratch)
        try:
            _set_properties(workbook, fiche)
            formats = Formats(workbook)
            sheets = {key: workbook.add_worksheet(_sheet_name(fiche, key))
                      for key in _sheet_order(fiche)}
            for ws in sheets.values():  # the same XML, cheaper (render/xlsx_internals.py)
                xlsx_internals.write_rows_faster(ws)
            synthese.write_synthese_sheet(workbook, sheets["synthese"], formats, fiche)
            synthese.write_partners_sheet(sheets["pays"], formats, fiche)
            synthese.write_activities_sheet(sheets["activites"], formats, fiche)
            flows.write_flows_sheet(sheets["flux_export"], formats, fiche, fiche.local.export_flows)
            flows.write_flows_sheet(sheets["flux_import"], formats, fiche, fiche.local.import_flows)
            if "comparaison" in sheets:
                comparison.write_comparison_sheet(sheets["comparaison"], formats, fiche)
            if "repartition" in sheets:
                breakdown.write_breakdown_sheet(workbook, sheets["repartition"], formats, fiche)
            exposure.write_exposure_sheet(sheets["exposition"], formats, fiche)
            if "specialisation" in sheets:
                specialisation.write_specialisation_sheet(workbook, sheets["specialisation"], formats, fiche)
            evolution.write_evolution_sheet(workbook, sheets["evolution"], formats, fiche)
            data_input = data_sheet.DataSheetInput.of_fiche(fiche)
            pivots = pivot.write_pivot_sheet(sheets["tableau_croise"], formats, data_input,
                                             PIVOT_TERRITORY_COLUMN.get(fiche.level))
            data_sheet.write_data_sheet(workbook, sheets["donnees"], formats, data_input)
            data_sheet.write_method_sheet(sheets["methode"], formats, data_input, command=command, version=version)
            sheets["synthese"].activate()
        finally:
            workbook.close()
        pivot.add_pivot_tables(tmp, sheets["tableau_croise"].get_name(), data_input, pivots,
                               saved=saved if isinstance(saved, BytesIO) else None)


@contextlib.contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    """Python's cyclic garbage collector off while a workbook is written when `pause`, on otherwise; then
    as it was.

    XlsxWriter holds each cell as a tuple in a dict of rows until the file is saved: thousands of container
    objects kept to the end, which set the collector off dozens of times a workbook, each pass over the
    young objects and often over everything the process holds (about an eighth of a département's workbook
    CPU). Nothing the workbook needs is freed by a collection; what it leaves in cycles goes at the next pass.
    Only for a workbook saved in memory: a bigger one (France's Données) has the collector on, even within a
    batch target that pauses it (batch/worker.py).
    """
    was_enabled = gc.isenabled()
    if pause:
        gc.disable()
    else:
        gc.enable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def _sheet_order(fiche: Fiche) -> list[str]:
    """The sheets of a fiche: a région's or France's adds its breakdown after the synthesis; France's has no
    comparison (it is the comparison of every other fiche) and no specialisation (measured against France)."""
    order = [key for key in SHEET_ORDER if (key != "comparaison" or fiche.compares_with_france)
             and (key != "specialisation" or fiche.specialisation is not None)]
    if fiche.breakdown:
        order.insert(1, "repartition")
    return order


def _sheet_name(fiche: Fiche, key: str) -> str:
    """The sheet's French name (the breakdown's says « Départements » or « Régions »)."""
    if key == "tableau_croise":
        return workbook_text.XLSX_PIVOT_SHEET
    if key == "specialisation":
        return spec_text.SPECIALISATION_SHEET
    return levels_text.BREAKDOWN_SHEET[fiche.level] if key == "repartition" else workbook_text.XLSX_SHEETS[key]


def _set_properties(workbook: xlsxwriter.Workbook, fiche: Fiche) -> None:
    """Title, subject (the territory), comments (demonstration data or the sources), the data's date."""
    dep = fiche.territory
    name = levels_text.level_title(fiche.level, dep.nom)
    period = grammar_text.period(fiche)
    subject = (workbook_text.xlsx_subject(dep.code, dep.nom, fiche.region.nom, place_of(fiche).noun) if fiche.level == "departement"
               else f"{model_text.COVER_TITLE} – {name}")
    set_properties(workbook, title=workbook_text.xlsx_title(name, period), subject=subject, period=period,
                   demonstration=fiche.demonstration, created=fiche.document_date)
