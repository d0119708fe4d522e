"""What goes into the search index, shared by every backend.

`documents_for_ideas` / `documents_for_challenges` turn querysets into `SearchDocument`s
with a fixed number of queries, so a rebuild costs the same per batch whatever its size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.html import strip_tags

IDEA = "idea"
CHALLENGE = "challenge"
PROJECT = "project"
IDEA_LABEL = "ideas.idea"
CHALLENGE_LABEL = "challenges.challengepage"
PROJECT_LABEL = "projects.project"
SOLUTION = "solution"
SOLUTION_LABEL = "solutions.solution"
TYPE_BY_LABEL = {
    IDEA_LABEL: IDEA,
    CHALLENGE_LABEL: CHALLENGE,
    PROJECT_LABEL: PROJECT,
    SOLUTION_LABEL: SOLUTION,
}
LABEL_BY_TYPE = {v: k for k, v in TYPE_BY_LABEL.items()}

# Facet names, in the order the search page shows them.
# "municipality": the idea's, a challenge's owning unit's and its partners' (a joint
# challenge counts under each; docs/regional.md); the page
# shows it only when the results span several municipalities.
FACETS = ("type", "municipality", "status", "theme", "unit", "tag", "challenge")


@dataclass
class SearchDocument:
    type: str
    pk: int
    title: str
    summary: str = ""
    body: str = ""
    comments: str = ""
    reference: str = ""
    url: str = ""
    status: str = ""
    published_at: datetime.datetime | None = None
    support_count: int = 0
    comment_count: int = 0
    facets: dict[str, list[str]] = field(default_factory=dict)
    # Challenges only: what their status is derived from. `status` above is the status on
    # the day the document was made, which goes stale as the dates pass; an index that
    # keeps these can derive the status when it is asked instead.
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    status_override: str = ""

    @property
    def doc_id(self) -> str:
        return f"{self.type}-{self.pk}"


def public_ideas() -> models.QuerySet:
    from ideas.models import Idea

    return Idea.objects.public()


def public_challenges() -> models.QuerySet:
    from challenges.models import ChallengePage

    # visible(): published and not below a view restriction (the restrictions come from
    # cms.routing's cached index, so this costs no query of its own).
    return ChallengePage.objects.visible()


def public_projects() -> models.QuerySet:
    from projects.models import Project

    # Every project has a public page (projects.views); what is internal in a project
    # (budget, log, team, internal documents) is left out of its document instead.
    return Project.objects.all()


def public_solutions() -> models.QuerySet:
    from solutions.models import Solution

    # Published only: drafts, solutions in review and withdrawn ones are never public.
    return Solution.objects.published()


def is_indexable(obj: models.Model) -> bool:
    """Whether `obj` may be in the public index right now (reads the database)."""
    label = obj._meta.label_lower
    if label == IDEA_LABEL:
        return bool(obj.is_public)
    if label == CHALLENGE_LABEL:
        return public_challenges().filter(pk=obj.pk).exists()
    if label == PROJECT_LABEL:
        return public_projects().filter(pk=obj.pk).exists()
    if label == SOLUTION_LABEL:
        return public_solutions().filter(pk=obj.pk).exists()
    return False


def _comments_by_idea(idea_ids: list[int]) -> dict[int, list[str]]:
    from django_comments_xtd.models import XtdComment

    from ideas.models import Idea

    if not idea_ids:
        return {}
    content_type = ContentType.objects.get_for_model(Idea)
    rows = XtdComment.objects.filter(
        content_type=content_type, object_pk__in=[str(pk) for pk in idea_ids]
    ).values_list("object_pk", "comment", "thread_id", "level", "is_public", "is_removed")
    rows = list(rows)
    # As on the idea page: hiding a comment hides its replies from the public too;
    # a comment its author deleted leaves its replies (ideas.comments.visible_comments_of).
    hidden_threads = {
        thread for _pk, _text, thread, level, public, _removed in rows if level == 0 and not public
    }
    grouped: dict[int, list[str]] = defaultdict(list)
    for object_pk, comment, thread, _level, public, removed in rows:
        if public and not removed and thread not in hidden_threads:
            grouped[int(object_pk)].append(comment)
    return grouped


def documents_for_ideas(queryset: models.QuerySet) -> list[SearchDocument]:
    ideas = list(
        queryset.select_related("theme", "owning_unit", "municipality")
        .prefetch_related("tags")
        .order_by("pk")
    )
    comments = _comments_by_idea([idea.pk for idea in ideas])
    docs = []
    for idea in ideas:
        facets = {
            "type": [IDEA],
            "status": [idea.status],
            "municipality": [idea.municipality.slug],
        }
        if idea.theme_id:
            facets["theme"] = [idea.theme.slug]
        if idea.owning_unit_id:
            facets["unit"] = [idea.owning_unit.slug]
        tags = sorted({tag.name for tag in idea.tags.all()})
        if tags:
            facets["tag"] = tags
        if idea.challenge_id:
            facets["challenge"] = [str(idea.challenge_id)]
        docs.append(
            SearchDocument(
                type=IDEA,
                pk=idea.pk,
                title=idea.title,
                summary=idea.summary,
                body="\n".join(filter(None, [idea.description, idea.location, " ".join(tags)])),
                comments="\n".join(comments.get(idea.pk, [])),
                reference=idea.reference,
                status=idea.status,
                published_at=idea.created_at,
                support_count=idea.support_count,
                comment_count=idea.comment_count,
                facets=facets,
            )
        )
    return docs


def _stream_text(value) -> str:
    parts = []
    for block in value or []:
        inner = block.value
        parts.append(strip_tags(getattr(inner, "source", None) or str(inner)))
    return "\n".join(p for p in parts if p)


def documents_for_challenges(queryset: models.QuerySet) -> list[SearchDocument]:
    pages = list(
        queryset.select_related("theme", "owning_unit__municipality")
        .prefetch_related("tags", "partner_municipalities")
        .order_by("pk")
    )
    docs = []
    with translation.override(settings.LANGUAGE_CODE):
        for page in pages:
            tags = sorted({tag.name for tag in page.tags.all()})
            facets = {
                "type": [CHALLENGE],
                "status": [page.status],
                "theme": [page.theme.slug],
                "unit": [page.owning_unit.slug],
                # The owning unit's: below a municipality's home page it must be that
                # municipality's (challenges.models.owning_unit_error); a joint
                # challenge's partners too, so each partner's facet and its hostname's
                # fixed filter find it (docs/regional.md, "Joint challenges"); only
                # the active ones, as the challenge page names (a municipality's
                # (de)activation re-indexes: search.signals.municipality_written).
                "municipality": [
                    page.owning_unit.municipality.slug,
                    *sorted(
                        partner.slug
                        for partner in page.partner_municipalities.all()
                        if partner.is_active
                    ),
                ],
                "challenge": [str(page.pk)],
            }
            if tags:
                facets["tag"] = tags
            docs.append(
                SearchDocument(
                    type=CHALLENGE,
                    pk=page.pk,
                    title=page.title,
                    summary=page.summary,
                    body="\n".join(
                        filter(
                            None,
                            [_stream_text(page.problem), strip_tags(page.outcome), " ".join(tags)],
                        )
                    ),
                    url=page.get_url() or page.url_path,
                    status=page.status,
                    published_at=page.first_published_at or page.last_published_at,
                    facets=facets,
                    opens_on=page.opens_on,
                    closes_on=page.closes_on,
                    status_override=page.status_override,
                )
            )
    return docs


def _public_themes_by_project(project_ids: list[int]) -> dict[int, list[str]]:
    """The slugs of the themes of each project's public ideas: a project has no theme of
    its own, it has its ideas'. A hidden or withdrawn idea lends none."""
    from projects.models import ProjectIdea

    rows = (
        ProjectIdea.objects.filter(
            project_id__in=project_ids,
            idea__in=public_ideas().order_by(),
            idea__theme__isnull=False,
        )
        .values_list("project_id", "idea__theme__slug")
        .distinct()
    )
    themes: dict[int, set[str]] = defaultdict(set)
    for project_id, slug in rows:
        themes[project_id].add(slug)
    return {pk: sorted(slugs) for pk, slugs in themes.items()}


def documents_for_projects(queryset: models.QuerySet) -> list[SearchDocument]:
    """Name, public summary, phase, the result once put into use, municipality, owning
    unit and its ideas' themes. Never the budget, the internal log, the team or the
    documents: the query reads none of them (`only`), so none can slip in."""
    projects = list(
        queryset.select_related("phase", "owning_unit", "municipality", "adoption")
        .only(
            "pk",
            "name",
            "slug",
            "summary",
            "created_at",
            "phase__name",
            "phase__name_en",
            "owning_unit__slug",
            "owning_unit__name",
            "municipality__slug",
            "adoption__public_text",
        )
        .order_by("pk")
    )
    themes = _public_themes_by_project([project.pk for project in projects])
    docs = []
    with translation.override(settings.LANGUAGE_CODE):
        for project in projects:
            facets = {
                "type": [PROJECT],
                "municipality": [project.municipality.slug],
                "unit": [project.owning_unit.slug],
            }
            if themes.get(project.pk):
                facets["theme"] = themes[project.pk]
            adoption = getattr(project, "adoption", None)
            phase = project.phase
            docs.append(
                SearchDocument(
                    type=PROJECT,
                    pk=project.pk,
                    title=project.name,
                    summary=project.summary,
                    body="\n".join(
                        filter(
                            None,
                            [
                                # Found by the phase's name in either language.
                                phase.name,
                                phase.name_en,
                                project.owning_unit.name,
                                adoption.public_text if adoption else "",
                            ],
                        )
                    ),
                    url=project.get_absolute_url(),
                    published_at=project.created_at,
                    facets=facets,
                )
            )
    return docs


def documents_for_solutions(queryset: models.QuerySet) -> list[SearchDocument]:
    """Title, problem, what was done, themes and municipality of published solutions,
    with the number of adoptions ("reused N times" on the result card) stored as its
    `support_count` (an adoption re-indexes its solution, `search.signals`). Never the
    reviewer's comment, the contact's details or the events: the query reads none of
    them (`only`)."""
    from django.db.models import Count

    solutions = list(
        queryset.select_related("municipality")
        .prefetch_related("themes")
        .only(
            "pk",
            "slug",
            "title",
            "problem",
            "what_was_done",
            "kind",
            "published_at",
            "municipality__slug",
            "municipality__name",
        )
        .annotate(reuse_count=Count("adoptions", distinct=True))
        .order_by("pk")
    )
    docs = []
    with translation.override(settings.LANGUAGE_CODE):
        for solution in solutions:
            themes = sorted(solution.themes.all(), key=lambda theme: theme.slug)
            facets = {"type": [SOLUTION], "municipality": [solution.municipality.slug]}
            if themes:
                facets["theme"] = [theme.slug for theme in themes]
            docs.append(
                SearchDocument(
                    type=SOLUTION,
                    pk=solution.pk,
                    title=solution.title,
                    summary=solution.problem,
                    body="\n".join(
                        [
                            solution.what_was_done,
                            solution.municipality.name,
                            *(theme.name for theme in themes),
                        ]
                    ),
                    url=solution.get_absolute_url(),
                    published_at=solution.published_at,
                    support_count=solution.reuse_count,
                    facets=facets,
                )
            )
    return docs


def document_for(obj: models.Model) -> SearchDocument:
    label = obj._meta.label_lower
    if label == IDEA_LABEL:
        return documents_for_ideas(type(obj).objects.filter(pk=obj.pk))[0]
    if label == CHALLENGE_LABEL:
        return documents_for_challenges(type(obj).objects.filter(pk=obj.pk))[0]
    if label == PROJECT_LABEL:
        return documents_for_projects(type(obj).objects.filter(pk=obj.pk))[0]
    if label == SOLUTION_LABEL:
        return documents_for_solutions(type(obj).objects.filter(pk=obj.pk))[0]
    raise ValueError(f"{label} is not searchable")


def public_documents(model_label: str, pks: Iterable[int]) -> list[SearchDocument]:
    """The documents of those of `pks` that are public now (the rest are left out)."""
    pks = list(pks)
    if model_label == IDEA_LABEL:
        return documents_for_ideas(public_ideas().filter(pk__in=pks))
    if model_label == CHALLENGE_LABEL:
        return documents_for_challenges(public_challenges().filter(pk__in=pks))
    if model_label == PROJECT_LABEL:
        return documents_for_projects(public_projects().filter(pk__in=pks))
    if model_label == SOLUTION_LABEL:
        return documents_for_solutions(public_solutions().filter(pk__in=pks))
    raise ValueError(f"{model_label} is not searchable")


def all_public_documents(batch_size: int = 500) -> Iterator[list[SearchDocument]]:
    """Every public document, in batches, for rebuilds."""
    for queryset, build in (
        (public_challenges(), documents_for_challenges),
        (public_ideas(), documents_for_ideas),
        (public_projects(), documents_for_projects),
        (public_solutions(), documents_for_solutions),
    ):
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            yield build(queryset.model.objects.filter(pk__in=chunk))


def public_keys() -> set[tuple[str, int]]:
    """(type, pk) of everything that may be in the index now."""
    return (
        {(IDEA, pk) for pk in public_ideas().order_by().values_list("pk", flat=True)}
        | {(CHALLENGE, pk) for pk in public_challenges().order_by().values_list("pk", flat=True)}
        | {(PROJECT, pk) for pk in public_projects().order_by().values_list("pk", flat=True)}
        | {(SOLUTION, pk) for pk in public_solutions().order_by().values_list("pk", flat=True)}
    )


def count_public() -> int:
    return (
        public_ideas().count()
        + public_challenges().count()
        + public_projects().count()
        + public_solutions().count()
    )


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
