"""The harness's preparation step: pages found, queries counted, logged-in POSTs usable."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client, override_settings

from bench.pages import PAGES, REGION_ONLY, UNCACHED, WRITER_IDEAS, WRITER_USERS, prepare
from challenges.models import ChallengePage
from ideas.models import Idea, Vote
from portal.models import Municipality, User
from search.backends.base import PAGE_SIZE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


@pytest.fixture
def prepared(tmp_path):
    call_command("generate_bench_data", "--ideas", "200", "--skip-index", verbosity=0)
    return prepare(str(tmp_path))


def _lines(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if line.strip()]


def test_every_page_is_a_target_and_the_vote_check_has_its_own_users_and_ideas(prepared):
    # Every page a single municipality's site has (a region's own, in regions only).
    assert [target.name for target in prepared.targets] == [
        name for name, _label in PAGES if name not in REGION_ONLY
    ]
    floor = prepared.targets[0]
    assert floor.path == "/bench/floor/"
    assert floor.http_status == 200 and not floor.error
    assert floor.queries is not None
    assert floor.queries_cold is not None and floor.queries_cold >= floor.queries
    assert floor.cold_ms is not None and floor.cold_ms > 0
    # A page without a URL yet is reported with a reason, never raised.
    assert all(target.path or target.error for target in prepared.targets)

    vote = next(target for target in prepared.targets if target.name == "vote")
    lines = _lines(vote.requests_file)
    load_paths = {line[1] for line in lines}
    load_cookies = {line[3] for line in lines}
    assert len(lines) == 50 * len(load_paths)  # every (user, idea) pair once
    assert len(load_cookies) == 50
    assert len(prepared.vote_check_sessions) == 50
    check_paths = set(prepared.vote_check_paths)
    assert len(check_paths) == len(load_paths) > 0
    assert not load_paths & check_paths
    check_cookies = {f"Cookie: {session.cookie}" for session in prepared.vote_check_sessions}
    assert not load_cookies & check_cookies

    # The mixed runs' writer: citizens and ideas of its own, none of them its own ideas.
    writer_cookies = {f"Cookie: {session.cookie}" for session in prepared.writer_sessions}
    writer_paths = set(prepared.writer_paths)
    assert len(writer_cookies) == WRITER_USERS and len(writer_paths) == WRITER_IDEAS
    assert not writer_cookies & (load_cookies | check_cookies)
    assert not writer_paths & (load_paths | check_paths)
    references = [path.strip("/").split("/")[-2] for path in writer_paths]
    authors = set(Idea.objects.filter(reference__in=references).values_list("author", flat=True))
    writer_emails = {cookie_user(session.cookie).email for session in prepared.writer_sessions}
    assert not authors & set(
        User.objects.filter(email__in=writer_emails).values_list("pk", flat=True)
    )


def cookie_user(cookie: str) -> User:
    """The user whose session the Cookie header carries."""
    client = Client()
    for pair in cookie.split("; "):
        name, value = pair.split("=", 1)
        client.cookies[name] = value
    return client.get("/bench/floor/").wsgi_request.user


def test_every_get_page_is_also_read_by_logged_in_citizens(prepared):
    """Each line of a page's logged-in file carries a citizen's session, which the
    server takes as that citizen; their queries are counted, warm and cold."""
    vote = next(target for target in prepared.targets if target.name == "vote")
    load_cookies = {line[3] for line in _lines(vote.requests_file)}
    for target in prepared.targets:
        if target.method != "GET" or target.error:
            assert not target.logged_in_requests_file, target.name
            continue
        assert target.queries_logged_in is not None, target.name
        assert target.queries_logged_in_cold >= target.queries_logged_in
        lines = _lines(target.logged_in_requests_file)
        assert {line[0] for line in lines} == {"GET"}
        assert {line[3] for line in lines} == load_cookies  # the 50 citizens take turns
        assert all(len(line) == 4 for line in lines)  # no CSRF header on a read
        if target.name in UNCACHED:
            assert len({line[1] for line in lines}) == len(lines)
        else:
            assert {line[1] for line in lines} == {target.path}
    floor = prepared.targets[0]
    first = _lines(floor.logged_in_requests_file)[0]
    citizen = cookie_user(first[3].removeprefix("Cookie: "))
    assert citizen.is_authenticated and citizen.email.startswith("person")


@override_settings(PORTAL_RATE_LIMITS={"vote": {"user": (10_000, 60), "ip": (10_000, 60)}})
def test_vote_lines_carry_a_session_and_csrf_token_that_the_server_accepts(prepared):
    vote = next(target for target in prepared.targets if target.name == "vote")
    assert vote.method == "POST" and not vote.error
    method, path, body, *headers = _lines(vote.requests_file)[0]
    headers = dict(header.split(": ", 1) for header in headers)
    assert method == "POST" and body == ""

    # A client that enforces CSRF, with only what the line carries: the vote counts.
    client = Client(enforce_csrf_checks=True)
    for pair in headers["Cookie"].split("; "):
        name, value = pair.split("=", 1)
        client.cookies[name] = value
    reference = path.strip("/").split("/")[-2]
    idea = Idea.objects.get(reference=reference)
    before = Vote.objects.filter(idea=idea).count()
    response = client.post(path, HTTP_X_CSRFTOKEN=headers["X-CSRFToken"], HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Vote.objects.filter(idea=idea).count() == before + 1

    # Without the token the same request is refused: the token is what makes it pass.
    client.cookies.pop("csrftoken")
    assert client.post(path, HTTP_HX_REQUEST="true").status_code == 403


def test_search_and_hint_lines_ask_for_a_new_url_every_time(tmp_path):
    """Never served from the page cache: what they measure is the search itself."""
    from bench.pages import UNCACHED, UNCACHED_URLS

    call_command("generate_bench_data", "--ideas", "200", verbosity=0)  # with the index
    prepared = prepare(str(tmp_path))
    targets = {target.name: target for target in prepared.targets}
    assert "did you mean 'biblioteket'" in targets["did_you_mean"].note
    for name in UNCACHED:
        target = targets[name]
        assert target.http_status == 200 and not target.error, name
        lines = _lines(target.requests_file)
        assert len({line[1] for line in lines}) == len(lines) == UNCACHED_URLS
        assert all(line[0] == "GET" for line in lines)
        assert Client().get(lines[7][1]).status_code == 200
    assert targets["search_rare"].path != targets["search_common"].path
    # The rare word fills the first page, at every size alike.
    rare = int(targets["search_rare"].note.split()[0])
    assert PAGE_SIZE <= rare < int(targets["search_common"].note.split()[0])


def test_a_regions_municipality_pages_are_measured(tmp_path):
    """In a region the municipality's home page and idea list are targets that answer
    200; a single municipality's site has no such pages, so they are not in its table."""
    call_command(
        "generate_bench_data",
        "--ideas",
        "200",
        "--municipalities",
        "3",
        "--skip-index",
        verbosity=0,
    )
    # The municipality with the most ideas, as generated (the POSTs below add some).
    busiest = Municipality.objects.annotate(n=Count("ideas")).order_by("-n", "pk").first()
    public = Idea.objects.public().filter(municipality=busiest).count()
    prepared = prepare(str(tmp_path))
    targets = {target.name: target for target in prepared.targets}
    home, ideas = targets["municipality_home"], targets["municipality_ideas"]
    assert home.http_status == 200 and not home.error
    assert ideas.http_status == 200 and ideas.path == home.path + "ideer/"
    assert home.queries is not None and ideas.queries is not None

    # The municipality measured is the one with the most ideas, and its own count is
    # reported; the challenge and idea pages are its own, as they would be alone.
    assert prepared.municipality == {
        "name": busiest.name,
        "slug": busiest.slug,
        "ideas": busiest.n,
        "public_ideas": public,
        "region": True,
    }
    assert 0 < busiest.n < 200
    assert home.path == f"/{busiest.slug}/"
    challenge = ChallengePage.objects.get(url_path__endswith=targets["challenge"].path)
    assert challenge.owning_unit.municipality == busiest
    assert targets["challenge"].path.startswith(home.path)
    reference = targets["idea_detail"].path.rstrip("/").rsplit("/", 1)[-1]
    idea = Idea.objects.get(reference=reference)
    assert idea.municipality == busiest
    # Like for like at every size: the idea page shows a challenge it answers.
    assert idea.challenge is not None and "answering a challenge" in targets["idea_detail"].note
    # A free idea names its municipality in a region: the submit form takes it.
    assert targets["submit"].http_status == 302 and not targets["submit"].error


def test_a_single_municipality_has_no_municipality_pages(prepared):
    # Not failed pages in its table (its budget would read "FAIL"): not there at all.
    names = {target.name for target in prepared.targets}
    assert "municipality_home" not in names and "municipality_ideas" not in names
    assert {"home", "ideas_list", "challenge", "idea_detail"} <= names
    # Its pages are Fjordvik's, with every generated idea.
    assert prepared.municipality is not None
    assert prepared.municipality["slug"] == "fjordvik"
    assert prepared.municipality["ideas"] == 200 and not prepared.municipality["region"]
