"""The gains staff screens in the Wagtail admin: a project's realisation plan
(gevinstrealiseringsplan) with a form to add a gain, and one gain's page with its
actions. Views validate input and execute `gains.actions`, which check the rights again;
a refused or invalid form comes back with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from gains import actions, exports, permissions, selectors
from gains.models import Gain
from gains.staff import forms
from portal.actions import Action, ActionNotAllowed, refusal_message
from projects import permissions as project_permissions
from projects import selectors as project_selectors
from projects.models import Project


class GainsPageMixin(WagtailAdminTemplateMixin):
    header_icon = "folder-open-inverse"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not project_permissions.can_open_project_list(request.user):
            raise PermissionDenied
        self.load(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def load(self, pk: int) -> None:
        raise NotImplementedError

    def project_crumbs(self, project: Project) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("projects_staff:list"), "label": _("Projects")},
            {"url": reverse("projects_staff:project", args=[project.pk]), "label": project.name},
            {"url": reverse("gains_staff:plan", args=[project.pk]), "label": _("Gains")},
        ]


class PlanView(GainsPageMixin, TemplateView):
    """All gains of a project with owners, baseline, target, latest measurement and
    the next measurement date; and, for those who manage it, a form to add one."""

    template_name = "gains/admin/plan.html"

    def load(self, pk: int) -> None:
        try:
            self.project = project_selectors.staff_project(pk)
        except Project.DoesNotExist as missing:
            raise Http404 from missing
        if not permissions.can_view_plan(self.request.user, self.project):
            raise PermissionDenied

    def get_page_title(self):
        return _("Realisation plan: %(project)s") % {"project": self.project.name}

    def get_breadcrumbs_items(self):
        return self.project_crumbs(self.project)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        can_define = permissions.can_define(self.request.user, self.project)
        if can_define and form is None:
            form = forms.GainForm(prefix="gain")
        context.update(
            {
                "project": self.project,
                "plan": selectors.realisation_plan(self.project.pk),
                "form": form if can_define else None,
            }
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not permissions.can_define(request.user, self.project):
            raise PermissionDenied
        form = forms.GainForm(request.POST, prefix="gain")
        if form.is_valid():
            try:
                gain = actions.gain_add(project=self.project, by=request.user, **form.cleaned_data)
            except (ActionNotAllowed, PermissionDenied) as refused:
                form.add_error(None, refusal_message(refused))
            else:
                messages.success(request, _("The gain is added. Record its baseline next."))
                return redirect("gains_staff:gain", gain.pk)
        messages.error(request, _("Please correct the errors in the form."))
        return self.render_to_response(self.get_context_data(form=form), status=400)


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def export_plan(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The project's gains and measurements as a file, for those who may read the plan."""
    if fmt not in EXPORTS:
        raise Http404
    if not project_permissions.can_open_project_list(request.user):
        raise PermissionDenied
    project = get_object_or_404(Project, pk=pk)
    if not permissions.can_view_plan(request.user, project):
        raise PermissionDenied
    content_type, extension = EXPORTS[fmt]
    body = exports.as_csv(project) if fmt == "csv" else exports.as_xlsx(project)
    response = HttpResponse(body, content_type=content_type)
    filename = f"gevinster-{project.slug}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class GainAction:
    """One action on the gain page. The form's fields are the action's arguments."""

    form: type[django_forms.Form]
    action: type[Action[Gain, Any]]
    done: Callable[[], str]
    allowed: Callable[[Any, Gain], bool]


GAIN_ACTIONS = {
    "edit": GainAction(
        forms.GainForm,
        actions.EditGainAction,
        lambda: _("The gain is saved."),
        lambda user, gain: permissions.can_define(user, gain.project),
    ),
    "baseline": GainAction(
        forms.MeasurementForm,
        actions.RecordBaselineAction,
        lambda: _("The baseline is recorded."),
        lambda user, gain: permissions.can_define(user, gain.project),
    ),
    "measurement": GainAction(
        forms.MeasurementWithCommentForm,
        actions.RecordMeasurementAction,
        lambda: _("The measurement is recorded."),
        permissions.can_record,
    ),
    "status": GainAction(
        forms.StatusForm,
        actions.ChangeStatusAction,
        lambda: _("The status is changed."),
        lambda user, gain: permissions.can_define(user, gain.project),
    ),
}


def _form_for(action: str, gain: Gain, data=None):
    form_class = GAIN_ACTIONS[action].form
    if form_class is forms.GainForm:
        return form_class(data, prefix=action, gain=gain)
    return form_class(data, prefix=action)


class GainView(GainsPageMixin, TemplateView):
    template_name = "gains/admin/gain.html"

    def load(self, pk: int) -> None:
        try:
            self.gain = selectors.staff_gain(pk)
        except Gain.DoesNotExist as missing:
            raise Http404 from missing
        user = self.request.user
        if not (
            permissions.can_view_plan(user, self.gain.project)
            or permissions.can_record(user, self.gain)
        ):
            raise PermissionDenied

    def get_page_title(self):
        return self.gain.indicator

    def get_breadcrumbs_items(self):
        return [*self.project_crumbs(self.gain.project), {"url": "", "label": self.gain.indicator}]

    def get_context_data(self, bound_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        gain, user = self.gain, self.request.user
        measurements = selectors.gain_measurements(gain)
        offered = [name for name, a in GAIN_ACTIONS.items() if a.allowed(user, gain)]
        if measurements and "baseline" in offered:
            offered.remove("baseline")  # fixed once measured against
        action_forms = {name: _form_for(name, gain) for name in offered}
        action_forms.update(bound_forms or {})
        summary = selectors.GainSummary(gain, measurements)
        context.update(
            {
                "gain": gain,
                "summary": summary,
                "measurements": measurements,
                "forms": action_forms,
                "history": list(selectors.gain_history(gain)),
            }
        )
        return context


class GainActionView(GainView):
    """POST one action from the gain page; on success back to the page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        chosen = GAIN_ACTIONS.get(action)
        if chosen is None:
            raise Http404
        gain = self.gain
        if not chosen.allowed(request.user, gain):
            raise PermissionDenied
        form = _form_for(action, gain, data=request.POST)
        if form.is_valid():
            try:
                chosen.action(gain, by=request.user, **form.cleaned_data).execute()
            except (ActionNotAllowed, PermissionDenied) as refused:
                form.add_error(None, refusal_message(refused))
            else:
                messages.success(request, chosen.done())
                return redirect("gains_staff:gain", gain.pk)
        messages.error(request, _("Please correct the errors in the form."))
        context = self.get_context_data(bound_forms={action: form})
        context["open_action"] = action
        return self.render_to_response(context, status=400)
