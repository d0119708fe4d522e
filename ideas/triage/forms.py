"""Forms of the triage workspace. They validate input; the services in
`ideas.actions` decide what is allowed."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengePage, Theme, partner_challenge_ids
from ideas import permissions
from ideas.actions import allowed_targets
from ideas.models import Idea, IdeaKind, IdeaStatus, IdeaTag
from ideas.triage import selectors
from portal.ids import IdModelChoiceField, IdModelMultipleChoiceField
from portal.models import Municipality, Unit, User

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _staff_users(user: User | None = None) -> QuerySet[User]:
    """Staff of any unit; of the user's municipalities' units when a user is given."""
    people = User.objects.filter(is_active=True, units__isnull=False)
    municipalities = permissions.triage_municipality_ids(user) if user is not None else None
    if municipalities is not None:
        people = people.filter(units__municipality_id__in=municipalities)
    return people.distinct().order_by("email")


def _my_units(user: User) -> QuerySet[Unit]:
    """Units of the municipalities the user works for (admins: all)."""
    municipalities = permissions.triage_municipality_ids(user)
    units = Unit.objects.order_by("name")
    return units if municipalities is None else units.filter(municipality_id__in=municipalities)


def _my_challenges(user: User | None) -> QuerySet[ChallengePage]:
    """Challenges of the municipalities the user works for (admins: all): another
    municipality's drafts are not for their eyes, not even as a title in a list."""
    challenges = ChallengePage.objects.in_default_locale().order_by("title")
    municipalities = permissions.triage_municipality_ids(user) if user is not None else None
    if municipalities is None:
        return challenges
    return challenges.filter(owning_unit__municipality_id__in=municipalities)


def _queue_challenges(user: User | None) -> QuerySet[ChallengePage]:
    """The queue filter's challenges: the user's municipalities' and the joint ones
    they are partners in (whose ideas the queue shows them)."""
    municipalities = permissions.triage_municipality_ids(user) if user is not None else None
    if municipalities is None:
        return _my_challenges(user)
    return (
        ChallengePage.objects.in_default_locale()
        .filter(
            Q(owning_unit__municipality_id__in=municipalities)
            | Q(pk__in=partner_challenge_ids(municipalities, live_only=False))
        )
        .order_by("title")
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (selectors.OPEN, _("Open (not finished)")),
            (selectors.WAITING, _("Waiting for an answer")),
            *IdeaStatus.choices,
            (selectors.HIDDEN, _("Hidden from the public")),
            (selectors.ALL, _("All statuses")),
        ],
    )
    unit = IdModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.order_by("name"),
        empty_label=_("My units"),
    )
    challenge = IdModelChoiceField(
        label=_("Challenge"),
        required=False,
        queryset=ChallengePage.objects.in_default_locale().order_by("title"),
        empty_label=_("All challenges"),
    )
    theme = IdModelChoiceField(
        label=_("Theme"), required=False, queryset=Theme.objects.all(), empty_label=_("All themes")
    )
    tag = forms.CharField(label=_("Tag"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_superuser:
            self.fields["unit"].empty_label = _("All units")
        self.fields["unit"].queryset = _my_units(user)
        self.fields["challenge"].queryset = _queue_challenges(user)
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (selectors.MINE, _("Me")),
            (selectors.UNASSIGNED, _("Nobody")),
            *[(str(u.pk), str(u)) for u in _staff_users(user)],
        ]

    def filters(self) -> selectors.QueueFilters:
        if not self.is_valid():
            return selectors.QueueFilters()
        data = self.cleaned_data
        return selectors.QueueFilters(
            status=data["status"] or selectors.OPEN,
            unit=data["unit"].pk if data["unit"] else None,
            challenge=data["challenge"].pk if data["challenge"] else None,
            theme=data["theme"].pk if data["theme"] else None,
            tag=data["tag"].strip(),
            assignee=data["assignee"] or "",
            overdue=data["overdue"],
            q=data["q"],
        )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    public_reason = forms.CharField(
        label=_("Public text"),
        required=False,
        widget=TEXTAREA,
        help_text=_(
            "Shown on the idea page and sent to the author and followers. Required when "
            "rejecting, reopening, and for the result when the idea is put into use."
        ),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Only staff see this."),
    )

    def __init__(self, *args, idea: Idea, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            (status, IdeaStatus(status).label) for status in allowed_targets(idea, user)
        ]


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into idea (reference)"),
        help_text=_("The reference of the idea this one duplicates, e.g. 2026-00042."),
    )
    public_reason = forms.CharField(label=_("Public text"), required=False, widget=TEXTAREA)

    def __init__(self, *args, idea: Idea, **kwargs):
        self.idea = idea
        super().__init__(*args, **kwargs)

    def clean_into(self) -> Idea:
        reference = self.cleaned_data["into"].strip()
        target = Idea.objects.filter(reference=reference).first()
        if target is None:
            raise forms.ValidationError(_("There is no idea with that reference."))
        if target.pk == self.idea.pk:
            raise forms.ValidationError(_("An idea cannot be merged into itself."))
        if target.municipality_id != self.idea.municipality_id:
            # Said without naming the other idea: it may not be this person's to see.
            raise forms.ValidationError(
                _(
                    "That idea belongs to another municipality; ideas are merged only "
                    "within their own municipality."
                )
            )
        return target


class UnmergeForm(forms.Form):
    reason = forms.CharField(label=_("Why undo the merge?"), required=False, widget=TEXTAREA)


class RerouteForm(forms.Form):
    to_unit = IdModelChoiceField(label=_("Send to unit"), queryset=Unit.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        widget=TEXTAREA,
        help_text=_("Sent to the new unit; not shown publicly."),
    )

    def __init__(self, *args, idea: Idea | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.active().order_by("name")
        if idea is not None:
            # An idea stays in its municipality: only its units are offered.
            units = units.filter(municipality_id=idea.municipality_id)
            if idea.owning_unit_id:
                units = units.exclude(pk=idea.owning_unit_id)
        self.fields["to_unit"].queryset = units


class AssignForm(forms.Form):
    assignee = IdModelChoiceField(
        label=_("Assignee"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        if idea.owning_unit_id:
            self.fields["assignee"].queryset = idea.owning_unit.staff.filter(
                is_active=True
            ).order_by("email")
        self.fields["assignee"].initial = idea.assignee_id


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), widget=TEXTAREA, help_text=_("Only staff see this.")
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Public answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on the idea page and sent to the author and followers."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why hide the idea?"),
        widget=TEXTAREA,
        help_text=_(
            "Shown to the author on the idea page and sent to them by e-mail. "
            "Nobody else can see the idea while it is hidden."
        ),
    )


class UnhideForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to the author"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Optional. Sent to the author by e-mail."),
    )


class BulkForm(forms.Form):
    """One action for the ideas ticked in the queue; each idea is handled separately."""

    ACTIONS = [
        ("transition", _("Change status")),
        ("assign", _("Assign")),
        ("reroute", _("Send to another unit")),
        ("note", _("Add internal note")),
        ("answer", _("Post public answer")),
        ("hide", _("Hide from the public")),
        ("unhide", _("Show again")),
    ]

    ideas = IdModelMultipleChoiceField(
        label=_("Ideas"), queryset=Idea.objects.all(), widget=forms.MultipleHiddenInput
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    to = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", "—"), *[c for c in IdeaStatus.choices if c[0] != IdeaStatus.MERGED]],
    )
    to_unit = IdModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.active().order_by("name")
    )
    assignee = IdModelChoiceField(
        label=_("Assignee"), required=False, queryset=User.objects.none(), empty_label=_("Nobody")
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=TEXTAREA,
        help_text=_(
            "The public reason or result for a status change, the reason for sending "
            "to another unit, the note, the answer, or the reason for hiding (shown to "
            "the author)."
        ),
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        # The queue's filters, on the same page, have an "assignee" field too: ids must differ.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _staff_users(user)
        if user is not None:
            # Another municipality's ideas are not even named in the report.
            self.fields["ideas"].queryset = selectors.in_my_municipalities(Idea.objects.all(), user)
            self.fields["to_unit"].queryset = _my_units(user).filter(is_active=True)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "transition" and not data.get("to"):
            self.add_error("to", _("Choose the new status."))
        if action == "reroute" and not data.get("to_unit"):
            self.add_error("to_unit", _("Choose the unit."))
        if action in ("note", "answer", "reroute", "hide") and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the text."))
        return data

    def action_params(self) -> dict:
        """The chosen action's arguments (see `ideas.actions.bulk.BULK_ACTIONS`)."""
        data = self.cleaned_data
        action = data["action"]
        if action == "transition":
            return {"to": data["to"], "public_reason": data["text"]}
        if action == "reroute":
            return {"to_unit": data["to_unit"], "reason": data["text"]}
        if action == "assign":
            return {"assignee": data["assignee"]}
        if action in ("hide", "unhide"):
            return {"reason": data["text"]}
        return {"text": data["text"]}


class RuleTestForm(forms.Form):
    """A sample idea: which unit would it go to?"""

    municipality = IdModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("The challenge's, or the only one"),
        help_text=_(
            "The municipality a free idea is for. An idea answering a challenge "
            "belongs to the challenge's municipality."
        ),
    )
    challenge = IdModelChoiceField(
        label=_("Challenge"),
        required=False,
        queryset=ChallengePage.objects.in_default_locale().order_by("title"),
        empty_label=_("No challenge"),
    )
    theme = IdModelChoiceField(
        label=_("Theme"), required=False, queryset=Theme.objects.all(), empty_label=_("No theme")
    )
    tags = IdModelMultipleChoiceField(
        label=_("Tags"), required=False, queryset=IdeaTag.objects.order_by("name")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=IdeaKind.choices, initial=IdeaKind.IDEA)

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.active().order_by("name")
        challenges = _my_challenges(user)
        mine = permissions.triage_municipality_ids(user) if user is not None else None
        if mine is not None:
            municipalities = municipalities.filter(pk__in=mine)
        self.fields["municipality"].queryset = municipalities
        self.fields["challenge"].queryset = challenges
        if len(municipalities) <= 1:
            # One municipality to choose from: nobody needs to choose.
            self.fields["municipality"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if (
            not data.get("challenge")
            and not data.get("municipality")
            and self.fields["municipality"].queryset[:2].count() > 1
        ):
            self.add_error(
                "municipality", _("Choose the municipality, or a challenge (it has one).")
            )
        return data

    def sample_idea(self) -> tuple[Idea, list[int]]:
        """An unsaved idea as submitted with these choices. Its municipality is the
        challenge's, else the one chosen, else the only one of the user's (None, and
        `ideas.routing` decides, when that leaves several)."""
        data = self.cleaned_data
        idea = Idea(challenge=data["challenge"], theme=data["theme"], kind=data["kind"])
        if data["challenge"] is None:
            chosen = data["municipality"]
            if chosen is None:
                offered = list(self.fields["municipality"].queryset[:2])
                chosen = offered[0] if len(offered) == 1 else None
            idea.municipality = chosen
        return idea, [tag.pk for tag in data["tags"]]
