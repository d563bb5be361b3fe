"""The map of France by département, as native editable shapes: one freeform per territory, coloured by exports.

The outlines come from `data/carte_departements.json` (built once by `scripts/build_map.py`: simplified,
shared borders kept shared, DROM as insets, integer units). Each territory is one `p:sp` with a custom
geometry (one `a:path` per ring), written as XML through `drawingml.Shapes.freeform`, so the whole map is
one group parsed once. Fills are five quantile classes of one hue; the fiche's territory is drawn last, with a
thick dark outline between two white edges, so it stands out on any class.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Collection, NamedTuple, Sequence

from fichex.wording import deck as deck_text
from fichex.aggregation.model import TerritoryExports
from fichex.render import theme
from fichex.render.drawingml import Run, Shapes, finish_group, new_group
from fichex.render.geometry import EMU_PER_INCH, EMU_PER_PT
from fichex.resources import reference_dir

MAP_FILE = "carte_departements.json"
# Five classes of one hue (light to dark violet, the exports colour): every class differs from its
# neighbours, and the lightest stays visible on white.
CLASS_FILLS = ("E2D1EC", "CDB3E0", "A982C6", "7B3FA0", "4A2262")
BORDER = "FFFFFF"
BORDER_W = int(0.5 * EMU_PER_PT)
TARGET_LINE = "1F2933"
TARGET_W = int(2.25 * EMU_PER_PT)
TARGET_HALO_W = int(5.5 * EMU_PER_PT)
INSET_LINE = "B8BEC6"
INSET_W = int(0.75 * EMU_PER_PT)
MARKER_MIN = int(0.3 * EMU_PER_INCH)  # a target smaller than this (Paris, its neighbours) gets a ring around it
LEGEND_W = int(1.75 * EMU_PER_INCH)
LEGEND_GAP = int(0.15 * EMU_PER_INCH)
LEGEND_PT = 10.0
LEGEND_ROW = int(0.26 * EMU_PER_INCH)
SWATCH = int(0.18 * EMU_PER_INCH)


@lru_cache(maxsize=1)
def map_data() -> dict:
    """The simplified outlines: {"width", "height", "insets": {code: [x, y, w, h]}, "territories": {code: rings}}."""
    return json.loads((reference_dir() / MAP_FILE).read_text(encoding="utf-8"))


def inset_codes() -> list[str]:
    """The overseas territories drawn as insets, top to bottom."""
    return [code for code, _ in sorted(map_data()["insets"].items(), key=lambda item: (item[1][1], item[1][0]))]


class MapClass(NamedTuple):
    """One class of the map: its bounds (euros of exports), fill and key label."""

    low: float
    high: float
    fill: str
    label: str


def quantile_classes(values: Sequence[float], n: int = len(CLASS_FILLS)) -> list[MapClass]:
    """Five classes of (nearly) equal counts; class k holds the values v with bounds[k] <= v < bounds[k+1],
    the last one up to and including the maximum."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = [ordered[min(len(ordered) - 1, (len(ordered) * k) // n)] for k in range(n)] + [ordered[-1]]
    classes = []
    for k in range(n):
        low, high = bounds[k], bounds[k + 1]
        classes.append(MapClass(low, high, CLASS_FILLS[k], deck_text.map_class_label(low, high, k == 0, k == n - 1)))
    return classes


def class_of(value: float, classes: Sequence[MapClass]) -> int:
    """Index of the class holding `value`: the last class whose lower bound it reaches."""
    index = 0
    for k, c in enumerate(classes):
        if k == 0 or value >= c.low:
            index = k
    return index


def drawn_territories(territories: Sequence[TerritoryExports]) -> tuple[list[TerritoryExports], list[TerritoryExports]]:
    """(drawn, skipped): the territories the map file has an outline for, and the others (Monaco)."""
    outlines = map_data()["territories"]
    drawn = [t for t in territories if t.code in outlines]
    skipped = [t for t in territories if t.code not in outlines]
    return drawn, skipped


def _path_xml(rings: Sequence[Sequence[int]], x0: int, y0: int, w: int, h: int) -> str:
    """One closed `a:path` per ring (flat x, y list in map units), in the coordinates of the box (x0, y0, w, h)."""
    parts = []
    for ring in rings:
        pts = [(ring[i] - x0, ring[i + 1] - y0) for i in range(0, len(ring), 2)]
        body = "".join(f'<a:lnTo><a:pt x="{x}" y="{y}"/></a:lnTo>' for x, y in pts[1:])
        parts.append(f'<a:path w="{w}" h="{h}"><a:moveTo><a:pt x="{pts[0][0]}" y="{pts[0][1]}"/></a:moveTo>'
                     f'{body}<a:close/></a:path>')
    return "".join(parts)


def _freeform(shapes: Shapes, name: str, descr: str | None, code: str, ox: int, oy: int, scale: float,
              fill: str | None, line: str, line_w: int) -> None:
    """One territory: its rings as one freeform, placed at (ox, oy) + map units × `scale`, round-lined."""
    ex, ey, ew, eh, paths = placed_outline(code, ox, oy, scale)
    shapes.freeform(name, ex, ey, ew, eh, paths, descr=descr, fill=fill, line=line, line_w=line_w, rounded=True)


@lru_cache(maxsize=1024)
def placed_outline(code: str, ox: int, oy: int, scale: float) -> tuple[int, int, int, int, str]:
    """A territory's box in EMU at (ox, oy) + map units × `scale`, and its `a:path` elements: the same in
    every deck of a process, so computed once."""
    rings = map_data()["territories"][code]
    xs = [v for ring in rings for v in ring[0::2]]
    ys = [v for ring in rings for v in ring[1::2]]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    w, h = max(x1 - x0, 1), max(y1 - y0, 1)
    ex, ey = ox + round(x0 * scale), oy + round(y0 * scale)
    ew, eh = max(round(w * scale), 1), max(round(h * scale), 1)
    return ex, ey, ew, eh, _path_xml(rings, x0, y0, w, h)


def map_layout(frame: tuple[int, int, int, int]) -> tuple[int, int, float, tuple[int, int, int, int]]:
    """(x, y, scale, legend frame): the map's origin and units→EMU scale within `frame`, legend at its right."""
    fx, fy, fw, fh = frame
    data = map_data()
    room = fw - LEGEND_W - LEGEND_GAP
    scale = min(room / data["width"], fh / data["height"])
    map_w, map_h = round(data["width"] * scale), round(data["height"] * scale)
    ox, oy = fx, fy + (fh - map_h) // 2
    legend = (ox + map_w + LEGEND_GAP, oy, fx + fw - (ox + map_w + LEGEND_GAP), map_h)
    return ox, oy, scale, legend


def draw_export_map(slide, territories: Sequence[TerritoryExports], target: str | Collection[str],
                    frame: tuple[int, int, int, int], *, year_label: str, alt_text: str):
    """Draw the map group in `frame`, the target territory outlined (a région's fiche: each of its
    territories; France's: none); returns the group shape."""
    targets = {target} if isinstance(target, str) else set(target)
    data = map_data()
    drawn, _ = drawn_territories(territories)
    classes = quantile_classes([t.exports_eur for t in drawn])
    group, shapes = new_group(slide, deck_text.MAP_GROUP_NAME, alt_text)
    ox, oy, scale, legend = map_layout(frame)
    names = {t.code: t.nom for t in drawn}
    for code, (ix, iy, iw, ih) in sorted(data["insets"].items()):
        if code in names:
            inset = deck_text.MAP_INSET_NAME.format(code=code, nom=names[code])
            shapes.rect(inset, ox + round(ix * scale), oy + round(iy * scale), round(iw * scale), round(ih * scale),
                        None, descr=inset, line=INSET_LINE, line_w=INSET_W)
    target_items = []
    for t in drawn:
        if t.code in targets:
            target_items.append(t)
            continue
        _freeform(shapes, deck_text.MAP_SHAPE_NAME.format(code=t.code, nom=t.nom),
                  deck_text.map_shape_alt(t.nom, t.exports_eur, year_label), t.code,
                  ox, oy, scale, classes[class_of(t.exports_eur, classes)].fill, BORDER, BORDER_W)
    # The filled shapes with a wide white border, then the dark outlines alone on top: white on both sides
    # of the dark line keeps it visible on the darkest class as on the lightest.
    for t in target_items:
        _freeform(shapes, deck_text.MAP_SHAPE_NAME.format(code=t.code, nom=t.nom),
                  deck_text.map_shape_alt(t.nom, t.exports_eur, year_label), t.code, ox, oy, scale,
                  classes[class_of(t.exports_eur, classes)].fill, theme.WHITE, TARGET_HALO_W)
    for t in target_items:
        rings = data["territories"][t.code]
        outline = deck_text.MAP_TARGET_OUTLINE_NAME.format(code=t.code, nom=t.nom)
        _freeform(shapes, outline, outline, t.code, ox, oy, scale, None, TARGET_LINE, TARGET_W)
        if len(target_items) == 1:  # a région's small territories (Paris) are inside its outline
            _mark_small_target(shapes, t, rings, ox, oy, scale)
    _draw_legend(shapes, classes, legend)
    return finish_group(slide, group, shapes, frame)


def _mark_small_target(shapes: Shapes, t: TerritoryExports, rings, ox: int, oy: int, scale: float) -> None:
    """A ring around a target too small to see its outline at slide size."""
    xs = [v for ring in rings for v in ring[0::2]]
    ys = [v for ring in rings for v in ring[1::2]]
    w, h = (max(xs) - min(xs)) * scale, (max(ys) - min(ys)) * scale
    if max(w, h) >= MARKER_MIN:
        return
    cx, cy = ox + (min(xs) + max(xs)) * scale / 2, oy + (min(ys) + max(ys)) * scale / 2
    d = MARKER_MIN + int(max(w, h))
    x, y = round(cx - d / 2), round(cy - d / 2)
    marker = deck_text.MAP_MARKER_NAME.format(code=t.code, nom=t.nom)
    shapes.ellipse(marker, x, y, d, d, None, descr=marker, line=TARGET_LINE, line_w=TARGET_W)


def _draw_legend(shapes: Shapes, classes: Sequence[MapClass], frame: tuple[int, int, int, int]) -> None:
    """The key at the bottom of `frame`: a title, then one swatch and label per class, darkest first."""
    lx, ly, lw, lh = frame
    top = ly + lh - LEGEND_ROW * (len(classes) + 1)
    shapes.text(deck_text.MAP_LEGEND_TITLE, lx, top, lw, LEGEND_ROW, [[Run(deck_text.MAP_LEGEND_TITLE, theme.TEXT, True)]],
                LEGEND_PT, anchor="ctr")
    # Darkest class first, as the map reads: the largest exporters at the top of the key.
    for row, (number, c) in enumerate(reversed(list(enumerate(classes, 1)))):
        y = top + LEGEND_ROW * (row + 1)
        name = deck_text.MAP_LEGEND_NAME.format(number=number, label=c.label)
        shapes.rect(name, lx, y + (LEGEND_ROW - SWATCH) // 2, SWATCH, SWATCH, c.fill, descr=name, line=INSET_LINE,
                    line_w=int(0.5 * EMU_PER_PT))
        gap = SWATCH + int(0.08 * EMU_PER_INCH)
        shapes.text(name + " (texte)", lx + gap, y, lw - gap, LEGEND_ROW, [[Run(c.label, theme.TEXT)]], LEGEND_PT,
                    anchor="ctr")
