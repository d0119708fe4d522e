"""The audit trail of an idea."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ideas.models.ideas import Idea, IdeaStatus


class IdeaEvent(models.Model):
    """The audit trail of an idea: who did what, when, and what the public may see."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        EDITED = "edited", _("Edited by the author")
        TRANSITION = "transition", _("Status changed")
        REROUTED = "rerouted", _("Moved to another unit")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Internal note")
        ANSWER = "answer", _("Answer from the municipality")
        MERGED = "merged", _("Merged")
        UNMERGED = "unmerged", _("Merge undone")
        HIDDEN = "hidden", _("Hidden by moderators")
        SHOWN = "shown", _("Shown again by moderators")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    from_status = models.CharField(max_length=20, choices=IdeaStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=IdeaStatus, blank=True)
    public_text = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    # Internal events (notes, assignment) are shown to staff only.
    is_internal = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    # The municipality a note or answer was written for, decided when it is written (the
    # idea's own for its staff, a partner's for a partner of a joint challenge) and kept:
    # the author moving to another unit later does not rewrite whose words these were.
    municipality = models.ForeignKey(
        "portal.Municipality",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idea event")
        verbose_name_plural = _("idea events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "created_at"], name="ideas_event_timeline")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.kind} {self.from_status}->{self.to_status}"
