"""The page tree the portal cannot work without: a root, the home page and the site."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from cms.models import HomePage

HERO_TITLE = "Sammen finner vi nye løsninger"
HERO_INTRO = (
    "Kommunen står overfor utfordringer ingen enhet løser alene. Her kan innbyggere, "
    "næringsliv, frivillige og ansatte dele ideer, støtte hverandres forslag og følge "
    "dem fra nytt, via nyttig, til nyttiggjort."
)


@transaction.atomic
def ensure_site() -> HomePage:
    """Create whatever is missing of the page tree and the default site; return the home page.

    The migrations create all of it on a new database. This repairs a database whose
    tables were emptied (test isolation by flushing, or an operator's mistake) without
    touching anything that exists.
    """
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    # The Norwegian home page is the site's root; an English one is its translation.
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Mulighetsportalen",
                slug="home",
                locale=locale,
                hero_title=HERO_TITLE,
                hero_intro=HERO_INTRO,
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            site_name="Mulighetsportalen",
            root_page=home,
            is_default_site=True,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home
