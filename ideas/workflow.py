"""The idea lifecycle as a state machine, and the staff actions around it.

Every change of an idea's status goes through `idea_transition` (or `idea_merge` /
`idea_unmerge` for duplicates). Each service runs in one transaction, locks the idea row
(`select_for_update`), re-reads the status under the lock, checks the transition table
and the actor's permission, writes an `IdeaEvent`, and queues e-mail and re-indexing to
run after commit. An illegal request raises and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas import permissions
from ideas.events import record_event
from ideas.models import PUBLIC_STATUSES, Follow, Idea, IdeaEvent, IdeaStatus, Vote
from ideas.notifications import notify_idea_audience, notify_unit
from portal import invalidation
from portal.absolute_urls import base_url
from portal.models import Unit, User

S = IdeaStatus


class WorkflowError(ValueError):
    """The requested change is not possible in the idea's current state."""


class TransitionError(WorkflowError):
    """The requested status change is not in the transition table, or lacks a reason."""


class TransitionPermissionDenied(PermissionDenied):
    """The actor may not do this to this idea."""


class Actor(StrEnum):
    """Who may perform a transition: staff of the owning unit (and admins), or the author."""

    STAFF = "staff"
    AUTHOR = "author"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actor: Actor
    # A public text is required: the reason for rejecting or reopening, the result of
    # an implemented idea. It is shown on the public idea page and sent in the e-mail.
    requires_public_text: bool = False
    # Merging moves votes and followers and needs a target idea: only `idea_merge` does it.
    via_merge: bool = False


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in (
        Transition(S.SUBMITTED, S.IN_REVIEW, Actor.STAFF),
        Transition(S.IN_REVIEW, S.ACCEPTED, Actor.STAFF),
        Transition(S.ACCEPTED, S.IMPLEMENTED, Actor.STAFF, requires_public_text=True),
        Transition(S.SUBMITTED, S.REJECTED, Actor.STAFF, requires_public_text=True),
        Transition(S.IN_REVIEW, S.REJECTED, Actor.STAFF, requires_public_text=True),
        Transition(S.ACCEPTED, S.REJECTED, Actor.STAFF, requires_public_text=True),
        Transition(S.SUBMITTED, S.MERGED, Actor.STAFF, via_merge=True),
        Transition(S.IN_REVIEW, S.MERGED, Actor.STAFF, via_merge=True),
        Transition(S.SUBMITTED, S.WITHDRAWN, Actor.AUTHOR),
        Transition(S.REJECTED, S.IN_REVIEW, Actor.STAFF, requires_public_text=True),
    )
}

# Statuses from which a merge may be undone back to: exactly the merge sources.
MERGE_SOURCES = tuple(t.source for t in TRANSITIONS.values() if t.via_merge)
# Statuses that staff still have to answer; used by the queue and the overdue rules.
WAITING_STATUSES = (S.SUBMITTED, S.IN_REVIEW)


def transition_for(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))


def allowed_targets(idea: Idea, user: User | None = None) -> list[str]:
    """Statuses the idea may move to with `idea_transition`, for `user` if given."""
    targets = []
    for (source, target), rule in TRANSITIONS.items():
        if source != idea.status or rule.via_merge:
            continue
        if user is not None and not _may_perform(user, idea, rule):
            continue
        targets.append(target)
    return targets


def _may_perform(user: User, idea: Idea, rule: Transition) -> bool:
    if rule.actor == Actor.AUTHOR:
        return permissions.is_author(user, idea)
    return permissions.can_act_on(user, idea)


def _base_url() -> str:
    """Links in e-mails are absolute; e-mails are rendered outside any request."""
    return base_url()


def _status_label(status: str) -> str:
    return str(IdeaStatus(status).label)


def _take_write_lock(*pks: int) -> None:
    """On SQLite, take the database write lock before reading.

    SQLite ignores SELECT ... FOR UPDATE. Two transactions that both read and then write
    would deadlock and one would fail; writing first makes the second wait (busy
    timeout) until the first commits, and then read the committed status.
    """
    if connection.vendor == "sqlite":
        Idea.objects.filter(pk__in=pks).update(updated_at=F("updated_at"))


def _lock(idea: Idea) -> Idea:
    """Lock the idea's row and return a fresh copy; call inside `transaction.atomic`."""
    _take_write_lock(idea.pk)
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("owning_unit", "author")
        .get(pk=idea.pk)
    )


def _lock_pair(first: Idea, second: Idea) -> tuple[Idea, Idea]:
    """Lock two ideas in primary-key order, so two merges can never deadlock."""
    _take_write_lock(first.pk, second.pk)
    locked = {
        row.pk: row
        for row in Idea.objects.select_for_update(of=("self",))
        .select_related("owning_unit", "author")
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    return locked[first.pk], locked[second.pk]


def _refresh_caller_copy(original: Idea, fresh: Idea) -> Idea:
    """Keep the caller's object in step, so a view can keep using what it passed in."""
    original.__dict__.update(
        {
            k: v
            for k, v in fresh.__dict__.items()
            if k not in ("_state", "_prefetched_objects_cache")
        }
    )
    # Related objects cached on the caller's copy (owning unit, assignee, merge target)
    # may be stale now; take the fresh ones.
    original._state.fields_cache = dict(fresh._state.fields_cache)
    original.__dict__.pop("_prefetched_objects_cache", None)
    return fresh


def _require_actor(by: User | None) -> User:
    if by is None or not by.is_authenticated:
        raise TransitionPermissionDenied(_("You must be logged in to do this."))
    return by


def _require_act(by: User, idea: Idea) -> None:
    if not permissions.can_act_on(by, idea):
        raise TransitionPermissionDenied(
            _("Only staff of %(unit)s may act on idea %(reference)s.")
            % {"unit": idea.owning_unit or _("the owning unit"), "reference": idea.reference}
        )


def _set_status(idea: Idea, status: str, *, merged_into: Idea | None = None) -> None:
    idea.status = status
    idea.merged_into = merged_into
    idea.status_changed_at = timezone.now()
    idea.save(update_fields=["status", "merged_into", "status_changed_at", "updated_at"])


# --- Status transitions ------------------------------------------------------------------


def idea_transition(
    *,
    idea: Idea,
    to: str,
    by: User,
    public_reason: str = "",
    internal_note: str = "",
) -> Idea:
    """Move `idea` to status `to`.

    Preconditions, all checked under a row lock on the idea: (current status, `to`) is in
    `TRANSITIONS` and is not a merge (use `idea_merge`); `by` is staff of the owning unit
    or an admin (for the author's withdrawal: the author); a public reason is given where
    the table requires one. Raises `TransitionError` or `TransitionPermissionDenied` and
    changes nothing otherwise. On commit the author and followers get an e-mail (except
    the person acting) and the idea is re-indexed.
    """
    by = _require_actor(by)
    public_reason = (public_reason or "").strip()
    internal_note = (internal_note or "").strip()
    with transaction.atomic():
        locked = _lock(idea)
        source = locked.status
        rule = transition_for(source, to)
        if rule is None:
            if to not in IdeaStatus.values:
                raise TransitionError(_("Unknown status: %(status)s.") % {"status": to})
            raise TransitionError(
                _("Idea %(reference)s cannot go from “%(source)s” to “%(target)s”.")
                % {
                    "reference": locked.reference,
                    "source": _status_label(source),
                    "target": _status_label(to),
                }
            )
        if rule.via_merge:
            raise TransitionError(
                _("Merging needs the idea to merge into; use the merge action instead.")
            )
        if not _may_perform(by, locked, rule):
            if rule.actor == Actor.AUTHOR:
                raise TransitionPermissionDenied(_("Only the author can withdraw an idea."))
            _require_act(by, locked)
        if rule.requires_public_text and not public_reason:
            if to == S.IMPLEMENTED:
                message = _("Describe the result for the public before marking it as put into use.")
            else:
                message = _("A public reason is required for this change.")
            raise TransitionError(message)

        _set_status(locked, to)
        event = record_event(
            idea=locked,
            actor=by,
            kind=IdeaEvent.Kind.TRANSITION,
            from_status=source,
            to_status=to,
            public_text=public_reason,
            internal_note=internal_note,
        )
        notify_idea_audience(
            locked,
            template="ideas/emails/status_changed",
            context={
                "event": event,
                "from_label": _status_label(source),
                "to_label": _status_label(to),
                "base_url": _base_url(),
            },
            exclude=by,
        )
        invalidation.reindex(locked)
    return _refresh_caller_copy(idea, locked)


# --- Merging duplicates ------------------------------------------------------------------


def _recount_support(*ideas: Idea) -> None:
    counts = dict(
        Vote.objects.filter(idea__in=ideas)
        .values("idea")
        .annotate(n=Count("pk"))
        .values_list("idea", "n")
    )
    for idea in ideas:
        idea.support_count = counts.get(idea.pk, 0)
        idea.save(update_fields=["support_count"])


def idea_merge(*, idea: Idea, into: Idea, by: User, public_reason: str = "") -> Idea:
    """Merge duplicate `idea` into `into`.

    Preconditions: `idea` is submitted or in review; `into` is another public idea that is
    not itself merged; `by` may act on `idea`. Both rows are locked. Votes of people who
    had not supported `into` move to it, as do followers who did not follow it; the
    author of `idea` is made a follower of `into`. The event records exactly which rows
    moved, so `idea_unmerge` can restore both ideas. Support counts are recounted.
    """
    by = _require_actor(by)
    public_reason = (public_reason or "").strip()
    if idea.pk == into.pk:
        raise TransitionError(_("An idea cannot be merged into itself."))
    with transaction.atomic():
        source, target = _lock_pair(idea, into)
        _require_act(by, source)
        rule = transition_for(source.status, S.MERGED)
        if rule is None:
            raise TransitionError(
                _("Idea %(reference)s cannot be merged while it is “%(status)s”.")
                % {"reference": source.reference, "status": _status_label(source.status)}
            )
        if target.status not in PUBLIC_STATUSES or target.is_hidden:
            raise TransitionError(
                _("Idea %(reference)s is not public and cannot receive a merge.")
                % {"reference": target.reference}
            )

        target_voters = Vote.objects.filter(idea=target).values("voter")
        moved_votes = list(
            Vote.objects.filter(idea=source)
            .exclude(voter__in=target_voters)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Vote.objects.filter(pk__in=moved_votes).update(idea=target)

        target_followers = Follow.objects.filter(idea=target).values("user")
        moved_follows = list(
            Follow.objects.filter(idea=source)
            .exclude(user__in=target_followers)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Follow.objects.filter(pk__in=moved_follows).update(idea=target)

        created_follows: list[int] = []
        author_follows = Follow.objects.filter(idea=target, user_id=source.author_id).exists()
        if source.author_id != target.author_id and not author_follows:
            created_follows.append(Follow.objects.create(user_id=source.author_id, idea=target).pk)

        from_status = source.status
        _set_status(source, S.MERGED, merged_into=target)
        _recount_support(source, target)
        data = {
            "into": target.pk,
            "into_reference": target.reference,
            "moved_vote_ids": moved_votes,
            "moved_follow_ids": moved_follows,
            "created_follow_ids": created_follows,
        }
        event = record_event(
            idea=source,
            actor=by,
            kind=IdeaEvent.Kind.MERGED,
            from_status=from_status,
            to_status=S.MERGED,
            public_text=public_reason,
            data=data,
        )
        record_event(
            idea=target,
            actor=by,
            kind=IdeaEvent.Kind.MERGED,
            public_text=public_reason,
            data={"merged_idea": source.pk, "merged_reference": source.reference},
        )
        _notify_merge(source, target, event, by, moved_follows, created_follows)
        invalidation.reindex(source)
        invalidation.reindex(target)
    _refresh_caller_copy(into, target)
    return _refresh_caller_copy(idea, source)


def _notify_merge(
    source: Idea,
    target: Idea,
    event: IdeaEvent,
    by: User,
    moved_follow_ids: list[int],
    created_follow_ids: list[int],
) -> None:
    """Tell the merged idea's author and former followers where it went."""
    from portal.emails import queue_email

    emails = set(
        Follow.objects.filter(pk__in=[*moved_follow_ids, *created_follow_ids], user__is_active=True)
        .exclude(user=by)
        .values_list("user__email", flat=True)
    )
    if source.author_id != by.pk:
        emails.add(source.author.email)
    # Followers of both ideas stayed on the source; they are told too.
    emails.update(
        Follow.objects.filter(idea=source, user__is_active=True)
        .exclude(user=by)
        .values_list("user__email", flat=True)
    )
    context = {
        "idea": source,
        "event": event,
        "into": target,
        "from_label": _status_label(event.from_status),
        "to_label": _status_label(S.MERGED),
        "base_url": _base_url(),
    }
    for email in sorted(emails):
        queue_email(template="ideas/emails/status_changed", context=context, to=[email])


def idea_unmerge(*, idea: Idea, by: User, reason: str = "") -> Idea:
    """Undo the latest merge of `idea`, restoring both ideas as they were.

    Preconditions: `idea` is merged; `by` may act on it. The vote and follow rows recorded
    by the merge move back (those that still exist), follows created by the merge are
    deleted, the status returns to what it was before, and support is recounted.
    """
    by = _require_actor(by)
    reason = (reason or "").strip()
    with transaction.atomic():
        if idea.merged_into_id is None:
            fresh = Idea.objects.get(pk=idea.pk)
            if fresh.merged_into_id is None:
                raise TransitionError(
                    _("Idea %(reference)s is not merged.") % {"reference": idea.reference}
                )
            idea = fresh
        source, target = _lock_pair(idea, Idea(pk=idea.merged_into_id))
        if source.status != S.MERGED or source.merged_into_id != target.pk:
            raise TransitionError(
                _("Idea %(reference)s is not merged.") % {"reference": source.reference}
            )
        _require_act(by, source)
        merge_event = (
            IdeaEvent.objects.filter(idea=source, kind=IdeaEvent.Kind.MERGED, to_status=S.MERGED)
            .order_by("-created_at", "-pk")
            .first()
        )
        if merge_event is None:
            raise TransitionError(_("No record of the merge was found; it cannot be undone."))
        data = merge_event.data
        restore_to = merge_event.from_status or S.SUBMITTED
        vote_ids = list(
            Vote.objects.filter(pk__in=data.get("moved_vote_ids", []), idea=target).values_list(
                "pk", flat=True
            )
        )
        Vote.objects.filter(pk__in=vote_ids).update(idea=source)
        follow_ids = list(
            Follow.objects.filter(pk__in=data.get("moved_follow_ids", []), idea=target)
            .exclude(user__in=Follow.objects.filter(idea=source).values("user"))
            .values_list("pk", flat=True)
        )
        Follow.objects.filter(pk__in=follow_ids).update(idea=source)
        Follow.objects.filter(pk__in=data.get("created_follow_ids", []), idea=target).delete()

        _set_status(source, restore_to)
        _recount_support(source, target)
        # Public, like the merge it undoes: the timeline told everyone of the merge, so
        # it tells them it was undone. Staff's reason stays internal.
        event = record_event(
            idea=source,
            actor=by,
            kind=IdeaEvent.Kind.UNMERGED,
            from_status=S.MERGED,
            to_status=restore_to,
            internal_note=reason,
            data={
                "from": target.pk,
                "from_reference": target.reference,
                "restored_vote_ids": vote_ids,
                "restored_follow_ids": follow_ids,
            },
        )
        record_event(
            idea=target,
            actor=by,
            kind=IdeaEvent.Kind.UNMERGED,
            internal_note=reason,
            data={"unmerged_idea": source.pk, "unmerged_reference": source.reference},
        )
        _notify_unmerge(source, target, event, by, follow_ids)
        invalidation.reindex(source)
        invalidation.reindex(target)
    return _refresh_caller_copy(idea, source)


def _notify_unmerge(
    source: Idea, target: Idea, event: IdeaEvent, by: User, restored_follow_ids: list[int]
) -> None:
    """Tell those who were told of the merge (the author, the followers who moved and
    came back) that the idea stands on its own again. While the idea is hidden, only
    its author may see it, so only the author hears of it."""
    from portal.emails import queue_email

    emails: set[str] = set()
    if source.author_id != by.pk and source.author.is_active:
        emails.add(source.author.email)
    if not source.is_hidden:
        emails.update(
            Follow.objects.filter(idea=source, user__is_active=True)
            .exclude(user=by)
            .values_list("user__email", flat=True)
        )
    context = {"idea": source, "event": event, "merged_into": target, "base_url": _base_url()}
    for email in sorted(emails):
        queue_email(template="ideas/emails/merge_undone", context=context, to=[email])


# --- Routing, assignment, notes and answers ----------------------------------------------


def idea_reroute(*, idea: Idea, to_unit: Unit, by: User, reason: str = "") -> Idea:
    """Give the idea to another active unit.

    Preconditions: `by` may act on the idea (staff of the current owner, or admin);
    `to_unit` is active and not the current owner. The assignee is cleared (they belong
    to the old unit); the new unit is told by e-mail on commit.
    """
    by = _require_actor(by)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(idea)
        _require_act(by, locked)
        if not to_unit.is_active:
            raise WorkflowError(_("%(unit)s is not an active unit.") % {"unit": to_unit})
        if locked.owning_unit_id == to_unit.pk:
            raise WorkflowError(
                _("Idea %(reference)s already belongs to %(unit)s.")
                % {"reference": locked.reference, "unit": to_unit}
            )
        if not reason:
            raise WorkflowError(_("Give a reason, so the new unit knows why it gets the idea."))
        old_unit = locked.owning_unit
        locked.owning_unit = to_unit
        locked.assignee = None
        locked.save(update_fields=["owning_unit", "assignee", "updated_at"])
        event = record_event(
            idea=locked,
            actor=by,
            kind=IdeaEvent.Kind.REROUTED,
            internal_note=reason,
            is_internal=True,
            data={
                "from_unit": old_unit.pk if old_unit else None,
                "from_unit_name": old_unit.name if old_unit else "",
                "to_unit": to_unit.pk,
                "to_unit_name": to_unit.name,
            },
        )
        notify_unit(
            to_unit,
            template="ideas/emails/rerouted",
            context={
                "idea": locked,
                "event": event,
                "from_unit": old_unit,
                "by": by,
                "triage_url": _base_url() + reverse("ideas_triage:idea", args=[locked.pk]),
            },
        )
        invalidation.reindex(locked)
    return _refresh_caller_copy(idea, locked)


def idea_assign(*, idea: Idea, assignee: User | None, by: User) -> Idea:
    """Set (or clear, with None) the staff member handling the idea.

    Preconditions: `by` may act on the idea; `assignee` is active staff of the owning
    unit. Internal: only staff see it.
    """
    by = _require_actor(by)
    with transaction.atomic():
        locked = _lock(idea)
        _require_act(by, locked)
        if assignee is not None and not (
            assignee.is_active
            and locked.owning_unit_id is not None
            and locked.owning_unit.staff.filter(pk=assignee.pk).exists()
        ):
            raise WorkflowError(
                _("%(person)s does not work in %(unit)s.")
                % {"person": assignee, "unit": locked.owning_unit}
            )
        if locked.assignee_id == (assignee.pk if assignee else None):
            return _refresh_caller_copy(idea, locked)
        previous = locked.assignee_id
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        record_event(
            idea=locked,
            actor=by,
            kind=IdeaEvent.Kind.ASSIGNED,
            is_internal=True,
            data={
                "from_user": previous,
                "to_user": assignee.pk if assignee else None,
                "to_user_name": str(assignee) if assignee else "",
            },
        )
    return _refresh_caller_copy(idea, locked)


def idea_add_note(*, idea: Idea, by: User, text: str) -> IdeaEvent:
    """Add an internal note (staff only, never public). Preconditions: `by` may act."""
    by = _require_actor(by)
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_("The note is empty."))
    with transaction.atomic():
        locked = _lock(idea)
        _require_act(by, locked)
        return record_event(
            idea=locked, actor=by, kind=IdeaEvent.Kind.NOTE, internal_note=text, is_internal=True
        )


def idea_answer(*, idea: Idea, by: User, text: str) -> IdeaEvent:
    """Post the municipality's public answer on the idea.

    Preconditions: `by` may act on the idea; the idea is public (not withdrawn or merged).
    The author and followers get the answer by e-mail on commit.
    """
    by = _require_actor(by)
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_("The answer is empty."))
    with transaction.atomic():
        locked = _lock(idea)
        _require_act(by, locked)
        if locked.status not in PUBLIC_STATUSES:
            raise WorkflowError(
                _("Idea %(reference)s is “%(status)s” and cannot be answered.")
                % {"reference": locked.reference, "status": _status_label(locked.status)}
            )
        event = record_event(idea=locked, actor=by, kind=IdeaEvent.Kind.ANSWER, public_text=text)
        notify_idea_audience(
            locked,
            template="ideas/emails/answer",
            context={"event": event, "base_url": _base_url()},
            exclude=by,
        )
        invalidation.reindex(locked)
    _refresh_caller_copy(idea, locked)
    return event


# --- Hiding -------------------------------------------------------------------------------


def _notify_author(idea: Idea, *, by: User, template: str, context: dict[str, Any]) -> None:
    """Tell the author (only: nobody else may see a hidden idea) unless they acted."""
    from portal.emails import queue_email

    if idea.author_id == by.pk or not idea.author.is_active:
        return
    queue_email(
        template=template,
        context={"idea": idea, "base_url": _base_url(), **context},
        to=[idea.author.email],
    )


def idea_hide(*, idea: Idea, by: User, reason: str) -> Idea:
    """Hide the idea from the public, whatever its status, telling its author why.

    Preconditions, checked under a row lock: `by` may act on the idea (staff of the
    owning unit, or an admin); the idea is not hidden already; a reason is given. The
    reason is kept on the idea, where its author (who can still open the page) reads
    it, and in an internal HIDDEN event. The status is left alone, so `idea_unhide`
    restores the idea exactly. On commit the idea leaves the search index and the
    author gets the reason by e-mail.
    """
    by = _require_actor(by)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(idea)
        _require_act(by, locked)
        if locked.is_hidden:
            raise WorkflowError(
                _("Idea %(reference)s is already hidden.") % {"reference": locked.reference}
            )
        if not reason:
            raise WorkflowError(_("Give a reason for hiding the idea: its author will see it."))
        locked.is_hidden = True
        locked.hidden_reason = reason
        locked.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
        # Internal: once the idea is shown again, the public timeline must not say why
        # it was hidden. The author reads the reason on the page and in the e-mail.
        event = record_event(
            idea=locked,
            actor=by,
            kind=IdeaEvent.Kind.HIDDEN,
            is_internal=True,
            data={"reason": reason},
        )
        _notify_author(locked, by=by, template="ideas/emails/idea_hidden", context={"event": event})
        invalidation.reindex(locked)
    return _refresh_caller_copy(idea, locked)


def idea_unhide(*, idea: Idea, by: User, reason: str = "") -> Idea:
    """Show a hidden idea again, as it was before it was hidden.

    Preconditions, checked under a row lock: `by` may act on the idea; it is hidden.
    The reason is optional; the author gets it by e-mail on commit, and the idea is
    indexed for search again.
    """
    by = _require_actor(by)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(idea)
        _require_act(by, locked)
        if not locked.is_hidden:
            raise WorkflowError(
                _("Idea %(reference)s is not hidden.") % {"reference": locked.reference}
            )
        locked.is_hidden = False
        locked.hidden_reason = ""
        locked.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
        event = record_event(
            idea=locked,
            actor=by,
            kind=IdeaEvent.Kind.SHOWN,
            is_internal=True,
            data={"reason": reason},
        )
        _notify_author(locked, by=by, template="ideas/emails/idea_shown", context={"event": event})
        invalidation.reindex(locked)
    return _refresh_caller_copy(idea, locked)


# --- Bulk --------------------------------------------------------------------------------


@dataclass
class BulkResult:
    idea: Idea
    ok: bool
    message: str = ""


@dataclass
class BulkReport:
    results: list[BulkResult] = field(default_factory=list)

    @property
    def succeeded(self) -> list[BulkResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[BulkResult]:
        return [r for r in self.results if not r.ok]


BULK_ACTIONS: dict[str, Callable[..., Any]] = {
    "transition": idea_transition,
    "reroute": idea_reroute,
    "assign": idea_assign,
    "note": idea_add_note,
    "answer": idea_answer,
    "merge": idea_merge,
    "unmerge": idea_unmerge,
    "hide": idea_hide,
    "unhide": idea_unhide,
}


def ideas_bulk_apply(*, ideas: Iterable[Idea], action: str, by: User, **params: Any) -> BulkReport:
    """Apply one action to many ideas, each through its own service call and transaction.

    One idea failing does not stop or undo the others; the report says, per idea, what
    succeeded and, for what did not, why.
    """
    service = BULK_ACTIONS.get(action)
    if service is None:
        raise ValueError(f"Unknown bulk action: {action}")
    report = BulkReport()
    for idea in ideas:
        try:
            service(idea=idea, by=by, **params)
        except (WorkflowError, PermissionDenied) as refused:
            message = refused.args[0] if refused.args else str(refused)
            report.results.append(BulkResult(idea=idea, ok=False, message=str(message)))
        else:
            report.results.append(BulkResult(idea=idea, ok=True))
    return report
