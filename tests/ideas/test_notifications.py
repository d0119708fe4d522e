# ruff: noqa: F811 - pytest fixtures imported from the challenge selector tests
"""Who is e-mailed about what happens to ideas (ideas.notifications)."""

from __future__ import annotations

import pytest

from ideas.models import Follow
from ideas.notifications import notify_new_idea
from tests.challenges.test_selectors import challenges, group  # noqa: F401 - fixtures
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_challenge_followers_hear_about_new_ideas_only_if_they_may_see_the_challenge(
    challenges, group, django_capture_on_commit_callbacks, mailoutbox
):
    member = UserFactory(email="medlem@example.no")
    member.groups.add(group)
    outsider = UserFactory(email="utenfor@example.no")
    for page in challenges.values():
        for user in (member, outsider):
            Follow.objects.create(challenge=page, user=user)
    sent_to = {}
    for name, page in challenges.items():
        idea = IdeaFactory(challenge=page, owning_unit=None)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            notify_new_idea(idea)
        sent_to[name] = sorted(address for mail in mailoutbox for address in mail.to)

    both = ["medlem@example.no", "utenfor@example.no"]
    assert sent_to == {
        "public": both,
        "login": both,
        "group": ["medlem@example.no"],
        "password": [],
        "draft": [],
    }
    for mail in mailoutbox:
        assert "Passordfloke" not in mail.body and "Kladdefloke" not in mail.body
