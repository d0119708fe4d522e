"""factory_boy factories shared by the whole suite."""

import factory
from django.utils import timezone

from challenges.models import Theme
from portal.models import Organisation, Unit, User

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


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Enhet {n}")
    slug = factory.Sequence(lambda n: f"enhet-{n}")
    contact_email = factory.LazyAttribute(lambda unit: f"{unit.slug}@kommune.example.no")
    response_deadline_days = 14


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
