"""The gains screens in the Wagtail admin (reached from a project's staff page)."""

from __future__ import annotations

from django.urls import include, path
from wagtail import hooks

from gains.staff import urls as staff_urls


@hooks.register("register_admin_urls")
def register_gains_urls():
    return [path("gains/", include(staff_urls, namespace="gains_staff"))]
