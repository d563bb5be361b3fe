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
# The file is flat (one `key = "texte"` a line) and small: bounds that a real brand file is far from, checked
# before parsing (a nesting bomb would exhaust the TOML parser's recursion) and on every value.
MAX_FILE_BYTES = 64 * 1024
MAX_VALUE_CHARS = 1000
MAX_NESTING = 8
# C0 and C1 controls, the bidirectional overrides (text shown in another order than written) and the two
# non-characters XML refuses: none belongs in a deck's text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


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
        TemplateError: the brand file is not valid TOML, is over its bounds (64 KiB, 1 000 characters a value,
            no table or array), holds a control character, or an address that is not http(s) or an e-mail.
    """
    path = brand_path(template)
    if not path.is_file():
        return Brand()
    stat = path.stat()
    return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int, _size: int) -> Brand:
    values = _parse(path)

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


def _parse(path: str) -> dict:
    """The brand file's keys, each a bounded text without control characters (or another scalar).

    Raises:
        TemplateError: one line naming the file and the key (or the line, when the TOML is malformed).
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the tomli dependency
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise TemplateError(f"fichier de marque trop grand ({path}) : plus de {MAX_FILE_BYTES // 1024} Kio ; "
                                "il ne tient que quelques lignes clé = \"texte\", retirez le reste")
        content = raw.decode("utf-8")
        _check_nesting(path, content)
        values = tomllib.loads(content)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as error:
        why = "imbrication trop profonde" if isinstance(error, RecursionError) else error
        raise TemplateError(f"fichier de marque illisible ({path}) : {why} ; corrigez-le ou retirez-le") from None
    for key, value in values.items():
        _check_value(path, key, value)
    return values


def _check_value(path: str, key: str, value) -> None:
    name = _shown_key(key)
    if isinstance(value, (dict, list)):
        raise TemplateError(f"{path} : la clé « {name} » est un tableau ou une table ; le fichier est plat, une ligne "
                            "clé = \"texte\" : corrigez-la")
    if not isinstance(value, str):
        return
    if len(value) > MAX_VALUE_CHARS:
        raise TemplateError(f"{path} : la clé « {name} » dépasse {MAX_VALUE_CHARS} caractères ({len(value)}) ; "
                            "raccourcissez-la")
    if (control := _CONTROL.search(value)) or (control := _CONTROL.search(key)):
        raise TemplateError(f"{path} : la clé « {name} » contient un caractère de contrôle "
                            f"(U+{ord(control.group()):04X}) ; retirez-le")


def _shown_key(key: str) -> str:
    """A key as the message shows it: on one line, at most 60 characters."""
    key = _CONTROL.sub("?", key)
    return key if len(key) <= 60 else key[:60] + "…"


def _check_nesting(path: str, content: str) -> None:
    """Refuse more than MAX_NESTING levels of [ and { (outside strings and comments), naming the key of the line."""
    depth, quote, i = 0, "", 0
    while i < len(content):
        char = content[i]
        if quote:
            if char == "\\" and quote in ('"', '"""'):
                i += 2
                continue
            if content.startswith(quote, i):
                i, quote = i + len(quote), ""
                continue
        elif char == "#":
            end = content.find("\n", i)
            i = len(content) if end < 0 else end
            continue
        elif content.startswith(('"""', "'''"), i):
            i, quote = i + 3, content[i:i + 3]
            continue
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                number = content.count("\n", 0, i) + 1
                line = content.splitlines()[number - 1]
                where = (f"la clé « {_shown_key(line.split('=', 1)[0].strip())} » (ligne {number})" if "=" in line
                         else f"la ligne {number}")
                raise TemplateError(f"{path} : {where} imbrique plus de {MAX_NESTING} niveaux de [ ou {{ ; le fichier "
                                    "est plat, une ligne clé = \"texte\" : corrigez-la")
        elif char in "]}":
            depth = max(0, depth - 1)
        i += 1
