"""Make a HomePage the root of the default site, in place of Wagtail's welcome page.

Every database, the test database included, then serves the portal's own front page
from the first `migrate` on.
"""

from django.db import migrations

HERO_TITLE = "Sammen finner vi nye løsninger"
HERO_INTRO = (
    "Kommunen står overfor utfordringer ingen enhet løser alene. Her kan innbyggere, "
    "næringsliv, frivillige og ansatte dele ideer, støtte hverandres forslag og følge "
    "dem fra nytt, via nyttig, til nyttiggjort."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    # Wagtail's own welcome page: a bare Page at depth 2. Removing it also removes the
    # site that points at it; we create the site again below.
    Page.objects.filter(depth=2, content_type=page_type, numchild=0).delete()
    root = Page.objects.get(depth=1)
    taken = set(Page.objects.filter(depth=2).values_list("path", flat=True))
    position = 1
    while f"{root.path}{position:04d}" in taken:
        position += 1

    home_type, _created = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    home = HomePage.objects.create(
        title="Mulighetsportalen",
        draft_title="Mulighetsportalen",
        slug="home",
        content_type=home_type,
        path=f"{root.path}{position:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        hero_title=HERO_TITLE,
        hero_intro=HERO_INTRO,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    Site.objects.create(
        hostname="localhost", port=80, site_name="Mulighetsportalen",
        root_page_id=home.pk, is_default_site=True,
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
