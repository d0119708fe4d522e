"""`make bench-hosts` / `python -m bench.two_hosts`: two app servers, one Redis, one
PostgreSQL.

Production with more than one host shares its cache in Redis (CACHE_URL). This run starts
a throwaway PostgreSQL and a throwaway Redis on 127.0.0.1, fills one database with the
generator, and starts two gunicorns ("host A" and "host B") on different ports with the
same settings, sharing both. Then:

1. Coherence: a logged-in person votes through host A and the very next GET of that
   idea's page on host B must show the count A answered with (and the other way round),
   for `--writes` votes. Without a shared cache, B would keep serving the page it had
   cached before the vote.
2. Throughput: wrk against each page on A alone, on B alone, then on both at once (two
   wrk processes in parallel); the table shows whether the two hosts' req/s add up.

A measurement, not a test: nothing here asserts timings. Every loop is bounded, and all
traffic goes to 127.0.0.1. On one machine the two "hosts" share its cores with
PostgreSQL, Redis and wrk, so "adds up" can at best mean "each keeps most of its
throughput while the other is loaded"; the table says how much.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from bench.run import (
    HOST,
    RESULTS,
    Postgres,
    django_env,
    ensure_wrk,
    gunicorn,
    log,
    manage,
    run_wrk,
)

COUNT = re.compile(r'class="ideas-count">([^<]*)<')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.two_hosts", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="ideas in the database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per repetition")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of uncounted warm-up")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions per page and mode")
    parser.add_argument("--connections", type=int, default=4, help="connections per host")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads per host")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host")
    parser.add_argument("--port", type=int, default=8775, help="host A; host B is the next")
    parser.add_argument("--pg-port", type=int, default=54341)
    parser.add_argument("--redis-port", type=int, default=63794)
    parser.add_argument("--writes", type=int, default=20, help="votes in the coherence check")
    parser.add_argument(
        "--pages",
        nargs="+",
        default=["ideas_list", "idea_detail", "challenge"],
        help="GET pages for the throughput runs (names as in bench/pages.py)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def ensure_redis_server() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("The two-host run needs Redis: sudo apt-get install redis-server")
    log("redis-server is missing; installing Debian's redis-server with apt-get (as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "redis-server"]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, timeout=600)
        subprocess.run(install, env=env, check=True, stdout=subprocess.DEVNULL, timeout=600)
    return shutil.which("redis-server") or "redis-server"


@contextlib.contextmanager
def redis_server(binary: str, port: int) -> Iterator[str]:
    """A throwaway Redis on 127.0.0.1 (no persistence); yields its URL, then stops it."""
    workdir = tempfile.mkdtemp(prefix="bench-redis.")
    process = subprocess.Popen(
        [binary, "--bind", HOST, "--port", str(port), "--dir", workdir, "--save", ""]
        + ["--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"redis-server exited at start (port {port} taken?)")
            with contextlib.suppress(OSError), http_socket(port) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    break
            if time.monotonic() > deadline:
                raise SystemExit("redis-server did not answer in 30 s")
            time.sleep(0.1)
        yield f"redis://{HOST}:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def http_socket(port: int):
    import socket

    return socket.create_connection((HOST, port), timeout=2)


def hosts_env(database_url: str, static_root: Path, redis_url: str) -> dict[str, str]:
    """bench.settings as in `make bench`, but with the default cache in the shared Redis."""
    env = django_env(database_url, static_root)
    env.pop("CACHE_LOCATION", None)
    env.pop("CACHE_BACKEND", None)
    env["CACHE_URL"] = redis_url
    return env


# --- Coherence -----------------------------------------------------------------------------


def _request(port: int, method: str, path: str, headers: dict | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(
            method, path, body=b"" if method == "POST" else None, headers=headers or {}
        )
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _count(html: str) -> int | None:
    found = COUNT.search(html)
    if found is None:
        return None
    digits = re.sub(r"\D", "", found.group(1))
    return int(digits) if digits else None


def coherence_check(
    ports: tuple[int, int], sessions: list[dict], vote_paths: list[str], writes: int
) -> dict:
    """`writes` votes, alternating the host that takes the vote; after each, the other
    host's next GET of the idea page must show the count the voting host answered."""
    if not sessions or not vote_paths:
        return {"writes": 0, "error": "no users or ideas for the check"}
    seen, missed = 0, []
    for number in range(writes):
        writer, reader = (ports[0], ports[1]) if number % 2 == 0 else (ports[1], ports[0])
        session = sessions[number % len(sessions)]
        vote_path = vote_paths[(number // len(sessions)) % len(vote_paths)]
        page_path = vote_path.removesuffix("vote/")
        # The reader has the page cached before the write (anonymous visitors' parts).
        _request(reader, "GET", page_path)
        status, answer = _request(
            writer,
            "POST",
            vote_path,
            {
                "Cookie": session["cookie"],
                "X-CSRFToken": session["csrf_token"],
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        written = _count(answer) if status == 200 else None
        status_after, page = _request(reader, "GET", page_path)
        shown = _count(page) if status_after == 200 else None
        if written is not None and shown == written:
            seen += 1
        else:
            missed.append(
                {
                    "writer": writer,
                    "reader": reader,
                    "path": page_path,
                    "vote_status": status,
                    "written": written,
                    "shown": shown,
                }  # fmt: skip
            )
    return {"writes": writes, "seen_on_next_request": seen, "missed": missed[:10]}


# --- Throughput ----------------------------------------------------------------------------


def _both(wrk: str, ports: tuple[int, int], page: dict, args: argparse.Namespace) -> list[dict]:
    """wrk against both hosts at the same time; one result per host."""
    results: list[dict] = [{}, {}]

    def load(index: int) -> None:
        results[index] = run_wrk(
            wrk, ports[index], page, args.duration, args.connections, args.threads
        )

    workers = [threading.Thread(target=load, args=(i,)) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=args.duration + 120)
    return results


def _rps(run: dict) -> float:
    seconds = (run.get("duration_us") or 0) / 1e6
    return run.get("requests", 0) / seconds if seconds else 0.0


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def throughput(wrk: str, ports: tuple[int, int], pages: list[dict], args) -> list[dict]:
    rows = []
    for page in pages:
        for port in ports:
            run_wrk(wrk, port, page, args.warmup, args.connections, args.threads)
        runs = {"a_alone": [], "b_alone": [], "both": []}
        for repetition in range(args.repeats):
            runs["a_alone"].append(
                run_wrk(wrk, ports[0], page, args.duration, args.connections, args.threads)
            )
            runs["b_alone"].append(
                run_wrk(wrk, ports[1], page, args.duration, args.connections, args.threads)
            )
            runs["both"].append(_both(wrk, ports, page, args))
            log(
                f"  {page['name']} #{repetition + 1}: A alone {_rps(runs['a_alone'][-1]):.0f}, "
                f"B alone {_rps(runs['b_alone'][-1]):.0f}, both "
                + " + ".join(f"{_rps(run):.0f}" for run in runs["both"][-1])
                + " req/s"
            )
        single = _median([_rps(r) for r in runs["a_alone"] + runs["b_alone"]])
        combined = _median([sum(_rps(r) for r in pair) for pair in runs["both"]])
        errors = sum(
            int(r.get("status_errors", 0) or 0)
            for r in runs["a_alone"] + runs["b_alone"] + [x for pair in runs["both"] for x in pair]
        )
        rows.append(
            {
                "name": page["name"],
                "path": page["path"],
                "single_host_rps": round(single, 1),
                "two_hosts_rps": round(combined, 1),
                "ratio": round(combined / single, 2) if single else 0.0,
                "status_errors": errors,
                "runs": runs,
            }
        )
    return rows


def table(result: dict) -> str:
    check = result["coherence"]
    control = result["coherence_with_a_cache_per_host"]
    lines = [
        f"Two hosts (gunicorn × {result['settings']['workers']} workers each) sharing Redis and "
        f"PostgreSQL, {result['size']} ideas, {result['settings']['connections']} connections "
        "per host:",
        "",
        "| page | one host req/s | two hosts req/s | two ÷ one | errors |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in result["throughput"]:
        lines.append(
            f"| {row['name']} | {row['single_host_rps']:.0f} | {row['two_hosts_rps']:.0f} | "
            f"{row['ratio']:.2f}× | {row['status_errors']} |"
        )
    lines += [
        "",
        f"Coherence: {check.get('seen_on_next_request', 0)} of {check.get('writes', 0)} votes "
        "taken by one host showed on the other host's next request"
        + (f" ({check['error']})" if check.get("error") else "")
        + ".",
        f"Control, each host with its own cache instead of Redis: "
        f"{control.get('seen_on_next_request', 0)} of {control.get('writes', 0)}.",
        f"Machine: {result['machine']['cpus']} CPUs shared by both hosts, PostgreSQL, "
        "Redis and wrk.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bench.run import ROOT

    args = parse_args(argv)
    os.chdir(ROOT)
    wrk = ensure_wrk()
    redis_binary = ensure_redis_server()
    pg = Postgres(args.pg_port)
    static = Path(tempfile.mkdtemp(prefix="bench-static."))
    ports = (args.port, args.port + 1)
    log(f"Starting a throwaway PostgreSQL on {HOST}:{args.pg_port} and Redis on :{args.redis_port}")
    try:
        pg.start()
        with (
            redis_server(redis_binary, args.redis_port) as redis_url,
            tempfile.TemporaryDirectory(prefix="bench-hosts.") as tmp,
            contextlib.ExitStack() as servers,
        ):
            database = "bench_hosts"
            pg.sql(f"CREATE DATABASE {database} OWNER bench")
            env = hosts_env(pg.url(database), static, redis_url)
            log("Migrating, collecting static files, generating data")
            manage(env, "migrate", "--no-input")
            manage(env, "collectstatic", "--no-input", "-v", "0")
            manage(env, "generate_bench_data", "--ideas", str(args.size))
            pg.sql("VACUUM ANALYZE", database)
            prepared = json.loads(manage(env, "bench_prepare", "--out", tmp))
            pages = [
                target
                for target in prepared["targets"]
                if target["name"] in args.pages
                and target["method"] == "GET"
                and not target["error"]
            ]
            for name, port in zip("AB", ports, strict=True):
                log(f"Starting host {name} on {HOST}:{port}")
                servers.enter_context(
                    gunicorn(env, port, args.workers, Path(tmp) / f"gunicorn-{name}.log")
                )
            log(f"Coherence: {args.writes} votes, alternating hosts")
            coherence = coherence_check(
                ports, prepared["vote_check_sessions"], prepared["vote_check_paths"], args.writes
            )
            log("Throughput: each host alone, then both at once")
            rows = throughput(wrk, ports, pages, args)
            # The control: the same check with each host keeping its own cache (as
            # production's per-host file cache would), to show what the check catches.
            control_ports = (args.port + 2, args.port + 3)
            for name, port in zip("AB", control_ports, strict=True):
                own_cache = {**env, "CACHE_URL": "", "CACHE_LOCATION": f"{tmp}/cache-{name}"}
                servers.enter_context(
                    gunicorn(own_cache, port, 1, Path(tmp) / f"gunicorn-{name}-own.log")
                )
            log(f"Control: {args.writes} votes, hosts with a cache each")
            control = coherence_check(
                control_ports,
                prepared["vote_check_sessions"],
                prepared["vote_check_paths"],
                args.writes,
            )
        result = {
            "size": args.size,
            "date": datetime.date.today().isoformat(),
            "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
            "settings": {
                key: getattr(args, key)
                for key in ("duration", "warmup", "repeats", "connections", "threads", "workers")
            },
            "coherence": coherence,
            "coherence_with_a_cache_per_host": control,
            "throughput": rows,
        }
        args.results.mkdir(parents=True, exist_ok=True)
        out = args.results / f"{result['date']}-two-hosts-{args.size}.json"
        out.write_text(json.dumps(result, indent=2))
        print()
        print(table(result))
        log(f"JSON written to {out}")
    finally:
        pg.stop()
        shutil.rmtree(static, ignore_errors=True)
        # The session files of the control hosts (without Redis), beside the static root.
        shutil.rmtree(f"{static}-sessions-0", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
