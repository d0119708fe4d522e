"""Demo gains for Fjordvik's projects: baselines, targets and a year of measurements.

Each demo project (`projects.demo`) gets the gains its owners expect, of all three
types, with a gain owner (the owning unit's caseworker). Where effects have started,
the baseline (nullpunktsmåling) was taken months ago and measurements follow at the
gain's interval up to last month, all through `gains.actions`. Some gains are
realised; the project behind plan ("Digital nøkkel til kommunale lokaler") has a gain
not realised, with the deviation explained, and one lagging behind its target.

Idempotent: a project that has gains already is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from gains import actions
from gains.models import ECONOMIC_UNIT, Gain, GainStatus, GainType, Measurement, add_months
from portal import demo, versions
from projects.demo import caseworker, demo_project, months_ago
from projects.models import Project


@dataclass(frozen=True)
class DemoGain:
    project: str  # the project's name, as in projects.demo
    type: str
    indicator: str
    unit: str
    description: str
    stakeholders: str
    target: int
    target_months: int  # after the baseline (or from today, without one)
    interval: int  # months between measurements
    # The baseline: value, how many months ago, source. None: not measured yet.
    baseline: tuple[int, int, str] | None = None
    # The measurements, one per interval after the baseline, and where they come from.
    series: tuple[int, ...] = ()
    source: str = ""
    status: str = ""  # settled at the end: realised, or not realised (with the deviation)
    deviation: str = ""
    comments: tuple[tuple[int, str], ...] = ()  # (index in the series, comment)


FALL = "Fallsensorer for eldre som bor hjemme"
KLARSPRAK = "Klart språk i vedtaksbrev"
AVFALL = "Sensorstyrt tømming av avfallsbeholdere"
NOKKEL = "Digital nøkkel til kommunale lokaler"
SKOLEVEI = "Trygg og opplyst skolevei"
KONTAKT = "Én kontaktperson for familier med mange tjenester"
HOSPITERING = "Hospitering mellom enhetene"

# The project behind plan, and the reason it gives (public, as DFØ asks).
BEHIND_PLAN = NOKKEL
DEVIATION = (
    "Leverandøren fikk bare montert digitale låser i 5 av 14 bygg innen fristen, fordi "
    "låsene i de eldste byggene måtte byttes først. Servicetorget deler derfor fortsatt "
    "ut nøkler til de fleste byggene. Ny avtale gir låser i alle bygg innen sommeren; "
    "da setter vi et nytt mål."
)

GAINS = [
    DemoGain(
        FALL,
        GainType.QUALITY,
        "Fall som krever legevakt eller sykehus",
        "fall per måned",
        "Hjelpen kommer raskere etter et fall, så færre blir liggende og får alvorlige skader.",
        "Eldre som bor hjemme, hjemmetjenesten, legevakten",
        target=8,
        target_months=12,
        interval=1,
        baseline=(14, 13, "Avviks- og hendelsesregisteret i pleie- og omsorgsjournalen"),
        series=(14, 13, 13, 12, 11, 11, 10, 9, 9, 8, 8, 7),
        source="Avviks- og hendelsesregisteret",
        status=GainStatus.REALISED,
        comments=((3, "Alle brukerne i piloten har sensor fra denne måneden."),),
    ),
    DemoGain(
        FALL,
        GainType.ECONOMIC,
        "Sparte utgifter til akuttinnleggelser og korttidsopphold",
        ECONOMIC_UNIT,
        "Færre alvorlige fallskader gir færre innleggelser og kortere korttidsopphold på "
        "sykehjemmet, som kommunen ellers betaler for.",
        "Helse og omsorg (budsjettet for korttidsplasser)",
        target=1_400_000,
        target_months=18,
        interval=3,
        baseline=(0, 13, "Regnskapet for korttidsplasser, snitt for de siste tre årene"),
        series=(150_000, 420_000, 780_000, 1_050_000),
        source="Regnskapet, beregnet av økonomirådgiver",
    ),
    DemoGain(
        FALL,
        GainType.OTHERS,
        "Pårørende som opplever at den eldre er trygg hjemme",
        "prosent",
        "Pårørende bekymrer seg mindre og tar færre kontrollbesøk og telefoner.",
        "Pårørende",
        target=80,
        target_months=12,
        interval=6,
        baseline=(54, 13, "Spørreundersøkelse blant pårørende, 212 svar"),
        series=(68, 81),
        source="Spørreundersøkelse blant pårørende",
        status=GainStatus.REALISED,
    ),
    DemoGain(
        KLARSPRAK,
        GainType.QUALITY,
        "Telefoner til servicetorget om brev fra kommunen",
        "samtaler per måned",
        "Når brevene forstås, slipper folk å ringe for å spørre hva de betyr.",
        "Innbyggere, servicetorget",
        target=260,
        target_months=12,
        interval=3,
        baseline=(430, 12, "Telefonistatistikk fra servicetorget, snitt over tre måneder"),
        series=(405, 350, 300, 255),
        source="Telefonistatistikk fra servicetorget",
        status=GainStatus.REALISED,
    ),
    DemoGain(
        KLARSPRAK,
        GainType.ECONOMIC,
        "Frigjort tid i saksbehandling og på servicetorget",
        ECONOMIC_UNIT,
        "Færre spørsmål og klager på uklare vedtak gir tid til andre oppgaver.",
        "Saksbehandlere og servicetorget",
        target=450_000,
        target_months=12,
        interval=6,
        baseline=(0, 12, "Tidsregistrering i saksbehandlingssystemet"),
        series=(210_000, 470_000),
        source="Tidsregistrering, beregnet med kommunens timesats",
        status=GainStatus.REALISED,
    ),
    DemoGain(
        KLARSPRAK,
        GainType.OTHERS,
        "Innbyggere som forstår vedtaket ved første gjennomlesning",
        "prosent",
        "Innbyggerne forstår hva kommunen har bestemt, og hva de kan gjøre med det.",
        "Innbyggere som får vedtak",
        target=85,
        target_months=15,
        interval=6,
        baseline=(58, 12, "Leseprøver med 30 innbyggere"),
        series=(71, 83),
        source="Leseprøver med innbyggere",
    ),
    DemoGain(
        AVFALL,
        GainType.ECONOMIC,
        "Lavere kjørekostnader for renovasjonsbilene",
        ECONOMIC_UNIT,
        "Bilene tømmer bare fulle beholdere og kjører kortere ruter.",
        "Teknisk drift",
        target=380_000,
        target_months=15,
        interval=3,
        baseline=(0, 10, "Kjørebok og drivstoffregnskap for 2025"),
        series=(60_000, 150_000, 210_000),
        source="Kjørebok og drivstoffregnskap",
    ),
    DemoGain(
        AVFALL,
        GainType.QUALITY,
        "CO₂-utslipp fra tømmerutene",
        "tonn CO₂ per år",
        "Kortere ruter gir mindre utslipp, i tråd med kommunens klimaplan.",
        "Innbyggerne, kommunens klimaregnskap",
        target=70,
        target_months=15,
        interval=3,
        baseline=(96, 10, "Klimaregnskapet, beregnet fra drivstofforbruket"),
        series=(91, 84, 80),
        source="Drivstofforbruk omregnet til CO₂",
    ),
    DemoGain(
        NOKKEL,
        GainType.QUALITY,
        "Arbeidstimer på utlevering og innsamling av nøkler",
        "timer per måned",
        "Servicetorget slipper å dele ut og samle inn nøkler til lag og foreninger.",
        "Servicetorget, vaktmesterne",
        target=12,
        target_months=9,
        interval=1,
        baseline=(64, 12, "Timeregistrering på servicetorget"),
        series=(63, 62, 60, 58, 57, 55, 54, 52, 50, 49, 47),
        source="Timeregistrering på servicetorget",
        status=GainStatus.NOT_REALISED,
        deviation=DEVIATION,
        comments=((8, "Målet er ikke nådd; låsene er bare på plass i 5 av 14 bygg."),),
    ),
    DemoGain(
        NOKKEL,
        GainType.OTHERS,
        "Timer lag og foreninger bruker kommunale lokaler",
        "timer per måned",
        "Lokalene er lettere å bruke på kvelder og i helger når ingen må hente nøkkel.",
        "Lag og foreninger, innbyggere",
        target=450,
        target_months=15,
        interval=3,
        baseline=(310, 12, "Bookingsystemet for kommunale lokaler"),
        series=(318, 322, 335, 341),
        source="Bookingsystemet",
        comments=((3, "Økningen kommer bare i de fem byggene med digital lås."),),
    ),
    DemoGain(
        SKOLEVEI,
        GainType.QUALITY,
        "Elever som går eller sykler til skolen i mørketida",
        "prosent av elevene",
        "Flere barn går og sykler når skoleveien er trygg og opplyst, og færre blir kjørt.",
        "Elever og foreldre",
        target=60,
        target_months=18,
        interval=6,
        baseline=(41, 3, "Reisevaneundersøkelse blant elevene på Bakkehaugen skole"),
    ),
    DemoGain(
        SKOLEVEI,
        GainType.ECONOMIC,
        "Lavere strømutgift til veilys",
        ECONOMIC_UNIT,
        "Bevegelsesstyrt LED-lys bruker langt mindre strøm enn dagens lamper.",
        "Teknisk drift",
        target=90_000,
        target_months=24,
        interval=12,
    ),
    DemoGain(
        KONTAKT,
        GainType.OTHERS,
        "Familier som opplever at tjenestene henger sammen",
        "prosent",
        "Familiene bruker mindre tid på å koordinere selv og får hjelpen i riktig rekkefølge.",
        "Familier med barn som trenger mye hjelp",
        target=70,
        target_months=24,
        interval=6,
        baseline=(32, 2, "Intervjuer og spørreundersøkelse med 48 familier"),
    ),
    DemoGain(
        KONTAKT,
        GainType.QUALITY,
        "Møter familien må gå i",
        "møter per familie per år",
        "Ett felles møte i stedet for mange, med alle tjenestene til stede.",
        "Familiene, PPT, helsestasjonen, barnehagene",
        target=6,
        target_months=24,
        interval=6,
    ),
    DemoGain(
        HOSPITERING,
        GainType.QUALITY,
        "Ansatte som har hospitert i en annen enhet",
        "ansatte per år",
        "Ansatte kjenner hverandres arbeid og løser saker på tvers raskere.",
        "Ansatte i alle enhetene",
        target=40,
        target_months=12,
        interval=6,
    ),
]


def seed() -> list[Gain]:
    """Add the demo gains to the demo projects that have none yet; returns the new gains."""
    today = timezone.localdate()
    created: list[Gain] = []
    with transaction.atomic():
        queued_before = len(connection.run_on_commit)
        by_project: dict[str, list[DemoGain]] = {}
        for spec in GAINS:
            by_project.setdefault(spec.project, []).append(spec)
        for name, specs in by_project.items():
            project = demo_project(name)
            if project is None or project.gains.exists():
                continue
            staff = caseworker(project.owning_unit)
            if staff is None:
                continue
            created += [_seed_gain(spec, project, staff, today) for spec in specs]
        # Demo history e-mails nobody; the cached pages learn of it on commit.
        del connection.run_on_commit[queued_before:]
        if created:
            versions.bump(versions.GAINS)
    return created


def _seed_gain(spec: DemoGain, project: Project, staff, today: datetime.date) -> Gain:
    baseline_on = months_ago(spec.baseline[1], today) if spec.baseline else None
    gain = actions.gain_add(
        project=project,
        by=staff,
        description=spec.description,
        type=spec.type,
        indicator=spec.indicator,
        unit=spec.unit,
        stakeholders=spec.stakeholders,
        target_value=Decimal(spec.target),
        target_on=add_months(baseline_on or today, spec.target_months),
        owner=staff,
        measurement_interval_months=spec.interval,
    )
    if spec.baseline is None or baseline_on is None:
        return gain
    value, _months, source = spec.baseline
    actions.gain_record_baseline(
        gain=gain, by=staff, value=Decimal(value), measured_on=baseline_on, source=source
    )
    comments = dict(spec.comments)
    for number, measured in enumerate(spec.series):
        measured_on = add_months(baseline_on, spec.interval * (number + 1))
        if measured_on > today:
            break
        actions.gain_record_measurement(
            gain=gain,
            by=staff,
            value=Decimal(measured),
            measured_on=measured_on,
            source=spec.source,
            comment=comments.get(number, ""),
        )
    if spec.status:
        actions.gain_change_status(
            gain=gain, by=staff, status=spec.status, deviation=spec.deviation
        )
    # Recorded as they were measured, not all at the moment the demo ran.
    for measurement in Measurement.objects.filter(gain=gain):
        Measurement.objects.filter(pk=measurement.pk).update(
            recorded_at=timezone.make_aware(
                datetime.datetime.combine(measurement.measured_on, datetime.time(14))
            )
        )
    gain.refresh_from_db()
    return gain


@demo.step(86, "gains")
def seed_gains() -> str:
    # Right after the projects (85) they belong to, before the search index (90).
    seed()
    return f"{Gain.objects.count()} gains"
