"""The deck's toolkit (render/pptx/slides.py): what every slide gets from it (no empty placeholder, the
demonstration banner, unique shape ids), the chart slide's prologue, and a deck adding another fiche's pages."""

from __future__ import annotations

import dataclasses

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN

from conftest import all_text, slide_titled
from fichex.wording import deck as deck_text, model_text
from fichex.render import template as tpl
from fichex.render.pptx import write_deck
from fichex.render.pptx.slides import Deck, Para, chart_slide
from fichex.wording.numbers import meur, signed_meur


def test_demo_warning_on_every_slide(deck_23):
    for slide in deck_23.slides:
        assert model_text.DEMO_WARNING in all_text(slide)


def test_no_empty_placeholder(deck_23):
    for slide in deck_23.slides:
        for placeholder in slide.placeholders:
            assert placeholder.has_text_frame and placeholder.text_frame.text.strip(), placeholder.name


def test_no_demo_banner_for_real_data(fiche_23, tmp_path):
    real = dataclasses.replace(fiche_23, data=dataclasses.replace(fiche_23.data, demonstration=False))
    path = tmp_path / "reel.pptx"
    write_deck(real, path)
    for slide in Presentation(str(path)).slides:
        assert model_text.DEMO_WARNING not in all_text(slide)


def test_shape_ids_unique_per_slide(deck_23):
    # Duplicate ids make PowerPoint offer to « repair » the file.
    for slide in deck_23.slides:
        ids = slide.element.cSld.spTree.xpath(".//p:cNvPr/@id")
        assert len(ids) == len(set(ids))


def new_deck(fiche) -> Deck:
    prs = tpl.load_template(None)
    return Deck(prs, fiche, tpl.layouts_by_name(prs))


def test_chart_slide_fills_the_prologue_and_gives_the_chart_frame(fiche_23):
    deck = new_deck(fiche_23)
    slide, frame = chart_slide(deck, "Titre", "Titre du graphique", [Para("Un commentaire", bold=True)])
    texts_by_name = {shape.name: shape.text_frame.text for shape in slide.placeholders}
    assert texts_by_name[tpl.PH_TITLE] == "Titre"
    assert texts_by_name[tpl.PH_CHART_TITLE] == "Titre du graphique"
    assert texts_by_name[tpl.PH_COMMENT] == "Un commentaire"
    chart = next(shape for shape in slide.placeholders if shape.name == tpl.PH_CHART)
    assert frame == (chart.left, chart.top, chart.width, chart.height)


def test_a_deck_for_another_fiche_shares_the_presentation(fiche_23, fiche_87):
    deck = new_deck(fiche_23)
    chart_slide(deck, "Titre", "Graphique", ["Commentaire"])
    other = deck.for_fiche(fiche_87)
    assert other.fiche is fiche_87 and deck.fiche is fiche_23
    assert other.prs is deck.prs and other.geometry is deck.geometry and other.current == []


def test_values_in_millions():
    assert meur(12_345_678) == "12.3\u00a0M€"
    assert signed_meur(12_345_678) == "+12.3"
    assert signed_meur(-4_500_000) == "\u22124.5"
    assert signed_meur(-40_000) == "0"  # never « −0 »


def test_a_millions_axis_reads_the_same_in_every_locale(deck_23):
    from fichex.render import theme

    # A conditional format with a literal no-break space: no « , » a locale could read as a decimal point.
    assert "," not in theme.AXIS_FMT_WHOLE and "\u00a0" in theme.AXIS_FMT_WHOLE
    evolution = slide_titled(deck_23, deck_text.DECK_EVOLUTION_TITLE)
    (chart,) = [s.chart for s in evolution.shapes if s.has_chart]
    formats = [n.get("formatCode") for n in chart.element.iter() if n.tag.endswith("}numFmt")
               and n.getparent().tag.endswith("}valAx")]
    assert formats == [theme.AXIS_FMT_WHOLE]


def test_every_slide_s_title_is_read_first(deck_23):
    # the cover's layout lists the institutional block before the title: finish_slide moves the title first
    for slide in deck_23.slides:
        first = next(iter(slide.shapes))
        assert first.is_placeholder and first.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def _slide_parts(prs) -> list[bytes]:
    from lxml import etree

    return [etree.tostring(slide.element) for slide in prs.slides]


def test_copied_slides_and_banner_are_the_slides_python_pptx_makes(fiche_23, fiche_87, monkeypatch):
    # The first slide on a layout (and the first banner) is made by python-pptx; later ones, in this deck or
    # the next deck on the same template, are copies: the same XML as a deck that copies nothing.
    from fichex.render.pptx import build_deck

    build_deck(fiche_87)  # fills the template's shared store
    copied = build_deck(fiche_23)  # every slide and banner copied from it
    store = tpl.template_store(None)
    assert store["skeletons"] and store["banner"]
    # Nothing kept between slides: each slide and banner made by python-pptx.
    monkeypatch.setattr(Deck, "skeletons", property(lambda self: {}))
    monkeypatch.setattr(Deck, "banner", property(lambda self: []))
    made = build_deck(fiche_23)
    assert len(made.slides) == len(copied.slides) > 10
    assert _slide_parts(copied) == _slide_parts(made)


def test_template_store_is_per_template(tmp_path):
    import shutil

    bundled = tpl.template_store(None)
    bundled["mark"] = True
    same = tmp_path / "copie.pptx"
    shutil.copy(tpl.default_template_path(), same)
    assert tpl.template_store(same) is bundled  # a store is per content, not per path
    changed = Presentation(str(same))
    changed.core_properties.title = "Autre modèle"
    other = tmp_path / "autre.pptx"
    changed.save(str(other))
    assert tpl.template_store(other) == {}  # other bytes: nothing shared with the bundled template


_PARAGRAPHS = [
    [Para("Titre simple")],
    ["Deux", Para("paragraphes & <signes>", bold=True, colour="7b3fa0", size=10.5)],
    [Para("Gras faux", bold=False, italic=True), Para("Niveau un", level=1, size=11),
     Para("Niveau deux", level=2, bold=True, italic=False, colour="1F2933")],
    [Para("Premier au niveau un", level=1), Para("l'apostrophe « guillemets » — 5 172.6 M€")],
    # what only python-pptx's route writes: a link, an empty or blank run, a control character
    [Para("Voir le site", link="https://www.douane.gouv.fr", link_text="site")],
    [Para(""), Para("après un vide")],
    [Para("   ")],
    [Para("tab\tet\x07cloche")],
    [],
]


def test_text_written_at_once_is_the_text_python_pptx_writes(fiche_23):
    """`fill` writes the paragraphs as one string where it can: the same XML as python-pptx's text frame API,
    on the template's placeholders (their first paragraph kept, with its properties) and on text boxes."""
    from lxml import etree

    from fichex.render.pptx import slides

    prs = tpl.load_template(None)
    layout = tpl.layouts_by_name(prs)[tpl.LAYOUT_CHART]
    for paragraphs in _PARAGRAPHS:
        written = []
        for route in (slides.fill, lambda shape, items: slides._fill_through_api(
                shape, [i if isinstance(i, Para) else Para(i) for i in items])):
            slide = prs.slides.add_slide(layout)
            shapes = [*slide.placeholders, slide.shapes.add_textbox(0, 0, 100, 100)]
            shapes[0].text_frame.text = "ancien texte\nsur deux paragraphes"
            first = shapes[0].text_frame.paragraphs[0]
            first.level = 2  # a level the first paragraph loses or keeps
            first.alignment = PP_ALIGN.CENTER  # and properties it keeps, before the runs' end mark
            first._p.get_or_add_endParaRPr()
            for shape in shapes:
                if shape.has_text_frame:
                    route(shape, paragraphs)
            written.append(etree.tostring(slide.shapes._spTree))
        assert written[0] == written[1], paragraphs
    # the first four written at once, the others through python-pptx's API
    assert [bool(items) and all(slides._written_at_once(i if isinstance(i, Para) else Para(i)) for i in items)
            for items in _PARAGRAPHS] == [True] * 4 + [False] * 5


@pytest.mark.parametrize("para", [Para("Niveau neuf", level=9), Para("Trop petit", size=0.5),
                                  Para("Interdit \ufffe en XML")])
def test_what_python_pptx_refuses_is_still_refused(para):
    from fichex.render.pptx import slides

    slide = tpl.load_template(None).slides.add_slide(tpl.layouts_by_name(tpl.load_template(None))[tpl.LAYOUT_CHART])
    assert not slides._written_at_once(para)
    with pytest.raises(ValueError):
        slides.fill(slide.shapes.add_textbox(0, 0, 100, 100), [para])


@pytest.mark.parametrize("text", ["Une ligne", "Deux\n\nparagraphes & <signes>", "", "fin de ligne\n", "\n",
                                  "  ", "tab\tici", "cloche\x07", "saut\vde ligne", "« 5 172.6 M€ » — l'Ain"])
def test_notes_written_at_once_are_the_notes_python_pptx_writes(text):
    """`set_text` (the speaker notes) writes what `text_frame.text = …` writes, on a notes page and a text box."""
    from lxml import etree

    from fichex.render.pptx.slides import set_text

    prs = tpl.load_template(None)
    written = []
    for route in (set_text, lambda shape, value: setattr(shape.text_frame, "text", value)):
        slide = prs.slides.add_slide(tpl.layouts_by_name(prs)[tpl.LAYOUT_CHART])
        notes = slide.notes_slide.notes_placeholder
        notes.text_frame.text = "ancien\ntexte"
        box = slide.shapes.add_textbox(0, 0, 100, 100)
        for shape in (notes, box):
            route(shape, text)
        written.append(etree.tostring(notes.element) + etree.tostring(box.element))
    assert written[0] == written[1]
