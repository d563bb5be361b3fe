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
from fichex.render import theme

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
        f"<style>{_css()}</style>",
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
        parts.append(f"<script>{_SCRIPT}</script>")
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
    return {row.figures.level if row.figures else "territoire" if row.code == "TI" else "departement"
            for row in rows}


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
    for row in rows:
        parts.append(_row(row, columns, mark_demo))
    parts += ["</tbody>", "</table>", "</div>"]
    return parts


def _row(row: IndexRow, columns: list[_Column], mark_demo: bool) -> str:
    cells = []
    for column in columns:
        cells.append(_cell(row, column, mark_demo))
    search = search_text(row.name, row.code, row.region, str(row.year))
    return f'<tr data-search="{_e(search)}">' + "".join(cells) + "</tr>"


def _cell(row: IndexRow, column: _Column, mark_demo: bool) -> str:
    key = column.key
    if key == "code":
        return f'<td data-sort="{_e(code_sort_key(row.code))}">{_e(row.code)}</td>'
    if key == "name":
        badge = (f' <span class="badge">{_e(index_text.INDEX_DEMO_BADGE)}</span>'
                 if mark_demo and row.demonstration else "")
        return f'<th scope="row" data-sort="{_e(row.name)}">{_e(row.name)}{badge}</th>'
    if key == "region":
        return f'<td class="region">{_e(row.region)}</td>'
    if key == "year":
        return f'<td class="num" data-sort="{row.year}">{_e(row.period or row.year)}</td>'
    if key == "documents":
        return f'<td class="docs">{_links(row)}</td>'
    if key == "thumbnail":
        return f'<td class="thumb">{_thumbnail(row)}</td>'
    figures = row.figures
    if figures is None:
        missing = _e(index_text.INDEX_MISSING)
        why = index_text.INDEX_TERRITOIRE_FIGURES if row.code == "TI" else index_text.INDEX_NOT_RECORDED
        return f'<td class="num" data-sort=""><span title="{_e(why)}">{missing}</span></td>'
    value, text = _figure(figures, key)
    shown = "" if value is None else repr(value)  # no value: sorted last whichever the direction
    return f'<td class="num" data-sort="{shown}">{_e(text)}</td>'


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


CSS_COLOURS = {"ACCENT": theme.ACCENT, "TEXT": theme.TEXT, "MUTED": theme.MUTED, "ALT": theme.BACKGROUND_ALT,
               "WARNFILL": theme.WARNING_FILL, "WARNTEXT": theme.WARNING_TEXT}


def _css() -> str:
    """The page's style with the theme's colours, each placeholder a whole word (« TEXT » inside « WARNTEXT »
    is not « TEXT »)."""
    return re.sub(r"\b(" + "|".join(CSS_COLOURS) + r")\b", lambda m: f"#{CSS_COLOURS[m.group(1)]}", _CSS)


_CSS = """
*{box-sizing:border-box}
[hidden]{display:none !important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,"Liberation Sans",sans-serif;color:TEXT;background:#fff}
header{background:ACCENT;color:#fff;padding:1.1rem 1.25rem .9rem}
h1{margin:0;font-size:1.5rem;font-weight:600}
.intro{margin:.25rem 0 0;opacity:.9}
main{padding:1rem 1.25rem}
.demo{margin:0 0 1rem;padding:.7rem 1rem;background:WARNFILL;color:WARNTEXT;border:2px solid #E0B000;border-radius:4px;font-size:1.05rem}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin:0 0 .6rem}
.controls label{font-weight:600}
.controls input{font:inherit;padding:.3rem .5rem;min-width:18rem;border:1px solid MUTED;border-radius:3px}
.controls .hint{flex-basis:100%;margin:0;color:MUTED;font-size:.85rem}
#compte{color:MUTED}
.scroll{position:relative}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.3rem 0 .5rem;color:ACCENT}
th,td{padding:.35rem .4rem;border-bottom:1px solid #d8dce2;vertical-align:middle;text-align:left}
thead th{background:ALT;border-bottom:2px solid ACCENT;vertical-align:bottom;font-weight:600;font-size:.8rem;white-space:normal;position:sticky;top:0;z-index:1}
thead th button{all:unset;cursor:pointer;display:inline-flex;align-items:flex-end;gap:.25rem;text-align:inherit}
thead th button:focus-visible{outline:3px solid ACCENT;outline-offset:2px}
thead th.num button{justify-content:flex-end}
.label{max-width:7.5em}
.arrow{display:inline-block;flex:none;width:.8em;color:MUTED}
.arrow::after{content:"↕";opacity:.6}
th[aria-sort=ascending] .arrow::after{content:"▲";color:ACCENT;opacity:1}
th[aria-sort=descending] .arrow::after{content:"▼";color:ACCENT;opacity:1}
tbody th{font-weight:600;white-space:nowrap}
td.region{white-space:nowrap}
.docs{padding-left:1.2rem}
tbody tr:nth-child(even){background:#fafbfc}
tbody tr:hover{background:#eef3f9}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
.badge{display:inline-block;margin-left:.3rem;padding:0 .35rem;font-size:.75rem;font-weight:400;background:WARNFILL;color:WARNTEXT;border:1px solid #E0B000;border-radius:3px}
.links{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem}
.links li{white-space:nowrap}
.links a{color:ACCENT;font-weight:600}
.thumb img{display:block;border:1px solid #c8cdd4;height:auto}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.none{color:MUTED;font-style:italic}
footer{padding:.5rem 1.25rem 1.5rem;color:MUTED;font-size:.85rem}
footer p{margin:.2rem 0}
/* Narrow windows: the table scrolls sideways in its box (the header then scrolls with the rows). */
@media (max-width:1279px){.scroll{overflow-x:auto}thead th{position:static}}
@media print{.controls,.thumb{display:none}header{background:none;color:TEXT}thead th{position:static}}
"""

# Sorts and filters the rows already in the page. Plain ES5: no framework, nothing fetched.
_SCRIPT = r"""
(function () {
  "use strict";
  var table = document.getElementById("fiches");
  var headers = table.tHead.rows[0].cells;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var collator = window.Intl ? new Intl.Collator("fr", {sensitivity: "base", numeric: true}) : null;
  var input = document.getElementById("filtre");
  var count = document.getElementById("compte");
  var none = document.getElementById("aucune");

  function fold(text) {
    if (text.normalize) { text = text.normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
    return text.toLowerCase().replace(/[-'\u2019]/g, " ");
  }

  function sortValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    if (type === "number") { return raw === "" ? null : parseFloat(raw); }
    return raw;
  }

  function sortBy(index, direction) {
    var type = headers[index].getAttribute("data-type");
    var sign = direction === "ascending" ? 1 : -1;
    var keyed = rows.map(function (row, position) { return [sortValue(row, index, type), position, row]; });
    keyed.sort(function (a, b) {
      if (a[0] === null || b[0] === null) {  // figures not recorded: always last
        return a[0] === b[0] ? a[1] - b[1] : (a[0] === null ? 1 : -1);
      }
      var order = type === "number" ? a[0] - b[0]
        : (collator ? collator.compare(a[0], b[0]) : (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return order !== 0 ? sign * order : a[1] - b[1];
    });
    keyed.forEach(function (item) { body.appendChild(item[2]); });
    for (var i = 0; i < headers.length; i++) {
      if (i === index) { headers[i].setAttribute("aria-sort", direction); }
      else { headers[i].removeAttribute("aria-sort"); }
    }
  }

  Array.prototype.forEach.call(headers, function (header, index) {
    var button = header.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var current = header.getAttribute("aria-sort");
      var next = current === "ascending" ? "descending" : current === "descending" ? "ascending"
        : (header.getAttribute("data-first") || "ascending");
      sortBy(index, next);
    });
  });

  function filter() {
    var words = fold(input.value).split(/\s+/).filter(function (w) { return w.length > 0; });
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search");
      // each word typed starts a word of the row (« ti » finds the TI rows, not « entière »)
      var match = words.every(function (w) { return (" " + text).indexOf(" " + w) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = count.getAttribute("data-template")
      .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
    none.hidden = shown > 0;
  }

  input.addEventListener("input", filter);
  document.getElementById("controles").hidden = false;
  filter();  // a value the browser restored (back button)
})();
"""
