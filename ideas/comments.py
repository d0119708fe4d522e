"""Comments on ideas: the policy (a django-comments-xtd moderator) and the reads.

Writes go through `ideas.comment_services`. The policy lives here so the services, the
views, the templates and django-comments-xtd's own signal path all ask the same object.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_comments.models import Comment, CommentFlag
from django_comments.moderation import AlreadyModerated
from django_comments_xtd.models import TmpXtdComment, XtdComment
from django_comments_xtd.moderation import XtdCommentModerator, moderator

from ideas.fragments import FRAGMENT_CACHE, FRAGMENT_TTL_SECONDS, content_digest
from ideas.markdown import render_markdown
from ideas.models import CommentRevision, Idea, IdeaStatus
from ideas.permissions import AnyUser, can_moderate_comments
from portal.models import Unit, User

# Once an idea has reached one of these, the conversation is over; what was said stays.
CONCLUDED_STATUSES = (
    IdeaStatus.IMPLEMENTED,
    IdeaStatus.REJECTED,
    IdeaStatus.MERGED,
    IdeaStatus.WITHDRAWN,
)


class IdeaCommentModerator(XtdCommentModerator):
    """Who may comment on an idea, and when.

    Comments are published at once (no pre-moderation); staff hide them afterwards.
    """

    email_notification = False
    enable_field = None
    auto_close_field = None
    auto_moderate_field = None

    @staticmethod
    def comments_open(idea: Idea) -> bool:
        return idea.status not in CONCLUDED_STATUSES and not idea.is_hidden

    @staticmethod
    def closed_message(idea: Idea) -> str:
        """Why nobody can comment any more, in words for the idea page."""
        if idea.is_hidden:
            return _("Comments are closed because this idea has been hidden.")
        if idea.status == IdeaStatus.IMPLEMENTED:
            return _("This idea has been put into use, so comments are closed.")
        if idea.status == IdeaStatus.REJECTED:
            return _("This idea will not be taken forward, so comments are closed.")
        if idea.status == IdeaStatus.MERGED:
            return _("This idea has been merged with another idea. Comment there instead.")
        return _("The author has withdrawn this idea, so comments are closed.")

    def can_post(self, user: AnyUser, idea: Idea) -> bool:
        return bool(user.is_authenticated and user.is_active and self.comments_open(idea))

    def can_flag(self, user: AnyUser, comment: XtdComment) -> bool:
        return bool(
            user.is_authenticated
            and user.is_active
            and comment.user_id != user.pk
            and not comment.is_removed  # nothing is left to report
        )

    @staticmethod
    def edit_window() -> timedelta:
        return timedelta(minutes=settings.PORTAL_COMMENT_EDIT_MINUTES)

    def edit_deadline(self, comment: XtdComment) -> datetime:
        return comment.submit_date + self.edit_window()

    def is_own(self, user: AnyUser, comment: XtdComment) -> bool:
        return bool(user.is_authenticated and user.is_active and comment.user_id == user.pk)

    def can_edit(self, user: AnyUser, comment: XtdComment, idea: Idea) -> bool:
        return not self.why_not_edit(user, comment, idea)

    def why_not_edit(self, user: AnyUser, comment: XtdComment, idea: Idea) -> str:
        """Why `user` may not edit `comment` now, in words; "" if they may.

        Authors may correct their comment for a while, as long as comments are open.
        Only for a while: once others have read and answered it, a changed comment
        would change what the answers answer. A comment the moderators hid stays as
        they judged it.
        """
        if not self.is_own(user, comment):
            return _("You can only edit your own comments.")
        if comment.is_removed:
            return _("This comment has been deleted.")
        if not self.comments_open(idea):
            return self.closed_message(idea)
        if not comment.is_public:
            return _("The moderators have hidden this comment.")
        if timezone.now() >= self.edit_deadline(comment):
            return _(
                "A comment can only be edited for %(minutes)d minutes after it was posted."
            ) % {"minutes": settings.PORTAL_COMMENT_EDIT_MINUTES}
        return ""

    def can_delete(self, user: AnyUser, comment: XtdComment) -> bool:
        """Authors may delete their own comment at any time, even once comments close:
        taking back one's own words is never the discussion's to refuse."""
        return self.is_own(user, comment) and not comment.is_removed

    def can_hide(self, user: AnyUser) -> bool:
        return can_moderate_comments(user)

    def allow(self, comment, content_object, request) -> bool:
        # django-comments-xtd's generic post view builds a TmpXtdComment and would save
        # it without our service: no comment count, no reply e-mail, no rate limit. Only
        # `ideas.comment_services.comment_post` may create comments on ideas.
        if isinstance(comment, TmpXtdComment):
            return False
        return self.can_post(comment.user, content_object)

    def moderate(self, comment, content_object, request) -> bool:
        return False


def _register() -> IdeaCommentModerator:
    with contextlib.suppress(AlreadyModerated):
        moderator.register(Idea, IdeaCommentModerator)
    return moderator._registry[Idea]


comment_policy: IdeaCommentModerator = _register()


# --- Reads -----------------------------------------------------------------------------


def idea_content_type() -> ContentType:
    return ContentType.objects.get_for_model(Idea)  # cached by ContentType's manager


def comments_of(idea: Idea) -> QuerySet[XtdComment]:
    """Every comment on the idea, hidden or not, in thread order."""
    return XtdComment.objects.filter(
        content_type=idea_content_type(), object_pk=str(idea.pk)
    ).order_by("thread_id", "order")


def visible_comments_of(idea: Idea) -> QuerySet[XtdComment]:
    """What the public reads (and counts): public comments, not deleted, whose thread's
    first comment is public too.

    Hiding a comment (moderators) hides its replies from the public as well, without
    touching them. Deleting one (its author) does not: the replies stay, under a
    "Comment deleted" placeholder that `comment_thread` shows and nobody counts.
    """
    all_comments = comments_of(idea)
    hidden_roots = all_comments.filter(level=0, is_public=False)
    return all_comments.filter(is_public=True, is_removed=False).exclude(
        thread_id__in=hidden_roots.values("pk")
    )


def visible_comment_count(idea: Idea) -> int:
    return visible_comments_of(idea).count()


@dataclass(frozen=True)
class EarlierText:
    """What a comment said before one of its author's edits, and when it changed."""

    text: str
    changed_at: datetime


@dataclass
class ShownComment:
    """One comment as the idea page shows it: only the values the page renders."""

    pk: int
    thread_id: int
    level: int
    user_id: int | None
    user_name: str  # the name given when the comment was written
    text: str
    submit_date: datetime
    is_hidden: bool
    is_municipality_answer: bool
    is_deleted: bool = False  # deleted by its author: a placeholder, without name or text
    edited_at: datetime | None = None  # the author's latest edit
    flagged_by_me: bool = False
    flag_count: int = 0  # only counted for moderators
    # The author's account as it is now: (display name, first name, last name).
    account_names: tuple[str, str, str] | None = None
    # For moderators only: what the comment said before each of its author's edits.
    earlier_texts: tuple[EarlierText, ...] = ()

    @cached_property
    def author_name(self) -> str:
        """The author's public name now; "Deleted participant" once the account is gone.

        Comments are only written by people logged in, so a comment without an account
        is one whose author deleted it (see `comment_services.comments_anonymise_author`).
        A deleted comment names nobody: "Comment deleted" stands in the name's place.
        """
        if self.is_deleted:
            return _("Comment deleted")
        if self.account_names is None:
            return _("Deleted participant")
        display_name, first_name, last_name = self.account_names
        return User(
            display_name=display_name, first_name=first_name, last_name=last_name
        ).public_name

    @property
    def is_counted(self) -> bool:
        """Counted in "Comments (n)" (see `visible_comments_of`)."""
        return not self.is_hidden and not self.is_deleted

    @cached_property
    def rendered(self) -> SafeString:
        return render_markdown(self.text)

    @property
    def shown_values(self) -> tuple:
        """Everything the comment's header and body show, and nothing personal."""
        return (
            self.pk,
            self.user_name,
            self.account_names,
            self.submit_date,
            self.text,
            self.is_hidden,
            self.is_municipality_answer,
            self.flag_count,
            self.is_deleted,
            self.edited_at,
        )

    @cached_property
    def digest(self) -> str:
        """Names the comment's rendered header and body (see ideas.fragments)."""
        return content_digest(*self.shown_values)


@dataclass
class CommentNode:
    comment: ShownComment
    replies: list[ShownComment] = field(default_factory=list)


def _thread_sql() -> str:
    """The one statement behind `comment_thread`, in the comment tables' own names."""
    quote = connection.ops.quote_name
    staff = Unit.staff.through._meta
    return f"""
        SELECT c.id, x.thread_id, x.level, c.user_id, c.user_name, c.comment, c.submit_date,
               c.is_public, c.is_removed, u.display_name, u.first_name, u.last_name,
               EXISTS (SELECT 1 FROM {quote(staff.db_table)} s
                       JOIN {quote(Unit._meta.db_table)} su ON su.id = s.unit_id AND su.is_active
                       WHERE s.unit_id = %s AND s.user_id = c.user_id),
               EXISTS (SELECT 1 FROM {quote(CommentFlag._meta.db_table)} f
                       WHERE f.comment_id = c.id AND f.flag = %s AND f.user_id = %s),
               (SELECT COUNT(*) FROM {quote(CommentFlag._meta.db_table)} f
                WHERE f.comment_id = c.id AND f.flag = %s),
               (SELECT MAX(r.created_at) FROM {quote(CommentRevision._meta.db_table)} r
                WHERE r.comment_id = c.id AND r.kind = %s)
        FROM {quote(XtdComment._meta.db_table)} x
        JOIN {quote(Comment._meta.db_table)} c ON c.id = x.comment_ptr_id
        LEFT JOIN {quote(User._meta.db_table)} u ON u.id = c.user_id
        WHERE c.content_type_id = %s AND c.object_pk = %s
        ORDER BY x.thread_id, x.{quote("order")}
    """


def comment_thread(idea: Idea, user: AnyUser) -> list[CommentNode]:
    """The comments to show `user` on the idea page, as first comments with replies.

    One query whatever the number of comments (plus, once per request, the user's units
    for the moderator check) reads each comment with its author's name, whether the
    author is staff of the owning unit, whether this user reported it, how often it
    was reported and when its author last edited it. Moderators also see hidden and
    deleted comments, so they can show them again and know what happened; everyone
    else sees what `visible_comments_of` selects, applied to the rows read, plus a
    placeholder for each deleted first comment that still has replies to show (they
    would read as answers to nothing without it). A deleted comment with nothing
    under it is simply gone, as if never written: a bare "deleted" tells nobody
    anything. Its name and text are never read into the page, for anyone.

    The statement is written out rather than built with the ORM: on the busiest page,
    composing it from the comment models (two tables, three subqueries) cost several
    times what the database needs to run it.
    """
    is_moderator = comment_policy.can_hide(user)
    comments = [_shown_comment(row, is_moderator=is_moderator) for row in _thread_rows(idea, user)]
    if is_moderator:
        _add_earlier_texts(comments)
        return _as_threads(comments)
    nodes = _as_threads(comment for comment in comments if _shown_to_everyone(comment))
    return [node for node in nodes if not node.comment.is_deleted or node.replies]


class _ThreadRow(NamedTuple):
    """One row of `_thread_sql`, its columns in the statement's order."""

    pk: int
    thread_id: int
    level: int
    user_id: int | None
    user_name: str
    text: str
    submit_date: datetime | str
    is_public: bool
    is_removed: bool
    display_name: str | None
    first_name: str | None
    last_name: str | None
    is_municipality_answer: bool
    flagged_by_me: bool
    flag_count: int
    edited_at: datetime | str | None


def _thread_rows(idea: Idea, user: AnyUser) -> list[_ThreadRow]:
    """The rows of `_thread_sql` for the idea's comments, as seen by `user`."""
    removal = CommentFlag.SUGGEST_REMOVAL
    viewer_id = user.pk if user.is_authenticated else None
    with connection.cursor() as cursor:
        cursor.execute(
            _thread_sql(),
            [idea.owning_unit_id, removal, viewer_id, removal, CommentRevision.Kind.EDITED]
            + [idea_content_type().pk, str(idea.pk)],
        )
        return [_ThreadRow._make(row) for row in cursor.fetchall()]


def _shown_comment(row: _ThreadRow, *, is_moderator: bool) -> ShownComment:
    """One row of `_thread_sql` as the page shows it.

    A deleted comment keeps its place in the thread, not its words or its author: its
    name, text, account and edit time are dropped here, before anything renders them.
    How often a comment was reported is for the moderators' eyes only.
    """
    deleted = bool(row.is_removed)
    return ShownComment(
        pk=row.pk,
        thread_id=row.thread_id,
        level=row.level,
        user_id=row.user_id,
        user_name="" if deleted else row.user_name,
        text="" if deleted else row.text,
        submit_date=_aware(row.submit_date),
        is_hidden=not row.is_public,
        is_municipality_answer=bool(row.is_municipality_answer) and not deleted,
        is_deleted=deleted,
        edited_at=None if deleted or row.edited_at is None else _aware(row.edited_at),
        flagged_by_me=bool(row.flagged_by_me),
        flag_count=row.flag_count if is_moderator else 0,
        account_names=(
            None
            if deleted or row.user_id is None
            else (row.display_name, row.first_name, row.last_name)
        ),
    )


def _add_earlier_texts(comments: list[ShownComment]) -> None:
    """Give each edited comment what it said before, for the moderators: a comment
    reported and then edited can still be judged on what was reported. One query, and
    none when nothing was edited. A deleted comment's words stay out of the page, as
    for everyone (they are kept in `CommentRevision`, for the admin)."""
    edited = {comment.pk: comment for comment in comments if comment.edited_at is not None}
    if not edited:
        return
    revisions = CommentRevision.objects.filter(
        comment_id__in=edited, kind=CommentRevision.Kind.EDITED
    ).values_list("comment_id", "previous_text", "created_at")
    earlier: dict[int, list[EarlierText]] = {}
    for comment_id, text, changed_at in revisions:
        earlier.setdefault(comment_id, []).append(EarlierText(text, changed_at))
    for pk, texts in earlier.items():
        edited[pk].earlier_texts = tuple(texts)


def _shown_to_everyone(comment: ShownComment) -> bool:
    """What `visible_comments_of` selects, decided on a row already read, plus deleted
    first comments (kept as placeholders while they have replies to show)."""
    return not comment.is_hidden and not (comment.is_deleted and comment.level > 0)


def _as_threads(comments: Iterable[ShownComment]) -> list[CommentNode]:
    """First comments with their replies, in the order read (thread, then order).

    A reply whose first comment is not among `comments` is left out: a hidden first
    comment hides its replies from those who may not see it.
    """
    nodes: list[CommentNode] = []
    by_thread: dict[int, CommentNode] = {}
    for comment in comments:
        if comment.level == 0:
            node = CommentNode(comment=comment)
            by_thread[comment.thread_id] = node
            nodes.append(node)
        elif comment.thread_id in by_thread:
            by_thread[comment.thread_id].replies.append(comment)
    return nodes


def _aware(value: datetime | str) -> datetime:
    # SQLite hands a plain cursor the stored UTC time without its zone (PostgreSQL
    # gives it with), and a value computed in SQL (MAX) as text; the ORM would
    # convert both, so does this.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if settings.USE_TZ and timezone.is_naive(value):
        return value.replace(tzinfo=UTC)
    return value


def comment_section(idea: Idea, user: AnyUser, *, form: Any = None) -> dict[str, Any]:
    """Everything the comments section of an idea page shows `user`, in one query.

    `form` is the comment form to show again (with its errors); a new one otherwise.
    `list_digest` names the rendered list of comments when it holds nothing personal
    (the person is not logged in: no report, hide or reply forms, no CSRF tokens).
    """
    from ideas.comment_forms import CommentForm  # it imports the services, which import us

    thread = comment_thread(idea, user)
    is_open = comment_policy.comments_open(idea)
    list_digest = ""
    if not user.is_authenticated:
        list_digest = content_digest(
            [(node.comment.shown_values, [r.shown_values for r in node.replies]) for node in thread]
        )
    return {
        "thread": thread,
        "count": sum(
            node.comment.is_counted + sum(reply.is_counted for reply in node.replies)
            for node in thread
            if not node.comment.is_hidden
        ),
        "is_open": is_open,
        "closed_message": "" if is_open else comment_policy.closed_message(idea),
        "can_post": comment_policy.can_post(user, idea),
        "is_moderator": comment_policy.can_hide(user),
        # People's own comments posted after this may still be edited (the controls are
        # the person's own, outside the cached parts; see comments/comment.html).
        "edit_after": timezone.now() - comment_policy.edit_window(),
        "form": form or CommentForm(),
        "list_digest": list_digest,
        "cache_alias": FRAGMENT_CACHE,
        "cache_ttl": FRAGMENT_TTL_SECONDS,
    }
