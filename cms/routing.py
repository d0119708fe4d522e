"""Serving pages without walking the page tree in the database on every request.

Wagtail finds a page by asking the database for the site, its root page, and then, for
each level of the URL, the child with that slug and its specific form; then it asks
again for the view restrictions of the page and all its ancestors. For a challenge
three levels down that is about eight queries before the page does any work of its
own, on every request.

What those queries read changes only when editors change pages: publishing,
unpublishing, moving, deleting, saving a page, setting a view restriction or changing
a site. All of these bump the version `portal.versions.PAGES` (see `cms.apps`), and
this module caches, per process and under that version:

- the sites, each with its root page in its specific form;
- the route table: every page's URL path -> (content type, id);
- the restriction index: the paths of pages with view restrictions, and of aliases;
- the language index: each page's locale and its live translations.

A request then costs one query for the page it shows, and none for view restrictions
unless the page really is below a restriction (then Wagtail's own check runs).

Languages: the Norwegian page tree is the whole site. Editors may translate pages into
English with Wagtail's localisation (the English home page and its descendants, a
tree beside the Norwegian one). Under /en/ a path is looked up in the English tree
first; a page nobody has translated is served from the Norwegian tree, in Norwegian, in
the English interface (templates mark its text `lang="nb"`). Links to Norwegian pages
keep the visitor's interface language (`InterfaceLanguageUrlMixin`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.http.request import split_domain_port
from django.urls import get_script_prefix
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from portal import versions
from portal.i18n import default_language, interface_language

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Restriction:
    """One view restriction: the tree path of its page, its type and its groups."""

    path: str
    restriction_type: str
    group_ids: frozenset[int]


@dataclass(frozen=True)
class RestrictionIndex:
    restricted_paths: tuple[str, ...]  # tree paths of pages that carry a view restriction
    # Tree paths of alias pages whose source may carry a restriction: Wagtail checks the
    # sources of a page's alias ancestors too (the English tree's aliases, for one).
    alias_paths: tuple[str, ...]
    restrictions: tuple[Restriction, ...] = ()

    def may_restrict(self, path: str) -> bool:
        """Whether a page at this tree path may be under a view restriction."""
        return any(path.startswith(prefix) for prefix in self.restricted_paths) or any(
            path.startswith(prefix) for prefix in self.alias_paths
        )

    def hidden_paths(self, user: AnyUser) -> tuple[str, ...]:
        """Tree paths below which `user` may see no page in a list, a choice or an e-mail.

        Wagtail's own check (`PageViewRestriction.accept_request`), without a request:
        a login restriction lets in anyone logged in, a group restriction its groups'
        members and superusers. A password is given per visit, never for a list, so a
        password restriction hides its pages from everyone there.
        """
        hidden = []
        for restriction in self.restrictions:
            if restriction.restriction_type == PageViewRestriction.LOGIN:
                passes = user.is_authenticated
            elif restriction.restriction_type == PageViewRestriction.GROUPS:
                passes = user.is_authenticated and (
                    user.is_superuser or bool(restriction.group_ids & _group_ids(user))
                )
            else:
                passes = False
            if not passes:
                hidden.append(restriction.path)
        return tuple(sorted(set(hidden)))


def _group_ids(user: AnyUser) -> frozenset[int]:
    """The user's groups, read once per user object (a request's, or a prefetched one)."""
    cached = getattr(user, "_cms_group_ids", None)
    if cached is None:
        cached = frozenset(group.pk for group in user.groups.all())
        user._cms_group_ids = cached  # type: ignore[union-attr]
    return cached


def restriction_index() -> RestrictionIndex:
    def compute() -> RestrictionIndex:
        rows = Page.objects.filter(
            Q(alias_of__isnull=False) | Q(view_restrictions__isnull=False)
        ).values_list(
            "path",
            "alias_of__path",
            "view_restrictions__id",
            "view_restrictions__restriction_type",
            "view_restrictions__groups__id",
        )
        restricted = {path for path, _source, restriction, *_rest in rows if restriction}
        # An alias matters only if its source is at or below a restricted page (a
        # superset of what Wagtail checks: the source's own restrictions).
        aliases = {
            path
            for path, source, *_rest in rows
            if source is not None and any(source.startswith(prefix) for prefix in restricted)
        }
        found: dict[int, tuple[str, str, set[int]]] = {}
        for path, _alias, restriction, restriction_type, group_id in rows:
            if restriction is not None:
                entry = found.setdefault(restriction, (path, restriction_type, set()))
                if group_id is not None:
                    entry[2].add(group_id)
        return RestrictionIndex(
            tuple(sorted(restricted)),
            tuple(sorted(aliases)),
            tuple(
                Restriction(path, restriction_type, frozenset(group_ids))
                for path, restriction_type, group_ids in sorted(
                    found.values(), key=lambda entry: (entry[0], entry[1])
                )
            ),
        )

    return versions.cached(versions.PAGES, "restrictions", compute)


def _sites() -> list[Site]:
    def compute() -> list[Site]:
        sites = list(Site.objects.select_related("root_page").order_by("pk"))
        for site in sites:
            site.root_page = site.root_page.specific
        return sites

    return versions.cached(versions.PAGES, "sites", compute)


def site_for_request(request: HttpRequest) -> Site | None:
    """The site answering this request, by Wagtail's rules, from the cached sites.

    Exact host and port first, then the host on the default site, then the default
    site, then any site with that host name (as `Site.find_for_request`).
    """
    hostname = split_domain_port(request._get_raw_host())[0]
    port = int(request.get_port())
    candidates = [site for site in _sites() if site.hostname == hostname or site.is_default_site]

    def rank(site: Site) -> int:
        if site.hostname == hostname and site.port == port:
            return 0
        if site.hostname == hostname and site.is_default_site:
            return 1
        if site.is_default_site:
            return 2
        return 3

    candidates.sort(key=rank)
    return candidates[0] if candidates else None


def _route_table() -> dict[str, tuple[int, int]]:
    def compute() -> dict[str, tuple[int, int]]:
        return {
            url_path: (content_type_id, pk)
            for url_path, content_type_id, pk in Page.objects.values_list(
                "url_path", "content_type_id", "pk"
            )
        }

    return versions.cached(versions.PAGES, "routes", compute)


def _load(content_type_id: int, pk: int) -> Page:
    """The page in its specific form, from the per-process cache when it has not changed.

    A page's own fields change only when it is saved, which bumps PAGES; what it shows
    of its theme and unit (`routing_queryset`) is covered by LABELS. Each request gets
    its own copy (the cache pickles), so serving one cannot touch another's.
    """
    model = ContentType.objects.get_for_id(content_type_id).model_class()

    def fetch() -> Page:
        if model is None:  # a page type whose code is gone: Wagtail's generic page serves
            return Page.objects.get(pk=pk)
        queryset = getattr(model, "routing_queryset", None)
        manager = queryset() if queryset else model._default_manager
        try:
            return manager.get(pk=pk)
        except model.DoesNotExist as gone:  # deleted since the route table was read
            raise Http404 from gone

    return versions.cached((versions.PAGES, versions.LABELS), f"page:{pk}", fetch)


def _has_own_route(model: type, remaining: list[str]) -> bool:
    """Whether a routable page answers `remaining` itself (a feed, say) rather than a
    child page: Wagtail gives a routable page's own routes precedence."""
    if not issubclass(model, RoutablePageMixin):
        return False
    try:
        model.get_resolver().resolve("/" + "/".join(remaining) + "/")
    except Http404:  # Resolver404 included
        return False
    return True


def route(root: Page, request: HttpRequest, path_components: list[str]):
    """Route below `root` like `Page.route`, one query for the page found.

    Below a translated home page (the English tree), a path that leads to no live page
    there is looked up in the default language's tree: what nobody has translated yet
    is shown in Norwegian rather than not at all.
    """
    try:
        return _route_below(root, request, path_components)
    except Http404:
        source = translation_of(root, default_language())
        if source is None or source.pk == root.pk:
            raise
        return _route_below(source, request, path_components)


def _route_below(root: Page, request: HttpRequest, path_components: list[str]):
    table = _route_table()
    for depth in range(1, len(path_components) + 1):
        entry = table.get(root.url_path + "/".join(path_components[:depth]) + "/")
        if entry is None:
            raise Http404
        remaining = list(path_components[depth:])
        model = ContentType.objects.get_for_id(entry[0]).model_class()
        if not remaining or model is None or _has_own_route(model, remaining):
            return _load(*entry).route(request, remaining)
        if model.route is not Page.route and not issubclass(model, RoutablePageMixin):
            # A page type with routing of its own decides about its descendants.
            return _load(*entry).route(request, remaining)
    raise Http404


def exclude_restricted(queryset: PageQuerySet) -> PageQuerySet:
    """`queryset.public()` without its query: pages below no view restriction."""
    restricted = restriction_index().restricted_paths
    for path in restricted:
        queryset = queryset.exclude(path__startswith=path)
    return queryset


class CachedRestrictionsMixin:
    """Page types whose view restrictions are looked up in the restriction index first.

    Wagtail asks the database on every request (ancestors, then restrictions); a page
    that the index shows is not below any restriction, nor below an alias of a page
    that may be restricted, has none, so the query is skipped. Otherwise Wagtail's own
    lookup runs, aliases and all.

    A translation is also behind its original's restrictions: an English version of a
    page open only to staff must not be open to everyone.
    """

    def get_view_restrictions(self):
        index = restriction_index()
        restrictions = (
            super().get_view_restrictions()  # type: ignore[misc]
            if index.may_restrict(self.path)  # type: ignore[attr-defined]
            else PageViewRestriction.objects.none()
        )
        original = translation_of(self, default_language())  # type: ignore[arg-type]
        if original is not None and original.pk != self.pk and index.may_restrict(original.path):
            restrictions = restrictions | original.get_view_restrictions()
        return restrictions


# --- Languages -------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageIndex:
    # page id -> the language code of its locale
    locale_of: dict[int, str]
    # page id -> the language its content is written in: an alias shows its source's
    content_language_of: dict[int, str]
    # (translation key, language code) -> (content type id, page id) of the live page
    live_translations: dict[tuple[str, str], tuple[int, int]]


def language_index() -> LanguageIndex:
    def compute() -> LanguageIndex:
        rows = Page.objects.annotate(
            content_language=Coalesce(
                F("alias_of__locale__language_code"), F("locale__language_code")
            )
        ).values_list(
            "pk",
            "translation_key",
            "locale__language_code",
            "content_language",
            "live",
            "content_type_id",
        )
        locale_of, content_language_of, live = {}, {}, {}
        for pk, key, language, content_language, is_live, content_type_id in rows:
            locale_of[pk] = language
            content_language_of[pk] = content_language
            if is_live:
                live[(str(key), language)] = (content_type_id, pk)
        return LanguageIndex(locale_of, content_language_of, live)

    return versions.cached(versions.PAGES, "languages", compute)


def translation_of(page: Page, language: str) -> Page | None:
    """The live translation of `page` in `language` (the page itself if it is in that
    language), in its specific form; None if there is none."""
    index = language_index()
    if index.locale_of.get(page.pk) == language:
        return page
    entry = index.live_translations.get((str(page.translation_key), language))
    return _load(*entry) if entry else None


def content_language(page: Page) -> str:
    """The language a page's own text is written in (an alias's is its source's)."""
    index = language_index()
    if page.pk in index.content_language_of:
        return index.content_language_of[page.pk]
    return page.locale.language_code  # a page not saved yet (a preview)


class InterfaceLanguageUrlMixin:
    """Links to a Norwegian page keep the visitor in the interface language.

    Wagtail reverses a page's URL in its own locale's language, so an English page
    linking to a Norwegian page that has no translation would send the visitor to the
    Norwegian interface. The portal serves such a page under /en/ too (see `route`),
    so its URL there is the same path with the language prefix; if an English
    translation with the same slugs exists, that path reaches the translation.
    """

    @property
    def original(self):
        """This page in the default language (itself, if it is in it or has none live)."""
        return translation_of(self, default_language()) or self  # type: ignore[arg-type]

    @property
    def content_language(self) -> str:
        """The language this page's text is in (templates: `page|lang_attr`); a list
        that shows a translation's text on it says so in `shown_language`."""
        return getattr(self, "shown_language", "") or content_language(self)  # type: ignore[arg-type]

    def url_in_language(self, language: str, request: HttpRequest | None) -> str | None:
        """The address of what `request` shows of this page in `language`: the page's
        translation there (its own slugs, which an editor may have changed), else the
        original served in that interface; a routable page's own route (`rss/`, `ideer/`)
        is kept after it. None when the request is not for this page's address.

        The language switcher and the hreflang alternates use it (duck-typed by
        `portal.absolute_urls.page_language_paths`): adding or removing the language
        prefix alone leads to a 404 once a translation's slug differs.
        """
        current = self.get_url(request)  # type: ignore[attr-defined]
        path = request.path if request is not None else ""
        if not current or current.startswith(("http://", "https://")):
            return None
        if not path.startswith(current):
            return None
        target = translation_of(self, language) or self.original  # type: ignore[arg-type]
        with translation.override(language):
            url = target.get_url(request)
        if not url or url.startswith(("http://", "https://")):
            return None
        return url + path[len(current) :]

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)  # type: ignore[misc]
        if not parts or parts[2] is None or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return parts
        language = interface_language()
        if language == default_language() or self.pk is None:  # type: ignore[attr-defined]
            return parts
        if language_index().locale_of.get(self.pk) != default_language():  # type: ignore[attr-defined]
            return parts
        site_id, root_url, page_path = parts
        prefix = get_script_prefix()
        if not page_path.startswith(prefix):
            return parts
        return site_id, root_url, f"{prefix}{language}/{page_path[len(prefix) :]}"
