"""The whole workbook (render/xlsx/__init__.py): its sheets and tables, properties, rebuilt byte for byte, written
atomically, opened by LibreOffice, and what every sheet keeps (units, printing, the demonstration line, labels)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import replace

import openpyxl
import pytest
from xlsx_helpers import SHEETS, find, merged_width, row_pt, strings, width_chars

from fichex.wording import grammar as grammar_text, levels as levels_text, model_text, workbook as workbook_text
from fichex.render.xlsx import base, comparison, specialisation, synthese, write_workbook


def test_sheet_names(workbook_23):
    assert workbook_23.sheetnames == SHEETS


def test_tables_names_and_refs(workbook_23, fiche_23):
    tables = {name: ref for ws in workbook_23.worksheets for name, ref in ws.tables.items()}
    # A département's workbook: every table but a région's or France's breakdown (« Repartition »).
    assert set(tables) == ((set(base.TABLE_NAMES.values()) - {base.TABLE_NAMES["repartition"]})
                           | set(specialisation.TABLE_NAMES.values()))
    header = find(workbook_23["Pays"], "Code pays")[0]
    assert tables["Pays"] == f"A{header}:J{header + len(fiche_23.partners)}"
    header = find(workbook_23["Activités"], "Code A129")[0]
    assert tables["Activites"] == f"A{header}:K{header + len(fiche_23.activities)}"
    assert "Donnees" not in tables  # a filtered range (see test_donnees_filtered_on_the_fiche_year)
    for ws in workbook_23.worksheets:
        for table in ws.tables.values():
            assert not table.totalsRowCount and not table.totalsRowShown
            assert table.autoFilter is not None


def test_properties(workbook_23):
    props = workbook_23.properties
    assert props.title == workbook_text.xlsx_title("Creuse", 2024)
    assert props.keywords == workbook_text.XLSX_KEYWORDS


def test_headers_frozen_and_pages_landscape(workbook_23):
    for name in SHEETS:
        ws = workbook_23[name]
        assert ws.page_setup.orientation == "landscape"
        # One page wide (fitToWidth defaults to 1 and is left out of the file), any number of pages tall.
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    for name in ("Pays", "Activités", "Données", "Flux export"):
        assert workbook_23[name].freeze_panes is not None


def test_label_starting_with_equals_stays_text(tmp_path, fiche_23):
    partner = replace(fiche_23.partners[0], nom="=SUM(A1:A2)")
    rows = fiche_23.detail.head(20).copy()
    rows.loc[0, "pays"] = "=1+1"
    odd = replace(fiche_23, partners=(partner, *fiche_23.partners[1:]), territoires_industrie=("+33 @ -1",),
                  detail=rows)
    path = tmp_path / "odd.xlsx"
    write_workbook(odd, path, command="=HYPERLINK(\"x\")")
    book = openpyxl.load_workbook(path)
    cell = book["Pays"].cell(*find(book["Pays"], "=SUM(A1:A2)"))
    assert cell.data_type == "s"
    assert book["Données"]["P4"].value == "=1+1" and book["Données"]["P4"].data_type == "s"
    find(book["Synthèse"], "+33 @ -1")
    find(book["Méthode"], "=HYPERLINK(\"x\")")


def test_rebuild_is_byte_identical(tmp_path, fiche_23):
    digests = []
    for name in ("a.xlsx", "b.xlsx"):
        write_workbook(fiche_23, tmp_path / name, command="c", version="v")
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_saved_in_memory_or_through_scratch_files_the_same_bytes(tmp_path, fiche_23, monkeypatch):
    """A small Données is saved in memory, a big one through XlsxWriter's scratch files: one workbook either way."""
    import fichex.render.xlsx as xlsx_package

    assert len(fiche_23.detail) <= xlsx_package.IN_MEMORY_MAX_ROWS
    write_workbook(fiche_23, tmp_path / "memory.xlsx", command="c", version="v")
    monkeypatch.setattr(xlsx_package, "IN_MEMORY_MAX_ROWS", 0)
    write_workbook(fiche_23, tmp_path / "files.xlsx", command="c", version="v")
    assert (tmp_path / "memory.xlsx").read_bytes() == (tmp_path / "files.xlsx").read_bytes()
    assert not list(tmp_path.glob(".*"))


@pytest.mark.parametrize("in_memory", [True, False])
def test_collector_paused_while_a_workbook_in_memory_is_written(tmp_path, fiche_23, monkeypatch, in_memory):
    """The garbage collector is off while a workbook saved in memory is written, on for a bigger one (even
    when the caller, a batch target, had it off), then as it was: on again, off when the caller had it off,
    and after a failure too."""
    import gc

    import fichex.render.xlsx as xlsx_package

    if not in_memory:
        monkeypatch.setattr(xlsx_package, "IN_MEMORY_MAX_ROWS", 0)
    seen = []
    write_sheet = comparison.write_comparison_sheet
    monkeypatch.setattr(comparison, "write_comparison_sheet", lambda *a: seen.append(gc.isenabled()) or write_sheet(*a))
    assert gc.isenabled()
    try:
        write_workbook(fiche_23, tmp_path / "on.xlsx")
        assert gc.isenabled()
        gc.disable()
        write_workbook(fiche_23, tmp_path / "off.xlsx")
        assert not gc.isenabled()
        gc.enable()
        monkeypatch.setattr(synthese, "write_partners_sheet", lambda *a, **k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            write_workbook(fiche_23, tmp_path / "failed.xlsx")
        assert gc.isenabled()
    finally:
        gc.enable()
    assert seen == [not in_memory, not in_memory]
    assert (tmp_path / "on.xlsx").read_bytes() == (tmp_path / "off.xlsx").read_bytes()


def test_failure_leaves_no_partial_file(tmp_path, fiche_23, monkeypatch):
    target = tmp_path / "out" / "fiche.xlsx"

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(comparison, "write_comparison_sheet", boom)
    with pytest.raises(RuntimeError, match="boom"):
        write_workbook(fiche_23, target)
    assert list(target.parent.iterdir()) == []


def test_failure_keeps_previous_file(tmp_path, fiche_23, monkeypatch):
    target = tmp_path / "fiche.xlsx"
    write_workbook(fiche_23, target)
    before = target.read_bytes()
    monkeypatch.setattr(synthese, "write_partners_sheet", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_workbook(fiche_23, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["fiche.xlsx"]


@pytest.mark.libreoffice
def test_libreoffice_converts_the_workbook(tmp_path, workbook_23_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")
    source = tmp_path / "fiche.xlsx"
    shutil.copy(workbook_23_path, source)
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "fiche.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000


def test_workbook_totals_equal_fichex_figures_json(workbook_23):
    import json

    from typer.testing import CliRunner

    from fichex.cli import app

    figures = json.loads(CliRunner().invoke(app, ["figures", "23", "--json"]).stdout)
    exports, imports = figures["exportations"]["total_eur"], figures["importations"]["total_eur"]
    synthese_ws = workbook_23["Synthèse"]
    row = find(synthese_ws, grammar_text.FLOW_LABEL["E"])[0]
    assert (synthese_ws.cell(row, 2).value, synthese_ws.cell(row + 1, 2).value) == (exports, imports)
    assert synthese_ws.cell(row + 2, 2).value == figures["solde_eur"]
    for sheet, flow, total in (("Flux export", "E", exports), ("Flux import", "I", imports)):
        ws = workbook_23[sheet]
        header, _ = find(ws, workbook_text.XLSX_FLOW_CORNER[flow])
        last_row = max(r for r in range(header, ws.max_row + 1) if ws.cell(r, 2).value is not None)
        last_col = max(c for c in range(2, ws.max_column + 1) if ws.cell(header, c).value is not None)
        assert ws.cell(last_row, last_col).value == total
    data = workbook_23["Données"]
    sums = {"E": 0.0, "I": 0.0}
    for year, flow, value in ((r[0], r[1], r[18]) for r in data.iter_rows(min_row=4, values_only=True)):
        if year == figures["annee"]:
            sums[flow] += value
    assert sums["E"] == pytest.approx(exports) and sums["I"] == pytest.approx(imports)


# ---------------------------------------------------------------------------------------------------------
# Presentable: units, printing, the demonstration line, labels, gridlines, accents
# ---------------------------------------------------------------------------------------------------------

def test_no_header_says_meur_over_euros(workbook_23):
    """Cells hold euros: a header says « (€) »; a cell shown in millions shows « M€ » itself."""
    for ws in workbook_23.worksheets:
        for cell, text in strings(ws):  # a header ends with its unit (a note may name « M€ » mid-sentence)
            assert not text.rstrip().endswith(("(M€)", "M€)")), (ws.title, cell.coordinate, text)
        for row in ws.iter_rows():
            for cell in row:
                fmt = cell.number_format
                if ",," in fmt:  # scaled by 10^6: the unit is in every section of the format, its own
                    for section in fmt.split(";"):  # (a detail table's small amounts: k€, €)
                        unit = "M€" if ",," in section else "k€" if section.split(" ")[0].endswith(",") else "€"
                        assert section.endswith(f' "{unit}"'), (ws.title, fmt)
                if isinstance(cell.value, int | float) and abs(cell.value) > 1e5:
                    assert ",," in fmt and "M€" in fmt or fmt == "#,##0", (ws.title, cell.coordinate, fmt)
    for ws in workbook_23.worksheets:  # every amount column of a table is headed in euros
        for table in ws.tables.values():
            for column in table.tableColumns:
                assert "M€" not in column.name


def test_print_settings(workbook_23):
    for ws in workbook_23.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, ws.title
        # A print area on every sheet but the PivotTables', whose size the application decides on opening.
        assert bool(ws.print_area) == (ws.title != workbook_text.XLSX_PIVOT_SHEET), ws.title
        assert "Page &P sur &N" in ws.oddFooter.right.text and ws.oddFooter.left.text == "&A"
        assert "Creuse (2024)" in ws.oddHeader.left.text
        assert ws.oddHeader.right.text == workbook_text.XLSX_DEMO_HEADER  # demonstration data
        assert not ws.print_options.gridLines
    for name in ("Pays", "Activités", "Flux export", "Flux import"):
        assert workbook_23[name].print_title_rows, name  # the header row on every printed page
    # Données: the title and the notes are printed, the table is not.
    area = workbook_23["Données"].print_area
    area = area if isinstance(area, str) else area[0]
    assert area.endswith("$2")


def test_gridlines_off_on_report_sheets(workbook_23):
    for name in ("Synthèse", "Flux export", "Flux import", "Comparaison", "Exposition", "Spécialisation", "Évolution",
                 "Méthode"):
        assert workbook_23[name].sheet_view.showGridLines is False, name
    for name in ("Pays", "Activités", "Données"):
        assert workbook_23[name].sheet_view.showGridLines in (None, True), name


def test_demonstration_line_legible_on_every_sheet(workbook_23):
    for ws in workbook_23.worksheets:
        (cell,) = [c for c, text in strings(ws) if text.startswith(model_text.DEMO_WARNING)]
        lines = base.lines_needed(cell.value, merged_width(ws, cell), bold=True)
        assert cell.alignment.wrap_text, ws.title
        assert row_pt(ws, cell.row) >= base.LINE_PT * lines, ws.title


@pytest.mark.parametrize("sheet", ["Synthèse", "Pays", "Activités", "Flux export", "Flux import", "Comparaison",
                                   "Exposition", "Spécialisation", "Évolution", "Méthode"])
def test_no_label_is_cut(workbook_23, sheet):
    """A label in a table either fits its column or wraps in a row tall enough (Excel does not grow rows)."""
    ws = workbook_23[sheet]
    merged = {(m.min_row, m.min_col) for m in ws.merged_cells.ranges}
    for cell, text in strings(ws):
        right = ws.cell(cell.row, cell.column + 1).value
        if (cell.row, cell.column) in merged or right is None:
            continue  # a paragraph over merged cells, or a text with room on its right
        width = width_chars(ws, cell.column)
        bold = bool(cell.font and cell.font.b)
        indent = int(cell.alignment.indent or 0)
        lines = base.lines_needed(text, width, bold=bold, indent=indent)
        if lines > 1:
            assert cell.alignment.wrap_text, (sheet, cell.coordinate, text)
            assert row_pt(ws, cell.row) >= base.LINE_PT * lines, (sheet, cell.coordinate, text)


def test_no_capital_lacking_its_accent(workbook_23):
    import re

    pattern = re.compile(r"\b(Edition|Etat|Ecart|Equipement|Electri|Energie|Economi|Etranger)")
    for ws in workbook_23.worksheets:
        for cell, text in strings(ws):
            assert not pattern.search(text), (ws.title, cell.coordinate, text)
    assert any("Édition, audiovisuel" in text for _, text in strings(workbook_23["Activités"]))


def test_printed_headers_wrap_between_words_and_stand_over_their_table(workbook_23, fiche_r75, tmp_path):
    """A header wraps between its words, never inside one (« Code départemen/t »); the Comparaison's key
    figures one line each; the Répartition's header, whose chart prints on the next page, frozen but not
    repeated (a header band alone above the chart says nothing)."""
    from fichex import api
    from fichex.render.xlsx.base import lines_needed

    path = tmp_path / "r75.xlsx"
    api.write_workbook(fiche_r75, path)
    region = openpyxl.load_workbook(path)
    for wb in (workbook_23, region):
        for ws in wb.worksheets:
            for table in ws.tables.values():
                first = ws[table.ref.split(":")[0]]
                for k, column in enumerate(table.tableColumns):
                    letter = openpyxl.utils.get_column_letter(first.column + k)
                    width = ws.column_dimensions[letter].width
                    for word in column.name.replace("-", "- ").split():  # a line may break after a hyphen
                        assert lines_needed(word, width, bold=True) == 1, (ws.title, column.name, width)
    ws = workbook_23[workbook_text.XLSX_SHEETS["comparaison"]]
    for label in workbook_text.XLSX_COMPARISON_ROWS:
        row, _ = find(ws, label)
        assert ws.row_dimensions[row].height is None, label  # the default height: one line
    breakdown = region[levels_text.BREAKDOWN_SHEET["region"]]
    assert not breakdown.print_title_rows and breakdown.freeze_panes
