"""Giving a municipality its own part of the site (docs/regional.md, issue 13).

`ensure_home(municipality)` creates what is missing of a municipality's home page, its
challenge index and, when given a hostname, its own Wagtail site; it can be run again
at any time. Operators run it as `manage.py municipal_home <slug>`; the demo calls it.

The municipality whose units own the challenges below the challenge index that stood
directly below the home page (the single municipality's, which
`portal.0005_first_municipality` made the first) takes that index over: it moves to
`/<slug>/utfordringer/`, and every old address of it and of the challenges below it
(Norwegian and English, feeds included) redirects permanently to the new one. The move
is done here, not in a migration: a single-municipality installation never runs it, and
so never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from challenges.models import ChallengeIndexPage, ChallengePage
from cms.models import MunicipalityHomePage
from cms.site import ensure_site
from cms.workflow_names import name_municipality_workflow
from portal.municipalities import Municipality
from portal.services import municipality_groups_update

# The first path segments Django's own URLs use (portal/urls.py): a municipality with
# one of these slugs could never be reached under `/<slug>/`.
RESERVED_SLUGS = frozenset(
    {"admin", "django-admin", "documents", "i18n", "accounts", "ideas", "search", "jsi18n"}
    | {code for code, _name in settings.LANGUAGES}
    | {"robots.txt", "favicon.ico", "sitemap.xml", "static", "media"}
)

INDEX_TITLE = "Utfordringer"
INDEX_SLUG = "utfordringer"


def reserved_slug_error(municipality) -> str | None:
    """A municipality's slug the site's own addresses use (`Municipality.clean`)."""
    if municipality.slug in RESERVED_SLUGS:
        return gettext("The address /%(slug)s/ is used by the site itself; choose another.") % {
            "slug": municipality.slug
        }
    return None


class MunicipalSiteError(Exception):
    """The municipality's pages cannot be set up as asked; the message says why."""


@transaction.atomic
def ensure_home(
    municipality: Municipality, *, hostname: str = "", port: int = 80
) -> MunicipalityHomePage:
    """The municipality's home page, created (and published) if missing, with a
    challenge index below it; with `hostname`, a Wagtail site whose root it is. Its
    Wagtail groups (administrators, editors) get the page rights on it."""
    if municipality.slug in RESERVED_SLUGS:
        raise MunicipalSiteError(
            f"The slug “{municipality.slug}” is taken by the site's own addresses; "
            "give the municipality another slug."
        )
    root = ensure_site()
    home = MunicipalityHomePage.objects.filter(municipality=municipality).first()
    if home is None:
        if root.get_children().filter(slug=municipality.slug).exists():
            raise MunicipalSiteError(
                f"A page at /{municipality.slug}/ exists already; move or rename it first."
            )
        home = root.add_child(
            instance=MunicipalityHomePage(
                title=municipality.name,
                slug=municipality.slug,
                locale=root.locale,
                municipality=municipality,
            )
        )
        home.save_revision().publish()
    _adopt_legacy_indexes(root=root, home=home, municipality=municipality)
    if not ChallengeIndexPage.objects.child_of(home).exists():
        index = home.add_child(instance=ChallengeIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG))
        index.save_revision().publish()
    if hostname:
        _ensure_own_site(home, hostname=hostname, port=port)
    # Its administrators and editors work on this subtree and its collection, and its
    # administrators approve what its editors submit (its own page workflow).
    municipality_groups_update(municipality=municipality, root_page=home)
    name_municipality_workflow(municipality)
    return home


def _is_first(municipality: Municipality) -> bool:
    first = Municipality.objects.order_by("pk").values_list("pk", flat=True).first()
    return first == municipality.pk


def _adopt_legacy_indexes(*, root: Page, home: MunicipalityHomePage, municipality) -> None:
    """Move the challenge indexes below the regional home page into `home`, leaving
    permanent redirects from every old address."""
    legacy = list(ChallengeIndexPage.objects.child_of(root).order_by("path"))
    if not legacy:
        return
    below_legacy = Q()
    for index in legacy:
        below_legacy |= Q(path__startswith=index.path)
    owners = dict(
        ChallengePage.objects.filter(below_legacy).values_list(
            "title", "owning_unit__municipality_id"
        )
    )
    if not _takes_over(owners, municipality):
        return
    for index in legacy:
        old_paths = _public_paths(index, root)
        slug_taken = home.get_children().filter(slug=index.slug).exists()
        if slug_taken:
            raise MunicipalSiteError(f"/{home.slug}/{index.slug}/ exists already.")
        with translation.override(settings.LANGUAGE_CODE):
            index.move(home, pos="last-child")
        _redirect(old_paths)


def _takes_over(owners: dict[str, int], municipality: Municipality) -> bool:
    """Whether `municipality` takes over the shared challenge indexes, whose challenges
    (by title) belong to `owners` (municipality ids); refuses a mixed index."""
    if not owners:
        # Only an empty index: it was the single municipality's, the first one's.
        return _is_first(municipality)
    if municipality.pk not in owners.values():
        return False  # another municipality's challenges: that one takes them over
    if set(owners.values()) != {municipality.pk}:
        foreign = sorted(title for title, owner in owners.items() if owner != municipality.pk)
        raise MunicipalSiteError(
            "These challenges below the shared challenge index belong to another "
            "municipality; move them first: " + ", ".join(foreign)
        )
    return True


def _public_paths(index: Page, root: Page) -> list[tuple[str, Page, str]]:
    """(old path, page, route) for the index and every page below it, before the move:
    each address a visitor or a feed reader may have kept."""
    found = []
    for page in [index, *index.get_descendants().specific()]:
        relative = page.url_path[len(root.url_path) - 1 :]
        routes = [""]
        if isinstance(page, RoutablePageMixin):
            # Its own fixed routes (feeds); none that take arguments.
            patterns = (str(pattern.pattern) for pattern in page.get_resolver().url_patterns)
            routes += [route for route in patterns if route and not set(route) & set("<^$")]
        for route in routes:
            found.append((relative + route, page, route))
    return found


def _redirect(old_paths: list[tuple[str, Page, str]]) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    prefixes = [""] + [
        f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    for old_path, page, route in old_paths:
        for prefix in prefixes:
            Redirect.objects.update_or_create(
                old_path=Redirect.normalise_path(prefix + old_path),
                site=site,
                defaults={
                    "redirect_page": page,
                    "redirect_page_route_path": ("/" + route) if route else "",
                    "is_permanent": True,
                    "redirect_link": "",
                    "automatically_created": True,
                },
            )


def _ensure_own_site(home: MunicipalityHomePage, *, hostname: str, port: int) -> Site:
    site = Site.objects.filter(hostname=hostname, port=port).first()
    if site is None:
        return Site.objects.create(
            hostname=hostname,
            port=port,
            site_name=home.municipality.name,
            root_page=home,
            is_default_site=False,
        )
    if site.is_default_site:
        raise MunicipalSiteError(f"{hostname}:{port} is the shared site's own address.")
    if site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return site
