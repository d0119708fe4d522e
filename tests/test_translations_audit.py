"""Every interface string of the newest apps has a Norwegian Bokmål translation.

Finds the strings marked for translation in the apps' templates and code (the plain
forms: `{% translate "…" %}`, `{% blocktranslate %}…`, `_("…")`, `gettext("…")`) and
looks each up in the merged nb catalogue Django serves. A string missing there would be
shown in English on a Norwegian page; tests/i18n_audit.py covers the rendered pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import trans_real

APPS = ("projects", "gains", "cocreation")

TEMPLATE = re.compile(r'{%\s*(?:translate|trans)\s+"((?:[^"\\]|\\.)*)"')
# A literal that a second literal continues (implicit concatenation) is left out: the
# regular expression cannot join them, and makemessages would.
CODE = re.compile(
    r'\b(?:_|gettext|gettext_lazy|ngettext|ngettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"(?=\s*[,)])'
)
BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?\b([^%]*)%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S
)


def marked_strings(app: str) -> list[tuple[str, str]]:
    found = []
    for path in sorted((Path(settings.BASE_DIR) / app).rglob("*")):
        if "migrations" in path.parts or path.suffix not in (".py", ".html", ".txt"):
            continue
        source = path.read_text()
        msgids = TEMPLATE.findall(source) + CODE.findall(source)
        for arguments, body in BLOCK.findall(source):
            body = body.split("{% plural %}")[0]
            if "trimmed" in arguments:
                body = " ".join(line.strip() for line in body.strip().splitlines())
            msgids.append(re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body))
        found += [(str(path.relative_to(settings.BASE_DIR)), m.replace('\\"', '"')) for m in msgids]
    return found


@pytest.mark.parametrize("app", APPS)
def test_every_marked_string_has_a_norwegian_translation(app):
    catalogue = trans_real.translation("nb")._catalog
    translated = {
        (key if isinstance(key, str) else key[0]) for key, value in catalogue.items() if value
    }
    strings = marked_strings(app)
    assert len(strings) > 20  # the search found the app's strings at all
    missing = [f"{path}: {msgid!r}" for path, msgid in strings if msgid not in translated]
    assert missing == []
