"""Text fitting: Arial widths, shortening with « … », word wrap within a width and a number of lines, the size
at which a text fits its box, a table's layout."""

from __future__ import annotations

import pytest

from fichex.wording import territoire as territoire_text
from fichex.aggregation.territoire import departement_figures
from fichex.render.geometry import EMU_PER_PT
from fichex.render.pptx.slides import Para
from fichex.render.pptx.territoire import comparison_cells
from fichex.render.text_fit import (CELL_MARGIN_X, ELLIPSIS, cell_lines, fitting_size, label_value_lines,
                                    line_height_emu, shorten, table_layout, text_height, text_width_emu, wrap_words)

LABEL = "Produits pharmaceutiques de base"


def test_text_width_emu():
    assert text_width_emu("", 10) == 1
    # « i » is narrower than « m », bold wider than regular, width grows with the size.
    assert text_width_emu("iiii", 10) < text_width_emu("mmmm", 10)
    assert text_width_emu("Italie", 10) < text_width_emu("Italie", 10, bold=True)
    assert text_width_emu("Italie", 20) == pytest.approx(2 * text_width_emu("Italie", 10), abs=2)
    # Arial « M » is 833/1000 em, plus the 4 % margin.
    assert text_width_emu("M", 10) == int(833 * 10 * EMU_PER_PT * 1.04 / 1000) + 1
    # Accented letters take the width of their base letter; the French guillemets and « € » are known.
    assert text_width_emu("é", 10) == text_width_emu("e", 10)
    assert text_width_emu("« 12 € »", 10) > text_width_emu("12", 10)


def test_line_height_emu():
    assert line_height_emu(10) == int(10 * 1.2 * EMU_PER_PT)


def test_shorten():
    assert shorten("Italie", 10**7, 10) == "Italie"
    short = shorten(LABEL, text_width_emu("Produits pharma", 10), 10)
    assert short.endswith("…") and text_width_emu(short, 10) <= text_width_emu("Produits pharma", 10)
    assert shorten("Produits", 10, 10) is None


def test_shorten_cuts_at_a_word_end_when_it_loses_little():
    width = text_width_emu("Produits pharmaceutiques de b", 10)
    assert shorten(LABEL, width, 10) == "Produits pharmaceutiques" + ELLIPSIS


def test_wrap_words_fits_the_lines_within_the_width():
    width = text_width_emu("Produits pharmaceutiques", 10)
    assert wrap_words(LABEL, width, 10, False, 3) == ["Produits pharmaceutiques", "de base"]
    lines = wrap_words(LABEL + " et autres préparations", width, 10, True, 3)
    assert len(lines) <= 3
    assert all(text_width_emu(line, 10, True) <= width for line in lines)


def test_wrap_words_ends_with_an_ellipsis_when_cut():
    width = text_width_emu("Produits pharmaceutiques", 10)
    lines = wrap_words(LABEL + " et autres préparations", width, 10, False, 2)
    assert len(lines) == 2
    assert lines[0] == "Produits pharmaceutiques"
    assert lines[-1].endswith(ELLIPSIS)
    assert all(text_width_emu(line, 10) <= width for line in lines)
    assert wrap_words(LABEL, width, 10, False, 1) == [shorten(LABEL, width, 10)]


def test_wrap_words_too_narrow_is_hopeless():
    assert wrap_words(LABEL, 10, 10, False, 2) is None
    assert wrap_words("Produits", text_width_emu("Pr", 10), 10, False, 3) is None


def test_wrap_words_without_cut_is_whole_or_nothing():
    width = text_width_emu("Autres produits", 9, True)
    assert wrap_words("Autres produits chimiques", width, 9, True, 2, cut=False) == ["Autres produits", "chimiques"]
    assert wrap_words("Autres produits chimiques", width, 9, True, 1, cut=False) is None
    assert wrap_words("Autres produits chimiques", width // 2, 9, True, 3, cut=False) is None  # a word too wide


def test_label_value_lines():
    value = "1 567.2 M€"
    one = text_width_emu("Boissons", 9, True) + text_width_emu(" " + value, 9)
    assert label_value_lines("Boissons", value, one, 9, 2) == [("Boissons", " " + value)]
    # Too narrow for one line: the name wraps whole, the value ends the last line, never split.
    lines = label_value_lines("Équipements de communication", value, text_width_emu("communication 1 567.2 M€", 9, True)
                              + 2, 9, 2)
    assert lines == [("Équipements de", ""), ("communication", " " + value)]
    # The value on a line of its own when the name's last line has no room for it.
    width = text_width_emu("Équipements de communication", 9, True)
    assert label_value_lines("Équipements de communication", value, width, 9, 2) == [
        ("Équipements de communication", ""), ("", value)]
    # Not enough lines: the name's end is cut with « … », the value stays whole.
    lines = label_value_lines("Équipements de communication et de télévision", value, width, 9, 1)
    assert len(lines) == 1 and lines[0][0].endswith("…") and lines[0][1] == " " + value
    for label, val in lines:
        assert text_width_emu(label, 9, True) + text_width_emu(val, 9) <= width
    assert label_value_lines("Boissons", value, text_width_emu(value, 9) - 10, 9, 2) is None


# --------------------------------------------------------------------------------------------------------
# Boxes and tables
# --------------------------------------------------------------------------------------------------------
def test_fitting_size_shrinks_a_long_text_only():
    width, height = 7_315_200, 731_520
    assert fitting_size("Court", width, height, (24, 20, 16)) == 24
    long = territoire_text.ti_cover_subtitle("Pays de Bernay, de Conches, du Neubourg et du Sud de l’Eure")
    assert fitting_size(long, width, height, (24, 20, 16)) < 24


def test_table_layout_fits_the_height_given(ti_fiches):
    _, fiches = ti_fiches
    rows = comparison_cells([departement_figures(f) for f in fiches])
    layout = table_layout(rows, 11_000_000, 4_000_000)
    assert sum(layout.row_heights) <= 4_000_000
    assert len(layout.col_widths) == len(fiches) + 1 and sum(layout.col_widths) <= 11_000_000


def test_cell_lines_counts_each_paragraph_wrapped():
    width = text_width_emu("Produits pharmaceutiques", 10) + 2 * CELL_MARGIN_X + 1
    assert cell_lines(((LABEL, False),), width, 10) == 2
    assert cell_lines(((LABEL, False), ("Italie", True)), width, 10) == 3


def test_text_height_is_lines_times_line_height():
    paragraphs = [Para("Court", size=10), Para(LABEL, size=10, bold=True)]
    assert text_height(paragraphs, 10**8) == 2 * line_height_emu(10)


def test_wrapping_is_memoised_but_each_answer_is_a_new_list():
    from fichex.render import text_fit

    args = ("Machines-outils et équipements mécaniques", 900_000, 9.0, True, 2)
    first = text_fit.wrap_words(*args, hyphens=True)
    first.append("changé par l'appelant")
    hits = text_fit._wrapped.cache_info().hits
    again = text_fit.wrap_words(*args, hyphens=True)
    assert text_fit._wrapped.cache_info().hits == hits + 1
    assert again == text_fit._wrap(*args, 3, True, True) and "changé par l'appelant" not in again
    assert text_fit.wrap_words("un mot", 10, 9.0, False, 1, cut=False) is None
