"""Framework boundary: Wagtail page events that change what search may show.

Connected in `SearchConfig.ready()`. Handlers only queue index updates on commit; the
task decides whether the page is still public.
"""

from __future__ import annotations

from search.content import CHALLENGE_LABEL, IDEA_LABEL
from search.indexing import schedule_reindex_key


def _challenge_ids_at_or_below(page) -> list[int]:
    from challenges.models import ChallengePage

    return list(
        ChallengePage.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
    )


def page_changed(sender, instance, **kwargs) -> None:
    """Published, unpublished or moved: re-check this page and challenges below it."""
    for pk in _challenge_ids_at_or_below(instance):
        schedule_reindex_key(CHALLENGE_LABEL, pk)


def page_moved(sender, instance, **kwargs) -> None:
    page_changed(sender, instance)


def challenge_deleted(sender, instance, **kwargs) -> None:
    schedule_reindex_key(CHALLENGE_LABEL, instance.pk)


def idea_deleted(sender, instance, **kwargs) -> None:
    # Ideas are normally withdrawn, not deleted; an admin deleting one must not leave
    # it in the index.
    schedule_reindex_key(IDEA_LABEL, instance.pk)


def connect() -> None:
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from challenges.models import ChallengePage
    from ideas.models import Idea

    page_published.connect(page_changed, dispatch_uid="search_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="search_page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="search_page_moved")
    post_delete.connect(
        challenge_deleted, sender=ChallengePage, dispatch_uid="search_challenge_deleted"
    )
    post_delete.connect(idea_deleted, sender=Idea, dispatch_uid="search_idea_deleted")
