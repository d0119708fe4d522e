"""How many public ideas there are, without counting them on every request.

Counting is the one part of a list that grows with the data: a page of 20 ideas is read
from an index in the same time at 10,000 ideas as at 100,000, but COUNT(*) reads them
all. So counts are cached under the version `portal.versions.PUBLIC_IDEAS`, which every
write that can change them bumps (saves and deletes of ideas and tags through
portal.invalidation, see `ideas.apps`; the queryset's update/bulk_create): a count is
never older than the last change to the ideas.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from ideas.comments import idea_content_type, visible_comments_of
from ideas.models import Idea, IdeaStatus, Vote
from portal import figures, versions
from portal.invalidation import DELETED


def count(queryset: QuerySet) -> int:
    """`queryset.count()`, cached until the public ideas change.

    Only for querysets of ideas whose result depends on nothing but the ideas' public
    state, their filterable fields and tags (what bumps PUBLIC_IDEAS).
    """
    sql, params = queryset.order_by().query.sql_with_params()
    return versions.cached(
        versions.PUBLIC_IDEAS, "count:" + versions.fingerprint(sql, params), queryset.count
    )


class KnownCountPaginator(Paginator):
    """A paginator told its count (e.g. from `progress`) instead of asking COUNT(*)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


class CountedPaginator(Paginator):
    """A paginator that takes its count from `ideas.counts.count` instead of COUNT(*)."""

    @cached_property
    def count(self) -> int:
        return count(self.object_list)


def progress(queryset: QuerySet[Idea]) -> dict[str, int]:
    """How many of these public ideas there are, how many are being worked on and how
    many were put into use (nytt, nyttig, nyttiggjort), in one cached query."""
    sql, params = queryset.order_by().query.sql_with_params()

    def compute() -> dict[str, int]:
        return queryset.order_by().aggregate(
            total=Count("pk"),
            in_progress=Count(
                "pk", filter=Q(status__in=[IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED])
            ),
            implemented=Count("pk", filter=Q(status=IdeaStatus.IMPLEMENTED)),
        )

    return versions.cached(
        versions.PUBLIC_IDEAS, "progress:" + versions.fingerprint(sql, params), compute
    )


def per_challenge() -> dict[int, int]:
    """Public ideas per challenge (challenge id -> count; challenges without any are
    missing), in one cached query whatever the number of challenges shown."""

    def compute() -> dict[int, int]:
        rows = (
            Idea.objects.public()
            .filter(challenge__isnull=False)
            .order_by()
            .values_list("challenge_id")
            .annotate(n=Count("pk"))
        )
        return dict(rows)

    return versions.cached(versions.PUBLIC_IDEAS, "per-challenge", compute)


# --- The counts stored on each idea ------------------------------------------------------
# `Idea.support_count` and `Idea.comment_count` are kept in the idea row so lists can sort
# by them from an index. They are never added to or subtracted from: each write that
# can change them recounts the rows in the same transaction, in one statement (the
# vote and comment services, and the handlers `ideas.apps` registers with
# portal.invalidation for writes that bypass them, such as cascades). The statement
# returns the new figure, so the caller needs no second read.


def _recount(column: str, count_sql: str, params: list, idea_id: int) -> int:
    table = connection.ops.quote_name(Idea._meta.db_table)
    column = connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        # Raw on purpose: Idea's queryset update() would bump versions too, which the
        # caller (or portal.invalidation) already does once per write.
        cursor.execute(
            f"UPDATE {table} SET {column} = ({count_sql}) WHERE id = %s RETURNING {column}",
            [*params, idea_id],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def recount_support(idea_id: int) -> int:
    """Set the idea's `support_count` to its number of Vote rows; return it."""
    votes = Vote.objects.filter(idea_id=idea_id).order_by().values("pk")
    sql, params = votes.query.sql_with_params()
    return _recount("support_count", f"SELECT COUNT(*) FROM ({sql}) votes", list(params), idea_id)


def recount_comments(idea_id: int) -> int:
    """Set the idea's `comment_count` to its number of publicly visible comments."""
    visible = visible_comments_of(Idea(pk=idea_id)).order_by().values("pk")
    sql, params = visible.query.sql_with_params()
    return _recount("comment_count", f"SELECT COUNT(*) FROM ({sql}) shown", list(params), idea_id)


def _deleted_by_its_own_kind(change, model) -> bool:
    """Whether a deletion was asked for on `model` itself (a service), not a cascade."""
    origin = change.origin
    return isinstance(origin, model) or getattr(origin, "model", None) is model


def _deleted_with_the_idea(change) -> bool:
    return _deleted_by_its_own_kind(change, Idea)


def _lock_idea(idea_id: int) -> None:
    # The services lock the idea before they write votes or comments. A cascade (a
    # person deleted) does not; without the lock, on PostgreSQL the count statement
    # could read rows from before a concurrent vote that commits while it waits.
    Idea.objects.select_for_update().filter(pk=idea_id).values_list("pk", flat=True).first()


def support_changed(change) -> None:
    """portal.invalidation: a Vote row was written or deleted, by whatever path."""
    vote = change.instance
    if change.kind == DELETED:
        if _deleted_with_the_idea(change):
            return
        if not _deleted_by_its_own_kind(change, Vote):
            _lock_idea(vote.idea_id)
    count = recount_support(vote.idea_id)
    if Vote.idea.is_cached(vote):
        # The idea the caller holds (e.g. `vote_cast`'s locked row) shows the new figure.
        vote.idea.support_count = count


def comments_changed(change) -> None:
    """portal.invalidation: a comment was written or deleted, by whatever path."""
    comment = change.instance
    if comment.content_type_id != idea_content_type().pk:
        return
    if change.created and isinstance(comment, XtdComment):
        return  # django-comments-xtd saves a new comment twice; the second save counts
    idea_id = int(comment.object_pk)
    if change.kind == DELETED:
        origin = change.origin
        asked_for = isinstance(origin, Comment) or issubclass(
            getattr(origin, "model", type(None)), Comment
        )
        if not asked_for:
            _lock_idea(idea_id)
    recount_comments(idea_id)


# --- Finding drift (manage.py reconcile_counts_and_index) ----------------------------


@dataclass(frozen=True)
class Drift:
    idea_id: int
    reference: str
    column: str
    stored: int
    actual: int


def support_drift() -> list[Drift]:
    """Ideas whose `support_count` is not their number of Vote rows (one query)."""
    rows = (
        Idea.objects.order_by()
        .annotate(rows=Count("votes"))
        .exclude(support_count=F("rows"))
        .values_list("pk", "reference", "support_count", "rows")
    )
    return [Drift(pk, ref, "support_count", stored, actual) for pk, ref, stored, actual in rows]


def comment_drift() -> list[Drift]:
    """Ideas whose `comment_count` is not their number of visible comments.

    Two queries whatever the number of ideas: the comments once (see
    `_visible_comments_per_idea`), then every idea's stored figure.
    """
    actual = _visible_comments_per_idea()
    return [
        Drift(pk, reference, "comment_count", stored, actual.get(pk, 0))
        for pk, reference, stored in Idea.objects.order_by("pk").values_list(
            "pk", "reference", "comment_count"
        )
        if stored != actual.get(pk, 0)
    ]


def _visible_comments_per_idea() -> dict[int, int]:
    """Visible comments per idea (idea id -> count; ideas without any are missing).

    Reads every comment on ideas once and applies the rule of `visible_comments_of` to
    the rows in Python (a hidden first comment hides its replies, a deleted one does
    not), rather than asking the database once per idea.
    """
    rows = list(
        XtdComment.objects.filter(content_type=idea_content_type()).values_list(
            "object_pk", "thread_id", "level", "is_public", "is_removed"
        )
    )
    hidden_threads = {
        thread for _pk, thread, level, public, _removed in rows if level == 0 and not public
    }
    actual: dict[int, int] = {}
    for object_pk, thread, _level, public, removed in rows:
        if public and not removed and thread not in hidden_threads and object_pk.isdigit():
            actual[int(object_pk)] = actual.get(int(object_pk), 0) + 1
    return actual


def fix_drift(drift: Drift) -> int:
    """Recount one idea's column from its rows, under the idea's row lock."""
    with transaction.atomic():
        _lock_idea(drift.idea_id)
        if drift.column == "support_count":
            return recount_support(drift.idea_id)
        return recount_comments(drift.idea_id)


# --- Support as a live figure (portal.figures) ---------------------------------------------


def current_support(idea_ids: frozenset[int]) -> dict[int, int]:
    """The support counts of these ideas now: one statement, then cached per process
    until the next vote (`versions.SUPPORT`), so a page read between votes costs none."""
    if not idea_ids:
        return {}
    ordered = tuple(sorted(idea_ids))
    return versions.cached(
        versions.SUPPORT,
        "support:" + versions.fingerprint(ordered),
        lambda: dict(Idea.objects.filter(pk__in=ordered).values_list("pk", "support_count")),
    )


def _supporters(value: int) -> str:
    return _supporters_in(get_language(), value)


def _vote_count(value: int) -> str:
    return _vote_count_in(get_language(), value)


# A page writes dozens of figures, and the same few numbers over and over: each is
# written once per language (and number format, which follows it).
@functools.lru_cache(maxsize=4096)
def _supporters_in(language: str | None, value: int) -> str:
    # The same message as the cards' templates ("12 supporters").
    text = ngettext("%(counter)s supporter", "%(counter)s supporters", value)
    return format_html("{}", text % {"counter": intcomma(value)})


@functools.lru_cache(maxsize=4096)
def _vote_count_in(language: str | None, value: int) -> str:
    # The same as ideas/includes/vote_count.html: the number stands out.
    return format_html(
        '<strong class="ideas-count">{}</strong> {}',
        intcomma(value),
        ngettext("supporter", "supporters", value),
    )


def register_support_figures() -> None:
    """Templates write an idea's support as `{% live_figure "support" form idea.pk
    idea.support_count %}`, form "card" ("12 supporters") or "vote" (the idea page)."""
    figures.register(
        "support", lookup=current_support, forms={"card": _supporters, "vote": _vote_count}
    )
