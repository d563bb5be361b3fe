"""Write a Fiche as a PowerPoint deck built on the branded template: the table of contents of the deck.

The toolkit every slide builder uses is in `slides`; one module per family of slides (`text_slides`,
`map_slide`, `breakdown`, `partners`, `exposure`, `specialisation`, `flows`, `evolution`), the speaker notes in `notes`, a
Territoire d'industrie's deck in `territoire`, and the ZIP written reproducibly in `package`.
"""

from __future__ import annotations

from pathlib import Path

from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide

from fichex.wording import deck as deck_text, grammar as grammar_text, levels as levels_text, model_text
from fichex.aggregation.model import EXPORT, IMPORT, Fiche
from fichex.atomic import atomic_path
from fichex.render import template as tpl
from fichex.render.drawingml import drawings_written_at_save
from fichex.render.pptx_internals import cache_oxml_lookups
from fichex.render.brand import load_brand
from fichex.render.pptx.breakdown import add_breakdown_slide
from fichex.render.pptx.evolution import add_evolution_slide
from fichex.render.pptx.exposure import add_exposure_slide
from fichex.render.pptx.flows import add_activities_slide, add_comparison_slide, add_flows_slide
from fichex.render.pptx.map_slide import add_map_slide
from fichex.render.pptx.package import remove_template_slides, reproducible
from fichex.render.pptx.partners import add_partners_slide
from fichex.render.pptx.slides import Deck
from fichex.render.pptx.specialisation import add_specialisation_slide
from fichex.render.pptx.text_slides import (add_caveats_slide, add_context_slide, add_cover_slide,
                                            add_introduction_slide, add_practical_slide, add_summary_slide)


def build_deck(fiche: Fiche, *, template: Path | None = None) -> PresentationObject:
    """Build the deck of a fiche in memory (see `write_deck`)."""
    cache_oxml_lookups()
    prs = tpl.load_template(template)
    remove_template_slides(prs)
    deck = Deck(prs, fiche, tpl.layouts_by_name(prs), brand=load_brand(template),
                shared=tpl.template_store(template))
    add_cover_slide(deck)
    add_introduction_slide(deck)
    add_context_slide(deck)
    add_caveats_slide(deck)
    add_summary_slide(deck)
    # The map opens the figures, after the caveats: a port's or a head office's exports (said there) are
    # what most often explains a département's place on it.
    add_figure_pages(deck)
    add_practical_slide(deck)
    set_properties(prs, fiche)
    return prs


def add_figure_pages(deck: Deck, *, comparisons: bool = True) -> list[Slide]:
    """The figure pages of `deck.fiche`, map to evolution: what a Territoire d'industrie's deck repeats for
    each of its départements (render/pptx/territoire.py), which leaves out the région's and France's flows
    (`comparisons`) where an earlier département of the same région showed them. « Spécialisation et
    compétitivité » follows the exposure where the fiche has it (not France's)."""
    fiche = deck.fiche
    slides = [add_map_slide(deck)]
    if fiche.breakdown:
        slides.append(add_breakdown_slide(deck))
    slides.append(add_partners_slide(deck))
    if fiche.exposure is not None:
        slides.append(add_exposure_slide(deck))
    if fiche.specialisation is not None:
        slides.append(add_specialisation_slide(deck))
    slides.append(add_activities_slide(deck))
    for flow in (EXPORT, IMPORT):
        slides.append(add_flows_slide(deck, flow))
        if fiche.compares_with_france and comparisons:
            slides.append(add_comparison_slide(deck, flow))
    evolution = add_evolution_slide(deck)
    return slides + ([evolution] if evolution is not None else [])


def set_properties(prs: PresentationObject, fiche: Fiche) -> None:
    """The deck's core properties: title, subject, author, keywords, language, dates from the data."""
    props = prs.core_properties
    name = levels_text.level_title(fiche.level, fiche.territory.nom)
    props.title = deck_text.deck_title(name, grammar_text.period(fiche))
    props.subject = model_text.cover_subtitle(name, bool(fiche.territoires_industrie))
    props.author = deck_text.DECK_AUTHOR
    props.last_modified_by = deck_text.DECK_AUTHOR
    props.keywords = deck_text.DECK_KEYWORDS
    props.language = "fr-FR"
    props.revision = 1
    props.created = props.modified = fiche.document_date
    # Not the template's description: what this deck is (dc:description).
    props.comments = model_text.DEMO_WARNING if fiche.demonstration else model_text.sources_line(grammar_text.period(fiche))


def write_deck(fiche: Fiche, path: Path | str, *, template: Path | str | None = None) -> None:
    """Write the PowerPoint deck of a fiche: cover, context, partners, activities, flows, sources.

    Args:
        fiche: the aggregate of one département and one year.
        path: the .pptx file to write (replaced atomically).
        template: a .pptx or .potx with the layouts of the bundled template (default: the bundled one).

    Raises:
        TemplateError: the template is unreadable or lacks a layout or placeholder.
        OutputError: the file cannot be written.
    """
    with drawings_written_at_save() as drawings:  # the drawings' XML goes straight into the package
        prs = build_deck(fiche, template=template)
        package = reproducible(prs, fiche.document_date, drawings)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(package)
