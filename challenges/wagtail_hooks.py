from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from challenges.models import Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "description"]


register_snippet(ThemeViewSet)


class PageTagViewSet(ModelViewSet):
    """Tags on challenge pages (taggit's Tag), renamed or merged away by admins.

    The Wagtail admin is the only place to edit them (portal.admin); whatever is
    changed here reaches cached pages and search through portal.invalidation.
    """

    model = Tag
    icon = "tag"
    menu_label = _("Page tags")
    add_to_settings_menu = True
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


@hooks.register("register_admin_viewset")
def register_page_tag_viewset() -> PageTagViewSet:
    return PageTagViewSet("page_tags")
