"""Registration for meetings: seats, the waiting list, e-mails, reminders, cancellation."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cocreation import services
from cocreation.models import ProcessEvent, Registration, RegistrationStatus
from portal.actions import ActionNotAllowed
from tests.cocreation.helpers import add_meeting, organiser_and_process

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def meeting(db):
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, capacity=1)
    meeting.organiser_user = organiser
    return meeting


def register(meeting, name, email):
    return services.registration_create(meeting=meeting, name=name, email=email)


def test_the_first_gets_the_seat_and_the_next_the_waiting_list(
    meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = register(meeting, "Kari", "kari@example.no")
        second = register(meeting, "Ola", "ola@example.no")
    assert (first.status, second.status) == (S.CONFIRMED, S.WAITLISTED)
    assert [message.to for message in mail.outbox] == [["kari@example.no"], ["ola@example.no"]]
    assert "You are registered" in mail.outbox[0].subject or "påmeldt" in mail.outbox[0].subject
    assert "/calendar.ics" in mail.outbox[0].body
    assert f"/cocreation/registrations/{first.token}/cancel/" in mail.outbox[0].body
    assert "vente" in mail.outbox[1].subject or "waiting" in mail.outbox[1].subject
    logged = ProcessEvent.objects.filter(kind=ProcessEvent.Kind.REGISTERED)
    assert [event.data["status"] for event in logged] == ["confirmed", "waitlisted"]
    # The audit trail holds no personal data.
    assert "kari" not in str(list(ProcessEvent.objects.values_list("data", flat=True)))


def test_one_address_registers_once(meeting):
    register(meeting, "Kari", "kari@example.no")
    with pytest.raises(ActionNotAllowed):
        register(meeting, "Kari N.", "KARI@example.no")
    assert Registration.objects.count() == 1


def test_a_closed_or_cancelled_meeting_takes_no_registrations(meeting):
    services.meeting_cancel(meeting=meeting, by=meeting.organiser_user, notice="Avlyst.")
    with pytest.raises(ActionNotAllowed):
        register(meeting, "Kari", "kari@example.no")


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list(
    meeting, django_capture_on_commit_callbacks
):
    first = register(meeting, "Kari", "kari@example.no")
    second = register(meeting, "Ola", "ola@example.no")
    third = register(meeting, "Per", "per@example.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (S.CONFIRMED, S.WAITLISTED)
    assert [message.to for message in mail.outbox] == [["ola@example.no"]]
    assert ProcessEvent.objects.filter(kind=ProcessEvent.Kind.PROMOTED).count() == 1
    with pytest.raises(ActionNotAllowed):
        services.registration_cancel(registration=first)


def test_leaving_the_waiting_list_promotes_nobody(meeting):
    register(meeting, "Kari", "kari@example.no")
    waiting = register(meeting, "Ola", "ola@example.no")
    services.registration_cancel(registration=waiting)
    assert not ProcessEvent.objects.filter(kind=ProcessEvent.Kind.PROMOTED).exists()


def test_cancelling_the_meeting_tells_everyone_registered(
    meeting, django_capture_on_commit_callbacks
):
    register(meeting, "Kari", "kari@example.no")
    register(meeting, "Ola", "ola@example.no")
    gone = register(meeting, "Per", "per@example.no")
    services.registration_cancel(registration=gone)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(
            meeting=meeting, by=meeting.organiser_user, notice="Kursholderen er syk."
        )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "kari@example.no",
        "ola@example.no",
    ]
    assert all("Kursholderen er syk." in message.body for message in mail.outbox)
    meeting.refresh_from_db()
    assert meeting.is_cancelled and not meeting.registration_open


def test_reminders_go_once_to_those_with_a_seat_the_day_before(django_capture_on_commit_callbacks):
    organiser, process = organiser_and_process()
    soon = add_meeting(process, organiser, days_ahead=0.5, capacity=1)
    later = add_meeting(process, organiser, days_ahead=3)
    register(soon, "Kari", "kari@example.no")
    register(soon, "Ola", "ola@example.no")  # waiting list: no reminder
    register(later, "Per", "per@example.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _run in range(2):
            output = io.StringIO()
            call_command("send_meeting_reminders", stdout=output)
    assert output.getvalue() == "0 reminder(s) queued.\n"
    assert [message.to for message in mail.outbox] == [["kari@example.no"]]
    assert soon.title in mail.outbox[0].subject


def test_the_reminder_window_is_a_day():
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, days_ahead=2)
    register(meeting, "Kari", "kari@example.no")
    assert services.meeting_reminders_send() == 0
    later = timezone.now() + datetime.timedelta(days=1, hours=1)
    assert services.meeting_reminders_send(now=later) == 1
