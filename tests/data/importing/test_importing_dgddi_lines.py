"""A regional file's text line by line: the official header, unreadable lines, a cut end
(importing/dgddi_lines.py)."""

import pytest

from dgddi_samples import OFFICIAL_EXPORT
from fichex.data.importing import dgddi_lines
from fichex.errors import InputDataError

OFFICIAL_HEADER = "Flux;Trimestre;Année;Code département;Code région;Code A129;Code CPF4;Code Pays;Valeur;Masse"


@pytest.mark.parametrize("line", [
    OFFICIAL_HEADER.encode(), (OFFICIAL_HEADER + "\r\n").encode(), "\ufeff".encode() + OFFICIAL_HEADER.encode(),
    OFFICIAL_HEADER.encode("cp1252"), OFFICIAL_HEADER.upper().encode(),
    b"flux;trimestre;annee;code_departement;code_region;code_a129;code_cpf4;code_pays;valeur_eur;masse_kg\n",
])
def test_the_official_header_is_known_however_spelt(line):
    assert dgddi_lines.is_official_header(line)


@pytest.mark.parametrize("line", [
    OFFICIAL_EXPORT.encode(), b"annee;flux;code_departement;code_produit;code_pays;valeur_keur\n",
    OFFICIAL_HEADER.replace("Masse", "Poids").encode(), OFFICIAL_HEADER.rsplit(";", 1)[0].encode(),
    b"Trimestre;Flux;Ann\xc3\xa9e;Code d\xc3\xa9partement;Code r\xc3\xa9gion;Code A129;Code CPF4;Code Pays;Valeur;Masse",
])
def test_other_first_lines_are_not_the_header(line):
    assert not dgddi_lines.is_official_header(line)


def test_data_lines_are_neither_blank_nor_the_header():
    assert not dgddi_lines.has_data_line(b"")
    assert not dgddi_lines.has_data_line("\ufeff\r\n\n".encode())
    assert not dgddi_lines.has_data_line((OFFICIAL_HEADER + "\n").encode())
    assert dgddi_lines.has_data_line((OFFICIAL_HEADER + "\n" + OFFICIAL_EXPORT).encode())
    assert dgddi_lines.has_data_line(b"x")


def test_the_header_is_taken_off_the_first_block_and_lines_count_from_two():
    data = (OFFICIAL_HEADER + "\n" + OFFICIAL_EXPORT).encode()
    assert dgddi_lines.without_header(data) == (OFFICIAL_EXPORT.encode(), 2)
    assert dgddi_lines.without_header(OFFICIAL_EXPORT.encode()) == (OFFICIAL_EXPORT.encode(), 1)
    assert dgddi_lines.without_header(OFFICIAL_HEADER.encode()) == (b"", 2)


def test_unreadable_lines_are_stood_in_for_one_by_one_keeping_the_line_count():
    long_line = b"E;" + b"9" * 5000
    data = OFFICIAL_EXPORT.encode() + b"E;3;2018;01;18;A01Z;0111;D\xe9;1;1\n" + long_line + b"\n" + OFFICIAL_EXPORT.encode()
    cleaned, unreadable = dgddi_lines.without_unreadable_lines(data)
    assert cleaned.count(b"\n") == data.count(b"\n")
    assert cleaned.split(b"\n")[0] == cleaned.split(b"\n")[3] == OFFICIAL_EXPORT.strip().encode()
    assert sorted(unreadable) == [1, 2]
    assert unreadable[1].startswith("octet 0xe9 en position 27, pas de l'UTF-8 : E;3;2018;01;18;A01Z;0111;D\ufffd;1;1")
    assert unreadable[2].startswith("5002 octets")
    assert dgddi_lines.without_unreadable_lines(OFFICIAL_EXPORT.encode()) == (OFFICIAL_EXPORT.encode(), {})


def test_a_cut_file_error_names_the_file_the_line_and_both_fixes():
    error = dgddi_lines.cut_file_error("REGIONAL_CPF4PAYSE.txt", 1234)
    assert isinstance(error, InputDataError)
    assert str(error).startswith("REGIONAL_CPF4PAYSE.txt : la dernière ligne (1234) ne finit pas par un saut de ligne")
    assert "téléchargez-le à nouveau" in str(error) and "ajoutez un saut de ligne à la fin" in str(error)
