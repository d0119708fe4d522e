"""Staff cancelling someone's registration: the registrant is told by e-mail, and the
freed seat goes to the first on the waiting list, as when people cancel themselves."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from cocreation import services
from cocreation.models import ProcessEvent, RegistrationStatus
from tests.cocreation.helpers import add_meeting, organiser_and_process

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def full_meeting(db):
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, capacity=1, title="Verksted om turveier")
    seated = services.registration_create(meeting=meeting, name="Kari", email="kari@example.no")
    waiting = services.registration_create(meeting=meeting, name="Ola", email="ola@example.no")
    return organiser, meeting, seated, waiting


def test_staff_cancel_a_seat_the_registrant_is_told_and_the_next_is_moved_up(
    full_meeting, django_capture_on_commit_callbacks
):
    organiser, meeting, seated, waiting = full_meeting
    mail.outbox.clear()
    # Staff work in the admin in English; the participants hear in the site's language.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seated, by=organiser)
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.status, waiting.status) == (S.CANCELLED, S.CONFIRMED)
    told, promoted = mail.outbox
    assert told.to == ["kari@example.no"]
    assert "Verksted om turveier" in told.subject and "avmeldt" in told.subject
    assert "Arrangørene har meldt deg av" in told.body
    assert meeting.process.get_absolute_url() in told.body
    assert promoted.to == ["ola@example.no"] and "ledig" in promoted.body
    kinds = list(meeting.events.values_list("kind", "actor"))
    assert (ProcessEvent.Kind.REGISTRATION_CANCELLED, organiser.pk) in kinds
    assert (ProcessEvent.Kind.PROMOTED, None) in kinds


def test_the_cancel_button_on_the_meeting_screen_tells_the_registrant(
    client, full_meeting, django_capture_on_commit_callbacks
):
    organiser, meeting, seated, waiting = full_meeting
    client.force_login(organiser)
    mail.outbox.clear()
    url = reverse("cocreation_admin:registration_cancel", args=[meeting.pk, waiting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    # Leaving the waiting list frees no seat: only the registrant hears.
    assert [message.to for message in mail.outbox] == [["ola@example.no"]]
    waiting.refresh_from_db()
    assert waiting.status == S.CANCELLED


def test_cancelling_oneself_sends_no_cancellation_e_mail(
    full_meeting, django_capture_on_commit_callbacks
):
    _organiser, _meeting, seated, _waiting = full_meeting
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seated)
    # Only the one moved up from the waiting list is told.
    assert [message.to for message in mail.outbox] == [["ola@example.no"]]
