import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from challenges.models import ChallengeStatus
from ideas.models import IdeaStatus
from tests.factories import IdeaFactory, challenge_index, create_challenge

pytestmark = pytest.mark.django_db


def rss_titles(content: bytes) -> list[str]:
    return [item.findtext("title") for item in ET.fromstring(content).iter("item")]


def test_rss_feed_lists_only_open_challenges(client):
    today = timezone.localdate()
    create_challenge(title="Åpen utfordring")
    create_challenge(
        title="Kommende utfordring",
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    create_challenge(title="Avsluttet utfordring", status_override=ChallengeStatus.CONCLUDED)
    response = client.get(challenge_index().url + "rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss_titles(response.content) == ["Åpen utfordring"]


def test_atom_feed(client):
    page = create_challenge(title="Overvann i sentrum")
    response = client.get(challenge_index().url + "atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert [entry.findtext("a:title", namespaces=ns) for entry in entries] == [page.title]
    link = entries[0].find("a:link", ns).get("href")
    assert link.endswith(page.url)


def test_challenge_feed_lists_its_public_ideas(client):
    page = create_challenge()
    IdeaFactory(challenge=page, title="Synlig idé")
    IdeaFactory(challenge=page, title="Trukket idé", status=IdeaStatus.WITHDRAWN)
    IdeaFactory(challenge=page, title="Skjult idé", is_hidden=True)
    IdeaFactory(title="Idé til noe annet")
    response = client.get(page.url + "feed/")
    assert response.status_code == 200
    assert rss_titles(response.content) == ["Synlig idé"]


def test_pages_link_their_feeds(client):
    page = create_challenge()
    index_html = client.get(challenge_index().url).content.decode()
    rss = f'title="Åpne utfordringer (RSS)" href="{challenge_index().url}rss/"'
    assert f'rel="alternate" type="application/rss+xml" {rss}' in index_html
    assert 'type="application/atom+xml"' in index_html
    assert f'href="{page.url}feed/"' in client.get(page.url).content.decode()
    assert f'href="{challenge_index().url}rss/"' in client.get("/").content.decode()
