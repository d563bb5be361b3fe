"""The map slide (render/pptx/map_slide.py): its side panel's figures and the map drawn beside."""

from __future__ import annotations

from pptx.enum.shapes import MSO_SHAPE_TYPE

from conftest import all_text, slide_notes, slide_titled
from fichex.wording import deck as deck_text, notes as notes_text
from fichex.render.pptx.map_slide import map_lines


def test_map_slide_says_the_figures_of_its_side_panel(deck_23, fiche_23):
    slide = slide_titled(deck_23, deck_text.DECK_MAP_TITLE)
    lines = map_lines(fiche_23)
    assert len(lines) == 4
    text = all_text(slide)
    assert all(line in text for line in lines)
    assert deck_text.map_target_line(fiche_23.territory.nom, True) in text
    assert len([s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP]) == 1  # the map
    assert notes_text.notes_map(fiche_23.territory.nom, *lines) in slide_notes(slide)
