"""Forms of the co-creation screens and public pages. They validate; services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from challenges.models import ChallengePage, Theme
from cocreation.models import (
    AGE_GROUPS,
    ROLE_GROUPS,
    Input,
    InputAnswer,
    InputChannel,
    MeetingPoint,
    ParticipantGroup,
    Process,
)
from ideas.attachments import image_without_metadata
from portal.models import Organisation, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = [
            "title",
            "slug",
            "aim",
            "starts_on",
            "ends_on",
            "challenge",
            "theme",
            "organising_unit",
            "partners",
            "other_partners",
            "methods",
            "is_published",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = ChallengePage.objects.live().order_by("title")
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["partners"].queryset = Organisation.objects.all()
        if units is not None:
            self.fields["organising_unit"].queryset = units
        if self.instance.pk:
            # The organiser and the address stay what they were: staff of another unit
            # would lose the process, and links already on posters would break.
            del self.fields["organising_unit"]
            del self.fields["slug"]


class MeetingForm(forms.ModelForm):
    class Meta:
        model = MeetingPoint
        fields = [
            "kind",
            "title",
            "description",
            "place",
            "starts_at",
            "ends_at",
            "organiser",
            "partners",
            "accessibility",
            "is_public",
            "capacity",
            "registration_open",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "partners": forms.CheckboxSelectMultiple,
        }


class CancelMeetingForm(forms.Form):
    notice = forms.CharField(
        label=_("Notice to those registered"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent by e-mail to everyone registered, and shown on the meeting page."),
    )


class AttendanceForm(forms.Form):
    total = forms.IntegerField(label=_("Participants in total"), min_value=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for group in ParticipantGroup:
            self.fields[group.value] = forms.IntegerField(
                label=group.label, min_value=0, required=False
            )

    def age_fields(self):
        return [self[group.value] for group in AGE_GROUPS]

    def role_fields(self):
        return [self[group.value] for group in ROLE_GROUPS]

    def counts(self) -> dict[str, int]:
        return {group.value: self.cleaned_data.get(group.value) or 0 for group in ParticipantGroup}


class FastInputForm(forms.Form):
    """Staff record inputs one after another: meeting, group and channel stay chosen."""

    meeting = forms.ModelChoiceField(label=_("Meeting point"), queryset=MeetingPoint.objects.none())
    participant_group = forms.ChoiceField(
        label=_("Participant group"),
        choices=[("", _("Not known"))] + list(ParticipantGroup.choices),
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (value, label)
            for value, label in InputChannel.choices
            if value not in (InputChannel.SELF_SERVICE, InputChannel.SPREADSHEET)
        ],
        initial=InputChannel.STICKY_NOTE,
    )
    text = forms.CharField(
        label=_("Input"),
        max_length=4000,
        # The page comes back after each save with the cursor here, ready for the next.
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
    )
    photo = forms.ImageField(label=_("Photo of the note"), required=False)
    giver_name = forms.CharField(label=_("Name"), max_length=120, required=False)
    giver_email = forms.EmailField(label=_("E-mail address"), required=False)

    def __init__(self, *args, process: Process, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = process.meetings.order_by("starts_at", "pk")

    def clean_photo(self):
        """The photo as stored: upright and without its metadata. A phone's photo of
        the sticky notes carries where and when it was taken (EXIF GPS), which is
        about the people at the meeting, not about their input."""
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        return image_without_metadata(photo, name=photo.name)


class InputsChoiceForm(forms.Form):
    """The inputs list: tick inputs, then sort them into a theme, attach them to an
    existing idea by its reference, or go on to write a new idea from them."""

    ACTIONS = ("sort", "attach", "idea")

    inputs = forms.ModelMultipleChoiceField(
        label=_("Inputs"),
        queryset=Input.objects.none(),
        error_messages={"required": _("Choose at least one input.")},
    )
    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=_("No theme")
    )
    reference = forms.CharField(
        label=_("Reference of an existing idea"),
        max_length=20,
        required=False,
        help_text=_("For example 2026-00042."),
    )

    def __init__(self, *args, process: Process, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inputs"].queryset = Input.objects.filter(meeting__process=process)

    def clean(self):
        data = super().clean()
        if data.get("action") == "attach" and not data.get("reference", "").strip():
            self.add_error("reference", _("Write the reference of the idea."))
        return data


class IdeaFromInputsForm(forms.Form):
    """A new idea written from the chosen inputs, prefilled with their texts."""

    inputs = forms.ModelMultipleChoiceField(
        queryset=Input.objects.none(), widget=forms.MultipleHiddenInput
    )
    title = forms.CharField(label=_("Title"), max_length=140)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences, shown on cards."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text; simple Markdown is allowed."),
    )

    def __init__(self, *args, process: Process, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inputs"].queryset = Input.objects.filter(
            meeting__process=process, idea__isnull=True, answer=""
        )


def idea_draft(inputs: list[Input]) -> dict[str, str]:
    """Title, summary and description to start from: the inputs' own words."""
    first = inputs[0].text.strip() if inputs else ""
    title = first.splitlines()[0] if first else ""
    return {
        "title": title[:137] + "..." if len(title) > 140 else title,
        "summary": first[:297] + "..." if len(first) > 300 else first,
        "description": "\n\n".join(f"- {item.text.strip()}" for item in inputs),
    }


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=InputAnswer.choices)
    text = forms.CharField(
        label=_("Answer text"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on the input's public receipt page."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.csv or .xlsx)"),
        help_text=_(
            "First row: column names. “text” (or “innspill”) is required; “meeting”, "
            "“group”, “channel”, “name” and “email” are optional."
        ),
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting point for rows without one"),
        queryset=MeetingPoint.objects.none(),
        required=False,
    )

    def __init__(self, *args, process: Process, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = process.meetings.order_by("starts_at", "pk")


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("For the confirmation and a reminder. Never shown to others."),
    )


class ParticipantInputForm(forms.Form):
    text = forms.CharField(
        label=_("Your input"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    participant_group = forms.ChoiceField(
        label=_("I take part as"),
        choices=[("", _("Rather not say"))] + list(ParticipantGroup.choices),
        required=False,
    )
    giver_name = forms.CharField(label=_("Name"), max_length=120, required=False)
    giver_email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Only if you want to hear what comes of your input. Never shown to others."),
    )


def units_for(user) -> object:
    """The units a person may organise processes for (all, for admins)."""
    from cocreation.permissions import manageable_unit_ids

    unit_ids = manageable_unit_ids(user)
    units = Unit.objects.active()
    return units if unit_ids is None else units.filter(pk__in=unit_ids)


class HideInputForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the input hidden?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the input's receipt page instead of its text, for the one who gave it."
        ),
    )


class SummariesForm(forms.Form):
    """ "What we heard": one text per theme. An emptied text removes that summary."""

    def __init__(self, *args, themes: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.themes = {}
        for heard in themes:
            name = f"theme_{heard.theme.pk}"
            self.themes[name] = heard.theme
            self.fields[name] = forms.CharField(
                label=heard.theme.display_name,
                max_length=6000,
                required=False,
                initial=heard.summary,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=ngettext(
                    "%(count)d public input under this theme.",
                    "%(count)d public inputs under this theme.",
                    heard.input_count,
                )
                % {"count": heard.input_count},
            )
