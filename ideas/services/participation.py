"""Supporting and following: what any signed-in person does with ideas and challenges.

Every function is keyword-only and runs in one transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from challenges.models import ChallengePage
from ideas import counts
from ideas.models import (
    Follow,
    Idea,
    Vote,
)
from portal import invalidation
from portal.models import User


class VotingClosed(Exception):
    """Raised when someone tries to support (or stop supporting) a closed idea."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("This idea no longer accepts support."))
        self.message = str(self.args[0])


class OwnIdea(VotingClosed):
    """Raised when authors try to support their own idea (no peer platform lets them)."""

    def __init__(self) -> None:
        super().__init__(_("You cannot support your own idea; others can."))


def _lock_for_voting(idea: Idea) -> Idea:
    # Only what `accepts_votes` reads: the lock is the point, not the data.
    return Idea.objects.select_for_update().only("pk", "status", "is_hidden").get(pk=idea.pk)


def vote_cast(*, idea: Idea, voter: User) -> bool:
    """Support an idea. Returns True if a vote was added, False if it already existed.

    Locks the idea row so concurrent votes recount one after another; the unique
    constraint (idea, voter) decides whether this is a new vote, and support_count is
    recounted from the rows in the same transaction (by `ideas.counts.support_changed`,
    which portal.invalidation runs for every Vote row written, whoever writes it).
    Raises VotingClosed when the idea does not accept votes, OwnIdea when `voter` wrote
    it. Reindexes on commit.
    """
    with transaction.atomic():
        locked = _lock_for_voting(idea)
        if not locked.accepts_votes:
            raise VotingClosed()
        if locked.author_id == voter.pk:
            raise OwnIdea()
        try:
            with transaction.atomic():
                Vote.objects.create(idea=locked, voter=voter)  # recounts into `locked`
            created = True
        except IntegrityError:
            created = False  # already supported: the constraint is the truth
            locked.support_count = counts.recount_support(locked.pk)
        idea.support_count = locked.support_count
        invalidation.reindex(locked)
    return created


def vote_withdraw(*, idea: Idea, voter: User) -> bool:
    """Take back one's support. Returns True if a vote was removed.

    Same locking and recount as `vote_cast`; refused (VotingClosed) when the idea no
    longer accepts votes, so a concluded idea's count stays as it was.
    """
    with transaction.atomic():
        locked = _lock_for_voting(idea)
        if not locked.accepts_votes:
            raise VotingClosed()
        vote = Vote.objects.filter(idea=locked, voter=voter).first()
        if vote is not None:
            vote.idea = locked  # the recount on delete writes the new figure into it
            vote.delete()
        else:
            locked.support_count = counts.recount_support(locked.pk)
        idea.support_count = locked.support_count
        invalidation.reindex(locked)
    return vote is not None


# --- Follow -------------------------------------------------------------------------------


def follow_idea(*, user: User, idea: Idea) -> bool:
    """Follow an idea; True if this created the follow (idempotent)."""
    _follow, created = _get_or_create_follow(user=user, idea=idea)
    return created


def unfollow_idea(*, user: User, idea: Idea) -> bool:
    deleted, _details = Follow.objects.filter(user=user, idea=idea).delete()
    return bool(deleted)


def follow_challenge(*, user: User, challenge: ChallengePage) -> bool:
    """Follow a challenge: be told about new ideas answering it. True if new."""
    _follow, created = _get_or_create_follow(user=user, challenge=challenge)
    return created


def unfollow_challenge(*, user: User, challenge: ChallengePage) -> bool:
    deleted, _details = Follow.objects.filter(user=user, challenge=challenge).delete()
    return bool(deleted)


def _get_or_create_follow(**lookup) -> tuple[Follow, bool]:
    # get_or_create retries the read inside a savepoint when a concurrent insert wins
    # the partial unique constraint, so double clicks never show an error.
    with transaction.atomic():
        return Follow.objects.get_or_create(**lookup)
