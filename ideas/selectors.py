"""Reads shared by the idea list, detail, "my page", the home page and feeds.

Everything that shows an idea publicly starts from `Idea.objects.public()` and uses
`with_related` so a card costs no extra queries, whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_comments.models import CommentFlag

from challenges.models import ChallengePage, partner_challenge_ids
from challenges.selectors import challenge_links, challenges_visible_to
from cms.models import IDEAS_ON_HOME_PAGE
from ideas import counts, permissions
from ideas.models import (
    Follow,
    Idea,
    IdeaEvent,
    IdeaTag,
    TaggedIdea,
    Vote,
)
from ideas.permissions import AnyUser
from portal import versions
from portal.models import Unit, User


class Sort:
    NEWEST = "newest"
    MOST_SUPPORTED = "supported"
    MOST_DISCUSSED = "discussed"
    RECENTLY_UPDATED = "updated"


SORT_ORDERS = {
    Sort.NEWEST: ("-created_at", "-pk"),
    Sort.MOST_SUPPORTED: ("-support_count", "-created_at", "-pk"),
    Sort.MOST_DISCUSSED: ("-comment_count", "-created_at", "-pk"),
    Sort.RECENTLY_UPDATED: ("-updated_at", "-pk"),
}


def with_related(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    """What an idea card shows: author, organisation, challenge, theme, unit and tags."""
    return queryset.select_related(
        "author", "organisation", "challenge", "theme", "owning_unit"
    ).prefetch_related("tags")


def public_ideas() -> QuerySet[Idea]:
    return with_related(Idea.objects.public())


# What an idea card shows of the idea itself (the long description is not among it).
CARD_FIELDS = (
    "reference",
    "title",
    "summary",
    "kind",
    "status",
    "is_hidden",
    "challenge_id",
    "support_count",
    "comment_count",
    "created_at",
    "updated_at",
    "author__display_name",
    "author__first_name",
    "author__last_name",
    "organisation__name",
)


def public_idea_cards(*, with_municipality: bool = False) -> QuerySet[Idea]:
    """Public ideas with what a card shows; `attach_card_data` adds tags and challenge.

    `with_municipality`: also the idea's municipality's name (joined: a small table),
    which a partner's list names on the ideas of a joint challenge.
    """
    if with_municipality:
        return (
            Idea.objects.public()
            .select_related("author", "organisation", "municipality")
            .only(*CARD_FIELDS, "municipality_id", "municipality__name")
        )
    return Idea.objects.public().select_related("author", "organisation").only(*CARD_FIELDS)


def attach_card_data(ideas: list[Idea], *, municipality_id: int | None = None) -> list[Idea]:
    """Give each idea `card_tags`, `challenge_link` (title and URL, or None) and
    `joint_lead`: on a municipality's own list (`municipality_id`), the name of the
    lead municipality of an idea that answers a joint challenge the list's municipality
    is a partner in (read with `public_idea_cards(with_municipality=True)`), else None.

    One query for the tags of all the ideas (taggit's prefetch costs several times
    more for the same rows), none for the challenges (see `challenge_links`).
    """
    tags: dict[int, list[IdeaTag]] = {idea.pk: [] for idea in ideas}
    if tags:
        rows = (
            TaggedIdea.objects.filter(content_object_id__in=list(tags))
            .order_by("tag__name", "tag_id")
            .values_list("content_object_id", "tag_id", "tag__name", "tag__slug")
        )
        for idea_id, tag_id, name, slug in rows:
            tags[idea_id].append(IdeaTag(id=tag_id, name=name, slug=slug))
    links = challenge_links()
    for idea in ideas:
        idea.card_tags = tags[idea.pk]  # type: ignore[attr-defined]
        idea.challenge_link = links.get(idea.challenge_id)  # type: ignore[attr-defined]
        # On its own list, only a partner's joint ideas belong to another municipality.
        joint = municipality_id is not None and idea.municipality_id != municipality_id
        idea.joint_lead = idea.municipality.name if joint else None  # type: ignore[attr-defined]
    return ideas


@dataclass(frozen=True)
class IdeaFilters:
    """The list's filters, all optional; values are already validated."""

    challenge: ChallengePage | None = None
    theme_id: int | None = None
    tag_slug: str = ""
    status: str = ""
    unit_id: int | None = None
    kind: str = ""
    sort: str = Sort.NEWEST
    # A municipality's own list (`/<slug>/ideer/`): its ideas and those answering the
    # joint challenges it is a partner in (`filter_ideas`).
    municipality_id: int | None = None


def joint_challenge_ids(municipality_id: int) -> list[int]:
    """The published joint challenges the municipality is a partner in, whose ideas its
    own idea list shows besides its own: `partner_challenge_ids` with `live_only` (the
    public's view), read as a list (see `municipality_ideas_q`). One query on the small
    through table."""
    rows = partner_challenge_ids([municipality_id], live_only=True).order_by("challengepage_id")
    return [row["challengepage_id"] for row in rows]


def municipality_ideas_q(municipality_id: int) -> Q:
    """A municipality's ideas on its own list: its own, and those answering the joint
    challenges it is a partner in (they belong to the lead: docs/regional.md).

    The challenges are read first and named as constants: with none (most
    municipalities) the condition is the municipality alone, which the partial indexes
    `ideas_public_m_*` serve in order; with some, PostgreSQL counts by combining those
    with `ideas_public_challenge` (a bitmap OR), where a subquery in the OR cannot be an
    index condition and the count scans every idea (docs/regional.md has the numbers).
    """
    joint = joint_challenge_ids(municipality_id)
    own = Q(municipality_id=municipality_id)
    return own | Q(challenge_id__in=joint) if joint else own


def filter_ideas(queryset: QuerySet[Idea], filters: IdeaFilters) -> QuerySet[Idea]:
    if filters.municipality_id:
        queryset = queryset.filter(municipality_ideas_q(filters.municipality_id))
    if filters.challenge is not None:
        queryset = queryset.filter(challenge=filters.challenge)
    if filters.theme_id:
        queryset = queryset.filter(theme_id=filters.theme_id)
    if filters.tag_slug:
        queryset = queryset.filter(tags__slug=filters.tag_slug)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.unit_id:
        queryset = queryset.filter(owning_unit_id=filters.unit_id)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset.order_by(*SORT_ORDERS.get(filters.sort, SORT_ORDERS[Sort.NEWEST]))


def open_challenges(user: AnyUser | None = None) -> QuerySet[ChallengePage]:
    """Live challenges that accept ideas today (same rule as ChallengePage.status).

    With `user`: only those this person may see (`challenges_visible_to`), as every
    choice offered to a person must be; without, every one (the demo data).
    """
    challenges = ChallengePage.objects.live() if user is None else challenges_visible_to(user)
    return challenges.open_for_ideas().order_by("title")


def tag_names_like(text: str, *, limit: int = 8) -> list[str]:
    """Names of tags containing `text` that public ideas use, for suggestions.

    A tag only a withdrawn or hidden idea carries would tell people about that idea.
    """
    public_use = TaggedIdea.objects.filter(
        tag=OuterRef("pk"), content_object__in=Idea.objects.public()
    )
    return list(
        IdeaTag.objects.filter(Exists(public_use), name__icontains=text)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )


def idea_for_viewer(reference: str, user) -> Idea | None:
    """The idea behind a reference if this person may open it, else None.

    Who may open which idea is `permissions.can_view`; a merged idea is returned too, so
    the view can send people on to the idea it became part of.

    The idea comes with its author, organisation, theme and unit, and `has_supported`
    and `is_following` for this person (False for anyone not logged in), all read in
    one query.
    """
    queryset = (
        Idea.objects.filter(reference=reference)
        # Not the challenge: it is a page, and joining the page tables as well makes
        # PostgreSQL spend longer planning the query than reading the challenge takes.
        .select_related("author", "organisation", "theme", "owning_unit")
        .order_by()  # references are unique; sorting would only cost compiling the query
    )
    if user.is_authenticated:
        queryset = queryset.annotate(
            has_supported=Exists(Vote.objects.filter(idea=OuterRef("pk"), voter=user)),
            is_following=Exists(Follow.objects.filter(idea=OuterRef("pk"), user=user)),
        )
    idea = next(iter(queryset), None)
    if idea is None:
        return None
    if not user.is_authenticated:
        idea.has_supported = idea.is_following = False
    return idea if permissions.can_view(user, idea) else None


def public_events(idea: Idea) -> QuerySet[IdeaEvent]:
    """The public timeline: everything not marked internal, oldest first."""
    # The municipality: an answer is marked with whose it is (a joint challenge's
    # partners answer too).
    return (
        idea.events.filter(is_internal=False)
        .select_related("municipality")
        .order_by("created_at", "pk")
    )


def supported_ids(user, idea_ids: list[int]) -> set[int]:
    if not user.is_authenticated or not idea_ids:
        return set()
    return set(
        Vote.objects.filter(voter=user, idea_id__in=idea_ids).values_list("idea_id", flat=True)
    )


def supported_on_page(user, idea_ids: tuple[int, ...]) -> set[int]:
    """Which of the ideas a page shows `user` supports: `supported_ids`, cached per
    process and person until anyone's vote (theirs too) or a merge changes it
    (`versions.SUPPORT`, `versions.IDEAS`), like `idea_page_marks`. For what a page
    shows only; a write decides on `supported_ids`, from the database."""
    if not user.is_authenticated or not idea_ids:
        return set()
    return versions.cached(
        (versions.IDEAS, versions.SUPPORT, versions.person(user.pk)),
        f"supported-on-page:{user.pk}:{versions.fingerprint(tuple(idea_ids))}",
        lambda: supported_ids(user, list(idea_ids)),
        cache_alias=versions.PERSONAL_CACHE,
    )


def followed_ids(user, idea_ids: list[int]) -> set[int]:
    if not user.is_authenticated or not idea_ids:
        return set()
    return set(
        Follow.objects.filter(user=user, idea_id__in=idea_ids).values_list("idea_id", flat=True)
    )


@dataclass
class IdeaPageMarks:
    """What is a person's own on an idea page (see `idea_page_marks`)."""

    supported: bool = False
    following: bool = False
    reported: set[int] = field(default_factory=set)  # comments they reported, anywhere
    staff: bool = False  # listed as staff of a unit (active or not)


def _marks_sql() -> str:
    quote = connection.ops.quote_name
    return f"""
        SELECT 'vote', idea_id FROM {quote(Vote._meta.db_table)}
        WHERE idea_id = %s AND voter_id = %s
        UNION ALL
        SELECT 'follow', idea_id FROM {quote(Follow._meta.db_table)}
        WHERE idea_id = %s AND user_id = %s
        UNION ALL
        SELECT 'unit', unit_id FROM {quote(Unit.staff.through._meta.db_table)}
        WHERE user_id = %s
        UNION ALL
        SELECT 'reported', comment_id FROM {quote(CommentFlag._meta.db_table)}
        WHERE user_id = %s AND flag = %s
    """


def idea_page_marks(user: User, idea: Idea) -> IdeaPageMarks:
    """Whether `user` supports and follows `idea`, which comments they reported and
    whether they are listed as staff of any unit.

    With the comments' authors (part of the page everyone shares) that is all that
    differs between citizens on an idea page (ideas.views.detail). Someone in no unit
    is remembered as such for `permissions`, so the moderator check costs nothing more.

    Cached per process and person until the ideas change (`versions.SUPPORT`: anyone's
    vote, theirs too; `versions.IDEAS`: staff lists, merges moving votes and follows)
    or the person's own rows do (their version: their follows and reports, see
    `ideas.apps`), so a person reading idea pages costs the database nothing while
    nobody writes.
    """
    marks = versions.cached(
        (versions.IDEAS, versions.SUPPORT, versions.person(user.pk)),
        f"idea-page-marks:{user.pk}:{idea.pk}",
        lambda: _read_idea_page_marks(user, idea),
        cache_alias=versions.PERSONAL_CACHE,
    )
    if not marks.staff:
        permissions.remember_staff_unit_ids(user, set())
    return marks


def _read_idea_page_marks(user: User, idea: Idea) -> IdeaPageMarks:
    """`idea_page_marks` from the database, in one statement.

    Written out, one table per part, rather than built with the ORM: planning joins and
    subqueries over the comment tables cost the database ten times what running them
    does.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _marks_sql(),
            [idea.pk, user.pk, idea.pk, user.pk, user.pk, user.pk, CommentFlag.SUGGEST_REMOVAL],
        )
        rows = cursor.fetchall()
    marks = IdeaPageMarks()
    for kind, value in rows:
        if kind == "vote":
            marks.supported = True
        elif kind == "follow":
            marks.following = True
        elif kind == "unit":
            marks.staff = True
        else:
            marks.reported.add(value)
    return marks


def follows_challenge(user, challenge: ChallengePage) -> bool:
    return bool(
        user.is_authenticated and Follow.objects.filter(user=user, challenge=challenge).exists()
    )


def ideas_by_author(user: User) -> QuerySet[Idea]:
    """All of a person's ideas, withdrawn and merged ones too (hidden ones stay listed
    for the author, who may wonder where they went)."""
    return with_related(Idea.objects.filter(author=user)).order_by("-created_at", "-pk")


def ideas_supported_by(user: User) -> QuerySet[Idea]:
    return public_ideas().filter(votes__voter=user).order_by("-votes__created_at", "-pk")


def ideas_followed_by(user: User) -> QuerySet[Idea]:
    return public_ideas().filter(follows__user=user).order_by("-follows__created_at", "-pk")


def challenges_followed_by(user: User) -> QuerySet[ChallengePage]:
    """What *Min side* lists: followed challenges the person may still see."""
    return challenges_visible_to(user).filter(follows__user=user).order_by("title")


# --- The home page's ideas and figures (provided to cms.home in IdeasConfig.ready) ------


def portal_figures() -> dict[str, int]:
    """Public ideas submitted, in progress and put into use (cached until ideas change).

    "Submitted" counts every public idea, whatever its status; "in progress" those in
    review or accepted; "put into use" the implemented ones.
    """
    figures = counts.progress(Idea.objects.public())
    return {
        "submitted": figures["total"],
        "in_progress": figures["in_progress"],
        "implemented": figures["implemented"],
    }


def home_sections(home) -> dict[str, object]:
    public_ideas = Idea.objects.public()
    return {
        "newest_ideas": list(public_ideas.order_by("-created_at", "-pk")[:IDEAS_ON_HOME_PAGE]),
        "figures": portal_figures(),
    }


def home_ranked_sections(home) -> dict[str, object]:
    """The home page's most supported ideas (cached apart: votes reorder them)."""
    return {
        "popular_ideas": list(
            Idea.objects.public()
            .filter(support_count__gt=0)
            .order_by("-support_count", "-created_at", "-pk")[:IDEAS_ON_HOME_PAGE]
        )
    }


def municipality_home_sections(home) -> dict[str, object]:
    """A municipality's home page: its newest public ideas, the same ones its idea list
    starts with (its own, and those answering the joint challenges it is a partner in:
    `municipality_ideas_q`), each of the latter marked with its lead as there
    (`joint_lead`, see `attach_card_data`). Two queries: the joint challenges, the ideas
    with their municipality's name."""
    municipality_id = home.municipality_id
    ideas = list(
        Idea.objects.public()
        .filter(municipality_ideas_q(municipality_id))
        .select_related("municipality")
        .order_by("-created_at", "-pk")[:IDEAS_ON_HOME_PAGE]
    )
    for idea in ideas:
        joint = idea.municipality_id != municipality_id
        idea.joint_lead = idea.municipality.name if joint else None  # type: ignore[attr-defined]
    return {"newest_ideas": ideas}
