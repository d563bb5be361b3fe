"""ZIP archives checked before any member is read (importing/archives.py)."""

import pytest

from fichex.data.importing import import_files
from fichex.errors import InputDataError
from tidy_samples import FIXTURES


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    import zipfile

    bomb = tmp_path / "bombe.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("bombe.csv", "w") as member:
        for _ in range(24):
            member.write(b"0" * (1 << 20))  # 24 MiB of zeros, about 24 KB compressed
    with pytest.raises(InputDataError, match=r"^bombe\.zip : le fichier bombe\.csv se décompresse \d+ fois \(limite 200"):
        import_files([bomb], tmp_path / "d")
    assert not (tmp_path / "d").exists()


def test_a_member_too_large_to_read_whole_is_refused(tmp_path, monkeypatch):
    import zipfile

    archive_path = tmp_path / "tables.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.write(FIXTURES / "trade_latin1_semicolon_decimal_comma.csv", "table.csv")
    monkeypatch.setenv("FICHEX_ZIP_MAX_BYTES", "10")
    with pytest.raises(InputDataError, match=r"le fichier table\.csv fait \d+ octets une fois décompressé \(limite 10\)"):
        import_files([archive_path], tmp_path / "d")


def test_the_whole_read_limit_follows_the_free_memory(monkeypatch):
    from fichex.data.importing import archives

    monkeypatch.delenv("FICHEX_ZIP_MAX_BYTES", raising=False)
    monkeypatch.setattr(archives, "_available_memory", lambda: 2 << 30)  # a machine with 2 GiB free
    assert archives.max_table_bytes() == (2 << 30) // archives.TABLE_MEMORY_FACTOR
    monkeypatch.setattr(archives, "_available_memory", lambda: 1 << 40)
    assert archives.max_table_bytes() == archives.MAX_TABLE_BYTES
    monkeypatch.setattr(archives, "_available_memory", lambda: None)
    assert archives.max_table_bytes() == archives.MAX_TABLE_BYTES


def test_two_members_of_one_name_are_refused_naming_the_archive_and_the_member(tmp_path):
    import warnings
    import zipfile

    from fichex.data.importing import archives

    path = tmp_path / "tables.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name written on purpose
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("dossier/t.csv", "a")
            archive.writestr("autre.csv", "b")
            archive.writestr("dossier/t.csv", "c")
    with zipfile.ZipFile(path) as archive, pytest.raises(
            InputDataError, match=r"^tables\.zip : le fichier dossier/t\.csv figure plusieurs fois dans l'archive ; "):
        archives.check(archive, "tables.zip")
    with pytest.raises(InputDataError, match="figure plusieurs fois"):
        import_files([path], tmp_path / "d")
