"""The Indonesian catalogue is complete and compiled: every string the code and
templates mark for translation has an Indonesian translation, and the committed
.mo files say what the .po files say.

Runs ``makemessages`` as ``make messages`` does, on a copy of the tracked files,
so the working tree is never touched.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = ("django", "djangojs")
# On a laptop without gettext these skip; under CI (.ci/run installs it) they run.
GETTEXT_MISSING = shutil.which("msgattrib") is None and not os.environ.get("CI")


def _tracked_copy(destination: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            target = destination / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def _untranslated(po: Path) -> list[str]:
    result = subprocess.run(  # noqa: S603 - a file of ours
        ["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        line.removeprefix("msgid ")
        for line in result.stdout.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]


@pytest.mark.skipif(GETTEXT_MISSING, reason="gettext is not installed (apt-get install gettext)")
def test_every_marked_string_has_an_indonesian_translation(tmp_path):
    copy = _tracked_copy(tmp_path / "project")
    for domain in CATALOGUES:
        subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [
                sys.executable, "manage.py", "makemessages", "-l", "id", "-d", domain,
                "--no-obsolete", "-i", ".venv/*", "-i", "bench/*", "-i", "node_modules/*",
                "-i", "tests/*",
            ],
            cwd=copy,
            capture_output=True,
            check=True,
            env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "SECRET_KEY": "catalogue-check"},
        )  # fmt: skip

    missing = {
        domain: _untranslated(copy / "locale/id/LC_MESSAGES" / f"{domain}.po")
        for domain in CATALOGUES
    }

    assert missing == {"django": [], "djangojs": []}


@pytest.mark.skipif(GETTEXT_MISSING, reason="gettext is not installed (apt-get install gettext)")
@pytest.mark.parametrize("domain", CATALOGUES)
def test_the_committed_mo_file_is_compiled_from_the_po_file(tmp_path, domain):
    po = ROOT / "locale/id/LC_MESSAGES" / f"{domain}.po"
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po)], check=True)  # noqa: S603, S607

    assert compiled.read_bytes() == (po.with_suffix(".mo")).read_bytes()
