"""Demo ideas for Fjordvik kommune: 150+ ideas and proposals, with tags and support.

Everything is created through `idea_submit` and `vote_cast`, so the demo data obeys the
same rules as real data (routing, references, events, derived counts). Idempotent: an
idea is keyed on its title and author, and skipped if it exists.

Challenges are looked up at run time among the live pages (the challenges seeder runs
first); ideas answer an open challenge with the same theme when there is one, else
they become free ideas under that theme.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from challenges.models import ChallengePage, Theme
from ideas import demo_comments, demo_region, demo_triage, selectors, services
from ideas.models import Idea, IdeaEvent, IdeaKind
from portal import demo, invalidation
from portal.models import Organisation, User

PLACES = [
    "Fjordvik sentrum",
    "Nordbyen",
    "Sjøsiden",
    "Bakkehaugen",
    "Elvedalen",
    "Havnegata",
    "Skogly",
]

FJORDTECH = "926583417"
IDRETTSLAGET = "998877660"


@dataclass(frozen=True)
class DemoIdea:
    theme: str  # Theme slug
    title: str  # may contain {place}
    summary: str
    description: str
    tags: tuple[str, ...]
    keywords: tuple[str, ...] = ()  # words that pick a matching challenge
    organisation: str = ""  # organisation number for proposals


T_EARLY = "forebygging-og-tidlig-innsats"
T_WHOLE = "god-helhet-og-samhandling"
T_QUALITY = "god-kvalitet"
T_SKILLS = "nodvendig-kompetanse"

IDEAS = [
    DemoIdea(
        T_EARLY,
        "Leksehjelp med frivillige på biblioteket i {place}",
        "Frivillige studenter og pensjonister gir leksehjelp to ettermiddager i uka.",
        "Mange barn får ikke hjelp med leksene hjemme. Biblioteket i {place} har plass og "
        "åpent på ettermiddagen.\n\n- frivillige fra studentforeningen og seniorsenteret\n"
        "- fast tid tirsdag og torsdag\n- enkel påmelding på nett",
        ("leksehjelp", "frivillighet", "bibliotek"),
        ("barn", "unge", "skole", "tidlig"),
    ),
    DemoIdea(
        T_EARLY,
        "Helsesykepleier på ungdomsklubben i {place}",
        "En fast kveld i måneden med helsesykepleier til stede der ungdommen allerede er.",
        "Terskelen for å gå til helsestasjonen er høy for mange. Ungdomsklubben i {place} er "
        "et trygt sted, og en uformell samtale der kan fange opp problemer **tidlig**.",
        ("ungdom", "psykisk helse", "helsestasjon"),
        ("barn", "unge", "tidlig"),
    ),
    DemoIdea(
        T_EARLY,
        "Foreldrekafé for nye familier i {place}",
        "Et uformelt treffsted der nybakte foreldre kan møtes og få råd.",
        "Mange nye foreldre er ensomme i permisjonen. En ukentlig foreldrekafé i {place}, "
        "gjerne sammen med helsestasjonen og frivillige, kan gi nettverk og tidlig hjelp.",
        ("foreldre", "møteplass", "barn"),
        ("barn", "tidlig", "familie"),
    ),
    DemoIdea(
        T_EARLY,
        "Trygg skolevei med gatelys i {place}",
        "Bedre belysning langs skoleveien før mørketida.",
        "Barna går i mørket fra oktober til mars. Strekningen i {place} mangler lys på flere "
        "hundre meter. Bevegelsesstyrte LED-lys sparer strøm og gir trygghet.",
        ("skolevei", "trafikksikkerhet", "gatelys"),
        ("skole", "trygg"),
    ),
    DemoIdea(
        T_EARLY,
        "Aktivitetskort for barn i lavinntektsfamilier i {place}",
        "Ett kort som gir gratis tilgang til kultur og idrett for barn som trenger det.",
        "Kostnader holder mange barn utenfor fritidsaktiviteter. Et aktivitetskort som lag og "
        "foreninger i {place} tar imot, gir alle barn en vei inn.",
        ("fritid", "inkludering", "idrett"),
        ("barn", "unge", "utenforskap"),
    ),
    DemoIdea(
        T_EARLY,
        "Turgruppe for eldre som bor alene i {place}",
        "Faste turer med frivillige turvenner to ganger i uka.",
        "Ensomhet er en av de store samfunnsflokene. Turgrupper i {place} gir både bevegelse "
        "og fellesskap, og kan drives av frivillige med litt støtte fra kommunen.",
        ("eldre", "ensomhet", "friluftsliv"),
        ("eldre", "ensomhet"),
    ),
    DemoIdea(
        T_WHOLE,
        "Én kontaktperson for familier med mange tjenester i {place}",
        "Familier som møter mange etater får én person å forholde seg til.",
        "Familier med barn med spesielle behov forteller om mange møter og mange skjemaer. "
        "En fast koordinator i {place} kan samle trådene på tvers av enhetene.",
        ("koordinator", "samhandling", "familie"),
        ("helhet", "samhandling", "barn"),
    ),
    DemoIdea(
        T_WHOLE,
        "Delingsbod for verktøy og utstyr i {place}",
        "Lån i stedet for å kjøpe: en bod der innbyggere deler verktøy og tursutstyr.",
        "Mye utstyr brukes sjelden. En delingsbod i {place}, drevet sammen med frivillige, gir "
        "flere tilgang til utstyr og reduserer forbruket.",
        ("deling", "bærekraft", "frivillighet"),
        ("klima", "miljø", "samhandling"),
    ),
    DemoIdea(
        T_WHOLE,
        "Besøksvenner fra videregående til sykehjemmet i {place}",
        "Elever får praksis og beboere får besøk, en time i uka.",
        "Elever på helse- og oppvekstfag trenger praksis. Beboerne på sykehjemmet i {place} "
        "ønsker seg flere besøk. Et fast samarbeid gir glede begge veier.",
        ("eldre", "ungdom", "sykehjem"),
        ("eldre", "ensomhet", "samhandling"),
    ),
    DemoIdea(
        T_WHOLE,
        "Felles kalender for lag og foreninger i {place}",
        "Én oversikt over aktiviteter, så ingen arrangementer kolliderer.",
        "Lag og foreninger i {place} planlegger hver for seg. En felles digital kalender gjør "
        "det lettere å samarbeide og for innbyggere å finne noe å være med på.",
        ("frivillighet", "kalender", "kultur"),
        ("frivillig", "samhandling"),
    ),
    DemoIdea(
        T_WHOLE,
        "Regnbed i stedet for asfalt ved skolen i {place}",
        "Grønne regnbed tar unna overvann og blir et læringsområde for elevene.",
        "Ved kraftig regn flommer skolegården i {place}. Regnbed og grønne tak kan ta unna "
        "overvannet lokalt, og elevene kan følge med på målingene i naturfag.",
        ("overvann", "klimatilpasning", "skole"),
        ("klima", "overvann", "flom"),
    ),
    DemoIdea(
        T_WHOLE,
        "Samkjøring til aktiviteter for barn i {place}",
        "En enkel ordning der foreldre deler kjøring til trening og kor.",
        "Mange barn kommer seg ikke til aktiviteter fordi foreldrene ikke har bil eller tid. "
        "Samkjøring i {place} kan organiseres via lagene og gi færre bilturer.",
        ("transport", "fritid", "klima"),
        ("klima", "barn"),
    ),
    DemoIdea(
        T_QUALITY,
        "Digital timebestilling hos helsestasjonen i {place}",
        "Bestill og flytt time selv, når det passer.",
        "I dag må foreldre ringe i telefontiden. Selvbetjent timebestilling for helsestasjonen "
        "i {place} sparer tid både for familiene og de ansatte.",
        ("digitalisering", "selvbetjening", "helsestasjon"),
        ("digital", "kvalitet"),
    ),
    DemoIdea(
        T_QUALITY,
        "Sensorer som varsler fall hos eldre som bor hjemme i {place}",
        "Velferdsteknologi som gir trygghet uten kamera.",
        "Mange eldre vil bo hjemme lenger. Diskrete sensorer som varsler hjemmetjenesten ved "
        "fall, kan gi trygghet for eldre i {place} og pårørende.",
        ("velferdsteknologi", "eldre", "hjemmetjeneste"),
        ("eldre", "hjemme", "teknologi"),
    ),
    DemoIdea(
        T_QUALITY,
        "Klart språk i brev fra kommunen",
        "Skriv slik at alle forstår: kortere brev, tydelig hva mottakeren må gjøre.",
        "Brev fra kommunen er ofte vanskelige å forstå. Et klarspråkløft, med maler og "
        "opplæring, gjør at færre må ringe og spørre. Startet gjerne med byggesak i {place}.",
        ("klarspråk", "kommunikasjon", "kvalitet"),
        ("kvalitet", "digital"),
    ),
    DemoIdea(
        T_QUALITY,
        "Meld fra om hull i veien med bilde og kart i {place}",
        "En enkel tjeneste der innbyggere melder feil på vei og lys.",
        "Hull i veien og lys som ikke virker blir ofte ikke meldt. Med bilde og kartpunkt kan "
        "teknisk drift prioritere bedre, og innbyggerne i {place} ser når feilen er rettet.",
        ("vei", "digitalisering", "meld fra"),
        ("digital", "vei"),
    ),
    DemoIdea(
        T_QUALITY,
        "Stille time på svømmehallen i {place}",
        "En time i uka med dempet lys og lyd for dem som trenger ro.",
        "For barn med autisme og mange eldre er svømmehallen for bråkete. En fast stille time "
        "i {place} gjør tilbudet tilgjengelig for flere.",
        ("universell utforming", "inkludering", "svømmehall"),
        ("inkludering", "kvalitet"),
    ),
    DemoIdea(
        T_QUALITY,
        "Matsvinn fra sykehjemmet til kafé i {place}",
        "Overskuddsmat blir lunsj på frivillighetssentralen.",
        "Kjøkkenet på sykehjemmet i {place} lager mer mat enn som spises. Med gode rutiner kan "
        "overskuddet bli en rimelig lunsj for alle, og et sted å møtes.",
        ("matsvinn", "bærekraft", "møteplass"),
        ("klima", "eldre", "ensomhet"),
    ),
    DemoIdea(
        T_SKILLS,
        "Digital hjelp for seniorer på biblioteket i {place}",
        "Ungdom lærer eldre å bruke BankID, Helsenorge og digitale tjenester.",
        "Mange eldre står utenfor når tjenestene blir digitale. Ungdom med sommerjobb eller "
        "frivillige kan holde åpen digital-hjelp på biblioteket i {place}.",
        ("digital inkludering", "eldre", "bibliotek"),
        ("digital", "eldre", "kompetanse"),
    ),
    DemoIdea(
        T_SKILLS,
        "Hospitering mellom enhetene i kommunen",
        "Ansatte bytter arbeidsplass noen dager for å lære av hverandre.",
        "Enhetene vet for lite om hverandres arbeid. Korte hospiteringer, for eksempel mellom "
        "barnehage og helsestasjon i {place}, gir bedre samarbeid og nye ideer.",
        ("kompetanse", "samhandling", "ansatte"),
        ("kompetanse", "samhandling"),
    ),
    DemoIdea(
        T_SKILLS,
        "Språkkafé for nye innbyggere i {place}",
        "Øv norsk i en uformell samtale med frivillige.",
        "Språk er nøkkelen til arbeid og fellesskap. En ukentlig språkkafé i {place}, gjerne "
        "på biblioteket, er rimelig å drive og betyr mye for dem som kommer.",
        ("integrering", "språk", "frivillighet"),
        ("kompetanse", "inkludering"),
    ),
    DemoIdea(
        T_SKILLS,
        "Lærlingplasser i kommunale bygg og anlegg i {place}",
        "Flere lærlinger i teknisk drift gir fagfolk for framtida.",
        "Det blir vanskeligere å rekruttere fagarbeidere. Flere lærlingplasser i teknisk drift "
        "i {place} gir ungdom en vei inn i arbeidslivet og kommunen nødvendig kompetanse.",
        ("lærling", "rekruttering", "ungdom"),
        ("kompetanse", "unge"),
    ),
    # Proposals from organisations.
    DemoIdea(
        T_QUALITY,
        "Sensorbasert tømming av avfallsbeholdere i {place}",
        "Fjordtech AS foreslår fyllingssensorer så bilen bare kjører når det trengs.",
        "Fjordtech AS har utviklet en rimelig fyllingssensor. Et pilotprosjekt i {place} kan "
        "vise hvor mye kjøring og utslipp som spares. Vi stiller med utstyr og analyse.",
        ("sensor", "avfall", "klima"),
        ("klima", "teknologi"),
        FJORDTECH,
    ),
    DemoIdea(
        T_WHOLE,
        "Varsling av overvann med målere i bekkene i {place}",
        "Fjordtech AS tilbyr vannstandsmålere som varsler før flom.",
        "Målere i bekkene i {place} kan varsle teknisk drift og innbyggere før kjellere "
        "fylles. Data kan deles åpent, og løsningen kan skaleres til hele kommunen.",
        ("overvann", "sensor", "klimatilpasning"),
        ("overvann", "flom", "klima"),
        FJORDTECH,
    ),
    DemoIdea(
        T_QUALITY,
        "Digital nøkkel til kommunale lokaler i {place}",
        "Fjordtech AS foreslår digital utlån av grendehus og gymsaler.",
        "Lag og foreninger må i dag hente nøkkel i servicetorget. Med digital lås og enkel "
        "booking kan lokalene i {place} brukes mer, også på kveldstid.",
        ("booking", "digitalisering", "frivillighet"),
        ("digital", "frivillig"),
        FJORDTECH,
    ),
    DemoIdea(
        T_EARLY,
        "Gratis lavterskeltrening for ungdom i {place}",
        "Fjordvik idrettslag åpner hallen fredagskveld for alle mellom 13 og 18.",
        "Ikke alle vil konkurrere. Idrettslaget tilbyr åpen hall med voksne til stede i "
        "{place}, hvis kommunen dekker leie av hallen.",
        ("idrett", "ungdom", "inkludering"),
        ("unge", "barn", "utenforskap"),
        IDRETTSLAGET,
    ),
]

CITIZEN_EMAILS = [
    "kari.nordmann@example.no",
    "ola.hansen@example.no",
    "aisha.ali@example.no",
    "per.berg@example.no",
    "solveig.lie@example.no",
]


def _pick_challenge(
    demo: DemoIdea, challenges: list[ChallengePage], place_index: int
) -> ChallengePage | None:
    """An open challenge in the idea's theme whose title matches a keyword, if any.

    Every third place stays a free idea, so the list shows both kinds; an idea that fits
    no open challenge is a free idea too, rather than an answer to an unrelated one.
    """
    if place_index % 3 == 2:
        return None
    in_theme = [c for c in challenges if c.theme.slug == demo.theme]
    for challenge in in_theme:
        text = f"{challenge.title} {challenge.summary}".lower()
        if any(keyword in text for keyword in demo.keywords):
            return challenge
    return None


def _authors() -> tuple[list[User], dict[str, User]]:
    citizens = list(User.objects.filter(email__in=CITIZEN_EMAILS).order_by("email"))
    members = {}
    for organisation in Organisation.objects.filter(
        organisation_number__in=[FJORDTECH, IDRETTSLAGET]
    ):
        member = organisation.members.order_by("pk").first()
        if member is not None:
            members[organisation.organisation_number] = member
    return citizens, members


def seed(*, reindex: bool = True) -> list[Idea]:
    """Create the demo ideas (skipping those that exist) and their support. Returns the new ones.

    E-mail and search updates that the services queue are dropped for demo data: nobody
    should get 150 e-mails. With `reindex`, each new idea is indexed once at the end
    instead of once per vote; `portal.demo` passes False because the search seeder
    rebuilds the whole index afterwards.
    """
    citizens, members = _authors()
    if not citizens:
        return []  # portal.demo seeds people first; without them there is no one to write
    voters = list(
        User.objects.filter(is_active=True, is_superuser=False)
        .filter(
            Q(email__in=CITIZEN_EMAILS) | Q(organisations__isnull=False) | Q(units__isnull=False)
        )
        .distinct()
        .order_by("email")
    )
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    challenges = list(selectors.open_challenges().select_related("theme"))
    rng = random.Random(2026)  # the same demo every time
    now = timezone.now()
    created: list[Idea] = []

    with transaction.atomic():
        queued_before = len(connection.run_on_commit)
        for place_index, place in enumerate(PLACES):
            for idea_index, demo in enumerate(IDEAS):
                number = place_index * len(IDEAS) + idea_index
                if demo.organisation:
                    author = members.get(demo.organisation)
                    if author is None:
                        continue
                else:
                    author = citizens[number % len(citizens)]
                title = demo.title.format(place=place)
                if "{place}" not in demo.title and place_index:
                    title = f"{title} – {place}"
                if Idea.objects.filter(title=title, author=author).exists():
                    continue
                challenge = _pick_challenge(demo, challenges, place_index)
                idea = services.idea_submit(
                    author=author,
                    title=title,
                    summary=demo.summary,
                    description=demo.description.format(place=place),
                    kind=IdeaKind.PROPOSAL if demo.organisation else IdeaKind.IDEA,
                    organisation=(
                        Organisation.objects.get(organisation_number=demo.organisation)
                        if demo.organisation
                        else None
                    ),
                    challenge=challenge,
                    theme=None if challenge else themes.get(demo.theme),
                    tags=[*demo.tags, place.lower()] if place_index % 2 else list(demo.tags),
                    location=place,
                )
                # Most ideas get a little support, a few get a lot.
                others = [voter for voter in voters if voter.pk != author.pk]
                supporters = min(len(others), int(rng.paretovariate(1.2)) - 1 + rng.randint(0, 2))
                for voter in rng.sample(others, k=supporters):
                    services.vote_cast(idea=idea, voter=voter)
                # Spread the demo over the last four months so sorting means something.
                when = now - datetime.timedelta(days=rng.randint(0, 120), minutes=number)
                Idea.objects.filter(pk=idea.pk).update(
                    created_at=when, updated_at=when, status_changed_at=when
                )
                IdeaEvent.objects.filter(idea=idea).update(created_at=when)
                created.append(idea)
        # Drop the e-mails and per-vote index updates queued above (see docstring).
        del connection.run_on_commit[queued_before:]
        if reindex:
            for idea in created:
                invalidation.reindex(idea)
    return created


# The ideas app's part of `seed_demo`, in the order a real municipality would see it.


@demo.step(40, "routing rules")
def seed_routing_rules() -> None:
    # Before any idea is submitted, so submission routes them.
    demo_triage.seed_rules()


@demo.step(50, "ideas")
def seed_ideas() -> str:
    seed(reindex=False)  # the search index is built in one go at the end
    return f"{Idea.objects.count()} ideas"


@demo.step(60, "comments")
def seed_comments() -> None:
    # Discussion happens while ideas are open; the lifecycle below closes some of them.
    demo_comments.seed()


@demo.step(70, "lifecycle")
def seed_lifecycle() -> None:
    # Staff move the ideas on: answers, results, a few overdue.
    demo_triage.seed_lifecycle()


@demo.step(75, "concluded challenge")
def seed_concluded_challenge() -> None:
    # What the concluded challenge's outcome tells of: its ideas, two put into use.
    demo_triage.seed_concluded_challenge()


@demo.step(80, "region")
def seed_region() -> str:
    # Last: Fjordvik's challenges move under /fjordvik/ once its neighbours join.
    return demo_region.seed()
