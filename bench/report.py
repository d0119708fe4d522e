"""From raw runs to the report: a Markdown table and a JSON file per data set (a size,
alone or in a region), and a region's pages beside a municipality's alone.

Pure functions on plain data (no Django, no I/O except `write_json`), so the report can
be tested on a tiny synthetic run. A run for one size looks like::

    {"size": 10000, "pages": [
        {"name": "home", "label": "Home", "method": "GET", "path": "/",
         "http_status": 200, "queries": 7, "queries_cold": 12, "cold_ms": 40.1,
         "queries_logged_in": 3, "queries_logged_in_cold": 14, "error": "", "note": "",
         "runs": {
            "anonymous": [{"requests": 900, "duration_us": 10000000, "p50_us": 8000,
                           "p95_us": 15000, "status_errors": 0, ...}, ...],
            "logged_in": [...],
            "mixed": [{..., "writer": {"writes": 50, "statuses": {"200": 50},
                                       "seconds": 10.0}}, ...]}},
        ...],
     "vote_check": {"posts": 2000, "statuses": {"200": 2000}, "drift": 0, ...},
     "worker_rss_mb": [120.5, 118.2], ...}

GET pages are read in three modes: anonymous, logged in (a citizen's session cookie on
every request) and mixed (anonymous reads while a writer votes every 200 ms); POSTs are
logged in. Every budget line applies to every mode; each mode's ratio to the floor is
to the floor read in the same mode.
"""

from __future__ import annotations

import datetime
import json
import statistics
from pathlib import Path

# --- The budget (issues 7 and 18) ---------------------------------------------------------
MODES = ("anonymous", "logged_in", "mixed")
MODE_LABELS = {"anonymous": "anonymous", "logged_in": "logged in", "mixed": "mixed"}
MAX_QUERIES = 12
# A logged-in citizen's read (issue 18): at most 8 queries warm, and at least half the
# anonymous req/s of the same page in the same run, for the idea list and idea page.
MAX_QUERIES_LOGGED_IN = 8
MIN_LOGGED_IN_RATIO = 0.5
LOGGED_IN_RATIO_PAGES = ("ideas_list", "ideas_list_tag", "ideas_list_supported", "idea_detail")
MAX_GROWTH = 1.3  # p50 at the largest size / p50 at the smallest size
MIN_FLOOR_RATIO = {
    "ideas_list": 0.35,
    "ideas_list_tag": 0.35,
    "ideas_list_supported": 0.35,
    "idea_detail": 0.35,
    "home": 0.5,
    "challenge_index": 0.5,
    "challenge": 0.5,
}
SEARCH_P95_MS = 150.0
# p95 budgets by page: the search pages, and the similar-ideas hint (issue 18).
P95_BUDGET_MS = {
    "search": SEARCH_P95_MS,
    "search_common": SEARCH_P95_MS,
    "search_rare": SEARCH_P95_MS,
    "did_you_mean": 100.0,
    "similar": 100.0,
}
MAX_WORKER_RSS_MB = 300.0
# A page with more failed responses than this share is reported as failed.
MAX_ERROR_SHARE = 0.01

# A municipality's pages in a region beside the same pages of a municipality alone
# (issue 13): (page alone, the same page in the region). In a region `/` and `/ideer/`
# are the region's; the municipality's own are its home page and idea list. The
# challenge and idea pages are the measured municipality's in both (bench.pages).
REGION_PAIRS = (
    ("home", "municipality_home"),
    ("ideas_list", "municipality_ideas"),
    ("challenge", "challenge"),
    ("idea_detail", "idea_detail"),
)
# In the region, each page keeps at least this share of its req/s alone (both relative
# to their own data set's floor, read in the same mode), with no more warm queries.
MIN_REGION_RATIO = 0.8

PASS, FAIL, NA = "pass", "FAIL", "n/a"


def data_set_key(size: int, municipalities: int = 1) -> str:
    """A data set's name in its database, directories, logs and JSON file: `5000`, or
    `100000-region20` for a region of 20 municipalities."""
    return f"{size}-region{municipalities}" if municipalities > 1 else str(size)


def data_set_label(size: int, municipalities: int = 1) -> str:
    ideas = f"{size:,} ideas".replace(",", " ")
    return f"{ideas}, a region of {municipalities}" if municipalities > 1 else ideas


def _municipalities(summary: dict) -> int:
    return (summary.get("settings") or {}).get("municipalities") or 1


def _ms(microseconds: float) -> float:
    return round(microseconds / 1000.0, 1)


def _optional(value: object) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def query_counts(page: dict, mode: str) -> tuple[int | None, int | None]:
    """(warm, cold) queries of `page` as read in `mode`.

    Logged-in GETs were counted with a logged-in client; a mixed run's readers are
    anonymous, so theirs are the anonymous counts (the cold one is what a reader pays
    after each write); POSTs were counted logged in.
    """
    if mode == "logged_in" and page.get("method", "GET") == "GET":
        return page.get("queries_logged_in"), page.get("queries_logged_in_cold")
    return page.get("queries"), page.get("queries_cold")


def max_queries(page: dict, mode: str) -> int:
    if mode == "logged_in" and page.get("method", "GET") == "GET":
        return MAX_QUERIES_LOGGED_IN
    return MAX_QUERIES


def _queries(page: dict, mode: str = "anonymous") -> str:
    warm, cold = query_counts(page, mode)
    if cold is None:
        return _optional(warm)
    return f"{_optional(warm)} / {cold}"


def summarise_runs(runs: list[dict]) -> dict:
    """Median and spread (min–max) over the repetitions of one page in one mode."""
    done = [run for run in runs if run.get("requests")]
    summary: dict = {"repetitions": len(done), "runs": runs}  # the raw figures stay
    error = ""
    if done:
        p50 = [_ms(run["p50_us"]) for run in done]
        p95 = [_ms(run["p95_us"]) for run in done]
        rps = [round(run["requests"] / (run["duration_us"] / 1e6), 1) for run in done]
        requests = sum(run["requests"] for run in done)
        failed = sum(
            run.get(kind, 0)
            for run in done
            for kind in ("status_errors", "connect_errors", "read_errors", "timeouts")
        )
        summary.update(
            p50_ms=round(statistics.median(p50), 1),
            p50_spread=[min(p50), max(p50)],
            p95_ms=round(statistics.median(p95), 1),
            p95_spread=[min(p95), max(p95)],
            rps=round(statistics.median(rps), 1),
            rps_spread=[min(rps), max(rps)],
            requests=requests,
            failed_responses=failed,
        )
        if failed > MAX_ERROR_SHARE * requests:
            error = f"{failed} of {requests} responses failed (HTTP ≥ 400 or socket errors)"
    else:
        error = next((run["error"] for run in runs if run.get("error")), "no requests completed")
    writes = [run["writer"] for run in runs if "writer" in run]
    if writes:
        summary["writer"] = writer = summarise_writes(writes)
        if not error and not writer["ok"]:
            error = f"the writer failed: {writer['error']}"
    summary["error"] = error
    summary["ok"] = not error
    return summary


def summarise_writes(tallies: list[dict]) -> dict:
    """The writer's votes over a page's mixed runs: how many, how fast, how answered.

    A mixed run whose writes failed measured reads without writes: it fails."""
    writes = sum(tally.get("writes", 0) for tally in tallies)
    seconds = sum(tally.get("seconds", 0.0) for tally in tallies)
    statuses: dict[str, int] = {}
    for tally in tallies:
        for key, count in (tally.get("statuses") or {}).items():
            statuses[key] = statuses.get(key, 0) + count
    succeeded = sum(n for key, n in statuses.items() if key.isdigit() and key < "400")
    error = ""
    if not writes:
        error = "no votes were sent"
    elif writes - succeeded > MAX_ERROR_SHARE * writes:
        error = f"{writes - succeeded} of {writes} votes failed"
    return {
        "writes": writes,
        "seconds": round(seconds, 1),
        "per_second": round(writes / seconds, 1) if seconds else None,
        "statuses": statuses,
        "ok": not error,
        "error": error,
    }


def _mode_runs(page: dict) -> dict[str, list[dict]]:
    runs = page.get("runs") or {}
    if isinstance(runs, list):  # one mode only: a POST's is logged in, a GET's anonymous
        return {"anonymous" if page.get("method", "GET") == "GET" else "logged_in": runs}
    return runs


def summarise_page(page: dict) -> dict:
    """The page's own facts, and a summary of its runs in each mode it was read in."""
    summary = {
        key: page.get(key)
        for key in (
            "name",
            "label",
            "method",
            "path",
            "http_status",
            "queries",
            "queries_cold",
            "cold_ms",
            "queries_logged_in",
            "queries_logged_in_cold",
            "cold_ms_logged_in",
            "note",
        )
    }
    error = page.get("error", "")
    summary["modes"] = {
        mode: summarise_runs(runs) for mode, runs in _mode_runs(page).items() if runs
    }
    if not error and not summary["modes"]:
        error = "no requests completed"
    summary["error"] = error
    summary["ok"] = not error
    return summary


def summarise(result: dict) -> dict:
    """Summaries of all pages of one size: each mode's ratio to the floor read in the
    same mode, and the logged-in figure's ratio to the anonymous one."""
    pages = [summarise_page(page) for page in result["pages"]]
    floor = next((p for p in pages if p["name"] == "floor" and p["ok"]), None)
    for page in pages:
        modes = page["modes"]
        for mode, figures in modes.items():
            base = floor["modes"].get(mode) if floor else None
            usable = page["ok"] and figures["ok"] and figures.get("rps")
            if usable and base and base["ok"] and base.get("rps"):
                figures["ratio_to_floor"] = round(figures["rps"] / base["rps"], 2)
            else:
                figures["ratio_to_floor"] = None
        anonymous, logged_in = modes.get("anonymous"), modes.get("logged_in")
        if anonymous and logged_in and page["method"] == "GET":
            both = anonymous["ok"] and logged_in["ok"] and anonymous.get("rps")
            logged_in["ratio_to_anonymous"] = (
                round(logged_in["rps"] / anonymous["rps"], 2) if both else None
            )
    return {**result, "pages": pages}


def _growth_of(figures: dict | None, base: dict | None) -> float | None:
    if not figures or not base or not figures.get("p50_ms") or not base.get("p50_ms"):
        return None
    return figures["p50_ms"] / base["p50_ms"]


def _mode_checks(
    page: dict, mode: str, base_page: dict | None, floor_growth: float | None, baseline: bool
) -> dict[str, str]:
    """Every budget line for `page` read in `mode`; `baseline`: the smallest size."""
    figures = page["modes"][mode]
    name = page["name"]
    checks: dict[str, str] = {}
    if not page["ok"] or not figures["ok"]:
        checks = {"queries": FAIL, "throughput": FAIL, "search_p95": NA, "growth": NA}
        if name in P95_BUDGET_MS:
            checks["search_p95"] = FAIL
        if mode == "logged_in" and name in LOGGED_IN_RATIO_PAGES:
            checks["vs_anonymous"] = FAIL
        return checks
    warm, cold = query_counts(page, mode)
    same = base_page is None or query_counts(base_page, mode) in ((warm, cold), (None, None))
    # The budget holds the page as visitors find it (warm, after one request); the cold
    # count is the first visitor after a change: reported, and it must not grow with
    # the data either.
    within = warm is not None and warm <= max_queries(page, mode)
    checks["queries"] = PASS if within and same else FAIL
    minimum = MIN_FLOOR_RATIO.get(name)
    ratio = figures.get("ratio_to_floor")
    if minimum is None:
        checks["throughput"] = NA
    else:
        checks["throughput"] = PASS if ratio is not None and ratio >= minimum else FAIL
    if name in P95_BUDGET_MS:
        checks["search_p95"] = PASS if figures["p95_ms"] < P95_BUDGET_MS[name] else FAIL
    else:
        checks["search_p95"] = NA
    if mode == "logged_in" and name in LOGGED_IN_RATIO_PAGES:
        versus = figures.get("ratio_to_anonymous")
        checks["vs_anonymous"] = (
            PASS if versus is not None and versus >= MIN_LOGGED_IN_RATIO else FAIL
        )
    if name == "floor" and floor_growth is not None:
        figures["growth"] = round(floor_growth, 2)
        checks["growth"] = NA
    elif baseline or name == "floor":
        checks["growth"] = NA
    else:
        base = (base_page or {}).get("modes", {}).get(mode)
        growth = _growth_of(figures, base) if base_page and base_page["ok"] else None
        if growth is None or not base or not base["ok"]:
            checks["growth"] = FAIL
        else:
            figures["growth"] = round(growth, 2)
            if floor_growth:
                figures["growth_net_of_floor"] = round(growth / floor_growth, 2)
            checks["growth"] = PASS if figures["growth"] <= MAX_GROWTH else FAIL
    return checks


def evaluate(summaries: list[dict]) -> list[dict]:
    """The budget, line by line, for each size and mode; growth (and the same query
    counts) against the smallest size run with as many municipalities, in the same
    mode. A region beside a municipality alone is compared by `compare_regions`."""
    ordered = sorted(summaries, key=lambda s: (s["size"], _municipalities(s)))
    evaluated = []
    for summary in ordered:
        peers = [s for s in ordered if _municipalities(s) == _municipalities(summary)]
        baseline = peers[0] if len(peers) > 1 else None
        base_pages = {p["name"]: p for p in baseline["pages"]} if baseline else {}
        is_baseline = baseline is None or summary is baseline
        # The floor does the same work at every size: its own change between sizes is
        # the machine's drift, shown beside each page's growth (the budget stays raw).
        floor = next((p for p in summary["pages"] if p["name"] == "floor"), None)
        base_floor = base_pages.get("floor")
        pages = []
        for page in summary["pages"]:
            checks = {}
            for mode in page["modes"]:
                floor_growth = None
                if not is_baseline and floor and base_floor:
                    floor_growth = _growth_of(
                        floor["modes"].get(mode), base_floor["modes"].get(mode)
                    )
                checks[mode] = _mode_checks(
                    page, mode, base_pages.get(page["name"]), floor_growth, is_baseline
                )
            failed = [
                f"{MODE_LABELS[mode]} {line}"
                for mode, lines in checks.items()
                for line, result in lines.items()
                if result == FAIL
            ]
            if not page["ok"] and not checks:
                failed = ["the page"]
            pages.append({**page, "budget": checks, "failed_lines": failed})
        vote = summary.get("vote_check") or {}
        rss = summary.get("worker_rss_mb") or []
        overall = {
            "vote_check": PASS if vote.get("passed") else FAIL,
            "worker_rss": PASS if rss and max(rss) < MAX_WORKER_RSS_MB else FAIL,
        }
        writers = [
            page["modes"]["mixed"]["writer"]
            for page in pages
            if "writer" in page["modes"].get("mixed", {})
        ]
        if writers:
            overall["writer"] = PASS if all(w["ok"] for w in writers) else FAIL
        evaluated.append(
            {
                **summary,
                "pages": pages,
                "budget": overall,
                "growth_baseline": baseline["size"] if baseline else None,
            }
        )
    return evaluated


def _latency_cell(figures: dict | None) -> str:
    if figures is None:
        return "—"
    if not figures["ok"]:
        return f"failed: {figures['error']}"
    return f"{figures['p50_ms']:g} / {figures['p95_ms']:g}"


def _rps_cell(figures: dict | None) -> str:
    if figures is None or not figures["ok"]:
        return "—" if figures is None else ""
    cell = f"{figures['rps']:.0f}"
    low, high = figures.get("rps_spread") or (figures["rps"], figures["rps"])
    if round(low) != round(high):
        cell += f" ({low:.0f}–{high:.0f})"
    if figures.get("ratio_to_floor") is not None:
        cell += f" · {figures['ratio_to_floor']:.2f}"
    return cell


def _versus_cell(page: dict) -> str:
    figures = page["modes"].get("logged_in") or {}
    ratio = figures.get("ratio_to_anonymous")
    if ratio is None:
        return ""
    check = page["budget"].get("logged_in", {}).get("vs_anonymous")
    return f"{ratio:.2f}" + (f" {check}" if check else "")


def _growth_cell(page: dict) -> str:
    parts = []
    for mode in MODES:
        figures = page["modes"].get(mode)
        if figures is None:
            continue
        if "growth" in figures:
            value = f"{figures['growth']:g}×"
            if "growth_net_of_floor" in figures:
                value += f" ({figures['growth_net_of_floor']:g}× net)"
            parts.append(value)
        else:
            parts.append("–")
    text = " · ".join(parts)
    if page["name"] == "floor" and any("growth" in f for f in page["modes"].values()):
        text = f"the machine: {text}"
    return text


def _pair(page: dict, warm_key: str, cold_key: str) -> str:
    warm, cold = page.get(warm_key), page.get(cold_key)
    if warm is None and cold is None:
        return "—"
    return f"{_optional(warm)} / {_optional(cold)}"


def _cold_ms_cell(page: dict) -> str:
    anonymous, logged_in = page.get("cold_ms"), page.get("cold_ms_logged_in")
    if logged_in is None:
        return _optional(anonymous)
    return f"{_optional(anonymous)} · {_optional(logged_in)}"


def markdown(evaluated: list[dict]) -> str:
    """One table per size (every mode side by side), then the lines of the budget that
    are not per page."""
    out = []
    for summary in evaluated:
        out.append(f"### {data_set_label(summary['size'], _municipalities(summary))}")
        out.append("")
        measured = summary.get("municipality")
        if measured and _municipalities(summary) > 1:
            out.append(
                f"The municipality measured: {measured['name']}, with {measured['ideas']} "
                f"of the region's ideas ({measured['public_ideas']} public)."
            )
            out.append("")
        base = summary.get("growth_baseline")
        growth_head = f"p50 growth vs {base:,}".replace(",", " ") if base else "p50 growth"
        out.append(
            "| page | anonymous p50 / p95 ms | req/s · × floor | logged in p50 / p95 ms "
            "| req/s · × floor | logged in ÷ anonymous | mixed p50 / p95 ms | req/s · × floor "
            "| queries warm / cold, anonymous · logged in | cold ms · logged in "
            f"| {growth_head} | budget |"
        )
        out.append("|" + " --- |" * 12)
        for page in summary["pages"]:
            modes = page["modes"]
            if page["ok"]:
                cells = [
                    _latency_cell(modes.get("anonymous")),
                    _rps_cell(modes.get("anonymous")),
                    _latency_cell(modes.get("logged_in")),
                    _rps_cell(modes.get("logged_in")),
                    _versus_cell(page),
                    _latency_cell(modes.get("mixed")),
                    _rps_cell(modes.get("mixed")),
                ]
            else:
                cells = [f"failed: {page['error']}", "", "", "", "", "", ""]
            queries = _pair(page, "queries", "queries_cold")
            if page.get("method", "GET") == "GET":
                queries += " · " + _pair(page, "queries_logged_in", "queries_logged_in_cold")
            budget = (
                PASS if not page["failed_lines"] else "FAIL: " + ", ".join(page["failed_lines"])
            )
            row = [page["label"], *cells, queries, _cold_ms_cell(page)]
            row += [_growth_cell(page), budget]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
        out.extend(_budget_notes(summary))
        out.append("")
    return "\n".join(out)


def _budget_notes(summary: dict) -> list[str]:
    lines = []
    writers = [
        page["modes"]["mixed"]["writer"]
        for page in summary["pages"]
        if "writer" in page["modes"].get("mixed", {})
    ]
    if writers:
        writes = sum(w["writes"] for w in writers)
        seconds = sum(w["seconds"] for w in writers)
        statuses: dict[str, int] = {}
        for w in writers:
            for key, count in w["statuses"].items():
                statuses[key] = statuses.get(key, 0) + count
        rate = f"{writes / seconds:.1f}" if seconds else "?"
        answered = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())) or "none"
        lines.append(
            f"- Mixed runs: the writer sent {writes} votes and withdrawals in {seconds:.0f} s "
            f"({rate} a second; one every 200 ms asked), answered {answered} — "
            f"**{summary['budget']['writer']}**"
        )
    vote = summary.get("vote_check") or {}
    statuses_text = ", ".join(f"{k}: {v}" for k, v in sorted((vote.get("statuses") or {}).items()))
    lines.append(
        f"- Votes: {vote.get('posts', 0)} POSTs from {vote.get('users', 0)} users on "
        f"{vote.get('ideas', 0)} ideas; responses {statuses_text or 'none'}; ideas whose "
        f"count differs from the vote rows: {vote.get('drift', '?')} — "
        f"**{summary['budget']['vote_check']}**"
        + (f" ({vote['error']})" if vote.get("error") else "")
    )
    rss = summary.get("worker_rss_mb") or []
    rss_text = ", ".join(f"{value:g} MB" for value in rss) or "not measured"
    lines.append(
        f"- Gunicorn worker RSS after the run: {rss_text} (< {MAX_WORKER_RSS_MB:g} MB) — "
        f"**{summary['budget']['worker_rss']}**"
    )
    lines.append(
        f"- Budget per mode: warm queries ≤ {MAX_QUERIES} (logged-in reads ≤ "
        f"{MAX_QUERIES_LOGGED_IN}) and the same at every size; × floor (to the floor read "
        "in the same mode) ≥ 0.35 for the idea list and idea page, ≥ 0.5 for home and "
        f"challenge pages; logged in ÷ anonymous ≥ {MIN_LOGGED_IN_RATIO:g} for the idea "
        f"list and idea page; search p95 < {SEARCH_P95_MS:g} ms (hint and did you mean "
        f"< {P95_BUDGET_MS['similar']:g} ms); p50 growth ≤ {MAX_GROWTH}."
    )
    settings = summary.get("settings") or {}
    if settings:
        lines.append(
            "- Each page and mode: {warmup} s warm-up (not counted), then {repeats} × "
            "{duration} s at {connections} connections; p50/p95/req/s are medians of the "
            "repetitions, (min–max) the req/s spread (every figure's is in the JSON). "
            "Queries: Django's test client, one request right after emptying every cache "
            "(cold, also timed in process), then one more (warm); anonymous, then logged "
            "in. Mixed runs read anonymously, so their queries are the anonymous ones.".format(
                **settings
            )
        )
    if summary.get("generation_seconds") is not None:
        seconds = summary["generation_seconds"]
        lines.append(f"- Data generated and search index rebuilt in {seconds:.0f} s.")
    return lines


def write_json(summary: dict, directory: Path, date: datetime.date | None = None) -> Path:
    """bench/results/<date>-<size>.json, or <date>-<size>-region<M>.json for a region of
    M municipalities (`--municipalities`), so the two data sets' results stand side by side."""
    date = date or datetime.date.today()
    directory.mkdir(parents=True, exist_ok=True)
    key = data_set_key(summary["size"], _municipalities(summary))
    path = directory / f"{date.isoformat()}-{key}.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def build(results: list[dict], directory: Path, date: datetime.date | None = None) -> str:
    """Summarise and evaluate every data set, write the JSON files, return the Markdown:
    a table per data set, then, when a region was measured beside a municipality alone,
    the municipality's pages side by side."""
    evaluated = evaluate([summarise(result) for result in results])
    comparisons = compare_regions(evaluated)
    for summary in evaluated:
        key = data_set_key(summary["size"], _municipalities(summary))
        # A region's JSON carries its comparison with the municipality alone.
        summary["region_comparison"] = next((c for c in comparisons if c["region"] == key), None)
        write_json(summary, directory, date)
    text = markdown(evaluated)
    if comparisons:
        text += "\n" + region_markdown(comparisons)
    return text


# --- A municipality's pages as the region grows (issue 13) -------------------------------


def compare_regions(evaluated: list[dict]) -> list[dict]:
    """Each region data set beside a single municipality's of the same run: the one
    whose size is nearest the measured municipality's own idea count. Per page pair
    and mode: p50 and req/s alone and in the region, and the region's req/s over the
    alone's, each relative to its own data set's floor."""
    alone = [s for s in evaluated if _municipalities(s) == 1]
    regions = [s for s in evaluated if _municipalities(s) > 1]
    comparisons = []
    for region in regions:
        if not alone:
            break
        own = (region.get("municipality") or {}).get("ideas") or region["size"]
        single = min(alone, key=lambda s: (abs(s["size"] - own), s["size"]))
        comparisons.append(_compare(single, region))
    return comparisons


def _compare(single: dict, region: dict) -> dict:
    alone_pages = {page["name"]: page for page in single["pages"]}
    region_pages = {page["name"]: page for page in region["pages"]}
    rows = []
    for alone_name, region_name in REGION_PAIRS:
        alone_page, region_page = alone_pages.get(alone_name), region_pages.get(region_name)
        if alone_page is None or region_page is None:
            continue  # not measured (--pages)
        row: dict = {
            "alone": alone_name,
            "region": region_name,
            "label": alone_page["label"],
            "modes": {},
            "queries_alone": _query_pairs(alone_page),
            "queries_region": _query_pairs(region_page),
        }
        failed = []
        both = alone_page["ok"] and region_page["ok"]
        if not both:
            failed.append("the page")
            row["error"] = alone_page["error"] or region_page["error"]
        for mode in MODES:
            a, r = alone_page["modes"].get(mode), region_page["modes"].get(mode)
            if a is None and r is None:
                continue
            figures = {
                "p50_ms_alone": _figure(a, "p50_ms"),
                "p50_ms_region": _figure(r, "p50_ms"),
                "rps_alone": _figure(a, "rps"),
                "rps_region": _figure(r, "rps"),
                "ratio_to_floor_alone": _figure(a, "ratio_to_floor"),
                "ratio_to_floor_region": _figure(r, "ratio_to_floor"),
            }
            # From the req/s themselves, not the rounded × floor figures.
            rates = (
                figures["rps_alone"],
                _floor_rps(alone_pages, mode),
                figures["rps_region"],
                _floor_rps(region_pages, mode),
            )
            ratio = None
            if all(rates):
                ratio = round((rates[2] / rates[3]) / (rates[0] / rates[1]), 2)
            figures["region_vs_alone"] = ratio
            figures["throughput"] = (
                PASS if ratio is not None and ratio >= MIN_REGION_RATIO else FAIL
            )
            if figures["throughput"] == FAIL and both:
                failed.append(f"{MODE_LABELS[mode]} throughput")
            row["modes"][mode] = figures
        for kind in ("anonymous", "logged_in") if both else ():
            warm_alone = row["queries_alone"][kind][0]
            warm_region = row["queries_region"][kind][0]
            if warm_alone is None and warm_region is None:
                continue
            if warm_alone is None or warm_region is None or warm_region > warm_alone:
                failed.append(f"{MODE_LABELS[kind]} queries")
        row["failed_lines"] = failed
        rows.append(row)
    return {
        "alone": data_set_key(single["size"], 1),
        "region": data_set_key(region["size"], _municipalities(region)),
        "alone_size": single["size"],
        "region_size": region["size"],
        "municipalities": _municipalities(region),
        "municipality": region.get("municipality"),
        "alone_municipality": single.get("municipality"),
        "rows": rows,
    }


def _floor_rps(pages: dict[str, dict], mode: str) -> float | None:
    floor = pages.get("floor")
    if floor is None or not floor["ok"]:
        return None
    return _figure(floor["modes"].get(mode), "rps")


def _figure(figures: dict | None, key: str) -> float | None:
    if not figures or not figures.get("ok"):
        return None
    return figures.get(key)


def _query_pairs(page: dict) -> dict[str, tuple[int | None, int | None]]:
    """(warm, cold) queries, anonymous and logged in."""
    return {
        "anonymous": (page.get("queries"), page.get("queries_cold")),
        "logged_in": (page.get("queries_logged_in"), page.get("queries_logged_in_cold")),
    }


def _queries_cell(pairs: dict) -> str:
    cells = []
    for kind in ("anonymous", "logged_in"):
        warm, cold = pairs[kind]
        if warm is not None or cold is not None:
            cells.append(f"{_optional(warm)} / {_optional(cold)}")
    return " · ".join(cells) or "—"


def _number(value: float | None, spec: str = "g") -> str:
    return "—" if value is None else format(value, spec)


def region_markdown(comparisons: list[dict]) -> str:
    """The table "A municipality's pages as the region grows", one per region."""
    out = []
    for comparison in comparisons:
        measured = comparison.get("municipality") or {}
        who = measured.get("name", "the municipality with the most ideas")
        own = f", {measured['ideas']} ideas of its own" if measured.get("ideas") else ""
        region_label = data_set_label(comparison["region_size"], comparison["municipalities"])
        lone = (comparison.get("alone_municipality") or {}).get("name") or "Fjordvik"
        out.append("### A municipality's pages as the region grows")
        out.append("")
        out.append(
            f"Alone: {lone} with {data_set_label(comparison['alone_size'])}. In the "
            f"region: {who}{own}, in {region_label}."
        )
        out.append("")
        modes = [m for m in MODES if any(m in row["modes"] for row in comparison["rows"])]
        head = ["page (alone ↔ in the region)"]
        for mode in modes:
            label = MODE_LABELS[mode]
            head += [
                f"{label} p50 ms alone → region",
                f"{label} req/s · × floor alone → region",
                f"{label} region ÷ alone (× floor)",
            ]
        head += ["queries warm / cold alone, anonymous · logged in", "in the region", "budget"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + " --- |" * len(head))
        for row in comparison["rows"]:
            same = row["alone"] == row["region"]
            pair = row["alone"] if same else f"{row['alone']} ↔ {row['region']}"
            cells = [f"{row['label']} ({pair})"]
            for mode in modes:
                f = row["modes"].get(mode)
                if f is None:
                    cells += ["—", "—", "—"]
                    continue
                cells.append(f"{_number(f['p50_ms_alone'])} → {_number(f['p50_ms_region'])}")
                alone = f"{_number(f['rps_alone'], '.0f')} · "
                alone += _number(f["ratio_to_floor_alone"], ".2f")
                region = f"{_number(f['rps_region'], '.0f')} · "
                region += _number(f["ratio_to_floor_region"], ".2f")
                cells.append(f"{alone} → {region}")
                cells.append(f"{_number(f['region_vs_alone'], '.2f')}")
            cells += [_queries_cell(row["queries_alone"]), _queries_cell(row["queries_region"])]
            failed = row["failed_lines"]
            cells.append(PASS if not failed else "FAIL: " + ", ".join(failed))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        out.append(
            f"- Budget: in the region, each page keeps ≥ {MIN_REGION_RATIO:g} × its req/s "
            "alone, each relative to its own data set's floor read in the same mode, and "
            "no more warm queries than alone (anonymous and logged in)."
        )
        out.append("")
    return "\n".join(out)
