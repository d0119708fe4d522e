"""ideas.selectors: what each audience may read, and the list's filters."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from challenges.models import ChallengeStatus
from ideas import selectors
from ideas.models import Follow, IdeaEvent, IdeaStatus, Vote
from tests.factories import IdeaFactory, UserFactory, create_challenge

pytestmark = pytest.mark.django_db


def test_open_challenges_follow_the_same_rule_as_the_page_status():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    open_now = create_challenge(title="Åpen")
    upcoming = create_challenge(title="Kommer", opens_on=today + day, closes_on=today + 9 * day)
    closed = create_challenge(title="Lukket", opens_on=today - 9 * day, closes_on=today - day)
    forced_open = create_challenge(
        title="Tvunget åpen",
        opens_on=today - 9 * day,
        closes_on=today - day,
        status_override=ChallengeStatus.OPEN,
    )
    forced_closed = create_challenge(title="Avsluttet", status_override=ChallengeStatus.CONCLUDED)
    draft = create_challenge(title="Utkast", live=False)

    found = set(selectors.open_challenges())

    assert found == {open_now, forced_open}
    for challenge in (open_now, upcoming, closed, forced_open, forced_closed):
        assert (challenge in found) == challenge.accepts_ideas
    assert draft not in found


def test_idea_for_viewer_hides_what_the_public_may_not_see():
    author = UserFactory()
    stranger = UserFactory()
    withdrawn = IdeaFactory(author=author, status=IdeaStatus.WITHDRAWN)
    hidden = IdeaFactory(author=author, is_hidden=True)
    public = IdeaFactory()

    assert selectors.idea_for_viewer(public.reference, AnonymousUser()) == public
    assert selectors.idea_for_viewer(withdrawn.reference, AnonymousUser()) is None
    assert selectors.idea_for_viewer(withdrawn.reference, stranger) is None
    assert selectors.idea_for_viewer(withdrawn.reference, author) == withdrawn
    assert selectors.idea_for_viewer(hidden.reference, stranger) is None
    # The author may open it, to read why it was hidden.
    assert selectors.idea_for_viewer(hidden.reference, author) == hidden
    assert selectors.idea_for_viewer("2026-99999", author) is None


def test_staff_of_the_owning_unit_may_open_hidden_ideas():
    idea = IdeaFactory(is_hidden=True)
    staff = UserFactory()
    idea.owning_unit.staff.add(staff)

    assert selectors.idea_for_viewer(idea.reference, staff) == idea


def test_public_events_leave_out_internal_ones_in_order():
    idea = IdeaFactory()
    first = IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.SUBMITTED)
    IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.NOTE, is_internal=True)
    last = IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.ANSWER, public_text="Svar")

    assert list(selectors.public_events(idea)) == [first, last]


def test_my_page_selectors_include_own_withdrawn_ideas_but_only_public_others():
    me = UserFactory()
    own_withdrawn = IdeaFactory(author=me, status=IdeaStatus.WITHDRAWN)
    supported_public = IdeaFactory()
    supported_withdrawn = IdeaFactory(status=IdeaStatus.WITHDRAWN)
    for idea in (supported_public, supported_withdrawn):
        Vote.objects.create(idea=idea, voter=me)
        Follow.objects.create(idea=idea, user=me)

    assert list(selectors.ideas_by_author(me)) == [own_withdrawn]
    assert list(selectors.ideas_supported_by(me)) == [supported_public]
    assert list(selectors.ideas_followed_by(me)) == [supported_public]


def test_filters_combine_and_unknown_sort_falls_back_to_newest():
    older = IdeaFactory(status=IdeaStatus.ACCEPTED, support_count=5)
    newer = IdeaFactory(status=IdeaStatus.ACCEPTED, support_count=1)
    IdeaFactory(status=IdeaStatus.SUBMITTED)

    result = selectors.filter_ideas(
        selectors.public_ideas(), selectors.IdeaFilters(status=IdeaStatus.ACCEPTED, sort="bogus")
    )

    assert list(result) == [newer, older]


def test_supported_and_followed_ids_are_empty_for_anonymous_people():
    idea = IdeaFactory()
    assert selectors.supported_ids(AnonymousUser(), [idea.pk]) == set()
    assert selectors.followed_ids(AnonymousUser(), [idea.pk]) == set()
