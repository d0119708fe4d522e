"""Apps above `ideas` add to the idea page and hear of its status changes
(ideas.extensions), whichever way the page is served."""

import pytest
from django.test import Client

from ideas import extensions
from ideas.actions import idea_transition
from ideas.models import IdeaStatus
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    calls: list[int] = []

    def render(idea_id, request):
        calls.append(idea_id)
        return f'<section class="from-another-app">Carried on for {idea_id}</section>'

    extensions.idea_page_sections.register(render)
    yield calls
    extensions.idea_page_sections.unregister(render)


@pytest.fixture
def heard():
    events = []

    def listen(idea, event):
        events.append((idea.pk, event.to_status))

    extensions.idea_status_changed.register(listen)
    yield events
    extensions.idea_status_changed.unregister(listen)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_registered_section_appears_for_anonymous_citizen_and_staff(section):
    idea = IdeaFactory()
    staff = UserFactory(is_staff=True, is_superuser=True)
    for client in (_client(), _client(), _client(UserFactory()), _client(staff)):
        content = client.get(idea.get_absolute_url()).content.decode()
        assert f"Carried on for {idea.pk}" in content
        assert extensions.SECTIONS_MARKER not in content
    # The second anonymous visit was served from the cached page: the section was still
    # rendered for it, not cached with the page.
    assert section.count(idea.pk) == 4


def test_page_without_sections_keeps_no_marker_text():
    idea = IdeaFactory()
    content = _client().get(idea.get_absolute_url()).content.decode()
    assert "Carried on for" not in content


def test_status_listener_hears_a_transition_on_commit(heard, django_capture_on_commit_callbacks):
    idea = IdeaFactory(status=IdeaStatus.SUBMITTED)
    staff = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        idea_transition(idea=idea, to=IdeaStatus.IN_REVIEW, by=staff)
    assert heard == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert heard == [(idea.pk, IdeaStatus.IN_REVIEW)]


def test_a_failing_listener_neither_undoes_nor_hides_the_change(
    heard, django_capture_on_commit_callbacks, caplog
):
    """The status change is committed before listeners run: one that fails is logged,
    the others still hear of it, and the person acting gets their result."""

    def broken(idea, event):
        raise RuntimeError("the listener's database query was refused")

    extensions.idea_status_changed.register(broken, first=True)
    assert next(iter(extensions.idea_status_changed)) is broken  # it runs before the rest
    try:
        idea = IdeaFactory(status=IdeaStatus.SUBMITTED)
        staff = UserFactory(is_staff=True, is_superuser=True)
        with django_capture_on_commit_callbacks(execute=True):
            result = idea_transition(idea=idea, to=IdeaStatus.IN_REVIEW, by=staff)
    finally:
        extensions.idea_status_changed.unregister(broken)

    assert result.status == IdeaStatus.IN_REVIEW
    assert heard == [(idea.pk, IdeaStatus.IN_REVIEW)]
    assert "the listener's database query was refused" in caplog.text
