"""Demo routing rules and a realistic lifecycle for the demo ideas of Fjordvik kommune.

`seed_rules()` runs before the ideas are seeded, so submission routes them; then
`seed_lifecycle()` moves the ideas through every status with the real services
(`ideas.actions`), as staff of the owning unit, and spreads the events over time:
the newest ideas wait in the queue, older ones are answered, accepted, put into use,
rejected, merged or withdrawn, and a few are left overdue. Both are idempotent.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from challenges.models import ChallengePage, Theme
from ideas import actions, services
from ideas.models import Idea, IdeaEvent, IdeaKind, IdeaStatus, IdeaTag, RoutingRule
from portal import invalidation
from portal.models import Unit, User

S = IdeaStatus


@dataclass(frozen=True)
class DemoRule:
    name: str
    priority: int
    unit: str
    tag: str = ""
    theme: str = ""
    kind: str = ""
    active: bool = True


RULES = [
    DemoRule("Skolevei til Teknisk drift", 10, "teknisk-drift", tag="skolevei"),
    DemoRule("Trafikksikkerhet til Teknisk drift", 11, "teknisk-drift", tag="trafikksikkerhet"),
    DemoRule("Gatelys til Teknisk drift", 12, "teknisk-drift", tag="gatelys"),
    DemoRule("Overvann til Plan, miljø og klima", 20, "plan-og-miljo", tag="overvann"),
    DemoRule(
        "Klimatilpasning til Plan, miljø og klima", 21, "plan-og-miljo", tag="klimatilpasning"
    ),
    DemoRule("Bibliotek til Kultur og frivillighet", 30, "kultur-og-frivillighet", tag="bibliotek"),
    DemoRule(
        "Velferdsteknologi til Helse og omsorg", 40, "helse-og-omsorg", tag="velferdsteknologi"
    ),
    DemoRule("Helsestasjon til Helse og omsorg", 41, "helse-og-omsorg", tag="helsestasjon"),
    DemoRule(
        "Digital inkludering til Digitalisering", 50, "digitalisering", tag="digital inkludering"
    ),
    DemoRule(
        "Frie ideer om forebygging til Oppvekst",
        100,
        "oppvekst",
        theme="forebygging-og-tidlig-innsats",
    ),
    DemoRule(
        "Frie ideer om samhandling til Helse og omsorg",
        100,
        "helse-og-omsorg",
        theme="god-helhet-og-samhandling",
    ),
    DemoRule(
        "Frie ideer om kvalitet til Digitalisering", 100, "digitalisering", theme="god-kvalitet"
    ),
    DemoRule(
        "Frie ideer om kompetanse til Strategi og utvikling",
        100,
        "strategi-og-utvikling",
        theme="nodvendig-kompetanse",
    ),
    # Kept to show how a rule is switched off without deleting it.
    DemoRule(
        "Forslag fra bedrifter til Næring (ikke i bruk)",
        200,
        "naering",
        kind=IdeaKind.PROPOSAL,
        active=False,
    ),
]


def _tag(name: str) -> IdeaTag:
    # Matched the way idea submission matches tags: case-insensitively by name.
    tag = IdeaTag.objects.filter(name__iexact=name).first()
    return tag or IdeaTag.objects.create(name=name)


def seed_rules() -> list[RoutingRule]:
    """Routing rules for the demo units, keyed on their names."""
    units = {unit.slug: unit for unit in Unit.objects.all()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    rules = []
    for demo in RULES:
        if demo.unit not in units or (demo.theme and demo.theme not in themes):
            continue
        rule, _ = RoutingRule.objects.update_or_create(
            name=demo.name,
            defaults={
                "priority": demo.priority,
                "is_active": demo.active,
                "municipality": units[demo.unit].municipality,
                "target_unit": units[demo.unit],
                "tag": _tag(demo.tag) if demo.tag else None,
                "theme": themes[demo.theme] if demo.theme else None,
                "challenge": None,
                "idea_kind": demo.kind,
            },
        )
        rules.append(rule)
    return rules


# --- Lifecycle -----------------------------------------------------------------------------

ACCEPT_ANSWERS = [
    "Takk for en god idé! Vi tar den med i arbeidet med neste års handlingsplan og "
    "prøver den ut i liten skala først.",
    "Dette passer godt med det vi allerede jobber med. Vi setter av tid til å utrede "
    "ideen sammen med brukerne i løpet av våren.",
    "Ideen er nyttig, og vi vil teste den i ett område før vi vurderer å innføre den i "
    "hele kommunen.",
    "Vi har snakket med fagfolkene våre, og ideen tas videre. Vi oppdaterer her når vi "
    "vet mer om tidsplanen.",
]
RESULTS = [
    "Tiltaket ble prøvd ut i tre måneder og er nå fast tilbud. Rundt 40 innbyggere har "
    "brukt det så langt, og tilbakemeldingene er gode.",
    "Vi har innført ordningen i alle skolekretser fra høsten. Takk til alle som støttet "
    "ideen og kom med innspill underveis.",
    "Løsningen er tatt i bruk. Saksbehandlingstiden har gått ned med omtrent en uke, og "
    "vi har fått færre henvendelser om det samme.",
    "Pilotprosjektet er avsluttet og videreført i ordinær drift, med finansiering i "
    "budsjettet for neste år.",
]
REJECT_REASONS = [
    "Vi ser at ideen har mye for seg, men den ligger utenfor det kommunen har ansvar "
    "for. Vi har tipset fylkeskommunen om den.",
    "Dette blir dessverre for dyrt å gjennomføre nå, sett opp mot andre tiltak med "
    "større effekt. Vi tar den fram igjen ved neste budsjettrunde.",
    "Et tilsvarende tilbud finnes allerede gjennom frivilligsentralen. Vi har lagt inn "
    "en lenke til det på kommunens nettside.",
]
REVIEW_ANSWERS = [
    "Takk for ideen! Vi har startet vurderingen og snakker med de berørte tjenestene. "
    "Du hører fra oss innen et par uker.",
    "Vi ser på ideen nå, og vil gjerne høre fra flere som har erfaring med dette. Legg "
    "gjerne igjen en kommentar.",
]
MERGE_REASON = (
    "Denne ideen handler om det samme som en annen idé. Vi samler støtten og "
    "diskusjonen på ett sted, så ingen stemmer går tapt."
)
REOPEN_REASON = "Vi har fått nye midler til forebyggende tiltak og tar ideen opp til ny vurdering."

# What happens to the ideas that have waited long enough to be handled, in turn.
PLAN = [
    "implemented",
    "accepted",
    "in_review",
    "rejected",
    "accepted",
    "implemented",
    "in_review_answered",
    "merged",
    "accepted",
    "withdrawn",
    "reopened",
    "rejected",
    "implemented",
    "in_review",
    "accepted",
    "overdue",
]
OVERDUE_COUNT = 5


def _actor(idea: Idea, fallback: User) -> User:
    staff = idea.owning_unit.staff.filter(is_active=True).order_by("pk").first()
    return staff or fallback


def _spread(idea: Idea, rng: random.Random, *, status_at: datetime.datetime | None) -> None:
    """Put the idea's staff events at plausible moments between submission and now.

    The last status change happens at `status_at` (random if None); earlier events fall
    evenly before it and later ones (answers, notes) after it.
    """
    now = timezone.now()
    created = idea.created_at
    events = list(
        IdeaEvent.objects.filter(idea=idea).exclude(kind=IdeaEvent.Kind.SUBMITTED).order_by("pk")
    )
    if not events:
        return
    if status_at is None:
        status_at = created + (now - created) * rng.uniform(0.5, 0.9)
    status_indexes = [i for i, event in enumerate(events) if event.to_status]
    last = status_indexes[-1] if status_indexes else -1
    after = len(events) - last
    for index, event in enumerate(events):
        if index < last:
            moment = created + (status_at - created) * (index + 1) / (last + 1)
        elif index == last:
            moment = status_at
        else:
            moment = status_at + (now - status_at) * (index - last) / after
        IdeaEvent.objects.filter(pk=event.pk).update(created_at=moment)
    if status_indexes:
        Idea.objects.filter(pk=idea.pk).update(status_changed_at=status_at, updated_at=status_at)


def seed_lifecycle() -> int:
    """Move the seeded demo ideas through the lifecycle. Returns how many were moved.

    Only ideas that staff have never touched are considered, so running it again changes
    nothing that was done before.
    """
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        return 0
    touched = IdeaEvent.objects.exclude(
        kind__in=[IdeaEvent.Kind.SUBMITTED, IdeaEvent.Kind.EDITED]
    ).values("idea")
    ideas = list(
        Idea.objects.filter(status=S.SUBMITTED, owning_unit__isnull=False)
        .exclude(pk__in=touched)
        .select_related("owning_unit", "author")
        .order_by("-created_at", "-pk")
    )
    already = IdeaEvent.objects.filter(kind=IdeaEvent.Kind.TRANSITION).exclude(
        to_status=S.WITHDRAWN
    )
    if not ideas or already.exists():
        # The lifecycle was seeded before; new ideas simply wait in the queue.
        return 0
    rng = random.Random(5)
    now = timezone.now()
    moved = 0
    overdue_left = OVERDUE_COUNT
    plan_index = 0
    merge_targets: list[Idea] = []

    with transaction.atomic():
        queued_before = len(connection.run_on_commit)
        for idea in ideas:
            deadline = datetime.timedelta(days=idea.owning_unit.response_deadline_days)
            age = now - idea.created_at
            by = _actor(idea, admin)
            if age < deadline - datetime.timedelta(days=1):
                # New ideas: waiting in the queue, some already picked up.
                if rng.random() < 0.3:
                    actions.idea_transition(idea=idea, to=S.IN_REVIEW, by=by)
                    since = idea.created_at + (now - idea.created_at) * rng.uniform(0.2, 0.8)
                    _spread(idea, rng, status_at=since)
                    moved += 1
                continue
            step = PLAN[plan_index % len(PLAN)]
            plan_index += 1
            if step == "overdue":
                if overdue_left:
                    overdue_left -= 1  # left as submitted, well past the deadline
                    continue
                step = "accepted"
            _apply(step, idea, by, rng, merge_targets)
            status_at = None
            if step in ("in_review", "in_review_answered", "reopened"):
                if overdue_left and rng.random() < 0.25:
                    overdue_left -= 1
                    status_at = now - deadline - datetime.timedelta(days=rng.randint(2, 20))
                else:
                    status_at = now - datetime.timedelta(days=rng.randint(1, deadline.days - 1))
                status_at = max(status_at, idea.created_at + datetime.timedelta(hours=1))
            idea.refresh_from_db()
            _spread(idea, rng, status_at=status_at)
            if idea.merged_into_id:
                # The target's "merged into this" event happened at the same moment.
                idea.refresh_from_db()
                target_events = IdeaEvent.objects.filter(idea_id=idea.merged_into_id)
                merged_event = target_events.filter(kind=IdeaEvent.Kind.MERGED).latest("pk")
                earlier = target_events.filter(pk__lt=merged_event.pk).order_by("-created_at")
                moment = idea.status_changed_at
                if earlier.exists():
                    moment = max(moment, earlier[0].created_at)
                IdeaEvent.objects.filter(pk=merged_event.pk).update(created_at=moment)
            merge_targets.append(idea)
            moved += 1
        # Nobody should get e-mail about demo data; re-index each idea once instead.
        del connection.run_on_commit[queued_before:]
        for idea in Idea.objects.filter(pk__in=[i.pk for i in ideas]):
            invalidation.reindex(idea)
    return moved


def _apply(step: str, idea: Idea, by: User, rng: random.Random, merge_targets: list[Idea]) -> None:
    transition = actions.idea_transition
    if step == "withdrawn":
        transition(idea=idea, to=S.WITHDRAWN, by=idea.author)
        return
    if step == "merged":
        # A duplicate of an open idea, preferably in the same unit.
        open_ideas = [
            other
            for other in merge_targets
            if other.status in (S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED) and not other.merged_into_id
        ]
        same_unit = [other for other in open_ideas if other.owning_unit_id == idea.owning_unit_id]
        target = (same_unit or open_ideas or [None])[0]
        if target is not None:
            actions.idea_merge(idea=idea, into=target, by=by, public_reason=MERGE_REASON)
            return
        step = "rejected"
    if step == "rejected" and rng.random() < 0.5:
        transition(idea=idea, to=S.REJECTED, by=by, public_reason=rng.choice(REJECT_REASONS))
        return
    transition(idea=idea, to=S.IN_REVIEW, by=by)
    if step in ("in_review", "in_review_answered"):
        if step == "in_review_answered":
            actions.idea_answer(idea=idea, by=by, text=rng.choice(REVIEW_ANSWERS))
        return
    if step in ("rejected", "reopened"):
        transition(idea=idea, to=S.REJECTED, by=by, public_reason=rng.choice(REJECT_REASONS))
        if step == "reopened":
            transition(idea=idea, to=S.IN_REVIEW, by=by, public_reason=REOPEN_REASON)
        return
    transition(idea=idea, to=S.ACCEPTED, by=by, public_reason=rng.choice(ACCEPT_ANSWERS))
    if step == "implemented":
        actions.idea_add_note(
            idea=idea, by=by, text="Gevinst målt etter tre måneder; se rapport i sak 26/1432."
        )
        transition(idea=idea, to=S.IMPLEMENTED, by=by, public_reason=rng.choice(RESULTS))


# The concluded challenge's answers (challenges.demo: "matsvinn-i-kantiner"). Its outcome
# names six ideas, two of them put into use; these are they, as they ended.
CONCLUDED_CHALLENGE = "matsvinn-i-kantiner"
NOON = datetime.time(12)
CONCLUDED_ANSWERS = [
    (
        "Ukentlig salg av overskuddsmat til ansatte",
        "Selg det som blir til overs fra kantina til ansatte hver fredag.",
        S.IMPLEMENTED,
        "Tatt i bruk i rådhuskantina fra mars: 40 porsjoner i uka går til ansatte i stedet "
        "for i søpla.",
    ),
    (
        "Felles bestillingsplan for sykehjemmene",
        "Sykehjemmene bestiller mat etter én felles plan, så ingen bestiller for mye.",
        S.IMPLEMENTED,
        "De tre sykehjemmene bestiller nå etter en felles ukeplan; matsvinnet har gått ned "
        "med nesten en tredel.",
    ),
    (
        "Mindre porsjoner med gratis påfyll",
        "Server mindre porsjoner og la folk forsyne seg på nytt.",
        S.ACCEPTED,
        "God idé: vi prøver den ut i kantina på Nordbyen skole til høsten.",
    ),
    (
        "Matsvinnkalkulator på skjerm i kantina",
        "Vis hvor mye mat som ble kastet i går, på skjermen ved kassa.",
        S.REJECTED,
        "Vi har ikke vekt på avfallet i dag, og tar heller de enklere tiltakene først.",
    ),
    (
        "Samarbeid med matsentralen om overskudd",
        "Gi overskuddsmat fra sykehjemskjøkkenet til matsentralen.",
        S.REJECTED,
        "Mattilsynets regler for mat som har stått ute stopper dette for sykehjemmene.",
    ),
    (
        "Kompostering av matavfall fra kantinene",
        "Lag kompost av matavfallet og bruk den i kommunens parker.",
        S.REJECTED,
        "Matavfallet går allerede til biogass gjennom renovasjonsselskapet.",
    ),
]


def seed_concluded_challenge() -> int:
    """The answers to the concluded challenge, ending as its outcome says. Returns how
    many were created (none if they exist).

    A challenge takes ideas only while it is open, and this one closed months ago: each
    idea is submitted as it was then, through the services, and then placed under the
    challenge, as the other demo ideas have their dates placed in the past.
    """
    challenge = ChallengePage.objects.live().filter(slug=CONCLUDED_CHALLENGE).first()
    if challenge is None or Idea.objects.filter(challenge=challenge).exists():
        return 0
    authors = list(
        User.objects.filter(email__endswith="@example.no", is_superuser=False)
        .exclude(units__isnull=False)
        .order_by("email")
    )
    staff = challenge.owning_unit.staff.order_by("pk").first() if challenge.owning_unit else None
    if not authors or staff is None:
        return 0
    decided = timezone.make_aware(
        datetime.datetime.combine(challenge.closes_on + datetime.timedelta(days=14), NOON)
    )
    with transaction.atomic():
        queued_before = len(connection.run_on_commit)
        for number, (title, summary, final, answer) in enumerate(CONCLUDED_ANSWERS):
            idea = services.idea_submit(
                author=authors[number % len(authors)],
                title=title,
                summary=summary,
                description=summary,
                kind=IdeaKind.IDEA,
                theme=challenge.theme,
                tags=["matsvinn"],
            )
            Idea.objects.filter(pk=idea.pk).update(
                challenge=challenge, theme=None, owning_unit=challenge.owning_unit
            )
            idea.refresh_from_db()
            transition = actions.idea_transition
            transition(idea=idea, to=S.IN_REVIEW, by=staff)
            if final == S.REJECTED:
                transition(idea=idea, to=S.REJECTED, by=staff, public_reason=answer)
            else:
                transition(idea=idea, to=S.ACCEPTED, by=staff, public_reason=answer)
                if final == S.IMPLEMENTED:
                    transition(idea=idea, to=S.IMPLEMENTED, by=staff, public_reason=answer)
            submitted = timezone.make_aware(
                datetime.datetime.combine(
                    challenge.opens_on + datetime.timedelta(days=3 + 5 * number), NOON
                )
            )
            Idea.objects.filter(pk=idea.pk).update(
                created_at=submitted, updated_at=decided, status_changed_at=decided
            )
            events = IdeaEvent.objects.filter(idea=idea)
            events.filter(kind=IdeaEvent.Kind.SUBMITTED).update(created_at=submitted)
            events.exclude(kind=IdeaEvent.Kind.SUBMITTED).update(created_at=decided)
        # Demo history: nobody is e-mailed about it (the search step indexes it all).
        del connection.run_on_commit[queued_before:]
    return len(CONCLUDED_ANSWERS)
