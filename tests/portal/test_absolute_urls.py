# ruff: noqa: F811 - pytest fixtures imported from tests.ideas.test_services
"""Every absolute link the portal sends out comes from one setting, PORTAL_BASE_URL.

E-mails are read, and feeds fetched, far from the request that caused them: their links
must point at the portal's public address, not at whatever host a request, a Wagtail
Site record or the django.contrib.sites record happens to name.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ideas import comment_services
from ideas.actions import idea_transition
from ideas.models import IdeaStatus
from portal.absolute_urls import absolute_url
from tests.factories import IdeaFactory, UnitFactory, UserFactory, challenge_index, create_challenge
from tests.ideas.test_services import intake_unit, submit  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

BASE = "https://ideer.fjordvik.example.no"
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture(autouse=True)
def public_address(settings):
    # Deliberately not the test client's host ("testserver").
    settings.PORTAL_BASE_URL = BASE


def links_in(text: str) -> list[str]:
    text = re.sub(r'xmlns(:\w+)?="[^"]*"', "", text)  # XML namespace names are not links
    return re.findall(r"https?://[^\s\"'<>]+", text)


def assert_all_links_use_the_base(text: str) -> None:
    links = links_in(text)
    assert links, text
    assert [link for link in links if not link.startswith(BASE + "/")] == []


def test_absolute_url_joins_the_base_and_a_path(settings):
    assert absolute_url("/ideas/") == f"{BASE}/ideas/"
    assert absolute_url("ideas/") == f"{BASE}/ideas/"
    settings.PORTAL_BASE_URL = BASE + "/"
    assert absolute_url("/") == f"{BASE}/"


# --- E-mails -------------------------------------------------------------------------------


def test_signup_confirmation_links_use_the_public_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {
                "email": "nora@example.no",
                "display_name": "Nora",
                "password1": "fjordvik-er-fin-2026",
                "password2": "fjordvik-er-fin-2026",
                "website": "",
            },
        )
    [message] = mailoutbox
    assert_all_links_use_the_base(message.body)
    assert f"{BASE}/accounts/confirm/" in message.body


def test_password_reset_links_use_the_public_address(client, mailoutbox):
    UserFactory(email="kari@example.no")
    client.post(reverse("accounts:password_reset"), {"email": "kari@example.no"})
    [message] = mailoutbox
    assert_all_links_use_the_base(message.body)
    assert f"{BASE}/accounts/password/reset/" in message.body


def test_new_idea_and_status_e_mails_use_the_public_address(
    intake_unit, mailoutbox, django_capture_on_commit_callbacks
):
    staff = UserFactory(email="saksbehandler@kommune.example.no")
    intake_unit.staff.add(staff)
    with django_capture_on_commit_callbacks(execute=True):
        idea = submit(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        idea_transition(idea=idea, to=IdeaStatus.REJECTED, by=staff, public_reason="Utenfor.")
    assert len(mailoutbox) >= 2
    for message in mailoutbox:
        assert_all_links_use_the_base(message.body)
    assert any(absolute_url(idea.get_absolute_url()) in m.body for m in mailoutbox)


def test_comment_e_mails_use_the_public_address(mailoutbox, django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    parent_author = UserFactory()
    parent = comment_services.comment_post(
        idea=idea, author=parent_author, text="Varsle meg", notify_replies=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_post(idea=idea, author=UserFactory(), text="Svar", parent=parent)
    [message] = mailoutbox
    assert_all_links_use_the_base(message.body)


def test_the_overdue_digest_uses_the_public_address(mailoutbox, django_capture_on_commit_callbacks):
    unit = UnitFactory(contact_email="enhet@kommune.example.no")
    idea = IdeaFactory(owning_unit=unit, status=IdeaStatus.SUBMITTED)
    IdeaFactory._meta.model.objects.filter(pk=idea.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=400)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_digest", verbosity=0)
    [message] = mailoutbox
    assert_all_links_use_the_base(message.body)


# --- Feeds ---------------------------------------------------------------------------------


def test_rss_feed_links_use_the_public_address(client):
    create_challenge(title="Åpen utfordring")
    response = client.get(challenge_index().url + "rss/")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("link") == absolute_url(challenge_index().url)
    [item] = channel.iter("item")
    assert item.findtext("link").startswith(BASE + "/")
    assert_all_links_use_the_base(response.content.decode())


def test_atom_feed_links_use_the_public_address(client):
    create_challenge(title="Overvann i sentrum")
    response = client.get(challenge_index().url + "atom/")
    root = ET.fromstring(response.content)
    self_link = root.find("a:link[@rel='self']", ATOM).get("href")
    assert self_link == absolute_url(challenge_index().url + "atom/")
    hrefs = [link.get("href") for link in root.iter("{http://www.w3.org/2005/Atom}link")]
    assert hrefs and all(href.startswith(BASE + "/") for href in hrefs)


def test_challenge_ideas_feed_links_use_the_public_address(client):
    page = create_challenge()
    idea = IdeaFactory(challenge=page, title="Synlig idé")
    response = client.get(page.url + "feed/")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("link") == absolute_url(page.url)
    assert [item.findtext("link") for item in channel.iter("item")] == [
        absolute_url(idea.get_absolute_url())
    ]
    assert_all_links_use_the_base(response.content.decode())
