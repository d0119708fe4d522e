"""Ids in URLs and query strings: a bad one is "not found" or a form error, never a 500.

Numbers beyond what the database's integer columns hold overflow inside the database
driver (SQLite: OverflowError; PostgreSQL: DataError) unless they are refused first.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ideas.models import Idea
from tests.factories import IdeaFactory, UnitFactory, UserFactory, create_challenge
from tests.ideas.triage_helpers import admin_staff_of

pytestmark = pytest.mark.django_db

BEYOND_BIGINT = "99999999999999999999999"
BIGINT_PLUS_ONE = str(2**63)
BAD_IDS = [BEYOND_BIGINT, BIGINT_PLUS_ONE, "0"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def _with_id(name: str, raw: str, **kwargs) -> str:
    """The URL of `name` for id 1, with `raw` in its place (reverse() would refuse it)."""
    url = reverse(name, kwargs={**kwargs, next(iter(_ID_KWARGS[name])): 1})
    return url.replace("/1/", f"/{raw}/")


_ID_KWARGS = {
    "ideas:comment_reply": {"comment_id"},
    "ideas:comment_flag": {"comment_id"},
    "ideas:comment_hide": {"comment_id"},
    "ideas:comment_show": {"comment_id"},
    "ideas:comment_edit": {"comment_id"},
    "ideas:comment_delete": {"comment_id"},
    "ideas:follow_challenge": {"challenge_id"},
    "ideas_triage:idea": {"pk"},
}


def client_for(user) -> Client:
    # A 500 would re-raise in the test; that is the failure we guard against.
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize("raw", BAD_IDS)
def test_bad_ids_in_public_urls_are_not_found(citizen, raw):
    client = client_for(citizen)
    for name in (
        "ideas:comment_flag",
        "ideas:comment_hide",
        "ideas:comment_show",
        "ideas:comment_edit",
        "ideas:comment_delete",
    ):
        assert client.post(_with_id(name, raw), **HTMX).status_code == 404, name
    assert client.get(_with_id("ideas:comment_reply", raw)).status_code == 404
    assert client.get(_with_id("ideas:comment_edit", raw)).status_code == 404
    assert client.post(_with_id("ideas:follow_challenge", raw)).status_code == 404


@pytest.mark.parametrize("raw", BAD_IDS)
def test_a_bad_parent_id_when_commenting_is_not_found(citizen, raw):
    idea = IdeaFactory()
    response = client_for(citizen).post(
        reverse("ideas:comment_post", kwargs={"reference": idea.reference}),
        {"comment": "Svar", "parent": raw},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("raw", BAD_IDS)
def test_bad_ids_in_the_idea_lists_filters_are_ignored(client, citizen, raw):
    IdeaFactory(title="Synlig idé")
    for params in ({"challenge": raw}, {"theme": raw, "unit": raw}):
        response = client.get(reverse("ideas:list"), params)
        assert response.status_code == 200
        assert "Synlig idé" in response.content.decode()
    response = client_for(citizen).get(reverse("ideas:list"), {"challenge": raw}, **HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("raw", BAD_IDS)
def test_bad_ids_on_the_submit_form_are_form_errors(citizen, settings, raw):
    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)
    client = client_for(citizen)
    assert client.get(reverse("ideas:submit"), {"challenge": raw}).status_code == 200
    data = {
        "title": "Gatelys",
        "summary": "Mørk vei.",
        "description": "Lys, takk.",
        "kind": "idea",
        "tags": "",
        "location": "",
        "website": "",
        "challenge": raw,
        "theme": raw,
    }
    response = client.post(reverse("ideas:submit"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "challenge" in form.errors and "theme" in form.errors
    assert not Idea.objects.exists()


@pytest.mark.parametrize("raw", BAD_IDS)
def test_bad_ids_in_the_triage_workspace(superuser, raw):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    create_challenge()
    for user in (superuser, staff):
        client = client_for(user)
        assert client.get(_with_id("ideas_triage:idea", raw)).status_code == 404
        assert client.post(_with_id("ideas_triage:idea", raw) + "transition/").status_code == 404
        queue = client.get(reverse("ideas_triage:queue"), {"challenge": raw, "unit": raw})
        assert queue.status_code == 200
        bulk = client.post(
            reverse("ideas_triage:bulk"), {"ideas": [raw], "action": "note", "text": "Hei"}
        )
        assert bulk.status_code in (200, 302)
    client = client_for(superuser)
    tester = client.get(
        reverse("ideas_triage:rule_test"), {"challenge": raw, "tags": [raw], "kind": "idea"}
    )
    assert tester.status_code == 200
    form = tester.context["form"]
    assert "challenge" in form.errors and "tags" in form.errors


@pytest.mark.parametrize("raw", BAD_IDS)
def test_bad_ids_in_the_routing_rule_form_are_form_errors(superuser, raw):
    from ideas.models import RoutingRule

    unit = UnitFactory()
    data = {
        "name": "Alt om skole",
        "priority": 10,
        "is_active": "on",
        "challenge": raw,
        "theme": raw,
        "tag": raw,
        "idea_kind": "",
        "target_unit": unit.pk,
    }

    response = client_for(superuser).post(reverse("ideas_routing_rules:add"), data)

    assert response.status_code == 200
    assert {"challenge", "theme", "tag"} <= set(response.context["form"].errors)
    assert not RoutingRule.objects.exists()
