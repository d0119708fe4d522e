import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from portal.models import Municipality, Organisation, Unit, User
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory, default_municipality

pytestmark = pytest.mark.django_db


class TestUser:
    def test_users_log_in_with_email_and_have_no_username(self):
        user = User.objects.create_user(email="Kari.Nordmann@Example.NO", password="x-y-z-1234")
        assert User.USERNAME_FIELD == "email"
        assert user.email == "kari.nordmann@example.no"
        assert not hasattr(user, "username") or user.username is None
        assert user.check_password("x-y-z-1234")

    def test_email_is_unique_regardless_of_case(self):
        User.objects.create_user(email="kari@example.no", password="pw-123456")
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create_user(email="KARI@example.no", password="pw-123456")

    def test_public_name_never_reveals_the_email_address(self):
        user = UserFactory(email="secret@example.no", display_name="", first_name="", last_name="")
        assert "secret" not in user.public_name
        user.first_name, user.last_name = "Kari", "Nordmann"
        assert user.public_name == "Kari Nordmann"
        user.display_name = "Kari N."
        assert user.public_name == "Kari N."

    def test_create_superuser(self):
        admin = User.objects.create_superuser(email="admin@example.no", password="pw-123456")
        assert admin.is_superuser and admin.is_staff


class TestMunicipality:
    @pytest.mark.parametrize("number", ["461", "46011", "46a1", "", "４６０１"])
    def test_the_database_refuses_a_number_that_is_not_four_digits(self, number):
        # PostgreSQL refuses five characters for the column's length (DataError).
        with pytest.raises((IntegrityError, DataError)), transaction.atomic():
            Municipality.objects.create(name="Feil", slug="feil", number=number)

    def test_the_form_validator_says_what_a_number_looks_like(self):
        municipality = Municipality(name="Havbygd kommune", slug="havbygd", number="46-1")
        with pytest.raises(ValidationError) as refused:
            municipality.full_clean()
        assert refused.value.message_dict["number"] == [
            "Et kommunenummer har nøyaktig fire sifre, for eksempel 4601."
        ]

    def test_numbers_and_slugs_are_unique(self):
        MunicipalityFactory(slug="havbygd", number="9903")
        with pytest.raises(IntegrityError), transaction.atomic():
            Municipality.objects.create(name="Kopi", slug="kopi", number="9903")

    def test_listed_by_name(self):
        MunicipalityFactory(name="Nordvik kommune")
        MunicipalityFactory(name="Havbygd kommune")
        assert [str(m) for m in Municipality.objects.all()] == [
            "Havbygd kommune",
            "Nordvik kommune",
        ]

    def test_a_unit_of_a_municipality_cannot_be_deleted_with_it(self):
        from django.db.models import ProtectedError

        municipality = MunicipalityFactory()
        UnitFactory(municipality=municipality)
        with pytest.raises(ProtectedError):
            municipality.delete()


class TestUnit:
    def test_staff_members_and_parent(self):
        parent = UnitFactory(name="Oppvekst", slug="oppvekst")
        child = UnitFactory(name="Barnehage", slug="barnehage", parent=parent)
        staff = UserFactory()
        child.staff.add(staff)
        assert list(parent.children.all()) == [child]
        assert list(staff.units.all()) == [child]

    def test_response_deadline_must_be_positive_in_the_database(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Unit.objects.create(
                name="Null",
                slug="null",
                municipality=default_municipality(),
                response_deadline_days=0,
            )

    def test_a_unit_cannot_be_its_own_ancestor(self):
        top = UnitFactory(slug="top")
        middle = UnitFactory(slug="middle", parent=top)
        top.parent = middle
        with pytest.raises(ValidationError) as excinfo:
            top.full_clean()
        assert "parent" in excinfo.value.message_dict

    def test_active_filter(self):
        UnitFactory(slug="aktiv")
        UnitFactory(slug="nedlagt", is_active=False)
        assert [unit.slug for unit in Unit.objects.active()] == ["aktiv"]


class TestOrganisation:
    def test_valid_number_with_spaces_is_stored_as_nine_digits(self):
        organisation = Organisation(name="Fjordtech AS", organisation_number="926 583 417")
        organisation.full_clean()
        organisation.save()
        organisation.refresh_from_db()
        assert organisation.organisation_number == "926583417"

    def test_wrong_check_digit_is_rejected(self):
        organisation = Organisation(name="Feil AS", organisation_number="926583418")
        with pytest.raises(ValidationError) as excinfo:
            organisation.full_clean()
        assert "organisation_number" in excinfo.value.message_dict

    def test_number_is_unique(self):
        Organisation.objects.create(name="A", organisation_number="926583417")
        with pytest.raises(IntegrityError), transaction.atomic():
            Organisation.objects.create(name="B", organisation_number="926583417")

    def test_database_refuses_numbers_that_are_not_nine_characters(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Organisation.objects.create(name="Kort", organisation_number="1234")

    def test_members(self):
        organisation = Organisation.objects.create(name="A", organisation_number="926583417")
        member = UserFactory()
        organisation.members.add(member)
        assert list(member.organisations.all()) == [organisation]
