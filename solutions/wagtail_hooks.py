"""The solution screens in the Wagtail admin."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from solutions import permissions
from solutions.staff import urls as staff_urls


@hooks.register("register_admin_urls")
def register_solution_urls():
    return [path("solutions/", include(staff_urls, namespace="solutions_staff"))]


class SolutionsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_open_staff_screens(request.user)


@hooks.register("register_admin_menu_item")
def register_solutions_menu_item() -> MenuItem:
    return SolutionsMenuItem(
        _("Solutions"), reverse("solutions_staff:list"), icon_name="resubmit", order=170
    )
