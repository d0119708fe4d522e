from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Framework boundary: Wagtail tells us when pages change; menus are rebuilt then.
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.models import NavigationSettings
        from cms.navigation import invalidate_navigation

        page_published.connect(invalidate_navigation, dispatch_uid="cms_nav_published")
        page_unpublished.connect(invalidate_navigation, dispatch_uid="cms_nav_unpublished")
        post_page_move.connect(invalidate_navigation, dispatch_uid="cms_nav_moved")
        post_delete.connect(invalidate_navigation, sender=Page, dispatch_uid="cms_nav_deleted")
        post_save.connect(
            invalidate_navigation, sender=NavigationSettings, dispatch_uid="cms_nav_settings"
        )
