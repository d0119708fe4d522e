"""Ideas and proposals, the support they get, and their audit trail."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from ideas.storage import private_attachment_storage


class IdeaStatus(models.TextChoices):
    """The lifecycle: nytt -> nyttig -> nyttiggjort, and the ways out of it.

    The allowed transitions live in `ideas.workflow`; status never changes any other way.
    """

    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    ACCEPTED = "accepted", _("Accepted")
    IMPLEMENTED = "implemented", _("Put into use")
    REJECTED = "rejected", _("Not taken forward")
    MERGED = "merged", _("Merged with another idea")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which an idea is shown publicly. Withdrawn ideas disappear; merged ideas
# are shown only as a redirect to the idea they were merged into.
PUBLIC_STATUSES = (
    IdeaStatus.SUBMITTED,
    IdeaStatus.IN_REVIEW,
    IdeaStatus.ACCEPTED,
    IdeaStatus.IMPLEMENTED,
    IdeaStatus.REJECTED,
)
# Statuses in which people may still add or withdraw their support. Once an idea is
# concluded (put into use, not taken forward, merged, withdrawn) its count stays what it
# was when the decision was made.
VOTING_STATUSES = (
    IdeaStatus.SUBMITTED,
    IdeaStatus.IN_REVIEW,
    IdeaStatus.ACCEPTED,
)


class IdeaKind(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROPOSAL = "proposal", _("Proposal from an organisation")


class IdeaTag(TagBase):
    """Tags on ideas, kept apart from the tags editors put on pages."""

    class Meta:
        verbose_name = _("idea tag")
        verbose_name_plural = _("idea tags")


def _ideas_changed(*, counted: bool = True) -> None:
    """Tell cached figures and fragments that ideas changed (see portal.versions).

    `counted`: the change may move ideas in or out of public lists and filters.
    """
    from portal import versions

    if counted:
        versions.bump(versions.IDEAS, versions.PUBLIC_IDEAS)
    else:
        versions.bump(versions.IDEAS)


class IdeaWritesQuerySet(models.QuerySet):
    """Writes that bypass `save()` still tell cached figures that ideas changed.

    Saves and deletes of single rows are covered by portal.invalidation (see
    `ideas.apps`); `update()` and `bulk_create()` send no signal, so they bump here.
    """

    def _changes_counts(self, fields: Iterable[str]) -> bool:
        return True  # tags filter the public lists, so tagging changes counts too

    def update(self, **kwargs) -> int:
        updated = super().update(**kwargs)
        if updated:
            _ideas_changed(counted=self._changes_counts(kwargs))
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            _ideas_changed()
        return created

    def delete(self):
        deleted = super().delete()
        if deleted[0]:
            _ideas_changed()
        return deleted


class TaggedIdea(TaggedItemBase):
    tag = models.ForeignKey(IdeaTag, on_delete=models.CASCADE, related_name="tagged_ideas")
    content_object = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="tagged_items"
    )

    objects = IdeaWritesQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="ideas_tagged_unique")
        ]


# The database form of "public" (see IdeaQuerySet.public). The partial indexes below use
# the same condition, so the planner can serve public lists straight from them.
PUBLIC_Q = Q(status__in=[status.value for status in PUBLIC_STATUSES], is_hidden=False)

# Fields that decide whether an idea is public and in which filtered lists it is counted.
# Changing any of them changes cached counts (portal.versions.PUBLIC_IDEAS).
COUNTED_FIELDS = frozenset(
    {
        "status",
        "is_hidden",
        "challenge",
        "challenge_id",
        "theme",
        "theme_id",
        "owning_unit",
        "owning_unit_id",
        "kind",
    }
)


class IdeaQuerySet(IdeaWritesQuerySet):
    def public(self) -> IdeaQuerySet:
        """What anyone may see: not hidden, not withdrawn, not merged away."""
        return self.filter(PUBLIC_Q)

    def _changes_counts(self, fields: Iterable[str]) -> bool:
        return bool(COUNTED_FIELDS.intersection(fields))


class Idea(models.Model):
    reference = models.CharField(
        _("reference"),
        max_length=12,
        unique=True,
        help_text=_("Public reference, e.g. 2026-00042."),
    )
    title = models.CharField(_("title"), max_length=140)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences, shown on cards.")
    )
    description = models.TextField(
        _("description"), help_text=_("Plain text; simple Markdown is allowed.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdeaKind, default=IdeaKind.IDEA)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    challenge = models.ForeignKey(
        "challenges.ChallengePage",
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    theme = models.ForeignKey(
        "challenges.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    tags = TaggableManager(through=TaggedIdea, blank=True, verbose_name=_("tags"))
    location = models.CharField(_("location"), max_length=200, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus, default=IdeaStatus.SUBMITTED
    )
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    owning_unit = models.ForeignKey(
        "portal.Unit",
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_ideas",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_ideas",
    )
    is_hidden = models.BooleanField(
        _("hidden by moderators"),
        default=False,
        help_text=_("Hidden ideas are shown nowhere public, whatever their status."),
    )
    # Why staff hid the idea, in words for its author (who still sees the page). Set
    # and cleared only by `ideas.workflow.idea_hide` / `idea_unhide`.
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # Recounted from the Vote rows in the transaction that writes them, whoever does
    # (ideas.counts), so lists can sort by support without counting.
    support_count = models.PositiveIntegerField(_("supporters"), default=0, editable=False)
    # Recounted from the publicly visible comments the same way.
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)

    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=IdeaKind.IDEA) | Q(organisation__isnull=False),
                name="ideas_proposal_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status=IdeaStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=IdeaStatus.MERGED) & Q(merged_into__isnull=True)),
                name="ideas_merged_iff_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="ideas_not_merged_into_self"
            ),
            # A reason for hiding an idea that is shown would mislead its author.
            models.CheckConstraint(
                condition=Q(is_hidden=True) | Q(hidden_reason=""),
                name="ideas_hidden_reason_only_when_hidden",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="ideas_status_created"),
            models.Index(fields=["owning_unit", "status", "status_changed_at"], name="ideas_queue"),
            # One partial index per public sort order: a page of a public list is read
            # in index order and stops after a page, however many ideas there are.
            models.Index(
                fields=["-created_at", "-id"], condition=PUBLIC_Q, name="ideas_public_newest"
            ),
            models.Index(
                fields=["-support_count", "-created_at", "-id"],
                condition=PUBLIC_Q,
                name="ideas_public_supported",
            ),
            models.Index(
                fields=["-comment_count", "-created_at", "-id"],
                condition=PUBLIC_Q,
                name="ideas_public_discussed",
            ),
            models.Index(
                fields=["-updated_at", "-id"], condition=PUBLIC_Q, name="ideas_public_updated"
            ),
            models.Index(
                fields=["challenge", "-support_count", "-created_at", "-id"],
                condition=PUBLIC_Q,
                name="ideas_public_challenge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", kwargs={"reference": self.reference})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and not self.is_hidden

    @property
    def accepts_votes(self) -> bool:
        return self.status in VOTING_STATUSES and not self.is_hidden


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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idea event")
        verbose_name_plural = _("idea events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "created_at"], name="ideas_event_timeline")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.kind} {self.from_status}->{self.to_status}"


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


class RoutingRule(models.Model):
    """Sends ideas that match one condition to a unit. Lower priority numbers win."""

    name = models.CharField(_("name"), max_length=120)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    challenge = models.ForeignKey(
        "challenges.ChallengePage",
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    theme = models.ForeignKey(
        "challenges.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    tag = models.ForeignKey(
        IdeaTag,
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    idea_kind = models.CharField(_("idea kind"), max_length=20, choices=IdeaKind, blank=True)
    target_unit = models.ForeignKey(
        "portal.Unit",
        verbose_name=_("target unit"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "pk"]
        constraints = [
            # Exactly one condition per rule keeps rules easy to read and to order.
            models.CheckConstraint(
                condition=(
                    Q(challenge__isnull=False, theme__isnull=True, tag__isnull=True, idea_kind="")
                    | Q(challenge__isnull=True, theme__isnull=False, tag__isnull=True, idea_kind="")
                    | Q(challenge__isnull=True, theme__isnull=True, tag__isnull=False, idea_kind="")
                    | (
                        Q(challenge__isnull=True, theme__isnull=True, tag__isnull=True)
                        & ~Q(idea_kind="")
                    )
                ),
                name="ideas_routing_rule_one_condition",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """The last public reference number handed out in a year.

    `idea_submit` locks the year's row (select_for_update) so that concurrent submissions
    get consecutive, unique numbers; the unique constraint on Idea.reference backs it up.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")


ATTACHMENT_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


def attachment_upload_to(instance: IdeaAttachment, filename: str) -> str:
    # The stored name is not the uploader's: it avoids collisions and leaks nothing.
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"ideas/attachments/{uuid.uuid4().hex}.{extension}"


class IdeaAttachment(models.Model):
    """An image or PDF attached to an idea when it was submitted. Checked by content."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    # Not under MEDIA_ROOT: served only by ideas.views.attachment_download (see storage).
    file = models.FileField(
        _("file"),
        upload_to=attachment_upload_to,
        storage=private_attachment_storage,
        max_length=200,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind)
    original_name = models.CharField(_("file name"), max_length=200)
    alt_text = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AttachmentKind.IMAGE) | ~Q(alt_text=""),
                name="ideas_image_attachment_has_alt",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "ideas:attachment",
            kwargs={
                "reference": self.idea.reference,
                "attachment_id": self.pk,
                "filename": self.download_name,
            },
        )

    @property
    def download_name(self) -> str:
        """The uploader's file name, made safe for a URL and a Content-Disposition."""
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        try:
            name = get_valid_filename(self.original_name)
        except SuspiciousFileOperation:  # nothing usable left of the name
            name = ""
        return name if name.lower().endswith(f".{extension}") else f"{name or 'file'}.{extension}"

    @property
    def content_type(self) -> str:
        # Decided by the stored name's extension, which the upload's content decided.
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        return ATTACHMENT_CONTENT_TYPES.get(extension, "application/octet-stream")
