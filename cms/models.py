from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site root: what the portal is for, and the way in."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_intro = models.TextField(_("hero introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("hero_title"), FieldPanel("hero_intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["challenges.ChallengeIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
