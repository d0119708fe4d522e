"""The photo of an input's note: shown to the organising unit's staff, never public."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cocreation import services
from cocreation.models import InputChannel
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "yellow").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def photo_input(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, days_ahead=-1)
    content = _png()
    item = services.input_record(
        meeting=meeting,
        by=organiser,
        data=services.InputData(text="Benker langs turstien", channel=InputChannel.STICKY_NOTE),
        # Named as something else: the type sent is what the file is.
        photo=SimpleUploadedFile("lapp.jpg", content, content_type="image/jpeg"),
    )
    return organiser, item, content


ROLES = {
    "organiser": lambda organiser: organiser,
    "other_staff": lambda organiser: admin_staff_of(UnitFactory()),
    "citizen": lambda organiser: UserFactory(),
    "anonymous": lambda organiser: AnonymousUser(),
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_the_organising_unit_sees_the_photo(client, photo_input, role):
    organiser, item, content = photo_input
    user = ROLES[role](organiser)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse("cocreation_admin:input_photo", args=[item.pk]))
    if role == "organiser":
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
    else:
        # Wagtail refuses: to its log-in page, or to the dashboard with a message.
        assert response.status_code == 302
        assert not response.get("Content-Type", "").startswith("image/")


def test_the_staff_list_links_the_photo_and_the_receipt_does_not(client, photo_input):
    organiser, item, _content = photo_input
    photo_url = reverse("cocreation_admin:input_photo", args=[item.pk])
    client.force_login(organiser)
    staff_page = client.get(reverse("cocreation_admin:inputs", args=[item.meeting.process_id]))
    assert photo_url in staff_page.content.decode()
    client.logout()
    receipt = client.get(reverse("cocreation:receipt", args=[item.code])).content.decode()
    assert "photo" not in receipt and item.photo.name not in receipt


def test_an_input_without_a_photo_has_none_to_show(client, photo_input):
    organiser, item, _content = photo_input
    other = services.input_record(
        meeting=item.meeting,
        by=organiser,
        data=services.InputData(text="Lys", channel=InputChannel.STICKY_NOTE),
    )
    client.force_login(organiser)
    response = client.get(reverse("cocreation_admin:input_photo", args=[other.pk]))
    assert response.status_code == 404
