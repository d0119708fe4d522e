from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Framework boundary: Wagtail tells us when pages change. Menus, the route table
        # and the restriction index (cms.routing) are cached under portal.versions.PAGES.
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.models import NavigationSettings
        from cms.navigation import pages_changed

        page_published.connect(pages_changed, dispatch_uid="cms_pages_published")
        page_unpublished.connect(pages_changed, dispatch_uid="cms_pages_unpublished")
        post_page_move.connect(pages_changed, dispatch_uid="cms_pages_moved")

        # Any saved or deleted page row: new pages, changed slugs, drafts of aliases.
        # Connected per page model: a receiver without a sender would stop Django from
        # deleting any other model's rows in one statement.
        for model in get_page_models():
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"cms_page_s_{model}")
            post_delete.connect(pages_changed, sender=model, dispatch_uid=f"cms_page_d_{model}")
        for model in (PageViewRestriction, Site, NavigationSettings):
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"cms_{model.__name__}_s")
            post_delete.connect(pages_changed, sender=model, dispatch_uid=f"cms_{model.__name__}_d")
        # Wagtail's privacy dialog saves a restriction first and its groups after.
        m2m_changed.connect(
            pages_changed,
            sender=PageViewRestriction.groups.through,
            dispatch_uid="cms_PageViewRestriction_groups",
        )
