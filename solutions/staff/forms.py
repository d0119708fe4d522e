"""Forms of the staff screens. They validate input; `solutions.actions` decides what is
allowed. Each form's cleaned data are the action's keyword arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from challenges.models import Theme
from ideas.models import Idea, IdeaStatus
from portal import roles
from portal.ids import IdModelChoiceField, IdModelMultipleChoiceField
from portal.models import Municipality, Unit, User
from projects.models import Project
from solutions import permissions
from solutions.models import ReuseTerms, Solution, SolutionKind, SolutionSource

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _municipalities(user: User) -> QuerySet[Municipality]:
    municipalities = Municipality.objects.filter(is_active=True)
    if not roles.is_platform_admin(user):
        municipalities = municipalities.filter(pk__in=permissions.writer_municipality_ids(user))
    return municipalities.order_by("name")


def shareable_projects(user: User) -> QuerySet[Project]:
    """Projects put into use in the municipalities the person writes for."""
    return (
        Project.objects.filter(adoption__isnull=False, municipality__in=_municipalities(user))
        .select_related("municipality")
        .order_by("name")
    )


def shareable_ideas(user: User) -> QuerySet[Idea]:
    """Public ideas put into use in the municipalities the person writes for."""
    return (
        Idea.objects.public()
        .filter(status=IdeaStatus.IMPLEMENTED, municipality__in=_municipalities(user))
        .order_by("-status_changed_at", "-pk")
    )


class DetailsForm(forms.Form):
    """What a solution says: shared by creating and editing."""

    title = forms.CharField(label=_("Title"), max_length=160)
    problem = forms.CharField(label=_("The problem it solves"), max_length=3000, widget=TEXTAREA)
    what_was_done = forms.CharField(label=_("What was done"), max_length=5000, widget=TEXTAREA)
    kind = forms.ChoiceField(label=_("Kind of solution"), choices=SolutionKind.choices)
    themes = IdModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost = forms.CharField(label=_("Cost"), max_length=300, required=False)
    time_taken = forms.CharField(label=_("Time it took"), max_length=300, required=False)
    competence = forms.CharField(label=_("Competence needed"), max_length=500, required=False)
    technology = forms.CharField(label=_("Technology"), max_length=500, required=False)
    procurement_route = forms.CharField(
        label=_("Procurement route"), max_length=500, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    reuse_terms = forms.ChoiceField(label=_("Terms for reuse"), choices=ReuseTerms.choices)
    reuse_terms_text = forms.CharField(
        label=_("The terms in words"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Required for “other terms”; otherwise anything to add."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.order_by("sort_order", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reuse_terms") == ReuseTerms.OTHER and not data.get("reuse_terms_text"):
            self.add_error("reuse_terms_text", _("Describe the terms for reuse."))
        return data


class CreateForm(DetailsForm):
    municipality = IdModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    source = forms.ChoiceField(
        label=_("Where it comes from"), choices=SolutionSource.choices, widget=forms.RadioSelect
    )
    project = IdModelChoiceField(
        label=_("Project put into use"), queryset=Project.objects.none(), required=False
    )
    idea = IdModelChoiceField(
        label=_("Idea put into use"), queryset=Idea.objects.none(), required=False
    )
    source_url = forms.URLField(label=_("Source link"), required=False, assume_scheme="https")
    source_organisation = forms.CharField(
        label=_("Source organisation"), max_length=200, required=False
    )

    field_order = ["municipality", "source", "project", "idea", "source_url", "source_organisation"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = _municipalities(user)
        self.fields["project"].queryset = shareable_projects(user)
        self.fields["project"].label_from_instance = lambda p: f"{p.name} ({p.municipality})"
        self.fields["idea"].queryset = shareable_ideas(user)
        self.fields["idea"].label_from_instance = lambda i: f"{i.reference} {i.title}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        source = data.get("source")
        required = {
            SolutionSource.PROJECT: ("project",),
            SolutionSource.IDEA: ("idea",),
            SolutionSource.EXTERNAL: ("source_url", "source_organisation"),
        }.get(source, ())
        for name in required:
            if not data.get(name):
                self.add_error(name, _("Required for this source."))
        return data


def prefill(user: User, *, project_id: int | None, idea_id: int | None) -> dict[str, Any]:
    """Initial values from a project or idea put into use (if the person may share it)."""
    if project_id is not None:
        project = shareable_projects(user).select_related("adoption").filter(pk=project_id).first()
        if project is not None:
            themes = Theme.objects.filter(ideas__project_link__project=project).distinct()
            return {
                "source": SolutionSource.PROJECT,
                "project": project.pk,
                "municipality": project.municipality_id,
                "title": project.name,
                "problem": project.summary,
                "what_was_done": project.adoption.public_text,
                "themes": list(themes),
            }
    if idea_id is not None:
        idea = shareable_ideas(user).filter(pk=idea_id).first()
        if idea is not None:
            return {
                "source": SolutionSource.IDEA,
                "idea": idea.pk,
                "municipality": idea.municipality_id,
                "title": idea.title,
                "problem": idea.summary,
                "what_was_done": idea.description,
                "themes": [idea.theme_id] if idea.theme_id else [],
            }
    return {"contact_name": user.get_full_name() or str(user), "contact_email": user.email}


def details_initial(solution: Solution) -> dict[str, Any]:
    initial = {
        name: getattr(solution, name) for name in DetailsForm.base_fields if name != "themes"
    }
    initial["themes"] = [theme.pk for theme in solution.themes.all()]
    return initial


class StepForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning or withdrawing: say why."),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    document = IdModelChoiceField(
        label=_("Document from the library"), queryset=get_document_model().objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = get_document_model().objects.order_by("-created_at")


class AdoptForm(forms.Form):
    owning_unit = IdModelChoiceField(
        label=_("Owning unit of your project"), queryset=Unit.objects.none()
    )
    name = forms.CharField(label=_("Name of your project"), max_length=160)
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=1000,
        widget=TEXTAREA,
        help_text=_("Shown on your project's public page."),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owning_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["owning_unit"].label_from_instance = lambda u: f"{u.name} ({u.municipality})"
