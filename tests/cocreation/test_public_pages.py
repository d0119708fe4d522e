"""Public co-creation pages: content, both languages, query budgets, no personal data."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from cocreation import services
from cocreation.models import Input, InputChannel, Registration, RegistrationStatus
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, site_settings):
    organiser, process = organiser_and_process()
    meetings = [
        add_meeting(process, organiser, title=f"Verksted {n}", capacity=3, days_ahead=n)
        for n in range(1, 4)
    ]
    held = add_meeting(process, organiser, title="Gatemøte", days_ahead=-3)
    hidden = add_meeting(
        process, organiser, title="Hjemmebesøk Hansen", is_public=False, registration_open=False
    )
    partner = OrganisationFactory(name="Frivilligsentralen")
    for meeting in meetings:
        meeting.partners.add(partner)
        services.registration_create(meeting=meeting, name="Kari Nordmann", email="kari@example.no")
    services.input_leave(
        meeting=held,
        by=organiser,
        data=services.InputData(
            text="Benker", channel="", giver_name="Ola Giver", giver_email="ola@example.no"
        ),
    )
    mail.outbox.clear()
    return {
        "organiser": organiser,
        "process": process,
        "meetings": meetings,
        "held": held,
        "hidden": hidden,
    }


# The process page: the process, its meetings and partners (4), figures (2), the charts'
# counts (1), what we heard (3), a page of inputs (1), and the site's own (up to 6, when
# the page tree's caches are cold). None of it grows with meetings, inputs or themes.
PROCESS_PAGE_QUERIES = 17

PERSONAL = ("Kari Nordmann", "kari@example.no", "Ola Giver", "ola@example.no")


def assert_no_personal_data(html: str) -> None:
    for value in PERSONAL:
        assert value not in html


def test_the_process_page_shows_aim_period_and_meetings_on_a_timeline(
    client, world, django_assert_max_num_queries
):
    process = world["process"]
    with django_assert_max_num_queries(PROCESS_PAGE_QUERIES):
        response = client.get(process.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert process.aim in html
    assert html.index("Verksted 1") < html.index("Verksted 2") < html.index("Verksted 3")
    assert "Gatemøte" in html  # held, listed under the past meetings
    assert "Hjemmebesøk Hansen" not in html
    assert "1 of 3 taken" in html or "1 av 3" in html
    assert_no_personal_data(html)


def test_the_query_count_does_not_grow_with_the_meetings(
    client, world, django_assert_max_num_queries
):
    for n in range(10):
        add_meeting(world["process"], world["organiser"], title=f"Ekstra {n}")
    with django_assert_max_num_queries(PROCESS_PAGE_QUERIES):
        assert client.get(world["process"].get_absolute_url()).status_code == 200


def test_the_process_page_has_an_english_twin(client, world):
    with translation.override("en"):
        url = world["process"].get_absolute_url()
    assert url.startswith("/en/cocreation/")
    response = client.get(url)
    assert response.status_code == 200
    assert "Coming meeting points" in response.content.decode()


def test_an_unpublished_process_is_not_found(client, world):
    services.process_update(
        process=world["process"], by=world["organiser"], values={"is_published": False}
    )
    assert client.get(world["process"].get_absolute_url()).status_code == 404
    meeting = world["meetings"][0]
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_the_meeting_page_shows_details_and_the_calendar_link(
    client, world, django_assert_max_num_queries
):
    meeting = world["meetings"][0]
    with django_assert_max_num_queries(10):
        response = client.get(meeting.get_absolute_url())
    html = response.content.decode()
    assert meeting.place in html and "Frivilligsentralen" in html
    assert reverse("cocreation:meeting_ics", args=[meeting.code]) in html
    assert 'name="email"' in html
    assert_no_personal_data(html)


def test_a_meeting_that_is_not_public_has_no_public_page(client, world):
    assert client.get(world["hidden"].get_absolute_url()).status_code == 404
    ics = reverse("cocreation:meeting_ics", args=[world["hidden"].code])
    assert client.get(ics).status_code == 404


def test_registering_through_the_form(client, world, django_capture_on_commit_callbacks):
    meeting = world["meetings"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            meeting.get_absolute_url(), {"name": "Per Hansen", "email": "per@example.no"}
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "You are registered" in page or "Du er påmeldt" in page
    assert "Per Hansen" not in page
    assert Registration.objects.get(email="per@example.no").status == RegistrationStatus.CONFIRMED
    assert mail.outbox[0].to == ["per@example.no"]


def test_a_bad_registration_keeps_what_was_typed(client, world):
    meeting = world["meetings"][0]
    response = client.post(meeting.get_absolute_url(), {"name": "Per Hansen", "email": "per@"})
    assert response.status_code == 400
    assert 'value="Per Hansen"' in response.content.decode()


def test_registering_twice_is_refused_with_a_message(client, world):
    meeting = world["meetings"][0]
    response = client.post(meeting.get_absolute_url(), {"name": "K", "email": "kari@example.no"})
    assert response.status_code == 400
    assert Registration.objects.filter(email="kari@example.no", meeting=meeting).count() == 1


def test_the_calendar_file(client, world):
    meeting = world["meetings"][0]
    response = client.get(reverse("cocreation:meeting_ics", args=[meeting.code]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and f"UID:meeting-{meeting.code}@testserver" in body
    assert "Biblioteket\\, Storgata 1" in body


def test_cancelling_through_the_link_in_the_e_mail(client, world):
    registration = Registration.objects.filter(meeting=world["meetings"][0]).first()
    url = reverse("cocreation:registration_cancel", args=[registration.token])
    page = client.get(url)
    assert page.status_code == 200
    assert_no_personal_data(page.content.decode())
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert client.get(reverse("cocreation:registration_cancel", args=["nope"])).status_code == 404


def test_leaving_an_input_through_the_short_link_without_logging_in(client, world):
    meeting = world["hidden"]  # a home visit: not public, but its link works
    url = reverse("cocreation:input", args=[meeting.code])
    assert url == f"/m/{meeting.code}/"
    page = client.get(url)
    assert page.status_code == 200 and "Hjemmebesøk Hansen" in page.content.decode()
    response = client.post(url, {"text": "Trygge gangveier", "participant_group": "age_67_plus"})
    assert response.status_code == 302
    item = Input.objects.get(text="Trygge gangveier")
    assert item.channel == InputChannel.SELF_SERVICE and item.giver is None
    thanks = client.get(response["Location"]).content.decode()
    assert item.code in thanks


def test_a_logged_in_participant_is_linked_to_their_input(citizen_client, citizen, world):
    url = reverse("cocreation:input", args=[world["held"].code])
    citizen_client.post(url, {"text": "Mer lys", "giver_email": "kari@example.no"})
    assert Input.objects.get(text="Mer lys").giver == citizen


def test_an_empty_input_is_refused_and_nothing_saved(client, world):
    url = reverse("cocreation:input", args=[world["held"].code])
    response = client.post(url, {"text": " ", "giver_name": "Ola"})
    assert response.status_code == 400
    assert 'value="Ola"' in response.content.decode()
    assert Input.objects.count() == 1


def test_the_short_link_is_rate_limited(client, world, settings):
    settings.PORTAL_RATE_LIMITS = {"cocreation_input": {"ip": (2, 60)}}
    url = reverse("cocreation:input", args=[world["held"].code])
    statuses = [client.post(url, {"text": f"Innspill {n}"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Input.objects.count() == 3  # the fixture's one, and two of these


def test_registration_is_rate_limited(client, world, settings):
    settings.PORTAL_RATE_LIMITS = {"meeting_registration": {"ip": (1, 60)}}
    url = world["meetings"][1].get_absolute_url()
    client.post(url, {"name": "A", "email": "a@example.no"})
    response = client.post(url, {"name": "B", "email": "b@example.no"})
    assert response.status_code == 429
    assert 'value="B"' in response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_public_page_shows_a_registrants_or_givers_name_or_address(
    client, world, prefix, django_assert_max_num_queries
):
    meeting, held = world["meetings"][0], world["held"]
    registration = Registration.objects.filter(meeting=meeting).first()
    urls = [
        world["process"].get_absolute_url(),
        meeting.get_absolute_url(),
        reverse("cocreation:meeting_ics", args=[meeting.code]),
        reverse("cocreation:input", args=[held.code]),
        reverse("cocreation:registration_cancel", args=[registration.token]),
    ]
    for url in urls:
        path = prefix + url if not url.startswith("/en/") else url
        with django_assert_max_num_queries(PROCESS_PAGE_QUERIES):
            response = client.get(path)
        assert response.status_code == 200, path
        assert_no_personal_data(response.content.decode())


def test_a_process_for_a_challenge_links_to_it_within_the_budget(
    client, site_settings, django_assert_max_num_queries
):
    from tests.factories import create_challenge

    challenge = create_challenge(title="Ensomhet blant eldre")
    organiser, process = organiser_and_process(challenge=challenge, theme=None)
    for n in range(3):
        add_meeting(process, organiser, title=f"Møte {n}")
    client.get(process.get_absolute_url())  # the page tree's caches, as on a live site
    with django_assert_max_num_queries(PROCESS_PAGE_QUERIES):
        response = client.get(process.get_absolute_url())
    assert f'href="{challenge.url}"' in response.content.decode()
