"""Writing comments on ideas: post, edit, delete, flag, hide, show.

Each service runs in one transaction with the idea's row locked, keeps
`Idea.comment_count` equal to the number of publicly visible comments, and queues its
side effects (reply e-mail, search re-indexing) to run after commit.

Comment rows are changed with a queryset update, never `save()`: django-comments-xtd's
pre_save handler would copy the comment's visibility to every reply (showing replies
hidden on their own, or hiding the replies of a deleted comment). The update goes
through `portal.invalidation.InvalidatingQuerySet`, so the registry hears of it as of a
save: cached pages and the count follow by construction, not by each service
remembering.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from ideas import counts, permissions
from ideas.comments import comment_policy, idea_content_type
from ideas.models import CommentRevision, Idea
from ideas.notifications import notify_idea_audience
from ideas.permissions import is_unit_staff
from portal import invalidation
from portal.absolute_urls import base_url as portal_base_url
from portal.emails import queue_email
from portal.models import User

MAX_COMMENT_LENGTH = 3000


class CommentError(ValidationError):
    """A comment that cannot be posted, with a message to show the person."""


def _lock_idea(idea: Idea) -> Idea:
    return Idea.objects.select_for_update().get(pk=idea.pk)


def _update_count(idea: Idea) -> None:
    idea.comment_count = counts.recount_comments(idea.pk)


def _update_comment(target: XtdComment, /, **values) -> None:
    """Write `values` to the comment's row (see the module's docstring for why so)."""
    invalidation.InvalidatingQuerySet(model=XtdComment).filter(pk=target.pk).update(**values)
    for name, value in values.items():
        setattr(target, name, value)


def _idea_of(comment: XtdComment) -> Idea:
    """The idea `comment` is on, locked; and the comment as it is now, under that lock."""
    idea = _lock_idea(Idea.objects.get(pk=int(comment.object_pk)))
    comment.refresh_from_db()
    return idea


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CommentError(_("Write a comment before sending."), code="required")
    if len(text) > MAX_COMMENT_LENGTH:
        raise CommentError(
            _("The comment is too long: at most %(max)d characters.") % {"max": MAX_COMMENT_LENGTH},
            code="max_length",
        )
    return text


def comment_url(comment: XtdComment, *, idea: Idea, base_url: str = "") -> str:
    return f"{base_url.rstrip('/')}{idea.get_absolute_url()}#comment-{comment.pk}"


@transaction.atomic
def comment_post(
    *,
    idea: Idea,
    author: User,
    text: str,
    parent: XtdComment | None = None,
    notify_replies: bool = False,
    ip_address: str | None = None,
    base_url: str = "",
) -> XtdComment:
    """Publish a comment, or a reply to `parent`, on `idea`.

    Preconditions: `author` is logged in and active, the idea is open for comments
    (not concluded, not hidden), and `parent`, if given, is a visible first-level
    comment on the same idea. Raises `PermissionDenied` for the first two and
    `CommentError` for the rest. If the parent's author asked to hear about replies,
    they get an e-mail after commit (never about their own replies).
    """
    base_url = base_url or portal_base_url()  # e-mails link to the public address
    idea = _lock_idea(idea)
    _check_may_post(author, idea)
    text = _clean_text(text)
    if parent is not None:
        _check_may_reply_to(parent, idea)

    comment = XtdComment(
        content_type=idea_content_type(),
        object_pk=str(idea.pk),
        site_id=settings.SITE_ID,
        user=author,
        user_name=author.public_name[:50],
        user_email=author.email,
        comment=text,
        submit_date=timezone.now(),
        ip_address=ip_address,
        is_public=True,
        parent_id=parent.pk if parent is not None else 0,
        followup=notify_replies,
    )
    comment.save()
    _update_count(idea)
    invalidation.reindex(idea)

    if parent is not None and _wants_reply_email(parent, author):
        _email_reply(parent=parent, reply=comment, idea=idea, base_url=base_url)
    # A comment from the owning unit is the municipality's answer: the author and the
    # followers hear about it, as they do about an answer posted from triage.
    if idea.owning_unit_id is not None and is_unit_staff(author, idea.owning_unit):
        notify_idea_audience(
            idea,
            template="ideas/emails/answer",
            context={
                "event": {"public_text": text},
                "base_url": base_url.rstrip("/"),
            },
            exclude=author,
        )
    return comment


def _check_may_post(author: User, idea: Idea) -> None:
    """`PermissionDenied`, saying why, unless `author` may comment on the (locked) idea."""
    if comment_policy.can_post(author, idea):
        return
    if not author.is_authenticated:
        raise PermissionDenied(_("Log in to comment."))
    raise PermissionDenied(comment_policy.closed_message(idea))


def _check_may_reply_to(parent: XtdComment, idea: Idea) -> None:
    """`CommentError` unless `parent` is a visible first comment on this idea.

    The form names its parent by id, so any comment could be sent; replies are one
    level deep (django-comments-xtd's `allow_thread`, set by COMMENTS_XTD_MAX_THREAD_LEVEL).
    """
    if parent.content_type_id != idea_content_type().pk or parent.object_pk != str(idea.pk):
        raise CommentError(_("You can only reply to comments on this idea."), code="parent")
    if not parent.is_public or parent.is_removed:
        raise CommentError(_("This comment can no longer be replied to."), code="parent")
    if not parent.allow_thread():
        raise CommentError(
            _("Replies can only be made to a comment, not to another reply."),
            code="thread_level",
        )


def _wants_reply_email(parent: XtdComment, author: User) -> bool:
    """Whether the parent's author asked to hear of replies and can hear of this one:
    never of their own replies, and not once their account is gone or deactivated."""
    return bool(
        parent.followup
        and parent.user_id is not None
        and parent.user_id != author.pk
        and parent.user.is_active
    )


def _email_reply(*, parent: XtdComment, reply: XtdComment, idea: Idea, base_url: str) -> None:
    """Queue the e-mail telling the parent's author of `reply` (sent after commit)."""
    queue_email(
        template="ideas/emails/comment_reply",
        context={
            "idea": idea,
            "parent": parent,
            "reply": reply,
            "recipient": parent.user,
            "url": comment_url(reply, idea=idea, base_url=base_url),
            "idea_url": base_url.rstrip("/") + idea.get_absolute_url(),
        },
        to=[parent.user.email],
    )


@transaction.atomic
def comment_edit(*, comment: XtdComment, author: User, text: str) -> XtdComment:
    """Change the text of `author`'s own comment; returns it as it is now.

    Preconditions (`PermissionDenied` otherwise): `author` wrote the comment and may
    still see the idea, the comment is neither deleted nor hidden by the moderators,
    the idea is open for comments, and PORTAL_COMMENT_EDIT_MINUTES have not passed
    since it was posted. An empty or too long text is a `CommentError`. The text as it
    was is kept as a `CommentRevision` (the page then says "edited"); the same text
    again changes nothing. Nobody is e-mailed: the reply and answer e-mails went out
    when the comment was posted, and a correction is not news.
    """
    idea = _idea_of(comment)
    if not permissions.can_view(author, idea):
        raise PermissionDenied(_("You can only edit your own comments."))
    refusal = comment_policy.why_not_edit(author, comment, idea)
    if refusal:
        raise PermissionDenied(refusal)
    text = _clean_text(text)
    if text == comment.comment:
        return comment
    CommentRevision.objects.create(
        comment=comment, kind=CommentRevision.Kind.EDITED, previous_text=comment.comment
    )
    _update_comment(comment, comment=text)
    _update_count(idea)
    invalidation.reindex(idea)
    return comment


@transaction.atomic
def comment_delete(*, comment: XtdComment, author: User) -> XtdComment:
    """Delete `author`'s own comment: its text leaves every page, its replies stay.

    Preconditions (`PermissionDenied` otherwise): `author` wrote the comment, may still
    see the idea, and the comment is not deleted already. Allowed at any time, also
    once comments have closed. The row stays, marked `is_removed` with its text
    emptied, so the replies keep their place under a "Comment deleted" placeholder;
    the text is kept only as a `CommentRevision`, for the moderators. The comment is
    no longer counted or searchable, and its author hears of no more replies.
    """
    idea = _idea_of(comment)
    if not permissions.can_view(author, idea) or not comment_policy.is_own(author, comment):
        raise PermissionDenied(_("You can only delete your own comments."))
    if not comment_policy.can_delete(author, comment):
        raise PermissionDenied(_("This comment has been deleted."))
    CommentRevision.objects.create(
        comment=comment, kind=CommentRevision.Kind.DELETED, previous_text=comment.comment
    )
    _update_comment(comment, is_removed=True, comment="", followup=False)
    _update_count(idea)
    invalidation.reindex(idea)
    return comment


def comment_flag(*, comment: XtdComment, user: User) -> bool:
    """Report a comment to the moderators. Returns False if `user` had already done so.

    The unique (user, comment, flag) constraint of django-contrib-comments makes a
    second report from the same person a no-op, even when two arrive at once.
    """
    if not comment_policy.can_flag(user, comment):
        raise PermissionDenied(_("You cannot report this comment."))
    try:
        with transaction.atomic():
            _flag, created = CommentFlag.objects.get_or_create(
                comment=comment, user=user, flag=CommentFlag.SUGGEST_REMOVAL
            )
    except IntegrityError:
        return False
    return created


def _set_visibility(*, comment: XtdComment, by: User, public: bool) -> XtdComment:
    idea = Idea.objects.get(pk=int(comment.object_pk))
    if not comment_policy.can_hide(by, idea):
        raise PermissionDenied(_("Only moderators can hide or show comments."))
    idea = _lock_idea(idea)
    # Not save(): showing a comment again must not show replies hidden on their own.
    _update_comment(comment, is_public=public)
    CommentFlag.objects.update_or_create(
        comment=comment,
        user=by,
        flag=CommentFlag.MODERATOR_APPROVAL if public else CommentFlag.MODERATOR_DELETION,
        defaults={"flag_date": timezone.now()},
    )
    _update_count(idea)
    invalidation.reindex(idea)
    return comment


@transaction.atomic
def comment_hide(*, comment: XtdComment, by: User) -> XtdComment:
    """Hide a comment (and, for the public, its replies). Moderators only."""
    return _set_visibility(comment=comment, by=by, public=False)


@transaction.atomic
def comment_show(*, comment: XtdComment, by: User) -> XtdComment:
    """Show a hidden comment again. Moderators only."""
    return _set_visibility(comment=comment, by=by, public=True)


def comments_anonymise_author(*, author: User) -> int:
    """Remove a person's name and address from their comments; before the account goes.

    Django unlinks the comments of a deleted account (SET_NULL) but would keep the
    name they were written under; the idea page then shows "Deleted participant", as
    Decidim does. The text stays, so the conversation still reads. Returns how many.
    """
    return XtdComment.objects.filter(user=author).update(user_name="", user_email="", user_url="")
