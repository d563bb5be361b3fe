"""Which regional file belongs to which publication, and their order (importing/publications.py)."""

from fichex.data.importing import publications


def test_a_publication_is_an_input_or_a_folder_in_one():
    names = ["annuel.zip:REGIONAL_CPF4PAYSE.txt", "annuel.zip:REGIONAL_CPF4PAYSI.txt",
             "REGIONAL_CPF4PAYSE.txt", "donnees/2023/REGIONAL_CPF4PAYSE.txt", "donnees/2024/REGIONAL_CPF4PAYSE.txt"]
    assert publications.group(names, [0, 0, 1, 2, 2]) == [
        ("annuel.zip", (0, 1)), ("REGIONAL_CPF4PAYSE.txt", (2,)), ("donnees/2023", (3,)), ("donnees/2024", (4,))]


def test_two_files_of_one_name_given_apart_are_two_publications():
    names = ["REGIONAL_CPF4PAYSE.txt", "REGIONAL_CPF4PAYSE.txt"]
    assert publications.group(names, [0, 1]) == [("REGIONAL_CPF4PAYSE.txt", (0,)), ("REGIONAL_CPF4PAYSE.txt", (1,))]


def test_the_publication_covering_the_latest_quarter_is_the_latest_whatever_the_order_given():
    groups = [("maj.zip", (0,)), ("annuel.zip", (1,))]
    periods = [(0, 2023, 4), (0, 2024, 4), (1, 2023, 1), (1, 2023, 4)]
    ranked = publications.order(groups, periods)
    assert [(p.label, p.latest, p.rank) for p in ranked] == [("annuel.zip", (2023, 4), 0), ("maj.zip", (2024, 4), 1)]
    assert publications.overlap(ranked, periods)


def test_on_the_same_latest_quarter_the_one_given_last_wins():
    groups = [("a.zip", (0,)), ("b.zip", (1,))]
    periods = [(0, 2024, 4), (1, 2024, 3), (1, 2024, 4)]
    assert [p.label for p in publications.order(groups, periods)] == ["a.zip", "b.zip"]
    assert [p.label for p in publications.order(groups[::-1], [(1 - s, y, q) for s, y, q in periods])] == \
        ["b.zip", "a.zip"]


def test_publications_of_different_quarters_do_not_overlap():
    groups = [("2023.zip", (0, 1)), ("2024.zip", (2,))]
    periods = [(0, 2023, 1), (1, 2023, 4), (2, 2024, 1)]
    assert not publications.overlap(publications.order(groups, periods), periods)
