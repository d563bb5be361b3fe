"""What the drawing tests share (test_drawingml, test_treemap, test_sankey): frames, sample flows and
activities, a blank slide, reopening a deck, and reading fills and text colours back."""

from __future__ import annotations

import io
import re

from pptx import Presentation
from pptx.util import Inches

from fichex.aggregation.aggregate import activity_tiles
from fichex.aggregation.model import ActivityTrade, FlowMatrix, FlowNode
from fichex.render import theme

NS_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
FRAME = (int(Inches(0.5)), int(Inches(1)), int(Inches(12)), int(Inches(6)))
SMALL_FRAME = (int(Inches(0.5)), int(Inches(1)), int(Inches(6)), int(Inches(3.5)))
# The template's chart frames: a full-width drawing (treemap, flows Sankey) and a half-slide comparison Sankey.
SLIDE_FRAME = (int(Inches(0.5)), int(Inches(1.9)), int(Inches(8.5)), int(Inches(4.95)))
HALF_FRAME = (int(Inches(0.5)), int(Inches(2.35)), int(Inches(6.0)), int(Inches(4.0)))
DEPARTEMENTS = ("23", "87", "13", "75", "971", "976", "20")
VALUE = re.compile(r"\u2212?\d{1,3}(\u202f\d{3})*(\.\d)?\u00a0M€")  # numbers.meur: one style


def flow_matrix(values, highlighted, others=True) -> FlowMatrix:
    """A flow matrix of these values, its last source and target « Autres » unless `others` is False."""
    src = [FlowNode(f"P{i}", f"Produit numéro {i} & dérivés") for i in range(len(values))]
    tgt = [FlowNode(f"C{j}", f"Pays {j}") for j in range(len(values[0]))]
    if others:
        src[-1] = FlowNode("AUTRES", "Autres")
        tgt[-1] = FlowNode("AUTRES", "Autres")
    return FlowMatrix("E", tuple(src), tuple(tgt), tuple(tuple(float(v) for v in row) for row in values),
                      frozenset(highlighted))


MATRIX = flow_matrix([[315e6, 14e6, 0, 27e6], [10e6, 7e6, 2e6, 12e6], [0.4e6, 0, 0, 0.8e6],
                      [13e6, 0.6e6, 0.6e6, 3e6]], {(0, 0), (0, 3), (3, 0), (1, 3), (0, 1)})


def activity(code, label, exports, imports) -> ActivityTrade:
    """An activity with these exports and imports (euros)."""
    return ActivityTrade(code, label, label, code[:2], label, float(exports), float(imports))


def tiles_of(activities):
    """The (export, import) treemap compartments of these activities, as the aggregate makes them."""
    return activity_tiles(activities, "E"), activity_tiles(activities, "I")


ACTIVITIES = tuple(
    activity(f"C{k:02d}", f"Activité industrielle numéro {k}", 400e6 / (k + 1) ** 1.3, 150e6 / (k + 2))
    for k in range(20)) + (activity("X01", "Exportée seulement", 5e6, 0),)


def reopen(prs):
    """The presentation saved and opened again."""
    stream = io.BytesIO()
    prs.save(stream)
    stream.seek(0)
    return Presentation(stream)


def blank_slide():
    """A 16:9 presentation and a blank slide in it."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    return prs, prs.slides.add_slide(prs.slide_layouts[6])


def fill_colour(shape):
    """The shape's solid fill colour, None without one."""
    clr = shape._element.find(f"./*/{NS_A}solidFill/{NS_A}srgbClr")
    return None if clr is None else clr.get("val")


def background(shape) -> str:
    """The colour behind a shape's text: its own fill, else the white slide."""
    return fill_colour(shape) or "FFFFFF"


def run_colours(shape):
    """(text, colour) of each run of the shape."""
    for run in shape._element.iter(f"{NS_A}r"):
        clr = run.find(f"./{NS_A}rPr/{NS_A}solidFill/{NS_A}srgbClr")
        yield run.findtext(f"{NS_A}t"), clr.get("val")


def assert_contrast(group):
    """Every text of the group reads on its background (WCAG AA, 4.5:1)."""
    for shape in group.shapes:
        for text, colour in run_colours(shape):
            ratio = theme.contrast_ratio(colour, background(shape))
            assert ratio >= 4.5, (shape.name, text, colour, background(shape), round(ratio, 2))


def one_line(text: str) -> str:
    """A drawing's text on one line: its line breaks and ordinary spaces as one space each, its no-break
    spaces kept (they are part of the number style)."""
    return re.sub(r"[ \n\v]+", " ", text).strip()
