"""Download against a local threaded HTTP server: progress, resume with Range, checksum, HTTP and network errors."""

from __future__ import annotations

import hashlib
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from fichex.data.download import URL_ENV_VAR, DownloadError, download
from fichex.errors import FichexError

CONTENT = bytes(range(256)) * 1000  # 256 000 bytes, several chunks
SHA256 = hashlib.sha256(CONTENT).hexdigest()


def _handler(state: dict):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def do_GET(self):
            state["ranges"].append(self.headers.get("Range"))
            if self.path.startswith("/missing"):
                self.send_error(404, "Not Found")
                return
            start = 0
            match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
            if match and self.path.startswith("/badrange"):  # a 206 that is not the range asked for
                self.send_response(206)
                self.send_header("Content-Range", f"bytes 0-{len(CONTENT) - 1}/{len(CONTENT)}")
                self.send_header("Content-Length", str(len(CONTENT)))
                self.end_headers()
                self.wfile.write(CONTENT)
                return
            if match and not self.path.startswith("/norange"):
                start = int(match[1])
                if start >= len(CONTENT):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(CONTENT)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(CONTENT) - 1}/{len(CONTENT)}")
            else:
                self.send_response(200)
            body = CONTENT[start:]
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.path.startswith("/cut") and state["cut"]:
                state["cut"] = False
                self.wfile.write(body[: len(body) // 3])  # then the connection closes (HTTP/1.0)
                return
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server():
    state = {"ranges": [], "cut": True}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_download_into_a_folder_with_progress(server, tmp_path):
    base, state = server
    calls = []
    path = download(2024, tmp_path, url=base + "/dgddi_{year}.zip", sha256=SHA256,
                    progress=lambda done, total: calls.append((done, total)))
    assert path == tmp_path / "dgddi_2024.zip"
    assert path.read_bytes() == CONTENT
    assert not (tmp_path / "dgddi_2024.zip.part").exists()
    assert calls[0] == (0, len(CONTENT)) and calls[-1] == (len(CONTENT), len(CONTENT))
    assert state["ranges"] == [None]


def test_interrupted_transfer_resumes_with_range(server, tmp_path):
    base, state = server
    dest = tmp_path / "region.zip"
    with pytest.raises(DownloadError, match=r"^transfert interrompu après \d+ octets .* relancez la même commande"):
        download(2024, dest, url=base + "/cut/{year}.zip")
    part = tmp_path / "region.zip.part"
    kept = part.stat().st_size
    assert 0 < kept < len(CONTENT)
    assert not dest.exists()

    calls = []
    assert download(2024, dest, url=base + "/cut/{year}.zip", sha256=SHA256,
                    progress=lambda done, total: calls.append((done, total))) == dest
    assert state["ranges"] == [None, f"bytes={kept}-"]
    assert dest.read_bytes() == CONTENT
    assert calls[0] == (kept, len(CONTENT))
    assert not part.exists()


def test_server_ignoring_range_restarts_from_zero(server, tmp_path):
    base, _ = server
    dest = tmp_path / "f.zip"
    (tmp_path / "f.zip.part").write_bytes(b"stale bytes")
    download(2024, dest, url=base + "/norange/{year}.zip", sha256=SHA256)
    assert dest.read_bytes() == CONTENT


def test_complete_part_file_answered_416_is_kept(server, tmp_path):
    base, _ = server
    dest = tmp_path / "f.zip"
    (tmp_path / "f.zip.part").write_bytes(CONTENT)
    download(2024, dest, url=base + "/f.zip", sha256=SHA256)
    assert dest.read_bytes() == CONTENT


def test_checksum_mismatch_deletes_the_partial_file(server, tmp_path):
    base, _ = server
    dest = tmp_path / "f.zip"
    with pytest.raises(DownloadError, match=r"^somme de contrôle SHA-256 incorrecte pour f\.zip \(attendue 00ff,"):
        download(2024, dest, url=base + "/f.zip", sha256="00ff")
    assert not dest.exists()
    assert not (tmp_path / "f.zip.part").exists()


def test_http_error(server, tmp_path):
    base, _ = server
    with pytest.raises(DownloadError) as error:
        download(2023, tmp_path / "f.zip", url=base + "/missing_{year}.zip")
    assert str(error.value) == (f"le serveur a répondu HTTP 404 (Not Found) pour {base}/missing_2023.zip ; "
                                f"vérifiez l'année et l'adresse (--url ou {URL_ENV_VAR})")
    assert isinstance(error.value, FichexError)


def test_offline_server_unreachable(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/f.zip"
    with pytest.raises(DownloadError, match=rf"^téléchargement impossible : {re.escape(url)} injoignable \("):
        download(2024, tmp_path / "f.zip", url=url)
    assert not (tmp_path / "f.zip").exists()


def test_url_template_from_environment(server, tmp_path, monkeypatch):
    base, _ = server
    monkeypatch.setenv(URL_ENV_VAR, base + "/env_{year}.zip")
    assert download(2022, tmp_path).name == "env_2022.zip"


def test_no_url_configured(tmp_path, monkeypatch):
    monkeypatch.delenv(URL_ENV_VAR, raising=False)
    with pytest.raises(DownloadError) as error:
        download(2024, tmp_path)
    message = str(error.value)
    assert message.startswith(f"aucune adresse de téléchargement configurée : --url ou la variable {URL_ENV_VAR} "
                              "est obligatoire, fichex ne contient aucune adresse DGDDI vérifiée ; ")
    assert "docs/donnees-reelles.md" in message and "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_default_dest_is_a_folder_created_when_missing(server, tmp_path, monkeypatch):
    # `fichex data download` defaults to --dest telechargements: a folder, even before it exists.
    base, _ = server
    monkeypatch.chdir(tmp_path)
    path = download(2024, Path("telechargements"), url=base + "/dgddi_{year}.zip", sha256=SHA256)
    assert path == Path("telechargements") / "dgddi_2024.zip"
    assert (tmp_path / "telechargements").is_dir()
    assert (tmp_path / "telechargements" / "dgddi_2024.zip").read_bytes() == CONTENT


def test_default_dest_through_the_cli(server, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from fichex.cli import app

    base, _ = server
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["data", "download", "--year", "2024", "--url", base + "/dgddi_{year}.zip"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "telechargements" / "dgddi_2024.zip").read_bytes() == CONTENT


@pytest.mark.parametrize("dest, expected", [
    ("nouveau/sous_dossier", "nouveau/sous_dossier/f.zip"),  # nested folders, none existing yet
    ("donnees.2024", "donnees.2024/f.zip"),                   # a dot and digits is not a file suffix
    ("archive_region.zip", "archive_region.zip"),             # a file suffix names the file itself
])
def test_dest_folder_or_file(server, tmp_path, dest, expected):
    base, _ = server
    assert download(2024, tmp_path / dest, url=base + "/f.zip") == tmp_path / expected
    assert (tmp_path / expected).read_bytes() == CONTENT


def test_dest_without_suffix_that_is_a_file(server, tmp_path):
    base, _ = server
    (tmp_path / "telechargements").write_bytes(b"pas un dossier")
    with pytest.raises(DownloadError, match=r"^dossier de destination impossible à créer : .*telechargements"):
        download(2024, tmp_path / "telechargements", url=base + "/f.zip")
    assert (tmp_path / "telechargements").read_bytes() == b"pas un dossier"


@pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://example.org/f.zip", "/tmp/f.zip"])
def test_only_http_addresses_are_fetched(tmp_path, address):
    with pytest.raises(DownloadError, match=r"^adresse refusée : .* seules les adresses http:// ou https://"):
        download(2024, tmp_path, url=address)
    assert not any(tmp_path.iterdir())


def test_a_file_over_the_size_cap_is_refused_and_not_kept(server, tmp_path, monkeypatch):
    base, _ = server
    monkeypatch.setenv("FICHEX_MAX_DOWNLOAD_BYTES", "1000")
    with pytest.raises(DownloadError, match=r"^fichier trop gros : .* dépasse 1000 octets"):
        download(2024, tmp_path, url=f"{base}/data.zip")
    assert not any(tmp_path.iterdir())


def test_a_206_for_another_range_restarts_from_zero(server, tmp_path):
    base, _ = server
    (tmp_path / "data.zip.part").write_bytes(CONTENT[:1000])
    path = download(2024, tmp_path, url=f"{base}/badrange/data.zip", sha256=SHA256)
    assert path.read_bytes() == CONTENT
