"""The pages the benchmark measures, how to find their URLs in a bench database, and
the logged-in requests (session cookie and CSRF token): for the POSTs, for every GET
page read by a logged-in citizen, and for the writer of the mixed runs.

Runs inside Django (the `bench_prepare` command), against the same database the
server uses. A page whose URL cannot be found yet is reported, not fatal.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Count
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.generator import BENCH_INDEX_SLUG, bench_users
from challenges.models import ChallengeIndexPage, ChallengePage
from ideas.models import VOTING_STATUSES, Idea, IdeaTag
from portal.models import User
from search.backends import get_database_backend
from search.backends.base import PAGE_SIZE

# The rare word: chosen among this many least used tags (see `_search_rare`).
RARE_CANDIDATES = 50
SEARCH_QUERY = "eldre"  # a common word: many hits, as a real search for it would have
MISSPELT_QUERY = "bibliotekk"  # no hits: the page offers "biblioteket" instead
SIMILAR_TITLE = "Benchmark-idé nummer {n} om møteplass for eldre"  # as typed when submitting
# Pages asked for at a different URL every time (a parameter the page ignores), so
# no request is served from the page cache: the figures are the search's own work.
UNCACHED = {"search_common", "search_rare", "did_you_mean", "similar"}
UNCACHED_URLS = 20_000
LOGGED_IN_USERS = 50
VOTE_IDEAS = 200
# The mixed runs' writer: a few citizens of its own voting on ideas of its own, so
# neither the load's nor the vote check's users and ideas are touched by it.
WRITER_USERS = 5
WRITER_IDEAS = 10

PAGES: list[tuple[str, str]] = [
    ("floor", "Floor (base template only)"),
    ("home", "Home"),
    ("challenge_index", "Challenge index"),
    ("municipality_home", "A municipality's home page (region)"),
    ("municipality_ideas", "A municipality's idea list (region)"),
    ("challenge", "Challenge page"),
    ("ideas_list", "Idea list"),
    ("ideas_list_tag", "Idea list, filtered by tag"),
    ("ideas_list_supported", "Idea list, most supported"),
    ("idea_detail", "Idea detail"),
    ("search", "Search (embedded)"),
    ("search_common", "Search, common word, uncached"),
    ("search_rare", "Search, rare word, uncached"),
    ("did_you_mean", "Search, misspelt: did you mean, uncached"),
    ("similar", "Similar-ideas hint (submit form)"),
    ("vote", "Vote (POST, logged in)"),
    ("submit", "Submit idea (POST, logged in)"),
]
POST_PAGES = {"vote", "submit"}


class PageUnavailable(Exception):
    """The page cannot be measured in this database (yet); the message says why."""


@dataclass
class Target:
    name: str
    label: str
    method: str = "GET"
    path: str = ""
    http_status: int | None = None
    queries: int | None = None  # with warm caches, as most visitors find them
    queries_cold: int | None = None  # right after every cache was emptied
    cold_ms: float | None = None  # that cold request's time, in process (not under load)
    # The same, for a logged-in citizen (GET pages only; POSTs are logged in anyway).
    queries_logged_in: int | None = None
    queries_logged_in_cold: int | None = None
    cold_ms_logged_in: float | None = None
    requests_file: str = ""  # tab-separated request lines (see wrk.lua), or wrk's own GET
    logged_in_requests_file: str = ""  # the GET with a citizen's session cookie per line
    error: str = ""
    note: str = ""


@dataclass
class Session:
    cookie: str  # the whole Cookie header: session id and CSRF secret
    csrf_token: str


@dataclass
class Prepared:
    targets: list[Target]
    vote_check_sessions: list[Session] = field(default_factory=list)
    vote_check_paths: list[str] = field(default_factory=list)
    writer_sessions: list[Session] = field(default_factory=list)
    writer_paths: list[str] = field(default_factory=list)
    # The municipality whose pages are measured (see measured_municipality).
    municipality: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _reverse(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch as error:
        raise PageUnavailable(f"no URL named {name!r}") from error


def _public_ideas():
    return Idea.objects.public().filter(author__email__in=bench_users().values("email"))


def _challenge_index() -> str:
    index = ChallengeIndexPage.objects.live().filter(slug=BENCH_INDEX_SLUG).first()
    if index is None:
        raise PageUnavailable("no bench challenge index; run generate_bench_data")
    return index.url


def _busiest_home_or_none():
    """The home page of the region's municipality with the most ideas (None: not a region)."""
    from cms.models import MunicipalityHomePage

    return (
        MunicipalityHomePage.objects.live()
        .annotate(n=Count("municipality__ideas"))
        .order_by("-n", "pk")
        .first()
    )


# Pages only a region has (a municipality's own home page and idea list).
REGION_ONLY = frozenset({"municipality_home", "municipality_ideas"})


def _busiest_home():
    home = _busiest_home_or_none()
    if home is None:
        raise PageUnavailable("no municipality home pages: a region only (--municipalities)")
    return home


def measured_municipality() -> dict | None:
    """The municipality whose pages are measured: in a region, the one with the most
    ideas (its home page, idea list, challenge and idea pages); on a single-municipality
    site, the one that has the ideas (Fjordvik). Its own idea count sets it beside a
    single municipality of about that size."""
    from portal.models import Municipality

    home = _busiest_home_or_none()
    if home is not None:
        municipality = home.municipality
    else:
        municipality = Municipality.objects.annotate(n=Count("ideas")).order_by("-n", "pk").first()
    if municipality is None:
        return None
    ideas = Idea.objects.filter(municipality=municipality)
    return {
        "name": municipality.name,
        "slug": municipality.slug,
        "ideas": ideas.count(),
        "public_ideas": ideas.public().count(),
        "region": home is not None,
    }


def _municipality_home() -> tuple[str, str]:
    home = _busiest_home()
    return home.url, f"{home.title}, the municipality with the most ideas ({home.n})"


def _municipality_ideas() -> tuple[str, str]:
    home = _busiest_home()
    return home.url + home.reverse_subpage("ideas"), f"{home.title}'s ideas ({home.n})"


def _challenge() -> tuple[str, str]:
    pages = ChallengePage.objects.live()
    # In a region, a page of the measured municipality (the one with the most ideas),
    # so that it stands beside the same page of a municipality alone.
    home = _busiest_home_or_none()
    if home is not None:
        pages = pages.filter(owning_unit__municipality=home.municipality_id)
    page = pages.annotate(idea_count=Count("ideas")).order_by("-idea_count", "pk").first()
    if page is None:
        raise PageUnavailable("no live challenge")
    where = f" of {home.title}" if home is not None else ""
    return page.url, f"the challenge{where} with the most ideas ({page.idea_count})"


def _idea_detail() -> tuple[str, str]:
    ideas = _public_ideas()
    home = _busiest_home_or_none()
    if home is not None:  # in a region, an idea of the measured municipality
        ideas = ideas.filter(municipality=home.municipality_id)
    # One answering a challenge at every size: its page shows the challenge too (two
    # more cold queries than a free idea's), and each size must show the same parts
    # for its cold queries to be compared.
    idea = (
        ideas.filter(challenge__isnull=False)
        .order_by("-comment_count", "-support_count", "pk")
        .first()
    )
    if idea is None:
        raise PageUnavailable("no public idea answering a challenge")
    path = _reverse("ideas:detail", reference=idea.reference)
    where = f" of {home.title}" if home is not None else ""
    note = (
        f"the public idea{where} answering a challenge with the most comments "
        f"({idea.comment_count} comments, {idea.support_count} supporters)"
    )
    return path, note


def _list_by_tag() -> tuple[str, str]:
    tag = IdeaTag.objects.annotate(n=Count("tagged_ideas")).order_by("-n", "pk").first()
    if tag is None:
        raise PageUnavailable("no tags")
    return (
        _reverse("ideas:list") + "?" + urlencode({"tag": tag.slug}),
        f"the most used tag, {tag.slug!r} ({tag.n} ideas)",
    )


def _search(query: str) -> str:
    return _reverse("search:search") + "?" + urlencode({"q": query})


def _search_common() -> tuple[str, str]:
    from search.models import IndexEntry

    total = IndexEntry.objects.count()
    found = get_database_backend().search(SEARCH_QUERY).total
    return _search(SEARCH_QUERY), f"{found} of {total} documents match {SEARCH_QUERY!r}"


def _search_rare() -> tuple[str, str]:
    """The one-word tag with the fewest matches that still fill the first page.

    A full page at every size, so that the sizes compare the search, not how many
    results each shows (the least used tag had 4 public matches at 10 000 ideas and 26
    at 100 000: the growth was the six more results drawn). Matches, not uses of the
    tag: some tags are words the texts use too ("sentrum": 10 ideas, 867 matches)."""
    tags = (
        IdeaTag.objects.exclude(name__contains="-")
        .annotate(n=Count("tagged_ideas"))
        .filter(n__gte=PAGE_SIZE)
        .order_by("n", "pk")
    )
    backend = get_database_backend()
    found = [(backend.search(tag.name).total, tag.name) for tag in tags[:RARE_CANDIDATES]]
    full = [(total, n, name) for n, (total, name) in enumerate(found) if total >= PAGE_SIZE]
    if not full:
        raise PageUnavailable("no tag on a page of public ideas")
    total, _, name = min(full)
    return _search(name), f"{total} documents match {name!r}"


def _did_you_mean() -> tuple[str, str]:
    offered = get_database_backend().search(MISSPELT_QUERY).did_you_mean
    return _search(MISSPELT_QUERY), f"{MISSPELT_QUERY!r}: did you mean {offered!r}"


def _similar() -> tuple[str, str]:
    path = _reverse("ideas:similar") + "?" + urlencode({"title": SIMILAR_TITLE.format(n=0)})
    return path, "what the submit form asks while a title is typed (a new title each time)"


def _uncached_paths(name: str, path: str) -> list[str]:
    """`path` made different for every request: a fresh title for the similar-ideas hint,
    an ignored parameter for search (its cache key is the whole query string)."""
    if name == "similar":
        base = _reverse("ideas:similar")
        return [
            base + "?" + urlencode({"title": SIMILAR_TITLE.format(n=n)})
            for n in range(1, UNCACHED_URLS + 1)
        ]
    return [f"{path}&bench={n}" for n in range(1, UNCACHED_URLS + 1)]


GETS: dict[str, Callable[[], str | tuple[str, str]]] = {
    "floor": lambda: _reverse("bench-floor"),
    "home": lambda: "/",
    "challenge_index": _challenge_index,
    "municipality_home": _municipality_home,
    "municipality_ideas": _municipality_ideas,
    "challenge": _challenge,
    "ideas_list": lambda: _reverse("ideas:list"),
    "ideas_list_tag": _list_by_tag,
    "ideas_list_supported": lambda: _reverse("ideas:list") + "?sort=supported",
    "idea_detail": _idea_detail,
    "search": lambda: _search(SEARCH_QUERY),
    "search_common": _search_common,
    "search_rare": _search_rare,
    "did_you_mean": _did_you_mean,
    "similar": _similar,
}


def login_sessions(users: list[User]) -> list[Session]:
    """A server-side session and a CSRF secret per user, usable by any HTTP client."""
    sessions = []
    for user in users:
        client = Client()
        client.force_login(user)
        session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
        secret = _get_new_csrf_string()
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session_id}; {settings.CSRF_COOKIE_NAME}={secret}"
        )
        sessions.append(Session(cookie=cookie, csrf_token=secret))
    return sessions


def _request_line(method: str, path: str, session: Session, body: str, *headers: str) -> str:
    fields = [method, path, body, f"Cookie: {session.cookie}"]
    if method != "GET":  # a browser sends the token with what it posts, not with reads
        fields.append(f"X-CSRFToken: {session.csrf_token}")
    return "\t".join([*fields, *headers])


def _submit_body(number: int, municipality: str = "") -> dict[str, str]:
    return {
        # In a region a free idea names its municipality (the form asks for it there and
        # has no such field on a single municipality's site).
        "municipality": municipality,
        "title": f"Benchmark-idé nummer {number} om møteplass for eldre",
        "summary": "En møteplass på biblioteket der eldre og unge kan møtes hver uke.",
        "description": "Mange eldre bor alene. Biblioteket har plass og åpne dører.\n\n"
        "Vi foreslår en prøveordning i ett år.",
        "kind": "idea",
        "challenge": "",
        "organisation": "",
        "theme": "",
        "tags": "eldre, bibliotek",
        "location": "Biblioteket",
        "website": "",  # the honeypot stays empty
    }


def _clear_caches() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


def _measure_queries(
    client: Client, method: str, path: str, warm_path: str = "", **extra
) -> tuple[int, int, float, int]:
    """Status and queries of the page, first with every cache empty, then warm.

    The warm count is what nearly every visitor costs; the cold one is the price of
    the first visitor after a change (caches are invalidated by every write), so both
    are reported and both are held to the budget. `warm_path` (default `path`) is the
    second request's URL: another URL for pages measured uncached.
    """
    send = client.post if method == "POST" else client.get
    _clear_caches()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as cold:
        send(path, **extra)
    cold_ms = round((time.perf_counter() - started) * 1000, 1)
    with CaptureQueriesContext(connection) as warm:
        response = send(warm_path or path, **extra)
    return len(warm), len(cold), cold_ms, response.status_code


def _count_queries(
    target: Target, client: Client, method: str, path: str, warm_path: str = "", **extra
) -> None:
    """`_measure_queries` into the target's anonymous (or POST) figures."""
    warm, cold, cold_ms, status = _measure_queries(client, method, path, warm_path, **extra)
    target.queries, target.queries_cold, target.cold_ms = warm, cold, cold_ms
    target.http_status = status


def _prepare_logged_in_get(
    target: Target, paths: list[str], user: User, sessions: list[Session], out_dir: str
) -> None:
    """The GET page as a logged-in citizen sees it: its queries (cold and warm, with the
    first load user) and a request file where each line carries one citizen's cookie,
    the citizens taking turns (a different URL on each line if the page is measured
    uncached)."""
    warm, cold, cold_ms, status = _measure_queries(
        _logged_in_client(user), "GET", paths[0], paths[1] if len(paths) > 1 else ""
    )
    target.queries_logged_in, target.queries_logged_in_cold = warm, cold
    target.cold_ms_logged_in = cold_ms
    if status >= 400:
        target.error = target.error or f"HTTP {status} logged in"
    target.logged_in_requests_file = _write(
        out_dir, f"{target.name}-logged-in", logged_in_get_lines(paths, sessions)
    )


def logged_in_get_lines(paths: list[str], sessions: list[Session]) -> list[str]:
    """Request lines (see wrk.lua) for GETs of `paths` by `sessions`, taking turns.

    One path: a line per session. Several (a page measured uncached): a line per path,
    the sessions taking turns.
    """
    if not sessions:
        return []
    if len(paths) == 1:
        return [_request_line("GET", paths[0], session, "") for session in sessions]
    return [
        _request_line("GET", path, sessions[n % len(sessions)], "") for n, path in enumerate(paths)
    ]


def prepare(out_dir: str, seed: int = 7) -> Prepared:
    """Find every page's URL, count its queries, write the POST request files."""
    rnd = random.Random(seed)
    targets = []
    people = list(
        bench_users()
        .filter(email__startswith="person", organisations__isnull=True)
        .order_by("pk")[: 2 * LOGGED_IN_USERS + WRITER_USERS]
    )
    load_users = people[:LOGGED_IN_USERS]
    check_users = people[LOGGED_IN_USERS : 2 * LOGGED_IN_USERS]
    writer_users = people[2 * LOGGED_IN_USERS :]
    ideas = list(
        _public_ideas()
        .filter(status__in=VOTING_STATUSES)
        .order_by("pk")
        .values_list("reference", "author_id")
    )
    rnd.shuffle(ideas)
    # The writer's ideas first (none of its citizens wrote them: a vote on one's own
    # idea is refused, not written), then separate ideas for the load and for the
    # check (halves of what is left, if that is little).
    writer_ids = {user.pk for user in writer_users}
    writer_ideas = [ref for ref, author in ideas if author not in writer_ids][:WRITER_IDEAS]
    taken = set(writer_ideas)
    votable = [ref for ref, _author in ideas if ref not in taken]
    share = min(VOTE_IDEAS, len(votable) // 2)
    load_ideas, check_ideas = votable[:share], votable[share : 2 * share]
    load_sessions = login_sessions(load_users)
    # Before the POSTs below add their ideas: the generated data's own count.
    municipality = measured_municipality()

    in_a_region = _busiest_home_or_none() is not None
    for name, label in PAGES:
        if name in REGION_ONLY and not in_a_region:
            continue  # not a page of a single municipality's site: not in its table
        target = Target(name=name, label=label)
        targets.append(target)
        try:
            if name in GETS:
                found = GETS[name]()
                target.path, target.note = found if isinstance(found, tuple) else (found, "")
                client = Client(raise_request_exception=False)
                client.get(target.path)  # one-off work (e.g. creating settings rows) first
                if name in UNCACHED:
                    paths = _uncached_paths(name, target.path)
                    _count_queries(target, client, "GET", paths[0], warm_path=paths[1])
                    target.requests_file = _write(
                        out_dir, name, [f"GET\t{path}\t" for path in paths]
                    )
                else:
                    paths = [target.path]
                    _count_queries(target, client, "GET", target.path)
                if load_users:
                    _prepare_logged_in_get(target, paths, load_users[0], load_sessions, out_dir)
            elif name == "vote":
                _prepare_vote(target, load_users, load_sessions, load_ideas, out_dir, rnd)
            elif name == "submit":
                _prepare_submit(target, load_users, load_sessions, out_dir)
        except PageUnavailable as error:
            target.error = str(error)
        if target.http_status is not None and target.http_status >= 400:
            target.error = target.error or f"HTTP {target.http_status}"

    prepared = Prepared(targets=targets, municipality=municipality)
    if check_users and check_ideas:
        prepared.vote_check_sessions = login_sessions(check_users)
        try:
            prepared.vote_check_paths = [
                _reverse("ideas:vote", reference=reference) for reference in check_ideas
            ]
        except PageUnavailable:
            prepared.vote_check_paths = []
    if writer_users and writer_ideas:
        prepared.writer_sessions = login_sessions(writer_users)
        try:
            prepared.writer_paths = [
                _reverse("ideas:vote", reference=reference) for reference in writer_ideas
            ]
        except PageUnavailable:
            prepared.writer_paths = []
    return prepared


def _logged_in_client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _prepare_vote(
    target: Target,
    users: list[User],
    sessions: list[Session],
    ideas: list[str],
    out_dir: str,
    rnd: random.Random,
) -> None:
    target.method = "POST"
    if not users or not ideas:
        raise PageUnavailable("no bench users or no ideas open for votes")
    paths = [_reverse("ideas:vote", reference=reference) for reference in ideas]
    target.path = paths[0]
    target.note = (
        f"htmx toggle by {len(users)} users on {len(paths)} ideas, each request "
        "a different (user, idea) pair"
    )
    # Counted twice on the same idea (cold, then warm): the vote ends as it began.
    _count_queries(target, _logged_in_client(users[0]), "POST", paths[0], HTTP_HX_REQUEST="true")
    pairs = [(session, path) for session in sessions for path in paths]
    rnd.shuffle(pairs)
    lines = [
        _request_line("POST", path, session, "", "HX-Request: true") for session, path in pairs
    ]
    target.requests_file = _write(out_dir, "vote", lines)


def _prepare_submit(
    target: Target, users: list[User], sessions: list[Session], out_dir: str
) -> None:
    target.method = "POST"
    if not users:
        raise PageUnavailable("no bench users")
    target.path = _reverse("ideas:submit")
    home = _busiest_home_or_none()
    municipality = str(home.municipality_id) if home is not None else ""
    client = _logged_in_client(users[0])
    _count_queries(target, client, "POST", target.path, data=_submit_body(0, municipality))
    if target.http_status == 200:
        # A form shown again is a rejected form: the benchmark would measure errors.
        target.error = "the form was rejected (HTTP 200 with the form, not a redirect)"
    target.note = f"a free idea with two tags, by {len(users)} users; a redirect is success"
    lines = []
    for number, session in enumerate(sessions, start=1):
        body = urlencode(
            {**_submit_body(number, municipality), "csrfmiddlewaretoken": session.csrf_token}
        )
        lines.append(
            _request_line(
                "POST",
                target.path,
                session,
                body,
                "Content-Type: application/x-www-form-urlencoded",
            )
        )
    target.requests_file = _write(out_dir, "submit", lines)


def _write(out_dir: str, name: str, lines: list[str]) -> str:
    path = f"{out_dir}/{name}.requests"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path
