"""Text that editors write in two languages, and the language a piece of text is in.

The portal's own labels (theme and unit names, menu links, the footer) are stored in
Norwegian Bokmål, the default language, with an optional English value beside each in a
field named `<field>_en`. `label(obj, "name")` picks the value for the interface
language and falls back to Norwegian when no English value is written.

A value shown in another language than the page around it must say so (WCAG 3.1.2,
language of parts): `Label.lang` is the language the text is written in ("" for text
that always follows the interface, such as gettext strings). Templates mark a label
whose language is not the interface's with the `lang_attr` filter (portal_tags); the
comparison happens when the template renders, so a Label can be cached and shown in
either language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def default_language() -> str:
    return settings.LANGUAGE_CODE


def interface_language() -> str:
    """The active interface language as one of `settings.LANGUAGES` (e.g. "en-gb" -> "en")."""
    active = (get_language() or default_language()).lower()
    codes = [code for code, _name in settings.LANGUAGES]
    if active in codes:
        return active
    base = active.split("-")[0]
    return base if base in codes else default_language()


class Label(str):
    """A str that knows the language it is written in.

    `lang` is its language code, or "" when it is in whatever language the interface
    is. It behaves as a plain string everywhere else: in forms, comparisons, `format`,
    e-mails and cache keys.
    """

    lang: str

    def __new__(cls, text: str, lang: str = "") -> Label:
        label = super().__new__(cls, text)
        label.lang = lang
        return label

    def __reduce__(self):  # cached (pickled) with its language
        return (Label, (str(self), self.lang))


def in_language(text: str, language: str) -> Label:
    """`text`, written in `language`."""
    return Label(text, language)


def needs_marking(language: str) -> bool:
    """Whether text in `language` must carry a lang attribute on the page being rendered."""
    return bool(language) and language != interface_language()


def label(obj: object, field: str) -> Label:
    """The value of `field` for the interface language: `<field>_<language>` when the
    interface is not Norwegian and that value is written, else the Norwegian value."""
    language = interface_language()
    if language != default_language():
        translated = getattr(obj, f"{field}_{language}", "") or ""
        if translated.strip():
            return Label(translated, language)
    return in_language(getattr(obj, field) or "", default_language())
