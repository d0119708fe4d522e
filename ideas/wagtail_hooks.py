"""The triage workspace, routing rules and the overdue panel in the Wagtail admin."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from ideas import permissions
from ideas.models import IdeaTag, RoutingRule
from ideas.overdue import overdue_counts_by_unit
from ideas.triage import urls as triage_urls
from portal.ids import IdChoicesMixin
from portal.models import Unit
from portal.viewsets import MunicipalityScopedPolicy, MunicipalityScopedViewSet, TagViewSet


@hooks.register("register_admin_urls")
def register_triage_urls():
    return [path("triage/", include(triage_urls, namespace="ideas_triage"))]


class TriageMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_view_triage(request.user)


@hooks.register("register_admin_menu_item")
def register_triage_menu_item() -> MenuItem:
    return TriageMenuItem(
        _("Idea triage"), reverse("ideas_triage:queue"), icon_name="tasks", order=150
    )


class RoutingRuleIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Test the rules"), url=reverse("ideas_triage:rule_test"), icon_name="success"
            ),
        ]


# A municipality's administrators manage its own routing rules (docs/regional.md).
register_permission_policy(RoutingRule, MunicipalityScopedPolicy(RoutingRule))


class RoutingRuleViewSet(IdChoicesMixin, MunicipalityScopedViewSet):
    """Rules are data: admins, and each municipality's administrators for its own,
    edit them here; the test view shows their effect."""

    model = RoutingRule
    scoped_fields = {
        "municipality": "pk",
        "target_unit": "municipality_id",
        "challenge": "owning_unit__municipality_id",
    }
    icon = "redirect"
    menu_label = _("Routing rules")
    add_to_settings_menu = True
    form_fields = [
        "municipality",
        "name",
        "priority",
        "is_active",
        "challenge",
        "theme",
        "tag",
        "idea_kind",
        "target_unit",
    ]
    list_display = ["name", "priority", "is_active", "target_unit", "municipality"]
    list_filter = ["municipality", "is_active", "target_unit"]
    search_fields = ["name"]
    ordering = ["priority", "pk"]

    index_view_class = RoutingRuleIndexView

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "municipality":
            # Left empty, a rule belongs to its target unit's municipality
            # (RoutingRule.clean), so a single-municipality admin never has to choose.
            kwargs["required"] = False
        return super().formfield_for_dbfield(db_field, **kwargs)


@hooks.register("register_admin_viewset")
def register_routing_rule_viewset() -> RoutingRuleViewSet:
    return RoutingRuleViewSet("ideas_routing_rules")


class IdeaTagViewSet(TagViewSet):
    """Tags on ideas."""

    model = IdeaTag
    menu_label = _("Idea tags")


@hooks.register("register_admin_viewset")
def register_idea_tag_viewset() -> IdeaTagViewSet:
    return IdeaTagViewSet("idea_tags")


class OverduePanel(Component):
    """Dashboard: overdue ideas per unit (the user's units; admins: all)."""

    name = "ideas_overdue"
    template_name = "ideas/admin/overdue_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        unit_ids = permissions.queue_unit_ids(request.user)
        units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=unit_ids)
        return {
            "units": list(overdue_counts_by_unit(units)),
            "queue_url": reverse("ideas_triage:queue"),
            "request": request,
        }


@hooks.register("construct_homepage_panels")
def add_overdue_panel(request, panels) -> None:
    if permissions.can_view_triage(request.user):
        panels.append(OverduePanel())
