"""Demo solutions ("Stjæl og del"): eight published solutions across the region, and two
adopted by a neighbour that measures them against its own baseline.

Fjordvik shares its two projects put into use (the fall sensors and the plain-language
letters: their realised gains show on the solution pages), one idea put into use (the
nursing homes' joint ordering plan, from the concluded challenge) and one solution it
registered from outside the platform (a national programme). Havbygd and Nordvik first
run two small projects each to the end (started, a gain measured, put into use) and
share them. Every solution is written by a caseworker of the owning municipality,
submitted, and published by its municipality administrator, through
`solutions.actions` like real ones.

Havbygd adopts the fall sensors and Nordvik the plain-language letters, through the
adopt action: each adopting project gets the gain definitions (not the measurements)
and records its own baseline and a few measurements; Havbygd's fall gain is realised,
so Fjordvik's page reads "realised in 1 of 1".

Runs after the projects (85), gains (86) and co-creation (87), before the search index
(90). Idempotent: solutions are keyed on title and municipality, the small projects on
name and municipality, adoptions on solution and municipality; what exists is left as
it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from challenges.models import Theme
from gains import actions as gain_actions
from gains.models import Gain, GainStatus, GainType, Measurement
from ideas.demo_region import administrator_email
from ideas.models import Idea, IdeaStatus
from portal import demo, versions
from portal.models import Municipality, Unit, User
from projects import actions as project_actions
from projects.demo import at_noon, caseworker, demo_project, months_ago
from projects.models import Project, ValueOrigin
from solutions import actions
from solutions.models import (
    Adoption,
    ReuseTerms,
    Solution,
    SolutionEvent,
    SolutionKind,
    SolutionSource,
)

FALL = "Fallsensorer for eldre som bor hjemme"  # projects.demo
KLARSPRAK = "Klart språk i vedtaksbrev"  # projects.demo
BESTILLINGSPLAN = "Felles bestillingsplan for sykehjemmene"  # ideas.demo_triage


# --- Small projects of Havbygd and Nordvik, run to the end -----------------------------------


@dataclass(frozen=True)
class LocalGain:
    type: str
    indicator: str
    unit: str
    description: str
    stakeholders: str
    interval: int
    baseline: tuple[str, int, str]  # value, months ago, source
    series: tuple[str, ...]  # one per interval after the baseline
    source: str
    realised: bool = False


@dataclass(frozen=True)
class LocalProject:
    municipality: str
    unit: str
    name: str
    summary: str
    put_into_use_months_ago: int
    public_text: str
    values: tuple[str, ...]
    gain: LocalGain


GARNMOTTAK = "Garnmottak på kaia"
LEGEBAT = "Legebåt til øyene"
APEN_HALL = "Åpen hall på fredagskvelder"
UNGDOMSBUDSJETT = "Ungdomsrådets eget budsjett"

LOCAL_PROJECTS = [
    LocalProject(
        "havbygd",
        "havbygd-teknisk",
        GARNMOTTAK,
        "Fiskerne leverer utslitte garn og tau gratis i en container på kaia, og kommunen "
        "sender dem til gjenvinning i stedet for at de havner på land eller i sjøen.",
        8,
        "Containeren for gamle garn står på kaia hele året. Fiskerne leverer der i stedet "
        "for å brenne eller dumpe, og garnet blir til nye plastprodukter.",
        ("value_quality", "value_avoided_costs"),
        LocalGain(
            GainType.QUALITY,
            "Garn og tau levert til gjenvinning",
            "tonn per kvartal",
            "Garn som før ble liggende på land eller i sjøen, blir gjenvunnet.",
            "Fiskerne, havna, alle som bruker strendene",
            interval=3,
            baseline=("0.4", 11, "Veiesedler fra renovasjonsselskapet"),
            series=("1.1", "1.9", "2.4"),
            source="Veiesedler fra gjenvinningsanlegget",
            realised=True,
        ),
    ),
    LocalProject(
        "havbygd",
        "havbygd-helse",
        LEGEBAT,
        "En sykepleier og en lege besøker de fire øyene med båt på faste dager, så eldre "
        "slipper den lange reisen til legekontoret.",
        3,
        "Legebåten går hver tirsdag og har fast plass i ruta til kommunens skyssbåt. "
        "Timene bestilles som vanlige legetimer.",
        ("value_quality", "value_efficiency"),
        LocalGain(
            GainType.QUALITY,
            "Reiser til legekontoret på fastlandet for folk fra øyene",
            "reiser per måned",
            "Eldre på øyene får hjelp der de bor og slipper en hel dag på reise.",
            "Eldre på øyene, pårørende, legekontoret",
            interval=1,
            baseline=("46", 5, "Skysslister fra båtruta og timeboka på legekontoret"),
            series=("41", "34", "30", "27"),
            source="Skysslister og timeboka",
        ),
    ),
    LocalProject(
        "nordvik",
        "nordvik-oppvekst",
        APEN_HALL,
        "Idrettshallen holder åpent for ungdom på fredagskvelder, med voksne fra lagene og "
        "fritidsklubben til stede.",
        6,
        "Hallen er åpen hver fredag fra 19 til 23. Idrettslaget, fritidsklubben og "
        "natteravnene deler på vaktene.",
        ("value_quality",),
        LocalGain(
            GainType.OTHERS,
            "Uromeldinger om ungdom på fredagskvelder",
            "meldinger per måned",
            "Ungdommene har et sted å være, og sentrum blir roligere på fredager.",
            "Ungdom, foreldre, naboer i sentrum, politiet",
            interval=2,
            baseline=("9", 9, "Politiets logg for Nordvik sentrum"),
            series=("7", "5", "4"),
            source="Politiets logg, fått fra politikontakten",
            realised=True,
        ),
    ),
    LocalProject(
        "nordvik",
        "nordvik-utvikling",
        UNGDOMSBUDSJETT,
        "Ungdomsrådet bestemmer selv over 200 000 kroner i året til tiltak for unge, og "
        "legger fram hva pengene gikk til.",
        4,
        "Ungdomsrådet har fått sitt første budsjett og har delt det ut til fire tiltak "
        "ungdom selv har foreslått. Retningslinjene er vedtatt av kommunestyret.",
        ("value_quality", "value_working_environment"),
        LocalGain(
            GainType.OTHERS,
            "Ungdom som mener kommunen lytter til dem",
            "prosent",
            "Unge ser at forslagene deres blir til noe, og engasjerer seg mer.",
            "Ungdom i Nordvik",
            interval=6,
            baseline=("23", 10, "Ungdata-undersøkelsen for Nordvik"),
            series=("41",),
            source="Egen spørreundersøkelse på ungdomsskolene",
        ),
    ),
]


# --- The solutions -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSolution:
    municipality: str
    author_unit: str  # the caseworker of this unit writes it
    title: str
    source: str
    problem: str
    what_was_done: str
    kind: str
    reuse_terms: str
    themes: tuple[str, ...]
    published_months_ago: int
    project: str = ""  # the source project's name
    idea: str = ""  # the source idea's title
    source_url: str = ""
    source_organisation: str = ""
    cost: str = ""
    time_taken: str = ""
    competence: str = ""
    technology: str = ""
    procurement_route: str = ""
    reuse_terms_text: str = ""
    contact_phone: str = ""


P, IDEA, X = SolutionSource.PROJECT, SolutionSource.IDEA, SolutionSource.EXTERNAL

SOLUTIONS = [
    DemoSolution(
        "fjordvik",
        "helse-og-omsorg",
        "Fallsensorer som varsler hjemmetjenesten",
        P,
        project=FALL,
        problem=(
            "Eldre som faller hjemme, blir ofte liggende i timer før noen finner dem, fordi "
            "de ikke rekker eller husker å trykke på trygghetsalarmen. Lang liggetid gir "
            "alvorligere skader, flere innleggelser og utrygge pårørende."
        ),
        what_was_done=(
            "Vi intervjuet brukere, pårørende og nattevakter, prøvde sensorer hos 25 brukere "
            "og tilbyr nå sensor til alle med trygghetsalarm. Sensoren merker et fall og "
            "varsler nattevakten på telefonen, koblet til pleie- og omsorgsjournalen."
        ),
        kind=SolutionKind.WELFARE_TECHNOLOGY,
        reuse_terms=ReuseTerms.SHARED_PROCUREMENT,
        reuse_terms_text=(
            "Rammeavtalen har opsjon for kommunene i regionen. Vi deler "
            "personvernkonsekvensvurderingen og rutinene for nattevaktene."
        ),
        themes=("god-helhet-og-samhandling", "forebygging-og-tidlig-innsats"),
        cost="Om lag 1,9 millioner kroner over to år, mest sensorer og oppsett",
        time_taken="17 måneder fra innsikt til drift i hele kommunen",
        competence="Velferdsteknologi, personvern, integrasjon mot journalsystemet",
        technology="Fallsensorer koblet til trygghetsalarmen og varsling på telefon",
        procurement_route="Konkurranse med forhandling, sammen med innkjøpssamarbeidet",
        contact_phone="+47 55 00 00 41",
        published_months_ago=4,
    ),
    DemoSolution(
        "fjordvik",
        "digitalisering",
        "Vedtaksbrev i klart språk",
        P,
        project=KLARSPRAK,
        problem=(
            "Mange forstod ikke brevene kommunen sendte, og ringte servicetorget for å "
            "spørre hva vedtaket betydde og hva de kunne gjøre med det."
        ),
        what_was_done=(
            "Vi skrev om de tjue brevmalene som sendes oftest, testet dem på innbyggere og "
            "fikk dem kvalitetssikret juridisk. Saksbehandlerne fikk et kort kurs i å "
            "skrive klart."
        ),
        kind=SolutionKind.SERVICE,
        reuse_terms=ReuseTerms.OPEN_LICENCE,
        reuse_terms_text="Brevmalene og leseprøveopplegget deles med åpen lisens (CC BY 4.0).",
        themes=("god-kvalitet",),
        cost="420 000 kroner, mest arbeidstid",
        time_taken="Et drøyt år",
        competence="Klarspråk, jus og brukertesting",
        technology="Brevmalene i sak- og arkivsystemet",
        published_months_ago=2,
    ),
    DemoSolution(
        "fjordvik",
        "helse-og-omsorg",
        "Felles bestillingsplan for sykehjemskjøkkenene",
        IDEA,
        idea=BESTILLINGSPLAN,
        problem=(
            "De tre sykehjemmene bestilte mat hver for seg og for sikkerhets skyld litt for "
            "mye. Mye gikk i søpla."
        ),
        what_was_done=(
            "Kjøkkenene bestiller nå etter én felles ukeplan og flytter overskudd mellom "
            "seg før noe kastes. Kjøkkensjefene møtes et kvarter hver torsdag."
        ),
        kind=SolutionKind.ORGANISATION,
        reuse_terms=ReuseTerms.CALL_US,
        themes=("god-kvalitet",),
        cost="Ingen utgifter utover møtetiden",
        time_taken="To måneder",
        competence="Kjøkkensjefer og en økonomirådgiver",
        published_months_ago=3,
    ),
    DemoSolution(
        "fjordvik",
        "strategi-og-utvikling",
        "Digital hjemmeoppfølging med nettbrett",
        X,
        source_url="https://velferdsteknologi.example.no/losninger/digital-hjemmeoppfolging",
        source_organisation="Nasjonalt program for velferdsteknologi",
        problem=(
            "Personer med kroniske sykdommer får ofte hjemmebesøk bare for å måle blodtrykk "
            "eller vekt, og blir likevel lagt inn når sykdommen forverres."
        ),
        what_was_done=(
            "Brukerne måler selv hjemme og svarer på noen spørsmål på et nettbrett. En "
            "sykepleier følger målingene og tar kontakt når noe endrer seg. Programmet har "
            "prøvd dette i flere kommuner og deler veiledere og maler."
        ),
        kind=SolutionKind.WELFARE_TECHNOLOGY,
        reuse_terms=ReuseTerms.OTHER,
        reuse_terms_text=(
            "Veiledere og maler er fritt tilgjengelige hos programmet. Fjordvik forbereder "
            "innføring og deler gjerne det vi lærer underveis."
        ),
        themes=("god-helhet-og-samhandling",),
        competence="Sykepleiere med oppfølgingsansvar, velferdsteknologi",
        technology="Nettbrett, blodtrykksmåler, vekt og en oppfølgingstjeneste",
        procurement_route="Nasjonal rammeavtale",
        published_months_ago=2,
    ),
    DemoSolution(
        "havbygd",
        "havbygd-teknisk",
        "Garnmottak på kaia",
        P,
        project=GARNMOTTAK,
        problem=(
            "Utslitte garn og tau ble liggende i fjæra, brent eller dumpet, og spøkelsesgarn "
            "fisket videre i sjøen."
        ),
        what_was_done=(
            "En container på kaia tar imot garn gratis hele året. Vi avtalte henting med "
            "renovasjonsselskapet og gjenvinning med et anlegg som lager nye plastprodukter."
        ),
        kind=SolutionKind.PHYSICAL,
        reuse_terms=ReuseTerms.CALL_US,
        themes=("god-kvalitet",),
        cost="Om lag 60 000 kroner i året for container og henting",
        time_taken="Tre måneder",
        competence="Havnevakt og kontakt med fiskerlaget",
        procurement_route="Tillegg til avtalen med renovasjonsselskapet",
        published_months_ago=5,
    ),
    DemoSolution(
        "havbygd",
        "havbygd-helse",
        "Legebåt til øyene",
        P,
        project=LEGEBAT,
        problem=(
            "Eldre på øyene har en hel dags reise til legekontoret og venter derfor for "
            "lenge med å bestille time."
        ),
        what_was_done=(
            "En lege og en sykepleier tar skyssbåten til øyene hver tirsdag og har "
            "konsultasjoner i grendehusene. Timene bestilles som vanlige legetimer."
        ),
        kind=SolutionKind.SERVICE,
        reuse_terms=ReuseTerms.CALL_US,
        themes=("god-helhet-og-samhandling",),
        cost="En dag i uka for lege og sykepleier; båten går i ruta uansett",
        time_taken="Et halvt år fra idé til fast rute",
        competence="Fastlege, sykepleier, skyssbåtens mannskap",
        contact_phone="+47 55 10 20 30",
        published_months_ago=1,
    ),
    DemoSolution(
        "nordvik",
        "nordvik-oppvekst",
        "Åpen hall på fredagskvelder",
        P,
        project=APEN_HALL,
        problem=(
            "Ungdommene i Nordvik sa at det ikke fantes noe sted å være på fredagskvelder, "
            "og det var uro i sentrum."
        ),
        what_was_done=(
            "Idrettshallen holder åpent fra 19 til 23 hver fredag. Frivillige fra "
            "idrettslaget, fritidsklubben og natteravnene deler på vaktene, og ungdommene "
            "bestemmer selv hva hallen brukes til."
        ),
        kind=SolutionKind.SERVICE,
        reuse_terms=ReuseTerms.OPEN_LICENCE,
        reuse_terms_text="Vaktlister, avtalen med lagene og ordensreglene kan brukes fritt.",
        themes=("forebygging-og-tidlig-innsats",),
        cost="Om lag 80 000 kroner i året til vakthold og renhold",
        time_taken="To måneder",
        competence="Fritidsklubben og frivillige voksne",
        published_months_ago=4,
    ),
    DemoSolution(
        "nordvik",
        "nordvik-utvikling",
        "Ungdomsrådets eget budsjett",
        P,
        project=UNGDOMSBUDSJETT,
        problem=(
            "Ungdomsrådet ga mange råd, men fikk sjelden se at noe skjedde, og færre ville "
            "stille til valg."
        ),
        what_was_done=(
            "Kommunestyret ga ungdomsrådet 200 000 kroner i året å fordele på tiltak unge "
            "foreslår, med enkle retningslinjer og en voksen sekretær."
        ),
        kind=SolutionKind.ORGANISATION,
        reuse_terms=ReuseTerms.OPEN_LICENCE,
        reuse_terms_text="Retningslinjene og søknadsskjemaet kan brukes fritt.",
        themes=("forebygging-og-tidlig-innsats", "nodvendig-kompetanse"),
        cost="200 000 kroner i året og en sekretær i 10 prosent stilling",
        time_taken="Et halvt år, med politisk behandling",
        published_months_ago=2,
    ),
]


# --- Adoptions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnFigures:
    """What the adopting municipality measures for one copied gain (by its indicator)."""

    indicator: str
    baseline: tuple[str, int, str]  # value, months ago, source
    series: tuple[tuple[str, int], ...] = ()  # (value, months ago)
    source: str = ""
    realised: bool = False


@dataclass(frozen=True)
class DemoAdoption:
    solution: str  # title
    unit: str  # the adopting unit; its caseworker adopts
    name: str
    months_ago: int
    figures: tuple[OwnFigures, ...] = field(default_factory=tuple)


ADOPTIONS = [
    DemoAdoption(
        "Fallsensorer som varsler hjemmetjenesten",
        "havbygd-helse",
        "Fallsensorer i Havbygd",
        months_ago=3,
        figures=(
            OwnFigures(
                "Fall som krever legevakt eller sykehus",
                ("5", 3, "Avviksregisteret i Havbygds omsorgsjournal"),
                (("4", 2), ("3", 1)),
                "Avviksregisteret",
                realised=True,
            ),
            OwnFigures(
                "Pårørende som opplever at den eldre er trygg hjemme",
                ("49", 3, "Spørreundersøkelse blant pårørende i Havbygd, 64 svar"),
            ),
        ),
    ),
    DemoAdoption(
        "Vedtaksbrev i klart språk",
        "nordvik-utvikling",
        "Klart språk i Nordviks vedtaksbrev",
        months_ago=1,
        figures=(
            OwnFigures(
                "Telefoner til servicetorget om brev fra kommunen",
                ("190", 1, "Telefonistatistikk fra Nordvik servicetorg"),
                (("172", 0),),
                "Telefonistatistikk",
            ),
        ),
    ),
]


# --- Seeding -------------------------------------------------------------------------------


def _user(email: str) -> User | None:
    return User.objects.filter(email=email, is_active=True).first()


def _staff(unit_slug: str) -> User | None:
    unit = Unit.objects.filter(slug=unit_slug, is_active=True).first()
    return caseworker(unit) if unit else None


def _seed_local_project(spec: LocalProject, today: datetime.date) -> None:
    if Project.objects.filter(name=spec.name, municipality__slug=spec.municipality).exists():
        return
    unit = Unit.objects.filter(slug=spec.unit, is_active=True).first()
    staff = caseworker(unit) if unit else None
    if unit is None or staff is None:
        return
    spec_gain = spec.gain
    value, baseline_months, baseline_source = spec_gain.baseline
    baseline_on = months_ago(baseline_months, today)
    project = project_actions.project_create(
        owning_unit=unit, by=staff, name=spec.name, summary=spec.summary
    )
    # The project began when its baseline was taken, not when the demo ran.
    started = at_noon(baseline_on - datetime.timedelta(days=14))
    Project.objects.filter(pk=project.pk).update(created_at=started)
    project.events.update(created_at=started)
    gain = gain_actions.gain_add(
        project=project,
        by=staff,
        owner=staff,
        description=spec_gain.description,
        type=spec_gain.type,
        indicator=spec_gain.indicator,
        unit=spec_gain.unit,
        stakeholders=spec_gain.stakeholders,
        measurement_interval_months=spec_gain.interval,
    )
    _measure(
        gain,
        staff,
        (value, baseline_months, baseline_source),
        spec_gain.source,
        today,
        [
            (v, baseline_months - spec_gain.interval * (n + 1))
            for n, v in enumerate(spec_gain.series)
        ],
        spec_gain.realised,
    )
    project_actions.project_put_into_use(
        project=project,
        by=staff,
        public_text=spec.public_text,
        origin=ValueOrigin.FIRST,
        values=spec.values,
        put_into_use_on=months_ago(spec.put_into_use_months_ago, today),
    )


def _measure(
    gain: Gain,
    by: User,
    baseline: tuple[str, int, str],
    source: str,
    today: datetime.date,
    series: list[tuple[str, int]] | tuple[tuple[str, int], ...],
    realised: bool,
) -> None:
    """The baseline, the measurements since (months ago each; none in the future) and,
    if reached, "realised": all through `gains.actions`."""
    value, baseline_months, baseline_source = baseline
    baseline_on = months_ago(baseline_months, today)
    gain_actions.gain_record_baseline(
        gain=gain, by=by, value=Decimal(value), measured_on=baseline_on, source=baseline_source
    )
    for measured, ago in series:
        measured_on = months_ago(ago, today) if ago else today
        if ago < 0 or measured_on <= baseline_on:
            continue
        gain_actions.gain_record_measurement(
            gain=gain, by=by, value=Decimal(measured), measured_on=measured_on, source=source
        )
    if realised:
        gain_actions.gain_change_status(gain=gain, by=by, status=GainStatus.REALISED)
    # Recorded as they were measured, not all at the moment the demo ran.
    for measurement in Measurement.objects.filter(gain=gain):
        Measurement.objects.filter(pk=measurement.pk).update(
            recorded_at=at_noon(measurement.measured_on)
        )


def _source_project(spec: DemoSolution) -> Project | None:
    if spec.municipality == "fjordvik":
        return demo_project(spec.project)
    return Project.objects.filter(name=spec.project, municipality__slug=spec.municipality).first()


def _seed_solution(spec: DemoSolution, themes: dict[str, Theme], today: datetime.date) -> None:
    municipality = Municipality.objects.filter(slug=spec.municipality).first()
    if (
        municipality is None
        or Solution.objects.filter(title=spec.title, municipality=municipality).exists()
    ):
        return
    author = _staff(spec.author_unit)
    reviewer = _user(administrator_email(spec.municipality))
    if author is None or reviewer is None:
        return
    source: dict = {}
    if spec.source == P:
        project = _source_project(spec)
        if project is None or not project.is_put_into_use:
            return
        source["project"] = project
    elif spec.source == IDEA:
        idea = Idea.objects.filter(
            title=spec.idea, municipality=municipality, status=IdeaStatus.IMPLEMENTED
        ).first()
        if idea is None:
            return
        source["idea"] = idea
    else:
        source.update(source_url=spec.source_url, source_organisation=spec.source_organisation)
    solution = actions.solution_create(
        municipality=municipality,
        by=author,
        source=spec.source,
        themes=[themes[slug] for slug in spec.themes if slug in themes],
        title=spec.title,
        problem=spec.problem,
        what_was_done=spec.what_was_done,
        cost=spec.cost,
        time_taken=spec.time_taken,
        competence=spec.competence,
        technology=spec.technology,
        procurement_route=spec.procurement_route,
        contact_name=author.display_name or author.email,
        contact_email=author.email,
        contact_phone=spec.contact_phone,
        reuse_terms=spec.reuse_terms,
        reuse_terms_text=spec.reuse_terms_text,
        kind=spec.kind,
        **source,
    )
    actions.solution_step(solution=solution, by=author, step="submit")
    actions.solution_step(solution=solution, by=reviewer, step="publish")
    # Published months ago, a few days after it was written and submitted.
    published = at_noon(months_ago(spec.published_months_ago, today))
    Solution.objects.filter(pk=solution.pk).update(
        published_at=published, created_at=published - datetime.timedelta(days=6)
    )
    events = SolutionEvent.objects.filter(solution=solution)
    events.filter(kind=SolutionEvent.Kind.PUBLISHED).update(created_at=published)
    events.exclude(kind=SolutionEvent.Kind.PUBLISHED).update(
        created_at=published - datetime.timedelta(days=6)
    )


def _seed_adoption(spec: DemoAdoption, today: datetime.date) -> None:
    solution = Solution.objects.published().filter(title=spec.solution).first()
    unit = Unit.objects.filter(slug=spec.unit, is_active=True).first()
    staff = caseworker(unit) if unit else None
    if solution is None or unit is None or staff is None:
        return
    if Adoption.objects.filter(solution=solution, municipality_id=unit.municipality_id).exists():
        return
    adoption = actions.solution_adopt(solution=solution, by=staff, owning_unit=unit, name=spec.name)
    adopted = at_noon(months_ago(spec.months_ago, today))
    Adoption.objects.filter(pk=adoption.pk).update(adopted_at=adopted)
    Project.objects.filter(pk=adoption.project_id).update(created_at=adopted)
    adoption.project.events.update(created_at=adopted)
    gains = {gain.indicator: gain for gain in Gain.objects.filter(project=adoption.project)}
    for figures in spec.figures:
        gain = gains.get(figures.indicator)
        if gain is not None:
            _measure(
                gain,
                staff,
                figures.baseline,
                figures.source,
                today,
                figures.series,
                figures.realised,
            )


def seed() -> int:
    """Create what is missing; returns how many solutions were published now."""
    today = timezone.localdate()
    before = Solution.objects.count()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    with transaction.atomic():
        queued_before = len(connection.run_on_commit)
        adoptions_before = Adoption.objects.count()
        for project in LOCAL_PROJECTS:
            _seed_local_project(project, today)
        for solution in SOLUTIONS:
            _seed_solution(solution, themes, today)
        for adoption in ADOPTIONS:
            _seed_adoption(adoption, today)
        # Demo history e-mails nobody (the search step indexes it all afterwards); the
        # cached pages learn of it when this commits.
        del connection.run_on_commit[queued_before:]
        created = Solution.objects.count() - before
        if created or Adoption.objects.count() != adoptions_before:
            versions.bump(versions.PROJECTS, versions.GAINS)
    return created


@demo.step(88, "solutions")
def seed_solutions() -> str:
    seed()
    published = Solution.objects.published()
    return f"{published.count()} solutions, {Adoption.objects.count()} adoptions"
