"""The triage workspace: a queue, one page per idea, actions, bulk actions, rule testing.

Views validate input and execute the actions in `ideas.actions`; those check the
transition table and the actor's rights. Only staff of a unit and admins get in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ideas import actions, extensions, permissions
from ideas.models import PUBLIC_STATUSES, Idea, IdeaStatus
from ideas.routing import explain_unit
from ideas.triage import forms, selectors
from portal.actions import ActionNotAllowed, refusal_message

logger = logging.getLogger(__name__)

QUEUE_PAGE_SIZE = 50
BULK_REPORT_SESSION_KEY = "ideas_triage_bulk_report"


class TriageAccessMixin:
    """Unit staff and admins only; editors who are not staff manage pages, not ideas."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not permissions.can_view_triage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TriagePageMixin(TriageAccessMixin, WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("ideas_triage:queue"), "label": _("Idea triage")},
        ]


def _back_to(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Queue ---------------------------------------------------------------------------------


class QueueView(TriagePageMixin, TemplateView):
    template_name = "ideas/admin/queue.html"
    page_title = gettext_lazy("Idea triage")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": _("Idea triage")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = forms.QueueFilterForm(self.request.GET or None, user=user)
        ideas = selectors.queue(user, form.filters())
        page = Paginator(ideas, QUEUE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        selectors.mark_overdue(rows)
        for idea in rows:
            idea.can_act = permissions.can_act_on(user, idea)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "filter_form": form,
                "page_obj": page,
                "ideas": rows,
                "bulk_form": forms.BulkForm(user=user),
                "query_without_page": query.urlencode(),
                "current_url": self.request.get_full_path(),
                "can_manage_rules": permissions.can_manage_routing_rules(user),
            }
        )
        return context


class BulkView(TriageAccessMixin, View):
    """POST: apply one action to the ticked ideas, then show the per-idea report."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.BulkForm(request.POST, user=request.user)
        back = _back_to(request, reverse("ideas_triage:queue"))
        if not form.is_valid():
            problems = "; ".join(" ".join(errors) for errors in form.errors.values())
            messages.error(request, _("The bulk action was not started: %s") % problems)
            return redirect(back)
        ideas = sorted(form.cleaned_data["ideas"], key=lambda idea: idea.status_changed_at)
        report = actions.ideas_bulk_apply(
            ideas=ideas,
            action=form.cleaned_data["action"],
            by=request.user,
            **form.action_params(),
        )
        request.session[BULK_REPORT_SESSION_KEY] = {
            "action": str(dict(forms.BulkForm.ACTIONS)[form.cleaned_data["action"]]),
            "back": back,
            "results": [
                {
                    "pk": result.idea.pk,
                    "reference": result.idea.reference,
                    "title": result.idea.title,
                    "ok": result.ok,
                    "message": result.message,
                }
                for result in report.results
            ],
        }
        return redirect("ideas_triage:bulk_result")


class BulkResultView(TriagePageMixin, TemplateView):
    template_name = "ideas/admin/bulk_result.html"
    page_title = gettext_lazy("Result of the bulk action")

    def get(self, request, *args, **kwargs):
        self.report = request.session.pop(BULK_REPORT_SESSION_KEY, None)
        if self.report is None:
            return redirect("ideas_triage:queue")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = self.report["results"]
        context.update(
            {
                "report": self.report,
                "succeeded": [r for r in results if r["ok"]],
                "failed": [r for r in results if not r["ok"]],
            }
        )
        return context


# --- One idea --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkspaceAction:
    """One action on the workspace page. The form's fields are the action's arguments."""

    form: type[django_forms.Form]
    action: type[actions.IdeaAction[Any]]
    done: Callable[[Idea, dict[str, Any]], str]  # the success message, after the action


def _assigned(idea: Idea, data: dict[str, Any]) -> str:
    if data["assignee"]:
        return _("Assigned to %(person)s.") % {"person": data["assignee"]}
    return _("Nobody is assigned now.")


WORKSPACE_ACTIONS = {
    "transition": WorkspaceAction(
        forms.TransitionForm,
        actions.TransitionAction,
        lambda idea, data: (
            _("Status changed to “%(status)s”.") % {"status": idea.get_status_display()}
        ),
    ),
    "merge": WorkspaceAction(
        forms.MergeForm,
        actions.MergeAction,
        lambda idea, data: _("Merged into %(reference)s.") % {"reference": data["into"].reference},
    ),
    "unmerge": WorkspaceAction(
        forms.UnmergeForm, actions.UnmergeAction, lambda idea, data: _("The merge was undone.")
    ),
    "reroute": WorkspaceAction(
        forms.RerouteForm,
        actions.RerouteAction,
        lambda idea, data: _("Sent to %(unit)s.") % {"unit": data["to_unit"]},
    ),
    "assign": WorkspaceAction(forms.AssignForm, actions.AssignAction, _assigned),
    "note": WorkspaceAction(
        forms.NoteForm, actions.NoteAction, lambda idea, data: _("Note added.")
    ),
    "answer": WorkspaceAction(
        forms.AnswerForm,
        actions.AnswerAction,
        lambda idea, data: _("The answer is published and sent to the author and followers."),
    ),
    "hide": WorkspaceAction(
        forms.HideForm,
        actions.HideAction,
        lambda idea, data: _("The idea is hidden from the public. The author has been told why."),
    ),
    "unhide": WorkspaceAction(
        forms.UnhideForm,
        actions.UnhideAction,
        lambda idea, data: _("The idea is shown publicly again."),
    ),
}


def _form_for(action: str, idea: Idea, user, data=None):
    form_class = WORKSPACE_ACTIONS[action].form
    kwargs = {"prefix": action}
    if action == "transition":
        kwargs.update(idea=idea, user=user)
    elif action in ("merge", "reroute", "assign"):
        kwargs["idea"] = idea
    return form_class(data, **kwargs)


# What a partner of a joint challenge may do on its ideas (`permissions.can_contribute`).
CONTRIBUTE_ACTIONS = ("note", "answer")


def _contribute_actions(idea: Idea) -> list[str]:
    return ["answer", "note"] if idea.status in PUBLIC_STATUSES else ["note"]


def _available_actions(idea: Idea, user) -> list[str]:
    """The actions worth offering for the idea's current status (each checks again)."""
    offered = []
    if actions.allowed_targets(idea, user):
        offered.append("transition")
    if idea.status in actions.MERGE_SOURCES:
        offered.append("merge")
    if idea.status == IdeaStatus.MERGED:
        offered.append("unmerge")
    if idea.status in PUBLIC_STATUSES:
        offered.append("answer")
    offered += ["assign", "reroute", "note"]
    offered.append("unhide" if idea.is_hidden else "hide")
    return offered


class IdeaWorkspaceView(TriagePageMixin, TemplateView):
    template_name = "ideas/admin/idea.html"

    def dispatch(self, request, *args, **kwargs):
        if permissions.can_view_triage(request.user):
            try:
                self.idea = selectors.workspace_idea(kwargs["pk"])
            except Idea.DoesNotExist as missing:
                raise Http404 from missing
            if not permissions.can_view_in_triage(request.user, self.idea):
                # Another municipality's idea: refused, as the workspace refuses
                # those who may not enter it.
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.idea.reference} {self.idea.title}"

    def get_breadcrumbs_items(self):
        label = f"{self.idea.reference} {self.idea.title}"
        return [*super().get_breadcrumbs_items(), {"url": "", "label": label}]

    def get_context_data(self, bound_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        idea, user = self.idea, self.request.user
        can_act = permissions.can_act_on(user, idea)
        # A partner of the idea's joint challenge notes and answers; the lead acts.
        partner_id = None if can_act else permissions.partner_municipality_id(user, idea)
        action_forms = {}
        if can_act or partner_id is not None:
            offered = _available_actions(idea, user) if can_act else _contribute_actions(idea)
            for action in offered:
                action_forms[action] = _form_for(action, idea, user)
            action_forms.update(bound_forms or {})
        selectors.mark_overdue([idea])
        context.update(
            {
                "idea": idea,
                "can_act": can_act,
                "is_joint_partner": partner_id is not None,
                "forms": action_forms,
                # Only files the download view will serve this person (a hidden idea's,
                # for instance, are not for staff of other units).
                "attachments": (
                    list(idea.attachments.all())
                    if permissions.can_download_attachments(user, idea)
                    else []
                ),
                "history": selectors.history(idea),
                "supporters": selectors.recent_supporters(idea),
                "similar": self._similar(idea),
                "notes": [e for e in selectors.history(idea) if e.kind == "note"],
                "queue_url": reverse("ideas_triage:queue"),
                # What the apps above ideas add (a project carrying the idea on).
                "extension_sections": extensions.render_triage_sections(idea, self.request),
            }
        )
        return context

    def _similar(self, idea: Idea) -> list[Idea]:
        try:
            return selectors.similar_ideas(idea)
        except Exception:
            # Similar ideas help spot duplicates; a search outage must not block triage.
            logger.exception("Similar ideas unavailable for idea %s", idea.pk)
            return []


class IdeaActionView(IdeaWorkspaceView):
    """POST one action from the workspace; on success back to the workspace."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        idea, user = self.idea, request.user
        if action not in WORKSPACE_ACTIONS:
            raise Http404
        back = _back_to(request, reverse("ideas_triage:idea", args=[idea.pk]))
        if not permissions.can_act_on(user, idea):
            if not permissions.can_contribute(user, idea):
                raise PermissionDenied
            if action not in CONTRIBUTE_ACTIONS:
                # A partner of the joint challenge: notes and answers, not the status.
                messages.error(request, actions.joint_refusal(idea))
                return redirect(back)
        form = _form_for(action, idea, user, data=request.POST)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors in the form."))
            context = self.get_context_data(bound_forms={action: form})
            context["open_action"] = action
            return self.render_to_response(context, status=400)
        data = form.cleaned_data
        chosen = WORKSPACE_ACTIONS[action]
        try:
            chosen.action(idea, by=user, **data).execute()
        except (ActionNotAllowed, PermissionDenied) as refused:
            messages.error(request, refusal_message(refused))
        else:
            messages.success(request, chosen.done(idea, data))
        return redirect(back)


# --- Routing rules -------------------------------------------------------------------------


class RuleTestView(TriagePageMixin, TemplateView):
    """Which unit would a sample idea go to, and which rule decides it?"""

    template_name = "ideas/admin/rule_test.html"
    page_title = gettext_lazy("Test the routing rules")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.RuleTestForm(self.request.GET or None, user=self.request.user)
        resolution = config_error = None
        if self.request.GET and form.is_valid():
            idea, tag_ids = form.sample_idea()
            try:
                resolution = explain_unit(idea, tag_ids=tag_ids)
            except ImproperlyConfigured as error:
                # Only when nothing matches and the intake unit is missing: say so plainly.
                config_error = str(error)
        context.update(
            {
                "form": form,
                "resolution": resolution,
                "config_error": config_error,
                "rules_url": reverse("ideas_routing_rules:index"),
                "can_manage_rules": permissions.can_manage_routing_rules(self.request.user),
            }
        )
        return context
