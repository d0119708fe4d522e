"""Admin screens shared by several apps."""

from __future__ import annotations

from wagtail.admin.viewsets.model import ModelViewSet


class TagViewSet(ModelViewSet):
    """Renaming and merging away tags under *Settings*; subclasses set `model` and
    `menu_label`. Writes reach cached pages and search through portal.invalidation."""

    icon = "tag"
    add_to_settings_menu = True
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]
