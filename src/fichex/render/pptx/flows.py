"""The slides of flows: activities (treemap), flows between activities and partners (Sankey), and the same
flows of the région and France for comparison."""

from __future__ import annotations

from pptx.slide import Slide

from fichex.wording import (deck as deck_text, grammar as grammar_text, levels as levels_text, model_text,
                            notes as notes_text)
from fichex.aggregation.model import EXPORT, IMPORT, Fiche, FlowMatrix
from fichex.render import sankey, theme, treemap
from fichex.render import template as tpl
from fichex.render.pptx import notes
from fichex.render.pptx.slides import (FLOWS_COMMENT_PT, Deck, Para, chart_slide, fill, fill_page_title, finish_slide,
                                       new_slide,
                                       take_frame)
from fichex.wording.numbers import meur


def _top_list(items, flow: str, n: int = 5) -> str:
    return ", ".join(f"{a.libelle_court or a.libelle} {meur(a.value(flow))}" for a in items[:n])


def add_activities_slide(deck: Deck) -> Slide:
    """The activities exported and imported, as a treemap, the totals and balance beside; the sentences
    about « Autres » (beside and in the notes) are written from what the treemap draws."""
    fiche = deck.fiche
    local = fiche.local
    slide, ph = new_slide(deck, tpl.LAYOUT_CHART)
    fill_page_title(deck, ph[tpl.PH_TITLE], deck_text.DECK_ACTIVITIES_TITLE)
    fill(ph[tpl.PH_CHART_TITLE], [model_text.activities_title(fiche.territory.nom, grammar_text.period(fiche))])
    alt = deck_text.deck_treemap_alt(fiche.territory.nom, grammar_text.period(fiche), _top_list(local.top_activities_export, EXPORT),
                                     _top_list(local.top_activities_import, IMPORT),
                                     model_text.balance_line(fiche.balance_eur))
    drawn = treemap.draw_trade_treemap(slide, fiche.export_tiles, fiche.import_tiles, take_frame(ph[tpl.PH_CHART]),
                                       name=deck_text.DECK_TREEMAP_NAME, alt_text=alt)
    others = treemap_others(fiche, drawn)
    held = notes_text.treemap_others_note(others)
    fill(ph[tpl.PH_COMMENT], [
        Para(model_text.total_line(EXPORT, fiche.exports.total_eur), bold=True, colour=theme.EXPORT),
        Para(model_text.total_line(IMPORT, fiche.imports.total_eur), bold=True, colour=theme.IMPORT),
        Para(model_text.balance_line(fiche.balance_eur), bold=True, colour=theme.balance_colour(fiche.balance_eur)),
        Para(model_text.activities_key(deck.place)),
        *([Para(held, colour=theme.MUTED)] if held else []),
    ])
    finish_slide(deck, slide, notes.activities(fiche, others))
    return slide


def treemap_others(fiche: Fiche, drawn: treemap.DrawnTreemap) -> list[notes_text.TreemapOthers]:
    """Per flow, what the treemap's « Autres » is: the flow, how many activities are drawn before it, and
    whether it holds exactly what the flow chart's « autres » of goods holds (the same activities beyond the
    same rank: equal values) — `notes_text.treemap_others_note` says it."""
    out = []
    for flow in (EXPORT, IMPORT):
        if drawn.others_eur[flow] is None:
            continue
        matrix = fiche.local.flows(flow)
        goods = matrix.sources if flow == EXPORT else matrix.targets
        totals = matrix.source_totals if flow == EXPORT else matrix.target_totals
        chart_others = next((v for node, v in zip(goods, totals) if node.is_others), None)
        same = chart_others is not None and round(chart_others) == round(drawn.others_eur[flow])
        out.append(notes_text.TreemapOthers(flow, drawn.activities[flow], same,
                                            sum(1 for node in goods if not node.is_others)))
    return out


def sankey_alt_text(matrix: FlowMatrix, scope_label: str, year: int) -> str:
    """Alternative text of a Sankey: what it shows, its total and its five highlighted flows."""
    cells = sorted(matrix.highlighted, key=lambda c: (-matrix.values[c[0]][c[1]], c))
    flows = "; ".join(deck_text.SANKEY_FLOW_ALT.format(source=matrix.sources[i].label, target=matrix.targets[j].label,
                                                       value=meur(matrix.values[i][j])) for i, j in cells)
    return deck_text.deck_sankey_alt(matrix.flow, scope_label, year, model_text.total_line(matrix.flow, matrix.total), flows)


def add_flows_slide(deck: Deck, flow: str) -> Slide:
    """The territory's exports or imports from activities to partners, as a Sankey; the headline beside."""
    fiche = deck.fiche
    matrix = fiche.local.flows(flow)
    name = fiche.territory.nom
    headline = model_text.headline_lines(fiche, flow)
    colour = theme.FLOW_COLOUR[flow]
    comment = [Para(model_text.flows_key(flow, deck.place), size=FLOWS_COMMENT_PT)]
    comment += [Para(headline[0], bold=True, colour=colour, size=FLOWS_COMMENT_PT)]
    comment += [Para(line, bold=True, size=FLOWS_COMMENT_PT) for line in headline[1:]]
    comment += [Para(model_text.flows_sides(flow, deck.place), size=FLOWS_COMMENT_PT),
                Para(deck_text.SANKEY_RANKS_KEY, size=FLOWS_COMMENT_PT),
                Para(deck_text.DECK_FLOWS_UNIT, colour=theme.MUTED, size=FLOWS_COMMENT_PT)]
    slide, frame = chart_slide(deck, deck_text.DECK_FLOW_TITLES[flow],
                               model_text.flows_title(flow, name, grammar_text.period(fiche)), comment)
    sankey.draw_sankey(slide, matrix, frame, name=deck_text.DECK_SANKEY_NAME[flow],
                       alt_text=sankey_alt_text(matrix, name, grammar_text.period(fiche)), compact=False)
    finish_slide(deck, slide, notes.flows(fiche, flow))
    return slide


def _comparison_sides(deck: Deck, ph: dict, own: bool) -> tuple:
    """(title placeholder, chart frame, caption placeholder, scope) of each Sankey: the région's and
    France's side by side, or France's alone across both where the région is the département itself."""
    fiche = deck.fiche
    sides = ((tpl.PH_LEFT_TITLE, tpl.PH_LEFT_CHART, tpl.PH_LEFT_CAPTION, fiche.region_summary),
             (tpl.PH_RIGHT_TITLE, tpl.PH_RIGHT_CHART, tpl.PH_RIGHT_CAPTION, fiche.france_summary))
    if not fiche.single_departement_region:
        return tuple((title, take_frame(ph[chart]), caption, scope) for title, chart, caption, scope in sides)
    # The région's Sankey would repeat the département's (previous slide): France takes the whole width.
    left, right = take_frame(ph[tpl.PH_LEFT_CHART]), take_frame(ph[tpl.PH_RIGHT_CHART])
    wide = (left[0], left[1], right[0] + right[2] - left[0], left[3])
    ph[tpl.PH_RIGHT_TITLE].text_frame.text = ""
    note = levels_text.own_flows_note(fiche.region.nom) if own else deck_text.single_departement_region_note(deck.place, fiche.region.nom)
    fill(ph[tpl.PH_RIGHT_CAPTION], [Para(note, bold=False, colour=theme.MUTED, size=11)])
    return ((tpl.PH_LEFT_TITLE, wide, tpl.PH_LEFT_CAPTION, fiche.france_summary),)


def add_comparison_slide(deck: Deck, flow: str) -> Slide:
    """The same flows of the territory's région and of France, two Sankeys side by side."""
    fiche = deck.fiche
    slide, ph = new_slide(deck, tpl.LAYOUT_TWO_CHARTS)
    own = fiche.level != "departement"  # a région's fiche: France only, its own flows on the slide before
    with_region = deck.place.has_region_share
    fill_page_title(deck, ph[tpl.PH_TITLE], (deck_text.DECK_COMPARISON_TITLES if with_region
                                            else levels_text.DECK_COMPARISON_FRANCE_TITLES)[flow])
    fill(ph[tpl.PH_TEXT], [model_text.comparison_intro(flow, deck.place)])
    for title_ph, frame, caption_ph, scope in _comparison_sides(deck, ph, own):
        label = grammar_text.scope_name(scope.territory.level, scope.territory.nom, fiche.share(flow), short=True)
        fill(ph[title_ph], [model_text.flows_title(flow, label, grammar_text.period(fiche), detailed=False)])
        fill(ph[caption_ph], [model_text.total_line(flow, scope.total(flow))])
        matrix = scope.flows(flow)
        name = deck_text.DECK_COMPARISON_SANKEY_NAME.format(sankey=deck_text.DECK_SANKEY_NAME[flow], scope=label)
        sankey.draw_sankey(slide, matrix, frame, name=name,
                           alt_text=sankey_alt_text(matrix, label, grammar_text.period(fiche)), compact=True)
    finish_slide(deck, slide, notes.comparison(fiche, flow))
    return slide
