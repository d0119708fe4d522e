"""The report builder on a tiny synthetic run: a table and JSON with every page."""

import datetime
import json

from bench import report
from bench.pages import PAGES

DATE = datetime.date(2026, 11, 23)


def run(p50_ms: float, rps: float, *, status_errors: int = 0) -> dict:
    seconds = 10
    return {
        "requests": int(rps * seconds),
        "duration_us": seconds * 1_000_000,
        "p50_us": int(p50_ms * 1000),
        "p95_us": int(p50_ms * 2000),
        "p99_us": int(p50_ms * 3000),
        "status_errors": status_errors,
        "connect_errors": 0,
        "read_errors": 0,
        "timeouts": 0,
    }


def synthetic(size: int, slower: float = 1.0, search_cold: int = 9) -> dict:
    """Every page measured three times; idea detail fails with a 500."""
    pages = []
    for name, label in PAGES:
        page = {
            "name": name,
            "label": label,
            "method": "POST" if name in ("vote", "submit") else "GET",
            "path": f"/{name}/",
            "http_status": 200,
            "queries": 14 if name == "challenge" else 5,
            # Right after the caches were emptied.
            "queries_cold": search_cold if name == "search" else 9,
            "cold_ms": 25.0,
            "error": "",
            "note": "",
            "runs": [],
        }
        rps = 200.0 if name == "floor" else 90.0
        if name == "home":
            rps = 60.0  # 0.3 of the floor: below the 0.5 the budget asks
        for p50 in (10.0, 12.0, 11.0):
            page["runs"].append(run(p50 * slower, rps))
        if name == "idea_detail":
            page["http_status"], page["error"], page["runs"] = 500, "HTTP 500", []
        pages.append(page)
    return {
        "size": size,
        "settings": {"warmup": 3, "repeats": 3, "duration": 10, "connections": 4},
        "generation_seconds": 12.5,
        "pages": pages,
        "vote_check": {
            "posts": 2000,
            "users": 50,
            "ideas": 200,
            "statuses": {"200": 2000},
            "drift": 0,
            "passed": True,
        },
        "worker_rss_mb": [120.0, 130.5],
    }


def test_table_and_json_have_every_page(tmp_path):
    table = report.build([synthetic(10_000), synthetic(100_000, slower=1.5)], tmp_path, DATE)

    for _name, label in PAGES:
        assert table.count(f"| {label} |") == 2  # a row at each size
    assert "| queries warm / cold | cold ms |" in table
    assert "| 5 / 9 | 25 |" in table
    assert "### 10 000 ideas" in table and "### 100 000 ideas" in table

    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == ["2026-11-23-10000.json", "2026-11-23-100000.json"]
    data = json.loads((tmp_path / "2026-11-23-100000.json").read_text())
    assert [page["name"] for page in data["pages"]] == [name for name, _label in PAGES]
    assert all(len(page["runs"]) == 3 for page in data["pages"] if page["name"] != "idea_detail")


def test_figures_are_medians_with_spread_and_ratio_to_floor(tmp_path):
    report.build([synthetic(10_000)], tmp_path, DATE)
    data = json.loads((tmp_path / "2026-11-23-10000.json").read_text())
    pages = {page["name"]: page for page in data["pages"]}
    assert pages["ideas_list"]["p50_ms"] == 11.0
    assert pages["ideas_list"]["p50_spread"] == [10.0, 12.0]
    assert pages["ideas_list"]["rps"] == 90.0
    assert pages["ideas_list"]["ratio_to_floor"] == 0.45
    assert pages["floor"]["ratio_to_floor"] == 1.0


def test_budget_is_evaluated_per_line(tmp_path):
    report.build(
        [synthetic(10_000), synthetic(100_000, slower=1.5, search_cold=11)], tmp_path, DATE
    )
    data = json.loads((tmp_path / "2026-11-23-100000.json").read_text())
    checks = {page["name"]: page["budget"] for page in data["pages"]}
    assert checks["ideas_list"] == {
        "queries": "pass",
        "throughput": "pass",  # 0.45 ≥ 0.35
        "search_p95": "n/a",
        "growth": "FAIL",  # 1.5× the p50 at 10k
    }
    assert checks["home"]["throughput"] == "FAIL"  # 0.3 < 0.5
    assert checks["challenge"]["queries"] == "FAIL"  # 14 > 12
    assert checks["search"]["search_p95"] == "pass"  # 33 ms
    assert checks["search"]["queries"] == "FAIL"  # cold: 11 at 100k, 9 at 10k
    assert checks["home"]["queries"] == "pass"  # warm 5 ≤ 12, the same at both sizes
    assert checks["idea_detail"]["queries"] == "FAIL"  # a failed page fails its lines
    assert data["budget"] == {"vote_check": "pass", "worker_rss": "pass"}
    assert data["growth_baseline"] == 10_000


def test_growth_is_shown_beside_the_machines_own_drift(tmp_path):
    """Everything 1.5× slower, the floor too: the budget fails on the raw figure, and
    the table says how much of it the machine itself accounts for."""
    table = report.build([synthetic(10_000), synthetic(100_000, slower=1.5)], tmp_path, DATE)
    data = json.loads((tmp_path / "2026-11-23-100000.json").read_text())
    pages = {page["name"]: page for page in data["pages"]}
    assert pages["floor"]["growth"] == 1.5
    assert pages["ideas_list"]["growth"] == 1.5
    assert pages["ideas_list"]["growth_net_of_floor"] == 1.0
    assert pages["ideas_list"]["budget"]["growth"] == "FAIL"
    assert "FAIL (1.5×; 1× net of the floor's)" in table
    assert "n/a (the machine: 1.5×)" in table


def test_error_responses_fail_a_page_and_the_vote_check_can_fail(tmp_path):
    result = synthetic(10_000)
    result["pages"][1]["runs"] = [run(10.0, 50.0, status_errors=400)]
    result["vote_check"].update(passed=False, drift=3)
    result["worker_rss_mb"] = [350.0]
    table = report.build([result], tmp_path, DATE)
    data = json.loads((tmp_path / "2026-11-23-10000.json").read_text())
    assert not data["pages"][1]["ok"]
    assert "failed: 400 of 500 responses failed" in table
    assert data["budget"] == {"vote_check": "FAIL", "worker_rss": "FAIL"}
    assert "differs from the vote rows: 3 — **FAIL**" in table


def test_the_hint_and_did_you_mean_lines_have_the_tighter_budget(tmp_path):
    """Search pages: p95 under 150 ms; the similar-ideas hint and "did you mean": 100."""
    slow = synthetic(100_000, slower=5.0)  # p95 110 ms
    report.build([slow], tmp_path, DATE)
    data = json.loads((tmp_path / "2026-11-23-100000.json").read_text())
    checks = {page["name"]: page["budget"]["search_p95"] for page in data["pages"]}
    assert checks["search"] == checks["search_common"] == checks["search_rare"] == "pass"
    assert checks["similar"] == checks["did_you_mean"] == "FAIL"
    assert checks["home"] == "n/a"
