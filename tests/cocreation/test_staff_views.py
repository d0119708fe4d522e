"""The staff screens: creating a process and meetings, the fast entry form, attendance,
cancelling, and the list of registrations."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cocreation import services
from cocreation.models import Input, MeetingPoint, Process, ProcessEvent
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import ThemeFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client):
    organiser, process = organiser_and_process()
    client.force_login(organiser)
    client.organiser, client.process = organiser, process
    return client


def test_staff_create_a_process_for_their_unit_only(client):
    unit, other = UnitFactory(name="Kultur"), UnitFactory(name="Teknisk")
    client.force_login(admin_staff_of(unit))
    url = reverse("cocreation_admin:process_new")
    form = client.get(url).content.decode()
    assert "Kultur" in form and "Teknisk" not in form
    today = timezone.localdate()
    data = {
        "title": "Ung medvirkning",
        "slug": "ung-medvirkning",
        "aim": "Hva trenger unge?",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=30)).isoformat(),
        "theme": ThemeFactory().pk,
        "organising_unit": unit.pk,
        "methods": "Verksteder, gatemøter",
        "is_published": "on",
    }
    response = client.post(url, data)
    process = Process.objects.get(slug="ung-medvirkning")
    assert response["Location"] == reverse("cocreation_admin:process", args=[process.pk])
    assert process.organising_unit == unit
    refused = client.post(url, data | {"slug": "annen", "organising_unit": other.pk})
    assert refused.status_code == 200 and not Process.objects.filter(slug="annen").exists()


def test_a_process_without_challenge_or_theme_comes_back_with_a_message(organiser_client):
    unit = organiser_client.process.organising_unit
    today = timezone.localdate().isoformat()
    response = organiser_client.post(
        reverse("cocreation_admin:process_new"),
        {
            "title": "Uten tema",
            "slug": "uten",
            "aim": "A",
            "starts_on": today,
            "ends_on": today,
            "organising_unit": unit.pk,
        },
    )
    html = response.content.decode()
    assert "Uten tema" in html
    assert "Choose the challenge" in html or "Velg utfordringen" in html
    assert not Process.objects.filter(slug="uten").exists()


def test_staff_add_a_meeting_point(organiser_client):
    process = organiser_client.process
    starts = timezone.localtime() + datetime.timedelta(days=3)
    response = organiser_client.post(
        reverse("cocreation_admin:meeting_new", args=[process.pk]),
        {
            "kind": "popup",
            "title": "Stand på kjøpesenteret",
            "place": "Kjøpesenteret",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "accessibility": "Trinnfri adkomst",
            "is_public": "on",
        },
    )
    meeting = MeetingPoint.objects.get(title="Stand på kjøpesenteret")
    assert response["Location"] == reverse("cocreation_admin:meeting", args=[meeting.pk])
    assert meeting.process == process


def test_the_fast_form_keeps_meeting_group_and_channel_between_entries(organiser_client):
    process, organiser = organiser_client.process, organiser_client.organiser
    add_meeting(process, organiser, title="Første")
    meeting = add_meeting(process, organiser, title="Andre")
    url = reverse("cocreation_admin:inputs_new", args=[process.pk])
    response = organiser_client.post(
        url,
        {
            "meeting": meeting.pk,
            "participant_group": "age_13_19",
            "channel": "conversation",
            "text": "Mer aktiviteter for ungdom",
        },
    )
    item = Input.objects.get()
    assert response.status_code == 302
    page = organiser_client.get(response["Location"]).content.decode()
    # The next entry starts with the same choices, an empty text field that has the
    # focus, and a status message that is announced.
    assert f'<option value="{meeting.pk}" selected>' in page
    assert '<option value="age_13_19" selected>' in page
    assert '<option value="conversation" selected>' in page
    assert 'role="status"' in page and item.code in page
    assert "autofocus" in page and "Mer aktiviteter for ungdom" not in page
    assert item.recorded_by == organiser and item.channel == "conversation"


def test_the_fast_form_takes_a_photo_and_keeps_the_text_on_errors(organiser_client):
    process, organiser = organiser_client.process, organiser_client.organiser
    meeting = add_meeting(process, organiser)
    url = reverse("cocreation_admin:inputs_new", args=[process.pk])
    bad = organiser_client.post(url, {"meeting": meeting.pk, "channel": "x", "text": "Lapp"})
    assert bad.status_code == 400 and "Lapp" in bad.content.decode()
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "yellow").save(buffer, format="PNG")
    organiser_client.post(
        url,
        {
            "meeting": meeting.pk,
            "channel": "sticky_note",
            "text": "Lapp",
            "photo": SimpleUploadedFile("lapp.png", buffer.getvalue(), content_type="image/png"),
        },
    )
    assert Input.objects.get().photo.name.startswith("cocreation/inputs/")


def test_the_photo_of_the_notes_is_stored_without_where_and_when_it_was_taken(
    organiser_client,
):
    """A phone's photo carries its GPS position and time in EXIF: none of it is kept."""
    process, organiser = organiser_client.process, organiser_client.organiser
    meeting = add_meeting(process, organiser)
    exif = Image.Exif()
    exif[0x0132] = "2026:12:01 18:30:00"  # DateTime
    exif[0x8825] = {1: "N", 2: (59.0, 54.0, 0.0)}  # the GPS block: latitude
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "yellow").save(buffer, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()  # the upload has it
    organiser_client.post(
        reverse("cocreation_admin:inputs_new", args=[process.pk]),
        {
            "meeting": meeting.pk,
            "channel": "sticky_note",
            "text": "Lapp med bilde",
            "photo": SimpleUploadedFile("lapp.jpg", buffer.getvalue(), content_type="image/jpeg"),
        },
    )
    stored = Input.objects.get(text="Lapp med bilde").photo
    with stored.open("rb"), Image.open(stored) as image:
        assert image.size == (40, 30)
        assert not image.getexif()


def test_the_meeting_screen_shows_registrations_to_the_organisers(
    organiser_client, django_assert_max_num_queries
):
    process, organiser = organiser_client.process, organiser_client.organiser
    meeting = add_meeting(process, organiser)
    for n in range(5):
        services.registration_create(meeting=meeting, name=f"Person {n}", email=f"p{n}@example.no")
    with django_assert_max_num_queries(40):
        html = organiser_client.get(
            reverse("cocreation_admin:meeting", args=[meeting.pk])
        ).content.decode()
    assert "Person 4" in html and "p4@example.no" in html
    assert f"/m/{meeting.code}/" in html


def test_the_process_screen_lists_meetings_and_inputs(
    organiser_client, django_assert_max_num_queries
):
    process, organiser = organiser_client.process, organiser_client.organiser
    for n in range(4):
        meeting = add_meeting(process, organiser, title=f"Møte {n}")
        services.input_record(
            meeting=meeting,
            by=organiser,
            data=services.InputData(text=f"Innspill {n}", channel="sticky_note"),
        )
    with django_assert_max_num_queries(40):
        html = organiser_client.get(
            reverse("cocreation_admin:process", args=[process.pk])
        ).content.decode()
    assert "Møte 3" in html and "Innspill 3" in html


def test_staff_record_attendance_and_cancel_with_notice(
    organiser_client, django_capture_on_commit_callbacks
):
    process, organiser = organiser_client.process, organiser_client.organiser
    held = add_meeting(process, organiser, days_ahead=-1)
    response = organiser_client.post(
        reverse("cocreation_admin:attendance", args=[held.pk]),
        {"total": "40", "age_67_plus": "15", "resident": "38"},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.attendance_total == 40
    too_many = organiser_client.post(
        reverse("cocreation_admin:attendance", args=[held.pk]), {"total": "4", "resident": "5"}
    )
    assert too_many.status_code == 200 and 'value="5"' in too_many.content.decode()

    coming = add_meeting(process, organiser)
    services.registration_create(meeting=coming, name="Kari", email="kari@example.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            reverse("cocreation_admin:meeting_cancel", args=[coming.pk]),
            {"notice": "Flyttet til neste uke."},
        )
    assert mail.outbox[0].to == ["kari@example.no"]
    assert ProcessEvent.objects.filter(kind=ProcessEvent.Kind.MEETING_CANCELLED).exists()
