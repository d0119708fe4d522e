"""The demo's region: Havbygd and Nordvik beside Fjordvik, each on its own address.

Runs after everything Fjordvik has (`ideas.demo` registers it as the step "region"):
Fjordvik's challenges move under `/fjordvik/` (with redirects from their old addresses),
Havbygd and Nordvik get their own units, staff, administrator, challenges and ideas, and
each municipality's administrator joins its administrators group; one joint challenge,
led by Fjordvik with Havbygd and Nordvik as partners, gets ideas, a partner's internal
note and a partner's public answer. Idempotent like every demo step: records are looked
up by their natural keys.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from challenges.joint import challenge_partners_set
from challenges.models import ChallengeIndexPage, ChallengePage, Theme
from challenges.municipal_sites import ensure_home
from ideas import actions, services
from ideas.models import Idea, IdeaEvent
from portal.demo import STAFF_GROUP, demo_user
from portal.models import Municipality, Unit, User


@dataclass(frozen=True)
class DemoMunicipality:
    slug: str
    name: str
    number: str
    inhabitants: int
    # (slug, name, English name, the caseworker's first and last name); the first unit
    # receives the ideas nobody else owns.
    units: tuple[tuple[str, str, str, str, str], ...]
    # (slug, title, summary, theme, unit slug, days open, days until it closes)
    challenges: tuple[tuple[str, str, str, str, str, int, int], ...]
    # (title, summary, challenge slug or "" for a free idea)
    ideas: tuple[tuple[str, str, str], ...]


REGION = [
    DemoMunicipality(
        "havbygd",
        "Havbygd kommune",
        "9902",
        6_200,
        units=(
            ("havbygd-radmann", "Rådmannens stab", "Chief executive's office", "Guro", "Nes"),
            ("havbygd-helse", "Helse og velferd", "Health and welfare", "Jon", "Strand"),
            (
                "havbygd-teknisk",
                "Teknisk og havn",
                "Technical services and harbour",
                "Lise",
                "Øvrebø",
            ),
        ),
        challenges=(
            (
                "rent-hav",
                "Rent hav rundt Havbygd",
                "Plast og spøkelsesgarn skyller i land på strendene våre. Hvordan holder vi "
                "havet rent sammen med fiskere, skoler og frivillige?",
                "god-kvalitet",
                "havbygd-teknisk",
                -20,
                40,
            ),
            (
                "helse-paa-oya",
                "Helsetjenester for folk på øyene",
                "Eldre på øyene har lang vei til legen. Hva kan komme til dem i stedet?",
                "god-helhet-og-samhandling",
                "havbygd-helse",
                -10,
                60,
            ),
        ),
        ideas=(
            (
                "Strandrydding med skoleklassene hver vår",
                "Hver klasse adopterer en strand og rydder den to ganger i året.",
                "rent-hav",
            ),
            (
                "Mottak for gamle garn på kaia",
                "Fiskere leverer utslitte garn gratis, kommunen sender dem til gjenvinning.",
                "rent-hav",
            ),
            (
                "Legebåt en dag i uka",
                "En sykepleier og en lege besøker øyene med båt på faste dager.",
                "helse-paa-oya",
            ),
            (
                "Ladepunkt for elbåter i gjestehavna",
                "Båtturister blir lenger hvis de kan lade.",
                "",
            ),
        ),
    ),
    DemoMunicipality(
        "nordvik",
        "Nordvik kommune",
        "9903",
        11_800,
        units=(
            ("nordvik-utvikling", "Samfunnsutvikling", "Community development", "Per", "Lund"),
            ("nordvik-oppvekst", "Oppvekst og kultur", "Childhood and culture", "Mari", "Berg"),
        ),
        challenges=(
            (
                "moteplasser-for-unge",
                "Møteplasser for unge i Nordvik",
                "Ungdommene sier det ikke finnes noe sted å være etter skoletid. Hva vil de ha?",
                "forebygging-og-tidlig-innsats",
                "nordvik-oppvekst",
                -5,
                45,
            ),
        ),
        ideas=(
            (
                "Åpen hall på fredagskvelder",
                "Idrettshallen står tom på fredager; la ungdommene bruke den med voksne til stede.",
                "moteplasser-for-unge",
            ),
            (
                "Ungdomsråd som får et eget budsjett",
                "Ungdomsrådet bestemmer selv over 200 000 kroner i året.",
                "moteplasser-for-unge",
            ),
            (
                "Bysykler mellom sentrum og skolene",
                "Korte turer uten bil, også for dem uten egen sykkel.",
                "",
            ),
        ),
    ),
]

CITIZEN_EMAILS = ["kari.nordmann@example.no", "aisha.ali@example.no", "per.berg@example.no"]


def administrator_email(slug: str) -> str:
    return f"kommuneadmin@{slug}.kommune.example.no"


def seed() -> str:
    fjordvik = Municipality.objects.get(slug="fjordvik")
    homes = {fjordvik.slug: ensure_home(fjordvik)}
    _administrator(fjordvik, "Frida", "Fjell")
    for demo in REGION:
        municipality = _municipality(demo)
        homes[demo.slug] = ensure_home(municipality)
        first, last = demo.units[0][3], demo.units[0][4]
        _administrator(municipality, first, last, email=administrator_email(demo.slug))
        index = ChallengeIndexPage.objects.child_of(homes[demo.slug]).get()
        challenges = _challenges(demo, index)
        _ideas(demo, municipality, challenges)
    _joint_challenge(homes["fjordvik"])
    return f"{Municipality.objects.count()} municipalities"


# The joint challenge: led by Fjordvik (it lives in Fjordvik's tree, owned by one of its
# units: the one the demo's routing rules send its theme to), with Havbygd and Nordvik
# as partners.
JOINT = DemoMunicipality(
    "fjordvik",
    "Fjordvik kommune",
    "",
    0,
    units=(),
    challenges=(
        (
            "felles-kollektiv",
            "Kollektivtransport på tvers av kommunegrensene",
            "Mange bor i én kommune og jobber i en annen, men bussene stopper ved grensa. "
            "Hvordan kommer folk seg på jobb uten egen bil?",
            "god-helhet-og-samhandling",
            "helse-og-omsorg",
            -15,
            45,
        ),
    ),
    ideas=(
        (
            "Felles bestillingsbuss mellom Havbygd og Fjordvik",
            "En bestillingsbuss kjører når folk trenger den, uansett kommunegrense.",
            "felles-kollektiv",
        ),
        (
            "Samkjøringsplass ved fylkesveien",
            "En parkeringsplass der pendlere møtes og kjører sammen resten av veien.",
            "felles-kollektiv",
        ),
    ),
)
JOINT_PARTNERS = ("havbygd", "nordvik")
JOINT_GOVERNANCE = (
    "Fjordvik kommune leder arbeidet og bestemmer hva som skjer med ideene. Havbygd og "
    "Nordvik er partnere: de vurderer ideene sammen med Fjordvik og svarer på dem."
)
JOINT_NOTE = "Havbygd har en bestillingsbuss fra før; vi kan dele erfaringer og kanskje sjåfører."
JOINT_ANSWER = (
    "Havbygd kommune støtter ideen og ser på den sammen med Fjordvik. Vi melder tilbake "
    "her når vi vet mer."
)


def _joint_challenge(fjordvik_home) -> None:
    index = ChallengeIndexPage.objects.child_of(fjordvik_home).get()
    challenge = _challenges(JOINT, index)["felles-kollektiv"]
    partners = list(Municipality.objects.filter(slug__in=JOINT_PARTNERS).order_by("slug"))
    already = set(challenge.partner_municipalities.values_list("pk", flat=True))
    if already != {partner.pk for partner in partners} or not challenge.governance:
        challenge = challenge_partners_set(
            challenge=challenge, partners=partners, governance=JOINT_GOVERNANCE
        )
    _ideas(JOINT, challenge.owning_unit.municipality, {"felles-kollektiv": challenge})
    # A partner's staff write on the lead's idea: a note, and a public answer.
    idea = Idea.objects.filter(challenge=challenge).order_by("pk").first()
    partner_staff = User.objects.get(email="ansatt.havbygd-radmann@havbygd.kommune.example.no")
    if idea is None or IdeaEvent.objects.filter(idea=idea, actor=partner_staff).exists():
        return
    with transaction.atomic():
        queued_before = len(connection.run_on_commit)
        actions.idea_add_note(idea=idea, by=partner_staff, text=JOINT_NOTE)
        actions.idea_answer(idea=idea, by=partner_staff, text=JOINT_ANSWER)
        # No e-mails for demo data; the search step rebuilds the index afterwards.
        del connection.run_on_commit[queued_before:]


def _municipality(demo: DemoMunicipality) -> Municipality:
    municipality, _ = Municipality.objects.update_or_create(
        slug=demo.slug,
        defaults={
            "name": demo.name,
            "number": demo.number,
            "contact_email": f"postmottak@{demo.slug}.kommune.example.no",
            "inhabitants": demo.inhabitants,
            "is_active": True,
        },
    )
    staff_group = _staff_group()
    units = []
    for slug, name, name_en, first_name, last_name in demo.units:
        unit, _ = Unit.objects.update_or_create(
            slug=slug,
            defaults={
                "municipality": municipality,
                "name": name,
                "name_en": name_en,
                "contact_email": f"{slug}@{demo.slug}.kommune.example.no",
                "is_active": True,
            },
        )
        staff = demo_user(
            f"ansatt.{slug}@{demo.slug}.kommune.example.no",
            display_name=f"{first_name} {last_name}",
            first_name=first_name,
            last_name=last_name,
        )
        staff.groups.add(staff_group)
        unit.staff.add(staff)
        units.append(unit)
    municipality.intake_unit = units[0]
    municipality.save(update_fields=["intake_unit"])
    return municipality


def _staff_group() -> Group:
    return Group.objects.get(name=STAFF_GROUP)


def _administrator(
    municipality: Municipality, first_name: str, last_name: str, *, email: str = ""
) -> User:
    """The municipality's administrator: a member of its administrators group (made by
    `ensure_home`), who manages its units, staff, routing rules and pages."""
    municipality.refresh_from_db()
    user = demo_user(
        email or administrator_email(municipality.slug),
        display_name=f"{first_name} {last_name}",
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(municipality.administrators_group)
    return user


def _challenges(demo: DemoMunicipality, index: ChallengeIndexPage) -> dict[str, ChallengePage]:
    today = timezone.localdate()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    pages = {}
    for slug, title, summary, theme, unit, opens, closes in demo.challenges:
        page = ChallengePage.objects.child_of(index).filter(slug=slug).first()
        if page is None:
            page = ChallengePage(
                slug=slug,
                title=title,
                summary=summary,
                theme=themes[theme],
                owning_unit=Unit.objects.get(slug=unit),
                opens_on=today + datetime.timedelta(days=opens),
                closes_on=today + datetime.timedelta(days=closes),
                locale=index.locale,
            )
            index.add_child(instance=page)
            page.save_revision().publish()
        pages[slug] = page
    return pages


def _ideas(
    demo: DemoMunicipality, municipality: Municipality, challenges: dict[str, ChallengePage]
) -> None:
    authors = list(User.objects.filter(email__in=CITIZEN_EMAILS).order_by("email"))
    if not authors:
        return
    with transaction.atomic():
        queued_before = len(connection.run_on_commit)
        for number, (title, summary, challenge_slug) in enumerate(demo.ideas):
            author = authors[number % len(authors)]
            if Idea.objects.filter(title=title, author=author).exists():
                continue
            challenge = challenges.get(challenge_slug)
            services.idea_submit(
                author=author,
                title=title,
                summary=summary,
                description=summary,
                challenge=challenge,
                theme=None if challenge else Theme.objects.order_by("pk").first(),
                municipality=None if challenge else municipality,
            )
        # No e-mails for demo data; the search step rebuilds the index afterwards.
        del connection.run_on_commit[queued_before:]
