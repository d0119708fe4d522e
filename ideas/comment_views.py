"""Posting, reporting and moderating comments on ideas.

Every action is a plain form POST that redirects back to the comment on the idea page;
with htmx the comments section is re-rendered in place instead.
"""

from __future__ import annotations

from typing import Any

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


def _section(request: HttpRequest, idea: Idea, *, status: int = 200, **extra: Any) -> HttpResponse:
    html = render_to_string("ideas/includes/comments.html", {"idea": idea, **extra}, request)
    return HttpResponse(html, status=status)


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


@require_POST
def comment_post(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _viewable_idea(request, Idea.objects.filter(reference=reference).first())
    if not request.user.is_authenticated:
        return _login_first(request, idea)

    parent_id = None
    parent = None
    raw_parent = request.POST.get("parent") or ""
    if raw_parent:
        parent_id = parse_id(raw_parent)
        if parent_id is None:
            raise Http404
        parent = comments_of(idea).filter(pk=parent_id).first()
        if parent is None:
            raise Http404
    form = CommentForm(request.POST, parent_id=parent_id)
    form_context = "reply_form" if parent is not None else "comment_form"

    def rejected(*, status: int, message: str = "") -> HttpResponse:
        if request.htmx:
            extra = {form_context: form}
            if message:
                extra.update(comments_status=message, comments_status_color="warning")
            return _section(request, idea, status=status, **extra)
        return _form_page(request, idea, form, parent=parent, status=status, message=message)

    try:
        check_rate_limit(request, "comment")
    except RateLimited as error:
        return rejected(status=429, message=error.message)
    if not form.is_valid():
        return rejected(status=400)
    try:
        comment = comment_services.comment_post(
            idea=idea,
            author=request.user,
            text=form.cleaned_data["comment"],
            parent=parent,
            notify_replies=form.cleaned_data["notify_replies"],
            ip_address=client_ip(request) if client_ip(request) != "unknown" else None,
        )
    except comment_services.CommentError as error:
        form.add_error("comment", error)
        return rejected(status=400)
    except PermissionDenied as error:
        if request.htmx:
            return _section(request, idea, status=403)
        messages.error(request, str(error))
        return _back_to(idea)

    done = _("Your reply is published.") if parent else _("Your comment is published.")
    if request.htmx:
        return _section(request, idea, comments_status=done)
    messages.success(request, done)
    return _back_to(idea, comment.pk)


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
            return _section(
                request,
                idea,
                status=429,
                comments_status=error.message,
                comments_status_color="warning",
            )
        return render(request, "portal/rate_limited.html", {"message": error.message}, status=429)
    created = comment_services.comment_flag(comment=comment, user=request.user)
    if created:
        done = _("Thank you. The moderators will look at the comment.")
    else:
        done = _("You had already reported this comment.")
    if request.htmx:
        return _section(request, idea, comments_status=done)
    messages.success(request, done)
    return _back_to(idea, comment.pk)


def _moderate(request: HttpRequest, comment_id: int, *, public: bool) -> HttpResponse:
    comment, idea = _comment_and_idea(request, comment_id)
    if not request.user.is_authenticated:
        return _login_first(request, idea)
    service = comment_services.comment_show if public else comment_services.comment_hide
    service(comment=comment, by=request.user)  # PermissionDenied -> 403
    done = (
        _("The comment is shown again.") if public else _("The comment is hidden from the public.")
    )
    if request.htmx:
        return _section(request, idea, comments_status=done)
    messages.success(request, done)
    return _back_to(idea, comment.pk)


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
        return _section(
            request, idea, status=403, comments_status=message, comments_status_color="warning"
        )
    messages.error(request, message)
    return _back_to(idea, comment.pk)


def _not_yours(request: HttpRequest, idea: Idea, message: str) -> HttpResponse:
    if request.htmx:
        return _section(
            request, idea, status=403, comments_status=message, comments_status_color="warning"
        )
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

    def rejected(*, status: int, message: str = "") -> HttpResponse:
        if request.htmx:
            extra: dict[str, Any] = {"edit_form": form}
            if message:
                extra.update(comments_status=message, comments_status_color="warning")
            return _section(request, idea, status=status, **extra)
        return _edit_page(request, idea, form, status=status, message=message)

    try:
        check_rate_limit(request, "comment")  # an edit publishes text, as a post does
    except RateLimited as error:
        return rejected(status=429, message=error.message)
    if not form.is_valid():
        return rejected(status=400)
    try:
        comment_services.comment_edit(
            comment=comment, author=request.user, text=form.cleaned_data["comment"]
        )
    except comment_services.CommentError as error:
        form.add_error("comment", error)
        return rejected(status=400)
    except PermissionDenied as error:
        return _refused(request, idea, comment, str(error))

    done = _("Your comment is updated.")
    if request.htmx:
        return _section(request, idea, comments_status=done)
    messages.success(request, done)
    return _back_to(idea, comment.pk)


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
    if request.htmx:
        return _section(request, idea, comments_status=done)
    messages.success(request, done)
    # The comment's place, if its replies keep it on the page; the comments otherwise.
    still_shown = (
        visible_comments_of(idea).filter(thread_id=comment.thread_id, level__gt=0).exists()
    )
    return _back_to(idea, comment.pk if comment.level == 0 and still_shown else None)
