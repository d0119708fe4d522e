"""The counts stored on each idea stay equal to their rows, whoever writes the rows.

`Idea.support_count` and `Idea.comment_count` are recounted from the rows in the writing
transaction (ideas.counts), by the services and, through portal.invalidation, by any
other write: the Wagtail admin deleting a person, an ORM save of a comment.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from ideas import comment_services, services
from ideas.models import Idea, Vote
from search.backends import get_database_backend
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = type(client)()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    return admin


def test_deleting_a_person_in_the_admin_takes_their_support_and_name_with_them(
    client, admin_client, site_settings, django_capture_on_commit_callbacks
):
    """Issue #11, item 14: the vote cascaded away but support_count kept it, and the
    person's name stayed on their comments."""
    idea = IdeaFactory(title="Møteplass for eldre")
    per = UserFactory(display_name="Per Berg")
    services.vote_cast(idea=idea, voter=per)
    services.vote_cast(idea=idea, voter=UserFactory())
    comment_services.comment_post(idea=idea, author=per, text="Gjerne på biblioteket.")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert '<strong class="ideas-count">2</strong>' in page and "Per Berg" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtailusers_users:delete", args=[per.pk]))
    assert response.status_code == 302

    idea.refresh_from_db()
    assert idea.support_count == Vote.objects.filter(idea=idea).count() == 1
    page = client.get(idea.get_absolute_url()).content.decode()
    assert '<strong class="ideas-count">1</strong>' in page
    assert "Per Berg" not in page
    assert "Slettet deltaker" in page and "Gjerne på biblioteket." in page
    comment = XtdComment.objects.get()
    assert (comment.user_id, comment.user_name, comment.user_email) == (None, "", "")
    assert "1 har støttet" in client.get("/ideas/").content.decode()


def test_a_comment_removed_through_the_orm_leaves_the_count_and_the_index(
    client, site_settings, django_capture_on_commit_callbacks
):
    """Issue #11, item 15: what Django's comment admin did ("Remove selected comments":
    set is_removed and save) left comment_count and the search index behind."""
    idea = IdeaFactory(title="Møteplass for eldre")
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_services.comment_post(
            idea=idea, author=UserFactory(), text="Spam om billige klokker"
        )
    assert Idea.objects.get(pk=idea.pk).comment_count == 1
    assert get_database_backend().search("klokker").total == 1

    with django_capture_on_commit_callbacks(execute=True):
        comment.is_removed = True
        comment.save()

    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    assert get_database_backend().search("klokker").total == 0
    assert "Spam om billige klokker" not in client.get(idea.get_absolute_url()).content.decode()


def test_votes_written_without_the_services_still_count(client):
    idea = IdeaFactory()
    vote = Vote.objects.create(idea=idea, voter=UserFactory())
    assert Idea.objects.get(pk=idea.pk).support_count == 1
    vote.delete()
    assert Idea.objects.get(pk=idea.pk).support_count == 0
