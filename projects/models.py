"""Innovation projects: what an accepted idea becomes when the municipality carries it on.

A project belongs to one owning unit (and so to that unit's municipality), has a project
owner, participating units (of any municipality) each with a named contact, a team, a
phase from an editable list (seeded with KS' roadmap for service innovation), milestones,
an internal budget figure, documents and an audit trail that doubles as the internal
log. When its solution is put into use (`ProjectAdoption`), its ideas move to
"put into use" and the answers KS' innovation barometer asks are kept.

Everything is written through `projects.actions`; expected gains (a later step) hang off
`Project` the same way milestones do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ideas.storage import private_attachment_storage
from portal.i18n import Label, label
from portal.models import AuditEvent


class Phase(models.Model):
    """One step of the road a project walks; the list is data, edited in the admin."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_en = models.CharField(
        _("name in English"),
        max_length=80,
        blank=True,
        help_text=_("Shown on the English pages. Leave empty to show the Norwegian name there."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), unique=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive phases are not offered for new changes; projects in them keep them."),
    )

    class Meta:
        verbose_name = _("project phase")
        verbose_name_plural = _("project phases")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> Label:
        return label(self, "name")


# Addresses below /prosjekter/ that other pages use (the gains app's overview and
# showcase, gains.urls): a project never takes them as its slug.
RESERVED_SLUGS = frozenset({"gevinster", "tatt-i-bruk"})


class ProjectQuerySet(models.QuerySet):
    def involving(self, user) -> ProjectQuerySet:
        """Projects the person works on: as staff of the owning unit, project owner,
        contact of a participating unit or team member."""
        return self.filter(
            Q(owning_unit__staff=user)
            | Q(owner=user)
            | Q(participations__contact=user)
            | Q(team__user=user)
        ).distinct()


class Project(models.Model):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(
        _("public summary"), max_length=1000, help_text=_("Shown on the public project page.")
    )
    # Always the owning unit's municipality (set by the services, which take it from
    # the unit), so a municipality's projects are one indexed filter away.
    municipality = models.ForeignKey(
        "portal.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    owning_unit = models.ForeignKey(
        "portal.Unit",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="owned_projects",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project owner"),
        on_delete=models.PROTECT,
        related_name="owned_projects",
    )
    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.PROTECT, related_name="projects"
    )
    # Internal: never on a public page, in a feed or in search.
    budget = models.DecimalField(
        _("budget (NOK)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="projects_budget_not_negative",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="projects_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="projects_slug_not_empty"),
        ]
        indexes = [models.Index(fields=["municipality", "phase"], name="projects_municipality")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    @property
    def is_put_into_use(self) -> bool:
        return hasattr(self, "adoption")


class ProjectIdea(models.Model):
    """An idea the project carries on. An idea is carried on by one project at most."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="idea_links")
    idea = models.OneToOneField("ideas.Idea", on_delete=models.CASCADE, related_name="project_link")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idea in a project")
        verbose_name_plural = _("ideas in projects")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.idea_id}"


class ParticipatingUnit(models.Model):
    """A unit taking part besides the owning one, with the person to ask there. It may
    belong to another municipality."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(
        "portal.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="project_participations",
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="project_contacts",
    )
    role = models.CharField(_("contribution"), max_length=200, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participating unit")
        verbose_name_plural = _("participating units")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="projects_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.contact})"


class TeamMember(models.Model):
    """A person working in the project. Internal: the public page names units only."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="project_memberships",
    )
    role = models.CharField(_("role"), max_length=120, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="projects_member_once"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Milestone(models.Model):
    """A step with a planned date and, once reached, the date it actually was."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    planned_on = models.DateField(_("planned date"))
    reached_on = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="projects_milestone_titled"),
        ]

    def __str__(self) -> str:
        return self.title


def document_upload_to(document: ProjectDocument, filename: str) -> str:
    return f"projects/{document.project_id}/{filename}"


class ProjectDocument(models.Model):
    """A document: a Wagtail document, or a file kept in the private folder (served
    only through a view that checks who asks). Internal unless marked public."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        storage=private_attachment_storage,
        blank=True,
        max_length=300,
    )
    is_public = models.BooleanField(_("public"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(document__isnull=False) & Q(file=""))
                | (Q(document__isnull=True) & ~Q(file="")),
                name="projects_document_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ValueOrigin(models.TextChoices):
    """KS' innovation barometer: was the municipality first, or inspired by others?"""

    FIRST = "first", _("We were the first, as far as we know")
    INSPIRED = "inspired", _("Inspired by someone else")


class ProjectAdoption(models.Model):
    """The project's solution put into use, with the innovation barometer's answers.

    Its existence is the fact: at most one per project (one-to-one).
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="adoption")
    put_into_use_on = models.DateField(_("put into use on"))
    # The result as the public reads it; the ideas' status change carries it too.
    public_text = models.TextField(_("the result"))
    origin = models.CharField(_("first or inspired"), max_length=20, choices=ValueOrigin)
    source_url = models.URLField(_("inspired by (link)"), blank=True)
    spread = models.BooleanField(_("spread to others"), default=False)
    # The kinds of value the barometer asks about; any number of them.
    value_quality = models.BooleanField(_("better quality"), default=False)
    value_efficiency = models.BooleanField(_("more efficient"), default=False)
    value_avoided_costs = models.BooleanField(_("avoided costs"), default=False)
    value_working_environment = models.BooleanField(_("better working environment"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    VALUE_FIELDS = (
        "value_quality",
        "value_efficiency",
        "value_avoided_costs",
        "value_working_environment",
    )

    class Meta:
        verbose_name = _("put into use")
        verbose_name_plural = _("put into use")
        constraints = [
            # Inspired by someone: say by whom (a link). First: there is nobody to name.
            models.CheckConstraint(
                condition=(Q(origin=ValueOrigin.INSPIRED) & ~Q(source_url=""))
                | (Q(origin=ValueOrigin.FIRST) & Q(source_url="")),
                name="projects_adoption_source_iff_inspired",
            ),
            models.CheckConstraint(
                condition=~Q(public_text=""), name="projects_adoption_has_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.put_into_use_on}"

    def values(self) -> list[str]:
        """The labels of the kinds of value ticked."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.VALUE_FIELDS
            if getattr(self, name)
        ]


class ProjectEvent(AuditEvent):
    """The audit trail of a project, and its internal log (NOTE). Never public."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Project started")
        EDITED = "edited", _("Details changed")
        PHASE = "phase", _("Phase changed")
        MILESTONE_ADDED = "milestone_added", _("Milestone added")
        MILESTONE_CHANGED = "milestone_changed", _("Milestone changed")
        UNIT_ADDED = "unit_added", _("Unit joined")
        UNIT_REMOVED = "unit_removed", _("Unit left")
        MEMBER_ADDED = "member_added", _("Team member added")
        MEMBER_REMOVED = "member_removed", _("Team member removed")
        DOCUMENT_ADDED = "document_added", _("Document added")
        NOTE = "note", _("Log entry")
        PUT_INTO_USE = "put_into_use", _("Put into use")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    text = models.TextField(blank=True)

    class Meta(AuditEvent.Meta):
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        indexes = [models.Index(fields=["project", "created_at"], name="projects_event_timeline")]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.kind}"
