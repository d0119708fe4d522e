"""The challenge index and challenge pages as the public sees them."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from challenges.models import ChallengeIndexPage, ChallengePage, ChallengeStatus
from cms.models import HomePage, StandardPage
from ideas.models import Follow, IdeaStatus
from tests.factories import (
    IdeaFactory,
    ThemeFactory,
    UnitFactory,
    challenge_index,
    create_challenge,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def titles(response) -> list[str]:
    return [challenge.title for challenge in response.context["challenges"]]


# --- Page tree -----------------------------------------------------------------------


def test_page_tree_rules():
    home = HomePage.objects.get()
    index = challenge_index()
    challenge = create_challenge()
    assert ChallengeIndexPage.can_create_at(home)
    assert StandardPage.can_create_at(home)
    assert not ChallengePage.can_create_at(home)
    assert ChallengePage.can_create_at(index)
    assert not StandardPage.can_create_at(index)
    assert not ChallengeIndexPage.can_create_at(index)
    assert not ChallengePage.can_create_at(challenge)
    assert not StandardPage.can_create_at(challenge)
    assert ChallengePage.allowed_subpage_models() == []
    assert ChallengeIndexPage.allowed_subpage_models() == [ChallengePage]
    assert set(HomePage.allowed_subpage_models()) == {ChallengeIndexPage, StandardPage}


# --- Visibility ----------------------------------------------------------------------


def test_unpublished_and_private_challenges_appear_nowhere_public(client):
    index = challenge_index()
    visible = create_challenge(title="Synlig utfordring")
    create_challenge(title="Kladd som ingen skal se", live=False)
    private = create_challenge(title="Privat utfordring")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    unpublished = create_challenge(title="Avpublisert utfordring")
    unpublished.unpublish()

    pages = [
        client.get("/").content.decode(),
        client.get(index.url).content.decode(),
        client.get(index.url + "?status=open").content.decode(),
        client.get(index.url + "rss/").content.decode(),
        client.get(index.url + "atom/").content.decode(),
    ]
    for content in pages:
        assert "Synlig utfordring" in content
        for hidden in ("Kladd som ingen skal se", "Privat utfordring", "Avpublisert utfordring"):
            assert hidden not in content
    assert client.get(private.url).status_code in (302, 401, 403)
    assert client.get(private.url + "feed/").status_code in (302, 401, 403)
    assert client.get(f"{index.url}avpublisert-utfordring-3/").status_code == 404
    assert visible.url


def test_a_chosen_featured_challenge_that_is_private_is_not_shown(client):
    home = HomePage.objects.get()
    private = create_challenge(title="Privat utfordring")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    fallback = create_challenge(title="Åpen utfordring")
    create_challenge(title="Stenger før", closes_on=days(1))
    home.featured_challenges.create(challenge=private)
    home.featured_challenges.create(challenge=fallback)
    home.save_revision().publish()
    response = client.get("/")
    assert [page.pk for page in response.context["featured_challenges"]] == [fallback.pk]


# --- Filters and sorting -------------------------------------------------------------


@pytest.fixture
def challenges():
    helse, skole = UnitFactory(slug="helse"), UnitFactory(slug="skole")
    tidlig, kvalitet = ThemeFactory(slug="tidlig"), ThemeFactory(slug="kvalitet")
    pages = {
        "open_soon": create_challenge(
            title="Stenger snart",
            closes_on=days(3),
            owning_unit=helse,
            theme=tidlig,
            audience="citizens",
            opens_on=days(-20),
        ),
        "open_late": create_challenge(
            title="Stenger sent",
            closes_on=days(60),
            owning_unit=skole,
            theme=kvalitet,
            audience="businesses",
            opens_on=days(-2),
        ),
        "upcoming": create_challenge(
            title="Kommer snart",
            opens_on=days(5),
            closes_on=days(40),
            owning_unit=skole,
            theme=tidlig,
            audience="both",
        ),
        "evaluation": create_challenge(
            title="Til vurdering",
            opens_on=days(-60),
            closes_on=days(-1),
            owning_unit=helse,
            theme=kvalitet,
        ),
        "concluded": create_challenge(
            title="Avsluttet",
            opens_on=days(-90),
            closes_on=days(-30),
            owning_unit=helse,
            theme=tidlig,
            status_override=ChallengeStatus.CONCLUDED,
        ),
    }
    IdeaFactory.create_batch(3, challenge=pages["open_late"])
    IdeaFactory.create_batch(2, challenge=pages["evaluation"])
    # Ideas nobody may see do not count.
    IdeaFactory.create_batch(4, challenge=pages["upcoming"], status=IdeaStatus.WITHDRAWN)
    IdeaFactory(challenge=pages["upcoming"], is_hidden=True)
    return pages


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", {"Stenger snart", "Stenger sent"}),
        ("status=upcoming", {"Kommer snart"}),
        ("status=evaluation", {"Til vurdering"}),
        ("status=concluded", {"Avsluttet"}),
        ("theme=tidlig", {"Stenger snart", "Kommer snart", "Avsluttet"}),
        ("unit=skole", {"Stenger sent", "Kommer snart"}),
        ("audience=citizens", {"Stenger snart", "Kommer snart", "Til vurdering", "Avsluttet"}),
        ("audience=businesses", {"Stenger sent", "Kommer snart", "Til vurdering", "Avsluttet"}),
        ("status=open&theme=tidlig&unit=helse", {"Stenger snart"}),
        (
            "theme=finnes-ikke",
            {"Stenger snart", "Stenger sent", "Kommer snart", "Til vurdering", "Avsluttet"},
        ),
    ],
)
def test_filters(client, challenges, query, expected):
    response = client.get(f"{challenge_index().url}?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_one_unknown_filter_value_keeps_the_other_filters_and_says_so(client, challenges):
    response = client.get(f"{challenge_index().url}?status=open&theme=finnes-ikke&unit=helse")

    assert set(titles(response)) == {"Stenger snart"}  # status and unit still apply
    content = response.content.decode()
    assert "«finnes-ikke»" in content
    assert "De andre filtrene gjelder fortsatt." in content


def test_the_unknown_value_message_comes_with_the_htmx_results_too(client, challenges):
    response = client.get(
        f"{challenge_index().url}?status=open&unit=finnes-ikke", HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert set(titles(response)) == {"Stenger snart", "Stenger sent"}
    assert "«finnes-ikke»" in content


def test_sorting(client, challenges):
    url = challenge_index().url
    assert titles(client.get(url)) == [
        "Stenger snart",
        "Kommer snart",
        "Stenger sent",
        "Til vurdering",
        "Avsluttet",
    ]
    assert titles(client.get(url + "?sort=newest")) == [
        "Kommer snart",
        "Stenger sent",
        "Stenger snart",
        "Til vurdering",
        "Avsluttet",
    ]
    response = client.get(url + "?sort=most_ideas")
    assert titles(response)[:2] == ["Stenger sent", "Til vurdering"]
    assert response.context["challenges"][0].idea_count == 3


def test_filter_state_is_kept_in_the_form_and_the_pagination_links(client, challenges):
    import challenges.selectors as selectors

    url = challenge_index().url
    original = selectors.CHALLENGES_PER_PAGE
    selectors.CHALLENGES_PER_PAGE = 2
    try:
        response = client.get(url + "?theme=tidlig&sort=newest")
    finally:
        selectors.CHALLENGES_PER_PAGE = original
    html = response.content.decode()
    assert '<option value="tidlig" selected>' in html
    assert "?theme=tidlig&amp;sort=newest&amp;page=2" in html
    assert 'aria-live="polite"' in html


def test_htmx_request_gets_only_the_results_region(client, challenges):
    response = client.get(
        challenge_index().url + "?status=upcoming",
        headers={"HX-Request": "true", "HX-Target": "challenge-results"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="challenge-results"')
    assert "Kommer snart" in html and "Stenger sent" not in html
    assert "<header" not in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("count", [3, 30])
def test_index_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    for n in range(count):
        page = create_challenge(
            title=f"Utfordring {n}", owning_unit=UnitFactory(), theme=ThemeFactory()
        )
        IdeaFactory(challenge=page)
    url = challenge_index().url
    with django_assert_max_num_queries(20):
        assert client.get(url + "?sort=most_ideas").status_code == 200


# --- A challenge page ----------------------------------------------------------------


def test_open_challenge_invites_answers(client):
    page = create_challenge(title="Ensomhet blant eldre")
    html = client.get(page.url).content.decode()
    assert f'href="/ideas/new/?challenge={page.pk}"' in html
    assert "Svar på utfordringen" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"opens_on": days(4), "closes_on": days(30)}, "åpner for ideer"),
        ({"opens_on": days(-30), "closes_on": days(-2)}, "stengt for nye ideer"),
        ({"status_override": ChallengeStatus.CONCLUDED}, "avsluttet"),
    ],
)
def test_closed_challenges_refuse_new_answers(client, fields, message):
    page = create_challenge(title="Frafall i videregående", **fields)
    html = client.get(page.url).content.decode()
    assert "/ideas/new/?challenge=" not in html
    assert message in html


def test_challenge_page_lists_only_public_ideas_with_counts(client):
    page = create_challenge(title="Overvann i sentrum")
    IdeaFactory(challenge=page, title="Regnbed i gatene", status=IdeaStatus.IN_REVIEW)
    IdeaFactory(challenge=page, title="Grønne tak", status=IdeaStatus.IMPLEMENTED)
    IdeaFactory(challenge=page, title="Trukket idé", status=IdeaStatus.WITHDRAWN)
    IdeaFactory(challenge=page, title="Skjult idé", is_hidden=True)
    IdeaFactory(title="Idé til noe annet")
    response = client.get(page.url)
    html = response.content.decode()
    assert response.context["idea_counts"] == {"total": 2, "in_progress": 1, "implemented": 1}
    assert "Regnbed i gatene" in html and "Grønne tak" in html
    for hidden in ("Trukket idé", "Skjult idé", "Idé til noe annet"):
        assert hidden not in html


def test_concluded_challenge_shows_outcome_and_the_ideas_put_into_use(client):
    page = create_challenge(
        title="Digital inkludering",
        status_override=ChallengeStatus.CONCLUDED,
        outcome="<p>Vi startet digitale kafeer på biblioteket.</p>",
    )
    used = IdeaFactory(challenge=page, title="Digital kafé", status=IdeaStatus.IMPLEMENTED)
    IdeaFactory(challenge=page, title="Kurs i nettbank", status=IdeaStatus.REJECTED)
    response = client.get(page.url)
    html = response.content.decode()
    assert "Vi startet digitale kafeer på biblioteket." in html
    assert [idea.pk for idea in response.context["implemented_ideas"]] == [used.pk]


def test_follow_button_for_logged_in_users(client, citizen):
    page = create_challenge()
    assert "/follow/" not in client.get(page.url).content.decode()
    client.force_login(citizen)
    html = client.get(page.url).content.decode()
    assert f'action="/ideas/challenge/{page.pk}/follow/"' in html
    assert 'aria-pressed="false"' in html
    follow = Follow.objects.create(user=citizen, challenge=page)
    assert 'aria-pressed="true"' in client.get(page.url).content.decode()
    follow.delete()
    assert 'aria-pressed="false"' in client.get(page.url).content.decode()


def test_a_citizen_reading_a_challenge_page_again_costs_no_query(
    client, citizen, django_assert_num_queries
):
    page = create_challenge()
    IdeaFactory(challenge=page, theme=page.theme)
    client.force_login(citizen)
    for _warm_up in range(2):  # the site, menus and page routes are cached on first use
        client.get(page.url)
    with django_assert_num_queries(0):  # whether they follow it is cached until it changes
        html = client.get(page.url).content.decode()
    assert 'aria-pressed="false"' in html


@pytest.mark.parametrize("count", [3, 40])
def test_challenge_page_query_count_does_not_grow_with_ideas(
    client, citizen, django_assert_max_num_queries, count
):
    page = create_challenge(status_override=ChallengeStatus.CONCLUDED, outcome="<p>Ferdig</p>")
    for n in range(count):
        idea = IdeaFactory(
            challenge=page, status=IdeaStatus.IMPLEMENTED if n % 2 else IdeaStatus.SUBMITTED
        )
        idea.tags.add(f"tag{n}", "felles")
    client.force_login(citizen)
    with django_assert_max_num_queries(30):
        response = client.get(page.url)
    assert response.status_code == 200
    assert len(response.context["ideas"]) == min(count, 20)


def test_preview_of_a_draft_renders(client, admin_user):
    page = create_challenge(title="Kladd", live=False)
    client.force_login(admin_user)
    from django.urls import reverse

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
    assert response.status_code == 200
    assert "Kladd" in response.content.decode()
