"""Which challenges a person may see: one rule for every list, form and e-mail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import PageViewRestriction

from challenges.selectors import can_see_challenge, challenges_visible_to
from tests.factories import UserFactory, challenge_index, create_challenge

pytestmark = pytest.mark.django_db


def restrict(page, restriction_type: str, *, groups=(), password: str = "hemmelig"):
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=restriction_type,
        password=password if restriction_type == PageViewRestriction.PASSWORD else "",
    )
    restriction.groups.set(groups)
    return restriction


@pytest.fixture
def group():
    return Group.objects.create(name="Prosjektgruppe eldreomsorg")


@pytest.fixture
def challenges(group):
    """One challenge of each kind, by the word people would use for it."""
    found = {
        "public": create_challenge(title="Åpen floke"),
        "draft": create_challenge(title="Kladdefloke", live=False),
        "password": create_challenge(title="Passordfloke"),
        "login": create_challenge(title="Innloggetfloke"),
        "group": create_challenge(title="Gruppefloke"),
    }
    restrict(found["password"], PageViewRestriction.PASSWORD)
    restrict(found["login"], PageViewRestriction.LOGIN)
    restrict(found["group"], PageViewRestriction.GROUPS, groups=[group])
    return found


def people(group) -> dict[str, object]:
    member = UserFactory()
    member.groups.add(group)
    return {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(),
        "member": member,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


SEES = {
    "anonymous": {"public"},
    "citizen": {"public", "login"},
    "member": {"public", "login", "group"},
    # Wagtail lets superusers through group restrictions; passwords stop everyone in lists.
    "superuser": {"public", "login", "group"},
}


@pytest.mark.parametrize("who", SEES)
def test_each_person_sees_the_challenges_their_restrictions_let_them_through(
    challenges, group, who
):
    user = people(group)[who]
    visible = set(challenges_visible_to(user).values_list("pk", flat=True))

    assert {name for name, page in challenges.items() if page.pk in visible} == SEES[who]
    for name, page in challenges.items():
        assert can_see_challenge(user, page) is (name in SEES[who]), name


def test_a_restriction_on_the_index_hides_every_challenge_below_it(group):
    challenge = create_challenge(title="Under indeksen")
    restrict(challenge_index(), PageViewRestriction.GROUPS, groups=[group])
    member = UserFactory()
    member.groups.add(group)

    assert not challenges_visible_to(UserFactory()).filter(pk=challenge.pk).exists()
    assert challenges_visible_to(member).filter(pk=challenge.pk).exists()
    challenge.refresh_from_db()
    assert can_see_challenge(UserFactory(), challenge) is False
    assert can_see_challenge(member, challenge) is True


def test_joining_a_group_is_seen_at_once(challenges, group):
    user = UserFactory()
    assert not challenges_visible_to(user).filter(pk=challenges["group"].pk).exists()
    user.groups.add(group)
    user = type(user).objects.get(pk=user.pk)  # the next request loads the user afresh
    assert challenges_visible_to(user).filter(pk=challenges["group"].pk).exists()


def test_changing_a_restrictions_groups_is_seen_at_once(challenges, group):
    member = UserFactory()
    member.groups.add(group)
    other = Group.objects.create(name="Andre")
    restriction = PageViewRestriction.objects.get(page=challenges["group"])
    assert can_see_challenge(member, challenges["group"]) is True

    restriction.groups.set([other])  # what Wagtail's privacy dialog does after saving

    member = type(member).objects.get(pk=member.pk)
    assert can_see_challenge(member, challenges["group"]) is False
