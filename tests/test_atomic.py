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


def test_orphan_pool_folders_of_dead_fichex_builds_go_others_stay(tmp_path, monkeypatch):
    """A pymp-* folder named by the pool marker of a fichex process that is gone is removed with its
    marker; the folder of a live process (this one), and any folder no marker names, stay."""
    import os
    import subprocess
    import sys
    import tempfile

    from fichex.atomic import POOL_MARKER_PREFIX, pool_marker, remove_orphan_pool_folders

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
    orphan = tmp_path / "pymp-orphan"
    orphan.mkdir()
    (tmp_path / f"{POOL_MARKER_PREFIX}{dead_pid}").write_text(str(orphan), encoding="utf-8")
    live = tmp_path / "pymp-live"
    live.mkdir()
    unknown = tmp_path / "pymp-unknown"  # another program's, idle: no socket, no marker
    unknown.mkdir()
    outside = tmp_path / "elsewhere" / "pymp-outside"  # a marker never sends the removal elsewhere
    outside.mkdir(parents=True)
    with pool_marker(str(live)):
        (tmp_path / f"{POOL_MARKER_PREFIX}1234567").write_text(str(outside), encoding="utf-8")
        remove_orphan_pool_folders()
        assert not orphan.exists() and not (tmp_path / f"{POOL_MARKER_PREFIX}{dead_pid}").exists()
        assert live.exists() and unknown.exists()
        assert outside.exists()
    assert not (tmp_path / f"{POOL_MARKER_PREFIX}{os.getpid()}").exists()  # this build's marker, gone at the end
