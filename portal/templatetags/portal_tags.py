import datetime

from django import template
from django.conf import settings
from django.core.paginator import Page
from django.forms import BoundField
from django.http import HttpRequest
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info

from portal import figures
from portal.absolute_urls import page_language_paths
from portal.i18n import Label, needs_marking

register = template.Library()


def _strip_language_prefix(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


@register.simple_tag(takes_context=True)
def language_links(context: template.Context, request: HttpRequest) -> list[dict[str, str]]:
    """The current page in each interface language.

    Public URLs use Django's i18n_patterns without a prefix for the default language,
    so switching language is mostly a matter of adding or removing the prefix. A
    Wagtail page says where it is itself: its translation may have slugs of its own.
    """
    page_paths = page_language_paths(context.get("page"), request)
    path = _strip_language_prefix(request.path)
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, _name in settings.LANGUAGES:
        url = page_paths.get(code) or (path if code == settings.LANGUAGE_CODE else f"/{code}{path}")
        if query:
            url = f"{url}?{query}"
        info = get_language_info(code)
        links.append({"code": code, "url": url, "name": info["name_local"]})
    return links


@register.filter
def ds_widget(field: BoundField) -> SafeString:
    """Render a form widget with Designsystemet classes and accessible descriptions.

    The help text and every error message are tied to the input with
    aria-describedby, so screen readers read them when the field gets focus.
    """
    attrs = dict(field.field.widget.attrs)
    widget_type = field.widget_type
    if widget_type not in {"radioselect", "checkboxselectmultiple"}:
        attrs["class"] = (attrs.get("class", "") + " ds-input").strip()
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def elided_pages(page: Page) -> list[int | None]:
    """The page numbers to link to: the first and last page and two either side of
    the current one, with None where numbers are left out. However many pages there
    are, the list stays short, and so does the time to render it."""
    paginator = page.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]


def _language_of(value: object) -> str:
    """The language `value` is written in, if it says ("" if it is the interface's)."""
    if isinstance(value, Label):
        return value.lang
    if isinstance(value, str):  # a language code: "nb" for what people write themselves
        return value if value in dict(settings.LANGUAGES) else ""
    # A page says which language its text is in (cms.routing.InterfaceLanguageUrlMixin).
    return getattr(value, "content_language", "") or ""


@register.filter
def lang_attr(value: object) -> SafeString:
    """` lang="nb"` on an element whose text is not in the interface language, else "".

    `value` is a `portal.i18n.Label` (a name or menu text that fell back to Norwegian),
    a Wagtail page (its text is in its locale's language), or a language code: ideas,
    comments and other text people write are Norwegian, so `"nb"|lang_attr` marks them
    on the English pages. WCAG 3.1.2: screen readers then pronounce them as Norwegian.
    """
    language = _language_of(value)
    if not needs_marking(language):
        return SafeString("")
    return format_html(' lang="{}"', language)


@register.filter
def lang_text(value: object) -> SafeString:
    """The text, escaped, inside `<span lang="…">` when it is not in the interface
    language: for a name within a sentence (`{% with unit=unit.display_name|lang_text %}`)."""
    attribute = lang_attr(value)
    if not attribute:
        return conditional_escape(value)
    return format_html("<span{}>{}</span>", attribute, value)


@register.filter(expects_localtime=True)
def iso_datetime(value: datetime.date | None) -> str:
    """The value of a `datetime` attribute: ISO 8601 to the second, in local time.

    `|date:"c"` keeps the microseconds, and HTML allows at most three digits of a second.
    """
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.simple_tag
def live_figure(kind: str, form: str, pk: int, value: int) -> SafeString:
    """A figure that changes more often than the HTML around it, e.g. an idea's support:
    responses show its current value whatever cache the HTML came from (portal.figures).
    """
    return figures.figure(kind, form, pk, value)


@register.filter
def field_of(page: object, name: str) -> object:
    """`page.<name>`, or "" when this kind of page has no such field (base.html asks every
    page for the fields some kinds have). A template's own lookup of a missing attribute
    lists all of the object's attributes to tell it from a failing property: on a
    Wagtail page, a noticeable part of rendering the layout."""
    return getattr(page, name, "") if page is not None else ""
