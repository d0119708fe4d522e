"""`make bench` / `python -m bench`: the benchmark harness.

For each data set (a size, alone or spread over a region's municipalities): a fresh
database (copied from a migrated template) in a throwaway PostgreSQL on 127.0.0.1, the
generator, and gunicorn with the production settings (bench.settings). Then wrk against
every page in three modes (anonymous, logged in, and mixed: anonymous reads while a
writer votes every 200 ms), the data sets and modes taking turns so the machine's drift
falls on all of them alike; per data set the vote check and worker memory; then the
report. Every loop here is bounded in count and time, and all traffic goes to
127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import report, writer
from bench.report import data_set_key, data_set_label

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
RESULTS = Path(__file__).resolve().parent / "results"
VOTE_CHECK_POSTS = 2000
# How each GET page is read: by anonymous visitors; by logged-in citizens (each request
# with one of 50 citizens' session cookies); and by anonymous visitors while a writer
# votes every 200 ms (bench/writer.py). The POSTs are logged in by nature.
MODES = ("anonymous", "logged_in", "mixed")
# As the generator (bench.generator.MAX_MUNICIPALITIES), which needs Django to import.
MAX_MUNICIPALITIES = 20


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--duration", type=int, default=10, help="seconds per repetition")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of uncounted warm-up")
    parser.add_argument("--repeats", type=int, default=5, help="repetitions per page")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765, help="gunicorn port on 127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=54340)
    parser.add_argument(
        "--municipalities",
        type=int,
        nargs="+",
        default=[1],
        help="municipalities of each size's data set, paired with --sizes (one value: every "
        "size); above 1 a region (issue 13: 20), default 1",
    )
    parser.add_argument("--pages", nargs="*", help="only these pages (names as in the table)")
    parser.add_argument(
        "--modes",
        nargs="+",
        choices=MODES,
        default=list(MODES),
        help="how GET pages are read (default: all three)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.data_sets = data_sets(parser, args.sizes, args.municipalities)
    return args


def data_sets(
    parser: argparse.ArgumentParser, sizes: list[int], municipalities: list[int]
) -> list[tuple[int, int]]:
    """(size, municipalities) of each data set: --municipalities paired with --sizes, or
    one value for every size. Each data set once (its database and files are its own)."""
    if len(municipalities) == 1:
        municipalities = municipalities * len(sizes)
    if len(municipalities) != len(sizes):
        parser.error(
            f"--municipalities takes one value, or one per size: {len(sizes)} sizes, "
            f"{len(municipalities)} municipality counts"
        )
    if any(not 1 <= count <= MAX_MUNICIPALITIES for count in municipalities):
        parser.error(f"--municipalities: 1 to {MAX_MUNICIPALITIES}")
    pairs = list(zip(sizes, municipalities, strict=True))
    if len(set(pairs)) != len(pairs):
        parser.error("the same size with the same --municipalities twice")
    return pairs


# --- Tools -------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("The benchmark needs wrk: sudo apt-get install wrk")
    log("wrk is missing; installing Debian's wrk with apt-get (we are running as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, timeout=600)
        subprocess.run(install, env=env, check=True, stdout=subprocess.DEVNULL, timeout=600)
    return shutil.which("wrk") or "wrk"


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1, run as the postgres user."""

    def __init__(self, port: int) -> None:
        self.port = port
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
        if not versions:
            raise SystemExit("PostgreSQL server binaries not found in /usr/lib/postgresql")
        self.bin = versions[-1]
        self.data = Path(tempfile.mkdtemp(prefix="bench-postgres."))

    def _as_postgres(self, *command: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", "postgres", "--", *command], **kwargs)

    def start(self) -> None:
        shutil.chown(self.data, "postgres", "postgres")
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8", check=True, stdout=subprocess.DEVNULL, timeout=120,
        )  # fmt: skip
        options = (
            f"-p {self.port} -k /tmp -c listen_addresses={HOST} -c shared_buffers=256MB "
            "-c work_mem=16MB -c max_connections=60"
        )
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log"),
            "-w", "-t", "60", "start", "-o", options, check=True, stdout=subprocess.DEVNULL,
            timeout=90,
        )  # fmt: skip
        self.sql("CREATE ROLE bench LOGIN CREATEDB PASSWORD 'bench'")

    def stop(self) -> None:
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop",
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=90,
        )  # fmt: skip
        shutil.rmtree(self.data, ignore_errors=True)

    def sql(self, statement: str, database: str = "postgres") -> str:
        done = subprocess.run(
            ["psql", "-h", HOST, "-p", str(self.port), "-U", "postgres", "-d", database,
             "-v", "ON_ERROR_STOP=1", "-q", "-At", "-c", statement],
            check=True, capture_output=True, text=True, timeout=3600,
        )  # fmt: skip
        return done.stdout.strip()

    def url(self, database: str) -> str:
        return f"postgres://bench:bench@{HOST}:{self.port}/{database}"


def django_env(database_url: str, static_root: Path, key: str = "0") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "BENCH_STATIC_ROOT": str(static_root),
        # Production's shared file caches (pages' versions, sessions), in directories of
        # this run (never the checkout's).
        "CACHE_LOCATION": f"{static_root}-cache-{key}",
        "SESSION_CACHE_LOCATION": f"{static_root}-sessions-{key}",
        # Production configuration: persistent connections, tasks queued in the database.
        "CONN_MAX_AGE": "600",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str, timeout: int = 3600) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.stdout


# --- The server --------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, log_path: Path) -> Iterator[int]:
    """Start gunicorn, wait until it answers (at most 60 s), yield the master pid, stop."""
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi:application",
             "--bind", f"{HOST}:{port}", "--workers", str(workers), "--worker-class", "sync",
             "--timeout", "120", "--error-logfile", "-", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log_file, stderr=log_file,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start; see {log_path}")
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=5)
                connection.request("GET", "/bench/floor/")
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer in 60 s; see {log_path}") from None
                time.sleep(0.5)
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def worker_rss_mb(master_pid: int) -> list[float]:
    """VmRSS of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    sizes = []
    with contextlib.suppress(OSError):
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


# --- Load --------------------------------------------------------------------------------


def requests_file(page: dict, mode: str) -> str:
    """The request file wrk sends for `page` read in `mode` ("" for wrk's own GET)."""
    if mode == "logged_in" and page.get("method", "GET") == "GET":
        return page.get("logged_in_requests_file") or ""
    return page.get("requests_file") or ""


def run_wrk(
    wrk: str,
    port: int,
    page: dict,
    seconds: int,
    connections: int,
    threads: int,
    mode: str = "anonymous",
) -> dict:
    env = {**os.environ, "BENCH_REQUESTS": requests_file(page, mode)}
    command = [
        wrk, f"--threads={min(threads, connections)}", f"--connections={connections}",
        f"--duration={seconds}s", "--timeout=30s", f"--script={WRK_SCRIPT}",
        f"http://{HOST}:{port}{page['path']}",
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    return {"requests": 0, "error": (done.stderr or done.stdout)[-500:]}


def vote_check(port: int, sessions: list[dict], paths: list[str], seed: int = 11) -> dict:
    """VOTE_CHECK_POSTS vote toggles from len(sessions) concurrent users on `paths`."""
    if not sessions or not paths:
        return {"posts": 0, "error": "no users or ideas for the vote check", "statuses": {}}
    per_user = VOTE_CHECK_POSTS // len(sessions)
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    rnd = random.Random(seed)
    plans = [[rnd.choice(paths) for _ in range(per_user)] for _ in sessions]

    def user(session: dict, plan: list[str]) -> None:
        cookie = session["cookie"]
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        for path in plan:
            try:
                connection.request(
                    "POST",
                    path,
                    body=b"",
                    headers={
                        "Cookie": cookie,
                        "X-CSRFToken": session["csrf_token"],
                        "HX-Request": "true",
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
                response = connection.getresponse()
                response.read()
                key = str(response.status)
            except (OSError, http.client.HTTPException) as error:
                key = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            with lock:
                statuses[key] += 1
        connection.close()

    workers = [
        threading.Thread(target=user, args=(session, plan))
        for session, plan in zip(sessions, plans, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=600)
    return {
        "posts": per_user * len(sessions),
        "users": len(sessions),
        "ideas": len(set(paths)),
        "statuses": dict(statuses),
    }


# --- Data sets, side by side ---------------------------------------------------------------


@dataclass
class DataSet:
    """One data set's database, server environment and pages, while the run lasts: a
    size, and how many municipalities it is spread over (1: Fjordvik alone)."""

    size: int
    municipalities: int
    env: dict[str, str]
    requests_dir: str
    generation_seconds: float
    prepared: dict
    pages: list[dict]
    port: int = 0
    master: int = 0
    writer: writer.Writer | None = None

    @property
    def key(self) -> str:
        """In every name of its own: database, directories, logs, JSON file."""
        return data_set_key(self.size, self.municipalities)

    @property
    def label(self) -> str:
        return data_set_label(self.size, self.municipalities)


def database_name(size: int, municipalities: int) -> str:
    return "bench_" + data_set_key(size, municipalities).replace("-", "_")


def prepare_data_set(
    size: int, municipalities: int, args: argparse.Namespace, pg: Postgres, static: Path, tmp: str
) -> DataSet:
    """A fresh database filled by the generator, and every page's URL and queries."""
    key, label = data_set_key(size, municipalities), data_set_label(size, municipalities)
    database = database_name(size, municipalities)
    pg.sql(f"DROP DATABASE IF EXISTS {database}")
    pg.sql(f"CREATE DATABASE {database} TEMPLATE bench_template OWNER bench")
    env = django_env(pg.url(database), static, key)
    # Each data set has its own, empty shared cache: nothing cached from another database.
    shutil.rmtree(env["CACHE_LOCATION"], ignore_errors=True)
    shutil.rmtree(env["SESSION_CACHE_LOCATION"], ignore_errors=True)

    log(f"{label}: generating data")
    started = time.monotonic()
    generate = ["--ideas", str(size), "--municipalities", str(municipalities)]
    print(manage(env, "generate_bench_data", *generate), end="", flush=True)
    generation_seconds = round(time.monotonic() - started, 1)
    pg.sql("VACUUM ANALYZE", database)

    log(f"{label}: resolving pages and counting queries")
    requests_dir = tempfile.mkdtemp(prefix=f"bench-requests-{key}.", dir=tmp)
    prepared = json.loads(manage(env, "bench_prepare", "--out", requests_dir))
    pages = [
        {**target, "runs": {}}
        for target in prepared["targets"]
        if not args.pages or target["name"] in args.pages or target["name"] == "floor"
    ]
    for page in pages:
        state = page["error"] or (
            f"HTTP {page['http_status']}, {page['queries']} queries warm, "
            f"{page['queries_cold']} cold ({page['cold_ms']} ms)"
        )
        if page.get("queries_logged_in") is not None and not page["error"]:
            state += (
                f"; logged in {page['queries_logged_in']} warm, "
                f"{page['queries_logged_in_cold']} cold ({page['cold_ms_logged_in']} ms)"
            )
        log(f"  {page['name']}: {page['method']} {page['path']} — {state}")
    measured = prepared.get("municipality")
    if measured:
        log(f"  measured municipality: {measured['name']}, {measured['ideas']} ideas")
    steps = writer.plan(prepared["writer_sessions"], prepared["writer_paths"])
    return DataSet(
        size,
        municipalities,
        env,
        requests_dir,
        generation_seconds,
        prepared,
        pages,
        writer=writer.Writer(steps),
    )


def page_modes(page: dict, modes: list[str]) -> list[str]:
    """The modes `page` is read in: GET pages in every mode asked for, POSTs logged in."""
    if page["method"] != "GET":
        return ["logged_in"]
    return [mode for mode in MODES if mode in modes]


def measure_once(wrk: str, size: DataSet, page: dict, mode: str, seconds: int, args) -> dict:
    """One wrk run of `page` in `mode`; a mixed run has the writer voting meanwhile."""
    if mode != "mixed":
        return run_wrk(wrk, size.port, page, seconds, args.connections, args.threads, mode)
    if size.writer is None or not size.writer.steps:
        return {"requests": 0, "error": "no writer: no users or ideas open for votes"}
    with writer.writing(size.writer, HOST, size.port, max_seconds=seconds + 60) as tally:
        run = run_wrk(wrk, size.port, page, seconds, args.connections, args.threads, mode)
    return {**run, "writer": tally.as_dict()}


def turns(sizes: list[DataSet], method: str) -> list[tuple[str, list[tuple[DataSet, dict]]]]:
    """The pages of `method` to measure, in order, each with the data sets it is measured
    in: every data set where it was found. A page of a region only (a municipality's home
    page) is measured in the regions; one that failed in a data set, in the others."""
    names = list(dict.fromkeys(page["name"] for size in sizes for page in size.pages))
    group = []
    for name in names:
        pairs = [
            (size, page)
            for size in sizes
            for page in size.pages
            if page["name"] == name and not page["error"] and page["method"] == method
        ]
        if pairs:
            group.append((name, pairs))
    return group


def measure(sizes: list[DataSet], args: argparse.Namespace, wrk: str) -> None:
    """wrk against every page of every data set in every mode, side by side.

    Each repetition runs every page of every data set in every mode in turn, so whatever
    the machine does meanwhile (it drifts, over half an hour) falls on all data sets and
    modes alike: the growth from one size to the next, a municipality's pages in a region
    beside the same pages alone, and the logged-in figure's ratio to the anonymous one
    are the pages', not the machine's.
    """
    # GET pages first, POSTs last: submitting adds ideas the lists would show.
    for method in ("GET", "POST"):
        group = turns(sizes, method)
        for _name, pairs in group:
            for size, page in pairs:
                for mode in page_modes(page, args.modes):
                    measure_once(wrk, size, page, mode, args.warmup, args)
        for repetition in range(args.repeats):
            for name, pairs in group:
                for size, page in pairs:
                    for mode in page_modes(page, args.modes):
                        run = measure_once(wrk, size, page, mode, args.duration, args)
                        page["runs"].setdefault(mode, []).append(run)
                        log(
                            f"  {size.key} {name} {mode} #{repetition + 1}: "
                            f"{run.get('requests', 0)} requests, "
                            f"p50 {run.get('p50_us', 0) / 1000:.1f} ms, "
                            f"errors {run.get('status_errors', 0)}"
                            + (f", {run['writer']['writes']} writes" if run.get("writer") else "")
                            + (f" ({run['error']})" if run.get("error") else "")
                        )


def finish_data_set(size: DataSet, args: argparse.Namespace) -> dict:
    """The vote check and the workers' memory (server running), then the result."""
    log(f"{size.label}: vote check")
    check = vote_check(
        size.port, size.prepared["vote_check_sessions"], size.prepared["vote_check_paths"]
    )
    rss = worker_rss_mb(size.master)
    verified = json.loads(manage(size.env, "bench_verify"))
    check["drift"] = verified["drift"]
    statuses = check.get("statuses", {})
    server_errors = sum(n for key, n in statuses.items() if not key.isdigit() or key >= "500")
    succeeded = sum(n for key, n in statuses.items() if key.isdigit() and key < "400")
    check["passed"] = (
        check.get("posts", 0) > 0
        and verified["drift"] == 0
        and server_errors == 0
        and succeeded == check["posts"]
    )
    if not check["passed"] and not check.get("error"):
        check["error"] = f"{server_errors} server or socket errors, {succeeded} successes"
    return {
        "size": size.size,
        "date": datetime.date.today().isoformat(),
        "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "settings": {
            "duration": args.duration,
            "warmup": args.warmup,
            "repeats": args.repeats,
            "connections": args.connections,
            "threads": args.threads,
            "workers": args.workers,
            "modes": args.modes,
            "municipalities": size.municipalities,
            "write_interval_s": writer.INTERVAL_SECONDS,
            "sizes_side_by_side": True,
        },
        "generation_seconds": size.generation_seconds,
        # Whose pages the municipality lines (and, in a region, challenge and idea) are.
        "municipality": size.prepared.get("municipality"),
        "pages": size.pages,
        "vote_check": check,
        "worker_rss_mb": rss,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(ROOT)
    wrk = ensure_wrk()
    pg = Postgres(args.pg_port)
    static = Path(tempfile.mkdtemp(prefix="bench-static."))
    log(f"Starting a throwaway PostgreSQL on {HOST}:{args.pg_port}")
    try:
        pg.start()
        pg.sql("CREATE DATABASE bench_template OWNER bench")
        env = django_env(pg.url("bench_template"), static)
        log("Migrating the template database and collecting static files")
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        with (
            tempfile.TemporaryDirectory(prefix="bench-run.") as tmp,
            contextlib.ExitStack() as servers,
        ):
            sizes = [
                prepare_data_set(size, municipalities, args, pg, static, tmp)
                for size, municipalities in args.data_sets
            ]
            # One server per data set, all running at once, so that they can take turns.
            for offset, size in enumerate(sizes):
                size.port = args.port + offset
                log_path = Path(tmp) / f"bench-gunicorn-{size.key}.log"
                size.master = servers.enter_context(
                    gunicorn(size.env, size.port, args.workers, log_path)
                )
            log("Measuring, the data sets side by side")
            measure(sizes, args, wrk)
            results = [finish_data_set(size, args) for size in sizes]
        table = report.build(results, args.results)
        print()
        print(table)
        log(f"JSON written to {args.results}/")
    finally:
        pg.stop()
        shutil.rmtree(static, ignore_errors=True)
        for key in ["0", *(data_set_key(*pair) for pair in args.data_sets)]:
            shutil.rmtree(f"{static}-cache-{key}", ignore_errors=True)
            shutil.rmtree(f"{static}-sessions-{key}", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
