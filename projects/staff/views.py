"""The staff screens in the Wagtail admin: the project list, starting a project, and one
project's page with its actions. Laid out and guarded like the idea triage screens
(`ideas.triage.views`): views validate input and execute `projects.actions`, which check
the rights again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.actions import Action, ActionNotAllowed, refusal_message
from projects import actions, extensions, permissions, selectors
from projects.models import Project
from projects.staff import forms


class StaffAccessMixin:
    """Unit staff and admins; editors who are not staff manage pages, not projects."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not permissions.can_open_project_list(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ProjectsPageMixin(StaffAccessMixin, WagtailAdminTemplateMixin):
    header_icon = "folder-open-inverse"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("projects_staff:list"), "label": _("Projects")},
        ]


class ProjectListView(ProjectsPageMixin, TemplateView):
    template_name = "projects/admin/list.html"
    page_title = gettext_lazy("Projects")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Projects")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = list(selectors.staff_projects(self.request.user)[:200])
        return context


class StartProjectView(ProjectsPageMixin, TemplateView):
    template_name = "projects/admin/start.html"
    page_title = gettext_lazy("Start a project")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = [pk for pk in self.request.GET.getlist("idea") if pk.isdigit()]
        if form is None:
            form = forms.StartForm(user=self.request.user, initial={"ideas": chosen})
        context["form"] = form
        # Connect before building: solutions already shared that are like this project
        # (apps above projects say which, projects.extensions).
        context["start_hints"] = extensions.render_start_hints(
            self._about(form, chosen), self.request
        )
        return context

    @staticmethod
    def _about(form: forms.StartForm, chosen: list[str]) -> str:
        """What the project is about: the name and summary typed, else its ideas'."""
        if form.is_bound:
            return "\n".join(form.data.get(field, "") for field in ("name", "summary"))
        if not chosen:
            return ""
        ideas = form.fields["ideas"].queryset.filter(pk__in=chosen)
        return "\n".join(
            f"{title}\n{summary}" for title, summary in ideas.values_list("title", "summary")
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.StartForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = actions.project_start(
                    ideas=list(data["ideas"]),
                    by=request.user,
                    name=data["name"],
                    summary=data["summary"],
                    owning_unit=data["owning_unit"],
                    owner=data["owner"],
                )
            except (ActionNotAllowed, PermissionDenied) as refused:
                form.add_error(None, refusal_message(refused))
            else:
                messages.success(
                    request,
                    _("The project is started. Supporters and followers of its ideas are told."),
                )
                return redirect("projects_staff:project", project.pk)
        messages.error(request, _("Please correct the errors in the form."))
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- One project -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectAction:
    """One action on the project page. The form's fields are the action's arguments."""

    form: type[django_forms.Form]
    action: type[Action[Project, Any]]
    done: Callable[[Project], str]  # the success message
    manage: bool = True  # only for those who manage the project (else: who contribute)


PROJECT_ACTIONS = {
    "details": ProjectAction(
        forms.DetailsForm, actions.EditDetailsAction, lambda p: _("The details are saved.")
    ),
    "phase": ProjectAction(
        forms.PhaseForm,
        actions.ChangePhaseAction,
        lambda p: _("The project is now in the phase “%(phase)s”.") % {"phase": p.phase},
    ),
    "milestone": ProjectAction(
        forms.MilestoneForm, actions.MilestoneAction, lambda p: _("The milestone is saved.")
    ),
    "unit": ProjectAction(forms.UnitForm, actions.AddUnitAction, lambda p: _("The unit is added.")),
    "remove_unit": ProjectAction(
        forms.RemoveUnitForm, actions.RemoveUnitAction, lambda p: _("The unit is removed.")
    ),
    "member": ProjectAction(
        forms.MemberForm, actions.AddMemberAction, lambda p: _("The person is added to the team.")
    ),
    "remove_member": ProjectAction(
        forms.RemoveMemberForm,
        actions.RemoveMemberAction,
        lambda p: _("The person is removed from the team."),
    ),
    "document": ProjectAction(
        forms.DocumentForm, actions.AddDocumentAction, lambda p: _("The document is added.")
    ),
    "log": ProjectAction(
        forms.LogForm, actions.LogEntryAction, lambda p: _("Log entry added."), manage=False
    ),
    "put_into_use": ProjectAction(
        forms.PutIntoUseForm,
        actions.PutIntoUseAction,
        lambda p: _("The solution is put into use; its ideas are marked as put into use."),
    ),
}
# The forms offered on the page, in this order; the removals are buttons in the lists.
OFFERED = ("details", "phase", "milestone", "unit", "member", "document", "put_into_use")


def _form_for(action: str, project: Project, data=None, files=None):
    extra = (
        {"initial": {"put_into_use_on": timezone.localdate()}} if action == "put_into_use" else {}
    )
    form_class = PROJECT_ACTIONS[action].form
    return form_class(data, files, prefix=action, project=project, **extra)


class ProjectView(ProjectsPageMixin, TemplateView):
    template_name = "projects/admin/project.html"

    def dispatch(self, request, *args, **kwargs):
        if permissions.can_open_project_list(request.user):
            try:
                self.project = selectors.staff_project(kwargs["pk"])
            except Project.DoesNotExist as missing:
                raise Http404 from missing
            if not permissions.can_contribute(request.user, self.project):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.project.name

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.project.name}]

    def get_context_data(self, bound_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.project, self.request.user
        can_manage = permissions.can_manage(user, project)
        offered = [a for a in OFFERED if a != "put_into_use" or not project.is_put_into_use]
        action_forms = {a: _form_for(a, project) for a in offered} if can_manage else {}
        action_forms["log"] = _form_for("log", project)
        chosen = self._chosen_milestone() if can_manage else None
        if chosen is not None:
            action_forms["milestone"] = forms.MilestoneForm(
                prefix="milestone",
                project=project,
                initial={
                    "milestone": chosen.pk,
                    "title": chosen.title,
                    "planned_on": chosen.planned_on,
                    "reached_on": chosen.reached_on,
                },
            )
            context["open_action"] = "milestone"
        action_forms.update(bound_forms or {})
        context.update(
            {
                "project": project,
                "can_manage": can_manage,
                "forms": action_forms,
                "steps": selectors.phase_steps(project.phase),
                "history": list(selectors.history(project)),
                "adoption": getattr(project, "adoption", None),
                # Apps built on projects (gains) add their sections here.
                "extra_sections": extensions.render_staff_sections(project, self.request),
            }
        )
        return context

    def _chosen_milestone(self):
        """The milestone picked for changing (`?milestone=<id>`), if it is this project's."""
        wanted = self.request.GET.get("milestone", "")
        milestones = {str(m.pk): m for m in self.project.milestones.all()}
        return milestones.get(wanted)


class ProjectActionView(ProjectView):
    """POST one action from the project page; on success back to the page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        chosen = PROJECT_ACTIONS.get(action)
        if chosen is None:
            raise Http404
        project = self.project
        if chosen.manage and not permissions.can_manage(request.user, project):
            raise PermissionDenied
        form = _form_for(action, project, data=request.POST, files=request.FILES)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors in the form."))
            context = self.get_context_data(bound_forms={action: form})
            context["open_action"] = action
            return self.render_to_response(context, status=400)
        try:
            chosen.action(project, by=request.user, **form.cleaned_data).execute()
        except (ActionNotAllowed, PermissionDenied) as refused:
            messages.error(request, refusal_message(refused))
        else:
            project.refresh_from_db()
            messages.success(request, chosen.done(project))
        return redirect("projects_staff:project", project.pk)
