"""Forms of the staff screens. They validate input; `projects.actions` decides what is
allowed. Each action form's cleaned data are the action's keyword arguments."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from ideas import permissions as idea_permissions
from ideas.models import Idea, IdeaStatus
from portal.ids import IdModelChoiceField, IdModelMultipleChoiceField
from portal.models import Unit, User
from projects.models import (
    Milestone,
    ParticipatingUnit,
    Phase,
    Project,
    ProjectAdoption,
    TeamMember,
    ValueOrigin,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(*, also: int | None = None) -> QuerySet[User]:
    """Who may own a project, be a unit's contact or be in a team: staff of a unit
    (and `also`, the person who has the role now)."""
    staff = User.objects.filter(is_active=True, units__isnull=False).values("pk")
    return User.objects.filter(Q(pk__in=staff) | Q(pk=also)).order_by("email")


def startable_ideas(user: User) -> QuerySet[Idea]:
    """Accepted ideas in no project that `user` may act on (admins: all)."""
    ideas = Idea.objects.filter(
        status=IdeaStatus.ACCEPTED, is_hidden=False, project_link__isnull=True
    ).select_related("owning_unit")
    units = idea_permissions.triage_unit_ids(user)
    if units is not None:
        ideas = ideas.filter(owning_unit_id__in=units)
    return ideas.order_by("-status_changed_at", "-pk")


class StartForm(forms.Form):
    ideas = IdModelMultipleChoiceField(
        label=_("Ideas the project carries on"),
        queryset=Idea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Accepted ideas of your units that are in no project yet."),
    )
    name = forms.CharField(label=_("Name"), max_length=160)
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the public project page and sent to the ideas' supporters."),
    )
    owning_unit = IdModelChoiceField(
        label=_("Owning unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The first idea's unit"),
    )
    owner = IdModelChoiceField(
        label=_("Project owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Me"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = startable_ideas(user)
        self.fields["ideas"].label_from_instance = lambda idea: f"{idea.reference} {idea.title}"
        units = Unit.objects.active()
        if not idea_permissions.is_admin(user):
            units = units.filter(pk__in=idea_permissions.staff_unit_ids(user))
        self.fields["owning_unit"].queryset = units.order_by("name")
        self.fields["owner"].queryset = _people()


class DetailsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    summary = forms.CharField(
        label=_("Public summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = IdModelChoiceField(label=_("Project owner"), queryset=User.objects.none())
    budget = forms.DecimalField(
        label=_("Budget (NOK)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
        help_text=_("Internal: never shown on the public page."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": project.name,
                "summary": project.summary,
                "owner": project.owner_id,
                "budget": project.budget,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(also=project.owner_id)


class PhaseForm(forms.Form):
    phase = IdModelChoiceField(label=_("New phase"), queryset=Phase.objects.none())
    note = forms.CharField(label=_("Why (internal)"), required=False, widget=TEXTAREA)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(is_active=True).exclude(
            pk=project.phase_id
        )


class MilestoneForm(forms.Form):
    milestone = IdModelChoiceField(
        queryset=Milestone.objects.none(), required=False, widget=forms.HiddenInput
    )
    title = forms.CharField(label=_("Milestone"), max_length=200)
    planned_on = forms.DateField(label=_("Planned date"), widget=DATE)
    reached_on = forms.DateField(
        label=_("Actual date"),
        required=False,
        widget=DATE,
        help_text=_("Fill in when the milestone is reached."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = project.milestones.all()


class UnitForm(forms.Form):
    unit = IdModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        help_text=_("Units of other municipalities may take part too."),
    )
    contact = IdModelChoiceField(label=_("Contact in that unit"), queryset=User.objects.none())
    role = forms.CharField(label=_("What the unit contributes"), max_length=200, required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.active()
            .exclude(pk=project.owning_unit_id)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.name} ({unit.municipality})"
        self.fields["contact"].queryset = _people()


class RemoveUnitForm(forms.Form):
    participation = IdModelChoiceField(
        queryset=ParticipatingUnit.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation"].queryset = project.participations.all()


class MemberForm(forms.Form):
    user = IdModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.CharField(label=_("Role"), max_length=120, required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people()


class RemoveMemberForm(forms.Form):
    member = IdModelChoiceField(queryset=TeamMember.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = project.team.all()


class LogForm(forms.Form):
    text = forms.CharField(
        label=_("Log entry"), widget=TEXTAREA, help_text=_("Internal: only the project sees it.")
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    document = IdModelChoiceField(
        label=_("From the document library"),
        queryset=get_document_model().objects.none(),
        required=False,
    )
    file = forms.FileField(label=_("Or upload a file"), required=False)
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Shown on the public project page. Otherwise only the project sees it."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = get_document_model().objects.order_by("title")

    def clean(self):
        data = super().clean()
        if bool(data.get("document")) == bool(data.get("file")):
            raise forms.ValidationError(
                _("Choose a document from the library or upload a file, not both.")
            )
        return data


class PutIntoUseForm(forms.Form):
    public_text = forms.CharField(
        label=_("The result, for the public"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the project page and the ideas' pages, and sent to their authors."),
    )
    put_into_use_on = forms.DateField(label=_("Put into use on"), widget=DATE)
    origin = forms.ChoiceField(
        label=_("Was the municipality first?"),
        choices=ValueOrigin.choices,
        widget=forms.RadioSelect,
    )
    source_url = forms.URLField(
        label=_("Link to what inspired it"), required=False, assume_scheme="https"
    )
    spread = forms.BooleanField(label=_("Others have taken it up from us"), required=False)
    values = forms.MultipleChoiceField(
        label=_("What kinds of value did it give?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (name, ProjectAdoption._meta.get_field(name).verbose_name)
            for name in ProjectAdoption.VALUE_FIELDS
        ],
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("origin") == ValueOrigin.INSPIRED and not data.get("source_url"):
            self.add_error("source_url", _("Link to the solution that inspired this one."))
        return data
