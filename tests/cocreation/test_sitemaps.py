"""/sitemap-processes.xml and /sitemap-meetings.xml: the public pages of published
processes and of their public meeting points, in both languages, with lastmod; nothing
unpublished, hidden or internal."""

from __future__ import annotations

import pytest

from cocreation import services
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.ideas.test_sitemaps import BASE, entries, index_locations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_BASE_URL = BASE


def both_languages(path: str) -> list[str]:
    return [f"{BASE}{path}", f"{BASE}/en{path}"]


def test_the_index_names_both_sections(client):
    found = index_locations(client)
    assert f"{BASE}/sitemap-processes.xml" in found
    assert f"{BASE}/sitemap-meetings.xml" in found


def test_published_processes_and_their_public_meetings_are_listed_with_lastmod(client):
    organiser, process = organiser_and_process(title="Bo hjemme lenger")
    meeting = add_meeting(process, organiser, title="Verksted på biblioteket")
    add_meeting(
        process, organiser, title="Internt arbeidsmøte", is_public=False, registration_open=False
    )
    _drafter, draft = organiser_and_process(title="Ennå ikke kunngjort", is_published=False)
    add_meeting(draft, _drafter, title="Møte i en prosess ingen ser ennå")

    processes = entries(client, "/sitemap-processes.xml")
    meetings = entries(client, "/sitemap-meetings.xml")

    assert [entry.location for entry in processes] == both_languages(process.get_absolute_url())
    assert [entry.location for entry in meetings] == both_languages(meeting.get_absolute_url())
    process.refresh_from_db()
    assert processes[0].lastmod == process.updated_at.isoformat(timespec="seconds")
    assert processes[0].alternates["en"] == f"{BASE}/en{process.get_absolute_url()}"


def test_a_process_taken_down_leaves_with_its_meetings(client):
    organiser, process = organiser_and_process()
    add_meeting(process, organiser)
    assert entries(client, "/sitemap-meetings.xml")

    services.process_update(process=process, by=organiser, values={"is_published": False})

    assert entries(client, "/sitemap-processes.xml") == []
    assert entries(client, "/sitemap-meetings.xml") == []


@pytest.mark.parametrize("count", [2, 8])
def test_a_page_of_meetings_costs_the_same_queries_at_any_size(
    client, count, django_assert_max_num_queries
):
    organiser, process = organiser_and_process()
    for n in range(count):
        add_meeting(process, organiser, title=f"Møte {n}")
    entries(client, "/sitemap-meetings.xml")  # the cached sites, as for ideas
    # How many there are, and one page of them.
    with django_assert_max_num_queries(2):
        listed = entries(client, "/sitemap-meetings.xml")
    assert len(listed) == 2 * count
