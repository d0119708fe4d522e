"""The one form of a tag on an idea, and the rules for what people may type.

Like the best participation platforms, one normalised form per tag: lower case, words
joined by hyphens, letters and digits only (any alphabet: "ø-hjelp", "eldreomsorg"),
2–40 characters, at most 10 on an idea. What people type is turned into that form
("#Sykkel Vei" → "sykkel-vei"); what cannot be (`<script>`, "a", "###") is refused with
a message naming it. Forms and services both use `normalise_tags`, so no path can store
anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 2
MAX_LENGTH = 40
MAX_TAGS = 10
# Words of letters and digits (no underscore), joined by single hyphens.
TAG_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def normalise_tag(raw: str) -> str:
    """The tag's one form, or ValidationError naming what was typed."""
    name = "-".join(raw.strip().lstrip("#").split()).lower()
    if not TAG_RE.fullmatch(name) or not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        raise ValidationError(
            _(
                "“%(tag)s” cannot be a tag: use %(min)d–%(max)d letters or digits, with "
                "hyphens between words."
            )
            % {"tag": raw.strip()[:60], "min": MIN_LENGTH, "max": MAX_LENGTH},
            code="invalid_tag",
        )
    return name


def normalise_tags(names: Iterable[str]) -> list[str]:
    """Each name in its one form, without repeats; ValidationError lists every name that
    cannot be a tag, or says there are too many."""
    tags: list[str] = []
    errors: list[ValidationError] = []
    for raw in names:
        if not raw.strip():
            continue
        try:
            tag = normalise_tag(raw)
        except ValidationError as error:
            errors.append(error)
            continue
        if tag not in tags:
            tags.append(tag)
    if errors:
        raise ValidationError(errors)
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            _("Use at most %(max)d tags.") % {"max": MAX_TAGS}, code="too_many_tags"
        )
    return tags


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags as typed in a form -> `normalise_tags`."""
    return normalise_tags(text.split(","))
