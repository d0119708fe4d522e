"""The demo municipality: Fjordvik kommune, its units, themes and people.

Every function here is idempotent: it looks records up by their natural key (slug,
e-mail, organisation number) and updates them, so `seed_demo` can run any number of
times without duplicating anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from wagtail.models import GroupPagePermission, Page

from portal.models import Municipality, Organisation, Unit, User

DEMO_PASSWORD = "Fjordvik-demo-2026"
# The demo's caseworker in each unit (ansatt.<unit slug>@fjordvik.kommune.example.no).
STAFF_NAMES = {
    "strategi-og-utvikling": ("Marte", "Solberg"),
    "digitalisering": ("Eirik", "Haugland"),
    "oppvekst": ("Hanne", "Brekke"),
    "barnehage": ("Nora", "Vik"),
    "helse-og-omsorg": ("Siri", "Aasen"),
    "teknisk-drift": ("Tor", "Myklebust"),
    "kultur-og-frivillighet": ("Amira", "Hassan"),
    "plan-og-miljo": ("Lars", "Fjeldstad"),
    "naering": ("Kristin", "Moe"),
}


@dataclass(frozen=True)
class DemoStep:
    """One part of the demo, contributed by the app that owns its data.

    Each app registers its steps in its own `demo` module with `@step(order, name)`, so
    this module (in the lowest app) never imports the apps above it. A step returns a
    short summary for `seed_demo` to print, or None.
    """

    order: int
    name: str
    run: Callable[[], str | None]


_STEPS: dict[str, DemoStep] = {}


def step(order: int, name: str) -> Callable:
    def register(run: Callable[[], str | None]) -> Callable[[], str | None]:
        _STEPS[name] = DemoStep(order, name, run)
        return run

    return register


def steps() -> list[DemoStep]:
    """Every app's demo steps, in order (importing each installed app's `demo` module)."""
    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda demo_step: demo_step.order)


STAFF_GROUP = "Saksbehandlere"
EDITORS_GROUP = "Editors"  # created by Wagtail's own migrations


@dataclass(frozen=True)
class DemoUnit:
    slug: str
    name: str
    description: str
    deadline_days: int
    parent: str | None = None
    name_en: str = ""


UNITS = [
    DemoUnit(
        "strategi-og-utvikling",
        "Strategi og utvikling",
        "Tar imot ideer som ikke hører til én bestemt enhet, og følger opp kommunens "
        "innovasjonsstrategi og gevinstrealisering.",
        10,
        name_en="Strategy and Development",
    ),
    DemoUnit(
        "digitalisering",
        "Digitalisering",
        "Digitale tjenester, selvbetjening og digital inkludering.",
        14,
        "strategi-og-utvikling",
        name_en="Digitalisation",
    ),
    DemoUnit(
        "oppvekst",
        "Oppvekst og utdanning",
        "Skoler, skolefritidsordning, PPT og tjenester for barn og unge.",
        14,
        name_en="Childhood and Education",
    ),
    DemoUnit(
        "barnehage",
        "Barnehage",
        "Kommunale barnehager og tilsyn med private barnehager.",
        14,
        "oppvekst",
        name_en="Kindergartens",
    ),
    DemoUnit(
        "helse-og-omsorg",
        "Helse og omsorg",
        "Hjemmetjenester, sykehjem, helsestasjon og folkehelse.",
        14,
        name_en="Health and Care",
    ),
    DemoUnit(
        "teknisk-drift",
        "Teknisk drift",
        "Vei, vann, avløp, overvann og kommunale bygg.",
        21,
        name_en="Technical Services",
    ),
    DemoUnit(
        "kultur-og-frivillighet",
        "Kultur og frivillighet",
        "Bibliotek, kulturhus, idrett og samarbeid med frivillige lag og foreninger.",
        14,
        name_en="Culture and Volunteering",
    ),
    DemoUnit(
        "plan-og-miljo",
        "Plan, miljø og klima",
        "Arealplanlegging, klimatilpasning og miljøvern.",
        21,
        name_en="Planning, Environment and Climate",
    ),
    DemoUnit(
        "naering",
        "Næring og samfunnsutvikling",
        "Samarbeid med næringslivet, gründere og sentrumsutvikling.",
        14,
        name_en="Business and Community Development",
    ),
]


CITIZENS = [
    ("kari.nordmann@example.no", "Kari Nordmann", "Kari", "Nordmann"),
    ("ola.hansen@example.no", "Ola H.", "Ola", "Hansen"),
    ("aisha.ali@example.no", "Aisha", "Aisha", "Ali"),
    ("per.berg@example.no", "Per Berg", "Per", "Berg"),
    ("solveig.lie@example.no", "Solveig Lie", "Solveig", "Lie"),
]

ORGANISATIONS = [
    # Made-up businesses; the numbers have valid check digits but belong to no one.
    ("926583417", "Fjordtech AS", Organisation.Kind.BUSINESS, "https://fjordtech.example.no"),
    ("998877660", "Fjordvik idrettslag", Organisation.Kind.VOLUNTARY, ""),
]

BUSINESS_MEMBERS = [
    ("ingrid.fjell@fjordtech.example.no", "Ingrid Fjell (Fjordtech)", "926583417"),
    ("jonas.dahl@fjordvikil.example.no", "Jonas Dahl", "998877660"),
]


def demo_user(
    email: str, *, display_name: str = "", first_name: str = "", last_name: str = "", **flags
) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "display_name": display_name,
            "first_name": first_name,
            "last_name": last_name,
            "email_confirmed_at": timezone.now(),
            **flags,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    else:
        changed = {
            "display_name": display_name,
            "first_name": first_name,
            "last_name": last_name,
            **flags,
        }
        for field, value in changed.items():
            setattr(user, field, value)
        user.save(update_fields=list(changed))
    return user


def _editors_group() -> Group:
    """Wagtail's migrations create the Editors group; recreate it if it is gone."""
    editors, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:
        editors.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        root = Page.get_first_root_node()
        # As Wagtail's own Editors group: add and edit, but publishing goes through
        # moderation by the Moderators group.
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.create(
                group=editors,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    return editors


# Fjordvik is fictional; so is its kommunenummer: there is no county 99.
FJORDVIK_NUMBER = "9901"
INTAKE_UNIT = "strategi-og-utvikling"


def seed_fjordvik() -> Municipality:
    municipality, _ = Municipality.objects.update_or_create(
        slug="fjordvik",
        defaults={
            "name": "Fjordvik kommune",
            "number": FJORDVIK_NUMBER,
            "contact_email": "postmottak@fjordvik.kommune.example.no",
            "contact_phone": "+47 55 00 00 00",
            "website": "https://fjordvik.kommune.example.no/",
            "inhabitants": 24_500,
            "is_active": True,
        },
    )
    return municipality


def seed_units() -> dict[str, Unit]:
    municipality = seed_fjordvik()
    units: dict[str, Unit] = {}
    for demo in UNITS:
        unit, _ = Unit.objects.update_or_create(
            slug=demo.slug,
            defaults={
                "municipality": municipality,
                "name": demo.name,
                "name_en": demo.name_en,
                "short_description": demo.description,
                "contact_email": f"{demo.slug}@fjordvik.kommune.example.no",
                "response_deadline_days": demo.deadline_days,
                "parent": units.get(demo.parent) if demo.parent else None,
                "is_active": True,
            },
        )
        units[demo.slug] = unit
    municipality.intake_unit = units[INTAKE_UNIT]
    municipality.save(update_fields=["intake_unit"])
    return units


def seed_people(units: dict[str, Unit]) -> None:
    staff_group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    staff_group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    editors = _editors_group()

    demo_user(
        "admin@fjordvik.kommune.example.no",
        display_name="Portaladministrator",
        is_staff=True,
        is_superuser=True,
    )
    editor = demo_user(
        "redaktor@fjordvik.kommune.example.no",
        display_name="Redaksjonen",
        first_name="Randi",
        last_name="Redaktør",
    )
    editor.groups.add(editors)

    for slug, unit in units.items():
        # People, not units: assigning an idea to a person must read as such.
        first_name, last_name = STAFF_NAMES[slug]
        staff = demo_user(
            f"ansatt.{slug}@fjordvik.kommune.example.no",
            display_name=f"{first_name} {last_name}",
            first_name=first_name,
            last_name=last_name,
        )
        staff.groups.add(staff_group)
        unit.staff.add(staff)

    for email, display_name, first_name, last_name in CITIZENS:
        demo_user(email, display_name=display_name, first_name=first_name, last_name=last_name)

    organisations = {}
    for number, name, kind, website in ORGANISATIONS:
        organisations[number], _ = Organisation.objects.update_or_create(
            organisation_number=number, defaults={"name": name, "kind": kind, "website": website}
        )
    for email, display_name, number in BUSINESS_MEMBERS:
        member = demo_user(email, display_name=display_name)
        organisations[number].members.add(member)


@step(10, "units and people")
def seed_municipality() -> str:
    units = seed_units()
    seed_people(units)
    # The region's municipalities are counted by the region step (ideas.demo_region).
    return (
        f"{len(units)} units, {User.objects.count()} users, "
        f"{Organisation.objects.count()} organisations"
    )


def seed() -> list[str]:
    """Run every app's demo steps in order; returns what each reported."""
    return [summary for demo_step in steps() if (summary := demo_step.run())]
