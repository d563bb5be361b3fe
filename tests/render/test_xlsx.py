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
import pytest
from openpyxl.utils import column_index_from_string

from fichex import texts
from fichex.render import xlsx
from fichex.render.xlsx import write_workbook

SHEETS = ["Synthèse", "Pays", "Activités", "Flux export", "Flux import", "Comparaison", "Données", "Méthode"]


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
    assert set(tables) == set(xlsx.TABLE_NAMES.values())
    header = _find(book["Pays"], "Code pays")[0]
    assert tables["Pays"] == f"A{header}:J{header + len(fiche.partners)}"
    header = _find(book["Activités"], "Code A129")[0]
    assert tables["Activites"] == f"A{header}:K{header + len(fiche.activities)}"
    assert tables["Donnees"] == f"A3:S{3 + len(long_rows)}"
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
    assert ws.cell(row, 2).number_format.endswith(",,")  # euros shown in millions
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


def test_donnees_holds_every_row_and_the_totals(book, long_rows, fiche):
    ws = book["Données"]
    values = [row[0] for row in ws.iter_rows(min_row=4, min_col=19, max_col=19, values_only=True)]
    years = [row[0] for row in ws.iter_rows(min_row=4, min_col=1, max_col=1, values_only=True)]
    flows = [row[0] for row in ws.iter_rows(min_row=4, min_col=2, max_col=2, values_only=True)]
    assert len(values) == len(long_rows)
    assert values == long_rows["valeur_eur"].tolist()
    assert sorted(set(years)) == list(fiche.years_available)
    exports = sum(v for v, y, f in zip(values, years, flows) if y == fiche.year and f == "E")
    imports = sum(v for v, y, f in zip(values, years, flows) if y == fiche.year and f == "I")
    assert exports == pytest.approx(fiche.exports.total_eur)
    assert imports == pytest.approx(fiche.imports.total_eur)
    assert [c.value for c in ws[4]][:3] == [int(long_rows.at[0, "annee"]), long_rows.at[0, "flux"],
                                            long_rows.at[0, "libelle_flux"]]


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
    assert next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0] == texts.DEMO_WARNING


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
