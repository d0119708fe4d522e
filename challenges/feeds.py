"""RSS and Atom feeds: open challenges, and the public ideas answering one challenge.

The feeds are routes of the pages themselves (RoutablePageMixin), so they follow the
page tree: `<index>/rss/`, `<index>/atom/` and `<challenge>/feed/`. Every link in them is
absolute on PORTAL_BASE_URL (portal.absolute_urls): Django's feeds would otherwise add
the domain of the django.contrib.sites record, and Wagtail's full URLs the Wagtail
Site's hostname.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from challenges.answers import answers
from challenges.models import ChallengeIndexPage, ChallengePage
from challenges.selectors import index_challenges
from cms.routing import translation_of
from portal.absolute_urls import absolute_url
from portal.i18n import interface_language


def _shown(challenge: ChallengePage) -> ChallengePage:
    """The challenge in the feed's language: its English version, if one is published."""
    return translation_of(challenge, interface_language()) or challenge


class OpenChallengesFeed(Feed):
    """Challenges open for ideas today, newest first."""

    def __init__(self, index: ChallengeIndexPage):
        super().__init__()
        self.index = index

    def get_object(self, request: HttpRequest, *args, **kwargs) -> ChallengeIndexPage:
        self.request = request
        return self.index

    def title(self, obj: ChallengeIndexPage) -> str:
        return _("Open challenges – %(title)s") % {"title": obj.title}

    def link(self, obj: ChallengeIndexPage) -> str:
        return absolute_url(obj.get_url(request=self.request))

    def feed_url(self, obj: ChallengeIndexPage) -> str:
        return absolute_url(self.request.path)

    def description(self, obj: ChallengeIndexPage) -> str:
        return obj.intro or _("Challenges the municipality wants ideas for.")

    def items(self, obj: ChallengeIndexPage):
        # What the index lists (a municipality's own challenges and the joint ones it is a
        # partner in; docs/regional.md), open for ideas today.
        return (
            index_challenges(obj.original)
            .open_for_ideas()
            .select_related("theme")
            .order_by("-first_published_at", "-pk")
        )

    def item_title(self, item: ChallengePage) -> str:
        return _shown(item).title

    def item_description(self, item: ChallengePage) -> str:
        return _shown(item).summary

    def item_link(self, item: ChallengePage) -> str:
        return absolute_url(_shown(item).get_url(request=self.request))

    def item_pubdate(self, item: ChallengePage) -> datetime.datetime | None:
        return item.first_published_at

    def item_categories(self, item: ChallengePage) -> list[str]:
        return [item.theme.display_name]


class OpenChallengesAtomFeed(OpenChallengesFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: ChallengeIndexPage) -> str:
        return self.description(obj)


class ChallengeIdeasFeed(Feed):
    """The public ideas that answer one challenge, newest first."""

    def __init__(self, challenge: ChallengePage):
        super().__init__()
        self.challenge = challenge

    def get_object(self, request: HttpRequest, *args, **kwargs) -> ChallengePage:
        self.request = request
        return self.challenge

    def title(self, obj: ChallengePage) -> str:
        return _("Ideas for “%(title)s”") % {"title": obj.title}

    def link(self, obj: ChallengePage) -> str:
        return absolute_url(obj.get_url(request=self.request))

    def feed_url(self, obj: ChallengePage) -> str:
        return absolute_url(self.request.path)

    def description(self, obj: ChallengePage) -> str:
        return obj.summary

    def items(self, obj: ChallengePage):
        return answers().newest(challenge=obj.original, limit=50)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item) -> datetime.datetime:
        return item.created_at

    def item_author_name(self, item) -> str:
        return item.organisation.name if item.organisation_id else item.author.public_name
