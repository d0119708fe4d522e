"""The staff screens in the Wagtail admin: the list of a municipality's solutions,
writing one (prefilled from a project or idea put into use), its page with the review
steps, and adopting another municipality's solution. Laid out and guarded like the
project screens (`projects.staff.views`): views validate input and execute
`solutions.actions`, which check the rights again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.actions import ActionNotAllowed, refusal_message
from portal.ids import parse_id
from solutions import actions, permissions, selectors
from solutions.models import Solution
from solutions.staff import forms

STEP_MESSAGES = {
    "submit": gettext_lazy("The solution is sent to the editors for review."),
    "publish": gettext_lazy("The solution is published in the library."),
    "return": gettext_lazy("The solution is returned to its writers with your comment."),
    "withdraw": gettext_lazy("The solution is withdrawn from the library."),
    "reopen": gettext_lazy("The solution is a draft again."),
}


class SolutionsPageMixin(WagtailAdminTemplateMixin):
    header_icon = "resubmit"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not permissions.can_open_staff_screens(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("solutions_staff:list"), "label": _("Solutions")},
        ]


class SolutionListView(SolutionsPageMixin, TemplateView):
    template_name = "solutions/admin/list.html"
    page_title = gettext_lazy("Solutions")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Solutions")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["solutions"] = list(selectors.staff_solutions(self.request.user)[:200])
        return context


class CreateSolutionView(SolutionsPageMixin, TemplateView):
    template_name = "solutions/admin/create.html"
    page_title = gettext_lazy("Share a solution")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            initial = forms.prefill(
                self.request.user,
                project_id=parse_id(self.request.GET.get("project")),
                idea_id=parse_id(self.request.GET.get("idea")),
            )
            form = forms.CreateForm(user=self.request.user, initial=initial)
        context["form"] = form
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.CreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                solution = actions.solution_create(by=request.user, **data)
            except (ActionNotAllowed, PermissionDenied) as refused:
                form.add_error(None, refusal_message(refused))
            else:
                messages.success(
                    request, _("The draft is saved. Submit it for review when it is ready.")
                )
                return redirect("solutions_staff:solution", solution.pk)
        messages.error(request, _("Please correct the errors in the form."))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SolutionView(SolutionsPageMixin, TemplateView):
    template_name = "solutions/admin/solution.html"

    def dispatch(self, request, *args, **kwargs):
        if permissions.can_open_staff_screens(request.user):
            try:
                self.solution = selectors.staff_solution(kwargs["pk"])
            except Solution.DoesNotExist as missing:
                raise Http404 from missing
            if not permissions.can_view_staff(request.user, self.solution):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.solution.title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.solution.title}]

    def get_context_data(self, details_form=None, document_form=None, step_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        solution, user = self.solution, self.request.user
        draft = solution.status == "draft" and permissions.can_write(user, solution)
        # Reviewers correct a published solution in place (actions.EditSolutionAction).
        editable = draft or (
            solution.status == "published" and permissions.can_review(user, solution)
        )
        context.update(
            {
                "solution": solution,
                "editable": editable,
                "details_form": details_form
                or (
                    forms.DetailsForm(initial=forms.details_initial(solution)) if editable else None
                ),
                "document_form": document_form or (forms.DocumentForm() if draft else None),
                "step_form": step_form or forms.StepForm(),
                "steps": actions.allowed_steps(user, solution),
                "history": list(selectors.history(solution)),
                "reuse": selectors.reuse(solution.pk),
            }
        )
        return context


class SolutionPostView(SolutionView):
    """POST an edit, a document or a review step; on success back to the page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        solution = self.solution
        if action == "edit":
            form: Any = forms.DetailsForm(request.POST)
            run = lambda data: actions.solution_edit(solution=solution, by=request.user, **data)  # noqa: E731
            done, bound = _("The changes are saved."), "details_form"
        elif action == "document":
            form = forms.DocumentForm(request.POST)
            run = lambda data: actions.solution_add_document(  # noqa: E731
                solution=solution, by=request.user, **data
            )
            done, bound = _("The document is added."), "document_form"
        elif action in actions.STEPS:
            form = forms.StepForm(request.POST)
            run = lambda data: actions.solution_step(  # noqa: E731
                solution=solution, by=request.user, step=action, **data
            )
            done, bound = str(STEP_MESSAGES[action]), "step_form"
        else:
            raise Http404
        if not form.is_valid():
            messages.error(request, _("Please correct the errors in the form."))
            return self.render_to_response(self.get_context_data(**{bound: form}), status=400)
        try:
            run(form.cleaned_data)
        except (ActionNotAllowed, PermissionDenied) as refused:
            messages.error(request, refusal_message(refused))
            # Keep what was typed: the form is shown again with the refusal above it.
            form.add_error(None, refusal_message(refused))
            return self.render_to_response(self.get_context_data(**{bound: form}), status=400)
        messages.success(request, done)
        return redirect("solutions_staff:solution", solution.pk)


class AdoptView(WagtailAdminTemplateMixin, TemplateView):
    """Adopt a published solution: staff of a unit in another municipality."""

    template_name = "solutions/admin/adopt.html"
    header_icon = "resubmit"

    def dispatch(self, request, *args, **kwargs):
        self.solution = get_object_or_404(
            Solution.objects.published().select_related("municipality"), pk=kwargs["pk"]
        )
        if not permissions.can_adopt(request.user, self.solution):
            raise PermissionDenied
        self.units = permissions.adopting_units(request.user, self.solution)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Adopt “%(title)s”") % {"title": self.solution.title}

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        solution = self.solution
        context["solution"] = solution
        context["form"] = form or forms.AdoptForm(
            units=self.units,
            initial={
                "owning_unit": self.units[0].pk if len(self.units) == 1 else None,
                "name": solution.title,
                "summary": solution.problem[:1000],
            },
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = forms.AdoptForm(request.POST, units=self.units)
        if form.is_valid():
            try:
                adoption = actions.solution_adopt(
                    solution=self.solution, by=request.user, **form.cleaned_data
                )
            except (ActionNotAllowed, PermissionDenied) as refused:
                form.add_error(None, refusal_message(refused))
            else:
                messages.success(
                    request,
                    _(
                        "Your project is started with the same gains to measure. "
                        "Record your own baseline before you begin."
                    ),
                )
                return redirect("projects_staff:project", adoption.project_id)
        messages.error(request, _("Please correct the errors in the form."))
        return self.render_to_response(self.get_context_data(form=form), status=400)
