"""The speaker notes (render/pptx/notes.py): one of its own on every slide, with this territory's figures and
the caveats that apply here."""

from __future__ import annotations

import pytest

from conftest import slide_notes, slide_titled
from fichex.wording import deck as deck_text, model_text, notes as notes_text, numbers as numbers_text
from fichex.wording.places import place_of
from fichex.render.pptx import build_deck


def notes_of(prs) -> list[str]:
    return [slide_notes(slide) for slide in prs.slides]


def test_notes_on_every_slide_each_its_own(deck_23):
    notes = notes_of(deck_23)
    assert all(len(text) > 80 for text in notes)
    # no paragraph pasted on several slides (the demonstration warning and the key figures aside)
    shared = {model_text.DEMO_WARNING + "."}
    paragraphs = [p for text in notes for p in text.split("\n\n") if p not in shared and not p.startswith("En chiffres")]
    assert len(paragraphs) == len(set(paragraphs))
    assert model_text.PARTNERS_KEY in slide_notes(slide_titled(deck_23, deck_text.DECK_PARTNERS_TITLE))
    assert model_text.CAVEATS[0] in slide_notes(slide_titled(deck_23, deck_text.DECK_CAVEATS_TITLE))


def test_notes_carry_the_territory_figures(deck_23, fiche_23):
    def notes(title: str) -> str:
        return slide_notes(slide_titled(deck_23, title))

    first_client = max(fiche_23.main_partners, key=lambda p: p.exports_eur)
    assert (f"Premier client : {first_client.nom} ({numbers_text.meur(first_client.exports_eur)})"
            in notes(deck_text.DECK_PARTNERS_TITLE))
    assert model_text.rank_line("E", fiche_23.exports, place_of(fiche_23)) in notes(model_text.COVER_TITLE)
    assert model_text.rank_line("I", fiche_23.imports, place_of(fiche_23)) in notes(deck_text.DECK_FLOW_TITLES["I"])
    first_product = fiche_23.local.top_activities("E")[0]
    assert f"Première activité exportée : {first_product.libelle_court}" in notes(deck_text.DECK_ACTIVITIES_TITLE)
    compare_e = notes(deck_text.DECK_COMPARISON_TITLES["E"])
    assert fiche_23.france_summary.territory.nom not in compare_e or "France entière" in compare_e
    assert numbers_text.meur(fiche_23.france_summary.total("E")) in compare_e
    # Creuse: no port, no overseas, not Paris: none of their caveats
    assert not any(notes_text.NOTES_DROM in text or "hydrocarbures (pétrole brut" in text for text in notes_of(deck_23))


@pytest.mark.parametrize("code, caveat", [("13", "hydrocarbures (pétrole brut"), ("976", notes_text.NOTES_DROM),
                                          ("75", model_text.PARIS_ENERGY_CAVEAT)])
def test_notes_say_the_caveat_that_applies_here(builder, code, caveat):
    prs = build_deck(builder.build(code, 2024))
    assert caveat in slide_notes(slide_titled(prs, deck_text.DECK_FLOW_TITLES["I"]))
