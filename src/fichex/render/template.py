"""The PowerPoint template contract: named layouts and placeholders, loading (.pptx/.potx) and checking."""

from __future__ import annotations

import io
import os
import re
import stat
import xml.parsers.expat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import SlideLayout

from fichex.wording import numbers as numbers_text
from fichex.errors import TemplateError
from fichex.render.brand import load_brand
from fichex.resources import default_template_path

LAYOUT_COVER = "Couverture"
LAYOUT_SECTION = "Section"
LAYOUT_TEXT = "Titre et texte"
LAYOUT_CHART = "Graphique"
LAYOUT_TWO_CHARTS = "Deux graphiques"
LAYOUT_CONTACT = "Contact"

PH_TITLE = "Titre"  # the layout's title placeholder, whatever its name
PH_SUBTITLE = "Sous-titre"
PH_YEAR = "Année"
PH_TERRITORIES = "Territoires"
PH_TEXT = "Texte"
PH_CHART_TITLE = "Titre du graphique"
PH_CHART = "Graphique"
PH_COMMENT = "Commentaire"
PH_LEFT_TITLE = "Titre gauche"
PH_LEFT_CHART = "Graphique gauche"
PH_LEFT_CAPTION = "Légende gauche"
PH_RIGHT_TITLE = "Titre droite"
PH_RIGHT_CHART = "Graphique droite"
PH_RIGHT_CAPTION = "Légende droite"
PH_SOURCES = "Sources"
PH_INSTITUTION = "Institution"  # optional: the cover's institutional block (brand.toml), left out when absent

# Layout name → placeholder names the deck fills (matched on the placeholder's name in the layout): what a
# branded template must have.
REQUIRED_LAYOUTS: dict[str, tuple[str, ...]] = {
    LAYOUT_COVER: (PH_TITLE, PH_SUBTITLE, PH_YEAR, PH_TERRITORIES),
    LAYOUT_TEXT: (PH_TITLE, PH_TEXT),
    LAYOUT_CHART: (PH_TITLE, PH_CHART_TITLE, PH_CHART, PH_COMMENT),
    LAYOUT_TWO_CHARTS: (PH_TITLE, PH_TEXT, PH_LEFT_TITLE, PH_LEFT_CHART, PH_LEFT_CAPTION,
                        PH_RIGHT_TITLE, PH_RIGHT_CHART, PH_RIGHT_CAPTION),
    LAYOUT_CONTACT: (PH_TITLE, PH_TEXT, PH_SOURCES),
}
# The bundled template's layouts, in order: the required ones and « Section » (title and text on the brand
# colour), offered for slides users add themselves; no fichex slide uses it, so no template needs it.
BUNDLED_LAYOUTS = (LAYOUT_COVER, LAYOUT_SECTION, LAYOUT_TEXT, LAYOUT_CHART, LAYOUT_TWO_CHARTS, LAYOUT_CONTACT)

WIDESCREEN_RATIO = 16 / 9

_PRESENTATION_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)

# Template bytes are read once per process: (resolved path, mtime, size, size bound) → the loaded package.
_CACHE: dict[tuple[str, int, int, int], "_Loaded"] = {}

# A template is copied into every deck: its size once decompressed is bounded (python-pptx holds every part
# in memory, and each deck would carry an oversized image). The bound is raised by this variable, in MiB.
MAX_SIZE_VARIABLE = "FICHEX_TEMPLATE_MAX_MIB"
DEFAULT_MAX_SIZE_MIB = 50
MAX_PARTS = 5000
_MIB = 1 << 20
_READ_BLOCK = 1 << 16
# Content types and part names of VBA projects and of macro-enabled packages (.pptm, .potm, .ppsm).
_MACRO_MARKERS = ("macroenabled", "vbaproject")
_HYPERLINK_TYPE = "/hyperlink"
_SAFE_HYPERLINK = re.compile(r"(https?|mailto):", re.IGNORECASE)
_SHOWN_LINKS = 3


@dataclass(frozen=True)
class _Loaded:
    path: Path
    blob: bytes


class _Refused(ValueError):
    """The package carries what a template must not (DOCTYPE, macros, external links, excess size): the
    reason, one French clause ending with its fix."""


class _Unreadable(ValueError):
    """The path is not a file a template can be read from (a folder, a device, a pipe)."""


def max_size_bytes() -> int:
    """The bound on a template's decompressed size: $FICHEX_TEMPLATE_MAX_MIB MiB, else 50 MiB.

    Raises:
        TemplateError: the variable is set to something else than a positive number.
    """
    raw = os.environ.get(MAX_SIZE_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_SIZE_MIB * _MIB
    try:
        mib = float(raw)
    except ValueError:
        mib = 0.0
    if not 0 < mib < 1 << 20:
        raise TemplateError(f"variable {MAX_SIZE_VARIABLE} invalide (« {_shown(raw)} ») : donnez une taille en Mio, "
                            f"par exemple {DEFAULT_MAX_SIZE_MIB * 2}, ou retirez-la")
    return int(mib * _MIB)


def _shown(text: str, limit: int = 120) -> str:
    """A value from the file, fit for a one-line message (control characters as « ? », long ones cut)."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[:limit] + "…"


def _mib(size: int) -> str:
    return f"{numbers_text.decimal(size / _MIB, 1)} Mio"


def _inspect(source: zipfile.ZipFile, limit: int) -> None:
    """Refuse a package that is too large, declares a DOCTYPE, carries macros or links to outside content."""
    infos = source.infolist()
    if len(infos) > MAX_PARTS:
        raise _Refused(f"il compte {len(infos)} parties (au plus {MAX_PARTS}) : enregistrez-le de nouveau dans "
                       "PowerPoint ou LibreOffice")
    # The sizes come from the archive's directory; zipfile never returns more bytes than declared.
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise _Refused(f"il fait {_mib(total)} une fois décompressé, au-delà de la limite de {_mib(limit)} : "
                       "compressez ses images (Fichier > Compresser les images) ou relevez la limite avec la "
                       f"variable {MAX_SIZE_VARIABLE} (en Mio)")
    for info in infos:
        if any(marker in info.filename.lower() for marker in _MACRO_MARKERS):
            raise _Refused(f"il contient des macros ({_shown(info.filename)}) : enregistrez-le sans macros, au "
                           "format .pptx ou .potx")
    external: list[str] = []
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")):
            external += _scan_xml(source, info)
    if external:
        more = f" et {len(external) - _SHOWN_LINKS} autre(s)" if len(external) > _SHOWN_LINKS else ""
        raise _Refused(f"liens vers des contenus extérieurs, que PowerPoint suivrait à l'ouverture de chaque "
                       f"présentation : {' ; '.join(external[:_SHOWN_LINKS])}{more} ; insérez ces contenus dans le "
                       "modèle (image : Insertion > Image, sans « Lier au fichier ») ou retirez-les")


def _scan_xml(source: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    """Parse a whole XML part, streamed (expat, whatever its encoding): refuse a DOCTYPE as soon as it starts,
    before any entity is declared, and a macro-enabled content type or a relationship to a VBA project; in a
    relationships part, the external targets PowerPoint would fetch."""
    parser = xml.parsers.expat.ParserCreate()
    external: list[str] = []
    macros = _Refused("il est déclaré avec macros (.pptm, .potm, projet VBA) : enregistrez-le sans macros, au "
                      "format .pptx ou .potx")

    def doctype(*_args) -> None:
        raise _Refused(f"sa partie {_shown(info.filename)} déclare un DOCTYPE (entités XML), ce que PowerPoint "
                       "n'écrit jamais : ouvrez-le et enregistrez-le de nouveau dans PowerPoint ou LibreOffice")

    def element(name: str, attributes: dict[str, str]) -> None:
        declared = (attributes.get("ContentType", "") + attributes.get("Type", "")).lower()
        if any(marker in declared for marker in _MACRO_MARKERS):
            raise macros
        if name.rpartition(":")[2] != "Relationship" or attributes.get("TargetMode", "").strip().lower() != "external":
            return
        target, kind = attributes.get("Target", ""), attributes.get("Type", "")
        # A web or mail hyperlink is followed on a click only; anything else (a linked image, sound, OLE
        # object or data source, a file: or UNC hyperlink) is fetched, or exposes the network, on opening.
        if kind.endswith(_HYPERLINK_TYPE) and _SAFE_HYPERLINK.match(target.strip()):
            return
        external.append(f"{_shown(info.filename)} → {_shown(target)}")

    parser.StartDoctypeDeclHandler = doctype
    if info.filename.lower().endswith(".rels") or info.filename == "[Content_Types].xml":
        parser.StartElementHandler = element
    try:
        with source.open(info) as part:
            while block := part.read(_READ_BLOCK):
                parser.Parse(block, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise _Refused(f"sa partie {_shown(info.filename)} n'est pas du XML bien formé (ligne {exc.lineno}) : "
                       "ouvrez-le et enregistrez-le de nouveau dans PowerPoint ou LibreOffice") from None
    return external


def _as_pptx_bytes(blob: bytes, limit: int) -> bytes:
    """Return the package bytes, checked (`_inspect`), with a .potx main part declared as a presentation
    (python-pptx refuses .potx)."""
    with zipfile.ZipFile(io.BytesIO(blob)) as source:
        _inspect(source, limit)
        content_types = source.read("[Content_Types].xml")
        if _TEMPLATE_MAIN.encode() not in content_types:
            return blob
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    data = data.replace(_TEMPLATE_MAIN.encode(), _PRESENTATION_MAIN.encode())
                target.writestr(info, data)
        return out.getvalue()


def _read(path: Path, given_to: str = "--template") -> _Loaded:
    """The template's bytes (as a .pptx package); `given_to` names where the user typed the path, for the fix."""
    path = Path(path)
    limit = max_size_bytes()
    try:
        info = path.stat()
        key = (str(path.resolve()), info.st_mtime_ns, info.st_size, limit)
        loaded = _CACHE.get(key)
        if loaded is None:
            if not stat.S_ISREG(info.st_mode):
                raise _Unreadable("ce n'est pas un fichier ordinaire")
            if info.st_size > limit:
                raise _Refused(f"il fait {_mib(info.st_size)}, au-delà de la limite de {_mib(limit)} : compressez "
                               "ses images (Fichier > Compresser les images) ou relevez la limite avec la variable "
                               f"{MAX_SIZE_VARIABLE} (en Mio)")
            blob = _as_pptx_bytes(path.read_bytes(), limit)
            Presentation(io.BytesIO(blob))  # fail now, not halfway through a deck
            loaded = _Loaded(path, blob)
            _CACHE.clear()  # one template per process is the common case; keep memory flat
            _CACHE[key] = loaded
    except FileNotFoundError:
        raise TemplateError(
            f"modèle PowerPoint introuvable : {path} ; vérifiez le chemin donné à {given_to}") from None
    except _Refused as exc:
        raise TemplateError(f"modèle PowerPoint refusé : {path} ; {exc}") from None
    except Exception as exc:  # zipfile, lxml and python-pptx raise assorted errors on malformed packages
        why = str(exc) if isinstance(exc, _Unreadable) else type(exc).__name__
        raise TemplateError(
            f"modèle PowerPoint illisible : {path} ({why}) ; "
            "fournissez un fichier .pptx ou .potx enregistré par PowerPoint ou LibreOffice"
        ) from None
    return _Loaded(path, loaded.blob)


def layouts_by_name(prs: PresentationObject) -> dict[str, SlideLayout]:
    """Every slide layout of every master, by name (the first one wins on duplicates)."""
    found: dict[str, SlideLayout] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name.strip(), layout)
    return found


def placeholder_indices(layout: SlideLayout) -> dict[str, int]:
    """Placeholder name → idx in a layout; the title placeholder is also found as « Titre »."""
    indices: dict[str, int] = {}
    for placeholder in layout.placeholders:
        fmt = placeholder.placeholder_format
        indices.setdefault(placeholder.name.strip(), fmt.idx)
        if fmt.type in _TITLE_TYPES:
            indices[PH_TITLE] = fmt.idx
    return indices


@dataclass(frozen=True)
class TemplateProblem:
    """One thing a template lacks for fichex decks.

    Attributes:
        message: one French sentence naming the layout, placeholder or format at fault.
        blocking: True when a deck cannot be built from the template (a layout or placeholder is
            missing); False for a warning the build accepts (slides not 16:9).
    """

    message: str
    blocking: bool

    def __str__(self) -> str:
        return self.message


def _problems(prs: PresentationObject) -> list[TemplateProblem]:
    problems: list[TemplateProblem] = []
    width, height = prs.slide_width or 0, prs.slide_height or 0
    if not height or abs(width / height - WIDESCREEN_RATIO) > 0.01:
        ratio = numbers_text.decimal(width / height, 2) if height else "inconnu"
        # The deck is placed by the layouts' own frames, so another ratio still gives a usable deck.
        problems.append(TemplateProblem(
            f"format des diapositives non 16:9 (rapport largeur/hauteur {ratio}, attendu 1.78)", blocking=False))
    layouts = layouts_by_name(prs)
    for name, placeholders in REQUIRED_LAYOUTS.items():
        layout = layouts.get(name)
        if layout is None:
            problems.append(TemplateProblem(f"disposition manquante : « {name} »", blocking=True))
            continue
        present = placeholder_indices(layout)
        missing = [ph for ph in placeholders if ph not in present]
        if missing:
            names = ", ".join(f"« {ph} »" for ph in missing)
            problems.append(TemplateProblem(
                f"disposition « {name} » : espace(s) réservé(s) manquant(s) : {names}", blocking=True))
    return problems


def check_template(path: Path) -> list[TemplateProblem]:
    """List what a template lacks for fichex decks (empty list: the template is usable as it is).

    Args:
        path: a .pptx or .potx file.

    Returns:
        One problem per missing layout, per layout missing placeholders (both blocking) and for slides
        that are not 16:9 (not blocking: `load_template` and the build accept it).

    Raises:
        TemplateError: the file is missing, cannot be read as a presentation, is refused (a DOCTYPE, macros,
            external links, over the size bound), or the brand.toml beside it is.
    """
    loaded = _read(Path(path), given_to="fichex template check")
    load_brand(path)  # the brand.toml beside the template, which every deck built on it reads
    return _problems(Presentation(io.BytesIO(loaded.blob)))


_BLOCKING: dict[bytes, list[str]] = {}
_STORES: dict[bytes, dict] = {}


def template_store(path: Path | None = None) -> dict:
    """A dict kept in this process for the template's bytes (the bundled template by default): what every deck
    built on the same template may share (render.pptx.slides.Deck keeps the layouts' resolved geometry and
    the shapes of new slides there). Another template, or the same file changed, gets a new, empty one."""
    loaded = _read(Path(path) if path is not None else default_template_path())
    store = _STORES.get(loaded.blob)
    if store is None:
        _STORES.clear()  # one template per process is the common case; keep memory flat
        store = _STORES[loaded.blob] = {}
    return store


def load_template(path: Path | None = None) -> PresentationObject:
    """Open a fresh presentation from a template (bundled one by default); its bytes are read once per process.

    Raises:
        TemplateError: the file is missing, unreadable or refused (see `check_template`), or lacks a layout or
            placeholder the deck needs.
    """
    path = Path(path) if path is not None else default_template_path()
    loaded = _read(path)
    prs = Presentation(io.BytesIO(loaded.blob))
    # The same bytes pass or fail the same way: checked once per process, not once per deck of a batch.
    blocking = _BLOCKING.get(loaded.blob)
    if blocking is None:
        blocking = [p.message for p in _problems(prs) if p.blocking]
        _BLOCKING.clear()
        _BLOCKING[loaded.blob] = blocking
    if blocking:
        raise TemplateError(
            f"modèle PowerPoint incomplet : {path} ; {' ; '.join(blocking)} ; ajoutez-les dans le masque des "
            "diapositives ou partez du modèle fourni (vérifiez avec « fichex template check »)"
        )
    return prs
