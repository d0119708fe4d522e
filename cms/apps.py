from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Framework boundary: Wagtail tells us when pages change. Menus, the route table
        # and the restriction index (cms.routing) are cached under portal.versions.PAGES.
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Locale, PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.models import NavigationSettings
        from cms.navigation import pages_changed
        from portal import invalidation, versions

        page_published.connect(pages_changed, dispatch_uid="cms_pages_published")
        page_unpublished.connect(pages_changed, dispatch_uid="cms_pages_unpublished")
        post_page_move.connect(pages_changed, dispatch_uid="cms_pages_moved")

        # Any saved or deleted page row (new pages, changed slugs, drafts of aliases),
        # view restriction, site or menu; images and documents that pages show.
        for model in (
            *get_page_models(),
            PageViewRestriction,
            Site,
            Locale,  # the language index (cms.routing)
            NavigationSettings,
            get_image_model(),
            get_document_model(),
        ):
            invalidation.register(model, versions=(versions.PAGES,))
        # Wagtail's privacy dialog saves a restriction first and its groups after.
        invalidation.register(PageViewRestriction.groups.through, versions=(versions.PAGES,))
