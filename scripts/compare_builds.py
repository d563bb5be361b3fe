"""Build the reference targets and compare them with an earlier build, byte for byte.

Used to prove that a change of code moves no output byte (« Rehouse » issues)::

    python scripts/compare_builds.py build /tmp/before      # before the change
    python scripts/compare_builds.py build /tmp/after       # after it
    python scripts/compare_builds.py compare /tmp/before /tmp/after

Each build runs the same commands from inside its own folder with a relative ``--out-dir``, so the
command the workbook's « Méthode » records is the same in both. Workbooks are compared by SHA-256 of
the whole file, decks part by part (python-pptx writes the ZIP's timestamps itself). The cache is
off so that neither build reads aggregates the other wrote.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

# The reference targets: départements with their own truths (Corse 20, Monaco 99, a DROM), the model's
# two, a région, France and a Territoire d'industrie.
COMMANDS = [
    ["build", "23", "87", "20", "99", "971"],
    ["build", "--level", "region", "75"],
    ["build", "--level", "france"],
    ["build", "--territoire", "Creuse Industrie"],
]
COMMON = ["--out-dir", "out", "--formats", "xlsx,pptx", "--jobs", "1", "--force", "--quiet"]


def build(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fichex = Path(sys.executable).with_name("fichex")
    # The code this script imports (a worktree's src/ on PYTHONPATH, say) is the code that builds: the
    # commands run from inside `folder`, where a relative PYTHONPATH would name nothing.
    import fichex as package

    source = str(Path(package.__file__).resolve().parents[1])
    env = dict(os.environ, FICHEX_CACHE="off", PYTHONPATH=os.pathsep.join(
        [source, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]))
    print(f"building with {source}", file=sys.stderr)
    for command in COMMANDS:
        subprocess.run([str(fichex), *command, *COMMON], cwd=folder, env=env, check=True)


def digests(folder: Path) -> dict[str, str]:
    """Each workbook's SHA-256, and each deck part's, keyed by path (relative to ``folder/out``)."""
    found: dict[str, str] = {}
    root = folder / "out"
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.suffix == ".xlsx":
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.suffix == ".pptx":
            with zipfile.ZipFile(path) as deck:
                for name in deck.namelist():
                    found[f"{key}!{name}"] = hashlib.sha256(deck.read(name)).hexdigest()
                found[f"{key}!<order>"] = hashlib.sha256("\n".join(deck.namelist()).encode()).hexdigest()
    return found


def compare(before: Path, after: Path) -> int:
    one, two = digests(before), digests(after)
    if not one:
        print(f"{before}: no output found", file=sys.stderr)
        return 2
    differ = sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k))
    for key in differ:
        print(f"differs: {key}")
    files = {k.split("!")[0] for k in one}
    print(f"{len(files)} files, {len(one)} parts compared: {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "build":
        build(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
