"""Merging a duplicate idea into another, and undoing it.

A merge moves votes and followers to the idea that stays and records exactly which
rows moved, so `idea_unmerge` can put both ideas back as they were.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from ideas import extensions
from ideas.actions.base import IdeaAction, TransitionError, status_label
from ideas.actions.transitions import set_status, transition_for
from ideas.models import PUBLIC_STATUSES, Follow, Idea, IdeaEvent, IdeaStatus, Vote
from portal import invalidation
from portal.absolute_urls import base_url
from portal.actions import refresh_caller_copy
from portal.emails import queue_email
from portal.models import User

S = IdeaStatus


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


def _active_follower_emails(idea: Idea, *, exclude: User) -> list[str]:
    return list(
        Follow.objects.filter(idea=idea, user__is_active=True)
        .exclude(user=exclude)
        .values_list("user__email", flat=True)
    )


def _queue_each(emails: set[str], *, template: str, context: dict) -> None:
    """One e-mail per person, so nobody sees the others' addresses."""
    for email in sorted(emails):
        queue_email(template=template, context=context, to=[email])


class MergeAction(IdeaAction[Idea]):
    """Merge duplicate `idea` into `into`.

    Preconditions: `idea` is submitted or in review; `into` is another public idea that is
    not itself merged; `by` may act on `idea`. Both rows are locked. Votes of people who
    had not supported `into` move to it, as do followers who did not follow it; the
    author of `idea` is made a follower of `into`. The event records exactly which rows
    moved, so `idea_unmerge` can restore both ideas. Support counts are recounted.
    """

    def __init__(self, idea: Idea, *, by: User, into: Idea, public_reason: str = "") -> None:
        super().__init__(idea, by=by)
        self.into = into
        self.locked_into = into
        self.public_reason = (public_reason or "").strip()
        self.moved_votes: list[int] = []
        self.moved_follows: list[int] = []
        self.created_follows: list[int] = []

    def clean(self) -> None:
        super().clean()
        if self.target.pk == self.into.pk:
            raise TransitionError(_("An idea cannot be merged into itself."))

    def lock(self) -> Idea:
        locked = self.lock_rows([self.target.pk, self.into.pk])
        self.locked_into = locked[self.into.pk]
        return locked[self.target.pk]

    def check(self) -> None:
        source, target = self.locked, self.locked_into
        self.require_act(source)
        if transition_for(source.status, S.MERGED) is None:
            raise TransitionError(
                _("Idea %(reference)s cannot be merged while it is “%(status)s”.")
                % {"reference": source.reference, "status": status_label(source.status)}
            )
        if target.status not in PUBLIC_STATUSES or target.is_hidden:
            raise TransitionError(
                _("Idea %(reference)s is not public and cannot receive a merge.")
                % {"reference": target.reference}
            )

    def perform(self) -> None:
        source, target = self.locked, self.locked_into
        target_voters = Vote.objects.filter(idea=target).values("voter")
        self.moved_votes = list(
            Vote.objects.filter(idea=source)
            .exclude(voter__in=target_voters)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Vote.objects.filter(pk__in=self.moved_votes).update(idea=target)

        target_followers = Follow.objects.filter(idea=target).values("user")
        self.moved_follows = list(
            Follow.objects.filter(idea=source)
            .exclude(user__in=target_followers)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Follow.objects.filter(pk__in=self.moved_follows).update(idea=target)

        author_follows = Follow.objects.filter(idea=target, user_id=source.author_id).exists()
        if source.author_id != target.author_id and not author_follows:
            follow = Follow.objects.create(user_id=source.author_id, idea=target)
            self.created_follows.append(follow.pk)

        self.from_status = source.status
        set_status(source, S.MERGED, merged_into=target)
        _recount_support(source, target)

    def record(self) -> None:
        source, target = self.locked, self.locked_into
        self.event = self.record_event(
            kind=IdeaEvent.Kind.MERGED,
            from_status=self.from_status,
            to_status=S.MERGED,
            public_text=self.public_reason,
            data={
                "into": target.pk,
                "into_reference": target.reference,
                "moved_vote_ids": self.moved_votes,
                "moved_follow_ids": self.moved_follows,
                "created_follow_ids": self.created_follows,
            },
        )
        self.record_event(
            target,
            kind=IdeaEvent.Kind.MERGED,
            public_text=self.public_reason,
            data={"merged_idea": source.pk, "merged_reference": source.reference},
        )

    def side_effects(self) -> None:
        """Tell the merged idea's author and former followers where it went. While the
        idea is hidden, only its author may see it, so only the author hears of it."""
        source, target, by = self.locked, self.locked_into, self.by
        emails: set[str] = set()
        if not source.is_hidden:
            emails.update(
                Follow.objects.filter(
                    pk__in=[*self.moved_follows, *self.created_follows], user__is_active=True
                )
                .exclude(user=by)
                .values_list("user__email", flat=True)
            )
            # Followers of both ideas stayed on the source; they are told too.
            emails.update(_active_follower_emails(source, exclude=by))
        if source.author_id != by.pk and source.author.is_active:
            emails.add(source.author.email)
        context = {
            "idea": source,
            "event": self.event,
            "into": target,
            "from_label": status_label(self.from_status),
            "to_label": status_label(S.MERGED),
            "base_url": base_url(),
        }
        _queue_each(emails, template="ideas/emails/status_changed", context=context)
        invalidation.reindex(source)
        invalidation.reindex(target)
        extensions.status_changed(source, self.event)

    def sync_caller(self) -> None:
        refresh_caller_copy(self.into, self.locked_into)
        super().sync_caller()


class UnmergeAction(IdeaAction[Idea]):
    """Undo the latest merge of `idea`, restoring both ideas as they were.

    Preconditions: `idea` is merged; `by` may act on it. The vote and follow rows recorded
    by the merge move back (those that still exist), follows created by the merge are
    deleted, the status returns to what it was before, and support is recounted.
    """

    def __init__(self, idea: Idea, *, by: User, reason: str = "") -> None:
        super().__init__(idea, by=by)
        self.reason = (reason or "").strip()
        self.restored_votes: list[int] = []
        self.restored_follows: list[int] = []

    def lock(self) -> Idea:
        idea = self.target
        if idea.merged_into_id is None:
            # The caller's copy may predate the merge; ask the database.
            idea = Idea.objects.get(pk=idea.pk)
            if idea.merged_into_id is None:
                raise TransitionError(
                    _("Idea %(reference)s is not merged.") % {"reference": idea.reference}
                )
        locked = self.lock_rows([idea.pk, idea.merged_into_id])
        self.locked_into = locked[idea.merged_into_id]
        return locked[idea.pk]

    def check(self) -> None:
        source, target = self.locked, self.locked_into
        if source.status != S.MERGED or source.merged_into_id != target.pk:
            raise TransitionError(
                _("Idea %(reference)s is not merged.") % {"reference": source.reference}
            )
        self.require_act(source)
        self.merge_event = (
            IdeaEvent.objects.filter(idea=source, kind=IdeaEvent.Kind.MERGED, to_status=S.MERGED)
            .order_by("-created_at", "-pk")
            .first()
        )
        if self.merge_event is None:
            raise TransitionError(_("No record of the merge was found; it cannot be undone."))

    def perform(self) -> None:
        source, target = self.locked, self.locked_into
        data = self.merge_event.data
        self.restore_to = self.merge_event.from_status or S.SUBMITTED
        self.restored_votes = list(
            Vote.objects.filter(pk__in=data.get("moved_vote_ids", []), idea=target).values_list(
                "pk", flat=True
            )
        )
        Vote.objects.filter(pk__in=self.restored_votes).update(idea=source)
        self.restored_follows = list(
            Follow.objects.filter(pk__in=data.get("moved_follow_ids", []), idea=target)
            .exclude(user__in=Follow.objects.filter(idea=source).values("user"))
            .values_list("pk", flat=True)
        )
        Follow.objects.filter(pk__in=self.restored_follows).update(idea=source)
        Follow.objects.filter(pk__in=data.get("created_follow_ids", []), idea=target).delete()

        set_status(source, self.restore_to)
        _recount_support(source, target)

    def record(self) -> None:
        source, target = self.locked, self.locked_into
        # Public, like the merge it undoes: the timeline told everyone of the merge, so
        # it tells them it was undone. Staff's reason stays internal.
        self.event = self.record_event(
            kind=IdeaEvent.Kind.UNMERGED,
            from_status=S.MERGED,
            to_status=self.restore_to,
            internal_note=self.reason,
            data={
                "from": target.pk,
                "from_reference": target.reference,
                "restored_vote_ids": self.restored_votes,
                "restored_follow_ids": self.restored_follows,
            },
        )
        self.record_event(
            target,
            kind=IdeaEvent.Kind.UNMERGED,
            internal_note=self.reason,
            data={"unmerged_idea": source.pk, "unmerged_reference": source.reference},
        )

    def side_effects(self) -> None:
        """Tell those who were told of the merge (the author, the followers who moved and
        came back) that the idea stands on its own again. While the idea is hidden, only
        its author may see it, so only the author hears of it."""
        source, target, by = self.locked, self.locked_into, self.by
        emails: set[str] = set()
        if source.author_id != by.pk and source.author.is_active:
            emails.add(source.author.email)
        if not source.is_hidden:
            emails.update(_active_follower_emails(source, exclude=by))
        context = {
            "idea": source,
            "event": self.event,
            "merged_into": target,
            "base_url": base_url(),
        }
        _queue_each(emails, template="ideas/emails/merge_undone", context=context)
        invalidation.reindex(source)
        invalidation.reindex(target)
        extensions.status_changed(source, self.event)


def idea_merge(*, idea: Idea, into: Idea, by: User, public_reason: str = "") -> Idea:
    """Merge duplicate `idea` into `into` (see `MergeAction`); both caller copies are
    brought up to date. Raises `TransitionError` or `TransitionPermissionDenied`."""
    return MergeAction(idea, by=by, into=into, public_reason=public_reason).execute()


def idea_unmerge(*, idea: Idea, by: User, reason: str = "") -> Idea:
    """Undo the latest merge of `idea` (see `UnmergeAction`)."""
    return UnmergeAction(idea, by=by, reason=reason).execute()
