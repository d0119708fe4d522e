"""Who may submit, edit, withdraw, vote and follow: a role matrix over the HTTP surface."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ideas import services
from ideas.models import Follow, Idea, IdeaStatus, Vote
from tests.factories import OrganisationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "other_citizen", "business_member", "staff", "editor"]


@pytest.fixture
def world(settings):
    intake = UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)
    author = UserFactory(display_name="Forfatter")
    idea = services.idea_submit(
        author=author, title="Lekeplass", summary="Ny lekeplass", description="Ved skolen"
    )
    business_member = UserFactory()
    OrganisationFactory(name="Fjordtech AS").members.add(business_member)
    staff = UserFactory()
    intake.staff.add(staff)  # staff of the idea's owning unit
    editor = UserFactory()
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    users = {
        "anonymous": None,
        "author": author,
        "other_citizen": UserFactory(),
        "business_member": business_member,
        "staff": staff,
        "editor": editor,
    }
    return idea, users


def client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_submit(client, world, role):
    idea, users = world
    client = client_as(client, users[role])

    response = client.get(reverse("ideas:submit"))

    if role == "anonymous":
        assert is_login_redirect(response)
        return
    assert response.status_code == 200
    form = response.context["form"]
    # Only members of an organisation are offered proposals.
    assert ("organisation" in form.fields) == (role == "business_member")
    posted = client.post(
        reverse("ideas:submit"),
        {"title": f"Idé fra {role}", "summary": "S", "description": "D", "kind": "idea"},
    )
    assert posted.status_code == 302
    assert Idea.objects.filter(title=f"Idé fra {role}").exists()


@pytest.mark.parametrize("role", ROLES)
def test_edit(client, world, role):
    idea, users = world
    client = client_as(client, users[role])
    url = reverse("ideas:edit", args=[idea.reference])

    get = client.get(url)
    post = client.post(url, {"title": "Endret", "summary": "S", "description": "D"})

    idea.refresh_from_db()
    if role == "anonymous":
        assert is_login_redirect(get) and is_login_redirect(post)
    elif role == "author":
        assert get.status_code == 200 and post.status_code == 302
    else:
        assert get.status_code == 403 and post.status_code == 403
    assert (idea.title == "Endret") == (role == "author")


@pytest.mark.parametrize("role", ROLES)
def test_withdraw(client, world, role):
    idea, users = world
    client = client_as(client, users[role])

    response = client.post(reverse("ideas:withdraw", args=[idea.reference]), {"reason": ""})

    idea.refresh_from_db()
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role == "author":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert (idea.status == IdeaStatus.WITHDRAWN) == (role == "author")


def test_the_author_can_no_longer_edit_or_withdraw_once_in_review(client, world):
    idea, users = world
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.IN_REVIEW)
    client.force_login(users["author"])

    # The author is sent back to the idea, with the reason, instead of a bare 403.
    edit = client.get(reverse("ideas:edit", args=[idea.reference]))
    withdraw = client.post(reverse("ideas:withdraw", args=[idea.reference]))
    assert edit.status_code == 302 and edit.url == idea.get_absolute_url()
    assert withdraw.status_code == 302 and withdraw.url == idea.get_absolute_url()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_REVIEW
    detail = client.get(idea.get_absolute_url())
    assert reverse("ideas:edit", args=[idea.reference]) not in detail.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_vote(client, world, role):
    idea, users = world
    client = client_as(client, users[role])

    response = client.post(reverse("ideas:vote", args=[idea.reference]))

    if role == "anonymous":
        assert is_login_redirect(response)
        assert not Vote.objects.exists()
    elif role == "author":
        # Authors cannot support their own idea (issue #12, item 10), as on peer platforms.
        assert response.status_code == 302
        assert not Vote.objects.exists()
    else:
        # Everyone else logged in may support, staff included: support is a public
        # signal, not a decision.
        assert response.status_code == 302
        assert Vote.objects.filter(idea=idea, voter=users[role]).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_follow(client, world, role):
    idea, users = world
    client = client_as(client, users[role])

    response = client.post(reverse("ideas:follow", args=[idea.reference]))

    if role == "anonymous":
        assert is_login_redirect(response)
        assert not Follow.objects.exists()
    else:
        assert response.status_code == 302
        assert Follow.objects.filter(idea=idea, user=users[role]).exists()


@pytest.mark.parametrize("role", ROLES)
def test_nobody_votes_or_follows_a_withdrawn_idea(client, world, role):
    idea, users = world
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.WITHDRAWN)
    client = client_as(client, users[role])

    vote = client.post(reverse("ideas:vote", args=[idea.reference]))
    follow = client.post(reverse("ideas:follow", args=[idea.reference]))

    if role == "anonymous":
        assert is_login_redirect(vote) and is_login_redirect(follow)
    else:
        assert vote.status_code == 404 and follow.status_code == 404
    assert not Vote.objects.exists() and not Follow.objects.exists()


def _hide(idea, users, reason="Inneholder personopplysninger."):
    from ideas.actions import idea_hide

    idea_hide(idea=idea, by=users["staff"], reason=reason)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_hidden_idea(client, world, role):
    idea, users = world
    _hide(idea, users)
    client = client_as(client, users[role])

    response = client.get(idea.get_absolute_url())

    if role in ("author", "staff"):
        # The author is told why; staff of the owning unit see what the author sees.
        assert response.status_code == 200
        assert "Skjult av kommunen: Inneholder personopplysninger." in response.content.decode()
    else:
        assert response.status_code == 404
    listing = client.get(reverse("ideas:list"))
    assert "Lekeplass" not in listing.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_nobody_votes_follows_or_comments_on_a_hidden_idea(client, world, role):
    from django_comments_xtd.models import XtdComment

    idea, users = world
    _hide(idea, users)
    client = client_as(client, users[role])

    vote = client.post(reverse("ideas:vote", args=[idea.reference]))
    follow = client.post(reverse("ideas:follow", args=[idea.reference]))
    comment = client.post(reverse("ideas:comment_post", args=[idea.reference]), {"comment": "Hei"})

    if role == "anonymous":
        assert is_login_redirect(vote) and is_login_redirect(follow)
    else:
        assert vote.status_code == 404 and follow.status_code == 404
    if role in ("author", "staff"):
        # They may open the hidden idea (its author, the owning unit's staff), and are
        # told comments are closed.
        assert comment.status_code == 302
    else:
        assert comment.status_code == 404
    assert not Vote.objects.exists() and not Follow.objects.exists()
    assert not XtdComment.objects.exists()
