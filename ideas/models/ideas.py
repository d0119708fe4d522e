"""Ideas and proposals: their lifecycle statuses, tags and public references."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from portal import versions


class IdeaStatus(models.TextChoices):
    """The lifecycle: nytt -> nyttig -> nyttiggjort, and the ways out of it.

    The allowed transitions live in `ideas.actions.transitions`; status never changes any other way.
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
    if counted:
        versions.bump(versions.IDEAS, versions.SUPPORT, versions.PUBLIC_IDEAS)
    else:
        versions.bump(versions.IDEAS, versions.SUPPORT)


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
    # Decided once, at submission: the challenge's municipality, else the one the author
    # chose (ideas.services.submission.idea_municipality). Never changes afterwards.
    municipality = models.ForeignKey(
        "portal.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
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
    # and cleared only by `ideas.actions.idea_hide` / `idea_unhide`.
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
            models.Index(fields=["municipality", "status"], name="ideas_municipality_status"),
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
            # The same orders for a municipality's own list (`/<slug>/ideer/`): the
            # regional list keeps the indexes above, which the municipality cannot lead.
            models.Index(
                fields=["municipality", "-created_at", "-id"],
                condition=PUBLIC_Q,
                name="ideas_public_m_newest",
            ),
            models.Index(
                fields=["municipality", "-support_count", "-created_at", "-id"],
                condition=PUBLIC_Q,
                name="ideas_public_m_supported",
            ),
            models.Index(
                fields=["municipality", "-comment_count", "-created_at", "-id"],
                condition=PUBLIC_Q,
                name="ideas_public_m_discussed",
            ),
            models.Index(
                fields=["municipality", "-updated_at", "-id"],
                condition=PUBLIC_Q,
                name="ideas_public_m_updated",
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
