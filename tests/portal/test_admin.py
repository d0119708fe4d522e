"""Units and organisations are managed in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from portal.models import Organisation, Unit
from tests.factories import UnitFactory, UserFactory

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
