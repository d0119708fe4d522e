"""A municipality's home page follows its slug (docs/regional.md).

The slug is the municipality's address on the shared host (`/<slug>/`): changing it in
*Settings → Municipalities* moves the home page there, with everything below it.
Wagtail then records redirects from the old addresses (its redirects app, on
`page_slug_changed`), and the search entries follow (the challenges below the page are
re-indexed as for any page move, and the municipality's documents for their facet:
`search.signals.municipality_written`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import Page, Revision

from cms.models import MunicipalityHomePage
from portal.municipalities import Municipality


def home_slug_error(municipality: Municipality) -> str | None:
    """Why the municipality's home page cannot move to its new slug: another page
    already has that address. None when it can (or it has no home page)."""
    if municipality.pk is None:
        return None
    home = (
        MunicipalityHomePage.objects.filter(municipality_id=municipality.pk)
        .exclude(slug=municipality.slug)
        .only("pk", "path", "depth")
        .first()
    )
    if home is None:
        return None
    parent_path = home.path[: -Page.steplen]
    taken = (
        Page.objects.filter(path__startswith=parent_path, depth=home.depth, slug=municipality.slug)
        .exclude(pk=home.pk)
        .exists()
    )
    if taken:
        return _("A page at /%(slug)s/ exists already; move or rename it first.") % {
            "slug": municipality.slug
        }
    return None


def follow_municipality_slug(sender, instance: Municipality, created: bool, **kwargs) -> None:
    """post_save of a municipality (framework boundary: the admin's form saves it):
    move its home page to the new slug."""
    if created or kwargs.get("raw"):
        return
    home = MunicipalityHomePage.objects.filter(municipality_id=instance.pk).first()
    if home is None or home.slug == instance.slug:
        return
    home.slug = instance.slug
    # Page.save checks the address among its siblings, moves the url_path of every
    # page below and, on commit, has Wagtail's redirects app record the old addresses.
    home.save()
    # The page's revisions carry the slug too: publishing a draft later must not move
    # the page back.
    for revision in Revision.objects.filter(
        pk__in={home.latest_revision_id, home.live_revision_id} - {None}
    ):
        revision.content["slug"] = instance.slug
        revision.save(update_fields=["content"])
