"""Text fitting for the drawings and the decks: Arial advance widths, one-line widths, shortening with « … »,
word wrap, the size at which a text fits its box, and the layout of a table whose text must fit.

Pure functions (strings and numbers in, numbers out): the drawings lay their labels out with them so that
a label is shortened or hidden by one rule and never overflows its rectangle.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from fichex.render.geometry import EMU_PER_INCH, EMU_PER_PT

LINE_SPACING = 1.2         # line height / font size used for text layout
ELLIPSIS = "…"

# Advance widths of Arial / Liberation Sans (metric-compatible), 1/1000 em, for ASCII 32..126.
_ASCII_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778,
    722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278,
    278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)
_ASCII_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778,
    722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333,
    278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584)
_OTHER_WIDTHS = {"«": 556, "»": 556, "€": 556, "’": 222, "…": 1000, "–": 556, "—": 1000, "œ": 944,
                 "æ": 889, "Œ": 1000, "Æ": 1000, "\u00a0": 278, "\u202f": 200, "·": 278, "×": 584, "\u2212": 584}
_WIDTH_CACHE: dict[tuple[str, bool], int] = {}


def _char_width(ch: str, bold: bool) -> int:
    key = (ch, bold)
    width = _WIDTH_CACHE.get(key)
    if width is None:
        base = ch if ch in _OTHER_WIDTHS else (unicodedata.normalize("NFD", ch)[:1] or ch)
        code = ord(base)
        if 32 <= code < 127:
            width = (_ASCII_BOLD if bold else _ASCII_REGULAR)[code - 32]
        else:
            width = _OTHER_WIDTHS.get(base, 611)
        _WIDTH_CACHE[key] = width
    return width


@functools.lru_cache(maxsize=16384)
def _units(text: str, bold: bool) -> int:
    # Memoised: the drawings measure the same labels many times while they try sizes and layouts.
    return sum(_char_width(ch, bold) for ch in text)


def text_width_emu(text: str, size_pt: float, bold: bool = False) -> int:
    """Rendered width of a one-line text in Arial, in EMU (a 4 % margin covers hinting and kerning)."""
    return int(_units(text, bold) * size_pt * EMU_PER_PT * 1.04 / 1000) + 1


def line_height_emu(size_pt: float) -> int:
    """The height of one line of text at `size_pt`, in EMU (LINE_SPACING times the size)."""
    return int(size_pt * LINE_SPACING * EMU_PER_PT)


def shorten(text: str, max_width: int, size_pt: float, bold: bool = False, min_chars: int = 3) -> str | None:
    """`text` if it fits `max_width`, else cut (at a word end when possible) with « … »; None if hopeless."""
    if text_width_emu(text, size_pt, bold) <= max_width:
        return text
    budget = max_width - text_width_emu(ELLIPSIS, size_pt, bold)
    width = 0
    cut = 0
    for k, ch in enumerate(text):
        width += _char_width(ch, bold) * size_pt * EMU_PER_PT * 1.04 / 1000
        if width > budget:
            break
        cut = k + 1
    if cut < min_chars:
        return None
    head = text[:cut]
    space = head.rfind(" ")
    if space >= max(min_chars, cut * 0.6):  # cut at a word end unless it loses too much
        head = head[:space]
    return head.rstrip(" ,;:-–'’") + ELLIPSIS


def words_of(text: str) -> list[str]:
    """The words a line may break between: split at ordinary spaces only, so that a no-break space (« 1 109.1 »,
    « 12 M€ », « « Autres » ») keeps what it joins on one line."""
    return [word for word in text.split(" ") if word]


def _pieces(text: str, hyphens: bool) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether it is glued to the one before (no space): the
    words, and with `hyphens` the parts of a hyphenated word, the hyphen kept on the left (« Machines- »,
    « outils »)."""
    pieces: list[tuple[str, bool]] = []
    for word in words_of(text):
        parts = word.split("-") if hyphens else [word]
        for k, part in enumerate(parts):
            piece = part + ("-" if k < len(parts) - 1 else "")
            if piece:
                pieces.append((piece, k > 0))
    return pieces


def wrap_words(text: str, max_width: int, size_pt: float, bold: bool, max_lines: int,
               min_chars: int = 3, *, cut: bool = True, hyphens: bool = False) -> list[str] | None:
    """Greedy word wrap into at most `max_lines` lines, the last one shortened with « … » if needed
    (with `cut=False`: None instead, the text is shown whole or not at all). With `hyphens`, a hyphenated
    word may also break after its hyphen (« Machines-/outils »): no letter is cut, nothing is added.

    Memoised (a new list each time): the drawings wrap the same labels at the same widths while they try
    sizes and layouts, three times in four over a batch's decks."""
    lines = _wrapped(text, max_width, size_pt, bold, max_lines, min_chars, cut, hyphens)
    return None if lines is None else list(lines)


@functools.lru_cache(maxsize=16384)  # about 8 MB when full; a batch of the 101 départements asks fewer
def _wrapped(text: str, max_width: float, size_pt: float, bold: bool, max_lines: int, min_chars: int, cut: bool,
             hyphens: bool) -> tuple[str, ...] | None:
    lines = _wrap(text, max_width, size_pt, bold, max_lines, min_chars, cut, hyphens)
    return None if lines is None else tuple(lines)


def _wrap(text: str, max_width: float, size_pt: float, bold: bool, max_lines: int, min_chars: int, cut: bool,
          hyphens: bool) -> list[str] | None:
    pieces = _pieces(text, hyphens)
    lines: list[str] = []
    current = ""
    k = 0
    while k < len(pieces):
        piece, glued = pieces[k]
        candidate = (current + piece if glued else f"{current} {piece}") if current else piece
        if text_width_emu(candidate, size_pt, bold) <= max_width:
            current = candidate
            k += 1
            continue
        if not current:  # one word wider than the line
            current = piece
            k += 1
        lines.append(current)
        current = ""
        if len(lines) == max_lines:
            break
    if current and len(lines) < max_lines:
        lines.append(current)
    if k < len(pieces) or any(text_width_emu(line, size_pt, bold) > max_width for line in lines):
        # Text left over or a word too long: shorten the last line to end with « … ».
        if not lines or not cut:
            return None
        rest = "".join(piece if glued else f" {piece}" for piece, glued in pieces[k:])
        short = shorten(lines[-1] + rest, max_width, size_pt, bold, min_chars=min_chars)
        if short is None:
            return None
        lines[-1] = short
        if any(text_width_emu(line, size_pt, bold) > max_width for line in lines):
            return None
    return lines


def label_value_lines(label: str, value: str, max_width: int, size_pt: float, max_lines: int, *,
                      min_chars: int = 3) -> list[tuple[str, str]] | None:
    """A bold label followed by a regular value, wrapped into at most `max_lines` lines of `max_width`.

    The value is never split (its thousands are separated by spaces) and ends the last line, or takes a
    line of its own when the label's last line has no room for it. The label's words wrap whole; only when
    `max_lines` cannot hold them is the label's end shortened with « … » (None if even that fails).

    Returns:
        One (label part, value part) pair per line, either part possibly empty; the value is in the last.
    """
    value_w = text_width_emu(value, size_pt)
    if value_w > max_width or max_lines < 1:
        return None
    tail_w = text_width_emu(" " + value, size_pt)
    whole = wrap_words(label, max_width, size_pt, True, max_lines, cut=False)
    if whole is not None:
        if text_width_emu(whole[-1], size_pt, True) + tail_w <= max_width:
            return [(line, "") for line in whole[:-1]] + [(whole[-1], " " + value)]
        if len(whole) < max_lines:
            return [(line, "") for line in whole] + [("", value)]
    # The label must be shortened: whole words on the first lines, the rest cut with « … » before the value.
    words = words_of(label)
    head: list[str] = []
    k = 0
    while len(head) < max_lines - 1 and k < len(words) and text_width_emu(words[k], size_pt, True) <= max_width:
        line = words[k]
        k += 1
        while k < len(words) and text_width_emu(f"{line} {words[k]}", size_pt, True) <= max_width:
            line = f"{line} {words[k]}"
            k += 1
        head.append(line)
    short = shorten(" ".join(words[k:]), max_width - tail_w, size_pt, True, min_chars=min_chars)
    if short is not None:
        return [(line, "") for line in head] + [(short, " " + value)]
    # No room beside the value: the label (cut) above it, or the value alone.
    lines = (wrap_words(label, max_width, size_pt, True, max_lines - 1, min_chars=min_chars)
             if max_lines > 1 else None)
    return [(line, "") for line in lines or []] + [("", value)]


# --------------------------------------------------------------------------------------------------------
# Boxes and tables: the size at which a text fits, a table's cells and geometry
# --------------------------------------------------------------------------------------------------------
# Placeholder insets of the bundled template (0.08 in), kept when a text's size is chosen to fit its box.
INSET = 73152
TABLE_SIZES = (12, 11, 10, 9)             # a table's text, the largest that fits
COLUMN_MAX = int(2.8 * EMU_PER_INCH)      # a value column: no wider, so its figures stay near the labels
LABEL_SHARE_MAX = 0.4                     # the label column: as wide as its longest label, at most this
CELL_MARGIN_X = int(0.06 * EMU_PER_INCH)
CELL_MARGIN_Y = int(0.03 * EMU_PER_INCH)


def fitting_size(text: str, width: int, height: int, sizes: Sequence[float], bold: bool = False) -> float:
    """The first of `sizes` at which `text`, word-wrapped in a box `width` × `height` (EMU, insets
    included), fits; the last one when none does."""
    inner_w, inner_h = width - 2 * INSET, height - 2 * INSET
    for size in sizes:
        lines = wrap_words(text, inner_w, size, bold, 99, cut=False)
        if lines is not None and len(lines) * line_height_emu(size) <= inner_h:
            return size
    return sizes[-1]


Cell = tuple[tuple[str, bool], ...]  # paragraphs of a cell: (text, bold)


@dataclass(frozen=True)
class TableLayout:
    """A table's text size and its columns' widths and rows' heights, in EMU."""

    size_pt: float
    col_widths: tuple[int, ...]
    row_heights: tuple[int, ...]


def cell_lines(cell: Cell, width: int, size: float) -> int:
    """How many lines a cell's paragraphs take, word-wrapped in a column `width` wide (margins included)."""
    inner = width - 2 * CELL_MARGIN_X
    total = 0
    for text, bold in cell:
        lines = wrap_words(text, inner, size, bold, 99, cut=False)
        total += len(lines) if lines else max(1, -(-text_width_emu(text, size, bold) // inner))
    return total


def _label_width(rows: Sequence[Sequence[Cell]], width: int, size: float) -> int:
    longest = max(text_width_emu(text, size, bold) for row in rows for text, bold in row[0])
    return min(longest + 2 * CELL_MARGIN_X + 1, int(width * LABEL_SHARE_MAX))


def table_layout(rows: Sequence[Sequence[Cell]], width: int, height: int) -> TableLayout:
    """The largest of TABLE_SIZES at which every row's wrapped text fits `height` in all; the first column
    as wide as its longest label, the others sharing the rest; rows as tall as their tallest cell
    (PowerPoint and LibreOffice grow a row to its text, never shrink the text)."""
    n_cols = len(rows[0])
    heights: tuple[int, ...] = ()
    for size in TABLE_SIZES:
        label_w = _label_width(rows, width, size)
        other = min((width - label_w) // max(n_cols - 1, 1), COLUMN_MAX)
        widths = (label_w, *([other] * (n_cols - 1)))
        line = line_height_emu(size)
        heights = tuple(max(cell_lines(cell, w, size) for cell, w in zip(row, widths)) * line + 2 * CELL_MARGIN_Y
                        + line // 4 for row in rows)
        if sum(heights) <= height:
            break
    return TableLayout(size, widths, heights)


def text_height(paragraphs: Sequence, width: int) -> int:
    """Height of paragraphs (each with `text`, `size` and `bold`, as a deck's Para) word-wrapped in a box
    `width` wide without insets."""
    return sum(len(wrap_words(p.text, width, p.size, bool(p.bold), 99, cut=False) or [p.text])
               * line_height_emu(p.size) for p in paragraphs)
