from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    name = "cocreation"
    verbose_name = _("Co-creation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_invalidation()

        from cocreation import fragments, notifications
        from ideas import extensions

        # The idea page says what inputs an idea is built on; participants hear of it.
        extensions.idea_page_sections.register(fragments.idea_inputs_section)
        extensions.idea_status_changed.register(notifications.tell_input_givers)

        # /sitemap-processes.xml and /sitemap-meetings.xml: their public pages.
        from cocreation.sitemaps import MeetingSitemap, ProcessSitemap
        from ideas.sitemaps import register_section

        register_section("processes", ProcessSitemap)
        register_section("meetings", MeetingSitemap)


def register_invalidation() -> None:
    """What writes to co-creation change on cached pages (portal.invalidation): the
    idea page's section counts inputs and names their processes (cocreation.fragments)."""
    from cocreation.fragments import COCREATION
    from cocreation.models import Input, MeetingPoint, Process
    from portal import invalidation

    for model in (Process, MeetingPoint, Input):
        invalidation.register(model, versions=(COCREATION,))
