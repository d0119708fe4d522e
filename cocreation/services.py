"""Every write in co-creation: processes, meeting points, registrations, attendance, inputs.

Staff changes to an existing process or meeting are actions in `portal.actions`' pipeline
(lock the row, check the person's rights on the fresh row, write, audit, queue e-mail on
commit). Creating rows, and what participants do without an account (register, cancel
by the link in their e-mail, leave an input), are plain functions that follow the same
order. Every write appends a `ProcessEvent`; e-mails are rendered now, in the language
the person acted in, and sent on commit (`portal.emails.queue_email`).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from challenges.models import ChallengePage, Theme
from cocreation import permissions
from cocreation.codes import INPUT_CODE_LENGTH, MEETING_CODE_LENGTH, new_code
from cocreation.models import (
    AGE_GROUPS,
    ROLE_GROUPS,
    AttendanceCount,
    Input,
    InputAnswer,
    InputChannel,
    MeetingPoint,
    Process,
    ProcessEvent,
    ProcessThemeSummary,
    Registration,
    RegistrationStatus,
)
from ideas.models import Idea, IdeaStatus
from ideas.services.submission import idea_submit
from portal.absolute_urls import base_url
from portal.actions import Action, ActionNotAllowed, ActionPermissionDenied, lock_rows
from portal.emails import queue_email
from portal.models import Organisation, Unit, User

R = TypeVar("R")
AnyUser = User | AnonymousUser

# The fields of a process and a meeting that staff edit in a form.
PROCESS_FIELDS = (
    "title",
    "aim",
    "starts_on",
    "ends_on",
    "challenge",
    "theme",
    "other_partners",
    "methods",
    "is_published",
)
MEETING_FIELDS = (
    "kind",
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "organiser",
    "accessibility",
    "is_public",
    "capacity",
    "registration_open",
)


def record_event(
    *,
    process: Process,
    kind: str,
    actor: AnyUser | None,
    meeting: MeetingPoint | None = None,
    data: dict[str, Any] | None = None,
) -> ProcessEvent:
    """Append one event to the process's log. Call inside the transaction of the change.

    `data` holds ids and field names only: the log is read by staff of other units in
    reports, and must not copy anyone's name or e-mail.
    """
    return ProcessEvent.objects.create(
        process=process,
        meeting=meeting,
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        data=data or {},
    )


def _unused_code(model: type[MeetingPoint] | type[Input], length: int) -> str:
    # The unique constraint is the guarantee; this only makes a clash (rare) not an error.
    while True:
        code = new_code(length)
        if not model.objects.filter(code=code).exists():
            return code


def _check_period(starts: Any, ends: Any, message: str) -> None:
    if starts is not None and ends is not None and ends < starts:
        raise ActionNotAllowed(message)


def _check_subject(challenge: ChallengePage | None, theme: Theme | None) -> None:
    if challenge is None and theme is None:
        raise ActionNotAllowed(_("Choose the challenge the process belongs to, or a theme."))


# --- Processes ---------------------------------------------------------------------------


def process_create(
    *,
    by: User,
    title: str,
    slug: str,
    aim: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    organising_unit: Unit,
    challenge: ChallengePage | None = None,
    theme: Theme | None = None,
    partners: Iterable[Organisation] = (),
    other_partners: str = "",
    methods: str = "",
    is_published: bool = False,
) -> Process:
    """Start a process organised by `organising_unit`, whose staff (or an admin) `by` is."""
    if not permissions.can_organise_for(by, organising_unit):
        raise ActionPermissionDenied(
            _("Only staff of %(unit)s may start a process for it.") % {"unit": organising_unit}
        )
    _check_subject(challenge, theme)
    _check_period(starts_on, ends_on, _("The process must end on or after the day it starts."))
    with transaction.atomic():
        process = Process.objects.create(
            title=title,
            slug=slug,
            aim=aim,
            starts_on=starts_on,
            ends_on=ends_on,
            challenge=challenge,
            theme=theme if theme is not None else getattr(challenge, "theme", None),
            organising_unit=organising_unit,
            municipality_id=organising_unit.municipality_id,
            other_partners=other_partners,
            methods=methods,
            is_published=is_published,
        )
        process.partners.set(partners)
        record_event(process=process, kind=ProcessEvent.Kind.PROCESS_CREATED, actor=by)
    return process


class ProcessAction(Action[Process, R]):
    """An action on one process by staff of its organising unit (or an admin)."""

    model = Process
    lock_touch_field = "updated_at"
    lock_select_related = ("organising_unit",)

    def check(self) -> None:
        if not permissions.can_manage(self.by, self.locked):
            raise ActionPermissionDenied(
                _("Only staff of %(unit)s may change this process.")
                % {"unit": self.locked.organising_unit}
            )

    def record_event(self, kind: str, **fields: Any) -> ProcessEvent:
        return record_event(process=self.locked, kind=kind, actor=self.by, **fields)


class FieldsUpdateAction:
    """Staff change the fields they edit in a form, and optionally the partners; one
    event of `event_kind` lists the fields that changed. Mixed into an app action
    (`ProcessAction`, `MeetingAction`), which supplies the lock, rights and `record_event`.
    """

    fields: ClassVar[tuple[str, ...]]
    event_kind: ClassVar[str]

    def __init__(
        self,
        target: Any,
        *,
        by: User,
        values: Mapping[str, Any],
        partners: Iterable[Organisation] | None = None,
    ) -> None:
        super().__init__(target, by=by)  # type: ignore[call-arg]
        self.values = {key: value for key, value in values.items() if key in self.fields}
        self.partners = None if partners is None else list(partners)

    def merged_values(self) -> dict[str, Any]:
        """The fields as they will be: the target's now, with the new values over them."""
        return {field: getattr(self.target, field) for field in self.fields} | self.values  # type: ignore[attr-defined]

    def perform(self) -> None:
        locked = self.locked  # type: ignore[attr-defined]
        self.changed = [
            field for field, value in self.values.items() if getattr(locked, field) != value
        ]
        for field, value in self.values.items():
            setattr(locked, field, value)
        locked.save()
        if self.partners is not None:
            locked.partners.set(self.partners)
            self.changed.append("partners")

    def record(self) -> None:
        self.record_event(self.event_kind, data={"fields": self.changed})  # type: ignore[attr-defined]


class ProcessUpdateAction(FieldsUpdateAction, ProcessAction[Process]):
    fields = PROCESS_FIELDS
    event_kind = ProcessEvent.Kind.PROCESS_UPDATED

    def clean(self) -> None:
        super().clean()
        merged = self.merged_values()
        _check_subject(merged["challenge"], merged["theme"])
        _check_period(
            merged["starts_on"],
            merged["ends_on"],
            _("The process must end on or after the day it starts."),
        )


def process_update(
    *,
    process: Process,
    by: User,
    values: Mapping[str, Any],
    partners: Iterable[Organisation] | None = None,
) -> Process:
    return ProcessUpdateAction(process, by=by, values=values, partners=partners).execute()


# --- Meeting points ----------------------------------------------------------------------


def _check_meeting(values: Mapping[str, Any]) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise ActionNotAllowed(_("The meeting must end after it starts."))
    if values["registration_open"] and not values["is_public"]:
        raise ActionNotAllowed(_("Only a public meeting can take registrations."))


def meeting_create(
    *,
    process: Process,
    by: User,
    values: Mapping[str, Any],
    partners: Iterable[Organisation] = (),
) -> MeetingPoint:
    """Add a meeting point to a process that `by` manages."""
    if not permissions.can_manage(by, process):
        raise ActionPermissionDenied(_("Only the organising unit's staff may add meetings."))
    fields = {"description": "", "organiser": "", "accessibility": "", "capacity": None}
    fields |= {key: value for key, value in values.items() if key in MEETING_FIELDS}
    fields.setdefault("is_public", True)
    fields.setdefault("registration_open", False)
    _check_meeting(fields)
    with transaction.atomic():
        meeting = MeetingPoint.objects.create(
            process=process, code=_unused_code(MeetingPoint, MEETING_CODE_LENGTH), **fields
        )
        meeting.partners.set(partners)
        record_event(
            process=process, meeting=meeting, kind=ProcessEvent.Kind.MEETING_CREATED, actor=by
        )
    return meeting


class MeetingAction(Action[MeetingPoint, R]):
    """An action on one meeting point by staff of its process's organising unit."""

    model = MeetingPoint
    lock_touch_field = "updated_at"
    lock_select_related = ("process", "process__organising_unit")

    def check(self) -> None:
        if not permissions.can_manage(self.by, self.locked.process):
            raise ActionPermissionDenied(
                _("Only staff of %(unit)s may change this meeting.")
                % {"unit": self.locked.process.organising_unit}
            )

    def record_event(self, kind: str, **fields: Any) -> ProcessEvent:
        return record_event(
            process=self.locked.process, meeting=self.locked, kind=kind, actor=self.by, **fields
        )


class MeetingUpdateAction(FieldsUpdateAction, MeetingAction[MeetingPoint]):
    fields = MEETING_FIELDS
    event_kind = ProcessEvent.Kind.MEETING_UPDATED

    def clean(self) -> None:
        super().clean()
        _check_meeting(self.merged_values())

    def check(self) -> None:
        super().check()
        if self.locked.is_cancelled:
            raise ActionNotAllowed(_("A cancelled meeting cannot be changed."))


def meeting_update(
    *,
    meeting: MeetingPoint,
    by: User,
    values: Mapping[str, Any],
    partners: Iterable[Organisation] | None = None,
) -> MeetingPoint:
    return MeetingUpdateAction(meeting, by=by, values=values, partners=partners).execute()


def _meeting_email_context(meeting: MeetingPoint, registration: Registration) -> dict[str, Any]:
    root = base_url()
    return {
        "base_url": root,
        "meeting": meeting,
        "process": meeting.process,
        "registration": registration,
        "meeting_url": root + meeting.get_absolute_url(),
        "calendar_url": root + reverse("cocreation:meeting_ics", kwargs={"code": meeting.code}),
        "cancel_url": root
        + reverse("cocreation:registration_cancel", kwargs={"token": registration.token}),
    }


def _email_registrant(template: str, meeting: MeetingPoint, registration: Registration) -> None:
    # One e-mail per person: nobody sees who else registered.
    queue_email(
        template=f"cocreation/emails/{template}",
        context=_meeting_email_context(meeting, registration),
        to=[registration.email],
    )


class MeetingCancelAction(MeetingAction[MeetingPoint]):
    """Cancel a meeting and tell everyone registered (confirmed or waiting) why."""

    def __init__(self, meeting: MeetingPoint, *, by: User, notice: str) -> None:
        super().__init__(meeting, by=by)
        self.notice = notice.strip()

    def clean(self) -> None:
        super().clean()
        if not self.notice:
            raise ActionNotAllowed(_("Write a notice to those registered: why, and what now."))

    def check(self) -> None:
        super().check()
        if self.locked.is_cancelled:
            raise ActionNotAllowed(_("The meeting is already cancelled."))

    def perform(self) -> None:
        meeting = self.locked
        meeting.cancelled_at = timezone.now()
        meeting.cancellation_notice = self.notice
        meeting.registration_open = False
        meeting.save(update_fields=["cancelled_at", "cancellation_notice", "registration_open"])

    def record(self) -> None:
        self.record_event(ProcessEvent.Kind.MEETING_CANCELLED)

    def side_effects(self) -> None:
        registrations = self.locked.registrations.exclude(status=RegistrationStatus.CANCELLED)
        for registration in registrations:
            _email_registrant("meeting_cancelled", self.locked, registration)


def meeting_cancel(*, meeting: MeetingPoint, by: User, notice: str) -> MeetingPoint:
    return MeetingCancelAction(meeting, by=by, notice=notice).execute()


class AttendanceAction(MeetingAction[MeetingPoint]):
    """Record how many took part, in total and per group. Replaces earlier counts."""

    def __init__(
        self, meeting: MeetingPoint, *, by: User, total: int, counts: Mapping[str, int]
    ) -> None:
        super().__init__(meeting, by=by)
        self.total = total
        self.counts = {group: count for group, count in counts.items() if count}

    def clean(self) -> None:
        super().clean()
        if any(count < 0 for count in self.counts.values()) or self.total < 0:
            raise ActionNotAllowed(_("Counts cannot be negative."))
        # Each person is in one age band and (at most) one role, so neither dimension
        # can count more people than came.
        for dimension in (AGE_GROUPS, ROLE_GROUPS):
            if sum(self.counts.get(group, 0) for group in dimension) > self.total:
                raise ActionNotAllowed(
                    _("The counts by age or by role add up to more than the total.")
                )

    def check(self) -> None:
        super().check()
        if self.locked.starts_at > timezone.now():
            raise ActionNotAllowed(_("Attendance is recorded once the meeting has started."))

    def perform(self) -> None:
        meeting = self.locked
        meeting.attendance_total = self.total
        meeting.save(update_fields=["attendance_total", "updated_at"])
        meeting.attendance_counts.all().delete()
        AttendanceCount.objects.bulk_create(
            AttendanceCount(meeting=meeting, group=group, count=count)
            for group, count in self.counts.items()
        )

    def record(self) -> None:
        self.record_event(
            ProcessEvent.Kind.ATTENDANCE_RECORDED, data={"total": self.total, **self.counts}
        )


def attendance_record(
    *, meeting: MeetingPoint, by: User, total: int, counts: Mapping[str, int]
) -> MeetingPoint:
    return AttendanceAction(meeting, by=by, total=total, counts=counts).execute()


# --- Registrations -----------------------------------------------------------------------


def _lock_meeting(meeting_pk: int) -> MeetingPoint:
    """Lock the meeting row: registrations and cancellations of one meeting are served
    one after the other, so two people can never both take the last seat."""
    return lock_rows(
        MeetingPoint,
        [meeting_pk],
        touch="updated_at",
        select_related=("process", "process__organising_unit"),
    )[meeting_pk]


def registration_create(*, meeting: MeetingPoint, name: str, email: str) -> Registration:
    """Register for a public meeting that takes registrations: a seat if one is free,
    else a place on the waiting list. Anyone may register, with or without an account.

    Locks the meeting row, counts the confirmed seats on the locked state, writes the
    registration and its event, and sends the confirmation (or waiting-list) e-mail on
    commit. Raises `ActionNotAllowed` when the meeting takes no registrations or the
    address is already registered.
    """
    email = email.strip().lower()
    with transaction.atomic():
        locked = _lock_meeting(meeting.pk)
        if not (locked.process.is_published and locked.is_public and locked.takes_registrations):
            raise ActionNotAllowed(_("This meeting does not take registrations."))
        active = locked.registrations.exclude(status=RegistrationStatus.CANCELLED)
        if active.filter(email=email).exists():
            raise ActionNotAllowed(_("This e-mail address is already registered for the meeting."))
        confirmed = active.filter(status=RegistrationStatus.CONFIRMED).count()
        has_seat = locked.capacity is None or confirmed < locked.capacity
        registration = Registration.objects.create(
            meeting=locked,
            name=name.strip(),
            email=email,
            status=RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED,
            token=get_random_string(32),
        )
        record_event(
            process=locked.process,
            meeting=locked,
            kind=ProcessEvent.Kind.REGISTERED,
            actor=None,
            data={"registration": registration.pk, "status": registration.status},
        )
        template = "registration_confirmed" if has_seat else "registration_waitlisted"
        _email_registrant(template, locked, registration)
    return registration


def registration_cancel(*, registration: Registration, by: AnyUser | None = None) -> Registration:
    """Cancel a registration: by the person (through the secret link in their e-mail,
    `by` None) or by staff who manage the process. A freed seat goes to the first on
    the waiting list, who is told by e-mail.
    """
    with transaction.atomic():
        meeting = _lock_meeting(registration.meeting_id)
        if by is not None and not permissions.can_manage(by, meeting.process):
            raise ActionPermissionDenied(_("Only the organising unit's staff may do this."))
        fresh = Registration.objects.select_for_update().get(pk=registration.pk)
        if fresh.status == RegistrationStatus.CANCELLED:
            raise ActionNotAllowed(_("This registration is already cancelled."))
        had_seat = fresh.status == RegistrationStatus.CONFIRMED
        fresh.status = RegistrationStatus.CANCELLED
        fresh.status_changed_at = timezone.now()
        fresh.save(update_fields=["status", "status_changed_at"])
        record_event(
            process=meeting.process,
            meeting=meeting,
            kind=ProcessEvent.Kind.REGISTRATION_CANCELLED,
            actor=by,
            data={"registration": fresh.pk},
        )
        # The registrant hears of it when staff cancel (they did it themselves otherwise),
        # and the one moved up from the waiting list hears either way; in the site's
        # language, as a registration keeps none (see `_email_cancelled_by_staff`).
        with _registrant_language(by):
            if by is not None:
                _email_cancelled_by_staff(meeting, fresh)
            if had_seat and not meeting.is_cancelled:
                _promote_from_waiting_list(meeting)
    registration.status = fresh.status
    registration.status_changed_at = fresh.status_changed_at
    return fresh


def _promote_from_waiting_list(meeting: MeetingPoint) -> Registration | None:
    """Give free seats to the longest waiting. Call with the meeting row locked."""
    active = meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
    confirmed = active.filter(status=RegistrationStatus.CONFIRMED).count()
    if meeting.capacity is not None and confirmed >= meeting.capacity:
        return None
    first = active.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk").first()
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.status_changed_at = timezone.now()
    first.save(update_fields=["status", "status_changed_at"])
    record_event(
        process=meeting.process,
        meeting=meeting,
        kind=ProcessEvent.Kind.PROMOTED,
        actor=None,
        data={"registration": first.pk},
    )
    _email_registrant("registration_promoted", meeting, first)
    return first


REMINDER_AHEAD = datetime.timedelta(hours=24)


def meeting_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone with a seat at a meeting that starts within a day; once each.

    Safe to run as often as wanted (e.g. hourly from cron): a registration is marked
    reminded in the same transaction that queues its e-mail.
    """
    now = now or timezone.now()
    sent = 0
    meetings = MeetingPoint.objects.filter(
        cancelled_at__isnull=True, starts_at__gt=now, starts_at__lte=now + REMINDER_AHEAD
    ).select_related("process")
    for meeting in meetings:
        with transaction.atomic():
            due = (
                meeting.registrations.select_for_update()
                .filter(status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True)
                .order_by("pk")
            )
            for registration in due:
                registration.reminder_sent_at = now
                registration.save(update_fields=["reminder_sent_at"])
                _email_registrant("meeting_reminder", meeting, registration)
                sent += 1
    return sent


# --- Inputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputData:
    """One input as given: by staff in the fast form or a spreadsheet, or by the
    participant through the meeting's short link."""

    text: str
    channel: str
    participant_group: str = ""
    giver_name: str = ""
    giver_email: str = ""


def _new_input(
    meeting: MeetingPoint, data: InputData, *, recorded_by: User | None, giver: User | None
) -> Input:
    return Input(
        meeting=meeting,
        channel=data.channel,
        participant_group=data.participant_group,
        text=data.text.strip(),
        giver_name=data.giver_name.strip(),
        giver_email=data.giver_email.strip().lower(),
        giver=giver,
        recorded_by=recorded_by,
        code=_unused_code(Input, INPUT_CODE_LENGTH),
    )


def input_record(
    *, meeting: MeetingPoint, by: User, data: InputData, photo: UploadedFile | None = None
) -> Input:
    """Staff of the organising unit record one input from a meeting."""
    if not permissions.can_manage(by, meeting.process):
        raise ActionPermissionDenied(_("Only the organising unit's staff may record inputs."))
    if not data.text.strip():
        raise ActionNotAllowed(_("Write the input."))
    with transaction.atomic():
        item = _new_input(meeting, data, recorded_by=by, giver=None)
        if photo is not None:
            item.photo = photo
        item.save()
        record_event(
            process=meeting.process,
            meeting=meeting,
            kind=ProcessEvent.Kind.INPUT_RECORDED,
            actor=by,
            data={"input": item.pk, "channel": item.channel},
        )
    return item


def input_leave(*, meeting: MeetingPoint, by: AnyUser, data: InputData) -> Input:
    """A participant leaves an input through the meeting's short link, logged in or not.

    Any meeting of a published process takes inputs this way, public or not (a school
    visit hands out its link on the day); a cancelled one does not.
    """
    if not meeting.process.is_published or meeting.is_cancelled:
        raise ActionNotAllowed(_("This meeting no longer takes inputs."))
    if not data.text.strip():
        raise ActionNotAllowed(_("Write your input."))
    giver = by if isinstance(by, User) and by.is_authenticated else None
    self_service = InputData(
        text=data.text,
        channel=InputChannel.SELF_SERVICE,
        participant_group=data.participant_group,
        giver_name=data.giver_name,
        giver_email=data.giver_email,
    )
    with transaction.atomic():
        item = _new_input(meeting, self_service, recorded_by=None, giver=giver)
        item.save()
        record_event(
            process=meeting.process,
            meeting=meeting,
            kind=ProcessEvent.Kind.INPUT_RECORDED,
            actor=giver,
            data={"input": item.pk, "channel": item.channel},
        )
        if item.giver_email:
            queue_email(
                template="cocreation/emails/input_received",
                context={
                    "process": meeting.process,
                    "receipt_url": base_url() + item.get_absolute_url(),
                },
                to=[item.giver_email],
            )
    return item


def inputs_import(
    *, process: Process, by: User, rows: Iterable[tuple[MeetingPoint, InputData]]
) -> list[Input]:
    """Import checked spreadsheet rows into a process, all or none (one transaction)."""
    if not permissions.can_manage(by, process):
        raise ActionPermissionDenied(_("Only the organising unit's staff may import inputs."))
    rows = list(rows)
    if any(meeting.process_id != process.pk for meeting, _data in rows):
        raise ActionNotAllowed(_("Every input must belong to a meeting of this process."))
    with transaction.atomic():
        created = []
        for meeting, data in rows:
            item = _new_input(meeting, data, recorded_by=by, giver=None)
            item.save()
            created.append(item)
        record_event(
            process=process,
            kind=ProcessEvent.Kind.INPUTS_IMPORTED,
            actor=by,
            data={"count": len(created), "inputs": [item.pk for item in created]},
        )
    return created


# --- From inputs to ideas ------------------------------------------------------------------


def _lock_inputs(process: Process, by: User, inputs: Iterable[Input]) -> list[Input]:
    """Check `by` manages the process, then lock the chosen inputs, all of this process."""
    if not permissions.can_manage(by, process):
        raise ActionPermissionDenied(_("Only the organising unit's staff may sort inputs."))
    pks = sorted({item.pk for item in inputs})
    if not pks:
        raise ActionNotAllowed(_("Choose at least one input."))
    locked = list(Input.objects.select_for_update().filter(pk__in=pks, meeting__process=process))
    if len(locked) != len(pks):
        raise ActionNotAllowed(_("Every input must belong to a meeting of this process."))
    return locked


def _check_open(inputs: Iterable[Input]) -> None:
    """An input becomes part of one idea or gets one answer; it is not moved on after."""
    if any(item.idea_id is not None or item.answer for item in inputs):
        raise ActionNotAllowed(
            _("Some of the chosen inputs already have an outcome (an idea or an answer).")
        )


def inputs_sort(
    *, process: Process, by: User, inputs: Iterable[Input], theme: Theme | None
) -> list[Input]:
    """Sort inputs into a theme (None takes them out of their theme)."""
    with transaction.atomic():
        locked = _lock_inputs(process, by, inputs)
        Input.objects.filter(pk__in=[item.pk for item in locked]).update(theme=theme)
        record_event(
            process=process,
            kind=ProcessEvent.Kind.INPUTS_SORTED,
            actor=by,
            data={"inputs": [item.pk for item in locked], "theme": getattr(theme, "pk", None)},
        )
    return locked


def _idea_place(process: Process) -> dict[str, Any]:
    """Where an idea made from a process's inputs belongs: the process's challenge while
    it takes ideas, else a free idea of the process's municipality under its theme (a
    process often runs on after its challenge has closed)."""
    challenge = process.challenge
    if challenge is not None and challenge.live and challenge.accepts_ideas:
        return {"challenge": challenge, "theme": process.theme}
    theme = process.theme or getattr(challenge, "theme", None)
    return {"challenge": None, "theme": theme, "municipality": process.municipality}


def idea_from_inputs(
    *,
    process: Process,
    by: User,
    inputs: Iterable[Input],
    title: str,
    summary: str,
    description: str,
) -> Idea:
    """Turn one or many inputs into a new idea, submitted by the staff member `by`.

    The idea goes through the ideas app's own submission (reference, routing, search,
    e-mails to the owning unit), in the same transaction that links the inputs to it,
    so either both happen or neither. The author is the staff member who wrote it up:
    they answer for the wording, and the idea's history says who did it.
    """
    if not (title.strip() and summary.strip() and description.strip()):
        raise ActionNotAllowed(_("Write a title, a summary and a description."))
    with transaction.atomic():
        locked = _lock_inputs(process, by, inputs)
        _check_open(locked)
        try:
            idea = idea_submit(
                author=by,
                title=title,
                summary=summary,
                description=description,
                **_idea_place(process),
            )
        except ValidationError as error:
            raise ActionNotAllowed(" ".join(error.messages)) from error
        Input.objects.filter(pk__in=[item.pk for item in locked]).update(idea=idea)
        record_event(
            process=process,
            kind=ProcessEvent.Kind.IDEA_FROM_INPUTS,
            actor=by,
            data={"idea": idea.pk, "inputs": [item.pk for item in locked]},
        )
    return idea


def idea_by_reference(reference: str) -> Idea | None:
    """An idea inputs may be attached to: public, and not merged away."""
    return (
        Idea.objects.public()
        .exclude(status=IdeaStatus.MERGED)
        .filter(reference=reference.strip())
        .first()
    )


def inputs_attach(*, process: Process, by: User, inputs: Iterable[Input], idea: Idea) -> Idea:
    """Attach inputs to an existing public idea of the process's municipality."""
    with transaction.atomic():
        locked = _lock_inputs(process, by, inputs)
        _check_open(locked)
        fresh = Idea.objects.public().filter(pk=idea.pk).first()
        if fresh is None or fresh.status == IdeaStatus.MERGED:
            raise ActionNotAllowed(_("Inputs can only be attached to a public idea."))
        if fresh.municipality_id != process.municipality_id:
            raise ActionNotAllowed(_("The idea belongs to another municipality."))
        Input.objects.filter(pk__in=[item.pk for item in locked]).update(idea=fresh)
        record_event(
            process=process,
            kind=ProcessEvent.Kind.INPUTS_ATTACHED,
            actor=by,
            data={"idea": fresh.pk, "inputs": [item.pk for item in locked]},
        )
    return fresh


def input_answer(*, item: Input, by: User, answer: str, text: str) -> Input:
    """Answer an input directly ("outside the municipality's remit", "already done", ...).

    The answer and its text are shown on the input's public receipt page.
    """
    if answer not in InputAnswer.values:
        raise ActionNotAllowed(_("Choose what kind of answer this is."))
    if not text.strip():
        raise ActionNotAllowed(_("Write the answer."))
    process = item.meeting.process
    with transaction.atomic():
        (locked,) = _lock_inputs(process, by, [item])
        if locked.idea_id is not None:
            raise ActionNotAllowed(_("This input is already part of an idea."))
        locked.answer = answer
        locked.answer_text = text.strip()
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answer_text", "answered_at"])
        record_event(
            process=process,
            meeting=locked.meeting,
            kind=ProcessEvent.Kind.INPUT_ANSWERED,
            actor=by,
            data={"input": locked.pk, "answer": answer},
        )
    return locked


# --- Staff cancelling a registration; undoing an input's outcome (codemo) -----------------


def _registrant_language(by: AnyUser | None) -> contextlib.AbstractContextManager:
    """The language of e-mails that staff's action sends to registrants.

    A person cancelling their own registration acted in their own language, which is
    active. When staff act, the active language is the admin's, not the registrant's;
    a registration keeps no language, so they hear in the site's, as its pages and
    posters spoke to them.
    """
    if by is None:
        return contextlib.nullcontext()
    return translation.override(settings.LANGUAGE_CODE)


def _email_cancelled_by_staff(meeting: MeetingPoint, registration: Registration) -> None:
    queue_email(
        template="cocreation/emails/registration_cancelled_by_staff",
        context={
            **_meeting_email_context(meeting, registration),
            "contact_email": meeting.process.organising_unit.contact_email,
        },
        to=[registration.email],
    )


def input_outcome_undo(*, item: Input, by: User) -> Input:
    """Undo what became of an input: take it out of its idea, or withdraw its answer.

    For a mistake (the wrong idea, an answer given too soon): the input is open again,
    keeps its theme, and its receipt page says it is not yet decided. The idea stays as
    it is, now built on one input fewer. The log records which idea or answer it was.
    """
    process = item.meeting.process
    with transaction.atomic():
        (locked,) = _lock_inputs(process, by, [item])
        if locked.idea_id is not None:
            kind = ProcessEvent.Kind.INPUT_DETACHED
            data = {"input": locked.pk, "idea": locked.idea_id}
            locked.idea = None
            fields = ["idea"]
        elif locked.answer:
            kind = ProcessEvent.Kind.ANSWER_WITHDRAWN
            data = {"input": locked.pk, "answer": locked.answer}
            locked.answer, locked.answer_text, locked.answered_at = "", "", None
            fields = ["answer", "answer_text", "answered_at"]
        else:
            raise ActionNotAllowed(_("This input has no outcome to undo."))
        locked.save(update_fields=fields)
        record_event(process=process, meeting=locked.meeting, kind=kind, actor=by, data=data)
    return locked


# --- Public process page: moderation and "what we heard" (begin) ---------------------------


def input_hide(*, item: Input, by: User, reason: str) -> Input:
    """Hide an input from every public surface (process page, receipt text, the idea's
    count). Its receipt then says it was hidden by moderation, with `reason`; staff
    still see it and can show it again (`input_show`)."""
    reason = reason.strip()
    if not reason:
        raise ActionNotAllowed(_("Write why the input is hidden."))
    process = item.meeting.process
    with transaction.atomic():
        (locked,) = _lock_inputs(process, by, [item])
        if locked.hidden_at is not None:
            raise ActionNotAllowed(_("The input is already hidden."))
        locked.hidden_at = timezone.now()
        locked.hidden_reason = reason
        locked.hidden_by = by
        locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        # The reason goes in the log: it is written by staff, about the input, not a person.
        record_event(
            process=process,
            meeting=locked.meeting,
            kind=ProcessEvent.Kind.INPUT_HIDDEN,
            actor=by,
            data={"input": locked.pk, "reason": reason},
        )
    return locked


def input_show(*, item: Input, by: User) -> Input:
    """Show a hidden input again, with everything it had before it was hidden."""
    process = item.meeting.process
    with transaction.atomic():
        (locked,) = _lock_inputs(process, by, [item])
        if locked.hidden_at is None:
            raise ActionNotAllowed(_("The input is not hidden."))
        locked.hidden_at = None
        locked.hidden_reason = ""
        locked.hidden_by = None
        locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        record_event(
            process=process,
            meeting=locked.meeting,
            kind=ProcessEvent.Kind.INPUT_SHOWN,
            actor=by,
            data={"input": locked.pk},
        )
    return locked


def theme_summary_write(
    *, process: Process, by: User, theme: Theme, text: str
) -> ProcessThemeSummary | None:
    """Write (or rewrite) "what we heard" on one theme of a process; an empty text
    removes it. Returns the summary, or None when removed (or there was none).

    Locks the process row, so two staff saving the same theme at once are served one
    after the other and the last one's words stand, each in the log.
    """
    if not permissions.can_manage(by, process):
        raise ActionPermissionDenied(_("Only the organising unit's staff may write summaries."))
    text = text.strip()
    with transaction.atomic():
        lock_rows(Process, [process.pk], touch="updated_at")
        existing = ProcessThemeSummary.objects.filter(process=process, theme=theme).first()
        if not text:
            if existing is None:
                return None
            existing.delete()
            record_event(
                process=process,
                kind=ProcessEvent.Kind.SUMMARY_REMOVED,
                actor=by,
                data={"theme": theme.pk},
            )
            return None
        summary = existing or ProcessThemeSummary(process=process, theme=theme)
        if existing is not None and existing.text == text:
            return existing
        summary.text = text
        summary.updated_by = by
        summary.save()
        record_event(
            process=process,
            kind=ProcessEvent.Kind.SUMMARY_WRITTEN,
            actor=by,
            data={"theme": theme.pk, "summary": summary.pk},
        )
    return summary


# --- Public process page: moderation and "what we heard" (end) -----------------------------
