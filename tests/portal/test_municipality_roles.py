"""A municipality's people: its Wagtail groups, its collection, its administrators.

The isolation matrix over the admin screens (units, routing rules, municipalities),
pages, images and documents: staff, editors and administrators of another
municipality reach none of Fjordvik's (docs/regional.md, "People").
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupPagePermission, Page

from ideas.models import RoutingRule
from portal import roles
from portal.models import Municipality, Unit
from portal.services import municipality_groups_update
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory, default_municipality

pytestmark = pytest.mark.django_db


def _plain_page(slug: str) -> Page:
    """A stand-in for the municipality's home page (the addresses step makes the real
    one): any page works, and what is below it comes with it."""
    return Page.get_first_root_node().add_child(instance=Page(title=slug, slug=slug))


def _member(group: Group, **fields):
    user = UserFactory(**fields)
    user.groups.add(group)
    return user


# --- The service ---------------------------------------------------------------------------


def test_the_service_makes_the_groups_the_collection_and_the_page_permissions():
    fjordvik = default_municipality()
    home = _plain_page("fjordvik-hjem")
    administrators, editors = municipality_groups_update(municipality=fjordvik, root_page=home)

    fjordvik.refresh_from_db()
    assert fjordvik.administrators_group == administrators
    assert fjordvik.editors_group == editors
    assert fjordvik.collection.name == "Fjordvik kommune"
    assert fjordvik.collection.get_parent() == Collection.get_first_root_node()
    # Named in the site's language (Norwegian), whatever the language of the request.
    assert administrators.name == "Fjordvik kommune: administratorer"
    assert editors.name == "Fjordvik kommune: redaktører"

    def page_codenames(group):
        return set(
            GroupPagePermission.objects.filter(group=group, page=home).values_list(
                "permission__codename", flat=True
            )
        )

    assert page_codenames(editors) == {"add_page", "change_page"}
    assert {"add_page", "change_page", "publish_page"} <= page_codenames(administrators)
    for group in (administrators, editors):
        assert group.permissions.filter(codename="access_admin").exists()
        assert not GroupPagePermission.objects.filter(group=group).exclude(page=home).exists()


def test_running_the_service_again_follows_a_renamed_municipality_and_a_moved_home():
    fjordvik = default_municipality()
    first_home, new_home = _plain_page("hjem-1"), _plain_page("hjem-2")
    administrators, editors = municipality_groups_update(
        municipality=fjordvik, root_page=first_home
    )
    member = _member(administrators)
    collection = fjordvik.collection

    fjordvik.name = "Nye Fjordvik kommune"
    fjordvik.save()
    again = municipality_groups_update(municipality=fjordvik, root_page=new_home)

    assert again == (administrators, editors)  # the same groups, members kept
    assert member.groups.filter(pk=administrators.pk).exists()
    administrators.refresh_from_db()
    assert "Nye Fjordvik kommune" in administrators.name
    collection.refresh_from_db()
    assert collection.name == "Nye Fjordvik kommune"
    assert Collection.objects.filter(name__contains="Fjordvik").count() == 1
    assert not GroupPagePermission.objects.filter(group=administrators, page=first_home).exists()
    assert GroupPagePermission.objects.filter(group=administrators, page=new_home).exists()
    # Nothing run twice is granted twice.
    assert (
        GroupPagePermission.objects.filter(
            group=editors, page=new_home, permission__codename="add_page"
        ).count()
        == 1
    )


def test_a_group_name_taken_by_another_group_is_not_stolen():
    fjordvik = default_municipality()
    existing = Group.objects.create(name="Fjordvik kommune: administratorer")
    administrators, _editors = municipality_groups_update(municipality=fjordvik)
    assert administrators != existing
    assert administrators.name == "fjordvik: administrators"


def test_the_administrators_group_makes_a_municipality_administrator():
    fjordvik, havbygd = default_municipality(), MunicipalityFactory(name="Havbygd")
    administrators, editors = municipality_groups_update(municipality=fjordvik)
    administrator, editor = _member(administrators), _member(editors)
    staff = UserFactory()
    UnitFactory(municipality=havbygd).staff.add(staff)

    assert roles.administered_municipality_ids(administrator) == {fjordvik.pk}
    assert roles.is_municipality_admin(administrator, fjordvik.pk)
    assert not roles.is_municipality_admin(administrator, havbygd.pk)
    assert not roles.is_municipality_admin(editor)
    assert roles.staff_municipality_ids(administrator) == {fjordvik.pk}
    assert roles.staff_municipality_ids(staff) == {havbygd.pk}
    assert roles.staff_municipality_ids(editor) == frozenset()


# --- The isolation matrix over the admin -------------------------------------------------

ROLES = [
    "superuser",
    "own_administrator",
    "other_administrator",
    "other_staff",
    "other_editor",
]
MANAGING = {"superuser", "own_administrator"}


@pytest.fixture
def region(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fjordvik = default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    fjordvik_unit = UnitFactory(name="Fjordvik teknisk", municipality=fjordvik)
    havbygd_unit = UnitFactory(name="Havbygd oppvekst", municipality=havbygd)
    fjordvik_home, havbygd_home = _plain_page("fjordvik"), _plain_page("havbygd")
    fjordvik_admins, fjordvik_editors = municipality_groups_update(
        municipality=fjordvik, root_page=fjordvik_home
    )
    havbygd_admins, havbygd_editors = municipality_groups_update(
        municipality=havbygd, root_page=havbygd_home
    )
    staff_group, _ = Group.objects.get_or_create(name="Saksbehandlere")
    staff_group.permissions.add(Permission.objects.get(codename="access_admin"))
    other_staff = _member(staff_group)
    havbygd_unit.staff.add(other_staff)
    rule = RoutingRule.objects.create(
        name="Veilys til teknisk",
        municipality=fjordvik,
        idea_kind="idea",
        target_unit=fjordvik_unit,
    )
    page = fjordvik_home.add_child(instance=Page(title="Kladd i Fjordvik", slug="kladd"))
    image = Image.objects.create(
        title="Fjordvik rådhus", file=get_test_image_file(), collection=fjordvik.collection
    )
    document = Document.objects.create(
        title="Fjordvik strategi",
        file=ContentFile(b"%PDF-1.4", name="strategi.pdf"),
        collection=fjordvik.collection,
    )
    users = {
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "own_administrator": _member(fjordvik_admins),
        "own_editor": _member(fjordvik_editors),
        "other_administrator": _member(havbygd_admins),
        "other_staff": other_staff,
        "other_editor": _member(havbygd_editors),
    }
    return {
        "fjordvik": fjordvik,
        "havbygd": havbygd,
        "unit": fjordvik_unit,
        "havbygd_unit": havbygd_unit,
        "rule": rule,
        "page": page,
        "image": image,
        "document": document,
        "users": users,
    }


def _refused(response) -> bool:
    """Wagtail turns PermissionDenied into a redirect to the dashboard (or a 403/404)."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.mark.parametrize("role", ROLES)
def test_units_of_a_municipality_are_managed_by_its_administrators_only(client, region, role):
    client.force_login(region["users"][role])
    unit = region["unit"]
    index = client.get(reverse("units:index"))
    if role in MANAGING:
        assert index.status_code == 200
        assert "Fjordvik teknisk" in index.content.decode()
    else:
        assert _refused(index) or "Fjordvik teknisk" not in index.content.decode()
    for url in (
        reverse("units:edit", args=[unit.pk]),
        reverse("units:delete", args=[unit.pk]),
        reverse("units:history", args=[unit.pk]),
    ):
        response = client.get(url)
        assert (response.status_code == 200) is (role in MANAGING), (url, response.status_code)
        if role not in MANAGING:
            assert _refused(response), url
    response = client.post(
        reverse("units:edit", args=[unit.pk]),
        {
            "municipality": region["fjordvik"].pk,
            "name": "Omdøpt",
            "slug": unit.slug,
            "contact_email": "",
            "response_deadline_days": "14",
            "is_active": "on",
            "staff": [region["users"]["other_staff"].pk],
        },
    )
    unit.refresh_from_db()
    assert (unit.name == "Omdøpt") is (role in MANAGING)
    # Staff membership is managed on the unit: one account works everywhere.
    assert unit.staff.filter(pk=region["users"]["other_staff"].pk).exists() is (role in MANAGING)


def test_an_administrator_lists_and_creates_units_in_their_own_municipality_only(client, region):
    client.force_login(region["users"]["other_administrator"])
    index = client.get(reverse("units:index")).content.decode()
    assert "Havbygd oppvekst" in index
    assert "Fjordvik teknisk" not in index

    form = client.get(reverse("units:add")).context["form"]
    assert list(form.fields["municipality"].queryset) == [region["havbygd"]]
    assert form.fields["municipality"].initial == region["havbygd"].pk
    assert list(form.fields["parent"].queryset) == [region["havbygd_unit"]]

    data = {
        "name": "Havbygd kultur",
        "slug": "havbygd-kultur",
        "contact_email": "",
        "response_deadline_days": "14",
        "is_active": "on",
    }
    refused = client.post(reverse("units:add"), {**data, "municipality": region["fjordvik"].pk})
    assert refused.status_code == 200  # the form again, with everything typed
    assert "Havbygd kultur" in refused.content.decode()
    assert not Unit.objects.filter(slug="havbygd-kultur").exists()
    created = client.post(reverse("units:add"), {**data, "municipality": region["havbygd"].pk})
    assert created.status_code == 302
    assert Unit.objects.get(slug="havbygd-kultur").municipality == region["havbygd"]


def test_the_unit_list_costs_the_same_for_an_administrator(
    client, region, django_assert_max_num_queries
):
    for number in range(10):
        UnitFactory(name=f"Havbygd enhet {number}", municipality=region["havbygd"])
    client.force_login(region["users"]["other_administrator"])
    with django_assert_max_num_queries(40):
        response = client.get(reverse("units:index"))
    assert response.status_code == 200


def test_the_policy_names_who_may_manage_units(region):
    from wagtail.permissions import policy_registry

    managers = set(policy_registry.get_by_type(Unit).users_with_any_permission(["change"]))
    users = region["users"]
    assert {users["superuser"], users["own_administrator"]} <= managers
    assert not {users["other_staff"], users["other_editor"], users["own_editor"]} & managers


@pytest.mark.parametrize("role", ROLES)
def test_routing_rules_are_managed_by_the_municipality_s_administrators_only(client, region, role):
    client.force_login(region["users"][role])
    rule = region["rule"]
    index = client.get(reverse("ideas_routing_rules:index"))
    if role in MANAGING:
        assert "Veilys til teknisk" in index.content.decode()
    else:
        assert _refused(index) or "Veilys til teknisk" not in index.content.decode()
    response = client.get(reverse("ideas_routing_rules:edit", args=[rule.pk]))
    assert (response.status_code == 200) is (role in MANAGING)
    client.post(
        reverse("ideas_routing_rules:delete", args=[rule.pk]),
    )
    assert RoutingRule.objects.filter(pk=rule.pk).exists() is (role not in MANAGING)


def test_an_administrator_writes_rules_for_their_own_units_only(client, region):
    client.force_login(region["users"]["other_administrator"])
    form = client.get(reverse("ideas_routing_rules:add")).context["form"]
    assert list(form.fields["municipality"].queryset) == [region["havbygd"]]
    assert list(form.fields["target_unit"].queryset) == [region["havbygd_unit"]]
    data = {"name": "Skole", "priority": "10", "is_active": "on", "idea_kind": "idea"}
    refused = client.post(
        reverse("ideas_routing_rules:add"), {**data, "target_unit": region["unit"].pk}
    )
    assert refused.status_code == 200
    assert not RoutingRule.objects.filter(name="Skole").exists()
    client.post(
        reverse("ideas_routing_rules:add"), {**data, "target_unit": region["havbygd_unit"].pk}
    )
    assert RoutingRule.objects.get(name="Skole").municipality == region["havbygd"]


@pytest.mark.parametrize("role", [*ROLES, "own_editor"])
def test_only_platform_administrators_manage_municipalities(client, region, role):
    client.force_login(region["users"][role])
    response = client.get(reverse("municipalities:edit", args=[region["fjordvik"].pk]))
    assert (response.status_code == 200) is (role == "superuser")
    client.post(
        reverse("municipalities:edit", args=[region["fjordvik"].pk]),
        {"name": "Kapret", "slug": "fjordvik", "number": "9901"},
    )
    assert (Municipality.objects.get(pk=region["fjordvik"].pk).name == "Kapret") is (
        role == "superuser"
    )


# --- Pages, images and documents -------------------------------------------------------

EDITING = {"superuser", "own_administrator", "own_editor"}


@pytest.mark.parametrize("role", [*ROLES, "own_editor"])
def test_pages_below_a_municipality_s_home_are_its_own(client, region, role):
    user, page = region["users"][role], region["page"]
    assert page.permissions_for_user(user).can_edit() is (role in EDITING)
    assert page.permissions_for_user(user).can_publish() is (role in MANAGING)
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert (response.status_code == 200) is (role in EDITING), response.status_code
    if role not in EDITING:
        assert _refused(response)


@pytest.mark.parametrize("role", [*ROLES, "own_editor"])
def test_images_and_documents_of_a_municipality_are_its_own(client, region, role):
    client.force_login(region["users"][role])
    image, document = region["image"], region["document"]
    for url in (
        reverse("wagtailimages:edit", args=[image.pk]),
        reverse("wagtaildocs:edit", args=[document.pk]),
    ):
        response = client.get(url)
        assert (response.status_code == 200) is (role in EDITING), (url, response.status_code)
        if role not in EDITING:
            assert _refused(response), url
    listed = client.get(reverse("wagtailimages:index"))
    assert ("Fjordvik rådhus" in listed.content.decode()) is (role in EDITING)
    listed = client.get(reverse("wagtaildocs:index"))
    assert ("Fjordvik strategi" in listed.content.decode()) is (role in EDITING)


@pytest.mark.parametrize("app", ["wagtailimages", "wagtaildocs"])
def test_an_editor_adds_files_to_their_municipality_s_collection_only(client, region, app):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    model = get_image_model() if app == "wagtailimages" else get_document_model()
    policy = policy_registry.get_by_type(model)
    editor = region["users"]["other_editor"]
    assert list(policy.collections_user_has_permission_for(editor, "add")) == [
        region["havbygd"].collection
    ]
    client.force_login(editor)
    assert client.get(reverse(f"{app}:add")).status_code == 200
