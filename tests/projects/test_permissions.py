"""Who may do what with projects, as a role matrix: at the service and over HTTP."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from django.utils import timezone

from ideas.models import IdeaStatus
from projects import actions, permissions
from projects.models import Phase, Project, ProjectEvent, ProjectIdea, ValueOrigin
from tests.factories import UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access
from tests.projects.helpers import accepted_idea, started_project

ROLES = ["anonymous", "citizen", "editor", "other_staff", "contact", "owner_staff", "admin"]
MANAGING = {"owner_staff", "admin"}
CONTRIBUTING = MANAGING | {"contact"}
STAFF_LIST = {"other_staff", "contact", "owner_staff", "admin"}


@pytest.fixture
def world(db):
    unit, other_unit, partner = UnitFactory(name="Eier"), UnitFactory(), UnitFactory()
    editor = with_admin_access(UserFactory())
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    contact = admin_staff_of(partner)
    project = started_project(unit, by=admin_staff_of(unit))
    actions.project_add_unit(
        project=project,
        by=UserFactory(is_superuser=True, is_staff=True),
        unit=partner,
        contact=contact,
    )
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "editor": editor,
        "other_staff": admin_staff_of(other_unit),
        "contact": contact,
        "owner_staff": admin_staff_of(unit),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {"unit": unit, "project": project, "users": users}


def _today():
    return timezone.localdate()


SERVICES = {
    "edit": lambda w, by: actions.project_edit(project=w["project"], by=by, budget=100),
    "phase": lambda w, by: actions.project_change_phase(
        project=w["project"], by=by, phase=Phase.objects.get(slug="teste")
    ),
    "milestone": lambda w, by: actions.project_save_milestone(
        project=w["project"], by=by, title="Pilot", planned_on=_today()
    ),
    "unit": lambda w, by: actions.project_add_unit(
        project=w["project"], by=by, unit=UnitFactory(), contact=UserFactory()
    ),
    "member": lambda w, by: actions.project_add_member(
        project=w["project"], by=by, user=UserFactory()
    ),
    "put_into_use": lambda w, by: actions.project_put_into_use(
        project=w["project"], by=by, public_text="I bruk.", origin=ValueOrigin.FIRST
    ),
    "log": lambda w, by: actions.project_log(project=w["project"], by=by, text="Notat."),
}


@pytest.mark.django_db
@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("role", ROLES)
def test_service_role_matrix(world, role, service):
    by = world["users"][role]
    allowed = CONTRIBUTING if service == "log" else MANAGING
    events = ProjectEvent.objects.filter(project=world["project"])
    before = events.count()
    if role in allowed:
        SERVICES[service](world, by)
        assert events.count() == before + 1
    else:
        row = Project.objects.values().get(pk=world["project"].pk)
        with pytest.raises(actions.ProjectPermissionDenied):
            SERVICES[service](world, by)
        assert events.count() == before
        assert Project.objects.values().get(pk=world["project"].pk) == row


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_starting_a_project_role_matrix(world, role):
    idea = accepted_idea(world["unit"])
    by = world["users"][role]
    if role in MANAGING:
        project = actions.project_start(ideas=[idea], by=by, name="Ny", summary="Ny.")
        assert project.idea_links.get().idea == idea
    else:
        with pytest.raises(actions.ProjectPermissionDenied):
            actions.project_start(ideas=[idea], by=by, name="Ny", summary="Ny.")
        assert not ProjectIdea.objects.filter(idea=idea).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_functions(world, role):
    user, project = world["users"][role], world["project"]
    assert permissions.can_manage(user, project) is (role in MANAGING)
    assert permissions.can_contribute(user, project) is (role in CONTRIBUTING)
    assert permissions.can_view_internal(user, project) is (role in CONTRIBUTING)
    assert permissions.can_open_project_list(user) is (role in STAFF_LIST)


# --- HTTP ----------------------------------------------------------------------------------


def _login(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])


def _refused(response, role):
    """Wagtail's answers to someone without the right: its login page for those with no
    admin access, the dashboard (with a message) for those in the admin."""
    assert response.status_code == 302
    if role in ("anonymous", "citizen"):
        return reverse("wagtailadmin_login") in response["Location"]
    return response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_http_pages(client, world, role):
    _login(client, world, role)
    project = world["project"]
    for url, allowed in (
        (reverse("projects_staff:list"), STAFF_LIST),
        (reverse("projects_staff:start"), STAFF_LIST),
        (reverse("projects_staff:project", args=[project.pk]), CONTRIBUTING),
    ):
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, url
        else:
            assert _refused(response, role), url


HTTP_ACTIONS = {
    "phase": lambda w: {"phase-phase": Phase.objects.get(slug="teste").pk},
    "milestone": lambda w: {"milestone-title": "Pilot", "milestone-planned_on": "2027-01-10"},
    "member": lambda w: {"member-user": w["users"]["other_staff"].pk},
    "details": lambda w: {
        "details-name": "Nytt navn",
        "details-summary": "Ny tekst.",
        "details-owner": w["project"].owner_id,
        "details-budget": "5000",
    },
    "log": lambda w: {"log-text": "Notat."},
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(HTTP_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_http_actions(client, world, role, action):
    _login(client, world, role)
    project = world["project"]
    events = ProjectEvent.objects.filter(project=project)
    before = events.count()
    response = client.post(
        reverse("projects_staff:action", args=[project.pk, action]), HTTP_ACTIONS[action](world)
    )
    allowed = CONTRIBUTING if action == "log" else MANAGING
    if role in allowed:
        assert response.status_code == 302
        assert response["Location"] == reverse("projects_staff:project", args=[project.pk])
        assert events.count() == before + 1
    else:
        assert _refused(response, role)
        assert events.count() == before


@pytest.mark.django_db
def test_the_list_shows_only_ones_own_projects(client, world):
    stranger = world["users"]["other_staff"]
    started_project(UnitFactory(), name="Et annet prosjekt")
    client.force_login(world["users"]["contact"])
    html = client.get(reverse("projects_staff:list")).content.decode()
    assert world["project"].name in html and "Et annet prosjekt" not in html
    client.force_login(stranger)
    assert world["project"].name not in client.get(reverse("projects_staff:list")).content.decode()


@pytest.mark.django_db
def test_the_list_costs_the_same_for_many_projects(client, world, django_assert_max_num_queries):
    admin = world["users"]["admin"]
    client.force_login(admin)
    url = reverse("projects_staff:list")
    client.get(url)
    for n in range(10):
        started_project(world["unit"], name=f"Prosjekt {n}")
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert "Prosjekt 9" in response.content.decode()


@pytest.mark.django_db
def test_the_project_page_costs_the_same_for_many_rows(
    client, world, django_assert_max_num_queries
):
    project, admin = world["project"], world["users"]["admin"]
    client.force_login(admin)
    url = reverse("projects_staff:project", args=[project.pk])

    def add_rows(count):
        for n in range(count):
            actions.project_save_milestone(
                project=project, by=admin, title=f"M{n}", planned_on=datetime.date(2027, 1, n + 1)
            )
            actions.project_add_member(project=project, by=admin, user=UserFactory())
            actions.project_log(project=project, by=admin, text=f"Logg {n}")

    add_rows(1)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    add_rows(6)
    with django_assert_max_num_queries(len(few)):
        assert "M5" in client.get(url).content.decode()


@pytest.mark.django_db
def test_contacts_read_but_see_no_managing_forms(client, world):
    client.force_login(world["users"]["contact"])
    response = client.get(reverse("projects_staff:project", args=[world["project"].pk]))
    assert response.context["can_manage"] is False
    assert list(response.context["forms"]) == ["log"]


@pytest.mark.django_db
def test_accepted_ideas_only_start_from_triage(client, world):
    staff = world["users"]["owner_staff"]
    idea = accepted_idea(world["unit"])
    client.force_login(staff)
    triage = reverse("ideas_triage:idea", args=[idea.pk])
    start = reverse("projects_staff:start") + f"?idea={idea.pk}"
    assert start.replace("&", "&amp;") in client.get(triage).content.decode()
    idea.status = IdeaStatus.IN_REVIEW
    idea.save()
    assert reverse("projects_staff:start") not in client.get(triage).content.decode()
