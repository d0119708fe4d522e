"""The search page and suggestions, over HTTP, on the embedded backend (and fallback)."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from search import backends
from search.backends import get_database_backend
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory, create_challenge


@pytest.fixture
def indexed(db):
    theme = ThemeFactory(name="Oppvekst", slug="oppvekst")
    unit = UnitFactory(name="Oppvekst og utdanning", slug="oppvekst")
    challenge = create_challenge(
        title="Trygg skolevei", summary="Barn skal gå trygt til skolen.", theme=theme
    )
    ideas = [
        IdeaFactory(
            title="Flere plasser i barnehagen",
            summary="Foreldre venter for lenge på barnehageplass.",
            theme=theme,
            owning_unit=unit,
            challenge=challenge,
            support_count=5,
        ),
        IdeaFactory(title="Gatelys ved skolen", summary="Mørkt på skoleveien om vinteren."),
    ]
    get_database_backend().rebuild()
    return {"challenge": challenge, "ideas": ideas, "theme": theme, "unit": unit}


def test_search_page_shows_mixed_results_with_labels_and_highlights(client, indexed):
    response = client.get(reverse("search:search"), {"q": "skolen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trygg skolevei" in html and "Gatelys ved" in html
    assert "<mark>skolen</mark>" in html
    assert ">Utfordring<" in html and ">Idé<" in html  # type labels in Norwegian
    assert 'role="combobox"' in html and 'aria-controls="search-suggestions"' in html


def test_facets_have_labels_counts_and_keep_state_in_the_url(client, indexed):
    response = client.get(reverse("search:search"), {"theme": "oppvekst", "sort": "support"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="theme" value="oppvekst"' in html
    assert 'value="oppvekst" id="facet-theme-oppvekst" checked' in html
    assert "Oppvekst og utdanning" in html  # unit label, not its slug
    assert "Trygg skolevei" in html  # challenge facet label
    assert '<option value="support" selected>' in html
    assert "Gatelys ved skolen" not in html


def test_pagination_keeps_query_and_filters(client, indexed):
    for n in range(12):
        IdeaFactory(title=f"Benk nummer {n}", summary="En benk i parken.")
    get_database_backend().rebuild()
    response = client.get(reverse("search:search"), {"q": "benk", "type": "idea"})
    html = response.content.decode()
    assert "?q=benk&amp;type=idea&amp;page=2" in html
    second = client.get(reverse("search:search"), {"q": "benk", "type": "idea", "page": 2})
    assert second.content.decode().count('class="ds-card search-hit"') == 2
    # Nonsense page numbers do not break the page.
    assert client.get(reverse("search:search"), {"q": "benk", "page": "x"}).status_code == 200


def test_no_results_offer_did_you_mean_and_help(client, indexed):
    html = client.get(reverse("search:search"), {"q": "barnehgen"}).content.decode()
    assert "Mente du" in html and "?q=barnehagen" in html
    assert "Ingen treff" in html


def test_query_is_escaped(client, indexed):
    html = client.get(reverse("search:search"), {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_english_page(client, indexed):
    html = client.get("/en/search/", {"q": "barnehagen"}).content.decode()
    assert "Search ideas and challenges" in html
    assert 'href="/en/ideas/' in html


def test_suggestions_for_htmx_and_without_javascript(client, indexed):
    url = reverse("search:suggest")
    fragment = client.get(url, {"q": "barneh"}, headers={"HX-Request": "true"}).content.decode()
    assert 'role="option"' in fragment and "Flere plasser i barnehagen" in fragment
    assert "<html" not in fragment
    page = client.get(url, {"q": "trygg"}).content.decode()
    assert "<html" in page and "Trygg skolevei" in page


@pytest.mark.parametrize("size", [5, 50])
def test_search_page_query_count_does_not_grow(client, db, size, django_assert_max_num_queries):
    theme = ThemeFactory()
    for n in range(size):
        idea = IdeaFactory(
            title=f"Idé om parken {n}", summary="Parken trenger benker.", theme=theme
        )
        idea.tags.add(f"tag{n % 7}")
    create_challenge(title="Parken i sentrum", theme=theme)
    get_database_backend().rebuild()
    with django_assert_max_num_queries(18):
        response = client.get(reverse("search:search"), {"q": "parken", "theme": theme.slug})
    assert response.status_code == 200


def test_fallback_when_the_engine_is_unreachable(
    client, indexed, settings, closed_port_url, caplog
):
    settings.ELASTICSEARCH_URL = closed_port_url
    settings.ELASTICSEARCH_INDEX_PREFIX = "unreachable"
    response = client.get(reverse("search:search"), {"q": "barnehagen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "forenklet modus" in html  # the visible notice
    assert "Flere plasser i <mark>barnehagen</mark>" in html  # from the embedded backend
    assert "Search engine unavailable" in caplog.text
    suggest = client.get(reverse("search:suggest"), {"q": "barneh"}, headers={"HX-Request": "true"})
    assert suggest.status_code == 200 and "Flere plasser" in suggest.content.decode()


def test_a_hung_engine_gets_one_short_try_then_the_embedded_answer(
    client, indexed, settings, hung_engine
):
    settings.ELASTICSEARCH_URL = hung_engine.url
    settings.ELASTICSEARCH_TIMEOUT = 0.5
    started = time.monotonic()
    response = client.get(reverse("search:search"), {"q": "barnehagen"})
    elapsed = time.monotonic() - started

    html = response.content.decode()
    assert response.status_code == 200
    assert "forenklet modus" in html
    assert "Flere plasser i <mark>barnehagen</mark>" in html
    assert hung_engine.connections == 1  # asked once, not retried
    assert elapsed < 5  # far below the client's write timeout and any retry loop
    # Other visitors are not made to wait while it is down: the embedded backend answers
    # at once, with the same notice, and the engine is not asked again for a while.
    suggest = client.get(reverse("search:suggest"), {"q": "barneh"}, headers={"HX-Request": "true"})
    assert "Flere plasser" in suggest.content.decode()
    again = client.get(reverse("search:search"), {"q": "barnehagen"}).content.decode()
    assert "forenklet modus" in again and "Flere plasser i <mark>barnehagen</mark>" in again
    assert hung_engine.connections == 1


def test_the_engine_is_tried_again_when_the_pause_is_over(
    client, indexed, settings, hung_engine, monkeypatch
):
    settings.ELASTICSEARCH_URL = hung_engine.url
    settings.ELASTICSEARCH_TIMEOUT = 0.5
    settings.PORTAL_SEARCH_ENGINE_PAUSE_SECONDS = 30
    search = reverse("search:search")
    client.get(search, {"q": "barnehagen"})
    client.get(search, {"q": "barnehagen"})
    assert hung_engine.connections == 1

    later = time.time() + 31
    monkeypatch.setattr(backends.time, "time", lambda: later)
    html = client.get(search, {"q": "barnehagen"}).content.decode()
    assert hung_engine.connections == 2  # asked again, once
    assert "forenklet modus" in html and "Flere plasser i <mark>barnehagen</mark>" in html


def test_similar_ideas_fall_back_too(indexed, settings, closed_port_url):
    from search.backends import get_backend

    settings.ELASTICSEARCH_URL = closed_port_url
    assert get_backend().similar_ideas("barnehageplass i barnehagen") == [indexed["ideas"][0]]


def test_rebuild_command_reports_counts(indexed, capsys):
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "3/3" in out  # the progress bar
    assert "database: indexed 3 documents (2 ideas, 1 challenges, 0 projects, 0 solutions)" in out


def test_unpublished_challenge_title_never_shows_in_facets(client, indexed):
    from challenges.models import ChallengePage

    # Unpublished outside any on-commit capture: the idea's index entry still carries
    # the challenge key, and the page must still not reveal the title.
    ChallengePage.objects.get(pk=indexed["challenge"].pk).unpublish()
    html = client.get(reverse("search:search"), {"q": "barnehagen"}).content.decode()
    assert "Flere plasser i <mark>barnehagen</mark>" in html
    assert "Trygg skolevei" not in html


def test_every_match_is_counted_and_paging_ends_at_the_limit(client, db, monkeypatch):
    from search import views

    monkeypatch.setattr(views, "MAX_PAGE", 2)
    for n in range(25):
        IdeaFactory(title=f"Benk nummer {n}", summary="En benk i parken.")
    get_database_backend().rebuild()
    url = reverse("search:search")
    html = client.get(url, {"q": "benk"}).content.decode()
    assert "25 treff" in html and "Mer enn" not in html
    assert "(25)" in html  # the count beside the filter covers every match
    assert 'rel="next"' in html
    last = client.get(url, {"q": "benk", "page": 2}).content.decode()
    assert 'rel="next"' not in last
    assert "De 20 beste treffene kan blas gjennom." in last
    assert "kan blas gjennom" not in html
    assert "Tallene gjelder" not in html


def test_past_the_count_limit_the_page_says_more_than_and_pages_to_the_cap(client, db, monkeypatch):
    from search import views
    from search.backends import base

    monkeypatch.setattr(base, "COUNT_LIMIT", 20)
    monkeypatch.setattr(views, "MAX_PAGE", 2)
    IdeaFactory(title="Benk ved elva", summary="En benk ved elva.", support_count=0)
    for n in range(24):
        IdeaFactory(title=f"Park nummer {n}", summary="Kanskje en benk.", support_count=1)
    get_database_backend().rebuild()
    url = reverse("search:search")
    html = client.get(url, {"q": "benk"}).content.decode()
    assert "Mer enn 20 treff" in html
    assert "Side 1 av 2" in html
    # The best match first, however many match.
    assert html.index("ved elva") < html.index("Park nummer")
    assert "Tallene gjelder de 20 beste treffene." in html
    last = client.get(url, {"q": "benk", "page": 2}).content.decode()
    assert 'rel="next"' not in last
    assert "De 20 beste treffene kan blas gjennom." in last
    english = client.get("/en/search/", {"q": "benk"}).content.decode()
    assert "More than 20 results" in english
    browse = client.get(url).content.decode()
    assert "Mer enn 20 ideer og utfordringer å utforske" in browse


def test_facet_counts_say_when_they_cover_the_best_matches_only(client, db, monkeypatch):
    from search.backends import database

    monkeypatch.setattr(database, "FACET_LIMIT", 3)
    for n in range(5):
        IdeaFactory(title=f"Benk nummer {n}", summary="En benk i parken.")
    get_database_backend().rebuild()
    html = client.get(reverse("search:search"), {"q": "benk"}).content.decode()
    assert "5 treff" in html
    assert "Tallene gjelder de 3 beste treffene." in html


def test_an_uncapped_search_shows_the_exact_count(client, indexed):
    html = client.get(reverse("search:search"), {"q": "skolen"}).content.decode()
    assert "2 treff" in html
    assert "Mer enn" not in html and "Tallene gjelder" not in html


def test_search_page_query_count_is_the_same_however_many_match(
    client, db, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    theme = ThemeFactory()
    challenge = create_challenge(title="Parken i sentrum", theme=theme)
    counts = []
    for size in (5, 30):
        for n in range(size - len(counts) * 5):
            idea = IdeaFactory(title=f"Idé om parken {n}", theme=theme, challenge=challenge)
            idea.tags.add(f"tag{n % 7}")
        get_database_backend().rebuild()
        for _warm_up in range(2):  # the layout's cached site and menus
            client.get(reverse("search:search"), {"q": "parken"})
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("search:search"), {"q": "parken"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert "31 treff" in response.content.decode()  # 30 ideas and their challenge
    assert counts[0] == counts[1]


def test_cached_results_follow_every_change_to_the_index(
    client, indexed, django_capture_on_commit_callbacks
):
    """Anonymous result pages are cached until the index changes, and no longer."""
    from ideas.models import IdeaStatus
    from search.indexing import schedule_reindex

    url = reverse("search:search")
    idea = indexed["ideas"][1]
    assert "Gatelys ved" in client.get(url, {"q": "skolen"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        idea.status = IdeaStatus.WITHDRAWN  # gone from public view: the task removes it
        idea.save()
        schedule_reindex(idea)
    assert "Gatelys ved" not in client.get(url, {"q": "skolen"}).content.decode()

    newcomer = IdeaFactory(title="Refleksvester til skolen", summary="Synlig i mørket.")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_reindex(newcomer)
    assert "Refleksvester til" in client.get(url, {"q": "skolen"}).content.decode()


def test_logged_in_searches_share_the_results_and_keep_their_own_layout(
    client, indexed, citizen, django_assert_max_num_queries
):
    """The results part is rendered once for everyone; what is personal (the account
    menu and its log-out form) is the layout's, filled in for each person."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    url = reverse("search:search")
    client.force_login(citizen)  # (saves last_login, before the results are cached)
    client.get(url, {"q": "other"})  # the layout's own caches
    anonymous = Client().get(url, {"q": "skolen"}).content.decode()
    assert "Log out" not in anonymous and "Logg ut" not in anonymous
    with (
        django_assert_max_num_queries(3),
        CaptureQueriesContext(connection) as queries,
    ):
        mine = client.get(url, {"q": "skolen"}).content.decode()
    # No search ran: the results came from what the anonymous visit left.
    assert not [q for q in queries.captured_queries if "portal_search" in q["sql"]]
    assert "Trygg skolevei" in mine and "Logg ut" in mine


def test_a_logged_in_person_sees_every_change_to_the_index_at_once(
    client, indexed, citizen, django_capture_on_commit_callbacks
):
    from ideas.models import IdeaStatus
    from search.indexing import schedule_reindex

    client.force_login(citizen)
    url = reverse("search:search")
    idea = indexed["ideas"][1]
    assert "Gatelys ved" in client.get(url, {"q": "skolen"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        idea.status = IdeaStatus.WITHDRAWN
        idea.save()
        schedule_reindex(idea)
    assert "Gatelys ved" not in client.get(url, {"q": "skolen"}).content.decode()
    newcomer = IdeaFactory(title="Refleksvester til skolen", summary="Synlig i mørket.")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_reindex(newcomer)
    assert "Refleksvester til" in client.get(url, {"q": "skolen"}).content.decode()


def test_logged_in_visitors_get_the_same_results(client, indexed, citizen):
    url = reverse("search:search")
    anonymous = client.get(url, {"q": "skolen"}).content.decode()
    client.force_login(citizen)
    mine = client.get(url, {"q": "skolen"}).content.decode()
    assert "Trygg skolevei" in anonymous and "Trygg skolevei" in mine
