import hashlib

import pytest

from fichex import atomic as outputs
from fichex.errors import OutputError


def test_atomic_path_renames_into_place(tmp_path):
    target = tmp_path / "sous" / "fichier.txt"
    with outputs.atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp.name.startswith(".fichier.txt.")
        tmp.write_text("complet")
        assert not target.exists()
    assert target.read_text() == "complet"
    assert [p.name for p in target.parent.iterdir()] == ["fichier.txt"]


@pytest.mark.parametrize("error", [RuntimeError("bogue"), KeyboardInterrupt()])
def test_atomic_path_leaves_nothing_on_error(tmp_path, error):
    target = tmp_path / "fichier.txt"
    target.write_text("ancien")
    with pytest.raises(type(error)):
        with outputs.atomic_path(target) as tmp:
            tmp.write_text("moitié")
            raise error
    assert target.read_text() == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["fichier.txt"]


def test_output_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "f"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="un fichier porte déjà ce nom, ce n'est pas un dossier"):
        outputs.ensure_dir(blocker / "d")


def test_read_only_folder(tmp_path):
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # running as root: permissions are not enforced
            pytest.skip("les droits ne s'appliquent pas à root")
        with pytest.raises(OutputError, match="non accessible en écriture"):
            outputs.ensure_dir(folder)
    finally:
        folder.chmod(0o700)


def test_file_sha256(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 1_000_000)
    assert outputs.file_sha256(path) == hashlib.sha256(b"abc" * 1_000_000).hexdigest()


def test_orphan_pool_folders_go_live_ones_stay(tmp_path, monkeypatch):
    """pymp-* folders left by a parallel build killed outright are removed; one whose forkserver socket is
    still listened on (a pool running now) is kept, and so is a fresh one (being created)."""
    import os
    import socket
    import tempfile

    from fichex.atomic import remove_orphan_pool_folders

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old = 1_000_000_000

    def folder(name: str, listen: bool, age: float = old):
        path = tmp_path / name
        path.mkdir()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path / "listener-x"))
        if listen:
            server.listen(1)
        else:
            server.close()
        os.utime(path, (age, age))
        return path, server

    dead, _ = folder("pymp-dead", listen=False)
    live, server = folder("pymp-live", listen=True)
    fresh, _ = folder("pymp-fresh", listen=False, age=__import__("time").time())
    empty = tmp_path / "pymp-empty"
    empty.mkdir()
    os.utime(empty, (old, old))
    other = tmp_path / "not-pymp"
    other.mkdir()
    os.utime(other, (old, old))
    try:
        remove_orphan_pool_folders()
    finally:
        server.close()
    assert not dead.exists() and not empty.exists()
    assert live.exists() and fresh.exists() and other.exists()
