"""The Excel workbook: reopened with openpyxl, rebuilt byte for byte, opened by LibreOffice."""

from __future__ import annotations

import hashlib
import math
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import column_index_from_string

from fichex import texts
from fichex.render import xlsx
from fichex.render.xlsx import write_workbook

SHEETS = ["Synthèse", "Pays", "Activités", "Flux export", "Flux import", "Comparaison", "Exposition", "Données",
          "Méthode"]


@pytest.fixture(scope="module")
def fiche(builder):
    return builder.build("23", 2024)


@pytest.fixture(scope="module")
def long_rows(fiche):
    return fiche.detail


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory, fiche, long_rows) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "fiche-23.xlsx"
    write_workbook(fiche, path, command="fichex build 23", version="0.1.0")
    return path


@pytest.fixture(scope="module")
def book(workbook_path):
    return openpyxl.load_workbook(workbook_path)


def _find(ws, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not found on {ws.title}")


def test_sheet_names(book):
    assert book.sheetnames == SHEETS


def test_tables_names_and_refs(book, fiche, long_rows):
    tables = {name: ref for ws in book.worksheets for name, ref in ws.tables.items()}
    # A département's workbook: every table but a région's or France's breakdown (« Repartition »).
    assert set(tables) == set(xlsx.TABLE_NAMES.values()) - {xlsx.TABLE_NAMES["repartition"]}
    header = _find(book["Pays"], "Code pays")[0]
    assert tables["Pays"] == f"A{header}:J{header + len(fiche.partners)}"
    header = _find(book["Activités"], "Code A129")[0]
    assert tables["Activites"] == f"A{header}:K{header + len(fiche.activities)}"
    assert "Donnees" not in tables  # a filtered range (see test_donnees_filtered_on_the_fiche_year)
    for ws in book.worksheets:
        for table in ws.tables.values():
            assert not table.totalsRowCount and not table.totalsRowShown
            assert table.autoFilter is not None


def test_charts_per_sheet_and_series_ranges(book, fiche):
    counts = {ws.title: len(ws._charts) for ws in book.worksheets}
    assert counts == {name: (3 if name == "Synthèse" else 0) for name in SHEETS}
    ws = book["Synthèse"]
    header = _find(ws, texts.XLSX_BUTTERFLY_HEADERS[0])[0]
    first, last = header + 1, header + len(fiche.main_partners)
    butterfly = ws._charts[0]
    refs = [(s.cat.strRef.f, s.val.numRef.f) for s in butterfly.series]
    assert refs == [(f"Synthèse!$A${first}:$A${last}", f"Synthèse!$B${first}:$B${last}"),
                    (f"Synthèse!$A${first}:$A${last}", f"Synthèse!$C${first}:$C${last}")]
    # Imports plotted to the left: the cells the chart reads hold negative numbers.
    assert ws.cell(first, 2).value == -fiche.main_partners[0].imports_eur
    assert ws.cell(first, 3).value == fiche.main_partners[0].exports_eur
    for chart, title in zip(ws._charts[1:], (texts.XLSX_TOP_TITLE["E"], texts.XLSX_TOP_TITLE["I"])):
        (series,) = chart.series
        top_header = _find(ws, title)[0] + 1
        assert series.val.numRef.f == f"Synthèse!$B${top_header + 1}:$B${top_header + 10}"


def test_synthese_totals_equal_the_fiche(book, fiche):
    ws = book["Synthèse"]
    row = _find(ws, texts.FLOW_LABEL["E"])[0]
    assert ws.cell(row, 2).value == fiche.exports.total_eur
    assert ws.cell(row, 3).value == pytest.approx(fiche.exports.share_of_region_pct / 100)
    assert ws.cell(row, 5).value == fiche.exports.rank
    assert ws.cell(row + 1, 2).value == fiche.imports.total_eur
    assert ws.cell(row + 2, 2).value == fiche.balance_eur
    assert ws.cell(row, 2).number_format == '#,##0.0,, "M€"'  # euros shown in millions, with the unit
    _find(ws, texts.DEMO_WARNING)
    _find(ws, texts.total_line("E", fiche.exports.total_eur))
    for name in fiche.territoires_industrie:
        _find(ws, name)


@pytest.mark.parametrize("sheet, flow", [("Flux export", "E"), ("Flux import", "I")])
def test_flow_totals_equal_the_fiche(book, fiche, sheet, flow):
    ws = book[sheet]
    matrix = fiche.local.export_flows if flow == "E" else fiche.local.import_flows
    total = (fiche.exports if flow == "E" else fiche.imports).total_eur
    header, _ = _find(ws, texts.XLSX_FLOW_CORNER[flow])
    n_s, n_t = len(matrix.sources), len(matrix.targets)
    total_row, total_col = header + n_s + 1, n_t + 2
    row_totals = [ws.cell(header + 1 + i, total_col).value for i in range(n_s)]
    col_totals = [ws.cell(total_row, 2 + j).value for j in range(n_t)]
    assert sum(row_totals) == pytest.approx(total)
    assert sum(col_totals) == pytest.approx(total)
    assert ws.cell(total_row, total_col).value == total
    red = {(i, j) for i in range(n_s) for j in range(n_t)
           if ws.cell(header + 1 + i, 2 + j).font.color is not None
           and ws.cell(header + 1 + i, 2 + j).font.color.rgb.endswith("D62828")}
    assert red == set(matrix.highlighted)
    assert any(cf.rules[0].type == "colorScale" for cf in ws.conditional_formatting)


def _fiche_year_first(long_rows, year):
    """The detail rows in the Données sheet's order: the fiche's year first, then the others as they were."""
    first = long_rows[long_rows["annee"] == year]
    return pd.concat([first, long_rows[long_rows["annee"] != year]]).reset_index(drop=True)


def test_donnees_holds_every_row_and_the_totals(book, long_rows, fiche):
    ws = book["Données"]
    values = [row[0] for row in ws.iter_rows(min_row=4, min_col=19, max_col=19, values_only=True)]
    years = [row[0] for row in ws.iter_rows(min_row=4, min_col=1, max_col=1, values_only=True)]
    flows = [row[0] for row in ws.iter_rows(min_row=4, min_col=2, max_col=2, values_only=True)]
    assert len(values) == len(long_rows)
    ordered = _fiche_year_first(long_rows, fiche.year)
    assert values == ordered["valeur_eur"].tolist()
    assert sorted(set(years)) == list(fiche.years_available)
    exports = sum(v for v, y, f in zip(values, years, flows) if y == fiche.year and f == "E")
    imports = sum(v for v, y, f in zip(values, years, flows) if y == fiche.year and f == "I")
    assert exports == pytest.approx(fiche.exports.total_eur)
    assert imports == pytest.approx(fiche.imports.total_eur)
    assert [c.value for c in ws[4]][:3] == [int(ordered.at[0, "annee"]), ordered.at[0, "flux"],
                                            ordered.at[0, "libelle_flux"]]
    assert years[0] == fiche.year and set(years[:years.count(fiche.year)]) == {fiche.year}


def test_pays_and_activites_totals(book, fiche):
    ws = book["Pays"]
    row, col = _find(ws, texts.XLSX_TOTAL)
    assert ws.cell(row, col + 1).value == fiche.imports.total_eur
    assert ws.cell(row, col + 2).value == fiche.exports.total_eur
    ws = book["Activités"]
    row, col = _find(ws, texts.XLSX_TOTAL)
    assert ws.cell(row, col + 2).value == fiche.exports.total_eur


def test_comparaison_and_methode(book, fiche, workbook_path):
    ws = book["Comparaison"]
    row = _find(ws, texts.XLSX_COMPARISON_ROWS[0])[0]
    assert [ws.cell(row, c).value for c in (2, 3, 4)] == [
        fiche.local.exports_eur, fiche.region_summary.exports_eur, fiche.france_summary.exports_eur]
    ws = book["Méthode"]
    _find(ws, "fichex build 23")
    _find(ws, fiche.data.source)
    for caveat in texts.CAVEATS:
        _find(ws, f"– {caveat}")
    props = book.properties
    assert props.title == texts.xlsx_title("Creuse", 2024)
    assert props.keywords == texts.XLSX_KEYWORDS


def test_headers_frozen_and_pages_landscape(book):
    for name in SHEETS:
        ws = book[name]
        assert ws.page_setup.orientation == "landscape"
        # One page wide (fitToWidth defaults to 1 and is left out of the file), any number of pages tall.
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    for name in ("Pays", "Activités", "Données", "Flux export"):
        assert book[name].freeze_panes is not None


def test_label_starting_with_equals_stays_text(tmp_path, fiche, long_rows):
    partner = replace(fiche.partners[0], nom="=SUM(A1:A2)")
    rows = long_rows.head(20).copy()
    rows.loc[0, "pays"] = "=1+1"
    odd = replace(fiche, partners=(partner, *fiche.partners[1:]), territoires_industrie=("+33 @ -1",), detail=rows)
    path = tmp_path / "odd.xlsx"
    write_workbook(odd, path, command="=HYPERLINK(\"x\")")
    book = openpyxl.load_workbook(path)
    cell = book["Pays"].cell(*_find(book["Pays"], "=SUM(A1:A2)"))
    assert cell.data_type == "s"
    assert book["Données"]["P4"].value == "=1+1" and book["Données"]["P4"].data_type == "s"
    _find(book["Synthèse"], "+33 @ -1")
    _find(book["Méthode"], "=HYPERLINK(\"x\")")


def test_rebuild_is_byte_identical(tmp_path, fiche, long_rows):
    digests = []
    for name in ("a.xlsx", "b.xlsx"):
        write_workbook(fiche, tmp_path / name, command="c", version="v")
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_failure_leaves_no_partial_file(tmp_path, fiche, long_rows, monkeypatch):
    target = tmp_path / "out" / "fiche.xlsx"

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(xlsx, "_write_comparaison_sheet", boom)
    with pytest.raises(RuntimeError, match="boom"):
        write_workbook(fiche, target)
    assert list(target.parent.iterdir()) == []


def test_failure_keeps_previous_file(tmp_path, fiche, long_rows, monkeypatch):
    target = tmp_path / "fiche.xlsx"
    write_workbook(fiche, target)
    before = target.read_bytes()
    monkeypatch.setattr(xlsx, "_write_pays_sheet", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_workbook(fiche, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["fiche.xlsx"]


@pytest.mark.libreoffice
def test_libreoffice_converts_the_workbook(tmp_path, workbook_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")
    source = tmp_path / "fiche.xlsx"
    shutil.copy(workbook_path, source)
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "fiche.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000


def _is_round_unit(unit: float) -> bool:
    exponent = math.floor(math.log10(unit) + 1e-9)
    return round(unit / 10 ** exponent, 9) in (1, 2, 5)


@pytest.mark.parametrize("imports, exports", [
    (50.3e6, 119e6), (122e6, 196.4e6), (4_741.9e6, 4_446.2e6), (0.2e6, 119e6), (0.0, 3.2e6), (0.4e6, 0.3e6),
    (7e9, 1e6), (0.0, 0.0),
])
def test_butterfly_axis_has_round_ticks_and_zero(imports, exports):
    low, high, unit = xlsx._butterfly_axis(imports, exports)
    assert _is_round_unit(unit)
    assert low <= -imports and high >= exports and low < high
    assert low <= 0 <= high
    # Both ends on ticks, so 0 and every label fall on multiples of the unit.
    assert low / unit == pytest.approx(round(low / unit)) and high / unit == pytest.approx(round(high / unit))
    assert (high - low) / unit <= xlsx.AXIS_MAX_INTERVALS
    # Not looser than needed: a side grows by less than one unit past its largest bar.
    assert -low - imports < unit and high - exports < unit or (imports, exports) == (0.0, 0.0)
    assert xlsx._axis_format(unit).count(";") == 2 and "-" not in xlsx._axis_format(unit)


def test_butterfly_chart_one_axis_with_round_ticks(book, fiche, workbook_path):
    butterfly = book["Synthèse"]._charts[0]
    axis = butterfly.y_axis  # the value axis of a horizontal bar chart
    low, high, unit = axis.scaling.min, axis.scaling.max, axis.majorUnit
    assert _is_round_unit(unit)
    assert low < 0 < high and (low / unit).is_integer() and (high / unit).is_integer()
    assert -low >= max(p.imports_eur for p in fiche.main_partners)
    assert high >= max(p.exports_eur for p in fiche.main_partners)
    with zipfile.ZipFile(workbook_path) as archive:
        chart_xml = archive.read("xl/charts/chart1.xml").decode()
    assert chart_xml.count("<c:valAx>") == 1 and len(butterfly.series) == 2


def _col_px(ws, col: int) -> int:
    """Pixel width of a column (openpyxl keeps a run of equal columns under its first letter)."""
    for dim in ws.column_dimensions.values():
        if dim.min <= col <= dim.max:
            return int(dim.width * 7 + 0.5)
    return 64


def test_synthese_prints_at_a_readable_scale(book):
    ws = book["Synthèse"]
    area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
    last_col = column_index_from_string(area.split(":")[1].split("$")[1])
    # Landscape A4 holds about 1 045 px of columns at 100 %: the sheet prints at 95 % or more.
    assert sum(_col_px(ws, c) for c in range(1, last_col + 1)) <= 1100
    tables_last_col = len(texts.XLSX_KEY_HEADERS)
    for merged in ws.merged_cells.ranges:
        if ws.cell(merged.min_row, merged.min_col).value != texts.DEMO_WARNING:
            assert merged.max_col <= tables_last_col  # paragraphs stay within the tables' columns
    for chart, headers in zip(ws._charts, (texts.XLSX_BUTTERFLY_HEADERS, texts.XLSX_TOP_HEADERS["E"],
                                           texts.XLSX_TOP_HEADERS["I"])):
        anchor = chart.anchor
        assert anchor._from.col >= len(headers)  # beside its table (0-based column of the anchor)
        assert anchor.to.col < last_col
        from_px = sum(_col_px(ws, c) for c in range(1, anchor._from.col + 1))
        to_px = sum(_col_px(ws, c) for c in range(1, anchor.to.col + 1))
        assert to_px - from_px >= 450  # the charts take the room right of the tables


def test_near_zero_balances_read_zero(book):
    ws = book["Pays"]
    header, _ = _find(ws, texts.XLSX_PARTNER_HEADERS[6])
    rules = [rule for cf in ws.conditional_formatting if str(cf.sqref).startswith(f"G{header + 1}:")
             for rule in cf.rules]
    colour = [r for r in rules if r.operator in ("lessThanOrEqual", "greaterThanOrEqual")]
    assert sorted(float(r.formula[0]) for r in colour) == [-50000.0, 50000.0]
    assert all(r.stopIfTrue for r in colour)
    (band,) = [r for r in rules if r.operator == "between"]
    code = band.dxf.numFmt.formatCode
    assert "-" not in code and "+" not in code and code.count(";") == 2
    tiny = [ws.cell(r, 7).value for r in range(header + 1, ws.max_row + 1)
            if isinstance(ws.cell(r, 7).value, float | int) and -50000 < ws.cell(r, 7).value < 0]
    assert tiny  # the demonstration data has some, kept exact in the cells


def test_comparaison_names_are_indented(book, fiche):
    ws = book["Comparaison"]
    name = fiche.region_summary.top_partners_export[0].nom
    rows = [cell for row in ws.iter_rows() for cell in row if cell.value == name and cell.column > 2]
    assert rows and all(cell.alignment.indent >= 1 for cell in rows)


def test_donnees_sheet_carries_the_demonstration_warning(tmp_path, fiche_23, demo_trade):
    import openpyxl

    from fichex import texts

    from fichex.render.xlsx import write_workbook

    path = tmp_path / "d.xlsx"
    write_workbook(fiche_23, path)
    sheet = openpyxl.load_workbook(path, read_only=True)[texts.XLSX_SHEETS["donnees"]]
    assert next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0].startswith(texts.DEMO_WARNING)


def test_workbook_totals_equal_fichex_figures_json(book):
    import json

    from typer.testing import CliRunner

    from fichex.cli import app

    figures = json.loads(CliRunner().invoke(app, ["figures", "23", "--json"]).stdout)
    exports, imports = figures["exportations"]["total_eur"], figures["importations"]["total_eur"]
    synthese = book["Synthèse"]
    row = _find(synthese, texts.FLOW_LABEL["E"])[0]
    assert (synthese.cell(row, 2).value, synthese.cell(row + 1, 2).value) == (exports, imports)
    assert synthese.cell(row + 2, 2).value == figures["solde_eur"]
    for sheet, flow, total in (("Flux export", "E", exports), ("Flux import", "I", imports)):
        ws = book[sheet]
        header, _ = _find(ws, texts.XLSX_FLOW_CORNER[flow])
        last_row = max(r for r in range(header, ws.max_row + 1) if ws.cell(r, 2).value is not None)
        last_col = max(c for c in range(2, ws.max_column + 1) if ws.cell(header, c).value is not None)
        assert ws.cell(last_row, last_col).value == total
    data = book["Données"]
    sums = {"E": 0.0, "I": 0.0}
    for year, flow, value in ((r[0], r[1], r[18]) for r in data.iter_rows(min_row=4, values_only=True)):
        if year == figures["annee"]:
            sums[flow] += value
    assert sums["E"] == pytest.approx(exports) and sums["I"] == pytest.approx(imports)


# ---------------------------------------------------------------------------------------------------------
# Presentable: units, the Données filter, printing, the demonstration line, labels, legend, gridlines
# ---------------------------------------------------------------------------------------------------------

def _strings(ws):
    return [(cell, str(cell.value)) for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]


def test_no_header_says_meur_over_euros(book):
    """Cells hold euros: a header says « (€) »; a cell shown in millions shows « M€ » itself."""
    for ws in book.worksheets:
        for cell, text in _strings(ws):  # a header ends with its unit (a note may name « M€ » mid-sentence)
            assert not text.rstrip().endswith(("(M€)", "M€)")), (ws.title, cell.coordinate, text)
        for row in ws.iter_rows():
            for cell in row:
                fmt = cell.number_format
                if ",," in fmt:  # scaled by 10^6: the unit is in every section of the format
                    sections = fmt.split(";")
                    assert all(section.endswith(' "M€"') for section in sections), (ws.title, fmt)
                if isinstance(cell.value, int | float) and abs(cell.value) > 1e5:
                    assert ",," in fmt and "M€" in fmt or fmt == "#,##0", (ws.title, cell.coordinate, fmt)
    for ws in book.worksheets:  # every amount column of a table is headed in euros
        for table in ws.tables.values():
            for column in table.tableColumns:
                assert "M€" not in column.name


def test_euro_headers_sit_over_euro_cells(book, fiche):
    ws = book["Pays"]
    header, col = _find(ws, "Exportations (€)")
    cell = ws.cell(header + 1, col)
    assert cell.value == fiche.partners[0].exports_eur and cell.number_format == '#,##0.0,, "M€"'
    ws = book["Synthèse"]
    header, col = _find(ws, "Valeur (€)")
    assert ws.cell(header + 1, col).value == fiche.exports.total_eur
    assert texts.XLSX_MEUR_NOTE in {text for _, text in _strings(book["Pays"])}


def test_donnees_filtered_on_the_fiche_year(book, fiche, long_rows):
    ws = book["Données"]
    n = len(long_rows)
    assert ws.auto_filter.ref == f"A3:S{3 + n}"
    (column,) = ws.auto_filter.filterColumn
    assert column.colId == 0 and column.filters.filter == [str(fiche.year)]
    hidden = {r for r in range(4, 4 + n) if ws.row_dimensions[r].hidden}
    years = {r: ws.cell(r, 1).value for r in range(4, 4 + n)}
    assert hidden == {r for r, y in years.items() if y != fiche.year} and hidden
    names = book.defined_names
    assert names["Donnees"].attr_text == f"'Données'!$A$3:$S${3 + n}"
    n_year = sum(1 for y in years.values() if y == fiche.year)
    assert names[f"Donnees_{fiche.year}"].attr_text == f"'Données'!$A$3:$S${3 + n_year}"
    # A pivot over « Donnees_2024 » holds the fiche's year alone, and its totals.
    rows = list(ws.iter_rows(min_row=4, max_row=3 + n_year, values_only=True))
    assert {r[0] for r in rows} == {fiche.year}
    assert sum(r[18] for r in rows if r[1] == "E") == pytest.approx(fiche.exports.total_eur)
    assert sum(r[18] for r in rows if r[1] == "I") == pytest.approx(fiche.imports.total_eur)
    note = ws["A2"].value
    assert str(fiche.year) in note and f"Donnees_{fiche.year}" in note and "masquées" in note


def test_print_settings(book):
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_area, ws.title
        assert "Page &P sur &N" in ws.oddFooter.right.text and ws.oddFooter.left.text == "&A"
        assert "Creuse (2024)" in ws.oddHeader.left.text
        assert ws.oddHeader.right.text == texts.XLSX_DEMO_HEADER  # demonstration data
        assert not ws.print_options.gridLines
    for name in ("Pays", "Activités", "Flux export", "Flux import"):
        assert book[name].print_title_rows, name  # the header row on every printed page
    # Données: the title and the notes are printed, the table is not.
    area = book["Données"].print_area
    area = area if isinstance(area, str) else area[0]
    assert area.endswith("$2")


def test_gridlines_off_on_report_sheets(book):
    for name in ("Synthèse", "Flux export", "Flux import", "Comparaison", "Exposition", "Méthode"):
        assert book[name].sheet_view.showGridLines is False, name
    for name in ("Pays", "Activités", "Données"):
        assert book[name].sheet_view.showGridLines in (None, True), name


def _width_chars(ws, col: int) -> float:
    for dim in ws.column_dimensions.values():
        if dim.min <= col <= dim.max and dim.width:
            return dim.width
    return 8.43


def _merged_width(ws, cell) -> float:
    for merged in ws.merged_cells.ranges:
        if merged.min_row == cell.row and merged.min_col == cell.column:
            return sum(_width_chars(ws, c) for c in range(merged.min_col, merged.max_col + 1))
    return _width_chars(ws, cell.column)


def _row_pt(ws, row: int) -> float:
    return ws.row_dimensions[row].height or 15.0


def test_demonstration_line_legible_on_every_sheet(book):
    for ws in book.worksheets:
        (cell,) = [c for c, text in _strings(ws) if text.startswith(texts.DEMO_WARNING)]
        lines = xlsx._lines_needed(cell.value, _merged_width(ws, cell), bold=True)
        assert cell.alignment.wrap_text, ws.title
        assert _row_pt(ws, cell.row) >= xlsx.LINE_PT * lines, ws.title


@pytest.mark.parametrize("sheet", ["Synthèse", "Pays", "Activités", "Flux export", "Flux import", "Comparaison",
                                   "Exposition", "Méthode"])
def test_no_label_is_cut(book, sheet):
    """A label in a table either fits its column or wraps in a row tall enough (Excel does not grow rows)."""
    ws = book[sheet]
    merged = {(m.min_row, m.min_col) for m in ws.merged_cells.ranges}
    for cell, text in _strings(ws):
        right = ws.cell(cell.row, cell.column + 1).value
        if (cell.row, cell.column) in merged or right is None:
            continue  # a paragraph over merged cells, or a text with room on its right
        width = _width_chars(ws, cell.column)
        bold = bool(cell.font and cell.font.b)
        indent = int(cell.alignment.indent or 0)
        lines = xlsx._lines_needed(text, width, bold=bold, indent=indent)
        if lines > 1:
            assert cell.alignment.wrap_text, (sheet, cell.coordinate, text)
            assert _row_pt(ws, cell.row) >= xlsx.LINE_PT * lines, (sheet, cell.coordinate, text)


def test_donnees_columns_hold_their_longest_label(book, long_rows):
    ws = book["Données"]
    for j, column in enumerate(long_rows.columns, start=1):
        if long_rows[column].dtype.kind in "OUT" or str(long_rows[column].dtype) in ("str", "string", "object"):
            longest = long_rows[column].astype(str).str.len().max()
            assert _width_chars(ws, j) >= longest, column


def test_butterfly_sides_read_left_to_right(book):
    butterfly = book["Synthèse"]._charts[0]
    assert butterfly.legend is None  # no legend whose order would differ between Excel and LibreOffice
    names = [s.tx.v for s in butterfly.series]
    assert names == [texts.FLOW_LABEL["I"], texts.FLOW_LABEL["E"]]
    title = "".join(run.t for p in butterfly.y_axis.title.tx.rich.p for run in (p.r or []))
    assert title == texts.XLSX_BUTTERFLY_AXIS
    assert title.index("Importations") < title.index("Exportations") and "M€" in title


def test_methode_dates_the_data_in_french(book, fiche):
    ws = book["Méthode"]
    row, _ = _find(ws, texts.XLSX_METHOD_LABELS["created"])
    value = ws.cell(row, 2).value
    assert value.startswith(texts.xlsx_date(fiche.data.created) + " : date des fichiers")
    assert "2025-" not in value and not any("-01-01" in text for _, text in _strings(ws))
    _find(ws, texts.XLSX_METHOD_UNITS)
    assert any(f"Donnees_{fiche.year}" in text for _, text in _strings(ws))


def test_no_capital_lacking_its_accent(book):
    import re

    pattern = re.compile(r"\b(Edition|Etat|Ecart|Equipement|Electri|Energie|Economi|Etranger)")
    for ws in book.worksheets:
        for cell, text in _strings(ws):
            assert not pattern.search(text), (ws.title, cell.coordinate, text)
    assert any("Édition, audiovisuel" in text for _, text in _strings(book["Activités"]))


@pytest.mark.parametrize("iso, french", [("2025-06-13", "13 juin 2025"), ("2025-01-01", "1er janvier 2025"),
                                         ("2024-12-31T10:00:00", "31 décembre 2024"), ("", None), ("x", None)])
def test_french_dates(iso, french):
    assert texts.xlsx_date(iso) == french


def test_data_date_without_a_date_says_so():
    assert texts.xlsx_data_date("", False).startswith("non renseignée")
    assert "démonstration" in texts.xlsx_data_date("2025-06-13", True)
    assert "DGDDI lus" in texts.xlsx_data_date("2025-06-13", False)


def test_exposition_cells_equal_the_aggregate(book, fiche):
    ws = book["Exposition"]
    exposure = fiche.exposure
    row, col = _find(ws, texts.EXPOSURE_SHARE_LABELS["E"][0])
    assert [ws.cell(row, col + j).value for j in (1, 2, 3)] == pytest.approx(
        [exposure.flow(level, "E").us_pct / 100 for level in ("departement", "region", "france")])
    assert ws.cell(row, col + 1).number_format == "0.0%"
    row, _ = _find(ws, texts.EXPOSURE_SHARE_LABELS["I"][2])
    assert ws.cell(row, 2).value == pytest.approx(exposure.local_imports.eu27_pct / 100)
    row, _ = _find(ws, texts.EXPOSURE_FIRST_PARTNER_ROWS["E"])
    assert ws.cell(row, 2).value == exposure.local_exports.first_partner_name
    first = exposure.us_products[0]
    row, _ = _find(ws, first.libelle)
    assert [ws.cell(row, c).value for c in (2, 3, 4)] == [first.code, first.us_exports_eur, first.exports_eur]
    assert ws.cell(row, 3).number_format == '#,##0.0,, "M€"'
    assert ws.cell(row, 5).value == pytest.approx(first.us_share_pct / 100)
    header, _ = _find(ws, texts.EXPOSURE_DEPENDENCE_HEADERS[-1])
    flags = [ws.cell(header + 1 + i, 6).value for i in range(len(exposure.import_dependences))]
    assert flags == [texts.XLSX_YES if d.dependent else texts.XLSX_NO for d in exposure.import_dependences]
    row, _ = _find(ws, texts.EXPOSURE_RANK_LABEL)
    assert ws.cell(row, 2).value == exposure.us_rank
    row, _ = _find(ws, texts.FLOW_LABEL["E"])
    assert ws.cell(row, 2).value == pytest.approx(exposure.local_exports.hhi_partners)
    assert texts.HHI_SOURCE in {text for _, text in _strings(ws)}
    assert set(ws.tables) == {"Exposition_parts", "Exposition_etats_unis", "Exposition_dependances",
                              "Exposition_concentration"}
