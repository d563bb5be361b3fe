"""The « Exposition » sheet: partner shares beside the région and France, the products exposed to the United
States, import dependences, concentration."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from fichex.wording.places import Place, place_of
from fichex.wording import deck as deck_text, grammar as grammar_text, levels as levels_text, workbook as workbook_text
from fichex.aggregation.model import FLOWS, Exposure, Fiche, hhi_band
from fichex.render.xlsx.base import (LINE_PT, TABLE_NAMES, Formats, fiche_document, lines_needed, page_setup,
                                     set_widths, title_block, titled_table, write_wrapped)

EXPOSITION_COLS = (44.0, 16.0, 20.0, 18.0, 20.0, 14.0)  # A:F
LAST_COL = len(EXPOSITION_COLS) - 1


def write_exposure_sheet(ws: Worksheet, formats: Formats, fiche: Fiche) -> None:
    """Partner shares beside the région and France and the US-exposed products on the first printed page,
    the import dependences and the concentration on the second; the title alone when not computed."""
    set_widths(ws, EXPOSITION_COLS)
    document = fiche_document(fiche)
    row = title_block(ws, formats, document, workbook_text.EXPOSURE_SHEET_TITLE.format(name=fiche.territory.nom,
                                                                                       year=grammar_text.period(fiche)), LAST_COL)
    ws.write_string(row - 1, 0, workbook_text.XLSX_MEUR_NOTE, formats.muted)
    exposure = fiche.exposure
    if exposure is None:
        page_setup(ws, document, row, LAST_COL)
        return
    row = _write_shares(ws, formats, fiche, exposure, row) + 1
    row = _write_us_products(ws, formats, fiche, exposure, row) + 1
    ws.set_h_pagebreaks([row])  # the dependences and the concentration on the second page, never split
    row = _write_dependences(ws, formats, exposure, row)
    row = _write_concentration(ws, formats, exposure, row, place_of(fiche))
    page_setup(ws, document, row, LAST_COL)


def _exposure_table(ws: Worksheet, formats: Formats, row: int, title: str, name: str, headers: tuple[str, ...],
                    rows: list[list], col_formats: list) -> int:
    """One of the sheet's titled tables (base.titled_table) on its columns; returns the next free row."""
    return titled_table(ws, formats, row, title, TABLE_NAMES[name], headers, rows, col_formats, EXPOSITION_COLS)[1]


def _write_shares(ws: Worksheet, formats: Formats, fiche: Fiche, exposure: Exposure, row: int) -> int:
    """The shares of the United States, China, the EU27 and the first partner, and the first partner's name,
    for the territory and the levels above it; the note under them. Returns the next free row."""
    # A région's fiche: the région (its « departement » level) and France; France's: France alone.
    levels = {"region": ("departement", "france"), "france": ("departement",)}.get(fiche.level,
                                                                                ("departement", "region", "france"))
    headers = (workbook_text.EXPOSURE_SHARES_HEADERS if fiche.level == "departement"
               else (workbook_text.EXPOSURE_SHARES_HEADERS[0], *levels_text.level_headers(fiche.level)))
    shares = []
    for flow in FLOWS:
        flows = [exposure.flow(level, flow) for level in levels]
        for label, attr in zip(workbook_text.EXPOSURE_SHARE_LABELS[flow], ("us_pct", "china_pct", "eu27_pct",
                                                                           "first_partner_pct")):
            shares.append([(label, formats.text)] + [(getattr(f, attr) / 100, formats.pct1) for f in flows])
        shares.append([(workbook_text.EXPOSURE_FIRST_PARTNER_ROWS[flow], formats.text)]
                      + [(f.first_partner_name or workbook_text.XLSX_NONE, formats.text) for f in flows])
    row = _exposure_table(ws, formats, row, workbook_text.EXPOSURE_SHARES_TITLE, "exposition_parts",
                          headers, shares, [None] * len(headers))
    write_wrapped(ws, row - 1, 0, LAST_COL, workbook_text.EXPOSURE_SHARE_NOTE, formats.muted_wrap, sum(EXPOSITION_COLS))
    return row


def _write_us_products(ws: Worksheet, formats: Formats, fiche: Fiche, exposure: Exposure, row: int) -> int:
    """The products most exported to the United States, and the territory's rank by its share of exports
    going there; returns the next free row."""
    us_rows = [[(p.libelle, formats.text), (p.code, formats.text), (p.us_exports_eur, formats.meur),
                (p.exports_eur, formats.meur), (p.us_share_pct / 100, formats.pct1)] for p in exposure.us_products]
    row = _exposure_table(ws, formats, row, workbook_text.EXPOSURE_US_TITLE, "exposition_etats_unis",
                          workbook_text.EXPOSURE_US_HEADERS, us_rows, [None, None, formats.meur, formats.meur, formats.pct1])
    place = place_of(fiche)
    if not place.ranked_among:  # France: ranked among nothing
        return row
    ws.write_number(row - 1, 1, exposure.us_rank, formats.rank)
    ws.write_string(row - 1, 2, levels_text.exposure_rank_of(exposure.n_ranked, place), formats.text)
    ws.set_row(row - 1, LINE_PT * lines_needed(workbook_text.EXPOSURE_RANK_LABEL, EXPOSITION_COLS[0], bold=True) + 2)
    ws.write_string(row - 1, 0, workbook_text.EXPOSURE_RANK_LABEL, formats.text_wrap)
    return row


def _write_dependences(ws: Worksheet, formats: Formats, exposure: Exposure, row: int) -> int:
    """The products imported, each with its main supplier's share and whether it makes a dependence."""
    dependence_rows = [[(d.libelle, formats.text), (d.code, formats.text), (d.imports_eur, formats.meur),
                        (d.supplier_name or workbook_text.XLSX_NONE, formats.text), (d.supplier_share_pct / 100, formats.pct1),
                        (workbook_text.XLSX_YES, formats.bold) if d.dependent else (workbook_text.XLSX_NO, formats.text)]
                       for d in exposure.import_dependences]
    return _exposure_table(ws, formats, row, workbook_text.EXPOSURE_DEPENDENCE_TITLE, "exposition_dependances",
                           workbook_text.EXPOSURE_DEPENDENCE_HEADERS, dependence_rows,
                           [None, None, formats.meur, None, formats.pct1, None])


def _write_concentration(ws: Worksheet, formats: Formats, exposure: Exposure, row: int, place: Place) -> int:
    """The Herfindahl-Hirschman indexes of partners and products, their band, the three first partners'
    share, per flow; the index's source under them. Returns the next free row."""
    hhi_rows = []
    for flow in FLOWS:
        f = exposure.flow("departement", flow)
        hhi_rows.append([(grammar_text.FLOW_LABEL[flow], formats.text), (f.hhi_partners, formats.eur),
                         (deck_text.HHI_BAND_LABEL[hhi_band(f.hhi_partners)], formats.text),
                         (f.hhi_products, formats.eur),
                         (deck_text.HHI_BAND_LABEL[hhi_band(f.hhi_products)], formats.text),
                         (f.top3_pct / 100, formats.pct1)])
    row = _exposure_table(ws, formats, row, workbook_text.exposure_hhi_title(place), "exposition_concentration",
                          workbook_text.EXPOSURE_HHI_HEADERS, hhi_rows,
                          [None, formats.eur, None, formats.eur, None, formats.pct1])
    write_wrapped(ws, row - 1, 0, LAST_COL, deck_text.HHI_SOURCE, formats.muted_wrap, sum(EXPOSITION_COLS))
    return row
