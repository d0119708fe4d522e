"""The report builder on a tiny synthetic run: a table and JSON with every page, each
GET page read anonymously, logged in and mixed (while a writer votes)."""

import datetime
import json

from bench import report
from bench.pages import PAGES

DATE = datetime.date(2026, 11, 23)
POSTS = ("vote", "submit")


def run(p50_ms: float, rps: float, *, status_errors: int = 0, writes: int | None = None) -> dict:
    seconds = 10
    figures = {
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
    if writes is not None:
        figures["writer"] = {"writes": writes, "statuses": {"200": writes}, "seconds": 10.0}
    return figures


def synthetic(size: int, slower: float = 1.0, search_cold: int = 9, logged_in: float = 0.6):
    """Every page measured three times in each mode; idea detail fails with a 500.

    Logged in, every page serves `logged_in` × its anonymous req/s (the floor too);
    mixed, 0.9 × (the floor too), with the writer's 50 votes per run all answered 200.
    """
    pages = []
    for name, label in PAGES:
        method = "POST" if name in POSTS else "GET"
        page = {
            "name": name,
            "label": label,
            "method": method,
            "path": f"/{name}/",
            "http_status": 200,
            "queries": 14 if name == "challenge" else 5,
            # Right after the caches were emptied.
            "queries_cold": search_cold if name == "search" else 9,
            "cold_ms": 25.0,
            "queries_logged_in": None if method == "POST" else 3,
            "queries_logged_in_cold": None if method == "POST" else 10,
            "cold_ms_logged_in": None if method == "POST" else 30.0,
            "error": "",
            "note": "",
            "runs": {},
        }
        rps = 200.0 if name == "floor" else 90.0
        if name == "home":
            rps = 60.0  # 0.3 of the floor: below the 0.5 the budget asks
        if method == "POST":
            page["runs"]["logged_in"] = [run(p50 * slower, rps) for p50 in (10.0, 12.0, 11.0)]
        else:
            page["runs"] = {
                "anonymous": [run(p50 * slower, rps) for p50 in (10.0, 12.0, 11.0)],
                "logged_in": [
                    run(p50 * slower / logged_in, rps * logged_in) for p50 in (10.0, 12.0, 11.0)
                ],
                "mixed": [
                    run(p50 * slower / 0.9, rps * 0.9, writes=50) for p50 in (10.0, 12.0, 11.0)
                ],
            }
        if name == "idea_detail":
            page["http_status"], page["error"], page["runs"] = 500, "HTTP 500", {}
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


def _pages(tmp_path, size: int) -> dict[str, dict]:
    data = json.loads((tmp_path / f"2026-11-23-{size}.json").read_text())
    return {page["name"]: page for page in data["pages"]}


def test_table_and_json_have_every_page_with_the_modes_side_by_side(tmp_path):
    table = report.build([synthetic(10_000), synthetic(100_000, slower=1.5)], tmp_path, DATE)

    for _name, label in PAGES:
        assert table.count(f"| {label} |") == 2  # a row at each size
    header = next(line for line in table.splitlines() if line.startswith("| page |"))
    assert header.index("anonymous p50") < header.index("logged in p50")
    assert header.index("logged in p50") < header.index("mixed p50")
    # The ideas list row: anonymous 11 / 22 ms at 90 req/s (0.45 of the floor's 200);
    # logged in 54 req/s, 0.6 of the anonymous; mixed 81; queries and cold times.
    row = next(line for line in table.splitlines() if line.startswith("| Idea list |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1:8] == [
        "11 / 22",
        "90 · 0.45",
        "18.3 / 36.7",
        "54 · 0.45",
        "0.60 pass",
        "12.2 / 24.4",
        "81 · 0.45",
    ]
    assert cells[8] == "5 / 9 · 3 / 10"
    assert cells[9] == "25 · 30"
    # A POST is read logged in only: the other modes say so.
    vote = next(line for line in table.splitlines() if line.startswith("| Vote (POST"))
    vote_cells = [cell.strip() for cell in vote.strip("|").split("|")]
    assert vote_cells[1] == vote_cells[2] == "—"
    assert vote_cells[3] == "11 / 22"
    assert vote_cells[8] == "5 / 9"
    assert "### 10 000 ideas" in table and "### 100 000 ideas" in table

    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == ["2026-11-23-10000.json", "2026-11-23-100000.json"]
    pages = _pages(tmp_path, 100_000)
    assert list(pages) == [name for name, _label in PAGES]
    assert set(pages["home"]["modes"]) == {"anonymous", "logged_in", "mixed"}
    assert set(pages["vote"]["modes"]) == {"logged_in"}
    assert all(len(figures["runs"]) == 3 for figures in pages["home"]["modes"].values())


def test_figures_are_medians_with_spread_and_ratios_within_each_mode(tmp_path):
    report.build([synthetic(10_000)], tmp_path, DATE)
    pages = _pages(tmp_path, 10_000)
    anonymous = pages["ideas_list"]["modes"]["anonymous"]
    assert anonymous["p50_ms"] == 11.0
    assert anonymous["p50_spread"] == [10.0, 12.0]
    assert anonymous["rps"] == 90.0
    assert anonymous["ratio_to_floor"] == 0.45
    # Logged in: to the floor read logged in (also 0.6 × its anonymous), and to itself
    # read anonymously.
    logged_in = pages["ideas_list"]["modes"]["logged_in"]
    assert logged_in["ratio_to_floor"] == 0.45
    assert logged_in["ratio_to_anonymous"] == 0.6
    assert pages["floor"]["modes"]["mixed"]["ratio_to_floor"] == 1.0
    assert pages["ideas_list"]["modes"]["mixed"]["writer"] == {
        "writes": 150,
        "seconds": 30.0,
        "per_second": 5.0,
        "statuses": {"200": 150},
        "ok": True,
        "error": "",
    }


def test_budget_is_evaluated_per_line_and_mode(tmp_path):
    report.build(
        [synthetic(10_000), synthetic(100_000, slower=1.5, search_cold=11)], tmp_path, DATE
    )
    data = json.loads((tmp_path / "2026-11-23-100000.json").read_text())
    checks = {page["name"]: page["budget"] for page in data["pages"]}
    for mode in ("anonymous", "mixed"):
        assert checks["ideas_list"][mode] == {
            "queries": "pass",
            "throughput": "pass",  # 0.45 ≥ 0.35
            "search_p95": "n/a",
            "growth": "FAIL",  # 1.5× the p50 at 10k
        }
    assert checks["ideas_list"]["logged_in"] == {
        "queries": "pass",  # 3 ≤ 8
        "throughput": "pass",
        "search_p95": "n/a",
        "vs_anonymous": "pass",  # 0.6 ≥ 0.5
        "growth": "FAIL",
    }
    assert "vs_anonymous" not in checks["home"]["logged_in"]  # not the pages
    assert checks["home"]["anonymous"]["throughput"] == "FAIL"  # 0.3 < 0.5
    assert checks["challenge"]["anonymous"]["queries"] == "FAIL"  # 14 > 12
    assert checks["challenge"]["logged_in"]["queries"] == "pass"  # logged in: 3
    assert checks["search"]["anonymous"]["search_p95"] == "pass"  # 33 ms
    assert checks["search"]["anonymous"]["queries"] == "FAIL"  # cold: 11 at 100k, 9 at 10k
    assert checks["home"]["anonymous"]["queries"] == "pass"  # warm 5, the same at both sizes
    assert checks["vote"] == {
        "logged_in": {"queries": "pass", "throughput": "n/a", "search_p95": "n/a", "growth": "FAIL"}
    }
    assert checks["idea_detail"] == {}  # failed before it was measured
    pages = {page["name"]: page for page in data["pages"]}
    assert pages["idea_detail"]["failed_lines"] == ["the page"]
    assert "anonymous throughput" in pages["home"]["failed_lines"]
    assert data["budget"] == {"vote_check": "pass", "worker_rss": "pass", "writer": "pass"}
    assert data["growth_baseline"] == 10_000


def test_logged_in_budget_half_the_anonymous_and_at_most_eight_queries(tmp_path):
    slow = synthetic(10_000, logged_in=0.4)
    for page in slow["pages"]:
        if page["name"] == "ideas_list_tag":
            page["queries_logged_in"] = 9
    table = report.build([slow], tmp_path, DATE)
    pages = _pages(tmp_path, 10_000)
    assert pages["idea_detail"]["budget"] == {}
    assert pages["ideas_list"]["budget"]["logged_in"]["vs_anonymous"] == "FAIL"  # 0.4
    assert pages["ideas_list"]["budget"]["anonymous"]["queries"] == "pass"
    assert pages["ideas_list_tag"]["budget"]["logged_in"]["queries"] == "FAIL"  # 9 > 8
    assert pages["ideas_list_tag"]["budget"]["anonymous"]["queries"] == "pass"  # 5
    assert "| 0.40 FAIL |" in table
    assert "FAIL: logged in queries, logged in vs_anonymous" in table


def test_growth_is_shown_beside_the_machines_own_drift_in_every_mode(tmp_path):
    """Everything 1.5× slower, the floor too: the budget fails on the raw figure, and
    the table says how much of it the machine itself accounts for."""
    table = report.build([synthetic(10_000), synthetic(100_000, slower=1.5)], tmp_path, DATE)
    pages = _pages(tmp_path, 100_000)
    for mode in ("anonymous", "logged_in", "mixed"):
        assert pages["floor"]["modes"][mode]["growth"] == 1.5
        assert pages["ideas_list"]["modes"][mode]["growth"] == 1.5
        assert pages["ideas_list"]["modes"][mode]["growth_net_of_floor"] == 1.0
        assert pages["ideas_list"]["budget"][mode]["growth"] == "FAIL"
    assert "| 1.5× (1× net) · 1.5× (1× net) · 1.5× (1× net) |" in table
    assert "| the machine: 1.5× · 1.5× · 1.5× |" in table


def test_error_responses_fail_a_page_and_the_vote_check_can_fail(tmp_path):
    result = synthetic(10_000)
    result["pages"][1]["runs"]["logged_in"] = [run(10.0, 50.0, status_errors=400)]
    result["vote_check"].update(passed=False, drift=3)
    result["worker_rss_mb"] = [350.0]
    table = report.build([result], tmp_path, DATE)
    data = json.loads((tmp_path / "2026-11-23-10000.json").read_text())
    home = data["pages"][1]
    assert home["modes"]["anonymous"]["ok"] and not home["modes"]["logged_in"]["ok"]
    assert home["budget"]["logged_in"]["queries"] == "FAIL"
    assert "failed: 400 of 500 responses failed" in table
    assert data["budget"] == {"vote_check": "FAIL", "worker_rss": "FAIL", "writer": "pass"}
    assert "differs from the vote rows: 3 — **FAIL**" in table


def test_a_mixed_run_whose_writer_failed_is_not_a_mixed_run(tmp_path):
    """Reads without writes would pass for the mixed figure: failed votes fail it."""
    result = synthetic(10_000)
    home = result["pages"][1]
    for figures in home["runs"]["mixed"]:
        figures["writer"]["statuses"] = {"200": 40, "403": 10}
    table = report.build([result], tmp_path, DATE)
    data = json.loads((tmp_path / "2026-11-23-10000.json").read_text())
    mixed = data["pages"][1]["modes"]["mixed"]
    assert not mixed["ok"]
    assert mixed["error"] == "the writer failed: 30 of 150 votes failed"
    assert data["budget"]["writer"] == "FAIL"
    # Every GET page's mixed runs but the failed idea page's: 3 runs of 50 votes, 10 s each.
    mixed_pages = sum(1 for name, _ in PAGES if name not in POSTS and name != "idea_detail")
    sent, seconds = 150 * mixed_pages, 30 * mixed_pages
    assert f"answered 200: {sent - 30}, 403: 30 — **FAIL**" in table
    assert f"the writer sent {sent} votes and withdrawals in {seconds} s (5.0 a second" in table


def test_the_hint_and_did_you_mean_lines_have_the_tighter_budget(tmp_path):
    """Search pages: p95 under 150 ms; the similar-ideas hint and "did you mean": 100."""
    slow = synthetic(100_000, slower=5.0)  # p95 110 ms anonymously
    report.build([slow], tmp_path, DATE)
    data = json.loads((tmp_path / "2026-11-23-100000.json").read_text())
    checks = {page["name"]: page["budget"] for page in data["pages"]}
    anonymous = {
        name: lines.get("anonymous", {}).get("search_p95") for name, lines in checks.items()
    }
    assert anonymous["search"] == anonymous["search_common"] == anonymous["search_rare"] == "pass"
    assert anonymous["similar"] == anonymous["did_you_mean"] == "FAIL"
    assert anonymous["home"] == "n/a"
    # Logged in, 0.6 × as fast: p95 183 ms, over the search budget too.
    assert checks["search"]["logged_in"]["search_p95"] == "FAIL"


def test_runs_in_the_old_single_list_form_are_one_mode():
    page = {"name": "vote", "label": "Vote", "method": "POST", "runs": [run(10.0, 50.0)]}
    assert set(report.summarise_page(page)["modes"]) == {"logged_in"}
    page = {"name": "home", "label": "Home", "method": "GET", "runs": [run(10.0, 50.0)]}
    assert set(report.summarise_page(page)["modes"]) == {"anonymous"}


def _at(page: dict, rps: float, p50_ms: float = 10.0) -> None:
    """The page's runs replaced: `rps` anonymous, 0.6 × logged in, 0.9 × mixed."""
    page["runs"] = {
        "anonymous": [run(p50_ms, rps)] * 3,
        "logged_in": [run(p50_ms / 0.6, rps * 0.6)] * 3,
        "mixed": [run(p50_ms / 0.9, rps * 0.9, writes=50)] * 3,
    }


def region(size: int, municipalities: int = 20) -> dict:
    """A region measured on a machine half as fast (the floor at 100 req/s, not 200):
    the municipality's home keeps its share of the floor; its idea list loses half of
    it and costs one more query; the challenge page keeps its share."""
    result = synthetic(size)
    result["settings"]["municipalities"] = municipalities
    result["municipality"] = {"name": "Havbygd kommune", "ideas": 2100, "public_ideas": 1900}
    pages = {page["name"]: page for page in result["pages"]}
    _at(pages["floor"], 100.0)
    _at(pages["municipality_home"], 30.0, p50_ms=20.0)  # home alone: 60 of the floor's 200
    _at(pages["municipality_ideas"], 22.5)  # the idea list alone: 90 of 200
    pages["municipality_ideas"]["queries"] = 6
    _at(pages["challenge"], 45.0)
    return result


def _rows(table: str, after: str) -> dict[str, list[str]]:
    """The rows of the first table after `after`, by their first cell."""
    lines = table[table.index(after) :].splitlines()
    ends = [n for n, line in enumerate(lines) if n and line.startswith("###")]
    lines = lines[: ends[0]] if ends else lines
    return {
        cells[0]: cells
        for line in lines
        if line.startswith("| ") and not line.startswith(("| page", "| ---"))
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }


def test_a_municipalitys_pages_in_a_region_stand_beside_the_same_pages_alone(tmp_path):
    # Two municipalities alone, and a region whose measured municipality has 2 100 ideas
    # of its own: it is compared with the one alone nearest that, 2 000 ideas.
    results = [synthetic(2000), synthetic(40_000), region(40_000)]
    table = report.build(results, tmp_path, DATE)

    # The tables per data set stay, the region's named as such, with whose pages.
    assert "### 40 000 ideas, a region of 20" in table and "### 40 000 ideas\n" in table
    assert "The municipality measured: Havbygd kommune, with 2100 of the region's" in table
    assert table.count("### A municipality's pages as the region grows") == 1
    assert "Alone: Fjordvik with 2 000 ideas. In the region: Havbygd kommune, 2100" in table
    rows = _rows(table, "### A municipality's pages as the region grows")
    assert list(rows) == [
        "Home (home ↔ municipality_home)",
        "Idea list (ideas_list ↔ municipality_ideas)",
        "Challenge page (challenge)",
        "Idea detail (idea_detail)",
    ]
    # Per mode: p50 alone → region; req/s · × floor alone → region; region ÷ alone,
    # net of each data set's floor (the region's machine ran at half the speed).
    home = rows["Home (home ↔ municipality_home)"]
    assert home[1:4] == ["11 → 20", "60 · 0.30 → 30 · 0.30", "1.00"]
    assert home[4:7] == ["18.3 → 33.3", "36 · 0.30 → 18 · 0.30", "1.00"]
    assert home[-3:] == ["5 / 9 · 3 / 10", "5 / 9 · 3 / 10", "pass"]
    ideas = rows["Idea list (ideas_list ↔ municipality_ideas)"]
    assert ideas[3] == "0.50"
    assert ideas[-2] == "6 / 9 · 3 / 10"
    assert ideas[-1] == (
        "FAIL: anonymous throughput, logged in throughput, mixed throughput, anonymous queries"
    )
    assert rows["Challenge page (challenge)"][-1] == "pass"
    # In the tables per data set, sizes are compared only among as many municipalities:
    # the region's one more query is not "more than at 2 000 ideas alone", and its
    # growth is not against a municipality alone.
    own = _rows(table, "### 40 000 ideas, a region of 20")["A municipality's idea list (region)"]
    assert own[-1] == "pass" and own[-2] == "– · – · –"
    assert "| p50 growth | budget |" in table
    alone_rows = _rows(table, "### 40 000 ideas\n")
    assert alone_rows["Idea list"][-2].startswith("1×")  # against 2 000 ideas alone
    assert rows["Idea detail (idea_detail)"][-1].startswith("FAIL: the page")

    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == [
        "2026-11-23-2000.json",
        "2026-11-23-40000-region20.json",
        "2026-11-23-40000.json",
    ]
    saved = json.loads((tmp_path / "2026-11-23-40000-region20.json").read_text())
    comparison = saved["region_comparison"]
    assert (comparison["alone"], comparison["region"]) == ("2000", "40000-region20")
    assert comparison["municipality"]["ideas"] == 2100
    home_row = comparison["rows"][0]
    assert home_row["modes"]["anonymous"]["region_vs_alone"] == 1.0
    assert home_row["failed_lines"] == []
    alone = json.loads((tmp_path / "2026-11-23-2000.json").read_text())
    assert alone["region_comparison"] is None


def test_no_comparison_without_both_a_region_and_a_municipality_alone(tmp_path):
    assert "as the region grows" not in report.build([synthetic(2000)], tmp_path, DATE)
    assert "as the region grows" not in report.build([region(40_000)], tmp_path, DATE)
