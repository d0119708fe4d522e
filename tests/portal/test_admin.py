"""Units and organisations are managed in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from portal.models import Municipality, Organisation, Unit
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory, default_municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_units_are_listed_and_created_in_the_admin(admin_client):
    UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")
    response = admin_client.get(reverse("units:index"))
    assert response.status_code == 200
    assert "Helse og omsorg" in response.content.decode()

    response = admin_client.post(
        reverse("units:add"),
        {
            "municipality": default_municipality().pk,
            "name": "Kultur",
            "slug": "kultur",
            "short_description": "",
            "contact_email": "kultur@kommune.example.no",
            "parent": "",
            "response_deadline_days": "10",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(slug="kultur").response_deadline_days == 10


def test_organisation_with_wrong_check_digit_is_refused_in_the_admin(admin_client):
    data = {"name": "Feil AS", "organisation_number": "926 583 418", "kind": "business"}
    response = admin_client.post(reverse("organisations:add"), data)
    assert response.status_code == 200
    assert "kontrollsifferet" in response.content.decode()
    assert not Organisation.objects.exists()

    data["organisation_number"] = "926 583 417"
    response = admin_client.post(reverse("organisations:add"), data)
    assert response.status_code == 302
    assert Organisation.objects.get().organisation_number == "926583417"


@pytest.mark.parametrize(
    ("role", "status", "redirect"),
    [
        ("anonymous", 302, "/admin/login/"),
        ("citizen", 302, "/admin/login/"),
        # Staff reach the admin but not the unit register: sent back to the dashboard.
        ("staff", 302, "/admin/"),
        ("superuser", 200, None),
    ],
)
def test_only_permitted_users_manage_units(client, role, status, redirect):
    if role != "anonymous":
        user = UserFactory(is_superuser=role == "superuser", is_staff=role == "superuser")
        if role == "staff":
            group, _ = Group.objects.get_or_create(name="Saksbehandlere")
            group.permissions.add(Permission.objects.get(codename="access_admin"))
            user.groups.add(group)
        client.force_login(user)
    response = client.get(reverse("units:index"))
    assert response.status_code == status
    if redirect:
        assert response.url.split("?")[0] == redirect


def test_the_django_admin_offers_no_comment_or_tag_screens_that_bypass_the_services(
    admin_client,
):
    """Issue #11, items 12 and 15: its "Remove selected comments" and tag editing wrote
    around the services. The Wagtail admin is the one admin; the Django admin keeps the
    task queue for operators."""
    for path in (
        "/django-admin/django_comments_xtd/xtdcomment/",
        "/django-admin/django_comments/commentflag/",
        "/django-admin/taggit/tag/",
    ):
        assert admin_client.get(path).status_code == 404, path
    assert admin_client.get("/django-admin/django_tasks_database/dbtaskresult/").status_code == 200
    assert admin_client.get(reverse("page_tags:index")).status_code == 200
    assert admin_client.get(reverse("idea_tags:index")).status_code == 200


def test_admin_loads_no_avatars_from_gravatar(admin_client):
    # Gravatar would learn which staff open the admin, and when (a hash of their e-mail
    # address in every avatar URL).
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_account")):
        html = admin_client.get(url).content.decode()
        assert "gravatar" not in html.lower()


# --- Municipalities ----------------------------------------------------------------------


def _user_in_role(role: str):
    """A user of each kind the admin knows; None for an anonymous visitor."""
    if role == "anonymous":
        return None
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory()
    if role == "staff":
        # Even with every model permission on municipalities: only platform
        # administrators manage them, whatever a group grants.
        group, _ = Group.objects.get_or_create(name="Saksbehandlere")
        group.permissions.add(
            Permission.objects.get(codename="access_admin"),
            *Permission.objects.filter(
                content_type__app_label="portal", codename__contains="municipality"
            ),
        )
        user.groups.add(group)
    elif role == "editor":
        user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("staff", False),
        ("editor", False),
        ("superuser", True),
    ],
)
def test_only_platform_administrators_manage_municipalities(client, role, allowed):
    municipality = default_municipality()
    user = _user_in_role(role)
    if user is not None:
        client.force_login(user)
    for url in (
        reverse("municipalities:index"),
        reverse("municipalities:add"),
        reverse("municipalities:edit", args=[municipality.pk]),
    ):
        response = client.get(url)
        assert (response.status_code == 200) is allowed, (url, response.status_code)
    response = client.post(
        reverse("municipalities:edit", args=[municipality.pk]),
        {"name": "Omdøpt kommune", "slug": "fjordvik", "number": "9901"},
    )
    assert (Municipality.objects.get(pk=municipality.pk).name == "Omdøpt kommune") is allowed
    if allowed:
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert reverse("municipalities:index") in home  # in the Settings menu


def test_a_municipality_number_must_have_four_digits(admin_client):
    data = {"name": "Havbygd kommune", "slug": "havbygd", "number": "461", "is_active": "on"}
    response = admin_client.post(reverse("municipalities:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Et kommunenummer har nøyaktig fire sifre" in html
    assert 'value="Havbygd kommune"' in html  # what was typed stays
    assert not Municipality.objects.filter(slug="havbygd").exists()

    data["number"] = "9903"
    response = admin_client.post(reverse("municipalities:add"), data)
    assert response.status_code == 302
    assert Municipality.objects.get(slug="havbygd").number == "9903"


def test_the_intake_unit_must_be_the_municipality_s_own(admin_client):
    fjordvik, havbygd = default_municipality(), MunicipalityFactory(slug="havbygd")
    elsewhere = UnitFactory(municipality=havbygd)
    data = {"name": fjordvik.name, "slug": "fjordvik", "number": fjordvik.number}
    response = admin_client.post(
        reverse("municipalities:edit", args=[fjordvik.pk]),
        {**data, "intake_unit": elsewhere.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    fjordvik.refresh_from_db()
    assert fjordvik.intake_unit is None

    own = UnitFactory(municipality=fjordvik)
    response = admin_client.post(
        reverse("municipalities:edit", args=[fjordvik.pk]),
        {**data, "intake_unit": own.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    fjordvik.refresh_from_db()
    assert fjordvik.intake_unit == own


def test_units_show_and_filter_by_municipality(admin_client, django_assert_max_num_queries):
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    UnitFactory(name="Havbygd skole", municipality=havbygd)
    UnitFactory(name="Fjordvik skole")
    with django_assert_max_num_queries(40):
        html = admin_client.get(
            reverse("units:index"), {"municipality": havbygd.pk}
        ).content.decode()
    assert "Havbygd skole" in html and "Fjordvik skole" not in html
    assert "Havbygd kommune" in html


def test_a_new_unit_belongs_to_the_only_municipality_unless_told(admin_client):
    municipality = default_municipality()
    html = admin_client.get(reverse("units:add")).content.decode()
    assert f'<option value="{municipality.pk}" selected>' in html
    MunicipalityFactory(slug="havbygd")
    html = admin_client.get(reverse("units:add")).content.decode()
    assert f'<option value="{municipality.pk}" selected>' not in html


def test_a_unit_s_parent_must_be_in_the_same_municipality(admin_client):
    parent = UnitFactory(municipality=MunicipalityFactory(slug="havbygd"))
    response = admin_client.post(
        reverse("units:add"),
        {
            "municipality": default_municipality().pk,
            "name": "Kultur",
            "slug": "kultur",
            "parent": parent.pk,
            "response_deadline_days": "10",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(slug="kultur").exists()
