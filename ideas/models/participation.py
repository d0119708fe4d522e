"""How people take part in an idea or a challenge: supporting it and following it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ideas.models.ideas import Idea


class Vote(models.Model):
    """One person's support for one idea. The unique constraint is the source of truth."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "voter"], name="ideas_one_vote_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} supports {self.idea_id}"


class Follow(models.Model):
    """Someone following an idea or a challenge, to be told when something happens."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    challenge = models.ForeignKey(
        "challenges.ChallengePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(challenge__isnull=True))
                | (Q(idea__isnull=True) & Q(challenge__isnull=False)),
                name="ideas_follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "idea"],
                condition=Q(idea__isnull=False),
                name="ideas_follow_idea_once",
            ),
            models.UniqueConstraint(
                fields=["user", "challenge"],
                condition=Q(challenge__isnull=False),
                name="ideas_follow_challenge_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id or self.challenge_id}"
