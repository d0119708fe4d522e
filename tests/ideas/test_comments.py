"""Comments on ideas: policy, services, views and the thread on the idea page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment
from django_tasks.signals import task_enqueued

from ideas import comment_services
from ideas.comments import comment_policy, comment_thread
from ideas.models import Idea, IdeaStatus
from tests.factories import IdeaFactory, MunicipalityFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Helpers -------------------------------------------------------------------------


@pytest.fixture
def unit():
    return UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")


@pytest.fixture
def idea(unit):
    return IdeaFactory(owning_unit=unit, title="Møteplass for eldre")


@pytest.fixture
def author(idea):
    return idea.author


@pytest.fixture
def unit_staff(unit):
    user = UserFactory(display_name="Saksbehandler Siri")
    unit.staff.add(user)
    return user


@pytest.fixture
def other_unit_staff():
    user = UserFactory(display_name="Ola i Teknisk")
    UnitFactory(name="Teknisk", slug="teknisk").staff.add(user)
    return user


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True, is_staff=True, display_name="Admin")


def post(idea: Idea, author, text: str, **kwargs) -> XtdComment:
    return comment_services.comment_post(idea=idea, author=author, text=text, **kwargs)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def comment_url(idea: Idea) -> str:
    return reverse("ideas:comment_post", kwargs={"reference": idea.reference})


def render_comments(idea: Idea, user) -> str:
    request = RequestFactory().get(idea.get_absolute_url())
    request.user = user or AnonymousUser()
    return render_to_string("ideas/includes/comments.html", {"idea": idea}, request=request)


@pytest.fixture
def reindexed():
    """The (model, pk) of every search update enqueued while the test runs."""
    seen: list[tuple[str, int]] = []

    def receiver(sender, task_result, **kwargs):
        if task_result.task.name == "update_search_index":
            seen.append((task_result.kwargs["model_label"], task_result.kwargs["pk"]))

    task_enqueued.connect(receiver)
    yield seen
    task_enqueued.disconnect(receiver)


# --- Posting ---------------------------------------------------------------------------


def test_logged_in_user_posts_a_comment_and_is_sent_back_to_it(
    idea, citizen, django_capture_on_commit_callbacks, reindexed
):
    client = client_for(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            comment_url(idea), {"comment": "Dette er en **god** idé.", "notify_replies": "on"}
        )
    comment = XtdComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{idea.get_absolute_url()}#comment-{comment.pk}"
    assert comment.user == citizen and comment.followup is True and comment.level == 0
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert ("ideas.idea", idea.pk) in reindexed
    html = render_comments(idea, citizen)
    assert "<strong>god</strong>" in html
    assert f'id="comment-{comment.pk}"' in html


def test_anonymous_cannot_comment_and_is_asked_to_log_in(idea):
    response = Client().post(comment_url(idea), {"comment": "Hei"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not XtdComment.objects.exists()
    with pytest.raises(PermissionDenied):
        post(idea, AnonymousUser(), "Hei")
    html = render_comments(idea, None)
    assert "Logg inn for å kommentere" in html
    assert "<textarea" not in html


def test_reply_makes_two_levels_and_a_third_level_is_refused(idea, citizen, author):
    first = post(idea, citizen, "Første kommentar")
    reply = post(idea, author, "Svar på den", parent=first)
    assert (reply.level, reply.thread_id, reply.parent_id) == (1, first.pk, first.pk)

    with pytest.raises(comment_services.CommentError):
        post(idea, citizen, "Svar på svaret", parent=reply)

    response = client_for(citizen).post(
        comment_url(idea), {"comment": "Svar på svaret", "parent": str(reply.pk)}
    )
    assert response.status_code == 400
    assert "Svar på svaret" in response.content.decode()  # the typed text is kept
    assert "Du kan bare svare på en kommentar" in response.content.decode()
    assert XtdComment.objects.count() == 2

    thread = comment_thread(idea, citizen)
    assert [node.comment.pk for node in thread] == [first.pk]
    assert [r.pk for r in thread[0].replies] == [reply.pk]


def test_reply_through_the_view_redirects_to_the_reply(idea, citizen, author):
    first = post(idea, author, "Hva tenker dere?")
    response = client_for(citizen).post(
        comment_url(idea), {"comment": "Jeg tenker ja", "parent": str(first.pk)}
    )
    reply = XtdComment.objects.get(level=1)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    assert reply.parent_id == first.pk


def test_reply_page_works_without_javascript(idea, citizen, author):
    first = post(idea, author, "Hva tenker dere?")
    response = client_for(citizen).get(
        reverse("ideas:comment_reply", kwargs={"comment_id": first.pk})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hva tenker dere?" in html
    assert f'name="parent" value="{first.pk}"' in html


def test_markdown_is_rendered_safely(idea, citizen):
    post(
        idea,
        citizen,
        '<script>alert("x")</script> [lenke](javascript:alert(1)) <img src=x onerror=alert(1)>',
    )
    html = render_comments(idea, UserFactory())
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "javascript:alert" not in html
    assert "<img" not in html
    # The author also gets the text as written, to edit it: as text in a field.
    own = render_comments(idea, citizen)
    assert "<script>alert" not in own and "<img" not in own
    assert "&lt;img src=x onerror=alert(1)&gt;</textarea>" in own


def test_rejected_form_keeps_the_text_and_says_why(idea, citizen):
    response = client_for(citizen).post(comment_url(idea), {"comment": "x" * 3001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "x" * 3001 in html
    assert "ds-error-summary" in html


def test_honeypot_refuses_the_comment(idea, citizen):
    response = client_for(citizen).post(
        comment_url(idea), {"comment": "Kjøp billig!", "website": "http://spam.example"}
    )
    assert response.status_code == 400
    assert not XtdComment.objects.exists()


def test_post_without_csrf_token_is_refused(idea, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(comment_url(idea), {"comment": "Uten token"})
    assert response.status_code == 403
    assert not XtdComment.objects.exists()


def test_the_libraries_own_post_view_cannot_bypass_the_service(idea, citizen):
    from django_comments_xtd.forms import XtdCommentForm

    form = XtdCommentForm(idea)
    data = {
        **form.initial,
        "name": "Kari",
        "email": "kari@example.no",
        "comment": "Forbi tjenesten",
        "reply_to": 0,
    }
    assert XtdCommentForm(idea, data=data).is_valid()  # the library would accept it
    # The library's own URLs are not routed: every comment goes through our service.
    response = client_for(citizen).post("/comments/post/", data)
    assert response.status_code == 404
    assert not XtdComment.objects.exists()


def test_htmx_post_returns_the_section_with_the_new_comment(idea, citizen):
    response = client_for(citizen).post(
        comment_url(idea), {"comment": "Via htmx"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<section") or 'id="comments"' in html
    assert "Via htmx" in html
    assert "Kommentaren din er publisert." in html


# --- Reply e-mails ----------------------------------------------------------------------


def test_reply_email_goes_only_to_opted_in_parent_authors(
    idea, django_capture_on_commit_callbacks, mailoutbox
):
    wants = UserFactory(email="vil@example.no", display_name="Vilde")
    does_not = UserFactory(email="vil-ikke@example.no")
    replier = UserFactory(display_name="Rune")
    opted_in = post(idea, wants, "Varsle meg", notify_replies=True)
    opted_out = post(idea, does_not, "Ikke varsle meg", notify_replies=False)

    with django_capture_on_commit_callbacks(execute=True):
        post(idea, replier, "Svar til Vilde", parent=opted_in, base_url="http://testserver/")
        post(idea, replier, "Svar til den andre", parent=opted_out)
        post(idea, wants, "Mitt eget svar", parent=opted_in)  # no mail about oneself

    assert [m.to for m in mailoutbox] == [["vil@example.no"]]
    message = mailoutbox[0]
    assert "Møteplass for eldre" in message.subject
    assert "Svar til Vilde" in message.body
    assert "Rune" in message.body
    assert f"http://testserver{idea.get_absolute_url()}#comment-" in message.body


def test_a_comment_from_the_owning_unit_is_mailed_to_author_and_followers(
    idea, author, unit_staff, other_unit_staff, django_capture_on_commit_callbacks, mailoutbox
):
    from ideas.models import Follow

    follower = UserFactory(email="folger@example.no")
    Follow.objects.create(user=follower, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        # Staff of another unit and citizens comment without notifying anyone.
        post(idea, other_unit_staff, "Vi i en annen enhet synes dette er spennende.")
        post(idea, UserFactory(), "Heia!")
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        post(
            idea, unit_staff, "Vi tar ideen med i budsjettarbeidet.", base_url="http://testserver/"
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([author.email, "folger@example.no"])
    assert all("Vi tar ideen med i budsjettarbeidet." in m.body for m in mailoutbox)
    assert all(f"http://testserver{idea.get_absolute_url()}" in m.body for m in mailoutbox)


def test_no_reply_email_before_commit(idea, django_capture_on_commit_callbacks, mailoutbox):
    parent = post(idea, UserFactory(), "Varsle meg", notify_replies=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(idea, UserFactory(), "Svar", parent=parent)
    assert mailoutbox == []
    assert callbacks  # the e-mail and the re-indexing wait for the commit


# --- Flagging ---------------------------------------------------------------------------


def test_flag_once_per_user_and_count_visible_to_staff(idea, author, unit_staff):
    comment = post(idea, author, "Kanskje upassende")
    flaggers = [UserFactory(), UserFactory()]
    for flagger in flaggers:
        response = client_for(flagger).post(
            reverse("ideas:comment_flag", kwargs={"comment_id": comment.pk})
        )
        assert response.status_code == 302
    assert comment_services.comment_flag(comment=comment, user=flaggers[0]) is False
    assert (
        CommentFlag.objects.filter(comment=comment, flag=CommentFlag.SUGGEST_REMOVAL).count() == 2
    )

    assert "Rapportert 2 ganger" in render_comments(idea, unit_staff)
    flagger_view = render_comments(idea, flaggers[0])
    assert "Rapportert 2" not in flagger_view
    assert "Du har rapportert denne kommentaren." in flagger_view
    with pytest.raises(PermissionDenied):
        comment_services.comment_flag(comment=comment, user=author)  # not one's own


def test_anonymous_cannot_flag(idea, author):
    comment = post(idea, author, "Hei")
    response = Client().post(reverse("ideas:comment_flag", kwargs={"comment_id": comment.pk}))
    assert response.status_code == 302
    assert not CommentFlag.objects.exists()


# --- Hiding -----------------------------------------------------------------------------


def test_staff_hide_removes_comment_from_page_and_count_and_reindexes(
    idea, citizen, author, unit_staff, django_capture_on_commit_callbacks, reindexed
):
    keep = post(idea, citizen, "Saklig innspill")
    bad = post(idea, citizen, "Stygg kommentar")
    post(idea, author, "Svar på den stygge", parent=bad)
    idea.refresh_from_db()
    assert idea.comment_count == 3

    reindexed.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(unit_staff).post(
            reverse("ideas:comment_hide", kwargs={"comment_id": bad.pk})
        )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.comment_count == 1  # the hidden comment and the reply to it
    assert reindexed == [("ideas.idea", idea.pk)]
    public = render_comments(idea, citizen)
    assert "Stygg kommentar" not in public and "Svar på den stygge" not in public
    assert "Saklig innspill" in public
    assert "(1)" in public
    # Moderators still see it, marked, with a way to show it again.
    staff_view = render_comments(idea, unit_staff)
    assert "Stygg kommentar" in staff_view and "Skjult for publikum" in staff_view
    assert reverse("ideas:comment_show", kwargs={"comment_id": bad.pk}) in staff_view

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_show(comment=bad, by=unit_staff)
    idea.refresh_from_db()
    assert idea.comment_count == 3
    assert "Stygg kommentar" in render_comments(idea, citizen)
    assert f'id="comment-{keep.pk}"' in render_comments(idea, citizen)


ROLES = [
    "anonymous",
    "author",
    "other_citizen",
    "unit_staff",
    "other_unit_staff",
    "other_municipality_staff",
    "admin",
]
# ideas.permissions.can_moderate_comments: staff of any unit of the idea's
# municipality, and admins.
MAY_HIDE = {"unit_staff", "other_unit_staff", "admin"}


def _other_municipality_staff():
    user = UserFactory(display_name="Hanne i Havbygd")
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    UnitFactory(name="Havbygd teknisk", municipality=havbygd).staff.add(user)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_hide_role_matrix(role, idea, author, unit_staff, other_unit_staff, admin):
    users = {
        "anonymous": None,
        "author": author,
        "other_citizen": UserFactory(),
        "unit_staff": unit_staff,
        "other_unit_staff": other_unit_staff,
        "other_municipality_staff": _other_municipality_staff(),
        "admin": admin,
    }
    comment = post(idea, UserFactory(), "Kommentar")
    user = users[role]
    assert comment_policy.can_hide(user or AnonymousUser(), idea) is (role in MAY_HIDE)
    response = client_for(user).post(
        reverse("ideas:comment_hide", kwargs={"comment_id": comment.pk})
    )
    comment.refresh_from_db()
    if role in MAY_HIDE:
        assert response.status_code == 302
        assert comment.is_public is False
    else:
        assert response.status_code in (302, 403)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 403
        assert comment.is_public is True
    html = render_comments(idea, user)
    if role in MAY_HIDE:
        assert "Vis kommentar" in html  # hidden now, with the way back
    else:
        assert "Skjul kommentar" not in html and "Vis kommentar" not in html


# --- Municipality answers ---------------------------------------------------------------


def test_comments_by_staff_of_the_owning_unit_are_the_municipalitys_answer(
    idea, citizen, unit_staff, other_unit_staff
):
    answer = post(idea, unit_staff, "Vi ser på dette.")
    other = post(idea, other_unit_staff, "Jeg jobber i en annen enhet.")
    plain = post(idea, citizen, "Flott!")
    html = render_comments(idea, None)
    marked = re.findall(r'id="comment-(\d+)" class="idea-comment idea-comment--municipality', html)
    assert marked == [str(answer.pk)]
    assert html.count("Svar fra kommunen") == 1
    assert str(other.pk) not in marked and str(plain.pk) not in marked


# --- Closing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (IdeaStatus.IMPLEMENTED, "tatt i bruk"),
        (IdeaStatus.REJECTED, "ikke tas videre"),
        (IdeaStatus.MERGED, "slått sammen"),
        (IdeaStatus.WITHDRAWN, "trukket tilbake"),
    ],
)
def test_comments_close_when_the_idea_is_concluded(status, message, unit, citizen):
    fields = {"status": status, "owning_unit": unit}
    if status == IdeaStatus.MERGED:
        fields["merged_into"] = IdeaFactory(owning_unit=unit)
    idea = IdeaFactory(**fields)
    with pytest.raises(PermissionDenied, match=message):
        post(idea, citizen, "For sent")
    html = render_comments(idea, citizen)
    assert message in html
    assert "<textarea" not in html
    if idea.is_public:  # implemented and rejected ideas still have a public page
        response = client_for(citizen).post(comment_url(idea), {"comment": "For sent"})
        assert response.status_code == 302
        assert response["Location"] == idea.get_absolute_url() + "#comments"
    assert not XtdComment.objects.exists()


@pytest.mark.parametrize(
    "status", [IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED]
)
def test_comments_are_open_while_the_idea_is_alive(status, unit, citizen):
    idea = IdeaFactory(status=status, owning_unit=unit)
    assert post(idea, citizen, "Fortsatt åpent").pk


# --- Guards in the service itself (whatever view or script calls it) ---------------------


def test_the_service_refuses_a_reply_to_a_comment_on_another_idea(idea, unit, citizen):
    other = IdeaFactory(owning_unit=unit)
    elsewhere = post(other, citizen, "På en annen idé")

    with pytest.raises(comment_services.CommentError) as refused:
        post(idea, citizen, "Svar som havner feil", parent=elsewhere)

    assert refused.value.code == "parent"
    assert "Du kan bare svare på kommentarer til denne ideen." in refused.value.messages
    assert XtdComment.objects.count() == 1
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_the_service_refuses_a_comment_longer_than_the_limit(idea, citizen):
    limit = comment_services.MAX_COMMENT_LENGTH

    with pytest.raises(comment_services.CommentError) as refused:
        post(idea, citizen, "x" * (limit + 1))

    assert refused.value.code == "max_length"
    assert not XtdComment.objects.exists()
    assert post(idea, citizen, "x" * limit).pk  # exactly the limit is fine


def test_the_service_refuses_comments_and_replies_on_a_hidden_idea(idea, citizen, unit_staff):
    from ideas.actions import idea_hide

    earlier = post(idea, citizen, "Før den ble skjult")
    idea_hide(idea=idea, by=unit_staff, reason="Personopplysninger.")

    for parent in (None, earlier):
        with pytest.raises(PermissionDenied, match="ideen er skjult"):
            post(idea, citizen, "Etter", parent=parent)
    # Not even staff: a hidden idea is out of the conversation until it is shown again.
    with pytest.raises(PermissionDenied):
        post(idea, unit_staff, "Fra kommunen")
    assert list(XtdComment.objects.values_list("pk", flat=True)) == [earlier.pk]


# --- Queries ----------------------------------------------------------------------------


def _fill(idea: Idea, n: int) -> None:
    staff = UserFactory()
    idea.owning_unit.staff.add(staff)
    parents = []
    for i in range(n):
        author = staff if i % 5 == 0 else UserFactory()
        if i % 3 == 2 and parents:
            post(idea, author, f"Svar {i}", parent=parents[-1])
        else:
            parents.append(post(idea, author, f"Kommentar {i} med **Markdown**"))
    flagger = UserFactory()
    for parent in parents[:3]:
        comment_services.comment_flag(comment=parent, user=flagger)


@pytest.mark.parametrize("viewer", ["anonymous", "citizen", "staff"])
@pytest.mark.parametrize("n", [5, 50])
def test_thread_renders_in_constant_queries(
    n, viewer, idea, unit_staff, django_assert_max_num_queries
):
    _fill(idea, n)
    user = {"anonymous": None, "citizen": UserFactory(), "staff": unit_staff}[viewer]
    if user is not None:
        user = type(user).objects.get(pk=user.pk)  # a fresh object, as in a request
    with django_assert_max_num_queries(3):
        html = render_comments(idea, user)
    assert html.count('<article id="comment-') == n
