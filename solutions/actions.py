"""Every write to the solution library, through `portal.actions`' pipeline (lock,
check, write, audit event), as `projects.actions` does for projects.

Callers use the `solution_<action>` functions (or the classes, as the staff screens do).
Each records a `SolutionEvent`; refusals raise `ActionNotAllowed` or
`SolutionPermissionDenied` with a message for the person, and change nothing.

The review is a state machine (`TRANSITIONS`): staff of the owning municipality write a
draft and submit it; its editors or administrators publish it or return it to draft
with a comment; a published solution can be withdrawn (and a withdrawn one reopened as
a draft). Only a draft can be changed, so nothing reaches the public unreviewed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gains.actions import gain_add
from gains.models import Gain
from ideas.models import Idea, IdeaStatus
from portal.actions import Action, ActionNotAllowed, ActionPermissionDenied
from portal.models import Municipality, Unit, User
from portal.slugs import norwegian_slugify
from projects.actions import project_create
from projects.models import Project
from solutions import notifications, permissions
from solutions.models import (
    Adoption,
    ReuseTerms,
    Solution,
    SolutionDocument,
    SolutionEvent,
    SolutionKind,
    SolutionSource,
    SolutionStatus,
)

R = TypeVar("R")
E = SolutionEvent.Kind
S = SolutionStatus

# What a solution's description holds; source and municipality are fixed at creation.
DETAIL_FIELDS = (
    "title",
    "problem",
    "what_was_done",
    "cost",
    "time_taken",
    "competence",
    "technology",
    "procurement_route",
    "contact_name",
    "contact_email",
    "contact_phone",
    "reuse_terms",
    "reuse_terms_text",
    "kind",
)
REQUIRED_FIELDS = {
    "title": gettext_lazy("Give the solution a title."),
    "problem": gettext_lazy("Describe the problem the solution solves."),
    "what_was_done": gettext_lazy("Describe what was done."),
    "contact_name": gettext_lazy("Name a contact person."),
    "contact_email": gettext_lazy("Give the contact person's e-mail address."),
}
# The gain definition copied to an adopting municipality's project. Not the baseline,
# measurements, status or target: those are the adopter's own, against its own baseline.
COPIED_GAIN_FIELDS = (
    "description",
    "type",
    "indicator",
    "unit",
    "stakeholders",
    "measurement_interval_months",
)


class SolutionPermissionDenied(ActionPermissionDenied):
    """The person may not do this to this solution."""


def _text(value: str | None) -> str:
    return (value or "").strip()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ActionNotAllowed(message)


def unique_slug(title: str) -> str:
    """A slug for a new solution's address: its title, numbered if already taken.
    Norwegian letters stay readable ("Fallsensorer for eldre" → "fallsensorer-for-eldre",
    "Garnmottak på kaia" → "garnmottak-pa-kaia", "nøkkel" → "nokkel", not "nkkel")."""
    base = norwegian_slugify(title)[:70].strip("-") or "losning"
    slug, number = base, 2
    while Solution.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _clean_details(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: values[key] for key in DETAIL_FIELDS if key in values}
    for key, value in cleaned.items():
        if isinstance(value, str):
            cleaned[key] = value.strip()
    return cleaned


def _check_details(solution: Solution) -> None:
    for field, message in REQUIRED_FIELDS.items():
        _require(bool(getattr(solution, field)), str(message))
    _require(solution.kind in SolutionKind.values, _("Choose the kind of solution."))
    _require(solution.reuse_terms in ReuseTerms.values, _("Choose the terms for reuse."))
    _require(
        solution.reuse_terms != ReuseTerms.OTHER or bool(solution.reuse_terms_text),
        _("Describe the terms for reuse."),
    )


def record(solution: Solution, actor: User | None, kind: str, text: str = "", **data: Any) -> None:
    """Append one event to the solution's trail, in the transaction of the change."""
    SolutionEvent.objects.create(solution=solution, actor=actor, kind=kind, text=text, data=data)


# --- Creating a solution ----------------------------------------------------------------------


class CreateSolutionAction(Action[Municipality, Solution]):
    """Write a new solution, as a draft, for `municipality`.

    Preconditions: `by` works for the municipality (`permissions.can_write_for`); the
    source is one of: a project of the municipality whose solution was put into use, a
    public idea of the municipality put into use, or an external source link with the
    organisation behind it. The address (slug) is made from the title, once.
    """

    model = Municipality
    lock_touch_field = "name"
    permission_denied = SolutionPermissionDenied
    updates_caller = False

    def __init__(
        self,
        municipality: Municipality,
        *,
        by: User,
        source: str,
        project: Project | None = None,
        idea: Idea | None = None,
        source_url: str = "",
        source_organisation: str = "",
        themes: Iterable[Any] = (),
        **values: Any,
    ) -> None:
        super().__init__(municipality, by=by)
        self.source, self.project, self.idea = source, project, idea
        self.source_url, self.source_organisation = _text(source_url), _text(source_organisation)
        self.themes = list(themes)
        self.values = _clean_details(values)
        self.solution: Solution | None = None

    def clean(self) -> None:
        super().clean()
        _require(self.source in SolutionSource.values, _("Say where the solution comes from."))
        if self.source == SolutionSource.PROJECT:
            _require(self.project is not None, _("Choose the project."))
        elif self.source == SolutionSource.IDEA:
            _require(self.idea is not None, _("Choose the idea."))
        else:
            _require(bool(self.source_url), _("Link to the solution's source."))
            _require(bool(self.source_organisation), _("Name the organisation behind it."))
        _check_details(Solution(**self.values))

    def lock(self) -> Municipality:
        return self.target  # read, not changed

    def check(self) -> None:
        municipality = self.target
        if not permissions.can_write_for(self.by, municipality.pk):
            raise SolutionPermissionDenied(
                _("Only staff of %(municipality)s may share its solutions.")
                % {"municipality": municipality}
            )
        if self.source == SolutionSource.PROJECT:
            project = self.project
            assert project is not None
            _require(
                project.municipality_id == municipality.pk,
                _("The project belongs to another municipality."),
            )
            _require(
                project.is_put_into_use,
                _("Only a project whose solution is put into use can be shared."),
            )
        elif self.source == SolutionSource.IDEA:
            idea = self.idea
            assert idea is not None
            _require(
                idea.municipality_id == municipality.pk,
                _("The idea belongs to another municipality."),
            )
            _require(
                idea.status == IdeaStatus.IMPLEMENTED and not idea.is_hidden,
                _("Only an idea put into use can be shared."),
            )

    def perform(self) -> None:
        external = self.source == SolutionSource.EXTERNAL
        try:
            with transaction.atomic():
                self.solution = Solution.objects.create(
                    municipality=self.target,
                    slug=unique_slug(self.values["title"]),
                    source=self.source,
                    project=self.project if self.source == SolutionSource.PROJECT else None,
                    idea=self.idea if self.source == SolutionSource.IDEA else None,
                    source_url=self.source_url if external else "",
                    source_organisation=self.source_organisation if external else "",
                    created_by=self.by,
                    **self.values,
                )
        except IntegrityError as clash:  # someone took the address a moment ago
            raise ActionNotAllowed(
                _("Another solution got that title just now; try again.")
            ) from clash
        self.solution.themes.set(self.themes)

    def record(self) -> None:
        assert self.solution is not None
        record(self.solution, self.by, E.CREATED, source=self.source)

    def result(self) -> Solution:
        assert self.solution is not None
        return self.solution


def solution_create(
    *, municipality: Municipality, by: User, source: str, **values: Any
) -> Solution:
    """Write a new draft solution (see `CreateSolutionAction`)."""
    return CreateSolutionAction(municipality, by=by, source=source, **values).execute()


# --- Actions on a solution ----------------------------------------------------------------------


class SolutionAction(Action[Solution, R]):
    """A change to one solution by those who write it (`check()` asks first)."""

    model = Solution
    lock_touch_field = "updated_at"
    lock_select_related = ("municipality",)
    permission_denied = SolutionPermissionDenied

    def check(self) -> None:
        if not permissions.can_write(self.by, self.locked):
            raise SolutionPermissionDenied(
                _("Only staff of %(municipality)s may change its solutions.")
                % {"municipality": self.locked.municipality}
            )

    def require_draft(self) -> None:
        _require(
            self.locked.status == S.DRAFT,
            _("Only a draft can be changed; this solution is “%(status)s”.")
            % {"status": self.locked.get_status_display()},
        )

    def record_event(self, kind: str, text: str = "", **data: Any) -> None:
        record(self.locked, self.by, kind, text, **data)


class EditSolutionAction(SolutionAction[Solution]):
    """Change the description, what it took, contact, terms, kind and themes of a
    draft, or correct a published solution in place. The address stays what it was.

    A published solution is changed only by its reviewers: they would publish the
    change anyway, and it is public (and in the search index) as soon as it is saved.
    Its writers withdraw it and change the draft instead. Either way the change is in
    the solution's history.
    """

    def __init__(
        self, solution: Solution, *, by: User, themes: Iterable[Any] | None = None, **values: Any
    ) -> None:
        super().__init__(solution, by=by)
        self.values = _clean_details(values)
        self.themes = None if themes is None else {theme.pk for theme in themes}
        self.changed: list[str] = []

    def check(self) -> None:
        super().check()
        if self.locked.status == S.PUBLISHED:
            if not permissions.can_review(self.by, self.locked):
                raise SolutionPermissionDenied(
                    _(
                        "Only the editors and administrators of %(municipality)s may change "
                        "a published solution; withdraw it to change it as a draft."
                    )
                    % {"municipality": self.locked.municipality}
                )
        else:
            self.require_draft()
        candidate = Solution(**{f: getattr(self.locked, f) for f in DETAIL_FIELDS})
        for key, value in self.values.items():
            setattr(candidate, key, value)
        _check_details(candidate)

    def changes_anything(self) -> bool:
        self.changed = [k for k, v in self.values.items() if getattr(self.locked, k) != v]
        if self.themes is not None:
            current = set(self.locked.themes.values_list("pk", flat=True))
            if current != self.themes:
                self.changed.append("themes")
        return bool(self.changed)

    def perform(self) -> None:
        fields = [key for key in self.changed if key != "themes"]
        for key in fields:
            setattr(self.locked, key, self.values[key])
        self.locked.save(update_fields=[*fields, "updated_at"])
        if "themes" in self.changed:
            self.locked.themes.set(self.themes or [])

    def record(self) -> None:
        self.record_event(E.EDITED, fields=sorted(self.changed))


class AddDocumentAction(SolutionAction[SolutionDocument]):
    """Share a Wagtail document with a draft solution (public once it is published)."""

    updates_caller = False

    def __init__(self, solution: Solution, *, by: User, title: str, document: Any) -> None:
        super().__init__(solution, by=by)
        self.title, self.document = _text(title), document
        self.added: SolutionDocument | None = None

    def clean(self) -> None:
        super().clean()
        _require(bool(self.title), _("Give the document a title."))
        _require(self.document is not None, _("Choose a document."))

    def check(self) -> None:
        super().check()
        self.require_draft()

    def perform(self) -> None:
        self.added = SolutionDocument.objects.create(
            solution=self.locked, title=self.title, document=self.document
        )

    def record(self) -> None:
        self.record_event(E.DOCUMENT_ADDED, self.title)

    def result(self) -> SolutionDocument:
        assert self.added is not None
        return self.added


# --- The review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    to: str
    event: str
    # Who may: "write" (the owning municipality's staff, editors, administrators),
    # "review" (its editors and administrators), or "either".
    by: str
    needs_comment: bool = False


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.DRAFT, "submit"): Transition(S.IN_REVIEW, E.SUBMITTED, "write"),
    (S.IN_REVIEW, "publish"): Transition(S.PUBLISHED, E.PUBLISHED, "review"),
    (S.IN_REVIEW, "return"): Transition(S.DRAFT, E.RETURNED, "review", needs_comment=True),
    (S.PUBLISHED, "withdraw"): Transition(S.WITHDRAWN, E.WITHDRAWN, "either", needs_comment=True),
    (S.WITHDRAWN, "reopen"): Transition(S.DRAFT, E.REOPENED, "write"),
}
STEPS = ("submit", "publish", "return", "withdraw", "reopen")


def allowed_steps(user: Any, solution: Solution) -> list[str]:
    """The review steps `user` may take on `solution` now (for the staff screen)."""
    return [
        step
        for step in STEPS
        if (t := TRANSITIONS.get((solution.status, step))) and _may(user, solution, t)
    ]


def _may(user: Any, solution: Solution, transition: Transition) -> bool:
    write = permissions.can_write(user, solution)
    review = permissions.can_review(user, solution)
    return {"write": write, "review": review, "either": write or review}[transition.by]


class ReviewStepAction(SolutionAction[Solution]):
    """Move a solution along its review (`TRANSITIONS`).

    Preconditions, on the locked row: the step is allowed from the current status and
    `by` has the role it needs; returning and withdrawing carry a comment (kept on the
    solution for its writers, and in the trail). Publishing sets `published_at` the
    first time.
    """

    def __init__(self, solution: Solution, *, by: User, step: str, comment: str = "") -> None:
        super().__init__(solution, by=by)
        self.step, self.comment = step, _text(comment)
        self.transition: Transition | None = None
        self.from_status = ""

    def clean(self) -> None:
        super().clean()
        _require(self.step in STEPS, _("Unknown step."))

    def check(self) -> None:
        solution = self.locked
        transition = TRANSITIONS.get((solution.status, self.step))
        if transition is None:
            raise ActionNotAllowed(
                _("That is not possible while the solution is “%(status)s”.")
                % {"status": solution.get_status_display()}
            )
        if not _may(self.by, solution, transition):
            if transition.by == "review":
                message = _("Only editors or administrators of %(municipality)s may do this.")
            else:
                message = _("Only staff of %(municipality)s may do this.")
            raise SolutionPermissionDenied(message % {"municipality": solution.municipality})
        _require(
            not transition.needs_comment or bool(self.comment),
            _("Write a comment saying why."),
        )
        self.transition = transition

    def perform(self) -> None:
        assert self.transition is not None
        solution = self.locked
        self.from_status = solution.status
        solution.status = self.transition.to
        fields = ["status", "updated_at"]
        if self.step == "publish" and solution.published_at is None:
            solution.published_at = timezone.now()
            fields.append("published_at")
        if self.step in ("return", "publish"):
            solution.review_comment = self.comment if self.step == "return" else ""
            fields.append("review_comment")
        solution.save(update_fields=fields)

    def record(self) -> None:
        assert self.transition is not None
        self.record_event(
            self.transition.event,
            self.comment,
            from_status=self.from_status,
            to_status=self.transition.to,
        )

    def side_effects(self) -> None:
        # Reviewers hear of a submission, writers of the outcome (on commit).
        notifications.notify_review_step(
            self.locked, step=self.step, by=self.by, comment=self.comment
        )


def solution_edit(*, solution: Solution, by: User, **values: Any) -> Solution:
    return EditSolutionAction(solution, by=by, **values).execute()


def solution_add_document(
    *, solution: Solution, by: User, title: str, document: Any
) -> SolutionDocument:
    return AddDocumentAction(solution, by=by, title=title, document=document).execute()


def solution_step(*, solution: Solution, by: User, step: str, comment: str = "") -> Solution:
    """Take a review step: submit, publish, return, withdraw or reopen."""
    return ReviewStepAction(solution, by=by, step=step, comment=comment).execute()


# --- Adopting ------------------------------------------------------------------------------


class AdoptAction(SolutionAction[Adoption]):
    """Another municipality takes a published solution up ("steal it").

    Preconditions, with the solution locked: it is published; `by` may own projects for
    `owning_unit`, which is in another municipality that has not adopted it yet. Makes
    a project in the unit (through `projects.actions`), copies the source project's gain
    definitions to it (through `gains.actions`; never baselines, measurements, status or
    targets) with `by` as the gain owner, and links it to the solution.
    """

    updates_caller = False

    def __init__(
        self,
        solution: Solution,
        *,
        by: User,
        owning_unit: Unit,
        name: str = "",
        summary: str = "",
    ) -> None:
        super().__init__(solution, by=by)
        self.owning_unit = owning_unit
        self.name, self.summary = _text(name), _text(summary)
        self.adoption: Adoption | None = None
        self.copied: list[str] = []

    def check(self) -> None:
        solution = self.locked
        _require(
            solution.status == S.PUBLISHED,
            _("Only a published solution can be adopted."),
        )
        if not permissions.can_adopt(self.by, solution):
            raise SolutionPermissionDenied(
                _("Only staff of another municipality may adopt this solution.")
            )
        unit = self.owning_unit
        _require(
            unit.municipality_id != solution.municipality_id,
            _("%(municipality)s shares this solution; it cannot adopt its own.")
            % {"municipality": solution.municipality},
        )
        _require(
            not Adoption.objects.filter(
                solution=solution, municipality_id=unit.municipality_id
            ).exists(),
            _("%(municipality)s has adopted this solution already.")
            % {"municipality": unit.municipality},
        )

    def perform(self) -> None:
        solution = self.locked
        # Savepoints in our transaction: if a copy fails, nothing is left behind.
        project = project_create(
            owning_unit=self.owning_unit,
            by=self.by,
            name=self.name or solution.title,
            summary=self.summary or solution.problem[:1000],
            origin=_("Adopted from %(municipality)s: %(title)s")
            % {"municipality": solution.municipality, "title": solution.title},
        )
        if solution.project_id is not None:
            for gain in Gain.objects.filter(project_id=solution.project_id).order_by(
                "created_at", "pk"
            ):
                gain_add(
                    project=project,
                    by=self.by,
                    owner=self.by,
                    **{field: getattr(gain, field) for field in COPIED_GAIN_FIELDS},
                )
                self.copied.append(gain.indicator)
        self.adoption = Adoption.objects.create(
            solution=solution,
            municipality_id=self.owning_unit.municipality_id,
            project=project,
            adopted_by=self.by,
        )

    def record(self) -> None:
        assert self.adoption is not None
        self.record_event(
            E.ADOPTED,
            str(self.owning_unit.municipality),
            project=self.adoption.project.slug,
            gains=self.copied,
        )

    def result(self) -> Adoption:
        assert self.adoption is not None
        return self.adoption


def solution_adopt(
    *, solution: Solution, by: User, owning_unit: Unit, name: str = "", summary: str = ""
) -> Adoption:
    """Adopt a published solution in another municipality (see `AdoptAction`)."""
    return AdoptAction(
        solution, by=by, owning_unit=owning_unit, name=name, summary=summary
    ).execute()
