"""The main menu and footer, built once and cached until an editor changes something.

Every page renders them, so building them per request (site settings, the challenge
index, view restrictions) would cost several queries on every page. The cache key
carries the version `portal.versions.PAGES`, which every change to pages, view
restrictions, sites and the navigation settings bumps (see `cms.apps`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.blocks import reverse_or_empty
from cms.home import parts
from cms.models import MunicipalityHomePage, NavigationSettings
from cms.regional import is_regional, regional_challenges_url
from portal import versions
from portal.i18n import Label, label

CACHE_TTL_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class MenuLink:
    text: Label  # `text.lang`: its language when not the interface's (portal.i18n)
    href: str


@dataclass(frozen=True)
class Navigation:
    main_menu: tuple[MenuLink, ...]
    footer_links: tuple[MenuLink, ...]
    footer_text: Label
    footer_contact: str


def _default_links(request: HttpRequest, site) -> tuple[MenuLink, ...]:
    """Challenges, ideas and search: what the menus show until an editor sets them.

    A municipality's own site (docs/regional.md) links to its own challenges; the
    regional front page has no challenge index of its own, so no link to one.
    """
    links = []
    if _is_regional_site(site):
        # The regional front page's own site: the region's challenges, not those of an
        # index left below its root (one municipality's).
        links.append(MenuLink(Label(_("Challenges")), regional_challenges_url()))
    elif (index := parts.challenge_index(site.root_page)) is not None:
        links.append(MenuLink(Label(_("Challenges")), index.get_url(request=request) or ""))
    links.append(MenuLink(Label(_("Ideas")), reverse_or_empty("ideas:list")))
    links.append(MenuLink(Label(_("Search")), reverse_or_empty("search:search")))
    return tuple(link for link in links if link.href)


def _is_regional_site(site) -> bool:
    """Whether the site is the regional front page's (several municipalities take part
    and its root is not a municipality's home page)."""
    return is_regional() and not isinstance(site.root_page.specific, MunicipalityHomePage)


def _configured_links(blocks) -> tuple[MenuLink, ...]:
    return tuple(
        MenuLink(block.value.text, block.value.href)
        for block in blocks
        if block.value.href
        # A page link that is unpublished must not show in public menus.
        and not (block.value.get("page") and not block.value["page"].live)
    )


def build_navigation(request: HttpRequest, site) -> Navigation:
    settings = NavigationSettings.for_site(site)
    defaults: tuple[MenuLink, ...] | None = None

    def links(blocks) -> tuple[MenuLink, ...]:
        nonlocal defaults
        if blocks:
            return _configured_links(blocks)
        if defaults is None:
            defaults = _default_links(request, site)
        return defaults

    return Navigation(
        main_menu=links(settings.main_menu),
        footer_links=links(settings.footer_links),
        footer_text=label(settings, "footer_text"),
        footer_contact=settings.footer_contact,
    )


def navigation_for(request: HttpRequest | None) -> Navigation | None:
    """The navigation of the request's site, in the active language; None without a site."""
    if request is None:
        return None
    cached = getattr(request, "_cms_navigation", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    if site is None:
        return None
    # The default menu differs between one municipality and a region.
    key = (
        f"cms:navigation:{versions.current(versions.PAGES)}:"
        f"{versions.current(versions.MUNICIPALITIES)}:{site.pk}:{get_language()}"
    )
    navigation = cache.get(key)
    if navigation is None:
        navigation = build_navigation(request, site)
        cache.set(key, navigation, CACHE_TTL_SECONDS)
    request._cms_navigation = navigation  # type: ignore[attr-defined]
    return navigation


def pages_changed(**kwargs) -> None:
    """Signal receiver: pages, restrictions, sites or menus changed (see cms.apps)."""
    versions.bump(versions.PAGES)
