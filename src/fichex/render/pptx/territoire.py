"""The deck of a Territoire d'industrie: its cover, the model's text once, its départements side by side, then
each département's figure pages in turn (customs data stops at the département, as the model says)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide
from pptx.util import Emu, Pt

from fichex.wording import (deck as deck_text, grammar as grammar_text, model_text, notes as notes_text,
                            numbers as numbers_text, territoire as territoire_text)
from fichex.aggregation.model import Fiche
from fichex.aggregation.territoire import DepartementFigures, check_same_year, departement_figures
from fichex.atomic import atomic_path
from fichex.render import template as tpl
from fichex.render.drawingml import drawings_written_at_save
from fichex.render.pptx_internals import cache_oxml_lookups
from fichex.render import theme
from fichex.render.brand import load_brand
from fichex.render.geometry import EMU_PER_INCH
from fichex.render.pptx import add_figure_pages, notes, set_properties
from fichex.render.pptx.package import remove_template_slides, reproducible
from fichex.render.pptx.slides import (Deck, Para, add_textbox, balance_colour, fill, finish_slide, new_slide,
                                       set_alt_text, take_frame)
from fichex.wording.numbers import meur, signed_meur_label
from fichex.render.pptx.text_slides import (add_caveats_slide, add_context_slide, add_practical_slide,
                                            add_summary_slide, add_text_slide, institution_paragraphs)
from fichex.render.text_fit import CELL_MARGIN_X, CELL_MARGIN_Y, Cell, fitting_size, table_layout, text_height

COVER_SUBTITLE_SIZES = (24, 20, 18, 16)   # the layout's size first, smaller for long territory names
SECTION_TITLE_SIZES = (34, 28, 24)
INTRO_PT = 17
NOTE_H = int(0.75 * EMU_PER_INCH)         # under the table: what the figures are
NOTE_PT = 11
NOTE_GAP = int(0.15 * EMU_PER_INCH)
SECTION_NOTE_PT = 13


# --------------------------------------------------------------------------------------------------------
# The comparison table's cells
# --------------------------------------------------------------------------------------------------------
def comparison_values(figures: DepartementFigures) -> list[str]:
    """One département's column of the comparison table, in the order of territoire_text.TI_COMPARISON_ROWS."""
    client, supplier = figures.first_client, figures.first_supplier
    return [
        meur(figures.exports.total_eur), meur(figures.imports.total_eur), signed_meur_label(figures.balance_eur),
        numbers_text.format_pct(figures.exports.share_of_region_pct, 1), numbers_text.format_pct(figures.imports.share_of_region_pct, 1),
        numbers_text.format_pct(figures.exports.share_of_france_pct, 2), numbers_text.format_pct(figures.imports.share_of_france_pct, 2),
        territoire_text.ti_rank(figures.exports.rank, figures.exports.n_departements),
        territoire_text.ti_rank(figures.imports.rank, figures.imports.n_departements),
        territoire_text.ti_partner(client.nom, client.exports_eur) if client else territoire_text.TI_NONE,
        territoire_text.ti_partner(supplier.nom, supplier.imports_eur) if supplier else territoire_text.TI_NONE,
    ]


def comparison_cells(figures: Sequence[DepartementFigures]) -> list[list[Cell]]:
    """The table's cells, header row first: indicators down the first column, a column per département."""
    header: list[Cell] = [(("", True),)]
    header += [((territoire_text.ti_departement_label(f.nom, f.code), True), (f.region, False)) for f in figures]
    columns = [comparison_values(f) for f in figures]
    body = [[((label, True),)] + [((column[i], False),) for column in columns]
            for i, label in enumerate(territoire_text.TI_COMPARISON_ROWS)]
    return [header, *body]


# --------------------------------------------------------------------------------------------------------
# Slides
# --------------------------------------------------------------------------------------------------------
def _labels(fiches: Sequence[Fiche]) -> list[str]:
    return [territoire_text.ti_departement_label(f.territory.nom, f.territory.code) for f in fiches]


def territory_notes(fiches: Sequence[Fiche]) -> list[str]:
    """What a reader must know about these départements' codes: Corse read as one territory (« 20 »)."""
    return territoire_text.ti_code_notes([f.territory.code for f in fiches])


def _sized(placeholder, text: str, sizes: Sequence[float], *, bold: bool = False) -> None:
    size = fitting_size(text, int(placeholder.width), int(placeholder.height), sizes, bold)
    fill(placeholder, [Para(text, size=size if size != sizes[0] else None)])


def _add_cover(deck: Deck, name: str, fiches: Sequence[Fiche]) -> Slide:
    slide, ph = new_slide(deck, tpl.LAYOUT_COVER)
    if tpl.PH_INSTITUTION in ph:
        fill(ph[tpl.PH_INSTITUTION], institution_paragraphs(deck.brand))
    fill(ph[tpl.PH_TITLE], [model_text.COVER_TITLE])
    _sized(ph[tpl.PH_SUBTITLE], territoire_text.ti_cover_subtitle(name), COVER_SUBTITLE_SIZES)
    fill(ph[tpl.PH_YEAR], [deck_text.deck_year_line(grammar_text.period(fiches[0]))])
    body = [Para(territoire_text.TI_DEPARTEMENTS_HEADING, bold=True)]
    body += [Para(territoire_text.ti_departement_line(f.territory.nom, f.territory.code, f.region.nom), level=1)
             for f in fiches]
    body.append(Para(territoire_text.TI_DEPARTEMENTAL_FIGURES, bold=True, colour=theme.ACCENT, size=12))
    body += [Para(note, colour=theme.MUTED, size=12) for note in territory_notes(fiches)]
    fill(ph[tpl.PH_TERRITORIES], body)
    lines = [territoire_text.ti_notes_cover(name, _labels(fiches), grammar_text.period(fiches[0])), *territory_notes(fiches)]
    finish_slide(deck, slide, lines + [notes.key_figures(f) for f in fiches])
    return slide


def _add_introduction(deck: Deck, name: str, fiches: Sequence[Fiche]) -> Slide:
    """The model's introduction, its advice on interdepartmental territories set out, then the départements."""
    body = [Para(p, size=INTRO_PT) for p in model_text.INTRODUCTION]
    body.append(Para(territoire_text.INTERDEPARTMENTAL_ADVICE, bold=True, colour=theme.ACCENT, size=INTRO_PT + 2))
    body.append(Para(territoire_text.TI_DEPARTEMENTS_HEADING, bold=True, colour=theme.ACCENT, size=INTRO_PT))
    body += [Para(label, level=1, size=INTRO_PT) for label in _labels(fiches)]
    return add_text_slide(deck, deck_text.DECK_INTRO_TITLE, body, [territoire_text.TI_INTRO_NOTES, territoire_text.INTERDEPARTMENTAL_ADVICE])


def _replace_notes(deck: Deck, slide: Slide, lines: Sequence[str]) -> None:
    """Speaker notes of a reused slide, for the whole territory rather than its first département."""
    lines = list(lines) + ([model_text.DEMO_WARNING + "."] if deck.fiche.demonstration else [])
    slide.notes_slide.notes_text_frame.text = "\n\n".join(lines)


def _add_context_and_caveats(deck: Deck, fiches: Sequence[Fiche]) -> None:
    context = add_context_slide(deck)
    _replace_notes(deck, context, [notes_text.DECK_NOTES_CONTEXT, *(notes.key_figures(f) for f in fiches)])
    caveats = add_caveats_slide(deck)
    local = [f"{f.territory.nom} : {line}" for f in fiches for line in notes.local_caveats(f)]
    _replace_notes(deck, caveats, [notes_text.DECK_NOTES_CAVEATS + " " + " ".join(model_text.CAVEATS), *local])


def _write_cell(cell, paragraphs: Cell, size: float, *, colour: str, background: str | None, align) -> None:
    cell.margin_left = cell.margin_right = Emu(CELL_MARGIN_X)
    cell.margin_top = cell.margin_bottom = Emu(CELL_MARGIN_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame = cell.text_frame
    frame.word_wrap = True
    frame.clear()
    for i, (text, bold) in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = text
        run.font.name = theme.FONT
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = RGBColor.from_string(colour)
    if background:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(background)
    else:
        cell.fill.background()


def _cell_colour(row: int, col: int, figures: Sequence[DepartementFigures]) -> str:
    if row == 0:
        return theme.WHITE
    if row == 3 and col > 0:  # the balance, red or green
        return balance_colour(figures[col - 1].balance_eur)
    return theme.TEXT


def _add_comparison_table(slide, figures: Sequence[DepartementFigures], frame, alt_text: str):
    x, y, w, h = frame
    rows = comparison_cells(figures)
    layout = table_layout(rows, w, h)
    graphic = slide.shapes.add_table(len(rows), len(rows[0]), x, y, sum(layout.col_widths), sum(layout.row_heights))
    graphic.name = territoire_text.TI_COMPARISON_TABLE_NAME
    set_alt_text(graphic, alt_text)
    table = graphic.table
    table.first_row = True
    table.horz_banding = False
    for j, width in enumerate(layout.col_widths):
        table.columns[j].width = Emu(width)
    for i, height in enumerate(layout.row_heights):
        table.rows[i].height = Emu(height)
        for j, paragraphs in enumerate(rows[i]):
            background = theme.ACCENT if i == 0 else (theme.BACKGROUND_ALT if i % 2 == 0 else None)
            _write_cell(table.cell(i, j), paragraphs, layout.size_pt, colour=_cell_colour(i, j, figures),
                        background=background, align=PP_ALIGN.LEFT if j == 0 else PP_ALIGN.RIGHT)
    return graphic


def _add_comparison(deck: Deck, name: str, fiches: Sequence[Fiche]) -> Slide:
    """The départements side by side: a native table, a column per département, what the figures are below."""
    figures = [departement_figures(f) for f in fiches]
    slide, ph = new_slide(deck, tpl.LAYOUT_TEXT)
    fill(ph[tpl.PH_TITLE], [territoire_text.TI_COMPARISON_TITLE])
    x, y, w, h = take_frame(ph[tpl.PH_TEXT])
    columns = [f"{territoire_text.ti_departement_label(f.nom, f.code)} : "
               + ", ".join(f"{label} {value}" for label, value in zip(territoire_text.TI_COMPARISON_ROWS, comparison_values(f)))
               for f in figures]
    note = [Para(territoire_text.TI_DEPARTEMENTAL_FIGURES, bold=True, colour=theme.ACCENT, size=NOTE_PT),
            Para(territoire_text.TI_COMPARISON_UNIT, colour=theme.MUTED, size=NOTE_PT)]
    note += [Para(line, colour=theme.MUTED, size=NOTE_PT) for line in territoire_text.ti_comparison_notes(fiches)]
    note_h = max(NOTE_H, text_height(note, w))
    table = _add_comparison_table(slide, figures, (x, y, w, h - note_h - NOTE_GAP),
                                  territoire_text.ti_comparison_alt(name, grammar_text.period(fiches[0]), columns))
    # The note right under the table, whatever its height.
    note_top = y + int(table.height) + NOTE_GAP
    add_textbox(slide, territoire_text.TI_DEPARTEMENTAL_FIGURES, (x, note_top, w, max(note_h, y + h - note_top)),
                note, anchor=MSO_ANCHOR.TOP)
    finish_slide(deck, slide, [territoire_text.ti_notes_comparison(columns), territoire_text.TI_DEPARTEMENTAL_FIGURES])
    return slide


def _section_layout(deck: Deck) -> str:
    """The template's « Section » layout when it has one (it is optional), else « Titre et texte »."""
    layout = deck.layouts.get(tpl.LAYOUT_SECTION)
    names = tpl.placeholder_indices(layout) if layout is not None else {}
    return tpl.LAYOUT_SECTION if {tpl.PH_TITLE, tpl.PH_TEXT} <= set(names) else tpl.LAYOUT_TEXT


def _add_section(deck: Deck, name: str, fiche: Fiche, index: int, count: int, compared_in: Fiche | None) -> Slide:
    """Opens a département's pages: its name and code, its place in the territory, its totals; where an
    earlier département of the same région (`compared_in`) showed the région's and France's flows, says so
    (they are not repeated)."""
    slide, ph = new_slide(deck, _section_layout(deck))
    label = territoire_text.ti_departement_label(fiche.territory.nom, fiche.territory.code)
    _sized(ph[tpl.PH_TITLE], label, SECTION_TITLE_SIZES, bold=True)
    elsewhere = [] if compared_in is None else [territoire_text.ti_comparison_elsewhere(
        fiche.region.nom, territoire_text.ti_departement_label(compared_in.territory.nom, compared_in.territory.code))]
    fill(ph[tpl.PH_TEXT], [
        Para(territoire_text.ti_section_position(index, count, name, fiche.region.nom)),
        Para(territoire_text.ti_section_figures(fiche.exports.total_eur, fiche.imports.total_eur, fiche.balance_eur), bold=True),
        Para(territoire_text.TI_SECTION_NEXT), *(Para(line, size=SECTION_NOTE_PT) for line in elsewhere),
        *(Para(note, size=SECTION_NOTE_PT) for note in territory_notes([fiche]))])
    finish_slide(deck, slide, [territoire_text.ti_notes_section(label, index, count), *elsewhere, notes.key_figures(fiche)])
    return slide


# --------------------------------------------------------------------------------------------------------
# Deck
# --------------------------------------------------------------------------------------------------------
def _set_properties(prs: PresentationObject, name: str, fiches: Sequence[Fiche]) -> None:
    """The first fiche's properties, titled for the territory, its départements as the subject."""
    set_properties(prs, fiches[0])
    props = prs.core_properties
    props.title = deck_text.deck_title(name, grammar_text.period(fiches[0]))
    props.subject = territoire_text.ti_subject(name, _labels(fiches))


def build_territoire_deck(name: str, fiches: Sequence[Fiche], *,
                          template: Path | str | None = None) -> PresentationObject:
    """Build the deck of a Territoire d'industrie in memory (see `write_territoire_deck`)."""
    check_same_year(fiches)
    cache_oxml_lookups()
    prs = tpl.load_template(template)
    remove_template_slides(prs)
    deck = Deck(prs, fiches[0], tpl.layouts_by_name(prs), brand=load_brand(template),
                shared=tpl.template_store(template))
    _add_cover(deck, name, fiches)
    _add_introduction(deck, name, fiches)
    _add_context_and_caveats(deck, fiches)
    _add_comparison(deck, name, fiches)
    compared: dict[str, Fiche] = {}  # région code → the département whose pages compare with it and France
    for index, fiche in enumerate(fiches, 1):
        # the département's own pages, on the same presentation, their titles naming it
        pages = deck.for_fiche(fiche, territoire_text.ti_departement_label(fiche.territory.nom, fiche.territory.code))
        earlier = compared.get(fiche.region.code) if fiche.compares_with_france else None
        _add_section(pages, name, fiche, index, len(fiches), earlier)
        add_summary_slide(pages)  # « L'essentiel » of the département, then its figures
        add_figure_pages(pages, comparisons=earlier is None)
        compared.setdefault(fiche.region.code, fiche)
    add_practical_slide(deck)
    _set_properties(prs, name, fiches)
    return prs


def write_territoire_deck(name: str, fiches: Sequence[Fiche], path: Path | str, *,
                          template: Path | str | None = None) -> None:
    """Write the PowerPoint deck of a Territoire d'industrie: cover, introduction, context and caveats, its
    départements side by side, then each département's summary and figure pages in the order given, and the practical
    information.

    Args:
        name: the territory's official name (`fichex.data.reference.territoire`).
        fiches: one fiche per département of the territory, for one year, in the order to show them.
        path: the .pptx file to write (replaced atomically).
        template: a .pptx or .potx with the layouts of the bundled template (default: the bundled one).

    Raises:
        TemplateError: the template is unreadable or lacks a layout or placeholder.
        OutputError: the file cannot be written.
        ValueError: no fiche, fiches of different periods or a département twice.
    """
    with drawings_written_at_save() as drawings:  # the drawings' XML goes straight into the package
        prs = build_territoire_deck(name, fiches, template=template)
        package = reproducible(prs, fiches[0].document_date, drawings)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(package)
