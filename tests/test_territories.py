"""fichex/territories.py: the codes with a rule of their own, once, and known to the reference tables."""

from fichex import territories
from fichex.data import reference


def test_the_codes_are_territories_of_the_reference():
    for code in (*territories.DROM_CODES, territories.MONACO_CODE, territories.CORSICA_CODE, territories.PARIS_CODE):
        assert reference.departement(code).code == code


def test_corse_is_the_one_code_of_2a_and_2b_in_the_dgddi_files():
    assert reference.CORSICA_DGDDI == territories.CORSICA_CODE
    assert reference.departement_in_data("2A", {"20", "23"})[0].code == territories.CORSICA_CODE
