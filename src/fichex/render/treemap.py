"""The activities treemap as native, editable DrawingML: imports and exports blocks, a header, and a key.

The rectangles come from `fichex.render.geometry.trade_treemap`; this module decides what each compartment
shows and writes the group through `fichex.render.drawingml`. A compartment shows its whole name (wrapped,
never cut: two « Autres produits… » could not be told apart) and its value; one too small for that shows a
number, and a key under the blocks gives the number's name and value; one too small even for a number joins
« Autres » (its area and value go there). Text is laid out here, with Arial advance widths, so that labels
never overflow their compartment.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from pptx.shapes.group import GroupShape

from fichex.wording import deck as deck_text, grammar as grammar_text, numbers as numbers_text
from fichex.aggregation.model import EXPORT, IMPORT, ActivityTile
from fichex.render import theme
from fichex.render.drawingml import Run, Shapes, finish_group, new_group
from fichex.render.geometry import EMU_PER_INCH, EMU_PER_PT, Rect, TradeTreemap, trade_treemap
from fichex.render.text_fit import label_value_lines, line_height_emu, text_width_emu, wrap_words

# Look of the treemap (kept here rather than in theme.py: only this module uses them).
TREEMAP_BORDER = "FFFFFF"  # white separation between compartments
TREEMAP_OTHERS_TINT = 0.45  # « Autres » compartment: block colour mixed with 45 % white
TREEMAP_SIZES = (11.0, 10.0, 9.0)  # compartment label sizes tried in turn, pt (below 9 pt: unreadable on a screen)
TREEMAP_UPWARD_RATIO = 1.5    # a compartment this much taller than wide may hold its name upward
TREEMAP_PAD = int(0.05 * EMU_PER_INCH)         # inner margin of a compartment's name and value
TREEMAP_THIN_PAD = int(0.025 * EMU_PER_INCH)   # … narrower when a long word needs it
TREEMAP_NUMBER_PAD = int(0.02 * EMU_PER_INCH)  # a number needs less: it is centred
TREEMAP_BLOCK_GAP = 0.12      # in, between the imports and exports blocks
TREEMAP_KEY_GAP = 0.12        # in, between the blocks and the key under them
TREEMAP_KEY_COLUMN_GAP = 0.2  # in, between the key's columns
TREEMAP_KEY_MAX_SHARE = 0.35  # the key takes at most this share of the frame's height
TREEMAP_KEY_ARRANGEMENTS = ((3, 10.0), (4, 9.0))  # (columns, pt) of the key, tried in turn
TREEMAP_HEADER_PT = 12.0      # pt, the header line's size, shrunk (by half points, down to 9) to fit
TREEMAP_HEADER_MIN_PT = 9.0
TREEMAP_HEADER_SLIP = int(0.02 * EMU_PER_INCH)  # a block's total may sit this far from its block, no more
TREEMAP_BOTTOM_GAP = int(0.12 * EMU_PER_INCH)   # between the drawing and the bottom of its frame (the footer rule)
TREEMAP_HEADER_GAP = int(0.08 * EMU_PER_INCH)  # between the header and the blocks


class _Item(NamedTuple):
    label: str
    value: float
    others: bool


class _Tile(NamedTuple):
    """How one compartment is drawn: its item, rectangle (EMU), fill, and either its text or its number."""

    flow: str
    item: _Item
    x: int
    y: int
    w: int
    h: int
    fill: str
    size: float
    pad: int               # inner margin of the text
    lines: list            # [[Run, …], …]: name and value, or the number alone
    number: int | None     # the key's number, None when the name is written in the compartment
    upward: bool = False   # the name turned a quarter left, read from bottom to top (a tall, narrow compartment)


class DrawnTreemap(NamedTuple):
    """The drawn group, and what it shows of each flow for the sentences about it: per flow ("E", "I"),
    how many activities have a compartment of their own (named or numbered), and the value of « Autres »
    (None: no « Autres »)."""

    group: GroupShape
    activities: dict
    others_eur: dict


class _KeyEntry(NamedTuple):
    flow: str
    number: int
    label: str
    value_text: str


def _items(tiles: Sequence[ActivityTile]) -> list[_Item]:
    return [_Item(t.label, t.value_eur, t.is_others) for t in tiles if t.value_eur > 0]


def _fold_into_others(items: list[_Item], folded: set[int]) -> list[_Item]:
    """The items with those at `folded` (indices) added to « Autres » (made, last, if there was none)."""
    if not folded:
        return items
    moved = sum(items[k].value for k in folded)
    kept = [item for k, item in enumerate(items) if k not in folded]
    for k, item in enumerate(kept):
        if item.others:
            kept[k] = item._replace(value=item.value + moved)
            return kept
    return kept + [_Item(grammar_text.OTHERS_LABEL, moved, True)]


def _tile_fill(flow: str, item: _Item) -> str:
    colour = theme.FLOW_COLOUR[flow]
    return theme.mix_white(colour, TREEMAP_OTHERS_TINT) if item.others else colour


def _compartment_text(label: str, value_text: str, w: int, h: int,
                      colour: str) -> tuple[float, int, list[list[Run]], bool] | None:
    """Largest size at which the whole name (wrapped, up to three lines, a hyphenated word broken after its
    hyphen) and the value fit, with the usual margin, else with a thin one; else, in a compartment much
    taller than wide, the same turned upward: (size, margin, lines, upward), or None."""
    turns = (False, True) if h >= TREEMAP_UPWARD_RATIO * w else (False,)
    for upward in turns:
        across, along = (h, w) if upward else (w, h)
        for pad in (TREEMAP_PAD, TREEMAP_THIN_PAD):
            inner_w, inner_h = across - 2 * pad, along - 2 * pad
            if inner_w <= 0 or inner_h <= 0:
                continue
            for size in TREEMAP_SIZES:
                max_lines = int(inner_h // line_height_emu(size))
                if max_lines < 2 or text_width_emu(value_text, size) > inner_w:
                    continue
                label_lines = wrap_words(label, inner_w, size, True, min(max_lines - 1, 3), cut=False, hyphens=True)
                if label_lines is not None:
                    lines = [[Run(line, colour, True)] for line in label_lines] + [[Run(value_text, colour)]]
                    return size, pad, lines, upward
    return None


def _number_size(number: int, w: int, h: int) -> float | None:
    """Largest size at which the number fits the compartment (with a thin margin), else None."""
    pad = TREEMAP_NUMBER_PAD
    for size in TREEMAP_SIZES:
        if (text_width_emu(str(number), size, True) <= w - 2 * pad
                and line_height_emu(size) <= h - 2 * pad):
            return size
    return None


class _Key(NamedTuple):
    """The key under the blocks: its text size, number gutter, column width and rows (EMU, from its top)."""

    size: float
    gutter: int
    column_w: int
    height: int
    rows: list  # (entry, or None for a flow heading; flow; x offset; y offset; lines of runs)


def _key_layout(entries: Sequence[_KeyEntry], width: int, columns: int, size: float) -> _Key | None:
    """The key's entries in `columns` columns across `width`: each flow from the top of a column of its own
    when that makes the key no taller, else the columns filled top to bottom then left to right with even
    heights; a heading names the flow before its first entry. None if an entry does not fit its column."""
    apart = _key_layout_with(entries, width, columns, size, True)
    together = _key_layout_with(entries, width, columns, size, False)
    if apart is not None and (together is None or apart.height <= together.height):
        return apart
    return together


def _key_layout_with(entries: Sequence[_KeyEntry], width: int, columns: int, size: float,
                     flows_apart: bool) -> _Key | None:
    """The key of `_key_layout`, the second flow's heading at the top of a new column if `flows_apart`."""
    line_h = line_height_emu(size)
    gap = int(TREEMAP_KEY_COLUMN_GAP * EMU_PER_INCH)
    column_w = (width - (columns - 1) * gap) // columns
    gutter = max(text_width_emu(str(e.number), size, True) for e in entries) + text_width_emu("  ", size)
    blocks = []  # (flow heading or None, entry, lines): each kept whole in one column
    flow = None
    for entry in entries:
        lines = label_value_lines(entry.label, entry.value_text, column_w - gutter, size, 3)
        if (lines is None or not lines[0][0]
                or text_width_emu(grammar_text.FLOW_LABEL[entry.flow], size, True) > column_w):
            return None
        runs = [[Run(lab, theme.TEXT, True)] + ([Run(val, theme.MUTED)] if val else []) for lab, val in lines]
        blocks.append((entry.flow if entry.flow != flow else None, entry, runs))
        flow = entry.flow
    total = sum(len(runs) + (1 if heading else 0) for heading, _, runs in blocks)
    per_column = -(-total // columns)
    rows: list = []
    column, used, height = 0, 0, 0
    left_over = total  # lines not yet placed
    for heading, entry, runs in blocks:
        need = len(runs) + (1 if heading else 0)
        if used and (used + need > per_column or (flows_apart and heading)) and column < columns - 1:
            column, used = column + 1, 0
            if flows_apart and heading:  # the second flow spread evenly over the columns left
                per_column = -(-left_over // (columns - column))
        left_over -= need
        x = column * (column_w + gap)
        if heading:
            rows.append((None, heading, x, used * line_h,
                         [[Run(grammar_text.FLOW_LABEL[heading], theme.FLOW_COLOUR[heading], True)]]))
            used += 1
        rows.append((entry, entry.flow, x, used * line_h, runs))
        used += len(runs)
        height = max(height, used * line_h)
    return _Key(size, gutter, column_w, height, rows)


def _plan_treemap(exports: list[_Item], imports: list[_Item], left: int, top: int, width: int, height: int):
    """Blocks, compartments and key of the treemap within (left, top, width, height): of the key
    arrangements tried, the one that leaves the fewest compartments numbered or folded into « Autres »,
    the large ones counting more (then the shortest key).

    Returns (TradeTreemap, tiles, key) where key is None or a _Key for the bottom of the frame.
    """
    best = None
    total = sum(i.value for i in exports + imports) or 1.0
    for columns, size in TREEMAP_KEY_ARRANGEMENTS:
        plan = _plan_treemap_with(exports, imports, left, top, width, height, columns, size)
        tm, tiles, key = plan
        numbered = [t.item.value / total for t in tiles if t.number is not None]
        folded = len(exports) + len(imports) - len(tiles)
        score = (len(numbered) + 20 * sum(numbered) + 2 * folded, key.height if key else 0)
        if best is None or score < best[0]:
            best = (score, plan)
        if key is None:
            break  # every name fits: no key
    return best[1]




def _plan_treemap_with(exports: list[_Item], imports: list[_Item], left: int, top: int, width: int,
                       height: int, columns: int, size: float):
    """The plan of `_plan_treemap` with the key in `columns` columns at `size` pt."""
    gap = int(TREEMAP_BLOCK_GAP * EMU_PER_INCH)
    key_gap = int(TREEMAP_KEY_GAP * EMU_PER_INCH)
    folded: dict[str, set[int]] = {EXPORT: set(), IMPORT: set()}
    base = {EXPORT: exports, IMPORT: imports}
    key_h = 0
    max_key_h = int(height * TREEMAP_KEY_MAX_SHARE)
    entries: list[_KeyEntry] = []
    for _attempt in range(64):  # each pass folds a compartment or heightens the key: a few passes at most
        shown = {flow: _fold_into_others(base[flow], folded[flow]) for flow in (EXPORT, IMPORT)}
        blocks_h = height - (key_h + key_gap if key_h else 0)
        tm = trade_treemap([i.value for i in shown[EXPORT]], [i.value for i in shown[IMPORT]],
                           Rect(left, top, width, blocks_h), gap, keep_order=True)
        tiles, entries, too_small = _lay_tiles(shown, tm)
        if any(too_small.values()):
            # Fold the compartments too small for a number into « Autres ».
            for flow in (EXPORT, IMPORT):
                originals = [k for k in range(len(base[flow])) if k not in folded[flow]]
                folded[flow].update(originals[k] for k in too_small[flow])
            continue
        if not entries:
            return tm, tiles, None
        key = _key_layout(entries, width, columns, size)
        if key is not None and key.height <= key_h:
            return tm, tiles, key
        if key is not None and key.height <= max_key_h:
            key_h = key.height  # the blocks get lower: lay them out again (the key only ever grows)
            continue
        # The key is too long for its band: the smallest numbered compartment joins « Autres ».
        numbered = [t for t in tiles if t.number is not None and not t.item.others]
        if not numbered:
            break
        smallest = min(numbered, key=lambda t: (t.item.value, t.number))
        folded[smallest.flow].add(base[smallest.flow].index(smallest.item))
    # Only for frames far smaller than a slide's: the key on one column, whatever its height.
    return tm, tiles, _key_layout(entries, width, 1, TREEMAP_SIZES[-1]) if entries else None


def _named_texts(items: list[_Item], rects: list[tuple[int, int, int, int]], fills: list[str]) -> list:
    """Each compartment's name and value as `_compartment_text` fits them, or None where it is to be
    numbered: names go to the largest activities first, so that once one cannot show its name, no smaller
    one does (« Autres », which is not ranked, shows its name wherever it fits)."""
    fitted = [_compartment_text(item.label, numbers_text.meur(item.value), w, h, theme.text_colour_on(fill))
              for item, (_x, _y, w, h), fill in zip(items, rects, fills)]
    unnamed = [item.value for item, fit in zip(items, fitted) if fit is None and not item.others]
    if unnamed:
        limit = max(unnamed)  # the largest activity that cannot show its name: it and every smaller one numbered
        fitted = [None if not item.others and item.value <= limit else fit for item, fit in zip(items, fitted)]
    return fitted


def _lay_tiles(shown: dict[str, list[_Item]],
               tm: TradeTreemap) -> tuple[list[_Tile], list[_KeyEntry], dict[str, list[int]]]:
    """How each compartment of `tm` is drawn: named, or numbered with its key entry (numbers in drawing
    order, imports first); and per flow the indices (in `shown`) of those too small even for a number."""
    tiles: list[_Tile] = []
    entries: list[_KeyEntry] = []
    too_small: dict[str, list[int]] = {EXPORT: [], IMPORT: []}
    for flow, rects in ((IMPORT, tm.imports), (EXPORT, tm.exports)):
        placed = []  # (index in shown, item, (x, y, w, h)) of the compartments with an area
        for k, (item, rect) in enumerate(zip(shown[flow], rects)):
            x, y = int(round(rect.x)), int(round(rect.y))
            w, h = int(round(rect.x + rect.w)) - x, int(round(rect.y + rect.h)) - y
            if w > 0 and h > 0:
                placed.append((k, item, (x, y, w, h)))
        fills = [_tile_fill(flow, item) for _, item, _ in placed]
        texts = _named_texts([item for _, item, _ in placed], [r for _, _, r in placed], fills)
        for (k, item, (x, y, w, h)), fill, fitted in zip(placed, fills, texts):
            if fitted is not None:
                size, pad, lines, upward = fitted
                tiles.append(_Tile(flow, item, x, y, w, h, fill, size, pad, lines, None, upward))
                continue
            number = len(entries) + 1
            number_size = _number_size(number, w, h)
            if number_size is None and not item.others:
                too_small[flow].append(k)
                continue
            entries.append(_KeyEntry(flow, number, item.label, numbers_text.meur(item.value)))
            tiles.append(_Tile(flow, item, x, y, w, h, fill, number_size or TREEMAP_SIZES[-1],
                               TREEMAP_NUMBER_PAD, [[Run(str(number), theme.text_colour_on(fill), True)]], number))
    return tiles, entries, too_small


def _row_texts(items: list[tuple[str, str, int]], left: int, right: int, size: float) -> list[tuple[int, int]] | None:
    """Place header texts (text, colour, preferred x) on one line without overlap; None if they cannot."""
    placed = []
    gap = int(0.15 * EMU_PER_INCH)
    cursor = left
    for text, _colour, wanted in items:
        width = text_width_emu(text, size, True)
        x = max(wanted, cursor)
        placed.append((x, width))
        cursor = x + width + gap
    if placed and placed[-1][0] + placed[-1][1] > right:
        # Push everything back from the right edge, keeping order and gaps.
        limit = right
        for k in range(len(placed) - 1, -1, -1):
            x, width = placed[k]
            x = min(x, limit - width)
            placed[k] = (x, width)
            limit = x - gap
        if placed[0][0] < left:
            return None
    return placed



def _header_texts(exports: list[_Item], imports: list[_Item]) -> list[tuple[str, str]]:
    """(text, colour) of the header's three parts: the imports total, the exports total, the balance."""
    total_e = sum(i.value for i in exports)
    total_i = sum(i.value for i in imports)
    balance = total_e - total_i
    return [(deck_text.drawing_block_total(IMPORT, total_i), theme.IMPORT),
            (deck_text.drawing_block_total(EXPORT, total_e), theme.EXPORT),
            (numbers_text.balance_label(balance), theme.balance_colour(balance))]


def _header_size(header_texts: Sequence[str], width: int) -> float:
    """The header's largest size: TREEMAP_HEADER_PT, shrunk by half points (down to TREEMAP_HEADER_MIN_PT)
    until the widest text fits the width."""
    size = TREEMAP_HEADER_PT
    while size > TREEMAP_HEADER_MIN_PT and max(text_width_emu(t, size, True) for t in header_texts) > width:
        size -= 0.5
    return size


def _header_rows(wanted: list[tuple[str, str, int]], left: int, width: int, largest: float) -> tuple[list, float]:
    """The header texts (text, colour, preferred x) on the fewest lines where they fit with each block's
    total over its block (within TREEMAP_HEADER_SLIP; the balance, which has no block, may move left): all
    three on one line (its size down to 10 pt), then the two totals and the balance, then one a line.
    Returns (rows, size): each row lists ((text, colour, preferred x), (x, width)); no row at all if even
    one a line does not fit."""
    right = left + width
    for grouping, smallest in (([[0, 1, 2]], 10.0), ([[0, 1], [2]], TREEMAP_HEADER_MIN_PT),
                               ([[0], [1], [2]], TREEMAP_HEADER_MIN_PT)):
        size = largest
        while size >= smallest:
            rows = []
            for indices in grouping:
                items = [wanted[k] for k in indices]
                if len(items) == 1:  # alone on its line: as near its block as the line allows
                    text, colour, x = items[0]
                    items = [(text, colour, max(left, min(x, right - text_width_emu(text, size, True))))]
                placed = _row_texts(items, left, right, size)
                if placed is None or any(k != 2 and abs(x - wanted[k][2]) > TREEMAP_HEADER_SLIP
                                         for k, (x, _w) in zip(indices, placed) if len(indices) > 1):
                    break
                rows.append([(item, (x, min(w, right - x))) for item, (x, w) in zip(items, placed)])
            else:
                return rows, size
            size -= 0.5
    return [], largest


def draw_trade_treemap(slide, export_tiles: Sequence[ActivityTile], import_tiles: Sequence[ActivityTile],
                       frame_emu: tuple[int, int, int, int], *, name: str, alt_text: str) -> DrawnTreemap:
    """Draw the imports (blue, left) and exports (violet, right) treemap of activities as one group.

    Block widths are proportional to the import and export totals (one scale for every compartment).
    The compartments come from the aggregate (`Fiche.export_tiles`, `Fiche.import_tiles`: the largest
    activities and « Autres »). A header line above the blocks gives each total and the overall balance.
    Each compartment shows its whole name and value, or, when too small, a number that the key under
    the blocks explains (« 3 Sidérurgie 8.7 M€ »); a compartment too small even for a number is
    counted in « Autres ». Names go to the largest activities first; a tall, narrow compartment may hold
    its name upward; no text is under 9 pt. Text is white on the block colours and dark on the light
    « Autres » tint. The drawing keeps TREEMAP_BOTTOM_GAP clear at the bottom of the frame.

    Args:
        slide: a python-pptx slide.
        export_tiles, import_tiles: the compartments of each flow, « Autres » last.
        frame_emu: (left, top, width, height) of the whole drawing, header and key included, in EMU.
        name: the group's shape name.
        alt_text: the group's alternative text.

    Returns:
        The group and what it shows (`DrawnTreemap`): the sentences about « Autres » are written from it.
    """
    fx, fy, fw, fh = (int(v) for v in frame_emu)
    fh -= TREEMAP_BOTTOM_GAP
    group, shapes = new_group(slide, name, alt_text)
    exports = _items(export_tiles)
    imports = _items(import_tiles)
    headers = _header_texts(exports, imports)
    size = largest = _header_size([text for text, _ in headers], fw)

    def plan(n_header_lines: int):
        top = fy + n_header_lines * line_height_emu(size) + TREEMAP_HEADER_GAP
        return _plan_treemap(exports, imports, fx, top, fw, fy + fh - top)

    # Where the blocks go decides where the headers go: lay out once with a one-line header.
    tm, tiles, key = plan(1)
    balance_text, balance_colour = headers[2]
    wanted = [(*headers[0], int(tm.imports_block.x)), (*headers[1], int(tm.exports_block.x)),
              (balance_text, balance_colour, fx + fw - text_width_emu(balance_text, size, True))]
    header_rows, size = _header_rows(wanted, fx, fw, size)
    if len(header_rows) > 1 or size != largest:
        tm, tiles, key = plan(len(header_rows))  # the blocks' widths, hence the headers' places, stay
    _draw_header(shapes, name, header_rows, fy, size)
    _draw_tiles(shapes, tiles)
    if key is not None:
        key_top = (int(round(max(tm.imports_block.bottom, tm.exports_block.bottom)))
                   + int(TREEMAP_KEY_GAP * EMU_PER_INCH))
        _draw_key(shapes, name, key, fx, key_top)
    activities = {flow: sum(1 for t in tiles if t.flow == flow and not t.item.others) for flow in (EXPORT, IMPORT)}
    others = {flow: next((t.item.value for t in tiles if t.flow == flow and t.item.others), None)
              for flow in (EXPORT, IMPORT)}
    return DrawnTreemap(finish_group(slide, group, shapes, frame_emu), activities, others)


def _draw_header(shapes: Shapes, name: str, header_rows: list, top: int, size: float) -> None:
    """The header's text boxes, one line each, from `top` down."""
    header_h = line_height_emu(size)
    for r, row_items in enumerate(header_rows):
        for (text, colour, _), (x, width) in row_items:
            shapes.text(deck_text.DRAWING_PART_NAME.format(drawing=name, part=text.split(' :')[0]), x, top + r * header_h,
                        width, header_h, [[Run(text, colour, True)]], size, anchor="ctr")


def _draw_tiles(shapes: Shapes, tiles: Sequence[_Tile]) -> None:
    """The compartments: filled rectangles with a white border holding their name and value, or number."""
    border = int(1.5 * EMU_PER_PT)
    for tile in tiles:
        flow_label = grammar_text.FLOW_LABEL[tile.flow]
        value_text = numbers_text.meur(tile.item.value)
        shape_name = deck_text.TREEMAP_COMPARTMENT_NAME.format(flow=flow_label, label=tile.item.label)
        descr = deck_text.TREEMAP_COMPARTMENT_ALT.format(flow=flow_label, label=tile.item.label, value=value_text)
        numbered = tile.number is not None
        shapes.text(shape_name, tile.x, tile.y, tile.w, tile.h, tile.lines, tile.size, descr=descr,
                    fill=tile.fill, line=TREEMAP_BORDER, line_w=border, inset=tile.pad,
                    align="ctr" if numbered else "l", anchor="ctr" if numbered else "t", upward=tile.upward)


def _draw_key(shapes: Shapes, name: str, key: _Key, left: int, top: int) -> None:
    """The key's flow headings and entries (a number, then the name and value), from (left, top)."""
    line_h = line_height_emu(key.size)
    for entry, flow, dx, dy, lines in key.rows:
        x, y = left + dx, top + dy
        if entry is None:
            shapes.text(deck_text.DRAWING_PART_NAME.format(drawing=name, part=grammar_text.FLOW_LABEL[flow]), x, y,
                        key.column_w, line_h, lines, key.size, anchor="ctr")
            continue
        entry_name = deck_text.TREEMAP_KEY_ENTRY_NAME.format(number=entry.number, label=entry.label)
        shapes.text(entry_name, x, y, key.gutter, line_h,
                    [[Run(str(entry.number), theme.FLOW_COLOUR[flow], True)]], key.size, anchor="ctr")
        shapes.text(entry_name, x + key.gutter, y, key.column_w - key.gutter, len(lines) * line_h, lines,
                    key.size)
