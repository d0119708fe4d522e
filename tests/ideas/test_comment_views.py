"""The comment endpoints answer only about ideas the person may open.

Comment ids are sequential; an endpoint that answered for any id would let anyone read
(or act on) the discussion of a withdrawn or hidden idea by counting.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from ideas import comment_services
from ideas.models import Idea, IdeaStatus
from tests.factories import IdeaFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def unit():
    return UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")


@pytest.fixture
def idea(unit):
    return IdeaFactory(owning_unit=unit, title="Møteplass for eldre")


@pytest.fixture
def thread(idea):
    """A first comment and a reply, both by people other than the idea's author."""
    first = comment_services.comment_post(
        idea=idea, author=UserFactory(display_name="Hemmelig Hanne"), text="Privat tanke om naboen"
    )
    reply = comment_services.comment_post(
        idea=idea,
        author=UserFactory(display_name="Skjult Sverre"),
        text="Enig, han er vanskelig",
        parent=first,
    )
    return first, reply


def _make_non_public(idea: Idea, how: str) -> None:
    if how == "withdrawn":
        Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.WITHDRAWN)
    else:
        Idea.objects.filter(pk=idea.pk).update(is_hidden=True)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _staff_of(unit) -> object:
    user = UserFactory()
    unit.staff.add(user)
    return user


@pytest.mark.parametrize("how", ["withdrawn", "hidden"])
@pytest.mark.parametrize("htmx", [True, False])
def test_reporting_a_comment_on_a_non_public_idea_is_not_found_and_shows_nothing(
    idea, thread, how, htmx
):
    first, _reply = thread
    _make_non_public(idea, how)
    headers = HTMX if htmx else {}

    response = client_for(UserFactory()).post(
        reverse("ideas:comment_flag", kwargs={"comment_id": first.pk}), **headers
    )

    assert response.status_code == 404
    content = response.content.decode()
    for secret in ("Privat tanke", "Enig, han er vanskelig", "Hemmelig Hanne", "Skjult Sverre"):
        assert secret not in content
    assert not CommentFlag.objects.exists()


@pytest.mark.parametrize("how", ["withdrawn", "hidden"])
def test_every_comment_endpoint_is_not_found_for_a_non_public_idea(idea, thread, how):
    first, reply = thread
    _make_non_public(idea, how)
    outsiders = {
        "anonymous": None,
        "citizen": UserFactory(),
        "staff of another unit": _staff_of(UnitFactory(name="Teknisk", slug="teknisk")),
    }
    for who, user in outsiders.items():
        client = client_for(user)
        for name in (
            "comment_flag",
            "comment_hide",
            "comment_show",
            "comment_edit",
            "comment_delete",
        ):
            for comment in (first, reply):
                url = reverse(f"ideas:{name}", kwargs={"comment_id": comment.pk})
                assert client.post(url, **HTMX).status_code == 404, (who, name)
        reply_page = reverse("ideas:comment_reply", kwargs={"comment_id": first.pk})
        assert client.get(reply_page).status_code == 404, who
        post_url = reverse("ideas:comment_post", kwargs={"reference": idea.reference})
        assert client.post(post_url, {"comment": "Hei"}, **HTMX).status_code == 404, who
    first.refresh_from_db()
    assert first.is_public is True  # nobody outside could hide it
    assert XtdComment.objects.count() == 2
    assert not CommentFlag.objects.exists()


def test_staff_of_the_owning_unit_still_moderate_comments_on_a_withdrawn_idea(idea, thread, unit):
    first, _reply = thread
    _make_non_public(idea, "withdrawn")
    staff = _staff_of(unit)

    response = client_for(staff).post(
        reverse("ideas:comment_hide", kwargs={"comment_id": first.pk}), **HTMX
    )

    assert response.status_code == 200
    first.refresh_from_db()
    assert first.is_public is False


def test_the_author_of_a_withdrawn_idea_is_told_comments_are_closed(idea, thread):
    _make_non_public(idea, "withdrawn")
    client = client_for(idea.author)

    response = client.post(
        reverse("ideas:comment_post", kwargs={"reference": idea.reference}),
        {"comment": "Et siste ord"},
        follow=True,
    )

    assert response.status_code == 200
    assert "trukket tilbake" in response.content.decode()
    assert XtdComment.objects.count() == 2
