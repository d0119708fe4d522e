"""The co-creation screens in the Wagtail admin, for staff of the units."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cocreation import admin_urls, permissions


@hooks.register("register_admin_urls")
def register_cocreation_urls():
    return [path("cocreation/", include(admin_urls, namespace="cocreation_admin"))]


class CocreationMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_open_workspace(request.user)


@hooks.register("register_admin_menu_item")
def register_cocreation_menu_item() -> MenuItem:
    return CocreationMenuItem(
        _("Co-creation"), reverse("cocreation_admin:index"), icon_name="group", order=160
    )
