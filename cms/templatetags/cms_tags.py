"""The editable main menu and footer, shared by every page through base.html."""

from __future__ import annotations

from django import template

from cms.navigation import MenuLink, Navigation, navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> tuple[MenuLink, ...]:
    navigation = navigation_for(context.get("request"))
    return navigation.main_menu if navigation else ()


@register.simple_tag(takes_context=True)
def footer_menu(context) -> tuple[MenuLink, ...]:
    navigation = navigation_for(context.get("request"))
    return navigation.footer_links if navigation else ()


@register.simple_tag(takes_context=True)
def footer_settings(context) -> Navigation | None:
    return navigation_for(context.get("request"))


@register.filter
def is_current(link: MenuLink, path: str) -> bool:
    """The link points at this page, or at a section that contains it."""
    href = link.href
    if not href or href.startswith(("http://", "https://", "mailto:")):
        return False
    if href in ("/", "/en/"):
        return path == href
    return path.startswith(href)
