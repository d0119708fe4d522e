"""Posting, reporting and moderating comments on ideas.

Every action is a plain form POST that redirects back to the comment on the idea page;
with htmx the comments section is re-rendered in place instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_comments_xtd.models import XtdComment

from ideas import comment_services, permissions
from ideas.comment_forms import CommentEditForm, CommentForm
from ideas.comments import comment_policy, comments_of, idea_content_type, visible_comments_of
from ideas.markdown import render_markdown
from ideas.models import Idea
from portal.ids import parse_id
from portal.ratelimit import RateLimited, check_rate_limit, client_ip

T = TypeVar("T")


def _section(request: HttpRequest, idea: Idea, *, status: int = 200, **extra: Any) -> HttpResponse:
    html = render_to_string("ideas/includes/comments.html", {"idea": idea, **extra}, request)
    return HttpResponse(html, status=status)


def _section_with_warning(
    request: HttpRequest, idea: Idea, message: str, *, status: int, **extra: Any
) -> HttpResponse:
    """The comments section (htmx) with `message`, if any, as a warning above it."""
    if message:
        extra.update(comments_status=message, comments_status_color="warning")
    return _section(request, idea, status=status, **extra)


def _done(request: HttpRequest, idea: Idea, message: str, comment_id: int) -> HttpResponse:
    """Say the action worked: in the re-rendered section (htmx), or on the idea page,
    at the comment it was about."""
    if request.htmx:
        return _section(request, idea, comments_status=message)
    messages.success(request, message)
    return _back_to(idea, comment_id)


def _back_to(idea: Idea, comment_id: int | None = None) -> HttpResponse:
    anchor = f"#comment-{comment_id}" if comment_id else "#comments"
    return redirect(idea.get_absolute_url() + anchor)


def _login_first(request: HttpRequest, idea: Idea) -> HttpResponse:
    return redirect_to_login(idea.get_absolute_url() + "#comments")


def _viewable_idea(request: HttpRequest, idea: Idea | None) -> Idea:
    """The idea, if this person may open its page; otherwise not found.

    Checked before anything else (the login redirect included): what a comment
    endpoint answers shows the idea's discussion, which is only for those who may see
    the idea itself. Comment ids are sequential, so anything less lets anyone read.
    """
    if idea is None or not permissions.can_view(request.user, idea):
        raise Http404
    return idea


def _comment_and_idea(request: HttpRequest, comment_id: int) -> tuple[XtdComment, Idea]:
    comment = get_object_or_404(
        XtdComment.objects.filter(content_type=idea_content_type()), pk=comment_id
    )
    idea = _viewable_idea(request, Idea.objects.filter(pk=int(comment.object_pk)).first())
    return comment, idea


def _form_page(
    request: HttpRequest,
    idea: Idea,
    form: CommentForm,
    *,
    parent: XtdComment | None = None,
    status: int = 200,
    message: str = "",
) -> HttpResponse:
    context = {
        "idea": idea,
        "form": form,
        "parent": parent,
        "parent_html": render_markdown(parent.comment) if parent is not None else "",
        "message": message,
    }
    return render(request, "ideas/comments/form_page.html", context, status=status)


class _Rejected(Exception):
    """What the person sent was not taken: show the form again, with what they typed."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _write_from_form(
    request: HttpRequest, form: CommentForm | CommentEditForm, write: Callable[[dict], T]
) -> T:
    """Rate-limit, validate, then `write(form.cleaned_data)`; the same for a new comment
    and an edit, since an edit publishes text as a post does.

    Raises `_Rejected` (the form then carries the service's objection as a field
    error); a `PermissionDenied` from the service is the caller's to answer.
    """
    try:
        check_rate_limit(request, "comment")
    except RateLimited as error:
        raise _Rejected(429, error.message) from error
    if not form.is_valid():
        raise _Rejected(400)
    try:
        return write(form.cleaned_data)
    except comment_services.CommentError as error:
        form.add_error("comment", error)
        raise _Rejected(400) from error


def _parent_from(request: HttpRequest, idea: Idea) -> XtdComment | None:
    """The comment a reply answers, as the form names it; None for a new comment.

    Not found unless it is a comment on this idea (which one may be answered is the
    service's to judge, with the idea locked).
    """
    raw_parent = request.POST.get("parent") or ""
    if not raw_parent:
        return None
    parent_id = parse_id(raw_parent)
    parent = comments_of(idea).filter(pk=parent_id).first() if parent_id is not None else None
    if parent is None:
        raise Http404
    return parent


def _known_ip(request: HttpRequest) -> str | None:
    ip_address = client_ip(request)
    return ip_address if ip_address != "unknown" else None


@require_POST
def comment_post(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _viewable_idea(request, Idea.objects.filter(reference=reference).first())
    if not request.user.is_authenticated:
        return _login_first(request, idea)

    parent = _parent_from(request, idea)
    form = CommentForm(request.POST, parent_id=parent.pk if parent is not None else None)
    try:
        comment = _write_from_form(
            request,
            form,
            lambda data: comment_services.comment_post(
                idea=idea,
                author=request.user,
                text=data["comment"],
                parent=parent,
                notify_replies=data["notify_replies"],
                ip_address=_known_ip(request),
            ),
        )
    except _Rejected as rejected:
        if request.htmx:
            form_context = "reply_form" if parent is not None else "comment_form"
            return _section_with_warning(
                request, idea, rejected.message, status=rejected.status, **{form_context: form}
            )
        return _form_page(
            request, idea, form, parent=parent, status=rejected.status, message=rejected.message
        )
    except PermissionDenied as error:
        if request.htmx:
            return _section(request, idea, status=403)
        messages.error(request, str(error))
        return _back_to(idea)

    done = _("Your reply is published.") if parent else _("Your comment is published.")
    return _done(request, idea, done, comment.pk)


@require_GET
def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A page with one reply form, for links and for browsers without <details>."""
    comment, idea = _comment_and_idea(request, comment_id)
    if not idea.is_public or comment.level != 0 or not comment.is_public or comment.is_removed:
        raise Http404
    if not request.user.is_authenticated:
        return _login_first(request, idea)
    return _form_page(request, idea, CommentForm(parent_id=comment.pk), parent=comment)


@require_POST
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, idea = _comment_and_idea(request, comment_id)
    if not request.user.is_authenticated:
        return _login_first(request, idea)
    try:
        check_rate_limit(request, "comment_flag")
    except RateLimited as error:
        if request.htmx:
            return _section_with_warning(request, idea, error.message, status=429)
        return render(request, "portal/rate_limited.html", {"message": error.message}, status=429)
    created = comment_services.comment_flag(comment=comment, user=request.user)
    if created:
        done = _("Thank you. The moderators will look at the comment.")
    else:
        done = _("You had already reported this comment.")
    return _done(request, idea, done, comment.pk)


def _moderate(request: HttpRequest, comment_id: int, *, public: bool) -> HttpResponse:
    comment, idea = _comment_and_idea(request, comment_id)
    if not request.user.is_authenticated:
        return _login_first(request, idea)
    service = comment_services.comment_show if public else comment_services.comment_hide
    service(comment=comment, by=request.user)  # PermissionDenied -> 403
    done = (
        _("The comment is shown again.") if public else _("The comment is hidden from the public.")
    )
    return _done(request, idea, done, comment.pk)


@require_POST
def comment_hide(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, public=False)


@require_POST
def comment_show(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, public=True)


# --- The author's own comment ----------------------------------------------------------


def _edit_page(
    request: HttpRequest,
    idea: Idea,
    form: CommentEditForm,
    *,
    status: int = 200,
    message: str = "",
) -> HttpResponse:
    context = {"idea": idea, "form": form, "message": message}
    return render(request, "ideas/comments/edit_page.html", context, status=status)


def _refused(request: HttpRequest, idea: Idea, comment: XtdComment, message: str) -> HttpResponse:
    """The author may not (any more) do this to their comment: say why, where they were."""
    if request.htmx:
        return _section_with_warning(request, idea, message, status=403)
    messages.error(request, message)
    return _back_to(idea, comment.pk)


def _not_yours(request: HttpRequest, idea: Idea, message: str) -> HttpResponse:
    if request.htmx:
        return _section_with_warning(request, idea, message, status=403)
    raise PermissionDenied(message)


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Edit one's own comment: a page of its own, or (htmx) the form under the comment.

    Others, staff included, are refused: moderators hide comments, they never put
    words in someone's mouth.
    """
    comment, idea = _comment_and_idea(request, comment_id)
    if not request.user.is_authenticated:
        return _login_first(request, idea)
    if not comment_policy.is_own(request.user, comment):
        return _not_yours(request, idea, _("You can only edit your own comments."))
    if request.method == "GET":
        refusal = comment_policy.why_not_edit(request.user, comment, idea)
        if refusal:
            return _refused(request, idea, comment, refusal)
        form = CommentEditForm(comment_id=comment.pk, initial={"comment": comment.comment})
        return _edit_page(request, idea, form)

    form = CommentEditForm(request.POST, comment_id=comment.pk)
    try:
        _write_from_form(
            request,
            form,
            lambda data: comment_services.comment_edit(
                comment=comment, author=request.user, text=data["comment"]
            ),
        )
    except _Rejected as rejected:
        if request.htmx:
            return _section_with_warning(
                request, idea, rejected.message, status=rejected.status, edit_form=form
            )
        return _edit_page(request, idea, form, status=rejected.status, message=rejected.message)
    except PermissionDenied as error:
        return _refused(request, idea, comment, str(error))
    return _done(request, idea, _("Your comment is updated."), comment.pk)


@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Delete one's own comment (the form asks first, inside a disclosure)."""
    comment, idea = _comment_and_idea(request, comment_id)
    if not request.user.is_authenticated:
        return _login_first(request, idea)
    if not comment_policy.is_own(request.user, comment):
        return _not_yours(request, idea, _("You can only delete your own comments."))
    try:
        comment_services.comment_delete(comment=comment, author=request.user)
    except PermissionDenied as error:
        return _refused(request, idea, comment, str(error))
    done = _("Your comment is deleted.")
    # Not `_done`: where the page lands costs a query that only the full page needs.
    if request.htmx:
        return _section(request, idea, comments_status=done)
    messages.success(request, done)
    return _back_to(idea, _place_after_delete(idea, comment))


def _place_after_delete(idea: Idea, comment: XtdComment) -> int | None:
    """The deleted comment's place if its replies keep it on the page (a first comment
    with visible replies, under a placeholder); None for the comments as a whole."""
    if comment.level != 0:
        return None
    still_shown = (
        visible_comments_of(idea).filter(thread_id=comment.thread_id, level__gt=0).exists()
    )
    return comment.pk if still_shown else None
