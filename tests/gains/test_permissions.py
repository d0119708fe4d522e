"""Who may do what with gains, as a role matrix: at the service and over HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gains import actions
from gains.models import GainStatus, Measurement
from portal.actions import ActionNotAllowed
from projects import actions as project_actions
from tests.factories import UnitFactory, UserFactory
from tests.gains.helpers import days_ago, quality_gain
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access
from tests.projects.helpers import started_project

ROLES = ["anonymous", "citizen", "editor", "other_staff", "contact", "owner_staff", "gain_owner"]
DEFINING = {"owner_staff"}
RECORDING = DEFINING | {"contact", "gain_owner"}


@pytest.fixture
def world(db):
    unit, other_unit, partner = UnitFactory(), UnitFactory(), UnitFactory()
    staff = admin_staff_of(unit)
    editor = with_admin_access(UserFactory())
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    contact = admin_staff_of(partner)
    gain_owner = admin_staff_of(UnitFactory())
    project = started_project(unit, by=staff)
    project_actions.project_add_unit(project=project, by=staff, unit=partner, contact=contact)
    gain = quality_gain(project, by=staff, owner=gain_owner)
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "editor": editor,
        "other_staff": admin_staff_of(other_unit),
        "contact": contact,
        "owner_staff": admin_staff_of(unit),
        "gain_owner": gain_owner,
    }
    return {"project": project, "gain": gain, "users": users}


SERVICES = {
    "add": lambda w, by: actions.gain_add(
        project=w["project"],
        by=by,
        description="D",
        type="quality",
        indicator="I",
        unit="u",
        owner=w["gain"].owner,
    ),
    "edit": lambda w, by: actions.gain_edit(gain=w["gain"], by=by, stakeholders="S"),
    "baseline": lambda w, by: actions.gain_record_baseline(
        gain=w["gain"], by=by, value=Decimal("1"), measured_on=days_ago(250), source="S"
    ),
    "measurement": lambda w, by: actions.gain_record_measurement(
        gain=w["gain"], by=by, value=Decimal("2"), measured_on=days_ago(1), source="S"
    ),
    "status": lambda w, by: actions.gain_change_status(
        gain=w["gain"], by=by, status=GainStatus.REALISING
    ),
}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("role", ROLES)
def test_service_role_matrix(world, role, service):
    by = world["users"][role]
    allowed = RECORDING if service == "measurement" else DEFINING
    if role in allowed:
        SERVICES[service](world, by)
    else:
        with pytest.raises((PermissionDenied, ActionNotAllowed)):
            SERVICES[service](world, by)
        assert not Measurement.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_http_role_matrix(world, client, role):
    """The plan opens for those who work on the project; a measurement posted over HTTP
    is saved only for those who may record one."""
    user = world["users"][role]
    if role != "anonymous":
        client.force_login(user)
    gain = world["gain"]
    plan = client.get(reverse("gains_staff:plan", args=[world["project"].pk]))
    assert (plan.status_code == 200) == (role in DEFINING | {"contact"})
    response = client.post(
        reverse("gains_staff:action", args=[gain.pk, "measurement"]),
        {
            "measurement-value": "99",
            "measurement-measured_on": days_ago(1).isoformat(),
            "measurement-source": "Turnus",
        },
    )
    saved = Measurement.objects.filter(gain=gain, value=Decimal("99")).exists()
    assert saved == (role in RECORDING)
    if role in RECORDING:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)  # anonymous: off to the login page
