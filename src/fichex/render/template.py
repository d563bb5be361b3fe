"""The PowerPoint template contract: named layouts and placeholders, loading (.pptx/.potx) and checking."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import SlideLayout

from fichex.errors import TemplateError
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

# Template bytes are read once per process: (resolved path, mtime, size) → .pptx bytes.
_CACHE: dict[tuple[str, int, int], bytes] = {}


@dataclass(frozen=True)
class _Loaded:
    path: Path
    blob: bytes


class _DoctypeError(ValueError):
    """An XML part of the package declares a DOCTYPE (entities): PowerPoint never writes one."""

    def __init__(self, member: str) -> None:
        super().__init__(member)
        self.member = member


def _refuse_doctypes(source: zipfile.ZipFile) -> None:
    """Refuse a package whose XML declares a DOCTYPE: its entities would be expanded into the deck, which
    PowerPoint then cannot reopen (and an entity bomb would take the memory)."""
    for info in source.infolist():
        if info.filename.endswith((".xml", ".rels")):
            with source.open(info) as part:
                head = part.read(4096)
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise _DoctypeError(info.filename)


def _as_pptx_bytes(blob: bytes) -> bytes:
    """Return the package bytes with a .potx main part declared as a presentation (python-pptx refuses .potx)."""
    with zipfile.ZipFile(io.BytesIO(blob)) as source:
        _refuse_doctypes(source)
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
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        blob = _CACHE.get(key)
        if blob is None:
            blob = _as_pptx_bytes(path.read_bytes())
            Presentation(io.BytesIO(blob))  # fail now, not halfway through a deck
            _CACHE.clear()  # one template per process is the common case; keep memory flat
            _CACHE[key] = blob
    except FileNotFoundError:
        raise TemplateError(
            f"modèle PowerPoint introuvable : {path} ; vérifiez le chemin donné à {given_to}") from None
    except _DoctypeError as exc:
        raise TemplateError(
            f"modèle PowerPoint refusé : {path} ; sa partie {exc.member} déclare un DOCTYPE (entités XML), ce que "
            "PowerPoint n'écrit jamais : ouvrez-le et enregistrez-le de nouveau dans PowerPoint ou LibreOffice"
        ) from None
    except Exception as exc:  # zipfile, lxml and python-pptx raise assorted errors on malformed packages
        raise TemplateError(
            f"modèle PowerPoint illisible : {path} ({type(exc).__name__}) ; "
            "fournissez un fichier .pptx ou .potx enregistré par PowerPoint ou LibreOffice"
        ) from None
    return _Loaded(path, blob)


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
        ratio = f"{width / height:.2f}" if height else "inconnu"
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
        TemplateError: the file is missing or cannot be read as a presentation.
    """
    loaded = _read(Path(path), given_to="fichex template check")
    return _problems(Presentation(io.BytesIO(loaded.blob)))


_BLOCKING: dict[bytes, list[str]] = {}


def load_template(path: Path | None = None) -> PresentationObject:
    """Open a fresh presentation from a template (bundled one by default); its bytes are read once per process.

    Raises:
        TemplateError: the file is missing or unreadable, or lacks a layout or placeholder the deck needs.
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
