from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Framework boundary: Wagtail tells us when pages change. Menus, the route table
        # and the restriction index (cms.routing) are cached under portal.versions.PAGES.
        from django.apps import apps
        from django.db.models.signals import post_init
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Locale, PageViewRestriction, Site, get_page_models
        from wagtail.models.audit_log import BaseLogEntry
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms import workflow_names
        from cms.models import NavigationSettings, TaskEnglishName, WorkflowEnglishName
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

        # Workflow and task names in the admin user's language (cms.workflow_names),
        # also as Wagtail's log entries recorded them: Wagtail creates these objects,
        # so the framework's post_init is where to reach them. One receiver per model,
        # not one for every model instance the site makes.
        for model in apps.get_models():
            if workflow_names.kind_of(model):
                post_init.connect(
                    workflow_names.show_in_interface_language,
                    sender=model,
                    dispatch_uid=f"cms_workflow_names_{model._meta.label_lower}",
                )
            elif issubclass(model, BaseLogEntry):
                post_init.connect(
                    workflow_names.show_logged_names_in_interface_language,
                    sender=model,
                    dispatch_uid=f"cms_workflow_names_{model._meta.label_lower}",
                )
        for model in (WorkflowEnglishName, TaskEnglishName):
            invalidation.register(model, versions=(workflow_names.VERSION,))

        # A municipality's home page follows its slug (cms.municipal_pages): the
        # municipality is saved by the admin's form, which checks the new address.
        from django.db.models.signals import post_save

        from cms.municipal_pages import follow_municipality_slug, home_slug_error
        from portal.municipalities import SLUG_CHECKS, Municipality

        SLUG_CHECKS.append(home_slug_error)
        post_save.connect(
            follow_municipality_slug, sender=Municipality, dispatch_uid="cms_municipality_slug"
        )
