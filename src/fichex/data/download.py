"""Downloading a DGDDI file over HTTP(S): streamed to « .part », resumable, checked by SHA-256."""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from fichex.errors import FichexError

URL_ENV_VAR = "FICHEX_DGDDI_URL"
# The DGDDI publishes its regional files on lekiosque.finances.gouv.fr and data.gouv.fr under addresses
# that change between releases and that could not be checked from here, so no address is built in:
# set FICHEX_DGDDI_URL (or pass url=) to a template such as « https://…/donnees_{year}.zip ».
DEFAULT_URL_TEMPLATE = ""
CHUNK_SIZE = 64 * 1024
TIMEOUT_SECONDS = 60.0
# The largest file accepted (a full national file is a few hundred MB zipped); $FICHEX_MAX_DOWNLOAD_BYTES.
MAX_BYTES = 4 << 30
MAX_BYTES_ENV_VAR = "FICHEX_MAX_DOWNLOAD_BYTES"
USER_AGENT = "fichex (statistiques DGDDI du commerce extérieur)"
_FILE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}")

Progress = Callable[[int, "int | None"], None]


class DownloadError(FichexError):
    """A file cannot be downloaded: no network, HTTP error, interrupted transfer or checksum mismatch."""


def resolve_url(year: int, url: str | None = None) -> str:
    """The address to fetch: `url`, else $FICHEX_DGDDI_URL, else DEFAULT_URL_TEMPLATE, with {year} filled in.

    Raises:
        DownloadError: no address is configured.
    """
    template = url or os.environ.get(URL_ENV_VAR) or DEFAULT_URL_TEMPLATE
    if not template:
        raise DownloadError(
            f"aucune adresse de téléchargement configurée : --url ou la variable {URL_ENV_VAR} est obligatoire, "
            "fichex ne contient aucune adresse DGDDI vérifiée ; copiez l'adresse du fichier depuis le Kiosque de "
            "Bercy ou data.gouv.fr ({year} y est remplacé par l'année, voir docs/donnees-reelles.md)"
        )
    address = template.replace("{year}", str(year))
    scheme = urllib.parse.urlparse(address).scheme.lower()
    if scheme not in ("http", "https"):
        raise DownloadError(
            f"adresse refusée : {address} ; seules les adresses http:// ou https:// sont téléchargées (pour un "
            "fichier déjà sur le disque, importez-le directement avec « fichex data import »)")
    return address


def _max_bytes() -> int:
    value = os.environ.get(MAX_BYTES_ENV_VAR, "")
    return int(value) if value.isdigit() else MAX_BYTES


def _too_big(address: str, size: int, limit: int) -> DownloadError:
    return DownloadError(f"fichier trop gros : {address} dépasse {limit} octets ({size} annoncés ou reçus) ; "
                         f"vérifiez l'adresse, ou relevez la limite avec la variable {MAX_BYTES_ENV_VAR}")


def _target(dest: Path, url: str, year: int) -> Path:
    """The file to write: `dest` itself when it names a file, else a file named after the address inside it.

    `dest` names a file only when it is not an existing folder and ends with a file suffix (« .zip »,
    « .xlsx »: a letter after the dot); « telechargements » or « donnees.2024 » are folders, created
    if needed, so that the default --dest never becomes a file.
    """
    if dest.is_dir() or str(dest).endswith(("/", os.sep)) or not _FILE_SUFFIX.fullmatch(dest.suffix):
        name = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).name
        return dest / (name if name not in ("", ".", "..") else f"dgddi_{year}.zip")
    return dest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _total_from(response, done: int) -> int | None:
    content_range = response.headers.get("Content-Range", "")
    match = re.search(r"/(\d+)\s*$", content_range)
    if match:
        return int(match[1])
    length = response.headers.get("Content-Length")
    return done + int(length) if length and length.isdigit() else None


def download(year: int, dest: Path, *, url: str | None = None, sha256: str | None = None,
             progress: Progress | None = None) -> Path:
    """Download the DGDDI file of a year, resuming an interrupted transfer.

    Bytes go to « <dest>.part »; when that file exists the transfer resumes with an HTTP Range
    request (or restarts if the server ignores it); the file is renamed to `dest` only once complete
    and, when `sha256` is given, verified.

    Args:
        year: the year, put into the {year} placeholder of the address.
        dest: a folder (created if needed; the file name is then taken from the address), or the file
            to write when it ends with a file suffix such as « .zip ».
        url: the address or address template; default $FICHEX_DGDDI_URL. No DGDDI address is built in,
            so one of the two is required.
        sha256: expected SHA-256 of the complete file (hex); a mismatch deletes the partial file.
        progress: called as progress(bytes_done, bytes_total or None) after each block.

    Returns:
        The path of the downloaded file.

    Raises:
        DownloadError: no address, server unreachable, HTTP error, interrupted transfer (the partial
            file is kept for the next attempt) or checksum mismatch.
    """
    address = resolve_url(year, url)
    target = _target(Path(dest), address, year)
    part = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"dossier de destination impossible à créer : {target.parent} ({exc.strerror}) ; "
                            "choisissez un autre dossier") from None
    done = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT})
    if done:
        request.add_header("Range", f"bytes={done}-")
    total: int | None = None
    limit = _max_bytes()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            if done and (response.status != 206 or not _range_starts_at(response, done)):
                done = 0  # the server ignored the Range header or sent another range: start from the first byte
            total = _total_from(response, done)
            if total is not None and total > limit:
                raise _too_big(address, total, limit)
            with open(part, "ab" if done else "wb") as stream:
                if progress:
                    progress(done, total)
                while True:
                    block = response.read(CHUNK_SIZE)
                    if not block:
                        break
                    stream.write(block)
                    done += len(block)
                    if done > limit:
                        raise _too_big(address, done, limit)
                    if progress:
                        progress(done, total)
    except DownloadError:
        part.unlink(missing_ok=True)  # too big: nothing of it is worth resuming
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and done and _complete_416(exc, done):
            total = done
        else:
            raise DownloadError(f"le serveur a répondu HTTP {exc.code} ({exc.reason}) pour {address} ; vérifiez "
                                f"l'année et l'adresse (--url ou {URL_ENV_VAR})") from None
    except (http.client.IncompleteRead, ConnectionError, TimeoutError) as exc:
        raise DownloadError(f"transfert interrompu après {done} octets ({type(exc).__name__}) depuis {address} ; "
                            "relancez la même commande pour reprendre") from None
    except urllib.error.URLError as exc:
        raise DownloadError(f"téléchargement impossible : {address} injoignable ({exc.reason}) ; vérifiez la "
                            f"connexion Internet ou l'adresse (--url ou {URL_ENV_VAR})") from None
    except OSError as exc:
        raise DownloadError(f"téléchargement impossible de {address} ({exc.strerror or exc}) ; vérifiez la "
                            f"connexion et la place disque, puis relancez") from None
    if total is not None and done > total:
        part.unlink(missing_ok=True)
        raise DownloadError(f"le serveur a envoyé {done} octets pour {total} annoncés depuis {address} ; le fichier "
                            "partiel est supprimé, relancez la commande")
    if total is not None and done < total:
        raise DownloadError(f"transfert interrompu après {done} octets sur {total} depuis {address} ; relancez la "
                            "même commande pour reprendre")
    if sha256:
        actual = _sha256(part)
        if actual.lower() != sha256.strip().lower():
            part.unlink(missing_ok=True)
            raise DownloadError(f"somme de contrôle SHA-256 incorrecte pour {target.name} (attendue {sha256}, "
                                f"obtenue {actual}) ; le fichier partiel est supprimé, vérifiez --sha256 puis relancez")
    os.replace(part, target)
    return target


def _range_starts_at(response, done: int) -> bool:
    """Whether a 206 answer holds the bytes asked for (from `done`), as its Content-Range says."""
    match = re.match(r"\s*bytes\s+(\d+)-", response.headers.get("Content-Range", ""))
    return bool(match) and int(match[1]) == done


def _complete_416(exc: urllib.error.HTTPError, done: int) -> bool:
    """A 416 answer to a Range request means the part file is already whole when sizes agree."""
    match = re.search(r"/(\d+)\s*$", exc.headers.get("Content-Range", "") if exc.headers else "")
    return bool(match) and int(match[1]) == done
