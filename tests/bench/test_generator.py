"""The benchmark data generator at a small size: counts, relations and invariants."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django_comments_xtd.models import XtdComment

from bench.generator import BENCH_DOMAIN, support_count_drift
from challenges.models import ChallengePage
from ideas.comments import visible_comment_count
from ideas.models import (
    PUBLIC_STATUSES,
    Follow,
    Idea,
    IdeaEvent,
    IdeaStatus,
    ReferenceCounter,
    TaggedIdea,
    Vote,
)
from portal.models import User
from tests.factories import UserFactory

N = 200

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_bench_data", "--ideas", str(N), "--skip-index", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def bench_data():
    generate()


def test_counts(bench_data):
    assert Idea.objects.count() == N
    assert Vote.objects.count() == 5 * N
    assert XtdComment.objects.count() == 2 * N
    assert ChallengePage.objects.live().count() == 3  # at least 3; N/2000 at scale
    assert User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").count() >= N // 10
    assert TaggedIdea.objects.exists()


def test_every_status_present_and_some_hidden(bench_data):
    present = set(Idea.objects.values_list("status", flat=True))
    assert present == set(IdeaStatus.values)
    assert Idea.objects.filter(is_hidden=True).exists()


def test_merged_ideas_point_to_a_live_idea(bench_data):
    merged = Idea.objects.filter(status=IdeaStatus.MERGED).select_related("merged_into")
    assert merged.exists()
    for idea in merged:
        assert idea.merged_into is not None and idea.merged_into_id != idea.pk
        assert idea.merged_into.status in PUBLIC_STATUSES
    assert not Idea.objects.exclude(status=IdeaStatus.MERGED).filter(merged_into__isnull=False)


def test_support_count_equals_vote_rows(bench_data):
    assert support_count_drift() == 0
    # ... and the check can fail: break one count.
    idea = Idea.objects.order_by("pk").first()
    Idea.objects.filter(pk=idea.pk).update(support_count=idea.support_count + 1)
    assert support_count_drift() == 1


def test_votes_unique_per_voter_and_idea(bench_data):
    assert not Vote.objects.values("idea", "voter").annotate(n=Count("pk")).filter(n__gt=1)


def test_nobody_supports_their_own_idea(bench_data):
    # As the vote service refuses (services.OwnIdea), whatever the draw.
    assert not Vote.objects.filter(voter=F("idea__author")).exists()
    # ... while the ideas are still supported as planned, by other people.
    assert Vote.objects.count() == 5 * N


def test_comment_count_equals_visible_comments(bench_data):
    ideas = list(Idea.objects.all())
    assert all(idea.comment_count == visible_comment_count(idea) for idea in ideas)
    assert any(idea.comment_count for idea in ideas)


def test_comments_are_threaded_xtd_rows_on_ideas(bench_data):
    idea_ct = ContentType.objects.get_for_model(Idea)
    comments = XtdComment.objects.all()
    assert {c.content_type_id for c in comments} == {idea_ct.pk}
    assert {c.site_id for c in comments} == {1}
    idea_ids = {str(pk) for pk in Idea.objects.values_list("pk", flat=True)}
    by_pk = {c.pk: c for c in comments}
    replies = 0
    for comment in comments:
        assert comment.object_pk in idea_ids
        if comment.level == 0:
            assert comment.thread_id == comment.pk == comment.parent_id
            assert comment.order == 1
        else:
            replies += 1
            parent = by_pk[comment.parent_id]
            assert comment.level == 1 and parent.level == 0
            assert comment.thread_id == parent.pk and comment.object_pk == parent.object_pk
            assert comment.order > 1
    assert replies
    for root in comments.filter(level=0):
        assert root.nested_count == comments.filter(thread_id=root.pk, level=1).count()


def test_relations_and_references(bench_data):
    assert not Idea.objects.filter(owning_unit__isnull=True).exists()
    references = list(Idea.objects.values_list("reference", flat=True))
    assert len(set(references)) == N
    # Each idea was submitted once, by its author, and follows it.
    submitted = IdeaEvent.objects.filter(kind=IdeaEvent.Kind.SUBMITTED)
    assert submitted.count() == N
    assert not Idea.objects.exclude(pk__in=submitted.values("idea")).exists()
    assert Follow.objects.count() == N
    # Ideas answering a challenge take its unit; challenge ideas exist, free ones too.
    answering = Idea.objects.filter(challenge__isnull=False).select_related("challenge")
    assert answering.exists() and Idea.objects.filter(challenge__isnull=True).exists()
    assert all(idea.owning_unit_id == idea.challenge.owning_unit_id for idea in answering)
    # The reference counters continue after the generated references.
    for counter in ReferenceCounter.objects.all():
        last = f"{counter.year}-{counter.last_number:05d}"
        assert Idea.objects.filter(reference=last).exists()
        assert not Idea.objects.filter(reference__gt=last, reference__startswith=f"{counter.year}-")
    # Status changes are in the log, ending in the idea's status.
    for idea in Idea.objects.exclude(status=IdeaStatus.SUBMITTED)[:50]:
        last = idea.events.exclude(to_status="").order_by("created_at", "pk").last()
        assert last.to_status == idea.status


def test_refuses_a_database_with_other_data():
    UserFactory(email="kari@example.no")
    with pytest.raises(CommandError, match="not bench data"):
        generate()
    assert not Idea.objects.exists()
    assert "Created" in generate("--force")
    assert Idea.objects.count() == N


def test_reset_removes_bench_data_and_regenerates(bench_data):
    output = generate("--reset")
    assert "Removed earlier bench data" in output
    assert Idea.objects.count() == N
    assert Vote.objects.count() == 5 * N
    assert XtdComment.objects.count() == 2 * N
    assert ChallengePage.objects.count() == 3


def test_a_region_spreads_challenges_and_ideas_over_its_municipalities():
    """`--municipalities 3`: three municipalities, each with its own home page, units,
    challenges below its own tree and ideas owned by its own units; nothing crosses."""
    from cms.models import MunicipalityHomePage
    from portal.models import Municipality, Unit

    generate("--municipalities", "3")

    municipalities = list(Municipality.objects.order_by("number"))
    assert [m.slug for m in municipalities] == ["fjordvik", "havbygd", "nordvik"]
    assert Idea.objects.count() == N
    for municipality in municipalities:
        home = MunicipalityHomePage.objects.get(municipality=municipality)
        assert home.live and home.url_path == f"/home/{municipality.slug}/"
        units = Unit.objects.filter(municipality=municipality)
        assert units.count() == 9 and municipality.intake_unit in units
        challenges = ChallengePage.objects.live().descendant_of(home)
        assert challenges.exists()
        assert not challenges.exclude(owning_unit__municipality=municipality).exists()
        assert Idea.objects.filter(municipality=municipality).exists()
    # Every idea belongs to its owning unit's municipality, a challenge's idea to the
    # challenge's; merged ideas point to an idea of their own municipality.
    assert not Idea.objects.exclude(municipality=F("owning_unit__municipality")).exists()
    assert (
        not Idea.objects.filter(challenge__isnull=False)
        .exclude(owning_unit=F("challenge__owning_unit"))
        .exists()
    )
    assert (
        not Idea.objects.filter(merged_into__isnull=False)
        .exclude(municipality=F("merged_into__municipality"))
        .exists()
    )
    # One account works everywhere: citizens take part in several municipalities.
    authors_in = Idea.objects.values("author").annotate(n=Count("municipality", distinct=True))
    assert authors_in.filter(n__gt=1).exists()


def test_reset_removes_a_region_with_its_pages_groups_and_collections():
    from django.contrib.auth.models import Group
    from wagtail.models import Collection

    from cms.models import MunicipalityHomePage
    from portal.models import Municipality

    generate("--municipalities", "3")
    assert Group.objects.filter(name__startswith="Havbygd kommune").count() == 2
    assert Collection.objects.filter(name__startswith="Havbygd").exists()

    output = generate("--reset")  # and a single municipality after it

    assert "3 municipalities" in output
    assert list(Municipality.objects.values_list("slug", flat=True)) == ["fjordvik"]
    assert not MunicipalityHomePage.objects.exists()
    assert not Group.objects.filter(name__startswith="Havbygd kommune").exists()
    assert not Collection.objects.filter(name__startswith="Havbygd").exists()
    assert Idea.objects.count() == N
    assert ChallengePage.objects.count() == 3
