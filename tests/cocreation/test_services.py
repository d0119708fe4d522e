"""Services of co-creation: what they write, what they refuse, and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cocreation import services
from cocreation.models import (
    AttendanceCount,
    Input,
    InputChannel,
    MeetingKind,
    ParticipantGroup,
    ProcessEvent,
)
from portal.actions import ActionNotAllowed, ActionPermissionDenied
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import OrganisationFactory, UnitFactory, UserFactory, create_challenge
from tests.ideas.triage_helpers import admin_staff_of

pytestmark = pytest.mark.django_db
K = ProcessEvent.Kind


def kinds(process) -> list[str]:
    return list(process.events.values_list("kind", flat=True))


def test_a_process_takes_the_municipality_of_its_unit_and_is_logged():
    organiser, process = organiser_and_process()
    assert process.municipality_id == process.organising_unit.municipality_id
    event = process.events.get()
    assert (event.kind, event.actor) == (K.PROCESS_CREATED, organiser)


def test_a_process_for_a_challenge_takes_its_theme():
    challenge = create_challenge()
    _organiser, process = organiser_and_process(challenge=challenge, theme=None)
    assert process.theme == challenge.theme


def test_a_process_needs_a_challenge_or_a_theme_and_a_period_in_order():
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    today = timezone.localdate()
    common = {"by": staff, "organising_unit": unit, "title": "T", "slug": "t", "aim": "A"}
    with pytest.raises(ActionNotAllowed):
        services.process_create(**common, starts_on=today, ends_on=today)
    with pytest.raises(ActionNotAllowed):
        services.process_create(
            **common,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
            theme=create_challenge().theme,
        )


def test_only_staff_of_the_unit_may_start_a_process_for_it():
    unit = UnitFactory()
    with pytest.raises(ActionPermissionDenied):
        services.process_create(
            by=admin_staff_of(UnitFactory()),
            organising_unit=unit,
            title="T",
            slug="t",
            aim="A",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            theme=create_challenge().theme,
        )


def test_updating_a_process_logs_the_changed_fields_and_partners():
    organiser, process = organiser_and_process()
    partner = OrganisationFactory()
    services.process_update(
        process=process,
        by=organiser,
        values={"aim": "Nytt mål", "title": process.title},
        partners=[partner],
    )
    process.refresh_from_db()
    assert process.aim == "Nytt mål"
    assert list(process.partners.all()) == [partner]
    assert process.events.last().data == {"fields": ["aim", "partners"]}


def test_staff_of_another_unit_cannot_change_the_process():
    _organiser, process = organiser_and_process()
    with pytest.raises(ActionPermissionDenied):
        services.process_update(
            process=process, by=admin_staff_of(UnitFactory()), values={"aim": "X"}
        )
    assert kinds(process) == [K.PROCESS_CREATED]


def test_a_meeting_gets_a_short_code_and_is_logged():
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, kind=MeetingKind.POPUP)
    assert len(meeting.code) == 6
    assert kinds(process) == [K.PROCESS_CREATED, K.MEETING_CREATED]


def test_a_meeting_that_is_not_public_cannot_take_registrations():
    organiser, process = organiser_and_process()
    with pytest.raises(ActionNotAllowed):
        add_meeting(process, organiser, is_public=False, registration_open=True)


def test_attendance_is_counted_by_group_and_replaces_earlier_counts():
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, days_ahead=-1)
    services.attendance_record(
        meeting=meeting,
        by=organiser,
        total=30,
        counts={ParticipantGroup.AGE_67_PLUS: 12, ParticipantGroup.RESIDENT: 25},
    )
    services.attendance_record(
        meeting=meeting, by=organiser, total=31, counts={ParticipantGroup.VOLUNTEER: 4}
    )
    meeting.refresh_from_db()
    assert meeting.attendance_total == 31
    assert list(AttendanceCount.objects.values_list("group", "count")) == [("volunteer", 4)]
    assert kinds(process)[-1] == K.ATTENDANCE_RECORDED


def test_attendance_counts_cannot_exceed_the_total_or_come_before_the_meeting():
    organiser, process = organiser_and_process()
    held = add_meeting(process, organiser, days_ahead=-1)
    with pytest.raises(ActionNotAllowed):
        services.attendance_record(
            meeting=held, by=organiser, total=5, counts={ParticipantGroup.AGE_13_19: 6}
        )
    coming = add_meeting(process, organiser, days_ahead=2)
    with pytest.raises(ActionNotAllowed):
        services.attendance_record(meeting=coming, by=organiser, total=5, counts={})


def test_staff_record_an_input_with_its_meeting_channel_and_group():
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser)
    item = services.input_record(
        meeting=meeting,
        by=organiser,
        data=services.InputData(
            text="  Flere benker langs turveien  ",
            channel=InputChannel.STICKY_NOTE,
            participant_group=ParticipantGroup.AGE_67_PLUS,
        ),
    )
    assert (item.text, item.recorded_by, item.meeting) == (
        "Flere benker langs turveien",
        organiser,
        meeting,
    )
    assert len(item.code) == 8
    assert process.events.last().data == {"input": item.pk, "channel": "sticky_note"}


def test_a_participant_leaves_an_input_without_an_account():
    from django.contrib.auth.models import AnonymousUser

    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, is_public=False, registration_open=False)
    item = services.input_leave(
        meeting=meeting,
        by=AnonymousUser(),
        data=services.InputData(text="Gatelys", channel="", giver_email="Ola@Example.no"),
    )
    assert (item.channel, item.giver, item.giver_email) == (
        InputChannel.SELF_SERVICE,
        None,
        "ola@example.no",
    )


def test_a_cancelled_meeting_takes_no_inputs_from_participants():
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser)
    services.meeting_cancel(meeting=meeting, by=organiser, notice="Syk kursholder.")
    with pytest.raises(ActionNotAllowed):
        services.input_leave(
            meeting=meeting, by=UserFactory(), data=services.InputData(text="X", channel="")
        )
    assert not Input.objects.exists()
