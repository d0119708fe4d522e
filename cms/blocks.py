"""StreamField blocks for the site's own pages, and the links used in menus."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.routing import content_language, translation_of
from portal.i18n import Label, in_language, interface_language, label

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]

# Places in the portal that are not Wagtail pages, linked by URL name so the link
# follows the visitor's language and survives URL changes.
PORTAL_DESTINATIONS = [
    ("ideas:list", _("Ideas")),
    ("ideas:submit", _("Submit an idea")),
    ("search:search", _("Search")),
    ("ideas:mine", _("My ideas")),
]
DESTINATION_LABELS = dict(PORTAL_DESTINATIONS)


def reverse_or_empty(name: str) -> str:
    """The URL of a named view, or "" while the view does not exist (yet)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


class LinkValue(blocks.StructValue):
    """A link to a page, a portal destination or an address, whichever the editor chose."""

    @cached_property
    def shown_page(self):
        """The chosen page in the interface language if it is translated, else itself,
        in its specific form (whose URL keeps the interface language: cms.routing)."""
        page = self["page"]
        shown = translation_of(page, interface_language())
        return shown if shown is not None and shown.pk != page.pk else page.specific

    @cached_property
    def href(self) -> str:
        if self.get("page"):
            return self.shown_page.url or ""
        if self.get("destination"):
            return reverse_or_empty(self["destination"])
        return self.get("url") or ""

    @cached_property
    def text(self) -> Label:
        """The link text in the interface language; `.lang` says when it is not."""
        if self.get("label") or self.get("label_en"):
            written = label(_Labels(self.get("label") or "", self.get("label_en") or ""), "text")
            if written:
                return written
        if self.get("page"):
            return in_language(self.shown_page.title, content_language(self.shown_page))
        if self.get("destination"):
            return Label(str(DESTINATION_LABELS.get(self["destination"], "")))
        return Label(self.get("url") or "")


@dataclass(frozen=True)
class _Labels:
    text: str
    text_en: str


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=60,
        help_text=_("Leave empty to use the title of the page or destination."),
    )
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    destination = blocks.ChoiceBlock(
        label=_("Portal destination"), choices=PORTAL_DESTINATIONS, required=False
    )
    url = blocks.CharBlock(
        label=_("Other address"),
        required=False,
        max_length=300,
        help_text=_("A full address (https://…) or a path on this site (/…)."),
    )

    class Meta:
        icon = "link"
        value_class = LinkValue
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        chosen = [key for key in ("page", "destination", "url") if value.get(key)]
        if len(chosen) != 1:
            message = _("Choose exactly one of a page, a portal destination or an address.")
            raise StructBlockValidationError(
                block_errors={"page": ErrorList([ValidationError(message)])}
            )
        url = value.get("url") or ""
        if url and not url.startswith(("https://", "http://", "/", "mailto:")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ErrorList([ValidationError(_("Start the address with https:// or /."))])
                }
            )
        if not value.get("label") and url:
            raise StructBlockValidationError(
                block_errors={
                    "label": ErrorList([ValidationError(_("Give the address a link text."))])
                }
            )
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        label = _("Heading")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"
        label = _("Image")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"
        label = _("Quote")


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link = LinkBlock(label=_("Button"))

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_to_action.html"
        label = _("Call to action")


class VideoBlock(blocks.StructBlock):
    """A link to a video, not an embedded player.

    Embedding a third-party player would load it (and its cookies) for every visitor
    before they chose to watch; a plain link also works with every assistive technology.
    """

    url = blocks.URLBlock(label=_("Video address"))
    title = blocks.CharBlock(label=_("Title of the video"), max_length=160)
    description = blocks.TextBlock(
        label=_("Description"),
        required=False,
        help_text=_("What the video is about, and whether it has captions."),
    )

    class Meta:
        icon = "media"
        template = "cms/blocks/video.html"
        label = _("Video link")


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(
        label=_("Link text"), required=False, max_length=160, help_text=_("Defaults to the title.")
    )

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document.html"
        label = _("Document")


class StandardBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    rich_text = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="cms/blocks/rich_text.html"
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    video = VideoBlock()
    document = DocumentLinkBlock()


class MenuLinkBlock(LinkBlock):
    """A menu or footer link; its text can be given in English too (the menus belong to
    the site as a whole, not to a page that could be translated)."""

    label_en = blocks.CharBlock(
        label=_("Link text in English"),
        required=False,
        max_length=60,
        help_text=_("Shown on the English pages. Leave empty to use the Norwegian text there."),
    )
    # Its Meta (icon, LinkValue, label) and its checks are LinkBlock's: Wagtail's block
    # metaclass merges a subclass's Meta with its bases'.


class MenuBlock(blocks.StreamBlock):
    link = MenuLinkBlock()
