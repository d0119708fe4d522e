"""The solution library ("Stjæl og del", issue 16): solutions municipalities share, and
the adoptions that show whether a solution worked elsewhere too.

A `Solution` belongs to the municipality that shares it. It comes from one of its
projects whose solution was put into use (its realised gains are shown with it), from an
idea put into use, or from outside the platform (another municipality's published
solution, a national programme: a source link and organisation). Staff write it as a
draft and submit it; editors or administrators of the owning municipality publish it or
return it with a comment. Only published solutions are ever public.

An `Adoption` is another municipality taking a published solution up: a project of its
own, linked to the source, with the source project's gain definitions copied (never
measurements or baselines), so both measure the same things against their own
baselines.

Everything is written through `solutions.actions`, each change with a `SolutionEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEvent


class SolutionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SolutionSource(models.TextChoices):
    PROJECT = "project", _("A project of ours, put into use")
    IDEA = "idea", _("An idea of ours, put into use")
    EXTERNAL = "external", _("From outside the platform")


class SolutionKind(models.TextChoices):
    DIGITAL = "digital", _("Digital service or tool")
    SERVICE = "service", _("Service model or way of working")
    WELFARE_TECHNOLOGY = "welfare_technology", _("Welfare technology")
    ORGANISATION = "organisation", _("Organisation or collaboration")
    PHYSICAL = "physical", _("Physical measure or building")
    OTHER = "other", _("Other")


class ReuseTerms(models.TextChoices):
    OPEN_LICENCE = "open_licence", _("Open licence: take it and use it")
    SHARED_PROCUREMENT = "shared_procurement", _("Join our procurement or framework agreement")
    CALL_US = "call_us", _("Call us and we will tell you how")
    OTHER = "other", _("Other terms")


class SolutionQuerySet(models.QuerySet):
    def published(self) -> SolutionQuerySet:
        """What anyone may see: published solutions only (never drafts, reviews or
        withdrawn ones)."""
        return self.filter(status=SolutionStatus.PUBLISHED)


class Solution(models.Model):
    municipality = models.ForeignKey(
        "portal.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="solutions",
    )
    title = models.CharField(_("title"), max_length=160)
    # Given once, at creation, and never changed: the public address must stay stable
    # so other municipalities (and those off the platform) can link to it.
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    problem = models.TextField(_("the problem it solves"), max_length=3000)
    what_was_done = models.TextField(_("what was done"), max_length=5000)
    # What it took. Public: that is the point of sharing it.
    cost = models.CharField(_("cost"), max_length=300, blank=True)
    time_taken = models.CharField(_("time it took"), max_length=300, blank=True)
    competence = models.CharField(_("competence needed"), max_length=500, blank=True)
    technology = models.CharField(_("technology"), max_length=500, blank=True)
    procurement_route = models.CharField(_("procurement route"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    reuse_terms = models.CharField(_("terms for reuse"), max_length=30, choices=ReuseTerms)
    reuse_terms_text = models.TextField(
        _("the terms in words"),
        blank=True,
        help_text=_("Required for “other terms”; otherwise anything to add."),
    )
    themes = models.ManyToManyField(
        "challenges.Theme", verbose_name=_("themes"), blank=True, related_name="solutions"
    )
    kind = models.CharField(_("kind of solution"), max_length=30, choices=SolutionKind)
    source = models.CharField(_("source"), max_length=20, choices=SolutionSource)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="solutions",
    )
    idea = models.ForeignKey(
        "ideas.Idea",
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="solutions",
    )
    source_url = models.URLField(_("source link"), blank=True)
    source_organisation = models.CharField(_("source organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SolutionStatus, default=SolutionStatus.DRAFT
    )
    # The reviewer's latest comment when returned: shown to the authors, never public.
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = SolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="solutions_titled"),
            models.CheckConstraint(condition=~Q(slug=""), name="solutions_slug_not_empty"),
            models.CheckConstraint(condition=~Q(problem=""), name="solutions_problem_described"),
            models.CheckConstraint(condition=~Q(what_was_done=""), name="solutions_work_described"),
            models.CheckConstraint(condition=~Q(contact_name=""), name="solutions_has_contact"),
            # The source is exactly one of: a project, an idea, a link outside.
            models.CheckConstraint(
                condition=(
                    Q(source=SolutionSource.PROJECT)
                    & Q(project__isnull=False)
                    & Q(idea__isnull=True)
                    & Q(source_url="")
                )
                | (
                    Q(source=SolutionSource.IDEA)
                    & Q(project__isnull=True)
                    & Q(idea__isnull=False)
                    & Q(source_url="")
                )
                | (
                    Q(source=SolutionSource.EXTERNAL)
                    & Q(project__isnull=True)
                    & Q(idea__isnull=True)
                    & ~Q(source_url="")
                    & ~Q(source_organisation="")
                ),
                name="solutions_one_source",
            ),
            models.CheckConstraint(
                condition=~Q(reuse_terms=ReuseTerms.OTHER) | ~Q(reuse_terms_text=""),
                name="solutions_other_terms_described",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[SolutionStatus.DRAFT, SolutionStatus.IN_REVIEW])
                | Q(published_at__isnull=False),
                name="solutions_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "municipality"], name="solutions_library"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("solutions:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == SolutionStatus.PUBLISHED


class SolutionDocument(models.Model):
    """A document shared with the solution (a Wagtail document): public with it."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("solution document")
        verbose_name_plural = _("solution documents")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="solutions_document_titled"),
        ]

    def __str__(self) -> str:
        return self.title


class Adoption(models.Model):
    """Another municipality took the solution up: its own project, linked to the source.

    Once per municipality and solution (a database constraint); the project is the
    adopter's own, and its gains say whether the solution worked there too.
    """

    solution = models.ForeignKey(Solution, on_delete=models.PROTECT, related_name="adoptions")
    municipality = models.ForeignKey(
        "portal.Municipality",
        verbose_name=_("adopting municipality"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="adopted_from",
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["adopted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "municipality"], name="solutions_adopted_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.solution_id} → {self.municipality_id}"


class SolutionEvent(AuditEvent):
    """The audit trail of a solution: every change, review and adoption. Never public."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Changed")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned with a comment")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REOPENED = "reopened", _("Reopened as a draft")
        DOCUMENT_ADDED = "document_added", _("Document added")
        ADOPTED = "adopted", _("Adopted by another municipality")

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    text = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        verbose_name = _("solution event")
        verbose_name_plural = _("solution events")

    def __str__(self) -> str:
        return f"{self.solution_id}: {self.kind}"
