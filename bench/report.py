"""From raw runs to the report: a Markdown table per size and one JSON file per size.

Pure functions on plain data (no Django, no I/O except `write_json`), so the report can
be tested on a tiny synthetic run. A run for one size looks like::

    {"size": 10000, "pages": [
        {"name": "home", "label": "Home", "method": "GET", "path": "/",
         "http_status": 200, "queries": 7, "error": "", "note": "",
         "runs": [{"requests": 900, "duration_us": 10000000, "p50_us": 8000,
                   "p95_us": 15000, "status_errors": 0, ...}, ...]},
        ...],
     "vote_check": {"posts": 2000, "statuses": {"200": 2000}, "drift": 0, ...},
     "worker_rss_mb": [120.5, 118.2], ...}
"""

from __future__ import annotations

import datetime
import json
import statistics
from pathlib import Path

# --- The budget (issue 7) ----------------------------------------------------------------
MAX_QUERIES = 12
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

PASS, FAIL, NA = "pass", "FAIL", "n/a"


def _ms(microseconds: float) -> float:
    return round(microseconds / 1000.0, 1)


def _optional(value: object) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _queries(page: dict) -> str:
    warm, cold = page.get("queries"), page.get("queries_cold")
    if cold is None:
        return _optional(warm)
    return f"{_optional(warm)} / {cold}"


def summarise_page(page: dict) -> dict:
    """Median and spread (min–max) over the repetitions of one page."""
    runs = [run for run in page.get("runs", []) if run.get("requests")]
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
            "note",
        )
    }
    summary["repetitions"] = len(runs)
    error = page.get("error", "")
    if runs:
        p50 = [_ms(run["p50_us"]) for run in runs]
        p95 = [_ms(run["p95_us"]) for run in runs]
        rps = [round(run["requests"] / (run["duration_us"] / 1e6), 1) for run in runs]
        requests = sum(run["requests"] for run in runs)
        failed = sum(
            run.get(kind, 0)
            for run in runs
            for kind in ("status_errors", "connect_errors", "read_errors", "timeouts")
        )
        summary.update(
            p50_ms=statistics.median(p50),
            p50_spread=[min(p50), max(p50)],
            p95_ms=statistics.median(p95),
            p95_spread=[min(p95), max(p95)],
            rps=statistics.median(rps),
            rps_spread=[min(rps), max(rps)],
            requests=requests,
            failed_responses=failed,
        )
        if not error and failed > MAX_ERROR_SHARE * requests:
            error = f"{failed} of {requests} responses failed (HTTP ≥ 400 or socket errors)"
    elif not error:
        error = "no requests completed"
    summary["error"] = error
    summary["ok"] = not error
    summary["runs"] = page.get("runs", [])  # the raw figures, kept in the JSON
    return summary


def summarise(result: dict) -> dict:
    """Summaries of all pages of one size, with each page's ratio to the floor."""
    pages = [summarise_page(page) for page in result["pages"]]
    floor = next((p for p in pages if p["name"] == "floor" and p["ok"]), None)
    for page in pages:
        if floor and page.get("rps") and page["ok"]:
            page["ratio_to_floor"] = round(page["rps"] / floor["rps"], 2)
        else:
            page["ratio_to_floor"] = None
    return {**result, "pages": pages}


def evaluate(summaries: list[dict]) -> list[dict]:
    """The budget, line by line, for each size; growth against the smallest size run."""
    ordered = sorted(summaries, key=lambda s: s["size"])
    baseline = ordered[0] if len(ordered) > 1 else None
    base_pages = {p["name"]: p for p in baseline["pages"]} if baseline else {}
    evaluated = []
    for summary in ordered:
        pages = []
        # The floor does the same work at every size: its own change between sizes is
        # the machine's drift, shown beside each page's growth (the budget stays raw).
        floor = next((p for p in summary["pages"] if p["name"] == "floor"), None)
        base_floor = base_pages.get("floor")
        floor_growth = None
        if (
            baseline is not None
            and summary is not baseline
            and floor
            and base_floor
            and floor.get("p50_ms")
            and base_floor.get("p50_ms")
        ):
            floor_growth = floor["p50_ms"] / base_floor["p50_ms"]
        for page in summary["pages"]:
            checks = {}
            if not page["ok"]:
                checks = {"queries": FAIL, "throughput": FAIL, "search_p95": NA, "growth": NA}
                if page["name"] in P95_BUDGET_MS:
                    checks["search_p95"] = FAIL
            else:
                counts = (page.get("queries"), page.get("queries_cold"))
                base = base_pages.get(page["name"])
                same = base is None or all(
                    base.get(key) in (None, page.get(key)) for key in ("queries", "queries_cold")
                )
                # The budget holds the page as visitors find it (warm, after one request);
                # the cold count is the first visitor after a change: reported, and it
                # must not grow with the data either.
                within = counts[0] is not None and counts[0] <= MAX_QUERIES
                checks["queries"] = PASS if within and same else FAIL
                minimum = MIN_FLOOR_RATIO.get(page["name"])
                ratio = page.get("ratio_to_floor")
                if minimum is None:
                    checks["throughput"] = NA
                else:
                    checks["throughput"] = PASS if ratio is not None and ratio >= minimum else FAIL
                if page["name"] in P95_BUDGET_MS:
                    budget = P95_BUDGET_MS[page["name"]]
                    checks["search_p95"] = PASS if page["p95_ms"] < budget else FAIL
                else:
                    checks["search_p95"] = NA
                if page["name"] == "floor" and floor_growth is not None:
                    page["growth"] = round(floor_growth, 2)
                    checks["growth"] = NA
                elif baseline is None or summary is baseline or page["name"] == "floor":
                    checks["growth"] = NA
                elif base is None or not base["ok"] or not base.get("p50_ms"):
                    checks["growth"] = FAIL
                else:
                    growth = page["p50_ms"] / base["p50_ms"]
                    page["growth"] = round(growth, 2)
                    if floor_growth:
                        page["growth_net_of_floor"] = round(growth / floor_growth, 2)
                    checks["growth"] = PASS if page["growth"] <= MAX_GROWTH else FAIL
            pages.append({**page, "budget": checks})
        vote = summary.get("vote_check") or {}
        rss = summary.get("worker_rss_mb") or []
        overall = {
            "vote_check": PASS if vote.get("passed") else FAIL,
            "worker_rss": PASS if rss and max(rss) < MAX_WORKER_RSS_MB else FAIL,
        }
        evaluated.append(
            {
                **summary,
                "pages": pages,
                "budget": overall,
                "growth_baseline": baseline["size"] if baseline else None,
            }
        )
    return evaluated


def _spread(values: list[float] | None) -> str:
    if not values:
        return ""
    low, high = values
    return f" ({low:g}–{high:g})" if low != high else ""


def markdown(evaluated: list[dict]) -> str:
    """One table per size, then the lines of the budget that are not per page."""
    out = []
    for summary in evaluated:
        out.append(f"### {summary['size']:,} ideas".replace(",", " "))
        out.append("")
        base = summary.get("growth_baseline")
        growth_head = f"growth vs {base:,}".replace(",", " ") if base else "growth"
        out.append(
            "| page | p50 ms | p95 ms | req/s | × floor | queries warm / cold | cold ms | "
            f"queries ≤ {MAX_QUERIES} | throughput | search p95 < {SEARCH_P95_MS:g} ms"
            f" (hint, did you mean: < {P95_BUDGET_MS['similar']:g}) "
            f"| {growth_head} ≤ {MAX_GROWTH} |"
        )
        out.append("|" + " --- |" * 11)
        for page in summary["pages"]:
            checks = page["budget"]
            if page["ok"]:
                cells = [
                    f"{page['p50_ms']:g}{_spread(page.get('p50_spread'))}",
                    f"{page['p95_ms']:g}{_spread(page.get('p95_spread'))}",
                    f"{page['rps']:g}{_spread(page.get('rps_spread'))}",
                    f"{page['ratio_to_floor']:.2f}" if page.get("ratio_to_floor") else "",
                    _queries(page),
                    _optional(page.get("cold_ms")),
                ]
            else:
                cells = [f"failed: {page['error']}", "", "", "", _queries(page), ""]
            growth = checks["growth"]
            if "growth" in page and growth != NA:
                growth = f"{growth} ({page['growth']:g}×"
                if "growth_net_of_floor" in page:
                    growth += f"; {page['growth_net_of_floor']:g}× net of the floor's"
                growth += ")"
            elif page["name"] == "floor" and "growth" in page:
                growth = f"n/a (the machine: {page['growth']:g}×)"
            throughput = checks["throughput"]
            if throughput != NA and page.get("ratio_to_floor") is not None:
                throughput = f"{throughput} (≥ {MIN_FLOOR_RATIO[page['name']]:g})"
            out.append(
                "| "
                + " | ".join(
                    [
                        page["label"],
                        *cells,
                        checks["queries"],
                        throughput,
                        checks["search_p95"],
                        growth,
                    ]
                )
                + " |"
            )
        out.append("")
        vote = summary.get("vote_check") or {}
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted((vote.get("statuses") or {}).items()))
        out.append(
            f"- Votes: {vote.get('posts', 0)} POSTs from {vote.get('users', 0)} users on "
            f"{vote.get('ideas', 0)} ideas; responses {statuses or 'none'}; ideas whose count "
            f"differs from the vote rows: {vote.get('drift', '?')} — "
            f"**{summary['budget']['vote_check']}**"
            + (f" ({vote['error']})" if vote.get("error") else "")
        )
        rss = summary.get("worker_rss_mb") or []
        rss_text = ", ".join(f"{value:g} MB" for value in rss) or "not measured"
        out.append(
            f"- Gunicorn worker RSS after the run: {rss_text} (< {MAX_WORKER_RSS_MB:g} MB) — "
            f"**{summary['budget']['worker_rss']}**"
        )
        settings = summary.get("settings") or {}
        if settings:
            out.append(
                "- Each page: {warmup} s warm-up (not counted), then {repeats} × {duration} s "
                "at {connections} connections; p50/p95/req/s are medians of the repetitions, "
                "(min–max) their spread. Queries: Django's test client, one request right "
                "after emptying every cache (cold, also timed in process), then one more "
                "(warm).".format(**settings)
            )
        if summary.get("generation_seconds") is not None:
            seconds = summary["generation_seconds"]
            out.append(f"- Data generated and search index rebuilt in {seconds:.0f} s.")
        out.append("")
    return "\n".join(out)


def write_json(summary: dict, directory: Path, date: datetime.date | None = None) -> Path:
    """bench/results/<date>-<size>.json."""
    date = date or datetime.date.today()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{date.isoformat()}-{summary['size']}.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def build(results: list[dict], directory: Path, date: datetime.date | None = None) -> str:
    """Summarise and evaluate every size, write the JSON files, return the Markdown."""
    evaluated = evaluate([summarise(result) for result in results])
    for summary in evaluated:
        write_json(summary, directory, date)
    return markdown(evaluated)
