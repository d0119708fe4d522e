"""The mixed runs' writer: its plan, its pace and its votes, which the real vote
endpoint must accept (a writer whose votes were refused would leave "mixed" meaning
reads alone). No time passes here: the loop gets a fake clock."""

import pytest
from django.test import Client, override_settings

from bench import writer
from bench.pages import login_sessions
from ideas.models import Idea, Vote
from tests.factories import IdeaFactory, UserFactory

SESSIONS = [
    {"cookie": "sessionid=a; csrftoken=x", "csrf_token": "x"},
    {"cookie": "sessionid=b; csrftoken=y", "csrf_token": "y"},
]
PATHS = ["/ideas/1/vote/", "/ideas/2/vote/", "/ideas/3/vote/"]


class FakeClock:
    """A clock that moves only when the writer waits or a write takes time."""

    def __init__(self, write_seconds: float = 0.01) -> None:
        self.now = 100.0
        self.write_seconds = write_seconds
        self.sent: list[tuple[float, writer.Step]] = []
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))
        self.now += seconds

    def send(self, step: writer.Step) -> str:
        self.sent.append((round(self.now - 100.0, 6), step))
        self.now += self.write_seconds
        return "200"


def test_the_plan_supports_every_pair_then_withdraws_each_on_a_new_idea_every_time():
    steps = writer.plan(SESSIONS, PATHS)
    assert len(steps) == 2 * len(SESSIONS) * len(PATHS)
    half = len(steps) // 2
    assert {step.action for step in steps[:half]} == {"support"}
    assert {step.action for step in steps[half:]} == {"withdraw"}
    # Every vote cast is withdrawn: a full round leaves the votes as they were.
    pairs = [(step.cookie, step.path) for step in steps]
    assert sorted(pairs[:half]) == sorted(pairs[half:]) and len(set(pairs[:half])) == half
    assert all(a.path != b.path for a, b in zip(steps, steps[1:], strict=False))
    assert writer.plan([], PATHS) == [] and writer.plan(SESSIONS, []) == []


def test_a_vote_every_interval_until_told_to_stop_then_resume_where_it_stopped():
    fake = FakeClock()
    loop = writer.Writer(writer.plan(SESSIONS, PATHS), interval=0.2)

    def stop() -> bool:
        return fake.now - 100.0 >= 1.0  # the readers ran for one second

    tally = loop.run(fake.send, stop=stop, wait=fake.wait, clock=fake.clock, limit=1000)
    assert [at for at, _step in fake.sent] == [0.0, 0.2, 0.4, 0.6, 0.8]
    assert tally.writes == 5 and tally.statuses == {"200": 5}
    assert tally.seconds == pytest.approx(1.0)
    assert all(pause == pytest.approx(0.19) for pause in fake.waits)  # 0.2 minus the write

    # The next run goes on with the sixth step, and wraps round to the first.
    fake.sent.clear()
    loop.run(fake.send, stop=lambda: False, wait=fake.wait, clock=fake.clock, limit=8)
    steps = [step for _at, step in fake.sent]
    assert steps == loop.steps[5:12] + loop.steps[:1]


def test_slow_writes_slow_the_writer_down_without_a_burst_to_catch_up():
    fake = FakeClock(write_seconds=0.5)  # each vote takes longer than the interval
    loop = writer.Writer(writer.plan(SESSIONS, PATHS), interval=0.2)
    tally = loop.run(fake.send, stop=lambda: False, wait=fake.wait, clock=fake.clock, limit=4)
    assert [at for at, _step in fake.sent] == [0.0, 0.5, 1.0, 1.5]
    assert fake.waits == []
    assert tally.writes == 4


def test_nothing_to_write_sends_nothing():
    fake = FakeClock()
    tally = writer.Writer([]).run(
        fake.send, stop=lambda: False, wait=fake.wait, clock=fake.clock, limit=10
    )
    assert tally.writes == 0 and fake.sent == []


@pytest.mark.django_db
@override_settings(PORTAL_RATE_LIMITS={"vote": {"user": (10_000, 60), "ip": (10_000, 60)}})
def test_the_writers_votes_are_accepted_by_the_vote_endpoint_and_a_round_undoes_them(
    site_settings,
):
    """Sessions made as the harness makes them, requests as the writer sends them,
    through a client that enforces CSRF: each vote is counted, each withdrawal too."""
    ideas = [IdeaFactory(support_count=0) for _ in range(2)]
    citizens = [UserFactory() for _ in range(2)]
    sessions = [vars(session) for session in login_sessions(citizens)]
    paths = [f"{idea.get_absolute_url()}vote/" for idea in ideas]
    loop = writer.Writer(writer.plan(sessions, paths), interval=0.2)
    counts = []

    def send(step: writer.Step) -> str:
        method, path, body, headers = writer.request(step)
        client = Client(enforce_csrf_checks=True)
        for pair in headers["Cookie"].split("; "):
            name, value = pair.split("=", 1)
            client.cookies[name] = value
        response = client.post(
            path,
            data=body,
            content_type=headers["Content-Type"],
            HTTP_X_CSRFTOKEN=headers["X-CSRFToken"],
            HTTP_HX_REQUEST=headers["HX-Request"],
        )
        counts.append(Vote.objects.count())
        return str(response.status_code)

    fake = FakeClock()
    tally = loop.run(send, stop=lambda: False, wait=fake.wait, clock=fake.clock, limit=8)
    assert tally.statuses == {"200": 8}
    assert counts == [1, 2, 3, 4, 3, 2, 1, 0]
    assert [idea.support_count for idea in Idea.objects.filter(pk__in=[i.pk for i in ideas])] == [
        0,
        0,
    ]
