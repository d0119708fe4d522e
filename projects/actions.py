"""Every write to a project, through `portal.actions`' pipeline (lock, check, write,
audit event, e-mail on commit), as `ideas.actions` does for ideas.

Callers use the `project_<action>` functions (or the classes, as the staff screens do).
Each records a `ProjectEvent`; refusals raise `ActionNotAllowed` or
`ProjectPermissionDenied` with a message for the person, and change nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.actions import idea_transition
from ideas.models import Idea, IdeaStatus
from portal.actions import Action, ActionNotAllowed, ActionPermissionDenied
from portal.models import Unit, User
from portal.slugs import norwegian_slugify
from projects import notifications, permissions
from projects.models import (
    RESERVED_SLUGS,
    Milestone,
    ParticipatingUnit,
    Phase,
    Project,
    ProjectAdoption,
    ProjectDocument,
    ProjectEvent,
    ProjectIdea,
    TeamMember,
    ValueOrigin,
)

R = TypeVar("R")
Row = TypeVar("Row", ParticipatingUnit, TeamMember)
E = ProjectEvent.Kind


class ProjectPermissionDenied(ActionPermissionDenied):
    """The person may not do this to this project."""


def _text(value: str | None) -> str:
    return (value or "").strip()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ActionNotAllowed(message)


def _first_phase() -> Phase:
    phase = Phase.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    if phase is None:
        raise ActionNotAllowed(_("There are no project phases; an administrator must add them."))
    return phase


def unique_slug(name: str) -> str:
    """A slug for a new project's address: its name, numbered if already taken."""
    base = norwegian_slugify(name)[:70] or "prosjekt"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _new_project(name: str, summary: str, *, unit: Unit, owner: User) -> Project:
    """A project of `unit`'s municipality in the first phase, at an address made from
    its name; refused (nothing written) if another project took that address a moment
    ago."""
    try:
        with transaction.atomic():
            return Project.objects.create(
                name=name,
                slug=unique_slug(name),
                summary=summary,
                municipality_id=unit.municipality_id,
                owning_unit=unit,
                owner=owner,
                phase=_first_phase(),
            )
    except IntegrityError as clash:  # someone took the slug a moment ago
        raise ActionNotAllowed(_("Another project got that name just now; try again.")) from clash


# --- Starting a project ---------------------------------------------------------------------


class StartProjectAction(Action[Idea, Project]):
    """Start a project from one or several accepted ideas.

    Preconditions, checked with every idea locked: each idea is accepted, not hidden and
    in no project yet, all from one municipality; `by` may act on each (staff of its
    owning unit, or an admin) and may own projects for `owning_unit` (by default the
    first idea's owning unit), which is active and of the ideas' municipality. The
    project starts in the first active phase, with `by` as owner unless another is
    named. On commit, the ideas' authors, supporters and followers are told by e-mail.
    """

    model = Idea
    lock_touch_field = "updated_at"
    lock_select_related = ("owning_unit", "author")
    permission_denied = ProjectPermissionDenied
    updates_caller = False

    def __init__(
        self,
        ideas: Sequence[Idea],
        *,
        by: User,
        name: str,
        summary: str,
        owning_unit: Unit | None = None,
        owner: User | None = None,
    ) -> None:
        if not ideas:
            raise ActionNotAllowed(_("Choose at least one idea to start the project from."))
        super().__init__(ideas[0], by=by)
        self.idea_pks = sorted({idea.pk for idea in ideas})
        self.name, self.summary = _text(name), _text(summary)
        self.owning_unit = owning_unit or ideas[0].owning_unit
        self.owner = owner or by
        self.ideas: list[Idea] = []
        self.project: Project | None = None

    def clean(self) -> None:
        super().clean()
        _require(bool(self.name), _("Give the project a name."))
        _require(bool(self.summary), _("Write a short public summary of the project."))

    def lock(self) -> Idea:
        locked = self.lock_rows(self.idea_pks)
        self.ideas = [locked[pk] for pk in self.idea_pks]
        return self.ideas[0]

    def check(self) -> None:
        for idea in self.ideas:
            self._check_idea(idea)
        unit = self.owning_unit
        _require(unit is not None and unit.is_active, _("Choose an active owning unit."))
        municipalities = {idea.municipality_id for idea in self.ideas}
        _require(
            municipalities == {unit.municipality_id},
            _("The ideas and the owning unit must belong to one municipality."),
        )
        if not permissions.may_own(self.by, unit):
            raise ProjectPermissionDenied(
                _("Only staff of %(unit)s may start its projects.") % {"unit": unit}
            )
        _require(self.owner.is_active, _("The project owner must be an active user."))

    def _check_idea(self, idea: Idea) -> None:
        _require(
            idea.status == IdeaStatus.ACCEPTED and not idea.is_hidden,
            _("Idea %(reference)s is not accepted; only accepted ideas become projects.")
            % {"reference": idea.reference},
        )
        if not permissions.can_start_from(self.by, [idea]):
            raise ProjectPermissionDenied(
                _("Only staff of %(unit)s may start a project from idea %(reference)s.")
                % {"unit": idea.owning_unit or _("the owning unit"), "reference": idea.reference}
            )
        _require(
            not ProjectIdea.objects.filter(idea=idea).exists(),
            _("Idea %(reference)s is already carried on in a project.")
            % {"reference": idea.reference},
        )

    def perform(self) -> None:
        unit = self.owning_unit
        assert unit is not None  # checked
        self.project = _new_project(self.name, self.summary, unit=unit, owner=self.owner)
        ProjectIdea.objects.bulk_create(
            ProjectIdea(project=self.project, idea=idea) for idea in self.ideas
        )

    def record(self) -> None:
        record(
            self.project,
            self.by,
            E.STARTED,
            data={"ideas": [idea.reference for idea in self.ideas]},
        )

    def side_effects(self) -> None:
        notifications.notify_project_started(self.project, self.ideas, exclude=self.by)

    def result(self) -> Project:
        assert self.project is not None
        return self.project


def project_start(
    *,
    ideas: Sequence[Idea],
    by: User,
    name: str,
    summary: str,
    owning_unit: Unit | None = None,
    owner: User | None = None,
) -> Project:
    """Start a project from accepted ideas (see `StartProjectAction`)."""
    return StartProjectAction(
        ideas, by=by, name=name, summary=summary, owning_unit=owning_unit, owner=owner
    ).execute()


class CreateProjectAction(Action[Unit, Project]):
    """Start a project that carries no idea on: one taken up from elsewhere (a solution
    another municipality shares, `solutions.actions`).

    Preconditions: `by` may own projects for `owning_unit` (its staff, or an admin),
    which is active. The unit is read, not changed, so nothing is locked; the project
    starts in the first active phase with `by` as owner unless another is named. The
    started event names where it came from (`origin`), for the internal log.
    """

    model = Unit
    lock_touch_field = "name"
    permission_denied = ProjectPermissionDenied
    updates_caller = False

    def __init__(
        self,
        owning_unit: Unit,
        *,
        by: User,
        name: str,
        summary: str,
        owner: User | None = None,
        origin: str = "",
    ) -> None:
        super().__init__(owning_unit, by=by)
        self.name, self.summary, self.origin = _text(name), _text(summary), _text(origin)
        self.owner = owner or by
        self.project: Project | None = None

    def clean(self) -> None:
        super().clean()
        _require(bool(self.name), _("Give the project a name."))
        _require(bool(self.summary), _("Write a short public summary of the project."))

    def lock(self) -> Unit:
        return self.target

    def check(self) -> None:
        unit = self.target
        _require(unit.is_active, _("Choose an active owning unit."))
        if not permissions.may_own(self.by, unit):
            raise ProjectPermissionDenied(
                _("Only staff of %(unit)s may start its projects.") % {"unit": unit}
            )
        _require(self.owner.is_active, _("The project owner must be an active user."))

    def perform(self) -> None:
        unit = self.target
        self.project = _new_project(self.name, self.summary, unit=unit, owner=self.owner)

    def record(self) -> None:
        record(self.project, self.by, E.STARTED, self.origin, data={"ideas": []})

    def result(self) -> Project:
        assert self.project is not None
        return self.project


def project_create(
    *,
    owning_unit: Unit,
    by: User,
    name: str,
    summary: str,
    owner: User | None = None,
    origin: str = "",
) -> Project:
    """Start a project without ideas (see `CreateProjectAction`)."""
    return CreateProjectAction(
        owning_unit, by=by, name=name, summary=summary, owner=owner, origin=origin
    ).execute()


# --- Actions on a project ---------------------------------------------------------------------


def record(project: Project | None, actor: User, kind: str, text: str = "", **extra: Any) -> None:
    """Append one event to the project's trail, in the transaction of the change."""
    ProjectEvent.objects.create(
        project=project, actor=actor, kind=kind, text=text, data=extra.get("data") or {}
    )


class ProjectAction(Action[Project, R]):
    """A change to one project by those who manage it (`check()` asks first)."""

    model = Project
    lock_touch_field = "updated_at"
    lock_select_related = ("owning_unit", "phase", "owner")
    permission_denied = ProjectPermissionDenied

    def check(self) -> None:
        if not permissions.can_manage(self.by, self.locked):
            raise ProjectPermissionDenied(
                _("Only staff of %(unit)s or the project owner may change this project.")
                % {"unit": self.locked.owning_unit}
            )

    def record_event(self, kind: str, text: str = "", **data: Any) -> None:
        record(self.locked, self.by, kind, text, data=data)


class EditDetailsAction(ProjectAction[Project]):
    """Change the name, public summary, project owner or budget. The address stays."""

    FIELDS = ("name", "summary", "owner", "budget")

    def __init__(self, project: Project, *, by: User, **values: Any) -> None:
        super().__init__(project, by=by)
        self.values = {key: values[key] for key in self.FIELDS if key in values}
        for key in ("name", "summary"):
            if key in self.values:
                self.values[key] = _text(self.values[key])
        self.changed: list[str] = []

    def clean(self) -> None:
        super().clean()
        _require(self.values.get("name", "-") != "", _("Give the project a name."))
        _require(self.values.get("summary", "-") != "", _("The public summary cannot be empty."))
        budget = self.values.get("budget")
        _require(budget is None or budget >= 0, _("The budget cannot be negative."))
        owner = self.values.get("owner")
        _require(owner is None or owner.is_active, _("The project owner must be an active user."))

    def changes_anything(self) -> bool:
        self.changed = [
            key
            for key, value in self.values.items()
            if value is not None or key == "budget"
            if getattr(self.locked, key) != value
        ]
        return bool(self.changed)

    def perform(self) -> None:
        for key in self.changed:
            setattr(self.locked, key, self.values[key])
        self.locked.save(update_fields=[*self.changed, "updated_at"])

    def record(self) -> None:
        self.record_event(E.EDITED, fields=sorted(self.changed))


class ChangePhaseAction(ProjectAction[Project]):
    """Move the project to another phase (forward or back); a note may say why."""

    def __init__(self, project: Project, *, by: User, phase: Phase, note: str = "") -> None:
        super().__init__(project, by=by)
        self.phase, self.note = phase, _text(note)
        self.from_phase: Phase | None = None

    def check(self) -> None:
        super().check()
        _require(self.phase.is_active, _("That phase is no longer in use."))

    def changes_anything(self) -> bool:
        return self.locked.phase_id != self.phase.pk

    def perform(self) -> None:
        self.from_phase = self.locked.phase
        self.locked.phase = self.phase
        self.locked.save(update_fields=["phase", "updated_at"])

    def record(self) -> None:
        assert self.from_phase is not None
        self.record_event(
            E.PHASE, self.note, from_phase=self.from_phase.name, to_phase=self.phase.name
        )


class MilestoneAction(ProjectAction[Milestone]):
    """Add a milestone, or change one of the project's (title, planned or actual date)."""

    updates_caller = False

    def __init__(
        self,
        project: Project,
        *,
        by: User,
        title: str,
        planned_on: datetime.date,
        reached_on: datetime.date | None = None,
        milestone: Milestone | None = None,
    ) -> None:
        super().__init__(project, by=by)
        self.title, self.planned_on, self.reached_on = _text(title), planned_on, reached_on
        self.milestone = milestone
        self.editing = milestone is not None

    def clean(self) -> None:
        super().clean()
        _require(bool(self.title), _("Give the milestone a title."))
        _require(
            self.reached_on is None or self.reached_on <= timezone.localdate(),
            _("The actual date cannot be in the future."),
        )

    def check(self) -> None:
        super().check()
        if self.milestone is not None:
            _require(
                self.milestone.project_id == self.locked.pk,
                _("That milestone belongs to another project."),
            )

    def perform(self) -> None:
        milestone = self.milestone or Milestone(project=self.locked)
        milestone.title, milestone.planned_on = self.title, self.planned_on
        milestone.reached_on = self.reached_on
        milestone.save()
        self.milestone = milestone

    def record(self) -> None:
        self.record_event(
            E.MILESTONE_CHANGED if self.editing else E.MILESTONE_ADDED,
            self.title,
            planned_on=self.planned_on.isoformat(),
            reached_on=self.reached_on.isoformat() if self.reached_on else None,
        )

    def result(self) -> Milestone:
        assert self.milestone is not None
        return self.milestone


class AddUnitAction(ProjectAction[ParticipatingUnit]):
    """Let another unit (of any municipality) take part, with a named contact there."""

    updates_caller = False

    def __init__(
        self, project: Project, *, by: User, unit: Unit, contact: User, role: str = ""
    ) -> None:
        super().__init__(project, by=by)
        self.unit, self.contact, self.role = unit, contact, _text(role)
        self.participation: ParticipatingUnit | None = None

    def check(self) -> None:
        super().check()
        _require(self.unit.is_active, _("%(unit)s is not an active unit.") % {"unit": self.unit})
        _require(
            self.unit.pk != self.locked.owning_unit_id,
            _("%(unit)s owns the project already.") % {"unit": self.unit},
        )
        _require(
            not self.locked.participations.filter(unit=self.unit).exists(),
            _("%(unit)s already takes part.") % {"unit": self.unit},
        )
        _require(self.contact.is_active, _("The contact must be an active user."))

    def perform(self) -> None:
        self.participation = ParticipatingUnit.objects.create(
            project=self.locked, unit=self.unit, contact=self.contact, role=self.role
        )

    def record(self) -> None:
        self.record_event(
            E.UNIT_ADDED,
            self.role,
            unit=self.unit.name,
            contact=str(self.contact),
        )

    def result(self) -> ParticipatingUnit:
        assert self.participation is not None
        return self.participation


class RemoveFromProjectAction(ProjectAction[None], Generic[Row]):
    """Take one row off the project (a participating unit, a team member): it must hang
    off this project, it is deleted, and the trail says what left.

    Subclasses name the event and what it records, and the refusal when the row belongs
    to another project.
    """

    updates_caller = False
    event_kind: ClassVar[str]

    def __init__(self, project: Project, *, by: User, row: Row) -> None:
        super().__init__(project, by=by)
        self.row = row

    def elsewhere_message(self) -> str:
        raise NotImplementedError

    def event_data(self) -> dict[str, Any]:
        raise NotImplementedError

    def check(self) -> None:
        super().check()
        _require(self.row.project_id == self.locked.pk, self.elsewhere_message())

    def perform(self) -> None:
        type(self.row)._default_manager.filter(pk=self.row.pk).delete()

    def record(self) -> None:
        self.record_event(self.event_kind, **self.event_data())

    def result(self) -> None:
        return None


class RemoveUnitAction(RemoveFromProjectAction[ParticipatingUnit]):
    event_kind = E.UNIT_REMOVED

    def __init__(self, project: Project, *, by: User, participation: ParticipatingUnit) -> None:
        super().__init__(project, by=by, row=participation)

    def elsewhere_message(self) -> str:
        return _("That unit takes part in another project.")

    def event_data(self) -> dict[str, Any]:
        return {"unit": self.row.unit.name}


class AddMemberAction(ProjectAction[TeamMember]):
    updates_caller = False

    def __init__(self, project: Project, *, by: User, user: User, role: str = "") -> None:
        super().__init__(project, by=by)
        self.user, self.role = user, _text(role)
        self.member: TeamMember | None = None

    def check(self) -> None:
        super().check()
        _require(self.user.is_active, _("Team members must be active users."))
        _require(
            not self.locked.team.filter(user=self.user).exists(),
            _("%(person)s is in the team already.") % {"person": self.user},
        )

    def perform(self) -> None:
        self.member = TeamMember.objects.create(project=self.locked, user=self.user, role=self.role)

    def record(self) -> None:
        self.record_event(E.MEMBER_ADDED, self.role, person=str(self.user))

    def result(self) -> TeamMember:
        assert self.member is not None
        return self.member


class RemoveMemberAction(RemoveFromProjectAction[TeamMember]):
    event_kind = E.MEMBER_REMOVED

    def __init__(self, project: Project, *, by: User, member: TeamMember) -> None:
        super().__init__(project, by=by, row=member)

    def elsewhere_message(self) -> str:
        return _("Not a member of this project.")

    def event_data(self) -> dict[str, Any]:
        return {"person": str(self.row.user)}


class LogEntryAction(ProjectAction[None]):
    """Write in the internal log: those who manage the project and those taking part
    (participating units' contacts, team members)."""

    updates_caller = False

    def __init__(self, project: Project, *, by: User, text: str) -> None:
        super().__init__(project, by=by)
        self.text = _text(text)

    def clean(self) -> None:
        super().clean()
        _require(bool(self.text), _("The log entry is empty."))

    def check(self) -> None:
        if not permissions.can_contribute(self.by, self.locked):
            raise ProjectPermissionDenied(
                _("Only people working on the project may write in its log.")
            )

    def record(self) -> None:
        self.record_event(E.NOTE, self.text)

    def result(self) -> None:
        return None


class AddDocumentAction(ProjectAction[ProjectDocument]):
    """Attach a Wagtail document or a private file; internal unless `is_public`."""

    updates_caller = False

    def __init__(
        self,
        project: Project,
        *,
        by: User,
        title: str,
        document: Any = None,
        file: Any = None,
        is_public: bool = False,
    ) -> None:
        super().__init__(project, by=by)
        self.title, self.document, self.file = _text(title), document, file
        self.is_public = is_public
        self.added: ProjectDocument | None = None

    def clean(self) -> None:
        super().clean()
        _require(bool(self.title), _("Give the document a title."))
        _require(
            (self.document is None) != (self.file is None),
            _("Choose a document from the library or upload a file, not both."),
        )

    def perform(self) -> None:
        self.added = ProjectDocument(
            project=self.locked, title=self.title, document=self.document, is_public=self.is_public
        )
        if self.file is not None:
            self.added.file.save(self.file.name, self.file, save=False)
        self.added.save()

    def record(self) -> None:
        self.record_event(E.DOCUMENT_ADDED, self.title, public=self.is_public)

    def result(self) -> ProjectDocument:
        assert self.added is not None
        return self.added


class PutIntoUseAction(ProjectAction[ProjectAdoption]):
    """The project's solution is in use: its accepted ideas move to "put into use"
    through the ideas' own workflow (`idea_transition`, with the public text), and the
    innovation barometer's answers are kept.

    Preconditions: `by` manages the project and may act on its accepted ideas; the
    project is not put into use already; the result is described; an inspired solution
    names its source. Ideas in other statuses are left as they are. Everything is one
    transaction: if one idea may not move, nothing changes.
    """

    updates_caller = False

    def __init__(
        self,
        project: Project,
        *,
        by: User,
        public_text: str,
        origin: str,
        source_url: str = "",
        spread: bool = False,
        values: Sequence[str] = (),
        put_into_use_on: datetime.date | None = None,
    ) -> None:
        super().__init__(project, by=by)
        self.public_text, self.origin = _text(public_text), origin
        self.source_url, self.spread = _text(source_url), spread
        self.values = set(values)
        self.put_into_use_on = put_into_use_on or timezone.localdate()
        self.adoption: ProjectAdoption | None = None
        self.moved: list[str] = []

    def clean(self) -> None:
        super().clean()
        _require(
            bool(self.public_text),
            _("Describe the result for the public before marking it as put into use."),
        )
        _require(self.origin in ValueOrigin.values, _("Say whether the solution was first."))
        _require(
            self.origin != ValueOrigin.INSPIRED or bool(self.source_url),
            _("Link to the solution that inspired this one."),
        )
        _require(self.values <= set(ProjectAdoption.VALUE_FIELDS), _("Unknown kind of value."))

    def check(self) -> None:
        super().check()
        _require(
            not ProjectAdoption.objects.filter(project=self.locked).exists(),
            _("This project's solution is already put into use."),
        )

    def perform(self) -> None:
        if self.origin != ValueOrigin.INSPIRED:
            self.source_url = ""
        self.adoption = ProjectAdoption.objects.create(
            project=self.locked,
            put_into_use_on=self.put_into_use_on,
            public_text=self.public_text,
            origin=self.origin,
            source_url=self.source_url,
            spread=self.spread,
            recorded_by=self.by,
            **{name: name in self.values for name in ProjectAdoption.VALUE_FIELDS},
        )
        ideas = Idea.objects.filter(
            project_link__project=self.locked, status=IdeaStatus.ACCEPTED
        ).order_by("pk")
        for idea in ideas:
            # Its own transaction is a savepoint in ours; its e-mails wait for our commit.
            idea_transition(
                idea=idea, to=IdeaStatus.IMPLEMENTED, by=self.by, public_reason=self.public_text
            )
            self.moved.append(idea.reference)

    def record(self) -> None:
        self.record_event(E.PUT_INTO_USE, self.public_text, ideas=self.moved, origin=self.origin)

    def result(self) -> ProjectAdoption:
        assert self.adoption is not None
        return self.adoption


# --- Service functions ------------------------------------------------------------------------


def project_edit(*, project: Project, by: User, **values: Any) -> Project:
    """Change name, summary, owner or budget (see `EditDetailsAction`)."""
    return EditDetailsAction(project, by=by, **values).execute()


def project_change_phase(*, project: Project, by: User, phase: Phase, note: str = "") -> Project:
    return ChangePhaseAction(project, by=by, phase=phase, note=note).execute()


def project_save_milestone(
    *,
    project: Project,
    by: User,
    title: str,
    planned_on: datetime.date,
    reached_on: datetime.date | None = None,
    milestone: Milestone | None = None,
) -> Milestone:
    """Add a milestone, or change `milestone` (see `MilestoneAction`)."""
    return MilestoneAction(
        project,
        by=by,
        title=title,
        planned_on=planned_on,
        reached_on=reached_on,
        milestone=milestone,
    ).execute()


def project_add_unit(
    *, project: Project, by: User, unit: Unit, contact: User, role: str = ""
) -> ParticipatingUnit:
    return AddUnitAction(project, by=by, unit=unit, contact=contact, role=role).execute()


def project_remove_unit(*, project: Project, by: User, participation: ParticipatingUnit) -> None:
    RemoveUnitAction(project, by=by, participation=participation).execute()


def project_add_member(*, project: Project, by: User, user: User, role: str = "") -> TeamMember:
    return AddMemberAction(project, by=by, user=user, role=role).execute()


def project_remove_member(*, project: Project, by: User, member: TeamMember) -> None:
    RemoveMemberAction(project, by=by, member=member).execute()


def project_log(*, project: Project, by: User, text: str) -> None:
    """Write an entry in the project's internal log (see `LogEntryAction`)."""
    LogEntryAction(project, by=by, text=text).execute()


def project_add_document(
    *,
    project: Project,
    by: User,
    title: str,
    document: Any = None,
    file: Any = None,
    is_public: bool = False,
) -> ProjectDocument:
    return AddDocumentAction(
        project, by=by, title=title, document=document, file=file, is_public=is_public
    ).execute()


def project_put_into_use(
    *,
    project: Project,
    by: User,
    public_text: str,
    origin: str,
    source_url: str = "",
    spread: bool = False,
    values: Sequence[str] = (),
    put_into_use_on: datetime.date | None = None,
) -> ProjectAdoption:
    """Mark the project's solution put into use (see `PutIntoUseAction`)."""
    return PutIntoUseAction(
        project,
        by=by,
        public_text=public_text,
        origin=origin,
        source_url=source_url,
        spread=spread,
        values=values,
        put_into_use_on=put_into_use_on,
    ).execute()
