from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the comment policy (a django-comments-xtd moderator) for Idea, and
        # the system checks of the attachment settings.
        from django.db.models.signals import pre_delete

        from ideas import checks, comments  # noqa: F401
        from ideas.comment_services import comments_anonymise_author
        from portal.models import User

        register_invalidation()

        # Challenge pages show the ideas that answer them through this app.
        from challenges.answers import provide
        from ideas.challenge_pages import IdeasOnChallengePages

        provide(IdeasOnChallengePages())

        # The home page shows the newest and most supported ideas and the figures.
        from cms.home import parts
        from ideas.selectors import (
            home_ranked_sections,
            home_sections,
            municipality_home_sections,
        )
        from ideas.views.lists import municipality_idea_list

        parts.sections.append(home_sections)
        parts.ranked_sections.append(home_ranked_sections)
        parts.municipality_sections.append(municipality_home_sections)
        parts.municipality_ideas = municipality_idea_list

        # Support counts are live figures: current on every response (portal.figures).
        from ideas.counts import register_support_figures

        register_support_figures()

        # Framework boundary: a person deleted in the Wagtail admin. Django would only
        # unlink their comments (SET_NULL); the name they were written under goes too.
        def user_deleted(sender, instance, **kwargs) -> None:
            comments_anonymise_author(author=instance)

        pre_delete.connect(user_deleted, sender=User, dispatch_uid="ideas_user_deleted", weak=False)


def register_invalidation() -> None:
    """What writes to ideas, votes, tags and comments change (portal.invalidation)."""
    from django_comments import get_model as get_comment_model
    from django_comments.models import Comment, CommentFlag

    from ideas import counts
    from ideas.models import (
        COUNTED_FIELDS,
        CommentRevision,
        Follow,
        Idea,
        IdeaAttachment,
        IdeaEvent,
        IdeaTag,
        TaggedIdea,
        Vote,
    )
    from portal import invalidation, versions

    def idea_versions(change: invalidation.Change) -> tuple[str, ...]:
        # Support and comment counts are written with update(), not through here; a save
        # that leaves status, visibility and filter fields alone changes no public count.
        # SUPPORT too: a save may set the support count (and an idea that leaves the
        # public ones leaves the most supported).
        if change.kind != invalidation.SAVED or change.created or change.touches(COUNTED_FIELDS):
            return (versions.IDEAS, versions.SUPPORT, versions.PUBLIC_IDEAS)
        return (versions.IDEAS, versions.SUPPORT)

    invalidation.register(Idea, versions=idea_versions)
    invalidation.register(IdeaEvent, versions=(versions.IDEAS,))  # the idea page's timeline
    invalidation.register(IdeaAttachment, versions=(versions.IDEAS,))
    # Tags filter the public lists (by slug) and show on every card.
    invalidation.register(
        IdeaTag, versions=(versions.IDEAS, versions.PUBLIC_IDEAS, versions.LABELS)
    )
    invalidation.register(TaggedIdea, versions=(versions.IDEAS, versions.PUBLIC_IDEAS))
    # A vote changes a support count, shown as a live figure (portal.figures), and what
    # is ordered by support: SUPPORT, not IDEAS, so the pages stay cached.
    invalidation.register(Vote, versions=(versions.SUPPORT,), recount=counts.support_changed)
    # What is a person's own on an idea page is cached under their version, IDEAS and
    # SUPPORT (selectors.idea_page_marks): their follows and reports bump the first;
    # their votes bump SUPPORT already. (Their version is kept with the sessions, a
    # large directory in production that every write lists: no need to write it on
    # every vote.)
    invalidation.register(
        Follow, versions=lambda change: (versions.person(change.instance.user_id),)
    )
    invalidation.register(
        CommentFlag, versions=lambda change: (versions.person(change.instance.user_id),)
    )
    for model in {Comment, get_comment_model()}:
        invalidation.register(model, versions=(versions.IDEAS,), recount=counts.comments_changed)
    # The "edited" marker on the idea page is read from the revisions.
    invalidation.register(CommentRevision, versions=(versions.IDEAS,))
