"""Demo innovation projects for Fjordvik: accepted ideas carried on, across KS' phases.

Seven projects, each started from accepted demo ideas by the caseworker of the unit
that owns them, through `projects.actions` like real ones: participating units (one
from Havbygd, one from Nordvik: the region step runs first) with their contacts, a
team, milestones with planned and actual dates, a budget, log entries, phase changes
(one project sent back a phase when it fell behind plan), and two put into use with
the innovation barometer's answers, moving their ideas to "put into use" through the
ideas' workflow. Their gains and a year of measurements are `gains.demo`'s step.

The projects began up to a year and a half ago, so their trail and the history of the
ideas behind them are placed in the past, as `ideas.demo` places its ideas. Idempotent:
a project is keyed on its name and skipped if it exists.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from ideas.actions import idea_transition
from ideas.models import Idea, IdeaEvent, IdeaStatus
from portal import demo, versions
from portal.models import Unit, User
from projects import actions
from projects.models import Phase, Project, ProjectEvent, ValueOrigin

NOON = datetime.time(12)


def months_ago(months: int, today: datetime.date | None = None) -> datetime.date:
    """The day `months` before `today`, on the month's last day when it has fewer."""
    return add_months(today or timezone.localdate(), -months)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, NOON))


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    planned: int  # months after the start
    late_days: int | None = 0  # reached this many days after planned; None: not yet


@dataclass(frozen=True)
class DemoAdoption:
    months_ago: int
    public_text: str
    origin: str
    source_url: str = ""
    spread: bool = False
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoProject:
    name: str
    summary: str
    unit: str  # the owning unit's slug; its caseworker starts and owns the project
    # Titles of the demo ideas it carries on start with this; accepted ones are taken.
    idea_title: str
    started_months_ago: int
    phase: str  # the phase it is in now (slug)
    budget: int
    units: tuple[tuple[str, str], ...] = ()  # (unit slug, contribution)
    team: tuple[tuple[str, str], ...] = ()  # (unit slug of the caseworker, role)
    milestones: tuple[DemoMilestone, ...] = ()
    log: tuple[str, ...] = ()
    # Sent back from this phase to `phase`, with the reason (a project behind plan).
    setback: tuple[str, str] | None = None
    adoption: DemoAdoption | None = None
    ideas: int = 1  # how many of the matching ideas it carries on


PROJECTS = [
    DemoProject(
        name="Fallsensorer for eldre som bor hjemme",
        summary=(
            "Små sensorer i hjemmet varsler hjemmetjenesten når en eldre faller, så hjelpen "
            "kommer på minutter i stedet for timer. Startet i Fjordvik, og Havbygd tar "
            "løsningen i bruk nå."
        ),
        unit="helse-og-omsorg",
        idea_title="Sensorer som varsler fall hos eldre",
        ideas=2,
        started_months_ago=17,
        phase="spre",
        budget=1_850_000,
        units=(
            ("digitalisering", "Innkjøp, personvern og integrasjon med journalsystemet"),
            ("havbygd-helse", "Prøver løsningen i Havbygd og deler erfaringene"),
        ),
        team=(
            ("strategi-og-utvikling", "Gevinstrealisering"),
            ("digitalisering", "Teknisk prosjektleder"),
        ),
        milestones=(
            DemoMilestone("Innsikt: intervjuer med brukere, pårørende og nattevakter", 1, 6),
            DemoMilestone("Pilot med 25 brukere i Nordbyen", 4, 12),
            DemoMilestone("Alle brukere med trygghetsalarm kan få sensor", 11, 0),
            DemoMilestone("Havbygd i gang med egne brukere", 16, 0),
        ),
        log=(
            "Personvernkonsekvensvurdering godkjent av personvernombudet.",
            "Nattevaktene ønsker varsel på telefon, ikke på egen skjerm. Endret i oppsettet.",
        ),
        adoption=DemoAdoption(
            months_ago=5,
            public_text=(
                "Fallsensorene er nå en del av trygghetsalarmtjenesten i hele Fjordvik. "
                "Hjemmetjenesten får varsel på telefonen og er i snitt hos brukeren etter "
                "18 minutter. Færre blir liggende lenge etter et fall."
            ),
            origin=ValueOrigin.FIRST,
            spread=True,
            values=("value_quality", "value_efficiency", "value_avoided_costs"),
        ),
    ),
    DemoProject(
        name="Klart språk i vedtaksbrev",
        summary=(
            "Vi skriver om de tjue brevene kommunen sender oftest, sammen med innbyggere som "
            "leser dem, så de forstås ved første gjennomlesning."
        ),
        unit="digitalisering",
        idea_title="Klart språk i brev fra kommunen",
        ideas=2,
        started_months_ago=15,
        phase="implementere",
        budget=420_000,
        units=(
            ("helse-og-omsorg", "Brev om hjemmetjenester og praktisk bistand"),
            ("teknisk-drift", "Brev om gebyrer for vann og avløp"),
        ),
        team=(("strategi-og-utvikling", "Språkrådgiver"),),
        milestones=(
            DemoMilestone("Leseprøver med 30 innbyggere", 2, 0),
            DemoMilestone("De ti første brevmalene skrevet om", 5, 14),
            DemoMilestone("Alle tjue brevmalene i bruk", 12, 7),
        ),
        log=("Juridisk kvalitetssikring av brevmalene er avtalt med kommuneadvokaten.",),
        adoption=DemoAdoption(
            months_ago=2,
            public_text=(
                "De tjue vanligste brevene fra kommunen er skrevet om og i bruk. "
                "Servicetorget får langt færre telefoner fra folk som lurer på hva brevet "
                "betyr."
            ),
            origin=ValueOrigin.INSPIRED,
            source_url="https://www.sprakradet.no/klarsprak/",
            values=("value_quality", "value_efficiency", "value_working_environment"),
        ),
    ),
    DemoProject(
        name="Sensorstyrt tømming av avfallsbeholdere",
        summary=(
            "Fyllingssensorer i de offentlige avfallsbeholderne forteller når de må tømmes. "
            "Renovasjonsbilen kjører bare dit det trengs."
        ),
        unit="digitalisering",
        idea_title="Sensorbasert tømming av avfallsbeholdere",
        started_months_ago=12,
        phase="teste",
        budget=760_000,
        units=(("teknisk-drift", "Tømmeruter og drift av beholderne"),),
        team=(("teknisk-drift", "Driftsleder renovasjon"),),
        milestones=(
            DemoMilestone("Sensorer montert i 60 beholdere i sentrum", 2, 10),
            DemoMilestone("Ny tømmerute etter fyllingsgrad", 4, 0),
            DemoMilestone("Beslutning om utvidelse til hele kommunen", 14, None),
        ),
        log=("Sensorene tåler ikke frost under minus 15; leverandøren bytter batteritype.",),
    ),
    DemoProject(
        name="Digital nøkkel til kommunale lokaler",
        summary=(
            "Lag og foreninger låser seg inn i gymsaler og møterom med mobilen når de har "
            "booket, i stedet for å hente nøkkel på servicetorget."
        ),
        unit="digitalisering",
        idea_title="Digital nøkkel til kommunale lokaler",
        started_months_ago=15,
        phase="teste",
        budget=1_200_000,
        units=(
            ("kultur-og-frivillighet", "Booking og kontakt med lag og foreninger"),
            ("teknisk-drift", "Låser og adgangskontroll i byggene"),
        ),
        team=(("kultur-og-frivillighet", "Kontakt mot frivilligheten"),),
        milestones=(
            DemoMilestone("Avtale med leverandør av digitale låser", 2, 20),
            DemoMilestone("Pilot i Bakkehaugen skole og Elvedalen samfunnshus", 5, 30),
            DemoMilestone("Digitale låser i alle 14 byggene", 9, None),
            DemoMilestone("Evaluering sammen med lag og foreninger", 17, None),
        ),
        log=(
            "Leverandøren melder forsinkelse: låsene i de eldste byggene må byttes før de "
            "kan kobles til.",
            "Ny framdriftsplan avtalt: alle bygg innen sommeren.",
        ),
        setback=(
            "implementere",
            "Tilbake til testing: bare 5 av 14 bygg har fått digitale låser, og løsningen "
            "må prøves i de eldre byggene før den settes i drift.",
        ),
    ),
    DemoProject(
        name="Trygg og opplyst skolevei",
        summary=(
            "Sammen med elever og foreldre finner vi de mørkeste strekningene på skoleveien "
            "og prøver bevegelsesstyrt LED-belysning der."
        ),
        unit="teknisk-drift",
        idea_title="Trygg skolevei med gatelys",
        started_months_ago=7,
        phase="utvikle-ideer",
        budget=2_300_000,
        units=(("oppvekst", "Elevrådene og FAU er med på kartleggingen"),),
        team=(("oppvekst", "Kontakt mot skolene"), ("plan-og-miljo", "Trafikksikkerhet")),
        milestones=(
            DemoMilestone("Kartlegging av skoleveien med elevene", 2, 5),
            DemoMilestone("Valg av lysløsning for prøvestrekningen", 8, None),
        ),
        log=("Elevrådet ved Bakkehaugen skole har tegnet inn 11 mørke punkter på kartet.",),
    ),
    DemoProject(
        name="Én kontaktperson for familier med mange tjenester",
        summary=(
            "Familier med barn som trenger mye hjelp møter ofte mange etater. Vi finner ut "
            "sammen med familiene hva en fast kontaktperson på tvers av tjenestene må kunne."
        ),
        unit="helse-og-omsorg",
        idea_title="Én kontaktperson for familier med mange tjenester",
        started_months_ago=4,
        phase="forsta-behovene",
        budget=650_000,
        units=(
            ("oppvekst", "PPT og skolehelsetjenesten"),
            ("barnehage", "Spesialpedagogisk hjelp i barnehagen"),
            ("nordvik-oppvekst", "Deler erfaringer fra sin familiekoordinator"),
        ),
        team=(("oppvekst", "Innsiktsarbeid"), ("strategi-og-utvikling", "Tjenestedesigner")),
        milestones=(
            DemoMilestone("Dybdeintervjuer med 12 familier", 2, 0),
            DemoMilestone("Felles verksted med familier og tjenestene", 5, None),
        ),
        log=("Velferdslab-møte med alle enhetene: lederne gir teamet mandat til å prøve.",),
    ),
    DemoProject(
        name="Hospitering mellom enhetene",
        summary=(
            "Ansatte bytter arbeidsplass i en uke for å lære hvordan andre enheter jobber, "
            "så sakene som går på tvers løses raskere."
        ),
        unit="strategi-og-utvikling",
        idea_title="Hospitering mellom enhetene i kommunen",
        started_months_ago=1,
        phase="forberede",
        budget=150_000,
        units=(("helse-og-omsorg", "Tar imot de første hospitantene"),),
        milestones=(DemoMilestone("Avtale med tillitsvalgte og verneombud", 1, None),),
    ),
]


def demo_project(name: str) -> Project | None:
    """A demo project by its name in Fjordvik (its key: the address is made from it)."""
    return (
        Project.objects.filter(name=name, municipality__slug="fjordvik")
        .select_related("owning_unit")
        .first()
    )


def caseworker(unit: Unit) -> User | None:
    return unit.staff.filter(is_active=True).order_by("pk").first()


def seed() -> list[Project]:
    """Create the demo projects that do not exist yet (see the module docstring); returns
    the new ones. A project whose unit, caseworker or ideas are missing is left out."""
    phases = {phase.slug: phase for phase in Phase.objects.all()}
    created = []
    with transaction.atomic():
        queued_before = len(connection.run_on_commit)
        for spec in PROJECTS:
            project = _seed_project(spec, phases)
            if project is not None:
                created.append(project)
        # Nobody is e-mailed about demo history (the search step indexes it all); the
        # cached pages still learn of it when this commits.
        del connection.run_on_commit[queued_before:]
        if created:
            versions.bump(versions.PROJECTS, versions.IDEAS)
    return created


def _seed_project(spec: DemoProject, phases: dict[str, Phase]) -> Project | None:
    if demo_project(spec.name) is not None:
        return None
    unit = Unit.objects.filter(slug=spec.unit, is_active=True).first()
    staff = caseworker(unit) if unit else None
    if unit is None or staff is None:
        return None
    ideas = _accepted_ideas(spec, unit, staff)
    if not ideas:
        return None
    today = timezone.localdate()
    start = months_ago(spec.started_months_ago, today)
    _place_before(ideas, start)
    project = actions.project_start(
        ideas=ideas, by=staff, name=spec.name, summary=spec.summary, owning_unit=unit
    )
    Project.objects.filter(pk=project.pk).update(created_at=at_noon(start))
    trail = _Trail(project)
    trail.stamp(start)
    actions.project_edit(project=project, by=staff, budget=spec.budget)
    for unit_slug, contribution in spec.units:
        other = Unit.objects.filter(slug=unit_slug, is_active=True).first()
        contact = caseworker(other) if other else None
        if other is not None and contact is not None:
            actions.project_add_unit(
                project=project, by=staff, unit=other, contact=contact, role=contribution
            )
    for unit_slug, role in spec.team:
        member = caseworker(Unit.objects.get(slug=unit_slug))
        if member is not None:
            actions.project_add_member(project=project, by=staff, user=member, role=role)
    trail.stamp(start + datetime.timedelta(days=7))
    for milestone in spec.milestones:
        planned = add_months(start, milestone.planned)
        reached = None
        if milestone.late_days is not None:
            reached = planned + datetime.timedelta(days=milestone.late_days)
        saved = actions.project_save_milestone(
            project=project, by=staff, title=milestone.title, planned_on=planned
        )
        trail.stamp(start + datetime.timedelta(days=8))
        if reached is not None and reached <= today:
            actions.project_save_milestone(
                project=project,
                by=staff,
                milestone=saved,
                title=milestone.title,
                planned_on=planned,
                reached_on=reached,
            )
            trail.stamp(reached)
    _walk_phases(spec, project, staff, phases, start, trail)
    for number, text in enumerate(spec.log, 1):
        actions.project_log(project=project, by=staff, text=text)
        trail.stamp(_between(start, today, number / (len(spec.log) + 1)))
    if spec.adoption is not None:
        _put_into_use(spec.adoption, project, staff, today, trail)
    return project


def _accepted_ideas(spec: DemoProject, unit: Unit, staff: User) -> list[Idea]:
    """The demo ideas the project carries on: accepted ones of the unit whose title
    starts as the spec says. If the demo's lifecycle left none accepted, the unit's
    caseworker accepts one that still waits, through the workflow."""
    matching = (
        Idea.objects.filter(
            owning_unit=unit,
            title__startswith=spec.idea_title,
            is_hidden=False,
            project_link__isnull=True,
        )
        .select_related("owning_unit")
        .order_by("reference")
    )
    accepted = list(matching.filter(status=IdeaStatus.ACCEPTED)[: spec.ideas])
    if accepted:
        return accepted
    waiting = matching.filter(status__in=[IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW]).first()
    if waiting is None:
        return []
    if waiting.status == IdeaStatus.SUBMITTED:
        idea_transition(idea=waiting, to=IdeaStatus.IN_REVIEW, by=staff)
    idea_transition(
        idea=waiting,
        to=IdeaStatus.ACCEPTED,
        by=staff,
        public_reason="God idé! Vi tar den videre i et innovasjonsprosjekt.",
    )
    return [Idea.objects.select_related("owning_unit").get(pk=waiting.pk)]


def _place_before(ideas: list[Idea], start: datetime.date) -> None:
    """Move each idea's history (submitted ... accepted) to end some days before the
    project started from it, keeping its intervals."""
    latest_allowed = at_noon(start - datetime.timedelta(days=10))
    for idea in ideas:
        last = IdeaEvent.objects.filter(idea=idea).aggregate(last=Max("created_at"))["last"]
        last = max(filter(None, [last, idea.status_changed_at, idea.created_at]))
        if last <= latest_allowed:
            continue
        shift = latest_allowed - last
        IdeaEvent.objects.filter(idea=idea).update(created_at=F("created_at") + shift)
        Idea.objects.filter(pk=idea.pk).update(
            created_at=F("created_at") + shift,
            updated_at=F("updated_at") + shift,
            status_changed_at=F("status_changed_at") + shift,
        )


def _walk_phases(
    spec: DemoProject,
    project: Project,
    staff: User,
    phases: dict[str, Phase],
    start: datetime.date,
    trail: _Trail,
) -> None:
    """From the first phase to the one it is in now, evenly over its time so far; a
    project behind plan went one phase too far and was sent back."""
    furthest = phases[spec.setback[0] if spec.setback else spec.phase]
    road = sorted(
        (p for p in phases.values() if p.is_active and p.sort_order <= furthest.sort_order),
        key=lambda phase: phase.sort_order,
    )
    moves = [(phase, "") for phase in road if phase.pk != project.phase_id]
    if spec.setback:
        moves.append((phases[spec.phase], spec.setback[1]))
    today = timezone.localdate()
    for number, (phase, note) in enumerate(moves, 1):
        actions.project_change_phase(project=project, by=staff, phase=phase, note=note)
        trail.stamp(_between(start, today, number / (len(moves) + 1)))


def _put_into_use(
    adoption: DemoAdoption, project: Project, staff: User, today: datetime.date, trail: _Trail
) -> None:
    day = months_ago(adoption.months_ago, today)
    idea_ids = list(project.idea_links.values_list("idea_id", flat=True))
    actions.project_put_into_use(
        project=project,
        by=staff,
        public_text=adoption.public_text,
        origin=adoption.origin,
        source_url=adoption.source_url,
        spread=adoption.spread,
        values=adoption.values,
        put_into_use_on=day,
    )
    trail.stamp(day)
    moment = at_noon(day)
    IdeaEvent.objects.filter(idea_id__in=idea_ids, to_status=IdeaStatus.IMPLEMENTED).update(
        created_at=moment
    )
    Idea.objects.filter(pk__in=idea_ids, status=IdeaStatus.IMPLEMENTED).update(
        status_changed_at=moment, updated_at=moment
    )


def _between(start: datetime.date, end: datetime.date, share: float) -> datetime.date:
    return start + datetime.timedelta(days=int((end - start).days * share))


class _Trail:
    """Dates the project's newest trail entries: the demo's history happened over
    months, while the actions record the moment they run."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.seen = 0

    def stamp(self, day: datetime.date) -> None:
        events = ProjectEvent.objects.filter(project=self.project, pk__gt=self.seen)
        newest = events.aggregate(newest=Max("pk"))["newest"]
        if newest is None:
            return
        events.update(created_at=min(at_noon(day), timezone.now()))
        self.seen = newest


@demo.step(85, "projects")
def seed_projects() -> str:
    # After the region (80): some projects have units of Havbygd and Nordvik taking part.
    seed()
    return f"{Project.objects.count()} projects"
