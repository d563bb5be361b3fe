"""The output folder's index page (`index.html`): one static, self-contained HTML file listing the fiches,
their key figures and links to their files, in a table that a small inline script sorts and filters.

The rows are written in the HTML itself, so the page reads with JavaScript off (the script only sorts and
filters them); every text from the data is escaped; nothing is fetched from anywhere, so the page opens
from a file share, a ZIP or an e-mail. Writing only: the rows come from `batch/index_page.py`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from fichex.wording import index_page as index_text, numbers as numbers_text
from fichex.version import __version__
from fichex.render import index_assets

THUMBNAIL_WIDTH = 112  # CSS pixels; the PNG is more than twice as large (about 267 px): sharp on HiDPI screens


@dataclass(frozen=True)
class IndexLink:
    """A file of a fiche, as the page links it."""

    kind: str  # "xlsx" | "pptx" | "pdf"
    href: str  # relative to the page, POSIX separators (« 2024/23-creuse/….xlsx »)
    size: int


@dataclass(frozen=True)
class IndexFigures:
    """A fiche's key figures, taken when it was built."""

    exports_eur: float
    imports_eur: float
    share_of_region_pct: float  # of the exports
    share_of_france_pct: float
    rank: int  # national rank for the exports, 1 = largest
    ranked: int  # number of départements ranked
    region_complete: bool = True
    france_complete: bool = True
    level: str = "departement"  # a région's share of its région, France's of France and rank are not shown

    @property
    def balance_eur(self) -> float:
        return self.exports_eur - self.imports_eur


@dataclass(frozen=True)
class IndexRow:
    """One fiche of the folder."""

    code: str
    name: str
    region: str
    year: int
    links: tuple[IndexLink, ...]
    figures: IndexFigures | None = None  # None: built by a version of fichex that did not record them
    demonstration: bool = False
    period: str = ""  # « 2025 (1er trimestre) » for a partial year; empty for a whole one
    thumbnail: str | None = None  # relative href of the first slide's PNG
    thumbnail_size: tuple[int, int] | None = None  # its pixels (width, height)
    departements: tuple[tuple[str, str], ...] = ()  # a Territoire d'industrie's (code, name) pairs

    @property
    def level(self) -> str:
        """« departement », « region », « france » or « territoire »."""
        if self.figures is not None:
            return self.figures.level
        return "territoire" if self.code == "TI" else "departement"


LEVEL_ORDER = ("departement", "region", "france", "territoire")  # the page's rows, and a sort by code


def row_sort_key(row: IndexRow) -> tuple[int, str]:
    """Départements in the COG's order, then régions, France and the Territoires d'industrie."""
    level = LEVEL_ORDER.index(row.level) if row.level in LEVEL_ORDER else len(LEVEL_ORDER)
    return level, code_sort_key(row.code)


@dataclass(frozen=True)
class _Column:
    key: str
    kind: str  # "text" | "number" | "" (not sortable)
    first: str = "ascending"  # the order of a first activation
    numeric: bool = False  # right-aligned figures


_COLUMNS = (
    _Column("code", "text"),
    _Column("name", "text"),
    _Column("region", "text"),
    _Column("year", "number", "descending", True),
    _Column("exports", "number", "descending", True),
    _Column("imports", "number", "descending", True),
    _Column("balance", "number", "descending", True),
    _Column("share_region", "number", "descending", True),
    _Column("share_france", "number", "descending", True),
    _Column("rank", "number", "ascending", True),
    _Column("documents", ""),
    _Column("thumbnail", ""),
)


def code_sort_key(code: str) -> str:
    """Départements in the COG's order as plain text: « 19 » < « 2A » < « 2B » < « 21 », « 95 » < « 971 »."""
    if len(code) == 2 and code[0] == "2" and code[1] in "AB":
        return "020" + code[1]
    return code.rjust(3, "0")


def search_text(*parts: str) -> str:
    """What the filter matches: lower case, without accents, hyphens and apostrophes as spaces (the page's
    script folds what is typed the same way)."""
    text = unicodedata.normalize("NFD", " ".join(parts))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", re.sub(r"[-'’]", " ", text)).strip()


def render_index(rows: list[IndexRow]) -> str:
    """The whole page, rows in the order given.

    Args:
        rows: the fiches of the folder (see `batch.index_page.collect`).

    Returns:
        The HTML text (UTF-8 when written).
    """
    demo = [r.demonstration for r in rows]
    years = sorted({r.year for r in rows})
    # The year is said in the introduction when the folder holds one (whole) year; thumbnails when any.
    shown = {"year": len(years) > 1 or any(r.period for r in rows), "thumbnail": any(r.thumbnail for r in rows)}
    columns = [c for c in _COLUMNS if shown.get(c.key, True)]
    partial = any(r.figures and not (r.figures.region_complete and r.figures.france_complete) for r in rows)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f'<meta name="generator" content="fichex {_e(__version__)}">',
        f"<title>{_e(index_text.INDEX_TITLE)}</title>",
        f"<style>{index_assets.css()}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(index_text.index_heading(_levels(rows)))}</h1>",
        f'<p class="intro">{_e(index_text.index_intro(len(rows), years))}</p>',
        "</header>",
        "<main>",
    ]
    if any(demo):
        parts.append(f'<p class="demo" role="note"><strong>{_e(index_text.INDEX_DEMO_TITLE)}</strong> : '
                     f"{_e(index_text.index_demo_text(all(demo)))}</p>")
    if not rows:
        parts.append(f"<p>{_e(index_text.INDEX_EMPTY)}</p>")
    else:
        parts += _controls(len(rows), shown["year"])
        parts += _table(rows, columns, mark_demo=any(demo) and not all(demo))
        parts.append(f'<p id="aucune" class="none" hidden>{_e(index_text.INDEX_NO_MATCH)}</p>')
    parts.append("</main>")
    parts.append("<footer>")
    if partial:
        parts.append(f"<p>{_e(index_text.INDEX_PARTIAL_NOTE)}</p>")
    parts.append(f"<p>{_e(index_text.INDEX_SOURCE)}</p>")
    parts.append("</footer>")
    if rows:
        parts.append(f"<script>{index_assets.SCRIPT}</script>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _controls(total: int, with_years: bool) -> list[str]:
    # Hidden until the script runs: with JavaScript off, a filter box that does nothing would mislead.
    template = index_text.index_count("{shown}", "{total}")
    return [
        '<div class="controls" id="controles" hidden>',
        f'<label for="filtre">{_e(index_text.INDEX_FILTER_LABEL_YEARS if with_years else index_text.INDEX_FILTER_LABEL)}</label>',
        f'<input id="filtre" type="search" autocomplete="off" spellcheck="false" '
        f'placeholder="{_e(index_text.INDEX_FILTER_PLACEHOLDER)}" aria-describedby="compte">',
        f'<span id="compte" role="status" data-template="{_e(template)}">{_e(index_text.index_count(total, total))}</span>',
        f'<p class="hint">{_e(index_text.INDEX_SORT_HINT)}</p>',
        "</div>",
    ]


def _levels(rows: list[IndexRow]) -> set[str]:
    return {row.level for row in rows}


def _table(rows: list[IndexRow], columns: list[_Column], mark_demo: bool) -> list[str]:
    parts = ['<div class="scroll">', '<table id="fiches">', f"<caption>{_e(index_text.INDEX_CAPTION)}</caption>",
             "<thead>", "<tr>"]
    for column in columns:
        header = _e(index_text.index_column(column.key, _levels(rows)))
        classes = ' class="num"' if column.numeric else ""
        if not column.kind:
            extra = ' class="docs"' if column.key == "documents" else ""
            parts.append(f'<th scope="col"{extra}>{header}</th>')
            continue
        state = ' aria-sort="ascending"' if column.key == "code" else ""  # the rows come in code order
        parts.append(f'<th scope="col"{classes} data-type="{column.kind}" data-first="{column.first}"{state}>'
                     f'<button type="button"><span class="label">{header}</span><span class="arrow" aria-hidden="true"></span></button></th>')
    parts += ["</tr>", "</thead>", "<tbody>"]
    # Each cell carries its header's words, shown above it when the rows are cards (narrow screens).
    labels = {column.key: index_text.index_column(column.key, _levels(rows)) for column in columns}
    for row in rows:
        parts.append(_row(row, columns, mark_demo, labels))
    parts += ["</tbody>", "</table>", "</div>"]
    return parts


def _row(row: IndexRow, columns: list[_Column], mark_demo: bool, labels: dict[str, str]) -> str:
    cells = []
    for column in columns:
        cells.append(_cell(row, column, mark_demo, f' data-label="{_e(labels[column.key])}"'))
    # A Territoire d'industrie is found by its départements' names and codes too.
    search = search_text(row.name, row.code, row.region, str(row.year), *(f"{c} {n}" for c, n in row.departements))
    return f'<tr data-search="{_e(search)}">' + "".join(cells) + "</tr>"


def _cell(row: IndexRow, column: _Column, mark_demo: bool, label: str) -> str:
    key = column.key
    if key == "code":
        level, code = row_sort_key(row)
        return f'<td data-sort="{level}{_e(code)}">{_e(row.code)}</td>'
    if key == "name":
        badge = (f' <span class="badge">{_e(index_text.INDEX_DEMO_BADGE)}</span>'
                 if mark_demo and row.demonstration else "")
        deps = (f'<span class="deps">{_e(index_text.index_territoire_departements(row.departements))}</span>'
                if row.departements else "")
        return f'<th scope="row" data-sort="{_e(row.name)}">{_e(row.name)}{badge}{deps}</th>'
    if key == "region":
        return f'<td class="region"{label}>{_e(row.region)}</td>'
    if key == "year":
        return f'<td class="num year" data-sort="{row.year}"{label}>{_e(row.period or row.year)}</td>'
    if key == "documents":
        return f'<td class="docs">{_links(row)}</td>'
    if key == "thumbnail":
        return f'<td class="thumb">{_thumbnail(row)}</td>'
    figures = row.figures
    if figures is None:
        missing = _e(index_text.INDEX_MISSING)
        why = index_text.INDEX_TERRITOIRE_FIGURES if row.code == "TI" else index_text.INDEX_NOT_RECORDED
        return f'<td class="num" data-sort=""{label}><span title="{_e(why)}">{missing}</span></td>'
    value, text = _figure(figures, key)
    shown = "" if value is None else repr(value)  # no value: sorted last whichever the direction
    # A région's rank is among régions: ranks sort départements' first, then régions', either direction.
    group = ' data-group="1"' if key == "rank" and figures.level == "region" else ""
    classes = "num rank" if key == "rank" else "num"
    return f'<td class="{classes}" data-sort="{shown}"{group}{label}>{_e(text)}</td>'


def _figure(figures: IndexFigures, key: str) -> tuple[float | None, str]:
    """The sort value and the text of a figure cell."""
    if key == "exports":
        return figures.exports_eur, numbers_text.format_meur(figures.exports_eur)
    if key == "imports":
        return figures.imports_eur, numbers_text.format_meur(figures.imports_eur)
    if key == "balance":
        balance = figures.balance_eur
        return balance, numbers_text.signed_meur(balance)
    if key == "share_region" and figures.level != "departement" or figures.level == "france" and key in ("share_france", "rank"):
        return None, index_text.INDEX_MISSING  # a région's share of itself, France's of itself: nothing to sort
    if key == "share_region":
        mark = "" if figures.region_complete else f" {index_text.INDEX_PARTIAL_MARK}"
        return figures.share_of_region_pct, numbers_text.format_pct(figures.share_of_region_pct, 1) + mark
    if key == "share_france":
        mark = "" if figures.france_complete else f" {index_text.INDEX_PARTIAL_MARK}"
        return figures.share_of_france_pct, numbers_text.format_pct(figures.share_of_france_pct, 2) + mark
    if key == "rank":
        return float(figures.rank), index_text.index_rank(figures.rank, figures.ranked, figures.level)
    raise KeyError(key)


def _links(row: IndexRow) -> str:
    items = []
    for link in row.links:
        label = _e(index_text.INDEX_LINK_LABELS.get(link.kind, link.kind))
        context = _e(index_text.index_link_context(row.name, row.year, link.size))
        size = _e(index_text.index_file_size(link.size))
        items.append(f'<li><a href="{_e(quote(link.href))}" class="{_e(link.kind)}" title="{size}">{label}'
                     f'<span class="vh">{context}</span></a></li>')
    return '<ul class="links">' + "".join(items) + "</ul>"


def _thumbnail(row: IndexRow) -> str:
    if not row.thumbnail:
        return ""
    pdf = next((link for link in row.links if link.kind == "pdf"), None)
    size = ""
    if row.thumbnail_size and row.thumbnail_size[0] > 0:
        width, height = row.thumbnail_size
        size = f' width="{THUMBNAIL_WIDTH}" height="{round(THUMBNAIL_WIDTH * height / width)}"'
    image = (f'<img src="{_e(quote(row.thumbnail))}" alt="{_e(index_text.index_thumbnail_alt(row.name, row.year))}"'
             f'{size} loading="lazy">')
    return f'<a href="{_e(quote(pdf.href))}">{image}</a>' if pdf else image
