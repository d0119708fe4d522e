"""The project screens and the list of phases in the Wagtail admin."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from projects import permissions
from projects.models import Phase
from projects.staff import urls as staff_urls


@hooks.register("register_admin_urls")
def register_project_urls():
    return [path("projects/", include(staff_urls, namespace="projects_staff"))]


class ProjectsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_open_project_list(request.user)


@hooks.register("register_admin_menu_item")
def register_projects_menu_item() -> MenuItem:
    return ProjectsMenuItem(
        _("Projects"), reverse("projects_staff:list"), icon_name="folder-open-inverse", order=160
    )


class PhaseViewSet(ModelViewSet):
    """The phases are data (seeded with KS' roadmap); admins edit the list here."""

    model = Phase
    icon = "list-ol"
    menu_label = _("Project phases")
    add_to_settings_menu = True
    form_fields = [
        "name",
        "name_en",
        "slug",
        "description",
        "description_en",
        "sort_order",
        "is_active",
    ]
    list_display = ["name", "name_en", "sort_order", "is_active"]
    ordering = ["sort_order", "pk"]


@hooks.register("register_admin_viewset")
def register_phase_viewset() -> PhaseViewSet:
    return PhaseViewSet("project_phases")
