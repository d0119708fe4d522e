"""The role matrix of co-creation, at the service and at the HTTP level.

Roles: staff of the organising unit, staff of another unit, a member of a partner
organisation, a citizen, and someone not logged in.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cocreation import permissions, services
from cocreation.models import InputChannel, ParticipantGroup
from portal.actions import ActionPermissionDenied
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import IdeaFactory, OrganisationFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access

ROLES = ["organiser", "other_staff", "partner", "citizen", "anonymous"]
MANAGING = {"organiser"}


@pytest.fixture
def world(db, settings):
    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)  # where new ideas are routed
    organiser, process = organiser_and_process()
    partner_org = OrganisationFactory()
    partner = with_admin_access(UserFactory())
    partner_org.members.add(partner)
    services.process_update(process=process, by=organiser, values={}, partners=[partner_org])
    meeting = add_meeting(process, organiser, days_ahead=-1)
    registration = services.registration_create(
        meeting=add_meeting(process, organiser), name="Kari", email="kari@example.no"
    )
    item = services.input_record(
        meeting=meeting,
        by=organiser,
        data=services.InputData(text="Benker", channel=InputChannel.STICKY_NOTE),
    )
    idea = IdeaFactory(owning_unit=UnitFactory(municipality=process.municipality))
    users = {
        "organiser": organiser,
        "other_staff": admin_staff_of(UnitFactory()),
        "partner": partner,
        "citizen": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    return {
        "process": process,
        "meeting": meeting,
        "registration": registration,
        "input": item,
        "idea": idea,
        "users": users,
    }


SERVICES = {
    "update": lambda w, by: services.process_update(
        process=w["process"], by=by, values={"aim": "Nytt"}
    ),
    "add_meeting": lambda w, by: add_meeting(w["process"], by),
    "cancel_meeting": lambda w, by: services.meeting_cancel(
        meeting=w["meeting"], by=by, notice="Avlyst."
    ),
    "attendance": lambda w, by: services.attendance_record(
        meeting=w["meeting"], by=by, total=3, counts={ParticipantGroup.RESIDENT: 3}
    ),
    "record_input": lambda w, by: services.input_record(
        meeting=w["meeting"],
        by=by,
        data=services.InputData(text="Lys", channel=InputChannel.CONVERSATION),
    ),
    "import": lambda w, by: services.inputs_import(
        process=w["process"],
        by=by,
        rows=[(w["meeting"], services.InputData(text="Lys", channel="spreadsheet"))],
    ),
    "cancel_registration": lambda w, by: services.registration_cancel(
        registration=w["registration"], by=by
    ),
    "sort_inputs": lambda w, by: services.inputs_sort(
        process=w["process"], by=by, inputs=[w["input"]], theme=None
    ),
    "idea_from_inputs": lambda w, by: services.idea_from_inputs(
        process=w["process"], by=by, inputs=[w["input"]], title="T", summary="S", description="D"
    ),
    "attach_inputs": lambda w, by: services.inputs_attach(
        process=w["process"], by=by, inputs=[w["input"]], idea=w["idea"]
    ),
    "answer_input": lambda w, by: services.input_answer(
        item=w["input"], by=by, answer="other", text="Takk."
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(SERVICES))
def test_only_the_organising_unit_writes(world, role, action):
    events_before = world["process"].events.count()
    call = SERVICES[action]
    if role in MANAGING:
        call(world, world["users"][role])
        assert world["process"].events.count() > events_before
    else:
        with pytest.raises(ActionPermissionDenied):
            call(world, world["users"][role])
        assert world["process"].events.count() == events_before


@pytest.mark.parametrize("role", ROLES)
def test_who_may_manage_and_who_sees_the_process(world, role):
    user, process = world["users"][role], world["process"]
    assert permissions.can_manage(user, process) == (role in MANAGING)
    assert permissions.can_view_process(user, process)
    services.process_update(
        process=process, by=world["users"]["organiser"], values={"is_published": False}
    )
    assert permissions.can_view_process(user, process) == (role in MANAGING)


def _staff_pages(world) -> list[str]:
    process, meeting = world["process"], world["meeting"]
    return [
        reverse("cocreation_admin:process", args=[process.pk]),
        reverse("cocreation_admin:process_edit", args=[process.pk]),
        reverse("cocreation_admin:meeting_new", args=[process.pk]),
        reverse("cocreation_admin:inputs_new", args=[process.pk]),
        reverse("cocreation_admin:import", args=[process.pk]),
        reverse("cocreation_admin:meeting", args=[meeting.pk]),
        reverse("cocreation_admin:meeting_edit", args=[meeting.pk]),
        reverse("cocreation_admin:inputs", args=[process.pk]),
        reverse("cocreation_admin:idea_new", args=[process.pk]) + f"?inputs={world['input'].pk}",
        reverse("cocreation_admin:input_answer", args=[world["input"].pk]),
    ]


def _refused(response) -> bool:
    """Wagtail turns a refusal in its admin into a redirect: to the log-in page for
    someone not logged in, to the dashboard (with a message) for everyone else."""
    return response.status_code == 302 and (
        response["Location"] == reverse("wagtailadmin_home")
        or response["Location"].startswith(reverse("wagtailadmin_login"))
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_screens_open_only_for_the_organising_unit(client, world, role):
    user = world["users"][role]
    if role != "anonymous":
        client.force_login(user)
    responses = [client.get(url) for url in _staff_pages(world)]
    index = client.get(reverse("cocreation_admin:index"))
    if role in MANAGING:
        assert [response.status_code for response in responses] == [200] * len(responses)
        assert index.status_code == 200
    else:
        assert all(_refused(response) for response in responses)
        # Staff of another unit open the workspace and find their own units' processes.
        assert (index.status_code == 200) == (role == "other_staff")
        if role == "other_staff":
            assert world["process"].title not in index.content.decode()


def test_the_index_lists_only_processes_of_ones_own_units(client, world):
    _other_organiser, other_process = organiser_and_process(title="Annen prosess")
    client.force_login(world["users"]["organiser"])
    html = client.get(reverse("cocreation_admin:index")).content.decode()
    assert world["process"].title in html
    assert other_process.title not in html


def test_posts_by_other_staff_change_nothing(client, world):
    client.force_login(world["users"]["other_staff"])
    meeting = world["meeting"]
    response = client.post(
        reverse("cocreation_admin:meeting_cancel", args=[meeting.pk]), {"notice": "Nei."}
    )
    assert _refused(response)
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organising_unit_turns_inputs_into_ideas_over_http(client, world, role):
    from ideas.models import Idea

    if role != "anonymous":
        client.force_login(world["users"][role])
    ideas_before = Idea.objects.count()
    response = client.post(
        reverse("cocreation_admin:idea_new", args=[world["process"].pk]),
        {"inputs": [world["input"].pk], "title": "T", "summary": "S", "description": "D"},
    )
    world["input"].refresh_from_db()
    if role in MANAGING:
        assert response.status_code == 302
        assert world["input"].idea is not None
    else:
        assert _refused(response)
        assert Idea.objects.count() == ideas_before
        assert world["input"].idea is None
