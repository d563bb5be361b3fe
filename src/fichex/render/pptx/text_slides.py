"""The deck's slides of text: cover, introduction, context, caveats, « L'essentiel » and practical information."""

from __future__ import annotations

from typing import Sequence

from pptx.slide import Slide

from fichex.wording import (commentary as commentary_text, deck as deck_text, grammar as grammar_text,
                            levels as levels_text, model_text)
from fichex.aggregation.model import CAVEAT_EMEBI
from fichex.render import template as tpl
from fichex.render import theme
from fichex.render.brand import Brand
from fichex.render.pptx import notes
from fichex.render.pptx.slides import Deck, Para, fill, fill_page_title, finish_slide, new_slide

PRACTICAL_PT = 13      # « Informations pratiques » holds the model's full text and links
SUMMARY_PT = 20        # « L'essentiel »: six sentences at most, read from the back of a room


def add_cover_slide(deck: Deck) -> Slide:
    """The cover: institution, title, the territory, the period and its Territoires d'industrie."""
    fiche = deck.fiche
    slide, ph = new_slide(deck, tpl.LAYOUT_COVER)
    if tpl.PH_INSTITUTION in ph:
        fill(ph[tpl.PH_INSTITUTION], institution_paragraphs(deck.brand))
    fill(ph[tpl.PH_TITLE], [model_text.COVER_TITLE])
    # A région's name is long: « Région Bourgogne-Franche-Comté » alone (the programme is in the footer).
    fill(ph[tpl.PH_SUBTITLE], [model_text.cover_subtitle(levels_text.level_title(fiche.level, fiche.territory.nom),
                                                         bool(fiche.territoires_industrie) and fiche.level != "region")])
    fill(ph[tpl.PH_YEAR], [deck_text.deck_year_line(grammar_text.period(fiche))])
    territories = [Para(deck_text.territories_heading(deck.place), bold=True)]
    if fiche.level != "departement":  # a région has a score of them: one paragraph, and what the figures are
        territories += [Para(levels_text.territories_summary(deck.place, fiche.territoires_industrie), size=11),
                        Para(levels_text.COVER_FIGURES_NOTE[fiche.level], size=11, italic=True)]
    else:
        territories += ([Para(name, level=1) for name in fiche.territoires_industrie]
                        or [Para(deck_text.no_territory(deck.place))])
    fill(ph[tpl.PH_TERRITORIES], territories)
    finish_slide(deck, slide, notes.cover(fiche))
    return slide


def institution_paragraphs(brand: Brand) -> list[Para]:
    """The cover's institutional block, as text: the State's lines, its motto, then the publisher."""
    paras = [Para(line, bold=True, size=18) for line in brand.institution]
    paras += [Para(line, italic=True, size=13) for line in brand.motto]
    if brand.publisher:
        paras.append(Para("", size=13))
        paras += [Para(line, size=16) for line in brand.publisher]
    return paras


def add_text_slide(deck: Deck, title: str, body: Sequence[Para], slide_notes: Sequence[str]) -> Slide:
    """A slide of text on the « Titre et texte » layout."""
    slide, ph = new_slide(deck, tpl.LAYOUT_TEXT)
    fill_page_title(deck, ph[tpl.PH_TITLE], title)
    fill(ph[tpl.PH_TEXT], body)
    finish_slide(deck, slide, slide_notes)
    return slide


def add_introduction_slide(deck: Deck) -> Slide:
    """As in the model's first page: the introduction, then the territory's Territoires d'industrie."""
    body = [Para(p, size=18) for p in model_text.introduction(deck.place)]
    body += [Para(deck_text.territories_heading(deck.place), bold=True, colour=theme.ACCENT, size=18)]
    fiche = deck.fiche
    if fiche.level != "departement":
        body += [Para(levels_text.territories_summary(deck.place, fiche.territoires_industrie), size=14)]
    else:
        body += ([Para(name, level=1, size=18) for name in fiche.territoires_industrie]
                 or [Para(deck_text.no_territory(deck.place), size=18)])
    return add_text_slide(deck, deck_text.DECK_INTRO_TITLE, body, notes.introduction(deck.fiche))


def add_context_slide(deck: Deck) -> Slide:
    """The model's context of the period's foreign trade."""
    body = [Para(deck_text.DECK_CONTEXT_HEADING, bold=True, colour=theme.ACCENT)]
    body += [Para(p) for p in model_text.context(grammar_text.period(deck.fiche))]
    return add_text_slide(deck, deck_text.DECK_CONTEXT_TITLE, body, notes.context(deck.fiche))


def add_caveats_slide(deck: Deck) -> Slide:
    """The caveats of customs data, those of this territory and period, and the sources."""
    fiche = deck.fiche
    said = {c.kind for c in fiche.caveats} - {CAVEAT_EMEBI}  # the break is said on the evolution slide
    extra = model_text.caveat_texts(said, grammar_text.period(fiche))
    body = [Para(model_text.CAVEATS_INTRO)] + [Para(c, level=1) for c in (*model_text.CAVEATS, *extra)]
    body.append(Para(model_text.sources_line(grammar_text.period(fiche))))
    return add_text_slide(deck, deck_text.DECK_CAVEATS_TITLE, body, notes.caveats(fiche))


def add_summary_slide(deck: Deck) -> Slide:
    """« L'essentiel »: the commentary written from the figures (commentary_text.commentary), one paragraph a sentence."""
    sentences = commentary_text.commentary(deck.fiche)
    body = [Para(sentence, level=1, size=SUMMARY_PT) for sentence in sentences]
    return add_text_slide(deck, deck_text.DECK_SUMMARY_TITLE, body, notes.summary(deck.fiche, sentences))


def add_practical_slide(deck: Deck) -> Slide:
    """« Informations pratiques »: the model's text and the brand's links, then the sources and concepts."""
    fiche = deck.fiche
    slide, ph = new_slide(deck, tpl.LAYOUT_CONTACT)
    fill(ph[tpl.PH_TITLE], [deck_text.DECK_PRACTICAL_TITLE])
    fill(ph[tpl.PH_TEXT], practical_paragraphs(deck.brand))
    sources = [Para(deck_text.DECK_SOURCES_HEADING, bold=True, colour=theme.ACCENT), Para(model_text.sources_line(grammar_text.period(fiche)))]
    sources += [Para(c, level=1) for c in model_text.DATA_CONCEPTS]
    sources.append(Para(f"{deck_text.DECK_SOURCE_LABEL} {fiche.data.source}"))
    fill(ph[tpl.PH_SOURCES], sources)
    finish_slide(deck, slide, notes.practical(fiche))
    return slide


def practical_paragraphs(brand: Brand) -> list[Para]:
    """The model's « Informations pratiques », with the brand's links as hyperlinks (a link without an
    address is left out with its sentence, rather than shown dead)."""
    size = PRACTICAL_PT
    paras = [Para(model_text.PRACTICAL, size=size)]
    if brand.portraits_link:
        paras += [Para(model_text.PRACTICAL_PORTRAITS, size=size),
                  Para(model_text.PRACTICAL_PORTRAITS_LINK, level=1, size=size, link=brand.portraits_link)]
    if brand.press_kit_link:
        paras += [Para(model_text.PRACTICAL_ASSEMBLY, size=size),
                  Para(model_text.PRACTICAL_ASSEMBLY_LINK, level=1, size=size, link=brand.press_kit_link)]
    if brand.contact:
        paras.append(Para(model_text.PRACTICAL_CONTACT.format(contact=brand.contact), size=size,
                          link=f"mailto:{brand.contact}", link_text=brand.contact))
    if brand.news:
        paras.append(Para(model_text.PRACTICAL_FURTHER, bold=True, colour=theme.ACCENT, size=size))
        # The link is on the label, which says where it leads (a screen reader lists links by their text); the
        # address stays written after it, for the printed deck.
        paras += [Para(f"{label} : {address}", level=1, size=size, link=address, link_text=label)
                  for label, address in brand.news]
    return paras
