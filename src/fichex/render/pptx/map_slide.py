"""The map slide: the territory's exports among France's, its rank and per inhabitant beside."""

from __future__ import annotations

from pptx.slide import Slide

from fichex.territories import MONACO_CODE
from fichex.wording import deck as deck_text, grammar as grammar_text, levels as levels_text
from fichex.aggregation.model import Fiche
from fichex.render import map_drawing, theme
from fichex.render.pptx import notes
from fichex.render.pptx.slides import Deck, Para, chart_slide, finish_slide


def map_lines(fiche: Fiche) -> list[str]:
    """The side panel's figures: total, rank, per inhabitant and its rank (empty without the map's data)."""
    position = fiche.export_position()
    if position is None:
        return []
    return [deck_text.map_total_line(position.exports_eur),
            deck_text.map_rank_line(position.rank, position.n_territories),
            deck_text.map_per_inhabitant_line(position.per_inhabitant_eur),
            deck_text.map_per_inhabitant_rank_line(position.per_inhabitant_rank, position.n_with_population,
                                                   position.n_territories)]


def insets_note(fiche: Fiche) -> str:
    """The overseas insets named, top to bottom, as the map draws them."""
    names = {t.code: t.nom for t in fiche.exports_by_territory}
    return deck_text.map_insets_note([names[code] for code in map_drawing.inset_codes() if code in names])


def _map_targets(fiche: Fiche) -> tuple[str, ...]:
    """The territories outlined on the map: the département, a région's territories, none for France."""
    if fiche.level == "france":
        return ()
    if fiche.level == "region":
        return tuple(part.code for part in fiche.breakdown)
    return (fiche.territory.code,)


def add_map_slide(deck: Deck) -> Slide:
    """The map of France's exports by territory, this one outlined, its figures in the side panel."""
    fiche = deck.fiche
    year = grammar_text.period(fiche)
    lines = map_lines(fiche)
    _, skipped = map_drawing.drawn_territories(fiche.exports_by_territory)
    targets = _map_targets(fiche)
    target_drawn = bool(set(targets) - {t.code for t in skipped})
    # Monaco left out of the map: said once, by its own target line in its fiche
    skipped_note = (deck_text.MAP_MONACO_NOTE if any(t.code == MONACO_CODE for t in skipped) and MONACO_CODE not in targets
                    else "")
    target_line = (levels_text.map_target_line_france() if fiche.level == "france"
                   else deck_text.map_target_line(fiche.territory.nom, target_drawn))
    comment = [Para(target_line, bold=True)]
    comment += [Para(lines[0], bold=True, colour=theme.EXPORT)] if lines else []
    # a per-inhabitant line without a figure (no population: Monaco) is said plainly, not in bold like a figure
    comment += [Para(line, colour=theme.MUTED) if line == deck_text.MAP_NO_POPULATION else Para(line, bold=True)
                for line in lines[1:] if line]
    comment += [Para(deck_text.MAP_KEY, size=11), Para(insets_note(fiche), size=11, colour=theme.MUTED)]
    if skipped_note:
        comment.append(Para(skipped_note, size=11, colour=theme.MUTED))
    comment.append(Para(deck_text.MAP_SOURCE, size=11, colour=theme.MUTED))
    slide, frame = chart_slide(deck, deck_text.DECK_MAP_TITLE, deck_text.map_chart_title(year), comment)
    alt = deck_text.map_group_alt(target_line, year, lines[1] if lines else "", lines[0] if lines else "", skipped_note)
    map_drawing.draw_export_map(slide, fiche.exports_by_territory, targets, frame,
                                year_label=year, alt_text=alt)
    finish_slide(deck, slide, notes.map_position(fiche, lines, skipped_note))
    return slide
