"""Challenges ("samfunnsfloker") that editors publish and people answer with ideas."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from challenges.answers import answers
from cms.models import MunicipalityHomePage
from cms.routing import (
    CachedRestrictionsMixin,
    InterfaceLanguageUrlMixin,
    exclude_restricted,
    language_index,
)
from portal.i18n import Label, default_language, interface_language, label
from portal.invalidation import InvalidatingQuerySet


class Theme(models.Model):
    """One of the municipality's main challenge themes, e.g. early intervention."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(
        _("name in English"),
        max_length=120,
        blank=True,
        help_text=_("Shown on the English pages. Leave empty to show the Norwegian name there."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = InvalidatingQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("description_en"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> Label:
        """The name in the interface language (Norwegian when no English name is set)."""
        return label(self, "name")

    @property
    def display_description(self) -> Label:
        return label(self, "description")


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


def derive_status(
    *,
    opens_on: datetime.date,
    closes_on: datetime.date,
    status_override: str,
    day: datetime.date,
) -> str:
    """`ChallengePage.status_on(day)` from the bare values, for copies of a challenge kept
    elsewhere (the Elasticsearch index stores the dates and derives the status when asked).
    """
    if status_override:
        return status_override
    if day < opens_on:
        return ChallengeStatus.UPCOMING
    if day <= closes_on:
        return ChallengeStatus.OPEN
    return ChallengeStatus.EVALUATION


def status_q(status: str, day: datetime.date) -> Q:
    """The database form of `ChallengePage.status_on(day) == status`.

    Kept next to `status_on` because the two must always agree (a test compares them).
    """
    if status not in ChallengeStatus.values:
        raise ValueError(f"Unknown challenge status {status!r}")
    derived = {
        ChallengeStatus.UPCOMING: Q(opens_on__gt=day),
        ChallengeStatus.OPEN: Q(opens_on__lte=day, closes_on__gte=day),
        ChallengeStatus.EVALUATION: Q(closes_on__lt=day),
        # Only an editor concludes a challenge; dates alone never do.
        ChallengeStatus.CONCLUDED: Q(pk__in=[]),
    }[status]
    return Q(status_override=status) | (Q(status_override="") & derived)


class ChallengePageQuerySet(PageQuerySet):
    def with_status(self, status: str, day: datetime.date | None = None) -> ChallengePageQuerySet:
        """Challenges whose status on `day` (default today) is `status`."""
        return self.filter(status_q(status, day or timezone.localdate()))

    def open_for_ideas(self, day: datetime.date | None = None) -> ChallengePageQuerySet:
        return self.with_status(ChallengeStatus.OPEN, day)

    def in_default_locale(self) -> ChallengePageQuerySet:
        """The challenges themselves: the pages in the default language's tree.

        An English version of a challenge is a translation of it, not another
        challenge: ideas answer the Norwegian page, lists and counts name each once.
        """
        return self.filter(locale__language_code=settings.LANGUAGE_CODE)

    def visible(self) -> ChallengePageQuerySet:
        """What the public may see: published and not behind a view restriction."""
        return exclude_restricted(self.live().in_default_locale())

    def with_idea_count(self) -> ChallengePageQuerySet:
        """Annotate `idea_count`: the public ideas that answer each challenge.

        The figures come from the ideas app (`challenges.answers`, cached until ideas change),
        written into the query as constants, so sorting by them costs no join with the
        ideas however many there are.
        """
        per_challenge = answers().counts_per_challenge()
        if not per_challenge:
            return self.annotate(idea_count=models.Value(0, output_field=models.IntegerField()))
        return self.annotate(
            idea_count=models.Case(
                *(
                    models.When(pk=pk, then=models.Value(number))
                    for pk, number in per_challenge.items()
                ),
                default=models.Value(0),
                output_field=models.IntegerField(),
            )
        )

    def with_is_joint(self) -> ChallengePageQuerySet:
        """Annotate `is_joint`: whether the challenge has partner municipalities (a
        subquery, so a card marks a joint challenge without a query of its own)."""
        partners = ChallengePage.partner_municipalities.through.objects.filter(
            challengepage_id=OuterRef("pk")
        )
        return self.annotate(is_joint=Exists(partners))

    def for_cards(self) -> ChallengePageQuerySet:
        """Everything a challenge card shows but its idea count (`attach_idea_counts`)."""
        # The municipality: the regional front page names it on each card, and a joint
        # challenge is marked with its lead (the owning unit's municipality).
        return self.select_related(
            "theme", "owning_unit__municipality", "hero_image"
        ).with_is_joint()


def partner_challenge_ids(municipality_ids, *, live_only: bool) -> models.QuerySet:
    """The ids of the joint challenges with any of these municipalities as a partner (a
    partner is never the lead: `lead_partner_error`), as a subquery (for `pk__in=` /
    `challenge_id__in=`). The one definition of "the joint challenges a municipality
    partners in": every public page and the triage workspace ask here.

    A partnership is what the published page says (a draft's partners are not stored
    until it is published). `live_only` says which challenges count:

    - True: published ones only. What the public sees of a partner's joint challenges
      (its idea list, home page, challenge index and the list's filter): taken offline,
      a joint challenge leaves the partner's pages, while the lead's own list keeps its
      ideas. A closed challenge is still published: its ideas stay listed.
    - False: every one, published or not. A partner's staff keep reading and answering
      the ideas of a joint challenge in triage after it is taken offline, as the lead's
      do (`ideas.permissions` asks no more either).
    """
    rows = ChallengePage.partner_municipalities.through.objects.filter(
        municipality_id__in=municipality_ids
    )
    if live_only:
        rows = rows.filter(challengepage__live=True)
    return rows.order_by().values("challengepage_id")


def attach_idea_counts(challenges) -> list:
    """Set `idea_count` on each challenge from the cached per-challenge counts, and on
    the pages of another interface language, the title and summary its translation into
    that language has (`show_translated_texts`): what a challenge card needs."""
    per_challenge = answers().counts_per_challenge()
    challenges = list(challenges)
    for challenge in challenges:
        challenge.idea_count = per_challenge.get(challenge.pk, 0)
    show_translated_texts(challenges)
    return challenges


def show_translated_texts(challenges: list) -> None:
    """Give each challenge the title and summary of its live translation into the
    interface language, if it has one (one query, for those that have).

    Lists are made of the challenges themselves (the Norwegian pages: dates, status,
    owner and idea counts are theirs); an English visitor should still read the English
    title and summary an editor wrote, marked as English. The objects are for showing
    only: nothing saves them.
    """
    language = interface_language()
    if language == default_language():
        return
    live = language_index().live_translations
    wanted: dict[int, ChallengePage] = {}
    for challenge in challenges:
        entry = live.get((str(challenge.translation_key), language))
        if entry is not None and entry[1] != challenge.pk:
            wanted[entry[1]] = challenge
    if not wanted:
        return
    rows = ChallengePage.objects.filter(pk__in=wanted).values_list("pk", "title", "summary")
    for pk, title, summary in rows:
        challenge = wanted[pk]
        challenge.title, challenge.summary = title, summary
        challenge.shown_language = language


ChallengePageManager = PageManager.from_queryset(ChallengePageQuerySet)


class ChallengeIndexPage(
    InterfaceLanguageUrlMixin, CachedRestrictionsMixin, RoutablePageMixin, Page
):
    """Lists the challenges below it, filtered and sorted through the query string."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage", "cms.MunicipalityHomePage"]
    subpage_types = ["challenges.ChallengePage"]

    class Meta:
        verbose_name = _("challenge index")

    def get_template(self, request: HttpRequest, *args, **kwargs) -> str:
        # htmx asks for the results region only; without JavaScript the whole page loads.
        if getattr(request, "htmx", False) and request.htmx.target == "challenge-results":
            return "challenges/includes/challenge_results.html"
        return super().get_template(request, *args, **kwargs)

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)
        # The same URL answers with a whole page or only the results region.
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        # Rendering needs these models loaded: the modules that render pages import
        # this one, so it can only import them when a page is served.
        from challenges.fragments import index_content
        from challenges.selectors import challenge_listing

        context = super().get_context(request, *args, **kwargs)
        # An English version of the index lists the challenges of the Norwegian one.
        index = self.original
        if self.get_template(request) == "challenges/includes/challenge_results.html":
            context.update(challenge_listing(index=index, params=request.GET))
        else:
            context["index_content"] = index_content(index=index, request=request, page=self)
        return context

    @path("rss/", name="rss")
    def rss_feed(self, request: HttpRequest) -> HttpResponse:
        from challenges.feeds import OpenChallengesFeed  # the feeds read these models

        return OpenChallengesFeed(self)(request)

    @path("atom/", name="atom")
    def atom_feed(self, request: HttpRequest) -> HttpResponse:
        from challenges.feeds import OpenChallengesAtomFeed  # the feeds read these models

        return OpenChallengesAtomFeed(self)(request)


def municipality_home_above(path: str) -> MunicipalityHomePage | None:
    """The municipality home page at or above a tree path, if the path is in one's subtree."""
    if not path:
        return None
    steplen = Page.steplen
    ancestors = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
    return (
        MunicipalityHomePage.objects.filter(path__in=ancestors)
        .select_related("municipality")
        .first()
    )


def owning_unit_error(owning_unit, tree_path: str) -> str | None:
    """Why `owning_unit` cannot own a challenge at `tree_path` (below a municipality's
    home page, the unit must be that municipality's); None when it can. `owning_unit`
    may be a callable, called only below a municipality's home page."""
    home = municipality_home_above(tree_path)
    if home is None:
        return None
    unit = owning_unit() if callable(owning_unit) else owning_unit
    if unit is None or unit.municipality_id == home.municipality_id:
        return None
    return _("A challenge below %(municipality)s’s pages must be owned by one of its units.") % {
        "municipality": home.municipality.name
    }


def lead_partner_error(owning_unit, partners) -> str | None:
    """Why these partners cannot join a challenge owned by `owning_unit`: the lead
    municipality (the owning unit's) cannot also be a partner. None when they can."""
    if owning_unit is None:
        return None
    for municipality in partners:
        if municipality.pk == owning_unit.municipality_id:
            return _(
                "%(municipality)s leads this challenge (it owns it) and cannot also be a partner."
            ) % {"municipality": municipality.name}
    return None


class ChallengePageForm(WagtailAdminPageForm):
    """The admin form: a new challenge has no place in the tree yet, only a parent."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "partner_municipalities" in self.fields:
            # Municipalities in use, and any already chosen (a partner that has since
            # been taken out of use stays visible, so it can be removed).
            chosen = self.instance.partner_municipalities.all() if self.instance.pk else []
            field = self.fields["partner_municipalities"]
            field.queryset = field.queryset.filter(
                Q(is_active=True) | Q(pk__in=[m.pk for m in chosen])
            ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        path = self.instance.path or getattr(getattr(self, "parent_page", None), "path", "")
        error = owning_unit_error(cleaned.get("owning_unit"), path)
        if error:
            self.add_error("owning_unit", error)
        partner_error = lead_partner_error(
            cleaned.get("owning_unit"), cleaned.get("partner_municipalities") or ()
        )
        if partner_error:
            self.add_error("partner_municipalities", partner_error)
        return cleaned


class ChallengePage(InterfaceLanguageUrlMixin, CachedRestrictionsMixin, RoutablePageMixin, Page):
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
    # A joint challenge (the Aktiv kommune model, docs/regional.md): the lead is the
    # municipality whose tree the page lives in (its owning unit's); partners show it on
    # their sites and their staff read, note and answer its ideas. Parental, so the
    # choice is part of the page's drafts and revisions like every other field.
    partner_municipalities = ParentalManyToManyField(
        "portal.Municipality",
        verbose_name=_("partner municipalities"),
        blank=True,
        related_name="joint_challenges",
        help_text=_(
            "Municipalities that run this challenge with the lead (the owning unit’s "
            "municipality). Their staff may read, note and answer its ideas; only the "
            "lead moves their status."
        ),
    )
    governance = models.TextField(
        _("governance"),
        max_length=600,
        blank=True,
        help_text=_("For a joint challenge: who decides, and who answers the ideas."),
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
        MultiFieldPanel(
            [
                FieldPanel("partner_municipalities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("governance"),
            ],
            heading=_("Joint challenge"),
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

    base_form_class = ChallengePageForm

    objects = ChallengePageManager()

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    @classmethod
    def routing_queryset(cls) -> ChallengePageQuerySet:
        """What serving a challenge page reads besides the page (see cms.routing)."""
        # The municipality: a joint challenge names its lead.
        return cls.objects.select_related("theme", "owning_unit__municipality")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("A challenge cannot close before it opens.")
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = _("Describe the image for people who cannot see it.")
        # A challenge's municipality follows from its place in the tree (docs/regional.md).
        if self.owning_unit_id:
            unit_error = owning_unit_error(lambda: self.owning_unit, self.path)
            if unit_error:
                errors["owning_unit"] = unit_error
            # The partners as the page holds them (modelcluster keeps unsaved choices).
            partner_error = lead_partner_error(self.owning_unit, self.partner_municipalities.all())
            if partner_error:
                errors["partner_municipalities"] = partner_error
        if errors:
            raise ValidationError(errors)

    def status_on(self, day: datetime.date) -> str:
        """The status on a given day: the editor's override, else derived from the dates.

        Open from `opens_on` through `closes_on`; under evaluation after that, until an
        editor marks the challenge concluded.
        """
        return derive_status(
            opens_on=self.opens_on,
            closes_on=self.closes_on,
            status_override=self.status_override,
            day=day,
        )

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def accepts_ideas(self) -> bool:
        return self.status == ChallengeStatus.OPEN

    @property
    def is_concluded(self) -> bool:
        return self.status == ChallengeStatus.CONCLUDED

    def get_status_display(self) -> str:
        return ChallengeStatus(self.status).label

    @property
    def lead_municipality_id(self) -> int | None:
        """The municipality that owns the challenge and its ideas: its owning unit's."""
        return self.owning_unit.municipality_id if self.owning_unit_id else None

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # An English version shows its own text; the ideas, follows and the submit link
        # belong to the Norwegian original, the challenge itself.
        challenge = self.original
        context["challenge"] = challenge
        from challenges.joint import partners_of  # reads this module's models

        context["joint_partners"] = partners_of(challenge)
        context.update(
            answers().page_context(
                challenge=challenge, request=request, page=self if challenge != self else None
            )
        )
        return context

    @path("feed/", name="ideas_feed")
    def ideas_feed(self, request: HttpRequest) -> HttpResponse:
        from challenges.feeds import ChallengeIdeasFeed  # the feeds read these models

        return ChallengeIdeasFeed(self)(request)
