"""Telling participants what became of their inputs (`ideas.extensions.idea_status_changed`).

Whoever left an e-mail with an input hears when the idea it became part of changes
status: one e-mail per address and change, listing the receipt pages of all their
inputs on that idea. Nothing is sent about a hidden idea: its content is not public,
and neither is news of it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cocreation import selectors
from ideas.models import PUBLIC_STATUSES, Idea, IdeaEvent, IdeaStatus
from portal.absolute_urls import base_url
from portal.emails import queue_email


def tell_input_givers(idea: Idea, event: IdeaEvent) -> None:
    """Runs on commit after the status change; queues its own e-mails (sent at once,
    as there is no transaction left to wait for)."""
    idea.refresh_from_db(fields=["status", "is_hidden", "merged_into", "title"])
    if idea.is_hidden:
        return
    root = base_url()
    # A withdrawn idea's title is no longer public: the e-mail only points to the receipt.
    shown = idea.status in PUBLIC_STATUSES or idea.status == IdeaStatus.MERGED
    # We do not know which language a participant used (an input keeps no language),
    # so they hear in the site's own, as the posters and forms spoke to them.
    with translation.override(settings.LANGUAGE_CODE):
        for email, codes in selectors.feedback_addresses(idea):
            queue_email(
                template="cocreation/emails/input_idea_status",
                context={
                    "idea": idea if shown else None,
                    "status": idea.get_status_display(),
                    "receipt_urls": [
                        root + reverse("cocreation:receipt", kwargs={"code": code})
                        for code in codes
                    ],
                },
                to=[email],
            )
