"""/robots.txt and /favicon.ico: what crawlers and browsers ask every site for."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.factories import IdeaFactory, create_challenge

pytestmark = pytest.mark.django_db

BASE = "https://ideer.fjordvik.example.no"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_BASE_URL = BASE


class Robots:
    """robots.txt read as RFC 9309 says (and Google, Bing and Lighthouse do): the longest
    matching rule wins, an Allow wins a tie, and a rule is a prefix of the path *with*
    its query. (Python's urllib.robotparser drops a rule's bare "?", so it cannot say
    "the search page, but no searches".)"""

    def __init__(self, text: str) -> None:
        self.rules: list[tuple[str, bool]] = []
        self.sitemaps: list[str] = []
        agents: list[str] = []
        for line in text.splitlines():
            field, _colon, value = line.partition(":")
            field, value = field.strip().lower(), value.strip()
            if field == "user-agent":
                agents.append(value)
            elif field in ("allow", "disallow") and "*" in agents and value:
                self.rules.append((value, field == "allow"))
            elif field == "sitemap":
                self.sitemaps.append(value)

    def allows(self, path: str) -> bool:
        matching = [(len(rule), allow) for rule, allow in self.rules if path.startswith(rule)]
        return max(matching)[1] if matching else True


def robots(client) -> Robots:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return Robots(response.content.decode())


def test_robots_allow_the_public_pages(client):
    idea = IdeaFactory()
    challenge = create_challenge()
    parser = robots(client)

    for path in (
        "/",
        "/en/",
        "/ideas/",
        "/ideas/?page=3",
        f"/ideas/{idea.reference}/",
        f"/en/ideas/{idea.reference}/",
        challenge.url,
        "/search/",
        "/en/search/",
    ):
        assert parser.allows(path), path


def test_robots_keep_crawlers_out_of_personal_staff_and_endless_pages(client):
    parser = robots(client)

    for path in (
        "/admin/",
        "/admin/triage/",
        "/django-admin/",
        reverse("accounts:login"),
        reverse("accounts:profile"),
        "/en/accounts/login/",
        reverse("ideas:mine"),
        "/en/ideas/mine/",
        reverse("ideas:submit"),
        "/search/?q=parken",
        "/en/search/?q=park",
        "/search/suggest/?q=pa",
        "/i18n/setlang/",
    ):
        assert not parser.allows(path), path


def test_robots_point_to_the_sitemap_on_the_public_address(client):
    assert robots(client).sitemaps == [f"{BASE}/sitemap.xml"]
    # Whatever host the crawler used.
    assert b"localhost" not in client.get("/robots.txt", HTTP_HOST="localhost").content


def test_the_favicon_is_an_icon_at_the_address_browsers_ask_for(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]


def test_the_linked_svg_icon_is_served(client):
    # base.html links it; the stylesheet and icon are served from static files.
    response = client.get("/static/portal/favicon.svg")

    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
