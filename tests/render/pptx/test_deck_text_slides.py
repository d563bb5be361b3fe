"""The slides of text (render/pptx/text_slides.py): the cover and « L'essentiel »."""

from __future__ import annotations

from conftest import all_text, slide_notes, slide_titled
from fichex.wording import commentary as commentary_text, deck as deck_text, model_text


def test_cover(deck_23, fiche_23):
    text = all_text(slide_titled(deck_23, model_text.COVER_TITLE))
    assert model_text.cover_subtitle("Creuse") in text
    assert str(fiche_23.year) in text
    for name in fiche_23.territoires_industrie:
        assert name in text


def test_summary_slide_says_the_commentary_after_the_caveats(deck_23, fiche_23):
    slide = slide_titled(deck_23, deck_text.DECK_SUMMARY_TITLE)
    slides = list(deck_23.slides)
    assert slides.index(slide) == slides.index(slide_titled(deck_23, deck_text.DECK_CAVEATS_TITLE)) + 1
    body = [p.text for s in slide.placeholders if s.placeholder_format.idx != 0 for p in s.text_frame.paragraphs]
    assert body == commentary_text.commentary(fiche_23)
    notes = slide_notes(slide)
    assert all(sentence in notes for sentence in commentary_text.commentary(fiche_23))
