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
- the restriction index: the paths of pages with view restrictions, and of aliases.

A request then costs one query for the page it shows, and none for view restrictions
unless the page really is below a restriction (then Wagtail's own check runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.http.request import split_domain_port
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from portal import versions

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
    alias_paths: tuple[str, ...]  # tree paths of alias pages (their source decides)
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
            "alias_of_id",
            "view_restrictions__id",
            "view_restrictions__restriction_type",
            "view_restrictions__groups__id",
        )
        restricted = {path for path, _alias, restriction, *_rest in rows if restriction}
        aliases = {path for path, alias, *_rest in rows if alias is not None}
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
    """Route below `root` like `Page.route`, one query for the page found."""
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
    that the index shows is not below any restriction or alias has none, so the query
    is skipped. Otherwise Wagtail's own lookup runs, aliases and all.
    """

    def get_view_restrictions(self):
        if restriction_index().may_restrict(self.path) or self.alias_of_id:
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()
