"""Joint challenges (the Aktiv kommune model; docs/regional.md, issue 13).

A joint challenge lives in its lead municipality's page tree and is owned by one of the
lead's units, so its ideas belong to the lead and are routed as for any challenge.
Partner municipalities (`ChallengePage.partner_municipalities`) show it on their own
sites, and their staff read, note and answer its ideas (`ideas.permissions`); only the
lead's staff move an idea's status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from challenges.models import ChallengePage
from portal import versions
from portal.models import Municipality, User


@dataclass(frozen=True)
class Partner:
    pk: int
    name: str
    slug: str


def partners_by_challenge() -> dict[int, tuple[Partner, ...]]:
    """Every joint challenge's partners, by name, keyed by challenge id: one query,
    cached until pages or municipalities change (a challenge page names its partners
    without a query of its own)."""

    def compute() -> dict[int, tuple[Partner, ...]]:
        rows = (
            ChallengePage.partner_municipalities.through.objects.select_related("municipality")
            .filter(municipality__is_active=True)
            .order_by("municipality__name", "municipality_id")
        )
        found: dict[int, list[Partner]] = {}
        for row in rows:
            municipality = row.municipality
            found.setdefault(row.challengepage_id, []).append(
                Partner(municipality.pk, municipality.name, municipality.slug)
            )
        return {pk: tuple(partners) for pk, partners in found.items()}

    return versions.cached((versions.PAGES, versions.MUNICIPALITIES), "joint-partners", compute)


def partners_of(challenge: ChallengePage) -> tuple[Partner, ...]:
    """The active partner municipalities of a challenge (none: an ordinary challenge)."""
    return partners_by_challenge().get(challenge.pk, ())


def challenge_partners_set(
    *,
    challenge: ChallengePage,
    partners: Iterable[Municipality],
    governance: str | None = None,
    by: User | None = None,
) -> ChallengePage:
    """Make a challenge joint (or ordinary again, with no partners), as an editor would.

    Builds on the latest revision, so an editor's unpublished draft is kept; the new
    revision is published only when the page was live with nothing pending (otherwise
    it waits, as a draft, for the editor). The lead municipality (the owning unit's)
    cannot be a partner: `ChallengePage.clean()` refuses it with a `ValidationError`
    before anything is written.
    """
    # As stored, not as the caller's copy remembers it (publishing another copy of the
    # page leaves that one's flags behind).
    stored = ChallengePage.objects.get(pk=challenge.pk)
    was_published = stored.live and not stored.has_unpublished_changes
    page = stored.get_latest_revision_as_object()
    page.partner_municipalities.set(list(partners))
    if governance is not None:
        page.governance = governance
    revision = page.save_revision(user=by, clean=True)
    if was_published:
        revision.publish(user=by)
    return ChallengePage.objects.get(pk=challenge.pk)
