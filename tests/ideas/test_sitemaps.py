# ruff: noqa: F811 - pytest fixtures imported from tests.challenges.test_selectors
"""/sitemap.xml: an index of sections (pages, lists, ideas), each page of each section a
list of public addresses in both languages, all on PORTAL_BASE_URL."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.urls import reverse

from ideas.models import IdeaStatus
from ideas.sitemaps import IdeaSitemap
from portal.sitemaps import urlset_xml
from tests.challenges.test_selectors import challenges, group  # noqa: F401 - fixtures
from tests.factories import IdeaFactory, challenge_index, create_challenge

pytestmark = pytest.mark.django_db

BASE = "https://ideer.fjordvik.example.no"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(autouse=True)
def public_address(settings):
    # Deliberately not the test client's host ("testserver").
    settings.PORTAL_BASE_URL = BASE


@dataclass
class Entry:
    location: str
    lastmod: str | None
    alternates: dict[str, str]


def index_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall("s:sitemap/s:loc", NS)]


def entries(client, url: str, **params) -> list[Entry]:
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    # Sitemaps are for crawlers to read, not for search results.
    assert "noindex" in response["X-Robots-Tag"]
    root = ET.fromstring(response.content)
    found = []
    for node in root.findall("s:url", NS):
        lastmod = node.find("s:lastmod", NS)
        found.append(
            Entry(
                location=node.find("s:loc", NS).text,
                lastmod=lastmod.text if lastmod is not None else None,
                alternates={
                    link.get("hreflang"): link.get("href") for link in node.findall("x:link", NS)
                },
            )
        )
    return found


def locations(client, url: str, **params) -> list[str]:
    return [entry.location for entry in entries(client, url, **params)]


def idea_path(idea) -> str:
    return reverse("ideas:detail", kwargs={"reference": idea.reference})


# --- The index -----------------------------------------------------------------------------


def test_the_index_names_each_section_on_the_public_address(client):
    IdeaFactory()

    # Whatever host the crawler used.
    assert index_locations(client) == [
        f"{BASE}/sitemap-pages.xml",
        f"{BASE}/sitemap-lists.xml",
        f"{BASE}/sitemap-ideas.xml",
        # Added by the co-creation app (tests/cocreation)
        f"{BASE}/sitemap-processes.xml",
        f"{BASE}/sitemap-meetings.xml",
        f"{BASE}/sitemap-projects.xml",  # added by the projects app (tests/projects)
        f"{BASE}/sitemap-solutions.xml",  # added by the solutions app (tests/solutions)
    ]
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert b"localhost" not in response.content
    assert b"testserver" not in response.content


def test_an_unknown_section_or_page_is_not_found(client):
    IdeaFactory()

    assert client.get("/sitemap-secrets.xml").status_code == 404
    assert client.get("/sitemap-ideas.xml", {"p": 2}).status_code == 404
    assert client.get("/sitemap-ideas.xml", {"p": "x"}).status_code == 404


# --- Ideas ---------------------------------------------------------------------------------


def test_a_public_idea_is_listed_in_both_languages_with_its_alternates(client):
    idea = IdeaFactory()
    path = idea_path(idea)

    found = entries(client, "/sitemap-ideas.xml")

    assert [entry.location for entry in found] == [f"{BASE}{path}", f"{BASE}/en{path}"]
    expected = {"nb": f"{BASE}{path}", "en": f"{BASE}/en{path}", "x-default": f"{BASE}{path}"}
    assert all(entry.alternates == expected for entry in found)
    assert all(entry.lastmod == idea.updated_at.isoformat(timespec="seconds") for entry in found)


def test_only_ideas_anyone_may_see_are_listed(client, challenges):
    free = IdeaFactory(title="Uten utfordring")
    answering = IdeaFactory(challenge=challenges["public"])
    implemented = IdeaFactory(status=IdeaStatus.IMPLEMENTED)
    left_out = {
        "hidden": IdeaFactory(is_hidden=True),
        "withdrawn": IdeaFactory(status=IdeaStatus.WITHDRAWN),
        "merged": IdeaFactory(status=IdeaStatus.MERGED, merged_into=free),
        # Answers to challenges that are unpublished or behind a view restriction would
        # tell of what the restriction keeps to its audience.
        **{
            f"answers a {kind} challenge": IdeaFactory(challenge=challenges[kind])
            for kind in ("draft", "password", "login", "group")
        },
    }

    listed = locations(client, "/sitemap-ideas.xml")

    for idea in (free, answering, implemented):
        assert f"{BASE}{idea_path(idea)}" in listed
    for why, idea in left_out.items():
        assert not [url for url in listed if idea.reference in url], why


def test_a_hidden_idea_leaves_the_sitemap_at_once(client):
    idea = IdeaFactory()
    assert any(idea.reference in url for url in locations(client, "/sitemap-ideas.xml"))

    idea.is_hidden = True
    idea.save()

    assert not any(idea.reference in url for url in locations(client, "/sitemap-ideas.xml"))


def test_ideas_are_paginated_and_the_index_names_every_page(client, monkeypatch):
    monkeypatch.setattr(IdeaSitemap, "limit", 2)
    ideas = IdeaFactory.create_batch(5)

    assert [url for url in index_locations(client) if "ideas" in url] == [
        f"{BASE}/sitemap-ideas.xml",
        f"{BASE}/sitemap-ideas.xml?p=2",
        f"{BASE}/sitemap-ideas.xml?p=3",
    ]
    pages = [locations(client, "/sitemap-ideas.xml", p=number) for number in (1, 2, 3)]
    # In the order they came: each page two ideas in two languages, the last one idea.
    assert [len(page) for page in pages] == [4, 4, 2]
    listed = [url for page in pages for url in page if "/en/" not in url]
    assert listed == [f"{BASE}{idea_path(idea)}" for idea in ideas]
    assert client.get("/sitemap-ideas.xml", {"p": 4}).status_code == 404


@pytest.mark.parametrize("count", [5, 60])
def test_a_page_of_ideas_costs_the_same_queries_at_any_size(
    client, count, django_assert_max_num_queries
):
    challenge = create_challenge()
    IdeaFactory.create_batch(count, challenge=challenge)

    # The sites and the view restrictions are read once and cached until pages change.
    locations(client, "/sitemap-ideas.xml")

    # How many there are, and one page of them.
    with django_assert_max_num_queries(2):
        listed = locations(client, "/sitemap-ideas.xml")
    assert len(listed) == 2 * count
    # How many of each there are, and when each last changed (ideas, processes,
    # meetings, projects and solutions, two queries a section; pages and lists none).
    with django_assert_max_num_queries(12):
        index_locations(client)


# --- Pages and lists -----------------------------------------------------------------------


def test_public_pages_are_listed_and_restricted_or_draft_ones_are_not(client, challenges):
    listed = locations(client, "/sitemap-pages.xml")

    index = challenge_index()
    assert f"{BASE}/" in listed and f"{BASE}/en/" in listed
    assert f"{BASE}{index.url}" in listed and f"{BASE}/en{index.url}" in listed
    assert f"{BASE}{challenges['public'].url}" in listed
    for kind in ("draft", "password", "login", "group"):
        slug = challenges[kind].slug
        assert not [url for url in listed if slug in url], kind


def test_a_published_page_tells_when_it_was_published(client):
    challenge = create_challenge(title="Klimatilpasning")
    challenge.refresh_from_db()

    found = {entry.location: entry for entry in entries(client, "/sitemap-pages.xml")}

    entry = found[f"{BASE}{challenge.url}"]
    assert entry.lastmod == challenge.last_published_at.isoformat(timespec="seconds")
    assert entry.alternates["en"] == f"{BASE}/en{challenge.url}"
    assert entry.alternates["x-default"] == f"{BASE}{challenge.url}"


def test_the_pages_section_costs_few_queries(client, django_assert_max_num_queries):
    for number in range(8):
        create_challenge(title=f"Utfordring {number}")

    locations(client, "/sitemap-pages.xml")  # the sites and restrictions, then cached

    with django_assert_max_num_queries(2):
        listed = locations(client, "/sitemap-pages.xml")
    assert len(listed) == 2 * (8 + 2)  # the challenges, their index and the home page


def test_the_idea_list_is_listed(client):
    assert locations(client, "/sitemap-lists.xml") == [f"{BASE}/ideas/", f"{BASE}/en/ideas/"]


def test_addresses_are_escaped_as_xml():
    xml = "".join(
        urlset_xml(
            [
                {
                    "location": f"{BASE}/ideas/?page=2&sort=new",
                    "lastmod": None,
                    "alternates": [{"lang_code": "en", "location": f'{BASE}/en/"x"&y'}],
                }
            ]
        )
    )

    url = ET.fromstring(xml).find("s:url", NS)
    assert url.find("s:loc", NS).text == f"{BASE}/ideas/?page=2&sort=new"
    assert url.find("x:link", NS).get("href") == f'{BASE}/en/"x"&y'
