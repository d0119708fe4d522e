"""Slugs for addresses made from Norwegian names."""

from __future__ import annotations

from django.utils.text import slugify

# Django's slugify keeps what decomposes to ASCII (å → a) and drops the rest, which in
# Norwegian is æ and ø: "Digital nøkkel" would become "digital-nkkel". Written as they
# are in ASCII transcription of Norwegian, as in e-mail addresses and domain names.
_NORWEGIAN = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"})


def norwegian_slugify(text: str) -> str:
    """An ASCII slug of `text` that keeps its Norwegian letters readable."""
    return slugify(text.translate(_NORWEGIAN))
