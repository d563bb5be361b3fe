"""Build the bundled branded PowerPoint template templates/fichex.pptx from templates/brand.toml.

python-pptx cannot create slide layouts, so this starts from python-pptx's default template, keeps six of
its layouts and rewrites their XML (names, placeholders, geometry), restyles the master and the theme
(colours, Arial) and sets 16:9. Output is deterministic (fixed metadata and zip timestamps).

Usage (dev tool, Python 3.11+ for tomllib):  python scripts/build_template.py [--brand FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tomllib
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml

from fichex.render import template as tpl

REPO = Path(__file__).resolve().parent.parent
NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"

EMU_PER_INCH = 914400
SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 in × 7.5 in, 16:9
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def inch(value: float) -> int:
    return int(round(value * EMU_PER_INCH))


# --- geometry shared by the layouts (inches) -------------------------------------------------------------
MARGIN = 0.5
CONTENT_W = 13.333 - 2 * MARGIN
TITLE_Y, TITLE_H = 0.42, 0.72
RULE_Y = 1.18
BODY_Y = 1.4
BODY_BOTTOM = 6.85
FOOTER_Y, FOOTER_H = 7.02, 0.32


class Ids:
    """Shape ids unique within one part."""

    def __init__(self) -> None:
        self.value = 1

    def next(self) -> int:
        self.value += 1
        return self.value


def _xfrm(x: float, y: float, w: float, h: float) -> str:
    return f'<a:xfrm><a:off x="{inch(x)}" y="{inch(y)}"/><a:ext cx="{inch(w)}" cy="{inch(h)}"/></a:xfrm>'


def _fill(colour: str | None) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>' if colour else "<a:noFill/>"


def _rpr(size: float | None = None, bold: bool | None = None, colour: str | None = None,
         tag: str = "a:defRPr") -> str:
    attrs = ' lang="fr-FR"' if tag != "a:defRPr" else ""
    if size:
        attrs += f' sz="{int(size * 100)}"'
    if bold is not None:
        attrs += ' b="1"' if bold else ' b="0"'
    inner = _fill(colour) if colour else ""
    return f"<{tag}{attrs}>{inner}</{tag}>"


def placeholder(ids: Ids, name: str, ph: str, box: tuple[float, float, float, float], *, size: float | None = None,
                bold: bool | None = None, colour: str | None = None, anchor: str = "t", align: str = "l",
                prompt: str = "", fill: str | None = None, inset: float = 0.08) -> str:
    """A layout placeholder `<p:sp>`; `ph` is the inner `<p:ph …/>` attributes."""
    # Level 2 (bullets) follows level 1's size and colour, so a panel's text is of one size.
    level2 = f'<a:lvl2pPr>{_rpr(size, None, colour)}</a:lvl2pPr>' if size or colour else ""
    lst = (f'<a:lstStyle><a:lvl1pPr marL="0" indent="0" algn="{align}"><a:buNone/>'
           f"{_rpr(size, bold, colour)}</a:lvl1pPr>{level2}</a:lstStyle>")
    ins = inch(inset)
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{ids.next()}" name="{escape(name)}"/>'
        f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>'
        f'<p:spPr>{_xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(fill) if fill else ""}</p:spPr>'
        f'<p:txBody><a:bodyPr wrap="square" lIns="{ins}" tIns="{ins}" rIns="{ins}" bIns="{ins}" anchor="{anchor}">'
        f"<a:noAutofit/></a:bodyPr>{lst}"
        f'<a:p><a:r><a:rPr lang="fr-FR"/><a:t>{escape(prompt or name)}</a:t></a:r></a:p></p:txBody></p:sp>'
    )


def rect(ids: Ids, name: str, box: tuple[float, float, float, float], colour: str) -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{ids.next()}" name="{escape(name)}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
        f'</p:nvSpPr><p:spPr>{_xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(colour)}'
        f'<a:ln><a:noFill/></a:ln></p:spPr>'
        f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="fr-FR"/></a:p></p:txBody></p:sp>'
    )


def textbox(ids: Ids, name: str, box: tuple[float, float, float, float], runs: str, *, size: float,
            colour: str, bold: bool = False, align: str = "l", anchor: str = "ctr") -> str:
    """A plain (non-placeholder) text box; `runs` is inner paragraph XML (runs or fields)."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{ids.next()}" name="{escape(name)}"/><p:cNvSpPr txBox="1"/>'
        f'<p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>{_xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:noFill/></p:spPr><p:txBody><a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" '
        f'anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn="{align}"/>{runs}'
        f"</a:p></p:txBody></p:sp>"
    ).replace("<RPR/>", _rpr(size, bold, colour, tag="a:rPr"))


def run(text: str) -> str:
    return f"<a:r><RPR/><a:t>{escape(text)}</a:t></a:r>"


def fit(box: tuple[float, float, float, float], aspect: float) -> tuple[float, float, float, float]:
    """The largest box of width/height `aspect` inside `box`, anchored at its top-left corner."""
    x, y, w, h = box
    return (x, y, w, w / aspect) if w / aspect <= h else (x, y, h * aspect, h)


def picture(ids: Ids, name: str, rid: str, box: tuple[float, float, float, float], aspect: float = 0) -> str:
    box = fit(box, aspect) if aspect else box
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{ids.next()}" name="{escape(name)}" descr="{escape(name)}"/>'
        f'<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr userDrawn="1"/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
        f'<p:spPr>{_xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )


def sp_tree(shapes: str) -> str:
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
        f'<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{shapes}</p:spTree>'
    )


# --- master ----------------------------------------------------------------------------------------------
def _level(n: int, size: float, colour: str, *, bullet: bool, space_before: float) -> str:
    mar = 0 if n == 1 else int(inch(0.28) * (n - 1))
    indent = 0 if not bullet else -inch(0.2)
    bullet_xml = ('<a:buClr><a:srgbClr val="{c}"/></a:buClr><a:buFont typeface="Arial"/><a:buChar char="•"/>'
                  if bullet else "<a:buNone/>")
    return (
        f'<a:lvl{n}pPr marL="{mar}" indent="{indent}" algn="l" defTabSz="457200" rtl="0" eaLnBrk="1" '
        f'latinLnBrk="0" hangingPunct="1"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="{int(space_before * 100)}"/></a:spcBef>{bullet_xml}'
        f'<a:defRPr sz="{int(size * 100)}" kern="1200">{_fill(colour)}<a:latin typeface="+mn-lt"/>'
        f'<a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{n}pPr>'
    )


def master_xml_parts(brand: dict, logo_rid: str | None) -> tuple[str, str]:
    """The master's `<p:cSld>` and `<p:txStyles>`."""
    ids = Ids()
    primary, muted = brand["primary"], brand["muted"]
    shapes = [
        placeholder(ids, "Titre", 'type="title"', (MARGIN, TITLE_Y, CONTENT_W, TITLE_H), anchor="b",
                    prompt="Titre de la diapositive"),
        placeholder(ids, "Texte", 'type="body" idx="1"', (MARGIN, BODY_Y, CONTENT_W, BODY_BOTTOM - BODY_Y),
                    prompt="Texte"),
        rect(ids, "Filet de titre", (MARGIN + 0.08, RULE_Y, 1.2, 0.05), primary),
        rect(ids, "Filet de pied de page", (MARGIN, FOOTER_Y - 0.06, CONTENT_W, 0.01), "D1D5DB"),
        textbox(ids, "Organisation", (MARGIN + (0.9 if logo_rid else 0), FOOTER_Y, 7.5, FOOTER_H),
                run(f"{brand['organisation']} · {brand['tagline']}"), size=9, colour=muted),
        textbox(ids, "Numéro de page", (13.333 - MARGIN - 1.0, FOOTER_Y, 1.0, FOOTER_H),
                '<a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"><RPR/><a:t>‹N°›</a:t></a:fld>',
                size=9, colour=muted, align="r"),
    ]
    if logo_rid:
        shapes.append(picture(ids, "Logo", logo_rid, (MARGIN, FOOTER_Y, 0.8, FOOTER_H), brand["logo_aspect"]))
    c_sld = (f'<p:cSld {NS} name="fichex"><p:bg><p:bgPr>{_fill("FFFFFF")}<a:effectLst/></p:bgPr></p:bg>'
             f"{sp_tree(''.join(shapes))}</p:cSld>")
    title = (
        '<p:titleStyle><a:lvl1pPr algn="l" defTabSz="457200" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
        '<a:lnSpc><a:spcPct val="90000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="2600" b="1" kern="1200">{_fill(primary)}<a:latin typeface="+mj-lt"/>'
        '<a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>'
    )
    text = brand["text"]
    levels = "".join(
        _level(n, 14 if n == 1 else 13 if n == 2 else 12, text, bullet=n > 1, space_before=6 if n == 1 else 3)
        .replace("{c}", primary) for n in range(1, 10)
    )
    body = f"<p:bodyStyle>{levels}</p:bodyStyle>"
    other = (f'<p:otherStyle><a:defPPr><a:defRPr lang="fr-FR"/></a:defPPr>'
             f'<a:lvl1pPr marL="0" algn="l" defTabSz="457200"><a:defRPr sz="1400" kern="1200">{_fill(text)}'
             '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr>'
             "</a:lvl1pPr></p:otherStyle>")
    return c_sld, f"<p:txStyles {NS}>{title}{body}{other}</p:txStyles>"


# --- layouts ---------------------------------------------------------------------------------------------
def _title(ids: Ids) -> str:
    return placeholder(ids, "Titre", 'type="title"', (MARGIN, TITLE_Y, CONTENT_W, TITLE_H), anchor="b",
                       prompt="Titre de la diapositive")


def layout_shapes(name: str, brand: dict, logo_rid: str | None) -> tuple[str, str, bool]:
    """(layout type, spTree content, show master shapes) of one named layout."""
    ids = Ids()
    primary, text, muted, light = brand["primary"], brand["text"], brand["muted"], brand["light"]
    body_h = BODY_BOTTOM - BODY_Y
    if name == tpl.LAYOUT_COVER:
        panel_w = 4.3
        shapes = [
            rect(ids, "Bandeau", (0, 0, panel_w, 7.5), primary),
            # The institutional block (brand.toml: institution, motto, publisher), filled by each deck as text.
            placeholder(ids, tpl.PH_INSTITUTION, 'type="body" sz="quarter" idx="15"', (0.5, 0.7, panel_w - 1.0, 4.6),
                        size=14, colour="FFFFFF", prompt="Bloc institutionnel"),
            textbox(ids, "Organisation", (0.5, 6.45, panel_w - 1.0, 0.5), run(brand["organisation"]),
                    size=14, colour="FFFFFF", bold=True, anchor="b"),
            placeholder(ids, tpl.PH_TITLE, 'type="ctrTitle"', (panel_w + 0.6, 1.3, 8.0, 1.5), size=34, bold=True,
                        colour=primary, anchor="b", prompt="Titre de la publication"),
            rect(ids, "Filet de titre", (panel_w + 0.68, 2.95, 1.2, 0.05), primary),
            placeholder(ids, tpl.PH_SUBTITLE, 'type="subTitle" idx="1"', (panel_w + 0.6, 3.15, 8.0, 0.8),
                        size=24, colour=brand["export"], prompt="Territoires d'industrie – Département"),
            placeholder(ids, tpl.PH_YEAR, 'type="body" sz="quarter" idx="13"', (panel_w + 0.6, 3.95, 8.0, 0.55),
                        size=18, bold=True, colour=text, prompt="Année"),
            placeholder(ids, tpl.PH_TERRITORIES, 'type="body" sz="half" idx="14"', (panel_w + 0.6, 4.75, 8.0, 2.1),
                        size=14, colour=text, prompt="Territoires d'industrie du département"),
        ]
        if logo_rid:
            shapes.append(picture(ids, "Logo", logo_rid, (0.5, 5.5, 1.6, 0.8), brand["logo_aspect"]))
        return "title", "".join(shapes), False
    if name == tpl.LAYOUT_SECTION:
        shapes = [
            rect(ids, "Fond", (0, 0, 13.333, 7.5), primary),
            placeholder(ids, tpl.PH_TITLE, 'type="title"', (1.0, 2.3, 11.333, 1.4), size=34, bold=True,
                        colour="FFFFFF", anchor="b", prompt="Titre de section"),
            rect(ids, "Filet", (1.08, 3.85, 1.2, 0.05), "FFFFFF"),
            placeholder(ids, tpl.PH_TEXT, 'type="body" idx="1"', (1.0, 4.05, 11.333, 1.6), size=16,
                        colour="FFFFFF", prompt="Texte de la section"),
        ]
        return "secHead", "".join(shapes), False
    if name == tpl.LAYOUT_TEXT:
        shapes = [_title(ids), placeholder(ids, tpl.PH_TEXT, 'type="body" idx="1"',
                                           (MARGIN, BODY_Y + 0.1, CONTENT_W, body_h - 0.1), size=16, prompt="Texte")]
        return "obj", "".join(shapes), True
    if name == tpl.LAYOUT_CHART:
        side_w = 3.55
        chart_w = CONTENT_W - side_w - 0.25
        shapes = [
            _title(ids),
            placeholder(ids, tpl.PH_CHART_TITLE, 'type="body" sz="quarter" idx="13"', (MARGIN, BODY_Y, chart_w, 0.45),
                        size=15, bold=True, colour=primary, anchor="ctr", prompt="Titre du graphique"),
            placeholder(ids, tpl.PH_CHART, 'type="chart" sz="half" idx="14"', (MARGIN, BODY_Y + 0.5, chart_w,
                        body_h - 0.5), prompt="Graphique"),
            placeholder(ids, tpl.PH_COMMENT, 'type="body" sz="quarter" idx="15"',
                        (MARGIN + chart_w + 0.25, BODY_Y, side_w, body_h), size=12, colour=text, fill=light,
                        inset=0.15, prompt="Commentaire, clé de lecture"),
        ]
        return "cust", "".join(shapes), True
    if name == tpl.LAYOUT_TWO_CHARTS:
        col_w = (CONTENT_W - 0.35) / 2
        right_x = MARGIN + col_w + 0.35
        chart_y, caption_h = BODY_Y + 0.95, 0.45
        chart_h = BODY_BOTTOM - chart_y - caption_h - 0.05
        shapes = [
            _title(ids),
            placeholder(ids, tpl.PH_TEXT, 'type="body" sz="quarter" idx="13"', (MARGIN, BODY_Y, CONTENT_W, 0.45),
                        size=13, colour=text, anchor="ctr", prompt="Texte d'introduction"),
        ]
        for side, x, idx in (("gauche", MARGIN, 14), ("droite", right_x, 17)):
            shapes += [
                placeholder(ids, f"Titre {side}", f'type="body" sz="quarter" idx="{idx}"', (x, BODY_Y + 0.5, col_w, 0.42),
                            size=14, bold=True, colour=primary, anchor="ctr", prompt=f"Titre du graphique {side}"),
                placeholder(ids, f"Graphique {side}", f'type="chart" sz="quarter" idx="{idx + 1}"',
                            (x, chart_y, col_w, chart_h), prompt=f"Graphique {side}"),
                placeholder(ids, f"Légende {side}", f'type="body" sz="quarter" idx="{idx + 2}"',
                            (x, BODY_BOTTOM - caption_h, col_w, caption_h), size=13, bold=True, colour=text,
                            anchor="ctr", prompt=f"Légende {side}"),
            ]
        return "twoObj", "".join(shapes), True
    if name == tpl.LAYOUT_CONTACT:
        left_w = 7.4
        shapes = [
            _title(ids),
            placeholder(ids, tpl.PH_TEXT, 'type="body" idx="1"', (MARGIN, BODY_Y, left_w, body_h), size=16,
                        prompt="Texte"),
            placeholder(ids, tpl.PH_SOURCES, 'type="body" sz="half" idx="13"',
                        (MARGIN + left_w + 0.3, BODY_Y, CONTENT_W - left_w - 0.3, body_h), size=10, colour=muted,
                        fill=light, inset=0.15, prompt="Sources et définitions"),
        ]
        return "cust", "".join(shapes), True
    raise ValueError(name)


def layout_xml(name: str, brand: dict, logo_rid: str | None) -> str:
    kind, shapes, show_master = layout_shapes(name, brand, logo_rid)
    show = "" if show_master else ' showMasterSp="0"'
    return (f'<p:sldLayout {NS} type="{kind}" preserve="1"{show}><p:cSld name="{escape(name)}">'
            f"{sp_tree(shapes)}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>")


# --- theme -----------------------------------------------------------------------------------------------
def restyle_theme(blob: bytes, brand: dict) -> bytes:
    root = etree.fromstring(blob)
    root.set("name", "fichex")
    scheme = root.find(f".//{{{A_NS}}}clrScheme")
    scheme.set("name", "fichex")
    colours = {"dk1": brand["text"], "lt1": "FFFFFF", "dk2": brand["primary"], "lt2": brand["light"],
               "accent1": brand["export"], "accent2": brand["import"], "accent3": brand["positive"],
               "accent4": brand["negative"], "accent5": brand["muted"], "accent6": brand["primary"],
               "hlink": brand["import"], "folHlink": brand["export"]}
    for tag, value in colours.items():
        slot = scheme.find(f"{{{A_NS}}}{tag}")
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{A_NS}}}srgbClr", val=value)
    fonts = root.find(f".//{{{A_NS}}}fontScheme")
    fonts.set("name", "fichex")
    for kind in ("majorFont", "minorFont"):
        font = fonts.find(f"{{{A_NS}}}{kind}")
        font.find(f"{{{A_NS}}}latin").set("typeface", brand["font"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- assembly --------------------------------------------------------------------------------------------
def read_brand(path: Path) -> dict:
    with path.open("rb") as handle:
        brand = tomllib.load(handle)
    required = ("organisation", "tagline", "primary", "text", "muted", "light", "export", "import",
                "positive", "negative", "font")
    missing = [key for key in required if not brand.get(key)]
    if missing:
        raise SystemExit(f"{path}: clé(s) manquante(s) : {', '.join(missing)}")
    logo = brand.get("logo") or ""
    brand["logo_path"] = (path.parent / logo) if logo else None
    brand["logo_aspect"] = 0.0
    if brand["logo_path"]:
        from PIL import Image  # Pillow comes with python-pptx

        with Image.open(brand["logo_path"]) as image:
            brand["logo_aspect"] = image.width / image.height
    return brand


def build(brand: dict) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.part._element.find(f"{{{P_NS}}}sldSz").attrib.pop("type", None)
    master = prs.slide_masters[0]

    # Keep the first six default layouts, drop the others, then rewrite the kept ones.
    layouts = list(master.slide_layouts)
    for layout in layouts[len(tpl.BUNDLED_LAYOUTS):]:
        master.slide_layouts.remove(layout)

    logo_rid = None
    if brand["logo_path"]:
        _, logo_rid = master.part.get_or_add_image_part(str(brand["logo_path"]))
    for layout, name in zip(master.slide_layouts, tpl.BUNDLED_LAYOUTS):
        part = layout.part
        layout_rid = None
        if brand["logo_path"]:
            _, layout_rid = part.get_or_add_image_part(str(brand["logo_path"]))
        part._element = parse_xml(layout_xml(name, brand, layout_rid).encode())

    c_sld, tx_styles = master_xml_parts(brand, logo_rid)
    element = master._element
    element.replace(element.find(f"{{{P_NS}}}cSld"), parse_xml(c_sld.encode()))
    element.replace(element.find(f"{{{P_NS}}}txStyles"), parse_xml(tx_styles.encode()))

    theme_part = master.part.part_related_by(RT.THEME)
    theme_part._blob = restyle_theme(theme_part.blob, brand)

    # Drop the 4:3 thumbnail of python-pptx's default template.
    package = prs.part.package
    for rid, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(rid)

    for rel in package._rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                f"<TotalTime>0</TotalTime><Application>fichex</Application>"
                f"<PresentationFormat>Grand écran (16:9)</PresentationFormat><Slides>0</Slides>"
                f"<Company>{escape(brand['organisation'])}</Company><AppVersion>16.0000</AppVersion></Properties>"
            ).encode()

    props = prs.core_properties
    props.title = f"Modèle fichex – {brand['organisation']}"
    props.subject = brand["tagline"]
    props.author = brand["organisation"]
    props.last_modified_by = "fichex"
    props.comments = "Généré par scripts/build_template.py à partir de templates/brand.toml"
    props.keywords = "fichex; modèle"
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.language = "fr-FR"

    buffer = io.BytesIO()
    prs.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _normalise_zip(blob: bytes) -> bytes:
    """Same entries, fixed timestamps: byte-identical output for identical inputs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brand", type=Path, default=REPO / "templates" / "brand.toml")
    parser.add_argument("--out", type=Path, default=REPO / "templates" / "fichex.pptx")
    args = parser.parse_args(argv)
    blob = build(read_brand(args.brand))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(blob)
    problems = tpl.check_template(args.out)
    for problem in problems:
        print(f"problème : {problem}", file=sys.stderr)
    print(f"{args.out} ({len(blob)} octets)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
