from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from challenges.models import Theme
from portal.viewsets import TagViewSet


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en", "description"]


register_snippet(ThemeViewSet)


class PageTagViewSet(TagViewSet):
    """Tags on challenge pages (taggit's Tag); the Wagtail admin is the only place to
    edit them (portal.admin)."""

    model = Tag
    menu_label = _("Page tags")


@hooks.register("register_admin_viewset")
def register_page_tag_viewset() -> PageTagViewSet:
    return PageTagViewSet("page_tags")
