"""Every message our Python code marks for translation has its Indonesian in the catalogue
that is served: not missing (a message added after the last ``make messages``) and not
only a fuzzy guess of msgmerge (which the compiled catalogue leaves out). Both reached
Indonesian readers in English: the API's errors, the busy-stock message, upload refusals.

The messages are read from the sources with GNU xgettext, as ``makemessages`` does for
Python files; templates are checked page by page in test_indonesian.py and
test_dashboard_languages.py.
"""

import re
import subprocess
from pathlib import Path

from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shop", "catalog", "production_link", "cms")
KEYWORDS = (
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext:1,2",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "pgettext_lazy:1c,2",
    "npgettext:1c,2,3",
    "npgettext_lazy:1c,2,3",
)


def _sources() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _marked_messages() -> set[tuple[str, str]]:
    """(context, msgid) of every message the Python sources mark."""
    pot = subprocess.run(  # noqa: S603 - GNU gettext on our own files
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--no-location",
            "--output=-",
            *[f"--keyword={keyword}" for keyword in KEYWORDS],
            *_sources(),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = set()
    for block in pot.split("\n\n")[1:]:  # the first is the header
        context = _joined(block, "msgctxt")
        msgid = _joined(block, "msgid")
        if msgid:
            found.add((context, msgid))
    return found


def _joined(block: str, keyword: str) -> str:
    """A PO keyword's string, its continuation lines joined and unescaped."""
    match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block, re.MULTILINE)
    if not match:
        return ""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_every_message_of_the_code_has_its_indonesian():
    catalog = trans_real.translation("id")._catalog
    with translation.override("id"):
        missing = sorted(
            f"{context + ' | ' if context else ''}{msgid}"
            for context, msgid in _marked_messages()
            if (f"{context}\x04{msgid}" if context else msgid) not in catalog
            and (msgid, 0) not in catalog  # a plural message
            and (f"{context}\x04{msgid}", 0) not in catalog
        )
    assert not missing, (
        f"{len(missing)} messages have no Indonesian (run `make messages`, translate, and "
        f"remove the fuzzy flags):\n" + "\n".join(missing)
    )
