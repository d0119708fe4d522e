"""factory_boy factories shared by the whole suite."""

import factory
from django.conf import settings
from django.utils import timezone

from challenges.models import Theme
from portal.models import Municipality, Organisation, Unit, User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    display_name = factory.Faker("first_name", locale="no_NO")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    is_active = True
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.Sequence(lambda n: f"kommune-{n}")
    # County 80 does not exist: no real kommunenummer is taken.
    number = factory.Sequence(lambda n: f"{8000 + n % 1000:04d}")


def default_municipality() -> Municipality:
    """The one municipality of a single-municipality test, shared by every factory."""
    municipality, _ = Municipality.objects.get_or_create(
        slug="fjordvik", defaults={"name": "Fjordvik kommune", "number": "9901"}
    )
    return municipality


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Enhet {n}")
    slug = factory.Sequence(lambda n: f"enhet-{n}")
    municipality = factory.LazyFunction(default_municipality)
    contact_email = factory.LazyAttribute(lambda unit: f"{unit.slug}@kommune.example.no")
    response_deadline_days = 14

    @factory.post_generation
    def _intake(unit, create, extracted, **kwargs):
        # A unit with the intake slug is its municipality's intake unit, as the
        # migration from one municipality makes it: tests written before there were
        # municipalities create it that way.
        if create and unit.slug == settings.PORTAL_INTAKE_UNIT_SLUG:
            Municipality.objects.filter(pk=unit.municipality_id, intake_unit=None).update(
                intake_unit=unit
            )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Bedrift {n} AS")
    # Valid mod-11 numbers, generated so that each is unique.
    organisation_number = factory.Sequence(lambda n: valid_organisation_number(n))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")


def valid_organisation_number(n: int) -> str:
    from portal.validators import organisation_number_check_digit

    candidate = 80_000_000 + n * 7
    while True:
        first_eight = f"{candidate:08d}"
        check = organisation_number_check_digit(first_eight)
        if check is not None:
            return f"{first_eight}{check}"
        candidate += 1


# --- Challenges ------------------------------------------------------------------------


def challenge_index():
    """The challenge index under the home page, created once per test database."""
    from challenges.models import ChallengeIndexPage
    from cms.models import HomePage

    index = ChallengeIndexPage.objects.filter(locale__language_code="nb").first()
    if index is None:
        home = HomePage.objects.get(locale__language_code="nb")
        index = home.add_child(
            instance=ChallengeIndexPage(title="Utfordringer", slug="utfordringer")
        )
    return index


def create_challenge(*, title: str = "Ensomhet blant eldre", live: bool = True, **fields):
    """A published ChallengePage (unless live=False), open today by default."""
    import datetime

    from django.utils import timezone
    from django.utils.text import slugify

    from challenges.models import ChallengePage

    today = timezone.localdate()
    fields.setdefault("summary", f"Hvordan kan vi løse {title.lower()}?")
    fields.setdefault("opens_on", today - datetime.timedelta(days=10))
    fields.setdefault("closes_on", today + datetime.timedelta(days=30))
    if "owning_unit" not in fields:
        fields["owning_unit"] = UnitFactory()
    if "theme" not in fields:
        fields["theme"] = ThemeFactory()
    fields.setdefault("slug", slugify(title)[:50] + f"-{ChallengePage.objects.count()}")
    page = ChallengePage(title=title, live=live, **fields)
    challenge_index().add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


# --- Ideas -----------------------------------------------------------------------------


class IdeaFactory(factory.django.DjangoModelFactory):
    """An idea row as it would be after submission and routing.

    Use `ideas.services.idea_submit` in tests about submission itself.
    """

    class Meta:
        model = "ideas.Idea"

    reference = factory.Sequence(lambda n: f"2026-{n + 1:05d}")
    title = factory.Sequence(lambda n: f"Idé nummer {n}")
    summary = "En kort oppsummering av ideen."
    description = "En lengre beskrivelse av ideen og hvorfor den vil hjelpe."
    author = factory.SubFactory(UserFactory)
    owning_unit = factory.SubFactory(UnitFactory)
    municipality = factory.LazyAttribute(
        lambda idea: idea.owning_unit.municipality if idea.owning_unit else default_municipality()
    )


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideas.RoutingRule"

    name = factory.Sequence(lambda n: f"Regel {n}")
    target_unit = factory.SubFactory(UnitFactory)
    municipality = factory.LazyAttribute(lambda rule: rule.target_unit.municipality)
    idea_kind = "proposal"
