"""The region: several municipalities on one site (docs/regional.md, issue 13).

With one active municipality the site is what it always was; with two or more the home
page becomes the regional front page, listing the municipalities and their own parts of
the site (`cms.models.MunicipalityHomePage`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from cms.blocks import reverse_or_empty
from cms.routing import restriction_index, site_for_request
from portal import versions
from portal.municipalities import Municipality, active_municipality_ids


def is_regional() -> bool:
    """Whether several municipalities take part (cached: no query on most requests)."""
    return len(active_municipality_ids()) >= 2


@dataclass(frozen=True)
class MunicipalityCard:
    municipality: Municipality
    home: object | None  # its live MunicipalityHomePage, or None before it has one


def municipality_cards() -> list[MunicipalityCard]:
    """The active municipalities, by name, each with its coat of arms and live home page.

    One query (the coat of arms and the home page are joined); the home page is the
    plain Page-level row joined here, enough for its URL and title.
    """
    municipalities = (
        Municipality.objects.active()
        .select_related("coat_of_arms", "home_page")
        .order_by("name", "pk")
    )
    cards = []
    for municipality in municipalities:
        home = getattr(municipality, "home_page", None)
        # An unpublished home, or one behind a view restriction, is not linked to.
        if home is not None and (not home.live or restriction_index().may_restrict(home.path)):
            home = None
        cards.append(MunicipalityCard(municipality=municipality, home=home))
    return cards


def regional_challenges_url() -> str:
    """The region's challenge overview: every municipality's public challenges, with the
    municipality facet (the search page, challenges only). The regional front page's menu
    and buttons lead there; each municipality's own index lists its own."""
    url = reverse_or_empty("search:search")
    return f"{url}?type=challenge" if url else ""


def site_municipality(request: HttpRequest | None) -> Municipality | None:
    """The municipality whose own hostname answered `request` (a Wagtail site whose root
    is its home page), or None on the shared host, where the whole region is shown.

    What a municipality's own site lists beyond its pages (the idea list `/ideas/`,
    search, suggestions, the sitemap) is that municipality's alone (docs/regional.md).
    No query: the site comes from `cms.middleware` and the municipalities of sites are
    cached until pages or municipalities change.
    """
    if request is None:
        return None
    site = getattr(request, "_wagtail_site", None)
    if site is None:
        site = site_for_request(request)
    if site is None or site.is_default_site:
        return None
    return _site_municipalities().get(site.root_page_id)


def _site_municipalities() -> dict[int, Municipality]:
    """The municipalities whose home page is the root of a site, by that page's id."""
    from wagtail.models import Site

    def compute() -> dict[int, Municipality]:
        roots = Site.objects.values("root_page_id")
        return {
            municipality.home_page.pk: municipality
            for municipality in Municipality.objects.filter(home_page__pk__in=roots).select_related(
                "home_page"
            )
        }

    return versions.cached(
        (versions.PAGES, versions.MUNICIPALITIES), "site-municipalities", compute
    )
