"""The mixed runs' writer: votes through the real endpoint while wrk reads.

A citizen's vote is what changes a page most often, and every vote makes cached parts
of the pages stale, so the readers of a mixed run pay the cold price now and then, as
they would in production. The writer sends one vote POST every `interval` seconds
(0.2 s: five a second), each with a real session cookie and CSRF token, through the
same HTTP endpoint a browser's htmx uses. Its plan goes through its (citizen, idea)
pairs supporting, consecutive votes on different ideas, then through the same pairs
withdrawing (an explicit `action`, so a step never undoes another by toggling): after a
full round every count is back where it began, and it can go on for as long as the
readers run. Between runs it resumes where it stopped.

The loop takes its clock, its wait and its sender as arguments, so its logic is tested
without time passing or a server running (tests/bench/test_writer.py).
"""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

INTERVAL_SECONDS = 0.2
# A write slower than this is a failure: the writer's pace would be the server's, not 5/s.
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Step:
    cookie: str
    csrf_token: str
    path: str
    action: str  # "support" or "withdraw"


def plan(sessions: list[dict], paths: list[str]) -> list[Step]:
    """Every (session, idea) pair supporting, then every pair withdrawing.

    The ideas change from one step to the next (each session votes on every idea in
    turn), so no two consecutive writes lock the same idea's row.
    """
    pairs = [(session, path) for session in sessions for path in paths]
    return [
        Step(session["cookie"], session["csrf_token"], path, action)
        for action in ("support", "withdraw")
        for session, path in pairs
    ]


def request(step: Step) -> tuple[str, str, bytes, dict[str, str]]:
    """The vote as htmx sends it: method, path, form body and headers."""
    body = urlencode({"action": step.action}).encode()
    headers = {
        "Cookie": step.cookie,
        "X-CSRFToken": step.csrf_token,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return "POST", step.path, body, headers


@dataclass
class Tally:
    """What the writer did during one run."""

    writes: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"writes": self.writes, "statuses": dict(self.statuses), "seconds": self.seconds}


@dataclass
class Writer:
    """A plan and where the writer is in it (kept from one run to the next)."""

    steps: list[Step]
    interval: float = INTERVAL_SECONDS
    position: int = 0

    def run(
        self,
        send: Callable[[Step], str],
        stop: Callable[[], bool],
        wait: Callable[[float], None],
        clock: Callable[[], float],
        limit: int,
    ) -> Tally:
        """Send a step every `interval` until `stop()` says so, at most `limit` steps.

        Writes are due at fixed times from the start, so a slow write shortens the
        wait before the next one rather than slowing the pace (and a write slower than
        the interval is followed at once, never by a burst to catch up).
        """
        tally = Tally()
        if not self.steps:
            return tally
        started = clock()
        due = started
        while tally.writes < limit and not stop():
            step = self.steps[self.position % len(self.steps)]
            self.position = (self.position + 1) % len(self.steps)
            tally.statuses[send(step)] += 1
            tally.writes += 1
            due = max(due + self.interval, clock())
            pause = due - clock()
            if pause > 0:
                wait(pause)
        tally.seconds = round(clock() - started, 3)
        return tally


def http_sender(host: str, port: int) -> Callable[[Step], str]:
    """Send steps over one keep-alive connection (a new one after a socket error); each
    answer is its HTTP status, or the name of the error."""
    connection: list[http.client.HTTPConnection] = []

    def send(step: Step) -> str:
        if not connection:
            connection.append(http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS))
        method, path, body, headers = request(step)
        try:
            connection[0].request(method, path, body=body, headers=headers)
            response = connection[0].getresponse()
            response.read()
            return str(response.status)
        except (OSError, http.client.HTTPException) as error:
            connection.pop().close()
            return type(error).__name__

    return send


@contextlib.contextmanager
def writing(writer: Writer, host: str, port: int, max_seconds: float) -> Iterator[Tally]:
    """Run the writer in a thread while the block runs; the yielded tally is filled in
    when the block ends. At most `max_seconds` of writes even if the block runs longer."""
    stop = threading.Event()
    result = Tally()

    def work() -> None:
        done = writer.run(
            http_sender(host, port),
            stop=stop.is_set,
            wait=stop.wait,  # returns early when told to stop
            clock=time.monotonic,
            limit=int(max_seconds / writer.interval) + 1,
        )
        result.writes, result.statuses, result.seconds = done.writes, done.statuses, done.seconds

    thread = threading.Thread(target=work, name="bench-writer", daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT_SECONDS + 5)
