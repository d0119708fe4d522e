"""Who may do what with solutions, as a role matrix: at the service and over HTTP.

Roles: staff, editor and administrator of the owning municipality; staff of another
municipality; a citizen; anonymous."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.actions import ActionNotAllowed
from solutions import actions
from solutions.models import Solution, SolutionStatus
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of
from tests.solutions.helpers import (
    DETAILS,
    admin_of,
    draft_from,
    editor_of,
    published_from,
    put_into_use_project,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "other_staff", "owner_staff", "owner_editor", "owner_admin"]
WRITERS = {"owner_staff", "owner_editor", "owner_admin"}
REVIEWERS = {"owner_editor", "owner_admin"}
ADOPTERS = {"other_staff"}


@pytest.fixture
def world():
    unit = UnitFactory()
    municipality = unit.municipality
    staff = admin_staff_of(unit)
    project = put_into_use_project(unit, by=staff)
    other_unit = UnitFactory(municipality=MunicipalityFactory(name="Havbygd kommune"))
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "other_staff": admin_staff_of(other_unit),
        "owner_staff": staff,
        "owner_editor": editor_of(municipality),
        "owner_admin": admin_of(municipality),
    }
    return {"project": project, "users": users, "unit": unit, "other_unit": other_unit}


def _draft(world):
    return draft_from(world["project"], by=world["users"]["owner_staff"])


def _in_review(world):
    solution = _draft(world)
    actions.solution_step(solution=solution, by=world["users"]["owner_staff"], step="submit")
    return solution


def _published(world):
    users = world["users"]
    return published_from(world["project"], by=users["owner_staff"], reviewer=users["owner_editor"])


def _unit_of(world, role):
    return world["other_unit"] if role == "other_staff" else world["unit"]


SERVICES = {
    "create": (WRITERS, lambda w, by, role: draft_from(w["project"], by=by)),
    "edit": (
        WRITERS,
        lambda w, by, role: actions.solution_edit(solution=_draft(w), by=by, cost="1"),
    ),
    "correct published": (
        REVIEWERS,
        lambda w, by, role: actions.solution_edit(solution=_published(w), by=by, cost="2"),
    ),
    "submit": (
        WRITERS,
        lambda w, by, role: actions.solution_step(solution=_draft(w), by=by, step="submit"),
    ),
    "publish": (
        REVIEWERS,
        lambda w, by, role: actions.solution_step(solution=_in_review(w), by=by, step="publish"),
    ),
    "return": (
        REVIEWERS,
        lambda w, by, role: actions.solution_step(
            solution=_in_review(w), by=by, step="return", comment="Nei"
        ),
    ),
    "withdraw": (
        WRITERS,
        lambda w, by, role: actions.solution_step(
            solution=_published(w), by=by, step="withdraw", comment="Utgått"
        ),
    ),
    "adopt": (
        ADOPTERS,
        lambda w, by, role: actions.solution_adopt(
            solution=_published(w), by=by, owning_unit=_unit_of(w, role)
        ),
    ),
}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("role", ROLES)
def test_service_role_matrix(world, role, service):
    allowed, call = SERVICES[service]
    by = world["users"][role]
    if role in allowed:
        call(world, by, role)
    else:
        with pytest.raises((PermissionDenied, ActionNotAllowed)):
            call(world, by, role)


# --- Over HTTP ---------------------------------------------------------------------------


def _client(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_page_of_a_draft(client, world, role):
    solution = _draft(world)
    response = _client(client, world["users"][role]).get(
        reverse("solutions_staff:solution", args=[solution.pk])
    )
    if role in WRITERS:
        assert response.status_code == 200
        assert "Digitalt tilsyn om natten" in response.content.decode()
    else:
        assert response.status_code in (302, 403)


@pytest.mark.parametrize("role", ROLES)
def test_publishing_over_http(client, world, role):
    solution = _in_review(world)
    response = _client(client, world["users"][role]).post(
        reverse("solutions_staff:post", args=[solution.pk, "publish"])
    )
    solution.refresh_from_db()
    if role in REVIEWERS:
        assert response.status_code == 302
        assert solution.status == SolutionStatus.PUBLISHED
    else:
        assert response.status_code in (302, 400, 403)
        assert solution.status == SolutionStatus.IN_REVIEW


@pytest.mark.parametrize("role", ROLES)
def test_adopting_over_http(client, world, role):
    solution = _published(world)
    unit = _unit_of(world, role)
    url = reverse("solutions_staff:adopt", args=[solution.pk])
    response = _client(client, world["users"][role]).post(
        url, {"owning_unit": unit.pk, "name": "Vårt nattilsyn", "summary": "Vi prøver også."}
    )
    if role in ADOPTERS:
        assert response.status_code == 302
        assert solution.adoptions.get().project.name == "Vårt nattilsyn"
    else:
        assert response.status_code in (302, 403)
        assert not solution.adoptions.exists()


def test_creating_from_a_project_is_prefilled_and_saves_a_draft(client, world):
    staff = world["users"]["owner_staff"]
    project = world["project"]
    client.force_login(staff)
    url = reverse("solutions_staff:create")
    html = client.get(url, {"project": project.pk}).content.decode()
    assert f'value="{project.name}"' in html
    data = {
        **DETAILS,
        "municipality": project.municipality_id,
        "source": "project",
        "project": project.pk,
    }
    response = client.post(url, data)
    solution = Solution.objects.get()
    assert response.status_code == 302
    assert (solution.project, solution.status) == (project, SolutionStatus.DRAFT)


def test_a_bad_form_keeps_what_was_typed(client, world):
    client.force_login(world["users"]["owner_staff"])
    response = client.post(
        reverse("solutions_staff:create"),
        {**DETAILS, "source": "external", "municipality": world["unit"].municipality_id},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Digitalt tilsyn om natten" in html and "400 000 kr" in html
    assert not Solution.objects.exists()


def test_returning_without_a_comment_is_refused_with_a_message(client, world):
    solution = _in_review(world)
    client.force_login(world["users"]["owner_editor"])
    response = client.post(reverse("solutions_staff:post", args=[solution.pk, "return"]))
    assert response.status_code == 400
    solution.refresh_from_db()
    assert solution.status == SolutionStatus.IN_REVIEW


def test_staff_list_shows_only_own_municipalities(client, world):
    _draft(world)
    client.force_login(world["users"]["other_staff"])
    html = client.get(reverse("solutions_staff:list")).content.decode()
    assert "Digitalt tilsyn om natten" not in html
    client.force_login(world["users"]["owner_staff"])
    html = client.get(reverse("solutions_staff:list")).content.decode()
    assert "Digitalt tilsyn om natten" in html


def test_a_platform_administrator_adopts_into_any_other_municipalitys_unit(client, world):
    solution = _published(world)
    admin = UserFactory(is_superuser=True, is_staff=True)
    url = reverse("solutions_staff:adopt", args=[solution.pk])
    client.force_login(admin)
    page = client.get(solution.get_absolute_url()).content.decode()
    assert url in page
    form = client.get(url).content.decode()
    # Havbygd's unit is offered; the owning municipality's own unit is not.
    assert f'value="{world["other_unit"].pk}"' in form
    assert f'value="{world["unit"].pk}"' not in form


def test_no_adoption_offered_when_no_other_municipality_has_a_unit(client, world):
    world["other_unit"].delete()
    solution = _published(world)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("solutions_staff:adopt", args=[solution.pk])
    # A single municipality's platform: no unit could own the project, so no button and
    # no empty form.
    assert url not in client.get(solution.get_absolute_url()).content.decode()
    response = client.get(url)
    # The admin turns a refusal into a redirect with a message (a 403 for non-staff).
    assert response.status_code == 302 and response.url != url
    assert not solution.adoptions.exists()
