"""People edit their own comment for a while, and delete it (replies stay).

Issue #12, item 11. Services, the idea page as each role sees it, the endpoints, the
cached page for anonymous visitors, search and e-mail.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from ideas import comment_services
from ideas.models import CommentRevision, Idea, IdeaStatus
from search.backends import get_database_backend
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
def writer():
    return UserFactory(display_name="Kari Skriver")


@pytest.fixture
def unit_staff(unit):
    user = UserFactory(display_name="Saksbehandler Siri")
    unit.staff.add(user)
    return user


def post(idea: Idea, author, text: str, **kwargs) -> XtdComment:
    return comment_services.comment_post(idea=idea, author=author, text=text, **kwargs)


def posted_minutes_ago(comment: XtdComment, minutes: int) -> None:
    XtdComment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - timedelta(minutes=minutes)
    )
    comment.refresh_from_db()


def render_comments(idea: Idea, user) -> str:
    request = RequestFactory().get(idea.get_absolute_url())
    request.user = user or AnonymousUser()
    return render_to_string("ideas/includes/comments.html", {"idea": idea}, request=request)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def edit_url(comment: XtdComment) -> str:
    return reverse("ideas:comment_edit", kwargs={"comment_id": comment.pk})


def delete_url(comment: XtdComment) -> str:
    return reverse("ideas:comment_delete", kwargs={"comment_id": comment.pk})


def text_of(comment: XtdComment) -> str:
    return XtdComment.objects.get(pk=comment.pk).comment


# --- Editing ------------------------------------------------------------------------------


def test_the_author_corrects_a_comment_and_everyone_sees_it_was_edited(idea, writer):
    comment = post(idea, writer, "Biblioteket bør ha åpent på søndagr")

    comment_services.comment_edit(
        comment=comment, author=writer, text="Biblioteket bør ha åpent på søndager"
    )

    assert text_of(comment) == "Biblioteket bør ha åpent på søndager"
    for viewer in (None, UserFactory()):
        html = render_comments(idea, viewer)
        assert "søndager" in html and "søndagr" not in html
        assert "Redigert" in html
    # What it said before stays for the moderators, not on the page.
    revision = CommentRevision.objects.get()
    assert (revision.kind, revision.previous_text) == (
        CommentRevision.Kind.EDITED,
        "Biblioteket bør ha åpent på søndagr",
    )


def test_moderators_see_what_an_edited_comment_said_before_and_nobody_else_does(
    idea, writer, unit_staff
):
    comment = post(idea, writer, "Rådmannen er en idiot")
    comment_services.comment_flag(comment=comment, user=UserFactory())
    comment_services.comment_edit(comment=comment, author=writer, text="Rådmannen tok feil")
    comment_services.comment_edit(comment=comment, author=writer, text="Jeg er uenig")

    moderator_page = client_for(unit_staff).get(idea.get_absolute_url()).content.decode()
    assert "Tidligere tekster (redigert 2 ganger)" in moderator_page
    assert "Rådmannen er en idiot" in moderator_page
    assert "Rådmannen tok feil" in moderator_page
    for viewer in (None, writer, UserFactory()):
        html = client_for(viewer).get(idea.get_absolute_url()).content.decode()
        assert "Jeg er uenig" in html
        assert "Rådmannen" not in html


def test_a_deleted_comment_s_words_stay_off_the_page_even_for_moderators(idea, writer, unit_staff):
    comment = post(idea, writer, "Første versjon")
    comment_services.comment_edit(comment=comment, author=writer, text="Andre versjon")
    post(idea, UserFactory(), "Et svar", parent=comment)
    comment_services.comment_delete(comment=comment, author=writer)

    html = client_for(unit_staff).get(idea.get_absolute_url()).content.decode()
    assert "Et svar" in html
    assert "versjon" not in html
    assert CommentRevision.objects.filter(comment=comment).count() == 2  # kept for the admin


def test_the_same_text_again_is_no_edit(idea, writer):
    comment = post(idea, writer, "Uendret")
    comment_services.comment_edit(comment=comment, author=writer, text="  Uendret ")
    assert not CommentRevision.objects.exists()
    assert "Redigert" not in render_comments(idea, None)


def test_an_edit_must_still_say_something(idea, writer):
    comment = post(idea, writer, "Noe")
    with pytest.raises(comment_services.CommentError):
        comment_services.comment_edit(comment=comment, author=writer, text="   ")
    with pytest.raises(comment_services.CommentError):
        comment_services.comment_edit(comment=comment, author=writer, text="x" * 3001)
    assert text_of(comment) == "Noe"


def test_editing_ends_when_the_window_has_passed(idea, writer, settings):
    settings.PORTAL_COMMENT_EDIT_MINUTES = 30
    comment = post(idea, writer, "Første tanke")
    posted_minutes_ago(comment, 29)
    comment_services.comment_edit(comment=comment, author=writer, text="Andre tanke")

    posted_minutes_ago(comment, 31)
    with pytest.raises(PermissionDenied, match="30 minutter"):
        comment_services.comment_edit(comment=comment, author=writer, text="Tredje tanke")
    assert text_of(comment) == "Andre tanke"
    # No edit control either, once the time is up; deleting stays possible.
    html = render_comments(idea, writer)
    assert edit_url(comment) not in html and delete_url(comment) in html

    settings.PORTAL_COMMENT_EDIT_MINUTES = 60  # the operator's setting decides
    assert edit_url(comment) in render_comments(idea, writer)


@pytest.mark.parametrize("who", ["other_citizen", "unit_staff", "admin", "idea_author"])
def test_only_the_author_may_edit_or_delete_a_comment(idea, writer, unit_staff, who):
    people = {
        "other_citizen": UserFactory(),
        "unit_staff": unit_staff,
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "idea_author": idea.author,
    }
    comment = post(idea, writer, "Mine ord")
    with pytest.raises(PermissionDenied):
        comment_services.comment_edit(comment=comment, author=people[who], text="Andres ord")
    with pytest.raises(PermissionDenied):
        comment_services.comment_delete(comment=comment, author=people[who])
    comment.refresh_from_db()
    assert (comment.comment, comment.is_removed) == ("Mine ord", False)


def test_editing_closes_with_the_comments_but_deleting_does_not(idea, writer):
    comment = post(idea, writer, "Før vedtaket")
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.IMPLEMENTED)
    idea.refresh_from_db()

    with pytest.raises(PermissionDenied, match="kommentarfeltet er derfor stengt"):
        comment_services.comment_edit(comment=comment, author=writer, text="Etter vedtaket")
    html = render_comments(idea, writer)
    assert edit_url(comment) not in html and delete_url(comment) in html

    comment_services.comment_delete(comment=comment, author=writer)
    assert "Før vedtaket" not in render_comments(idea, None)


def test_a_comment_the_moderators_hid_can_be_deleted_but_not_edited(idea, writer, unit_staff):
    comment = post(idea, writer, "Upassende")
    comment_services.comment_hide(comment=comment, by=unit_staff)
    with pytest.raises(PermissionDenied, match="Moderatorene"):
        comment_services.comment_edit(comment=comment, author=writer, text="Pent")
    comment_services.comment_delete(comment=comment, author=writer)
    comment.refresh_from_db()
    assert comment.is_removed and comment.comment == ""


# --- Deleting -----------------------------------------------------------------------------


def test_deleting_a_comment_keeps_its_replies_under_a_placeholder(idea, writer):
    first = post(idea, writer, "Hva med bussen dit?")
    reply = post(
        idea, UserFactory(display_name="Ola Svarer"), "Buss 12 går rett forbi.", parent=first
    )
    other = post(idea, UserFactory(), "Flott idé")

    comment_services.comment_delete(comment=first, author=writer)

    idea.refresh_from_db()
    assert idea.comment_count == 2  # the reply and the other comment
    for viewer in (None, UserFactory()):
        html = render_comments(idea, viewer)
        assert "Hva med bussen dit?" not in html and "Kari Skriver" not in html
        assert "Kommentaren er slettet" in html
        assert "Buss 12 går rett forbi." in html and "Ola Svarer" in html
        assert 'aria-label="Svar på en slettet kommentar"' in html
        assert f'id="comment-{other.pk}"' in html
        assert "(2)" in html
        # Nothing left to report, and nothing to reply to.
        assert reverse("ideas:comment_flag", kwargs={"comment_id": first.pk}) not in html
    assert f'name="parent" value="{first.pk}"' not in render_comments(idea, UserFactory())
    with pytest.raises(comment_services.CommentError):
        post(idea, UserFactory(), "Svar på ingenting", parent=first)
    reply.refresh_from_db()
    assert reply.is_public and not reply.is_removed


def test_a_deleted_comment_without_replies_leaves_the_page(idea, writer, unit_staff):
    """A bare "deleted" would tell readers nothing; the moderators still see it."""
    first = post(idea, writer, "Angrer på denne")
    root = post(idea, UserFactory(), "Et spørsmål")
    reply = post(idea, writer, "Et svar jeg angrer på", parent=root)
    comment_services.comment_flag(comment=first, user=UserFactory())

    comment_services.comment_delete(comment=first, author=writer)
    comment_services.comment_delete(comment=reply, author=writer)

    public = render_comments(idea, UserFactory())
    assert f'id="comment-{first.pk}"' not in public
    assert f'id="comment-{reply.pk}"' not in public
    assert "Kommentaren er slettet" not in public and "(1)" in public
    staff_view = render_comments(idea, unit_staff)
    assert f'id="comment-{first.pk}"' in staff_view and f'id="comment-{reply.pk}"' in staff_view
    assert staff_view.count("Kommentaren er slettet") == 2
    assert "Angrer på denne" not in staff_view
    assert "Rapportert 1 gang" in staff_view  # the report is still there to judge
    assert set(CommentRevision.objects.values_list("previous_text", flat=True)) == {
        "Angrer på denne",
        "Et svar jeg angrer på",
    }


def test_a_comment_is_deleted_once(idea, writer):
    comment = post(idea, writer, "Borte snart")
    comment_services.comment_delete(comment=comment, author=writer)
    with pytest.raises(PermissionDenied):
        comment_services.comment_delete(comment=comment, author=writer)
    with pytest.raises(PermissionDenied):
        comment_services.comment_edit(comment=comment, author=writer, text="Tilbake")
    assert CommentRevision.objects.filter(kind=CommentRevision.Kind.DELETED).count() == 1


def test_a_deleted_comment_leaves_search(idea, writer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(idea, writer, "Spam om billige klokker")
    assert get_database_backend().search("klokker").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_edit(comment=comment, author=writer, text="Om lesesirkler")
    assert get_database_backend().search("klokker").total == 0
    assert get_database_backend().search("lesesirkler").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_delete(comment=comment, author=writer)
    assert get_database_backend().search("lesesirkler").total == 0


# --- E-mail ---------------------------------------------------------------------------


def test_an_edit_sends_no_e_mail_again(
    idea, writer, unit_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = post(idea, writer, "Når åpner dere?", notify_replies=True)
        answer = post(idea, unit_staff, "I januar.", parent=question)
    assert mailoutbox  # the reply e-mail to the asker, the answer to the idea's author
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_edit(comment=answer, author=unit_staff, text="I februar.")
        comment_services.comment_edit(
            comment=question, author=writer, text="Når åpner dere, og hvor?"
        )
        comment_services.comment_delete(comment=answer, author=unit_staff)

    assert len(mailoutbox) == sent


# --- The cached page --------------------------------------------------------------------


def test_an_edit_and_a_deletion_show_at_once_to_anonymous_visitors(idea, writer):
    """The page anonymous visitors get is cached (ideas.views.idea_detail)."""
    comment = post(idea, writer, "Gammel tekst her")
    post(idea, UserFactory(), "Et svar som blir stående", parent=comment)
    visitor = Client()
    for _warm_up in range(2):
        assert "Gammel tekst her" in visitor.get(idea.get_absolute_url()).content.decode()

    comment_services.comment_edit(comment=comment, author=writer, text="Ny tekst her")
    page = visitor.get(idea.get_absolute_url()).content.decode()
    assert "Ny tekst her" in page and "Gammel tekst her" not in page and "Redigert" in page

    comment_services.comment_delete(comment=comment, author=writer)
    page = visitor.get(idea.get_absolute_url()).content.decode()
    assert "Ny tekst her" not in page and "Kommentaren er slettet" in page
    assert "Et svar som blir stående" in page


def test_hiding_a_comment_shows_at_once_to_anonymous_visitors(idea, writer, unit_staff):
    comment = post(idea, writer, "Stygg tekst")
    visitor = Client()
    for _warm_up in range(2):
        assert "Stygg tekst" in visitor.get(idea.get_absolute_url()).content.decode()
    comment_services.comment_hide(comment=comment, by=unit_staff)
    assert "Stygg tekst" not in visitor.get(idea.get_absolute_url()).content.decode()


# --- The endpoints ------------------------------------------------------------------------

ROLES = ["anonymous", "author", "other_citizen", "unit_staff"]


@pytest.fixture
def people(writer, unit_staff):
    return {
        "anonymous": None,
        "author": writer,
        "other_citizen": UserFactory(),
        "unit_staff": unit_staff,
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_idea_page_gives_edit_and_delete_only_to_the_author(
    idea, people, role, django_assert_max_num_queries
):
    writer = people["author"]
    mine = [post(idea, writer, f"Min kommentar {number}") for number in range(6)]
    post(idea, UserFactory(), "Noen andres", parent=mine[0])
    client = client_for(people[role])
    for _warm_up in range(2):
        client.get(idea.get_absolute_url())

    # The controls are the person's own, and cost no query per comment.
    with django_assert_max_num_queries(12):
        response = client.get(idea.get_absolute_url())

    html = response.content.decode()
    assert "Min kommentar 5" in html
    for comment in mine:
        assert (edit_url(comment) in html) is (role == "author")
        assert (delete_url(comment) in html) is (role == "author")
    assert ("Lagre endringene" in html) is (role == "author")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("htmx", [False, True])
def test_editing_and_deleting_by_role(idea, people, role, htmx):
    comment = post(idea, people["author"], "Opprinnelig")
    post(idea, UserFactory(), "Et svar", parent=comment)
    client = client_for(people[role])
    headers = HTMX if htmx else {}

    edited = client.post(edit_url(comment), {"comment": "Rettet"}, **headers)
    deleted = client.post(delete_url(comment), **headers)

    comment.refresh_from_db()
    if role == "anonymous":
        for response in (edited, deleted):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        assert (comment.comment, comment.is_removed) == ("Opprinnelig", False)
    elif role == "author":
        assert comment.is_removed and comment.comment == ""
        assert CommentRevision.objects.filter(previous_text="Opprinnelig").exists()
        if htmx:
            assert edited.status_code == deleted.status_code == 200
            assert "Kommentaren din er oppdatert." in edited.content.decode()
            assert "Rettet" in edited.content.decode()
            assert "Kommentaren din er slettet." in deleted.content.decode()
        else:
            assert edited.status_code == deleted.status_code == 302
            assert edited["Location"].endswith(f"#comment-{comment.pk}")
            # The placeholder keeps its place, so the page opens there.
            assert deleted["Location"].endswith(f"#comment-{comment.pk}")
    else:
        assert edited.status_code == deleted.status_code == 403
        assert (comment.comment, comment.is_removed) == ("Opprinnelig", False)
        if htmx:
            assert "Du kan bare endre dine egne kommentarer." in edited.content.decode()


def test_the_edit_page_works_without_javascript(idea, writer):
    comment = post(idea, writer, "Skrivefeil i tekstn")
    client = client_for(writer)

    page = client.get(edit_url(comment))
    assert page.status_code == 200
    assert "Skrivefeil i tekstn</textarea>" in page.content.decode()

    refused = client.post(edit_url(comment), {"comment": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="error-summary"' in html and "Skriv en kommentar før du sender." in html

    done = client.post(edit_url(comment), {"comment": "Skrivefeil i teksten"}, follow=True)
    assert "Kommentaren din er oppdatert." in done.content.decode()
    assert text_of(comment) == "Skrivefeil i teksten"


def test_a_rejected_edit_keeps_the_form_open_with_the_reason(idea, writer):
    comment = post(idea, writer, "Kort")
    response = client_for(writer).post(edit_url(comment), {"comment": "x" * 3001}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="idea-comment__own" open>' in html
    assert f'id="id_edit{comment.pk}_comment"' in html and 'aria-invalid="true"' in html
    assert "x" * 3001 in html  # what was typed stays
    assert text_of(comment) == "Kort"


def test_an_edit_too_late_is_told_why(idea, writer):
    comment = post(idea, writer, "For sent")
    posted_minutes_ago(comment, 45)
    client = client_for(writer)

    response = client.post(edit_url(comment), {"comment": "Rettet"}, **HTMX)
    assert response.status_code == 403
    assert "30 minutter" in response.content.decode()

    response = client.post(edit_url(comment), {"comment": "Rettet"}, follow=True)
    assert "30 minutter" in response.content.decode()
    assert text_of(comment) == "For sent"


def test_the_edit_endpoints_are_not_found_for_an_idea_nobody_may_see(idea, writer):
    comment = post(idea, writer, "På en idé som blir skjult")
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)
    client = client_for(writer)
    assert client.get(edit_url(comment)).status_code == 404
    assert client.post(edit_url(comment), {"comment": "Ny"}, **HTMX).status_code == 404
    assert client.post(delete_url(comment), **HTMX).status_code == 404
    assert text_of(comment) == "På en idé som blir skjult"
