"""The region: several municipalities on one site (docs/regional.md, issue 13).

With one active municipality the site is what it always was; with two or more the home
page becomes the regional front page, listing the municipalities and their own parts of
the site (`cms.models.MunicipalityHomePage`).
"""

from __future__ import annotations

from dataclasses import dataclass

from cms.routing import restriction_index
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
