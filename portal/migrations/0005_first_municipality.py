"""Move a single-municipality database into its first municipality (issue 13).

Only a database with data gets one: a fresh installation creates its municipalities in
the admin (or `seed_demo`). Its name comes from PORTAL_MUNICIPALITY_NAME, its number
from PORTAL_MUNICIPALITY_NUMBER, its intake unit from PORTAL_INTAKE_UNIT_SLUG. One
UPDATE per table, however many ideas there are.
"""

import re

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify


def municipality_slug(name: str) -> str:
    # "Fjordvik kommune" -> "fjordvik": the word "kommune" says nothing in an address.
    short = re.sub(r"\s+kommune$", "", name.strip(), flags=re.IGNORECASE)
    return slugify(short)[:60] or "kommune"


def create_first_municipality(apps, schema_editor):
    Municipality = apps.get_model("portal", "Municipality")
    Unit = apps.get_model("portal", "Unit")
    Idea = apps.get_model("ideas", "Idea")
    RoutingRule = apps.get_model("ideas", "RoutingRule")
    if not (Unit.objects.exists() or Idea.objects.exists() or RoutingRule.objects.exists()):
        return
    number = settings.PORTAL_MUNICIPALITY_NUMBER
    if not re.fullmatch(r"[0-9]{4}", number):
        raise ValueError(f"PORTAL_MUNICIPALITY_NUMBER must be four digits, not {number!r}.")
    name = settings.PORTAL_MUNICIPALITY_NAME
    municipality = Municipality.objects.create(
        name=name, slug=municipality_slug(name), number=number
    )
    Unit.objects.update(municipality=municipality)
    Idea.objects.update(municipality=municipality)
    RoutingRule.objects.update(municipality=municipality)
    intake = Unit.objects.filter(slug=settings.PORTAL_INTAKE_UNIT_SLUG).first()
    if intake is not None:
        Municipality.objects.filter(pk=municipality.pk).update(intake_unit=intake)


def remove_municipalities(apps, schema_editor):
    Municipality = apps.get_model("portal", "Municipality")
    apps.get_model("ideas", "RoutingRule").objects.update(municipality=None)
    apps.get_model("ideas", "Idea").objects.update(municipality=None)
    apps.get_model("portal", "Unit").objects.update(municipality=None)
    Municipality.objects.update(intake_unit=None)
    Municipality.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_municipality"),
        ("ideas", "0008_idea_and_rule_municipality"),
    ]

    operations = [migrations.RunPython(create_first_municipality, remove_municipalities)]
