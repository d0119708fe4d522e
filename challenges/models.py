"""Challenges ("samfunnsfloker") that editors publish and people answer with ideas."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index


class Theme(models.Model):
    """One of the municipality's main challenge themes, e.g. early intervention."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


RICH_TEXT_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul"]


class ChallengeStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for ideas")
    EVALUATION = "evaluation", _("Under evaluation")
    CONCLUDED = "concluded", _("Concluded")


class Audience(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    BUSINESSES = "businesses", _("Businesses and organisations")
    BOTH = "both", _("Everyone")


class ProblemBlock(blocks.StreamBlock):
    """The parts of a problem description that the strategy asks editors to cover."""

    background = blocks.RichTextBlock(label=_("Background"), features=RICH_TEXT_FEATURES)
    affected = blocks.RichTextBlock(label=_("Who is affected"), features=RICH_TEXT_FEATURES)
    already_tried = blocks.RichTextBlock(
        label=_("What has been tried"), features=RICH_TEXT_FEATURES
    )
    wanted = blocks.RichTextBlock(
        label=_("What kind of answers we want"), features=RICH_TEXT_FEATURES
    )
    criteria = blocks.RichTextBlock(
        label=_("How answers are assessed"), features=RICH_TEXT_FEATURES
    )


class ChallengePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "challenges.ChallengePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ChallengeIndexPage(Page):
    """Lists the challenges below it."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["challenges.ChallengePage"]

    class Meta:
        verbose_name = _("challenge index")


class ChallengePage(Page):
    """A municipal challenge that citizens and businesses answer with ideas."""

    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences, shown on cards and in search."),
    )
    problem = StreamField(ProblemBlock(), verbose_name=_("the problem"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("hero image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the image shows, for people who cannot see it."),
    )
    owning_unit = models.ForeignKey(
        "portal.Unit",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    contact_person = models.ForeignKey(
        "portal.User",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="challenges"
    )
    tags = ClusterTaggableManager(through=ChallengePageTag, blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience, default=Audience.BOTH
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status_override = models.CharField(
        _("status override"),
        max_length=20,
        choices=ChallengeStatus,
        blank=True,
        help_text=_("Leave empty to derive the status from the dates."),
    )
    outcome = RichTextField(
        _("outcome"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What came of the challenge, once it is concluded."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Hero image")
        ),
        FieldPanel("problem"),
        MultiFieldPanel(
            [
                FieldPanel("owning_unit"),
                FieldPanel("contact_person"),
                FieldPanel("theme"),
                FieldPanel("tags"),
                FieldPanel("audience"),
            ],
            heading=_("Ownership and audience"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                FieldPanel("status_override"),
            ],
            heading=_("Dates and status"),
        ),
        FieldPanel("outcome"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("problem"),
        index.FilterField("theme"),
        index.FilterField("owning_unit"),
    ]

    parent_page_types = ["challenges.ChallengeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("A challenge cannot close before it opens.")
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = _("Describe the image for people who cannot see it.")
        if errors:
            raise ValidationError(errors)

    def status_on(self, day: datetime.date) -> str:
        """The status on a given day: the editor's override, else derived from the dates.

        Open from `opens_on` through `closes_on`; under evaluation after that, until an
        editor marks the challenge concluded.
        """
        if self.status_override:
            return self.status_override
        if day < self.opens_on:
            return ChallengeStatus.UPCOMING
        if day <= self.closes_on:
            return ChallengeStatus.OPEN
        return ChallengeStatus.EVALUATION

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def accepts_ideas(self) -> bool:
        return self.status == ChallengeStatus.OPEN
