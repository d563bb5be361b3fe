"""An accessibility checker for the decks, after the rules of PowerPoint's own « Vérifier l'accessibilité ».

`check_deck(path)` reads a .pptx with lxml only (every part resolved as PowerPoint does: run → shape list style →
layout placeholder → master placeholder → master text styles → theme) and returns its findings:

- `alt-text`: a picture, chart, table, group, connector or text-less shape with neither alternative text
  (p:cNvPr descr) nor the a16 « decorative » mark, inside groups too (PowerPoint checks the group alone, but
  LibreOffice's tagged PDF makes a figure of each shape of a group);
- `slide-title`: a slide without a title placeholder holding text; `duplicate-title`: two slides of one deck
  with the same title;
- `table-header`: a table whose first row is not marked as its header row (a:tblPr firstRow="1");
- `contrast`: a text run under 4.5:1 against what lies beneath it (3:1 from 18 pt, or 14 pt bold, and for a
  legend's swatch glyph « ■ », a graphic: WCAG 2 AA);
- `link-text`: a link whose text is an address (http…, www…) or empty rather than saying where it leads;
- `reading-order`: a slide whose first shape in reading order (spTree order) is not its title;
- `small-text`: a text run under 9 pt (chart data labels excepted).

Findings inside a group named in WARNING_GROUPS are graded warnings (none now: the treemap's tile labels
were, while they went down to 8 pt). Everything else is an error.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from fichex.render.theme import contrast_ratio

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
NS = {"p": P, "a": A, "r": R, "c": C}

MIN_TEXT_CONTRAST = 4.5
MIN_LARGE_TEXT_CONTRAST = 3.0
MIN_RUN_SIZE = 900  # hundredths of a point
WARNING_GROUPS: tuple[str, ...] = ()  # groups whose findings are only warnings (the treemap's were, under 9 pt)
_ADDRESS = re.compile(r"^\s*(https?://|www\.|mailto:)", re.IGNORECASE)
_TITLE_TYPES = ("title", "ctrTitle")
_WORDS = re.compile(r"\w")  # a run without a letter or digit (« ■ ») is a graphic: 3:1
_NON_TEXT = ("pic", "graphicFrame", "grpSp", "cxnSp")


@dataclass(frozen=True)
class Finding:
    """One broken rule: where (deck, slide number, shape name), which rule, what, and how serious."""

    deck: str
    slide: int
    shape: str
    rule: str
    detail: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.severity} {self.deck} diapositive {self.slide} « {self.shape} » [{self.rule}] {self.detail}"


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h


class _Package:
    """The parts of one .pptx, parsed once, with their relationships."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())
        self.cache: dict[str, etree._Element] = {}

    def xml(self, name: str) -> etree._Element:
        if name not in self.cache:
            self.cache[name] = etree.fromstring(self.zip.read(name))
        return self.cache[name]

    def rels(self, name: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type's last segment, target: a part name, or the external address)."""
        rels_name = posixpath.join(posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels")
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_name):
            target = rel.get("Target")
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            out[rel.get("Id")] = (rel.get("Type").rsplit("/", 1)[-1], target)
        return out

    def related(self, name: str, kind: str) -> str | None:
        return next((target for k, target in self.rels(name).values() if k == kind), None)

    def slides(self) -> list[str]:
        presentation = "ppt/presentation.xml"
        rels = self.rels(presentation)
        return [rels[s.get(f"{{{R}}}id")][1] for s in self.xml(presentation).iterfind("p:sldIdLst/p:sldId", NS)]


class _Styles:
    """Text size and colour inheritance of one slide: its layout, its master and the theme."""

    def __init__(self, package: _Package, slide: str):
        self.layout = package.related(slide, "slideLayout")
        self.master = package.related(self.layout, "slideMaster")
        theme = package.xml(package.related(self.master, "theme"))
        self.scheme = {}
        for colour in theme.find(".//a:clrScheme", NS):
            value = colour.find("a:srgbClr", NS)
            system = colour.find("a:sysClr", NS)
            self.scheme[etree.QName(colour).localname] = (value.get("val") if value is not None
                                                          else system.get("lastClr", "000000"))
        master = package.xml(self.master)
        mapping = master.find("p:clrMap", NS)
        self.colour_map = dict(mapping.attrib) if mapping is not None else {}
        self.layout_xml, self.master_xml = package.xml(self.layout), master
        self.slide_xml = package.xml(slide)
        self.chains: dict[etree._Element, list[etree._Element]] = {}
        self.steps: dict[tuple[etree._Element, int], list[etree._Element]] = {}
        self.fixed = [(element, box) for part in (self.layout_xml, self.master_xml)
                      for element, box, _ in reversed(list(_flatten(part.find("p:cSld/p:spTree", NS))))
                      if box is not None and etree.QName(element).localname == "sp"
                      and element.find("p:nvSpPr/p:nvPr/p:ph", NS) is None]

    def colour(self, fill: etree._Element | None) -> str | None:
        """The RRGGBB of an a:solidFill (or None when there is none or it is not solid)."""
        if fill is None:
            return None
        srgb = fill.find("a:srgbClr", NS)
        if srgb is not None:
            return srgb.get("val").upper()
        scheme = fill.find("a:schemeClr", NS)
        if scheme is not None:
            name = scheme.get("val")
            name = self.colour_map.get(name, name)
            return self.scheme.get(name, "000000").upper()
        return None

    def placeholder(self, part: etree._Element, ph: etree._Element | None) -> etree._Element | None:
        """The shape of `part` (layout or master) that a slide's placeholder inherits from."""
        if ph is None:
            return None
        kind, idx = ph.get("type", "body"), ph.get("idx")
        shapes = part.iterfind(".//p:sp", NS)
        candidates = [(s, s.find("p:nvSpPr/p:nvPr/p:ph", NS)) for s in shapes]
        candidates = [(s, p) for s, p in candidates if p is not None]
        if idx is not None:
            for shape, other in candidates:
                if other.get("idx") == idx:
                    return shape
        wanted = {"ctrTitle": ("ctrTitle", "title"), "subTitle": ("subTitle", "body")}.get(kind, (kind,))
        for name in wanted:
            for shape, other in candidates:
                if other.get("type", "body") == name:
                    return shape
        if kind in ("body", "subTitle", "obj"):
            return next((s for s, o in candidates if o.get("type", "body") == "body"), None)
        return None

    def chain(self, shape: etree._Element) -> list[etree._Element]:
        """The shape, then the layout's and the master's shapes it inherits from (placeholders only)."""
        if shape not in self.chains:
            self.chains[shape] = self.find_chain(shape)
        return self.chains[shape]

    def find_chain(self, shape: etree._Element) -> list[etree._Element]:
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        out = [shape]
        if ph is not None:
            for part in (self.layout_xml, self.master_xml):
                found = self.placeholder(part, ph)
                if found is not None:
                    out.append(found)
        return out

    def master_style(self, shape: etree._Element) -> etree._Element | None:
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        name = ("titleStyle" if ph is not None and ph.get("type") in _TITLE_TYPES
                else "bodyStyle" if ph is not None else "otherStyle")
        return self.master_xml.find(f"p:txStyles/p:{name}", NS)

    def run_property(self, shape: etree._Element, paragraph: etree._Element, run: etree._Element, read):
        """The first value `read(rPr-like element)` gives along the inheritance chain of a run."""
        level = int((paragraph.find("a:pPr", NS).get("lvl", "0") if paragraph.find("a:pPr", NS) is not None
                     else "0")) + 1
        ppr = paragraph.find("a:pPr", NS)
        steps = [run.find("a:rPr", NS), ppr.find("a:defRPr", NS) if ppr is not None else None]
        if (shape, level) not in self.steps:
            inherited = [link.find(f"p:txBody/a:lstStyle/a:lvl{level}pPr/a:defRPr", NS) for link in self.chain(shape)]
            style = self.master_style(shape)
            if style is not None:
                inherited.append(style.find(f"a:lvl{level}pPr/a:defRPr", NS))
            self.steps[(shape, level)] = [step for step in inherited if step is not None]
        for step in steps + self.steps[(shape, level)]:
            if step is not None and (value := read(step)) is not None:
                return value
        return None

    def shape_fill(self, shape: etree._Element) -> str | None:
        """The solid fill of a shape (inherited from its placeholder), None when it lets what is beneath show."""
        for link in self.chain(shape):
            props = link.find("p:spPr", NS)
            if props is None:
                continue
            if props.find("a:noFill", NS) is not None:
                return None
            colour = self.colour(props.find("a:solidFill", NS))
            if colour is not None:
                return colour
        return None

    def background(self) -> str:
        for part in (self.slide_xml, self.layout_xml, self.master_xml):
            colour = self.colour(part.find("p:cSld/p:bg/p:bgPr/a:solidFill", NS))
            if colour is not None:
                return colour
            ref = part.find("p:cSld/p:bg/p:bgRef", NS)
            if ref is not None:
                return self.colour(ref) or "FFFFFF"
        return "FFFFFF"


def _box(shape: etree._Element, transform) -> _Box | None:
    xfrm = shape.find("p:spPr/a:xfrm", NS)
    if xfrm is None:
        xfrm = shape.find("p:xfrm", NS)
    if xfrm is None:
        xfrm = shape.find("p:grpSpPr/a:xfrm", NS)
    if xfrm is None or xfrm.find("a:off", NS) is None:
        return None
    off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
    x, y = transform(float(off.get("x")), float(off.get("y")))
    x2, y2 = transform(float(off.get("x")) + float(ext.get("cx")), float(off.get("y")) + float(ext.get("cy")))
    return _Box(x, y, x2 - x, y2 - y)


def _group_transform(group: etree._Element, outer):
    xfrm = group.find("p:grpSpPr/a:xfrm", NS)
    if xfrm is None or xfrm.find("a:chOff", NS) is None:
        return outer
    off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
    ch_off, ch_ext = xfrm.find("a:chOff", NS), xfrm.find("a:chExt", NS)
    sx = float(ext.get("cx")) / float(ch_ext.get("cx")) if float(ch_ext.get("cx")) else 1.0
    sy = float(ext.get("cy")) / float(ch_ext.get("cy")) if float(ch_ext.get("cy")) else 1.0

    def transform(x: float, y: float) -> tuple[float, float]:
        return outer(float(off.get("x")) + (x - float(ch_off.get("x"))) * sx,
                     float(off.get("y")) + (y - float(ch_off.get("y"))) * sy)
    return transform


def _flatten(tree: etree._Element, transform=lambda x, y: (x, y), groups: tuple[str, ...] = ()):
    """Every shape of a shape tree in drawing order: (element, its box on the slide, names of its groups)."""
    for element in tree:
        kind = etree.QName(element).localname
        if kind not in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp"):
            continue
        yield element, _box(element, transform), groups
        if kind == "grpSp":
            yield from _flatten(element, _group_transform(element, transform), groups + (_name(element),))


def _props(element: etree._Element) -> etree._Element | None:
    return element.find("*/p:cNvPr", NS)


def _name(element: etree._Element) -> str:
    props = _props(element)
    return props.get("name", "") if props is not None else ""


def _has_alt(element: etree._Element) -> bool:
    props = _props(element)
    return props is not None and (bool((props.get("descr") or "").strip())
                                  or props.find(f".//{DECORATIVE}") is not None)


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _is_title(element: etree._Element) -> bool:
    ph = element.find("p:nvSpPr/p:nvPr/p:ph", NS)
    return ph is not None and ph.get("type") in _TITLE_TYPES


class _SlideCheck:
    """The findings of one slide."""

    def __init__(self, package: _Package, deck: str, number: int, slide: str):
        self.package, self.deck, self.number, self.slide = package, deck, number, slide
        self.styles = _Styles(package, slide)
        self.tree = package.xml(slide).find("p:cSld/p:spTree", NS)
        self.findings: list[Finding] = []
        self.links = package.rels(slide)

    def add(self, shape: str, rule: str, detail: str, groups: tuple[str, ...] = ()) -> None:
        severity = "warning" if any(g.startswith(WARNING_GROUPS) for g in groups + (shape,)) else "error"
        self.findings.append(Finding(self.deck, self.number, shape, rule, detail, severity))

    def title(self) -> str:
        title = next((e for e in self.tree if _is_title(e)), None)
        return _text(title.find("p:txBody", NS)).strip() if title is not None else ""

    def run(self) -> list[Finding]:
        top = [e for e in self.tree if etree.QName(e).localname in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp")]
        if not self.title():
            self.add("", "slide-title", "pas de titre de diapositive (espace réservé titre rempli)")
        elif not _is_title(top[0]):
            self.add(_name(top[0]), "reading-order", f"premier dans l'ordre de lecture au lieu du titre « {self.title()} »")
        shapes = list(_flatten(self.tree))
        for index, (element, box, groups) in enumerate(shapes):
            self.check_alt(element, groups)
            kind = etree.QName(element).localname
            if kind == "sp":
                self.check_text(element, box, groups, shapes[:index])
            elif kind == "graphicFrame":
                self.check_frame(element, groups)
        return self.findings

    def check_alt(self, element: etree._Element, groups: tuple[str, ...]) -> None:
        kind = etree.QName(element).localname
        text_less = kind == "sp" and not _text(element.find("p:txBody", NS)).strip() \
            and element.find("p:nvSpPr/p:nvPr/p:ph", NS) is None
        if (kind in _NON_TEXT or text_less) and not _has_alt(element):
            self.add(_name(element), "alt-text", "ni texte de remplacement ni marque « décoratif »", groups)

    def check_frame(self, element: etree._Element, groups: tuple[str, ...]) -> None:
        table = element.find(".//a:tbl", NS)
        if table is not None:
            props = table.find("a:tblPr", NS)
            if props is None or props.get("firstRow") not in ("1", "true"):
                self.add(_name(element), "table-header", "première ligne non marquée comme en-tête (firstRow)", groups)
        chart = element.find(".//c:chart", NS)
        if chart is not None:
            part = self.links.get(chart.get(f"{{{R}}}id"), ("", ""))[1]
            if part in self.package.names:
                for props in self.package.xml(part).iter(f"{{{A}}}defRPr", f"{{{A}}}rPr"):
                    inside_labels = any(etree.QName(a).localname in ("dLbls", "dLbl") for a in props.iterancestors())
                    size = props.get("sz")
                    if size and int(size) < MIN_RUN_SIZE and not inside_labels:
                        self.add(_name(element), "small-text", f"texte du graphique à {int(size) / 100:g} pt", groups)

    def beneath(self, box: _Box | None, earlier) -> str:
        """The colour under the centre of `box`: the last filled shape drawn before it there, else the background."""
        if box is not None:
            cx, cy = box.x + box.w / 2, box.y + box.h / 2
            for element, other, _ in reversed(earlier):
                if other is not None and etree.QName(element).localname == "sp" and other.contains(cx, cy):
                    fill = self.styles.shape_fill(element)
                    if fill is not None:
                        return fill
            for element, other in self.styles.fixed:
                if other.contains(cx, cy):
                    fill = self.styles.shape_fill(element)
                    if fill is not None:
                        return fill
        return self.styles.background()

    def check_text(self, element: etree._Element, box: _Box | None, groups, earlier) -> None:
        body = element.find("p:txBody", NS)
        if body is None:
            return
        name = _name(element)
        fill = self.styles.shape_fill(element) or self.beneath(box, earlier)
        for paragraph in body.iterfind("a:p", NS):
            for run in paragraph.iterfind("a:r", NS):
                text = _text(run.find("a:t", NS))
                if not text.strip():
                    continue
                size = self.styles.run_property(element, paragraph, run, lambda e: e.get("sz")) or "1800"
                size = int(size)
                bold = self.styles.run_property(element, paragraph, run, lambda e: e.get("b")) in ("1", "true")
                colour = self.styles.run_property(
                    element, paragraph, run, lambda e: self.styles.colour(e.find("a:solidFill", NS))) \
                    or self.styles.colour_map and self.styles.scheme.get(self.styles.colour_map.get("tx1", "dk1"))
                shown = text.strip()[:40]
                if size < MIN_RUN_SIZE:
                    self.add(name, "small-text", f"« {shown} » à {size / 100:g} pt", groups)
                large = size >= 1800 or (bold and size >= 1400) or not _WORDS.search(text)
                needed = MIN_LARGE_TEXT_CONTRAST if large else MIN_TEXT_CONTRAST
                ratio = contrast_ratio(colour, fill)
                if ratio < needed:
                    self.add(name, "contrast", f"« {shown} » {colour} sur {fill} : {ratio:.2f}:1 < {needed}:1", groups)
                self.check_link(name, run, text, groups)

    def check_link(self, name: str, run: etree._Element, text: str, groups) -> None:
        link = run.find("a:rPr/a:hlinkClick", NS)
        if link is None or not link.get(f"{{{R}}}id"):
            return
        target = self.links.get(link.get(f"{{{R}}}id"), ("", ""))[1]
        if not text.strip() or _ADDRESS.match(text) or text.strip() == target:
            self.add(name, "link-text", f"le lien vers {target} a pour texte « {text.strip()} »", groups)


def check_deck(path: Path | str) -> list[Finding]:
    """Every finding of one deck, slide by slide (see the module's docstring for the rules)."""
    path = Path(path)
    package = _Package(path)
    try:
        findings: list[Finding] = []
        titles: dict[str, int] = {}
        for number, slide in enumerate(package.slides(), start=1):
            check = _SlideCheck(package, path.name, number, slide)
            findings.extend(check.run())
            title = check.title()
            if title and title in titles:
                findings.append(Finding(path.name, number, title, "duplicate-title",
                                        f"même titre que la diapositive {titles[title]}"))
            titles.setdefault(title, number)
        return findings
    finally:
        package.zip.close()


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
