"""Co-creation processes, their meeting points, registrations, attendance and inputs.

A process gathers what people say at many meeting points (workshops, pop-up stands,
school visits, ...). Registrations and inputs may carry a person's name and e-mail:
those are personal data, shown to the organising unit's staff only, never on a public
page (see `cocreation.selectors`, which the public pages read through).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengePage, Theme
from ideas.models import Idea
from ideas.storage import PrivateAttachmentStorage
from portal.models import AuditEvent, Organisation, Unit
from portal.municipalities import Municipality


class ParticipantGroup(models.TextChoices):
    """Who took part, counted, never named: an age band or a role in the community."""

    AGE_UNDER_13 = "age_under_13", _("Children (under 13)")
    AGE_13_19 = "age_13_19", _("Young people (13–19)")
    AGE_20_39 = "age_20_39", _("Adults (20–39)")
    AGE_40_66 = "age_40_66", _("Adults (40–66)")
    AGE_67_PLUS = "age_67_plus", _("Older people (67 and over)")
    RESIDENT = "resident", _("Residents")
    BUSINESS = "business", _("Businesses")
    VOLUNTEER = "volunteer", _("Volunteers")
    EMPLOYEE = "employee", _("Municipal employees")


AGE_GROUPS = tuple(group for group in ParticipantGroup if group.value.startswith("age_"))
ROLE_GROUPS = tuple(group for group in ParticipantGroup if group not in AGE_GROUPS)


class ProcessQuerySet(models.QuerySet):
    def published(self) -> ProcessQuerySet:
        return self.filter(is_published=True)


class Process(models.Model):
    """A co-creation process: for a challenge, or on its own about a theme."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    aim = models.TextField(_("aim"), help_text=_("What the process wants to find out or achieve."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    challenge = models.ForeignKey(
        ChallengePage,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cocreation_processes",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cocreation_processes",
    )
    organising_unit = models.ForeignKey(
        Unit,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="cocreation_processes",
    )
    # Copied from the organising unit when the process is created, so a region's
    # selectors filter on it like on ideas.
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="cocreation_processes",
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="cocreation_processes",
    )
    other_partners = models.TextField(
        _("other partners"),
        blank=True,
        help_text=_("Schools, research groups and others without an organisation here."),
    )
    methods = models.TextField(_("methods used"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("co-creation process")
        verbose_name_plural = _("co-creation processes")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="cocreation_process_period_in_order",
                violation_error_message=_("The process must end on or after the day it starts."),
            ),
            models.CheckConstraint(
                condition=Q(challenge__isnull=False) | Q(theme__isnull=False),
                name="cocreation_process_challenge_or_theme",
                violation_error_message=_(
                    "Choose the challenge the process belongs to, or a theme."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cocreation:process", kwargs={"slug": self.slug})


class MeetingKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    POPUP = "popup", _("Pop-up stand")
    SCHOOL_VISIT = "school_visit", _("School visit")
    HOME_VISIT = "home_visit", _("Home visit")
    DIGITAL = "digital", _("Digital meeting")
    STREET_INTERVIEW = "street_interview", _("Street interview")
    WALK = "walk", _("Walk")
    OTHER = "other", _("Other")


class MeetingPointQuerySet(models.QuerySet):
    def public(self) -> MeetingPointQuerySet:
        """Meetings anyone may see: public ones of published processes."""
        return self.filter(is_public=True, process__is_published=True)


class MeetingPoint(models.Model):
    """One meeting point (møtepunkt) of a process."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    organiser = models.CharField(
        _("organiser"),
        max_length=200,
        blank=True,
        help_text=_("Who runs the meeting, if not the organising unit."),
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), blank=True, related_name="cocreation_meetings"
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, interpreters, toilets, ..."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Shown on the process page. A school or home visit is usually not."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats for registered participants. Leave empty for no limit."),
    )
    registration_open = models.BooleanField(_("registration open"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_notice = models.TextField(_("cancellation notice"), blank=True)
    # The meeting's short link, /m/<code>/, where participants leave inputs.
    code = models.CharField(_("short code"), max_length=12, unique=True)
    # Attendance is counted afterwards; the counts by group are AttendanceCount rows.
    attendance_total = models.PositiveIntegerField(_("participants in total"), null=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting point")
        verbose_name_plural = _("meeting points")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="cocreation_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="cocreation_meeting_capacity_positive",
                violation_error_message=_("The capacity must be at least 1, or empty."),
            ),
            # Only a public meeting can be found, so only a public one takes registrations.
            models.CheckConstraint(
                condition=Q(registration_open=False) | Q(is_public=True),
                name="cocreation_meeting_registration_only_public",
                violation_error_message=_("Only a public meeting can take registrations."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cocreation:meeting", kwargs={"code": self.code})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def takes_registrations(self) -> bool:
        return self.registration_open and not self.is_cancelled and self.starts_at > timezone.now()


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """A seat (or a place in the queue for one) at a public meeting. Personal data."""

    meeting = models.ForeignKey(
        MeetingPoint,
        verbose_name=_("meeting point"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus)
    # The secret in the cancellation link of the e-mails.
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One live registration per address and meeting.
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(status="cancelled"),
                name="cocreation_registration_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.status}"


class AttendanceCount(models.Model):
    """How many of a participant group took part in a meeting: a number, no names."""

    meeting = models.ForeignKey(
        MeetingPoint, on_delete=models.CASCADE, related_name="attendance_counts"
    )
    group = models.CharField(_("participant group"), max_length=20, choices=ParticipantGroup)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("attendance count")
        verbose_name_plural = _("attendance counts")
        ordering = ["meeting", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "group"], name="cocreation_attendance_once_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.group} {self.count}"


class InputChannel(models.TextChoices):
    STICKY_NOTE = "sticky_note", _("Sticky note or paper")
    CONVERSATION = "conversation", _("Conversation, written down by staff")
    SELF_SERVICE = "self_service", _("Left by the participant (short link)")
    SPREADSHEET = "spreadsheet", _("Imported from a spreadsheet")
    OTHER = "other", _("Other")


class InputAnswer(models.TextChoices):
    """Why an input was answered directly instead of becoming part of an idea."""

    OUTSIDE_REMIT = "outside_remit", _("Outside the municipality's remit")
    ALREADY_DONE = "already_done", _("Already done")
    OTHER = "other", _("Other answer")


class InputQuerySet(models.QuerySet):
    def public(self) -> InputQuerySet:
        """Inputs anyone may read: of published processes, not hidden by moderation.

        An input from a meeting that is not public (a home visit) is still public: its
        words are what the process heard; only that meeting's title stays private.
        """
        return self.filter(hidden_at__isnull=True, meeting__process__is_published=True)


class Input(models.Model):
    """One input (innspill) from a meeting, with where and how it came in.

    The giver's name and e-mail are optional and personal: for feedback to them only.
    What became of it: staff sort it into a `theme`, then either link it to the `idea`
    it became part of, or answer it directly (`answer`, `answer_text`); never both.
    Its receipt page (by `code`) shows that outcome to anyone with the code.
    """

    meeting = models.ForeignKey(
        MeetingPoint,
        verbose_name=_("meeting point"),
        on_delete=models.PROTECT,
        related_name="inputs",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=InputChannel)
    participant_group = models.CharField(
        _("participant group"), max_length=20, choices=ParticipantGroup, blank=True
    )
    text = models.TextField(_("input"), max_length=4000)
    photo = models.ImageField(
        _("photo"),
        storage=PrivateAttachmentStorage(),
        upload_to="cocreation/inputs/%Y/%m/",
        blank=True,
    )
    giver_name = models.CharField(_("name"), max_length=120, blank=True)
    giver_email = models.EmailField(_("e-mail address"), blank=True)
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_inputs",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField(_("receipt code"), max_length=12, unique=True)
    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_inputs",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cocreation_inputs",
    )
    answer = models.CharField(_("answer"), max_length=20, choices=InputAnswer, blank=True)
    answer_text = models.TextField(_("answer text"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Moderation: a hidden input is on no public page; its receipt says why, without
    # its text. Staff still see it, and can show it again.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), max_length=1000, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    objects = InputQuerySet.as_manager()

    class Meta:
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        ordering = ["created_at", "pk"]
        constraints = [
            # An input has one outcome: part of an idea, or answered directly.
            models.CheckConstraint(
                condition=Q(idea__isnull=True) | Q(answer=""),
                name="cocreation_input_idea_or_answer",
                violation_error_message=_("An input is either part of an idea or answered."),
            ),
            models.CheckConstraint(
                condition=Q(answer="") | ~Q(answer_text=""),
                name="cocreation_input_answer_has_text",
                violation_error_message=_("Write the answer."),
            ),
            # The receipt of a hidden input tells its giver why: a reason is required.
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="cocreation_input_hidden_has_reason",
                violation_error_message=_("Write why the input is hidden."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("cocreation:receipt", kwargs={"code": self.code})

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ProcessEvent(AuditEvent):
    """The audit trail of a process: who did what to it, its meetings and inputs.

    `data` holds ids and changed field names, never a participant's name or e-mail.
    """

    class Kind(models.TextChoices):
        PROCESS_CREATED = "process_created", _("Process created")
        PROCESS_UPDATED = "process_updated", _("Process changed")
        MEETING_CREATED = "meeting_created", _("Meeting point created")
        MEETING_UPDATED = "meeting_updated", _("Meeting point changed")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting point cancelled")
        ATTENDANCE_RECORDED = "attendance_recorded", _("Attendance recorded")
        REGISTERED = "registered", _("Registration")
        REGISTRATION_CANCELLED = "registration_cancelled", _("Registration cancelled")
        PROMOTED = "promoted", _("Moved up from the waiting list")
        INPUT_RECORDED = "input_recorded", _("Input recorded")
        INPUTS_IMPORTED = "inputs_imported", _("Inputs imported")
        INPUTS_SORTED = "inputs_sorted", _("Inputs sorted into a theme")
        IDEA_FROM_INPUTS = "idea_from_inputs", _("Idea made from inputs")
        INPUTS_ATTACHED = "inputs_attached", _("Inputs attached to an idea")
        INPUT_ANSWERED = "input_answered", _("Input answered")
        INPUT_DETACHED = "input_detached", _("Input taken out of its idea")
        ANSWER_WITHDRAWN = "answer_withdrawn", _("Answer to an input withdrawn")
        INPUT_HIDDEN = "input_hidden", _("Input hidden by moderation")
        INPUT_SHOWN = "input_shown", _("Hidden input shown again")
        SUMMARY_WRITTEN = "summary_written", _("Summary of a theme written")
        SUMMARY_REMOVED = "summary_removed", _("Summary of a theme removed")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="events")
    meeting = models.ForeignKey(
        MeetingPoint, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=Kind)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta(AuditEvent.Meta):
        verbose_name = _("process event")
        verbose_name_plural = _("process events")

    def __str__(self) -> str:
        return f"{self.process_id}: {self.kind}"


class ProcessThemeSummary(models.Model):
    """ "What we heard": staff's summary of a process's inputs on one theme, public."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="theme_summaries")
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="cocreation_summaries",
    )
    text = models.TextField(_("what we heard"), max_length=6000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("theme summary")
        verbose_name_plural = _("theme summaries")
        ordering = ["theme__sort_order", "theme__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "theme"], name="cocreation_summary_once_per_theme"
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="cocreation_summary_has_text",
                violation_error_message=_("Write the summary."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process_id}: {self.theme_id}"
