"""The index page's inline style and script (`render/index_html.py` writes them into the page): the theme's
colours, a table at desktop widths and one card per fiche on narrow screens, in plain CSS; sorting and
filtering in plain ES5. Nothing here is fetched: the page works offline."""

from __future__ import annotations

import re

from fichex.render import theme

# Card layout up to this width (CSS pixels): the thirteen columns need about 1 250 px side by side (a
# 1 280 px screen less its scroll bar), the page's own margins included.
CARD_BREAKPOINT = 1279

# The page's colours by placeholder (each a whole word of the CSS below): the theme's, and the page's own
# tints (row stripes, rules, borders), which carry no text of their own but that of the rows.
COLOURS = {
    "ACCENT": theme.ACCENT, "TEXT": theme.TEXT, "MUTED": theme.MUTED, "ALT": theme.BACKGROUND_ALT,
    "WARNFILL": theme.WARNING_FILL, "WARNTEXT": theme.WARNING_TEXT, "WHITE": theme.WHITE,
    "STRIPE": "FAFBFC", "HOVER": "EEF3F9", "RULE": "D8DCE2", "FRAME": "C8CDD4", "WARNRULE": "E0B000",
}

# Every text colour of the page over every background it is drawn on (WCAG 2 AA: 4.5:1, see the tests).
TEXT_ON_BACKGROUND = (
    ("WHITE", "ACCENT"),  # the header band
    ("TEXT", "WHITE"), ("TEXT", "STRIPE"), ("TEXT", "HOVER"), ("TEXT", "ALT"),  # rows, column headers
    ("MUTED", "WHITE"), ("MUTED", "ALT"), ("MUTED", "STRIPE"), ("MUTED", "HOVER"),  # hints, card labels
    ("ACCENT", "WHITE"), ("ACCENT", "STRIPE"), ("ACCENT", "HOVER"), ("ACCENT", "ALT"),  # links, caption
    ("WARNTEXT", "WARNFILL"),  # the demonstration banner and badge
)


def css() -> str:
    """The page's style with the theme's colours, each placeholder a whole word (« TEXT » inside « WARNTEXT »
    is not « TEXT »)."""
    text = CSS_TEMPLATE.replace("CARDS", f"{CARD_BREAKPOINT}px")
    return re.sub(r"\b(" + "|".join(COLOURS) + r")\b", lambda m: f"#{COLOURS[m.group(1)]}", text)


CSS_TEMPLATE = """
*{box-sizing:border-box}
[hidden]{display:none !important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,"Liberation Sans",sans-serif;color:TEXT;background:WHITE}
header{background:ACCENT;color:WHITE;padding:1.1rem 1.25rem .9rem}
h1{margin:0;font-size:1.5rem;font-weight:600}
.intro{margin:.25rem 0 0}
main{padding:1rem 1.25rem}
.demo{margin:0 0 1rem;padding:.7rem 1rem;background:WARNFILL;color:WARNTEXT;border:2px solid WARNRULE;border-radius:4px;font-size:1.05rem}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin:0 0 .6rem}
.controls label{font-weight:600}
.controls input{font:inherit;padding:.3rem .5rem;width:18rem;max-width:100%;border:1px solid MUTED;border-radius:3px}
.controls .hint{flex-basis:100%;margin:0;color:MUTED;font-size:.85rem}
#compte{color:MUTED}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.3rem 0 .5rem;color:ACCENT}
th,td{padding:.35rem;border-bottom:1px solid RULE;vertical-align:middle;text-align:left}
thead th{background:ALT;border-bottom:2px solid ACCENT;vertical-align:bottom;font-weight:600;font-size:.8rem;white-space:normal;position:sticky;top:0;z-index:1}
thead th button{all:unset;cursor:pointer;display:inline-flex;align-items:flex-end;gap:.25rem;text-align:inherit}
thead th button:focus-visible{outline:3px solid ACCENT;outline-offset:2px}
thead th.num button{justify-content:flex-end}
.label{max-width:7.5em}
.arrow{display:inline-block;flex:none;width:.8em;color:MUTED}
.arrow::after{content:"↕"}
th[aria-sort=ascending] .arrow::after{content:"▲";color:ACCENT}
th[aria-sort=descending] .arrow::after{content:"▼";color:ACCENT}
tbody th{font-weight:600;min-width:8rem}
.deps{display:block;font-weight:400;font-size:.8rem;color:MUTED}
td.region{max-width:11rem}
tbody tr:nth-child(even){background:STRIPE}
tbody tr:hover{background:HOVER}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
td.year{white-space:normal}
.badge{display:inline-block;margin-left:.3rem;padding:0 .35rem;font-size:.75rem;font-weight:400;background:WARNFILL;color:WARNTEXT;border:1px solid WARNRULE;border-radius:3px}
.links{list-style:none;margin:0;padding:0}
.links li{white-space:nowrap}
.links a{color:ACCENT;font-weight:600}
.thumb img{display:block;border:1px solid FRAME;height:auto;max-width:100%}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.none{color:MUTED;font-style:italic}
footer{padding:.5rem 1.25rem 1.5rem;color:MUTED;font-size:.85rem}
footer p{margin:.2rem 0}
/* Narrow screens: one card per fiche, its name above its own figures, each figure under its header's
   words; the column headers become a row of sort buttons. Table semantics stay in the HTML. */
@media (max-width:CARDS){
main{padding:.75rem}
#fiches,#fiches caption,#fiches thead{display:block}
#fiches tbody{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,21rem),1fr));gap:.6rem}
#fiches thead tr{display:flex;flex-wrap:wrap;gap:.3rem;margin:0 0 .6rem}
#fiches thead th{position:static;border:1px solid RULE;border-radius:3px;padding:.25rem .45rem}
#fiches thead th:not([data-type]){display:none}
#fiches thead th.num button{justify-content:flex-start}
.label{max-width:none}
#fiches tbody tr{display:flex;flex-wrap:wrap;align-content:flex-start;padding:.45rem .6rem;border:1px solid RULE;border-left:4px solid ACCENT;border-radius:4px}
#fiches tbody td,#fiches tbody th{display:block;border:0;padding:.15rem .3rem;text-align:left;min-width:0}
#fiches tbody td:first-child{flex:0 0 auto;align-self:baseline;font-weight:600;color:ACCENT}
#fiches tbody th{flex:1 1 70%;align-self:baseline;font-size:1.05rem}
#fiches td.region{flex:1 1 100%;max-width:none}
#fiches td.num{flex:1 1 45%;display:flex;flex-direction:column;justify-content:space-between;white-space:normal}
#fiches td[data-label]::before{content:attr(data-label);content:attr(data-label) / "";display:block;font-size:.75rem;color:MUTED}
#fiches td.docs{flex:1 1 100%}
#fiches .links{display:flex;flex-wrap:wrap;gap:.2rem 1rem}
#fiches td.thumb{display:none}
}
@media print{.controls,.thumb{display:none}header{background:none;color:TEXT}thead th{position:static}}
"""

# Sorts and filters the rows already in the page. Plain ES5: no framework, nothing fetched.
SCRIPT = r"""
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

  function sortGroup(row, index) {  // ranks of départements, then of régions, whichever the direction
    return parseInt(row.cells[index].getAttribute("data-group") || "0", 10);
  }

  function sortBy(index, direction) {
    var type = headers[index].getAttribute("data-type");
    var sign = direction === "ascending" ? 1 : -1;
    var keyed = rows.map(function (row, position) {
      return [sortValue(row, index, type), position, row, sortGroup(row, index)];
    });
    keyed.sort(function (a, b) {
      if (a[0] === null || b[0] === null) {  // no figure (France's rank, a TI's): always last
        return a[0] === b[0] ? a[1] - b[1] : (a[0] === null ? 1 : -1);
      }
      if (a[3] !== b[3]) { return a[3] - b[3]; }
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
