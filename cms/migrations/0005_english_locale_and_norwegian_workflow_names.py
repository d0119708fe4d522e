"""Add the English locale, and give Wagtail's default workflow a Norwegian name.

English pages are translations in Wagtail's own localisation (WAGTAIL_I18N_ENABLED):
they need a Locale row for "en" beside the "nb" one Wagtail's migrations create from
LANGUAGE_CODE. Every existing page stays in the Norwegian locale.

Wagtail's migrations name the default workflow and its task "Moderators approval", in
English, in the Norwegian admin. Workflow names are data with one value, so they are
named in the portal's default language; an administrator can rename them under
*Settings -> Workflows* (and a renamed one is left alone here).
"""

from django.db import migrations

WAGTAIL_DEFAULT_NAME = "Moderators approval"
NORWEGIAN_NAME = "Godkjenning av moderator"


def forwards(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")

    for code in ("nb", "en"):
        Locale.objects.get_or_create(language_code=code)
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=NORWEGIAN_NAME)
    Task.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=NORWEGIAN_NAME)


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")
    Workflow.objects.filter(name=NORWEGIAN_NAME).update(name=WAGTAIL_DEFAULT_NAME)
    Task.objects.filter(name=NORWEGIAN_NAME).update(name=WAGTAIL_DEFAULT_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_navigation_english_labels"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
