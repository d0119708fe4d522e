"""The harness's choices of what wrk sends in each mode, and how it reads wrk's answer.
wrk itself is a stand-in script here: nothing is measured."""

import json
import stat
from argparse import Namespace
from pathlib import Path

import pytest

from bench import run

GET = {
    "name": "idea_detail",
    "method": "GET",
    "path": "/ideas/2026-00001/",
    "requests_file": "",
    "logged_in_requests_file": "/tmp/idea_detail-logged-in.requests",
}
UNCACHED = {**GET, "name": "search_rare", "requests_file": "/tmp/search_rare.requests"}
POST = {"name": "vote", "method": "POST", "path": "/x/vote/", "requests_file": "/tmp/vote"}


def test_each_mode_sends_its_own_requests():
    # Anonymous and mixed readers send no cookie: wrk's own GET, or the uncached URLs.
    assert run.requests_file(GET, "anonymous") == run.requests_file(GET, "mixed") == ""
    assert run.requests_file(UNCACHED, "mixed") == "/tmp/search_rare.requests"
    # Logged in: the file whose lines carry the citizens' cookies.
    assert run.requests_file(GET, "logged_in") == "/tmp/idea_detail-logged-in.requests"
    # A POST is logged in already: its own file, whatever the mode.
    assert run.requests_file(POST, "logged_in") == "/tmp/vote"


def test_get_pages_are_read_in_the_modes_asked_for_and_posts_logged_in():
    assert run.page_modes(GET, list(run.MODES)) == ["anonymous", "logged_in", "mixed"]
    assert run.page_modes(GET, ["mixed", "anonymous"]) == ["anonymous", "mixed"]
    assert run.page_modes(POST, ["anonymous"]) == ["logged_in"]


def test_wrk_answer_is_read_from_its_json_line_and_the_mode_picks_the_file(tmp_path):
    figures = {"requests": 900, "duration_us": 10_000_000, "p50_us": 8000, "p95_us": 15000}
    fake = tmp_path / "wrk"
    fake.write_text(
        "#!/bin/sh\n"
        'echo "Running 10s test @ $7"\n'
        f"echo 'BENCH_JSON {json.dumps(figures)}'\n"
        'echo "requests file: $BENCH_REQUESTS"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    assert run.run_wrk(str(fake), 8765, GET, 1, 4, 2, "logged_in") == figures

    broken = tmp_path / "broken-wrk"
    broken.write_text("#!/bin/sh\necho 'unable to connect' >&2\nexit 1\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    answer = run.run_wrk(str(broken), 8765, GET, 1, 4, 2)
    assert answer["requests"] == 0 and "unable to connect" in answer["error"]


def test_a_mixed_run_without_a_writer_is_reported_not_measured_as_reads_alone(tmp_path):
    size = run.DataSet(10, 1, {}, str(tmp_path), 0.0, {}, [], writer=None)
    args = Namespace(connections=4, threads=2)
    answer = run.measure_once("/nonexistent/wrk", size, GET, "mixed", 1, args)
    assert answer["requests"] == 0 and "no writer" in answer["error"]


def test_municipality_counts_pair_with_the_sizes_or_one_applies_to_every_size():
    args = run.parse_args(["--sizes", "5000", "100000", "--municipalities", "1", "20"])
    assert args.data_sets == [(5000, 1), (100_000, 20)]
    # The same size twice, alone and in a region: two data sets.
    args = run.parse_args(["--sizes", "2000", "2000", "--municipalities", "1", "20"])
    assert args.data_sets == [(2000, 1), (2000, 20)]
    args = run.parse_args(["--sizes", "2000", "10000", "--municipalities", "20"])
    assert args.data_sets == [(2000, 20), (10_000, 20)]
    assert run.parse_args(["--sizes", "2000"]).data_sets == [(2000, 1)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--sizes", "2000", "10000", "--municipalities", "1", "5", "20"], "one per size"),
        (["--sizes", "2000", "2000"], "the same size with the same --municipalities twice"),
        (["--sizes", "2000", "--municipalities", "21"], "1 to 20"),
    ],
)
def test_municipality_counts_that_do_not_pair_are_refused_with_a_reason(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        run.parse_args(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_the_harness_allows_as_many_municipalities_as_the_generator():
    from bench.generator import MAX_MUNICIPALITIES

    assert run.MAX_MUNICIPALITIES == MAX_MUNICIPALITIES


def test_each_data_set_has_its_own_database_caches_and_names():
    alone = run.DataSet(2000, 1, {}, "", 0.0, {}, [])
    region = run.DataSet(2000, 20, {}, "", 0.0, {}, [])
    assert (alone.key, region.key) == ("2000", "2000-region20")
    assert (alone.label, region.label) == ("2 000 ideas", "2 000 ideas, a region of 20")
    assert run.database_name(2000, 1) == "bench_2000"
    assert run.database_name(2000, 20) == "bench_2000_region20"
    env_alone = run.django_env("postgres://x", Path("/tmp/static"), alone.key)
    env_region = run.django_env("postgres://x", Path("/tmp/static"), region.key)
    assert env_alone["CACHE_LOCATION"] == "/tmp/static-cache-2000"
    assert env_region["CACHE_LOCATION"] == "/tmp/static-cache-2000-region20"
    assert env_alone["SESSION_CACHE_LOCATION"] != env_region["SESSION_CACHE_LOCATION"]


def test_a_page_is_measured_in_every_data_set_where_it_was_found():
    def page(name: str, error: str = "", method: str = "GET") -> dict:
        return {"name": name, "method": method, "error": error, "runs": {}}

    unavailable = "no municipality home pages: a region only (--municipalities)"
    alone = run.DataSet(
        2000,
        1,
        {},
        "",
        0.0,
        {},
        [page("floor"), page("municipality_home", unavailable), page("vote", method="POST")],
    )
    region = run.DataSet(
        2000,
        20,
        {},
        "",
        0.0,
        {},
        [page("floor"), page("municipality_home"), page("vote", "HTTP 500", method="POST")],
    )
    gets = run.turns([alone, region], "GET")
    assert [(name, [s.key for s, _page in pairs]) for name, pairs in gets] == [
        ("floor", ["2000", "2000-region20"]),
        # A region's page is measured in the region, not dropped for the one alone.
        ("municipality_home", ["2000-region20"]),
    ]
    posts = run.turns([alone, region], "POST")
    assert [(name, [s.key for s, _page in pairs]) for name, pairs in posts] == [("vote", ["2000"])]
