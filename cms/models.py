"""The site's own pages (home page, standard pages) and its editable menus."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import routing
from cms.blocks import MenuBlock, StandardBodyBlock
from cms.fragments import home_page_context
from cms.routing import CachedRestrictionsMixin, InterfaceLanguageUrlMixin
from portal.i18n import interface_language

FEATURED_CHALLENGES = 3
IDEAS_ON_HOME_PAGE = 4


class HomePage(InterfaceLanguageUrlMixin, CachedRestrictionsMixin, Page):
    """The site root: what the portal is for, and the way in."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_intro = models.TextField(_("hero introduction"), max_length=600, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_intro")], heading=_("Hero")),
        InlinePanel(
            "featured_challenges",
            label=_("Featured challenges"),
            help_text=_(
                "Only challenges open for ideas are shown. Without any, the open "
                "challenges closing soonest are shown."
            ),
            max_num=FEATURED_CHALLENGES,
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["challenges.ChallengeIndexPage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    @property
    def localized(self):
        # Wagtail serves every page request from `site.root_page.localized`: the home
        # page in the interface language when an editor has published one. Looked up
        # in the cached language index rather than with two queries per request.
        return routing.translation_of(self, interface_language()) or self

    def route(self, request: HttpRequest, path_components: list[str]):
        # The site root routes every page request; the cached route table spares the
        # walk down the tree, one query per level (see cms.routing).
        if not path_components:
            return super().route(request, path_components)
        return routing.route(self, request, path_components)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(home=self, request=request))
        return context


class HomePageFeaturedChallenge(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_challenges")
    challenge = models.ForeignKey(
        "challenges.ChallengePage",
        verbose_name=_("challenge"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("challenge")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured challenge")
        verbose_name_plural = _("featured challenges")


class StandardPage(InterfaceLanguageUrlMixin, CachedRestrictionsMixin, Page):
    """An ordinary content page: about the portal, how it works, privacy."""

    introduction = models.TextField(_("introduction"), max_length=600, blank=True)
    body = StreamField(StandardBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The main menu and the footer. Empty menus fall back to the portal's main areas."""

    main_menu = StreamField(
        MenuBlock(),
        verbose_name=_("main menu"),
        blank=True,
        help_text=_("Leave empty to show challenges, ideas and search."),
    )
    footer_text = models.TextField(
        _("footer text"),
        blank=True,
        help_text=_("A sentence or two about the portal, e.g. who runs it."),
    )
    footer_text_en = models.TextField(
        _("footer text in English"),
        blank=True,
        help_text=_("Shown on the English pages. Leave empty to show the Norwegian text there."),
    )
    footer_contact = models.CharField(
        _("contact e-mail"), max_length=254, blank=True, help_text=_("Shown in the footer.")
    )
    footer_links = StreamField(
        MenuBlock(),
        verbose_name=_("footer links"),
        blank=True,
        help_text=_("Leave empty to show challenges, ideas and search."),
    )

    panels = [
        FieldPanel("main_menu"),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                FieldPanel("footer_text_en"),
                FieldPanel("footer_contact"),
                FieldPanel("footer_links"),
            ],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("navigation and footer")


class EnglishName(models.Model):
    """The English name of one of Wagtail's workflow objects, whose own `name` is the
    Norwegian one (Bokmål is the default language). Shown by `cms.workflow_names`."""

    name_en = models.CharField(
        _("name in English"),
        max_length=255,  # as Wagtail's name
        blank=True,
        help_text=_(
            "Shown to editors whose admin language is English. Leave empty to show the "
            "Norwegian name there."
        ),
    )

    class Meta:
        abstract = True


class WorkflowEnglishName(EnglishName):
    workflow = models.OneToOneField(
        "wagtailcore.Workflow",
        verbose_name=_("workflow"),
        on_delete=models.CASCADE,
        related_name="english_name",
    )

    panels = [FieldPanel("workflow"), FieldPanel("name_en")]

    class Meta:
        verbose_name = _("workflow name in English")
        verbose_name_plural = _("workflow names in English")

    def __str__(self) -> str:
        return str(self.workflow)


class TaskEnglishName(EnglishName):
    task = models.OneToOneField(
        "wagtailcore.Task",
        verbose_name=_("workflow task"),
        on_delete=models.CASCADE,
        related_name="english_name",
    )

    panels = [FieldPanel("task"), FieldPanel("name_en")]

    class Meta:
        verbose_name = _("task name in English")
        verbose_name_plural = _("task names in English")

    def __str__(self) -> str:
        return str(self.task)
