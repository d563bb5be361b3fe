"""The deck's institutional text (cover block, links, contact) read from a `brand.toml`.

The bundled `templates/brand.toml` holds the programme's lines; a template given with `--template` takes the
`brand.toml` beside it when there is one, so another organisation rebrands without touching the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fichex.errors import TemplateError
from fichex.resources import templates_dir

BRAND_FILE = "brand.toml"
_LINK = re.compile(r"https?://[^\s\"<>]+")
_MAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[a-z]{2,}", re.IGNORECASE)


@dataclass(frozen=True)
class Brand:
    """What the deck says of its publisher; every field may be empty (then its text is left out)."""

    institution: tuple[str, ...] = ()
    motto: tuple[str, ...] = ()
    publisher: tuple[str, ...] = ()
    portraits_link: str = ""
    press_kit_link: str = ""
    contact: str = ""
    news: tuple[tuple[str, str], ...] = ()  # (label, address)
    source: Path | None = None


def brand_path(template: Path | str | None) -> Path:
    """The brand file for a template: the one beside a given template, else the bundled one."""
    if template is not None:
        beside = Path(template).parent / BRAND_FILE
        if beside.is_file():
            return beside
    return templates_dir() / BRAND_FILE


def load_brand(template: Path | str | None = None) -> Brand:
    """The brand of a deck built on `template` (None: the bundled template).

    Raises:
        TemplateError: the brand file is not valid TOML or holds an address that is not http(s) or an e-mail.
    """
    path = brand_path(template)
    if not path.is_file():
        return Brand()
    stat = path.stat()
    return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int, _size: int) -> Brand:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the tomli dependency
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            values = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise TemplateError(f"fichier de marque illisible ({path}) : {error} ; corrigez-le ou retirez-le") from None

    def text(key: str) -> str:
        value = values.get(key, "")
        if not isinstance(value, str):
            raise TemplateError(f"{path} : la clé « {key} » doit être un texte entre guillemets ; corrigez-la")
        return value.strip()

    def lines(key: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text(key).split("|") if part.strip())

    def link(key: str) -> str:
        value = text(key)
        if value and not _LINK.fullmatch(value):
            raise TemplateError(f"{path} : « {key} » n'est pas une adresse http(s) ({value}) ; corrigez-la ou "
                                "laissez-la vide")
        return value

    contact = text("contact")
    if contact and not _MAIL.fullmatch(contact):
        raise TemplateError(f"{path} : « contact » n'est pas une adresse électronique ({contact}) ; corrigez-la")
    news = []
    for n in range(1, 10):
        label, address = text(f"news_{n}_label"), link(f"news_{n}_link")
        if label and address:
            news.append((label, address))
    return Brand(institution=lines("institution"), motto=lines("motto"), publisher=lines("publisher"),
                 portraits_link=link("portraits_link"), press_kit_link=link("press_kit_link"), contact=contact,
                 news=tuple(news), source=Path(path))
