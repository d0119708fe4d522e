"""Seed the phases with KS' roadmap for service innovation (Veikart for tjenesteinnovasjon).

The list stays editable in the admin (Settings -> Project phases); this only fills an
empty list, and adds none of the six whose slug is already there.
"""

from django.db import migrations

ROADMAP = [
    (
        "forberede",
        "Forberede",
        "Prepare",
        "Forankre, organisere og planlegge arbeidet.",
        "Anchor, organise and plan the work.",
    ),
    (
        "forsta-behovene",
        "Forstå behovene",
        "Understand the needs",
        "Finne ut hva brukerne og de ansatte trenger.",
        "Find out what users and staff need.",
    ),
    (
        "utvikle-ideer",
        "Utvikle ideer",
        "Develop ideas",
        "Skape og velge løsninger sammen med brukerne.",
        "Create and choose solutions together with the users.",
    ),
    (
        "teste",
        "Teste",
        "Test",
        "Prøve løsningene i liten skala og lære av det.",
        "Try the solutions on a small scale and learn from it.",
    ),
    (
        "implementere",
        "Implementere",
        "Implement",
        "Ta løsningen i bruk i drift.",
        "Put the solution into everyday use.",
    ),
    (
        "spre",
        "Spre",
        "Spread",
        "Dele løsningen så andre kan ta den i bruk.",
        "Share the solution so that others can take it up.",
    ),
]


def seed(apps, schema_editor):
    Phase = apps.get_model("projects", "Phase")
    taken = set(Phase.objects.values_list("slug", flat=True))
    start = (Phase.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0)
    for number, (slug, name, name_en, description, description_en) in enumerate(ROADMAP, 1):
        if slug in taken:
            continue
        Phase.objects.create(
            slug=slug,
            name=name,
            name_en=name_en,
            description=description,
            description_en=description_en,
            sort_order=start + number * 10,
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
