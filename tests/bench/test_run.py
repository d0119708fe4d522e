"""The harness's choices of what wrk sends in each mode, and how it reads wrk's answer.
wrk itself is a stand-in script here: nothing is measured."""

import json
import stat
from argparse import Namespace

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
    size = run.Size(10, {}, str(tmp_path), 0.0, {}, [], writer=None)
    args = Namespace(connections=4, threads=2)
    answer = run.measure_once("/nonexistent/wrk", size, GET, "mixed", 1, args)
    assert answer["requests"] == 0 and "no writer" in answer["error"]
