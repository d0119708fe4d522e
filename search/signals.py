"""What writes change which search documents; connected in `SearchConfig.ready()`.

Two framework boundaries: Wagtail's page events (published, unpublished, moved), and
portal.invalidation, which reports every ORM write to the models registered here. For
each, this module says which documents to re-check; `search.indexing` queues the
updates on commit, and the task decides whether each object is still public. The
search app knows what its documents contain (`search.content`), so it registers the
rules even for models other apps own: a theme's or unit's slug is a facet of ideas and
challenges, tags are words in them, comments are part of an idea's document.
"""

from __future__ import annotations

from collections.abc import Iterable

from search.content import CHALLENGE_LABEL, IDEA_LABEL, PROJECT_LABEL, SOLUTION_LABEL
from search.indexing import schedule_reindex_key

Keys = Iterable[tuple[str, int]]


def _challenge_ids_at_or_below(path: str) -> list[int]:
    from challenges.models import ChallengePage

    return list(ChallengePage.objects.filter(path__startswith=path).values_list("pk", flat=True))


def page_changed(sender, instance, **kwargs) -> None:
    """Published, unpublished or moved: re-check this page and challenges below it."""
    for pk in _challenge_ids_at_or_below(instance.path):
        schedule_reindex_key(CHALLENGE_LABEL, pk)


def page_moved(sender, instance, **kwargs) -> None:
    page_changed(sender, instance)


# --- Rules for portal.invalidation ---------------------------------------------------------


def _ideas(pks: Iterable[int | None]) -> list[tuple[str, int]]:
    return [(IDEA_LABEL, pk) for pk in pks if pk is not None]


def _challenges(pks: Iterable[int | None]) -> list[tuple[str, int]]:
    return [(CHALLENGE_LABEL, pk) for pk in pks if pk is not None]


def idea_written(change) -> Keys:
    return _ideas([change.instance.pk])


def _projects(pks: Iterable[int | None]) -> list[tuple[str, int]]:
    return [(PROJECT_LABEL, pk) for pk in pks if pk is not None]


def _projects_of_ideas(**lookup) -> list[tuple[str, int]]:
    from projects.models import ProjectIdea

    rows = ProjectIdea.objects.filter(**{f"idea__{k}": v for k, v in lookup.items()})
    return _projects(rows.values_list("project_id", flat=True).distinct())


def idea_of_project_written(change) -> Keys:
    """A project's document has its public ideas' themes: an idea that changes theme or
    stops (or starts) being public changes its project's. A new idea is in no project
    yet; a deleted one's link goes first (and re-checks its project then)."""
    if change.created or change.kind == "deleted":
        return []
    return _projects_of_ideas(pk=change.instance.pk)


def project_written(change) -> Keys:
    return _projects([change.instance.pk])


def project_part_written(change) -> Keys:
    """An idea joining the project (its theme) or its result put into use."""
    return _projects([change.instance.project_id])


def _solutions(pks: Iterable[int | None]) -> list[tuple[str, int]]:
    return [(SOLUTION_LABEL, pk) for pk in pks if pk is not None]


def solution_written(change) -> Keys:
    """Published, edited, withdrawn or deleted: the task re-checks it, so a solution
    that is no longer published leaves the index."""
    return _solutions([change.instance.pk])


def solution_themes_written(change) -> Keys:
    """solution.themes.set(...) (the themes are a facet), or theme.solutions.add(...)."""
    if change.kind == "related":
        return _solutions(change.related_pks if change.reverse else [change.instance.pk])
    return _solutions([change.instance.solution_id])


def adoption_written(change) -> Keys:
    """The solution's document carries how often it was reused."""
    return _solutions([change.instance.solution_id])


def _solutions_of_theme(theme_id: int) -> Keys:
    from solutions.models import Solution

    return _solutions(Solution.objects.filter(themes=theme_id).values_list("pk", flat=True))


def phase_written(change) -> Keys:
    from projects.models import Project

    if change.kind == "deleted":
        return []  # projects protect their phase
    return _projects(
        Project.objects.filter(phase_id=change.instance.pk).values_list("pk", flat=True)
    )


def vote_written(change) -> Keys:
    return _ideas([change.instance.idea_id])  # the document carries the support count


def comment_written(change) -> Keys:
    from ideas.comments import idea_content_type

    comment = change.instance
    if comment.content_type_id != idea_content_type().pk:
        return []
    return _ideas([int(comment.object_pk)])


def idea_tag_written(change) -> Keys:
    from ideas.models import TaggedIdea

    if change.kind == "deleted":
        return []  # its TaggedIdea rows are deleted first, each re-checking its idea
    rows = TaggedIdea.objects.filter(tag_id=change.instance.pk)
    return _ideas(rows.values_list("content_object_id", flat=True))


def tagged_idea_written(change) -> Keys:
    if change.kind == "related":  # idea.tags.add(...) and friends, sent by django-taggit
        return _ideas(change.related_pks if change.reverse else [change.instance.pk])
    return _ideas([change.instance.content_object_id])


def page_tag_written(change) -> Keys:
    from challenges.models import ChallengePageTag

    if change.kind == "deleted":
        return []  # its ChallengePageTag rows go first, each re-checking its challenge
    rows = ChallengePageTag.objects.filter(tag_id=change.instance.pk)
    return _challenges(rows.values_list("content_object_id", flat=True))


def challenge_tag_written(change) -> Keys:
    return _challenges([change.instance.content_object_id])


def _ideas_and_challenges(**lookup) -> Keys:
    from challenges.models import ChallengePage
    from ideas.models import Idea

    return [
        *_ideas(Idea.objects.filter(**lookup).values_list("pk", flat=True)),
        *_challenges(ChallengePage.objects.filter(**lookup).values_list("pk", flat=True)),
    ]


def _theme_documents(theme_id: int) -> Keys:
    # Projects have their ideas' themes.
    return [
        *_ideas_and_challenges(theme_id=theme_id),
        *_projects_of_ideas(theme_id=theme_id),
        *_solutions_of_theme(theme_id),
    ]


def theme_written(change) -> Keys:
    # The slug is a facet (/search/?theme=<slug>). A deletion is handled before it
    # happens (`theme_deleting`): by then its ideas have lost the theme.
    if change.kind == "deleted":
        return []
    return _theme_documents(change.instance.pk)


def theme_deleting(sender, instance, **kwargs) -> None:
    """pre_delete: Django sets the ideas' theme to NULL without a signal of their own,
    so their documents (with the theme's slug as a facet) are queued here."""
    from search.indexing import schedule_reindex_keys

    schedule_reindex_keys(_theme_documents(instance.pk))


def unit_written(change) -> Keys:
    from projects.models import Project

    if change.kind == "deleted":
        return []  # ideas, challenges and projects protect their unit
    unit_id = change.instance.pk
    return [
        *_ideas_and_challenges(owning_unit_id=unit_id),
        *_projects(Project.objects.filter(owning_unit_id=unit_id).values_list("pk", flat=True)),
    ]


def page_written(change) -> Keys:
    """A page row saved (its slug, title or place) or deleted."""
    from django.contrib.contenttypes.models import ContentType

    from challenges.models import ChallengePage

    page = change.instance
    if change.kind == "deleted":
        is_challenge = page.content_type_id == ContentType.objects.get_for_model(ChallengePage).pk
        return _challenges([page.pk]) if is_challenge else []
    return _challenges(_challenge_ids_at_or_below(page.path))


def partner_written(change) -> Keys:
    """A joint challenge's partners are in its municipality facet: re-check the challenge
    when one is added or removed, from either side (a page publish commits them through
    the relation, which also re-checks the page; the admin or a script may not)."""
    if change.kind == "related":
        return _challenges(change.related_pks if change.reverse else [change.instance.pk])
    return _challenges([change.instance.challengepage_id])


def restriction_written(change) -> Keys:
    from wagtail.models import Page

    path = Page.objects.filter(pk=change.instance.page_id).values_list("path", flat=True).first()
    return _challenges(_challenge_ids_at_or_below(path)) if path else []


def site_written(change) -> Keys:
    # Challenge documents store their URL, which depends on the sites.
    from challenges.models import ChallengePage

    return _challenges(ChallengePage.objects.values_list("pk", flat=True))


def municipality_written(change) -> Keys:
    """Documents carry their municipality's slug as a facet: a new slug re-indexes the
    municipality's ideas, challenges (the joint ones it is a partner in too) and
    projects. A joint challenge names only its active partners, so (de)activating a
    municipality re-indexes the joint challenges it is a partner in. Any other change
    to it, nothing."""
    from django.db.models import Q

    from challenges.models import ChallengePage
    from ideas.models import Idea
    from projects.models import Project
    from solutions.models import Solution

    municipality = change.instance
    if change.kind == "deleted":
        return []
    pk = municipality.pk
    if not municipality.slug_changed():
        # A queryset `update()` reports the row as read after it: only its fields say.
        bulk = change.update_fields is not None and "is_active" in change.update_fields
        if municipality.activation_changed() or bulk:
            return _challenges(
                ChallengePage.objects.filter(partner_municipalities=pk).values_list("pk", flat=True)
            )
        return []
    return [
        *_ideas(Idea.objects.filter(municipality_id=pk).values_list("pk", flat=True)),
        *_challenges(
            ChallengePage.objects.filter(
                Q(owning_unit__municipality_id=pk) | Q(partner_municipalities=pk)
            )
            .values_list("pk", flat=True)
            .distinct()
        ),
        *_projects(Project.objects.filter(municipality_id=pk).values_list("pk", flat=True)),
        *_solutions(Solution.objects.filter(municipality_id=pk).values_list("pk", flat=True)),
    ]


def register_invalidation() -> None:
    from django_comments import get_model as get_comment_model
    from django_comments.models import Comment
    from taggit.models import Tag
    from wagtail.models import PageViewRestriction, Site, get_page_models

    from challenges.models import ChallengePage, ChallengePageTag, Theme
    from ideas.models import Idea, IdeaTag, TaggedIdea, Vote
    from portal import invalidation
    from portal.models import Municipality, Unit
    from projects.models import Phase, Project, ProjectAdoption, ProjectIdea
    from search.indexing import schedule_reindex_keys
    from solutions.models import Adoption, Solution

    invalidation.set_reindexer(schedule_reindex_keys)
    invalidation.register(Idea, reindex=idea_written)
    # Only what decides an idea's theme and publicity: one query, on few of its writes.
    invalidation.register(
        Idea, reindex=idea_of_project_written, fields=("theme", "theme_id", "status", "is_hidden")
    )
    invalidation.register(Project, reindex=project_written)
    invalidation.register(ProjectIdea, reindex=project_part_written)
    invalidation.register(ProjectAdoption, reindex=project_part_written)
    invalidation.register(Phase, reindex=phase_written)
    invalidation.register(Solution, reindex=solution_written)
    invalidation.register(Solution.themes.through, reindex=solution_themes_written)
    invalidation.register(Adoption, reindex=adoption_written)
    invalidation.register(Vote, reindex=vote_written)
    for model in {Comment, get_comment_model()}:
        invalidation.register(model, reindex=comment_written)
    invalidation.register(IdeaTag, reindex=idea_tag_written)
    invalidation.register(TaggedIdea, reindex=tagged_idea_written)
    invalidation.register(Tag, reindex=page_tag_written)
    invalidation.register(ChallengePageTag, reindex=challenge_tag_written)
    invalidation.register(Theme, reindex=theme_written)
    invalidation.register(Unit, reindex=unit_written)
    invalidation.register(Municipality, reindex=municipality_written)
    for model in get_page_models():
        invalidation.register(model, reindex=page_written)
    invalidation.register(ChallengePage.partner_municipalities.through, reindex=partner_written)
    invalidation.register(PageViewRestriction, reindex=restriction_written)
    invalidation.register(Site, reindex=site_written)


def connect() -> None:
    from django.db.models.signals import pre_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from challenges.models import Theme

    page_published.connect(page_changed, dispatch_uid="search_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="search_page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="search_page_moved")
    pre_delete.connect(theme_deleting, sender=Theme, dispatch_uid="search_theme_deleting")
    register_invalidation()
