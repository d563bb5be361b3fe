"""The text of a DGDDI regional file, line by line: its official header line when one was added, the lines
that cannot be read (a byte that is not UTF-8, a line of thousands of bytes), and an end without a line
end (a cut file). dgddi.py checks the fields of the lines that are rows."""

from __future__ import annotations

from fichex.data.importing.columns import normalise_header
from fichex.errors import InputDataError

BOM = "\ufeff".encode()
# The official names of the fields (part IV), as normalise_header spells them, each with the variants a
# hand-added header may use: such a header line is skipped, the file stays the regional layout in euros.
HEADER_SPELLINGS = ({"flux"}, {"trimestre"}, {"annee"}, {"code_departement", "departement"},
                    {"code_region", "region"}, {"code_a129", "a129"}, {"code_cpf4", "cpf4"},
                    {"code_pays", "pays"}, {"valeur", "valeur_eur", "valeur_euros"}, {"masse", "masse_kg"})
# A regional line is under a hundred bytes: one far longer is not one, and is rejected as unreadable.
MAX_LINE_BYTES = 4096


def is_official_header(line: bytes) -> bool:
    """True when `line` names the ten official fields in their order (« Flux;Trimestre;Année;Code
    département;…;Valeur;Masse », any case, accents or not): the file is the regional layout, in euros,
    with a header line the official files do not have."""
    text = line.removeprefix(BOM).rstrip(b"\r\n")
    if text.count(b";") != len(HEADER_SPELLINGS) - 1:
        return False
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        decoded = text.decode("cp1252", "replace")
    names = tuple(normalise_header(name) for name in decoded.split(";"))
    return all(name in spellings for name, spellings in zip(names, HEADER_SPELLINGS))


def has_data_line(head: bytes) -> bool:
    """Whether the head of a file holds a line that is neither blank nor the official header."""
    lines = [line for line in head.removeprefix(BOM).split(b"\n") if line.strip()]
    return bool(lines[1:] if lines and is_official_header(lines[0]) else lines)


def without_header(data: bytes) -> tuple[bytes, int]:
    """The first block without the official header line when it has one, and the number of its first line."""
    end = data.find(b"\n")
    first = data if end < 0 else data[:end + 1]
    return (data[len(first):], 2) if is_official_header(first) else (data, 1)


# What stands in for an unreadable line while the block is parsed: one field, so never a row.
_UNREADABLE_STAND_IN = b"?"


def without_unreadable_lines(data: bytes) -> tuple[bytes, dict[int, str]]:
    """The block with each line that is not UTF-8, or longer than MAX_LINE_BYTES, replaced by a stand-in
    (line numbers are kept), and the detail of each such line by its index in the block."""
    lines = data.split(b"\n")
    unreadable: dict[int, str] = {}
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE_BYTES:
            unreadable[index] = f"{len(line)} octets (une ligne régionale en fait moins de 100)"
        else:
            try:
                line.decode("utf-8")
                continue
            except UnicodeDecodeError as exc:
                text = line.rstrip(b"\r").decode("utf-8", "replace")[:200]
                unreadable[index] = (f"octet {line[exc.start]:#04x} en position {exc.start + 1}, pas de l'UTF-8 : "
                                     f"{text}")
        lines[index] = _UNREADABLE_STAND_IN
    return b"\n".join(lines), unreadable


def cut_file_error(file_name: str, last_line: int) -> InputDataError:
    """The error of a regional file whose last line has no line end: a download or an unzip that stopped
    leaves such an end, its last line maybe cut inside a field (« …;406473;1 » for a mass of 1210935 kg)
    and the lines after it missing. Imported, every figure would be short with nothing to say so."""
    return InputDataError(
        f"{file_name} : la dernière ligne ({last_line}) ne finit pas par un saut de ligne : le fichier semble tronqué "
        "(téléchargement ou décompression interrompus) ; téléchargez-le à nouveau, ou, s'il est complet, ajoutez "
        "un saut de ligne à la fin")
