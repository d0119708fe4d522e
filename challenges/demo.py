"""Demo challenges for Fjordvik kommune, with the index page and the site's own pages.

Idempotent: pages are looked up by slug and updated, so `seed_demo` can run again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from challenges.models import ChallengeIndexPage, ChallengePage, ChallengeStatus, Theme
from cms.models import HomePage, MunicipalityHomePage, NavigationSettings, StandardPage
from portal import demo as portal_demo
from portal.models import Unit


@dataclass(frozen=True)
class DemoChallenge:
    slug: str
    title: str
    summary: str
    theme: str
    unit: str
    audience: str
    opens: int  # days from today
    closes: int
    background: str
    affected: str
    tried: str
    wanted: str
    tags: tuple[str, ...]
    override: str = ""
    outcome: str = ""


CHALLENGES = [
    DemoChallenge(
        "ensomhet-blant-eldre",
        "Ensomhet blant eldre som bor hjemme",
        "Hvordan kan eldre som bor hjemme, få flere gode møter med andre i hverdagen?",
        "god-helhet-og-samhandling",
        "helse-og-omsorg",
        "both",
        -20,
        40,
        "Stadig flere eldre i Fjordvik bor lenge i egen bolig. Hjemmetjenesten ser at mange "
        "går dager uten en samtale som ikke handler om medisiner eller stell.",
        "Eldre som bor alene, pårørende som bor langt unna, og ansatte i hjemmetjenesten.",
        "Besøksvenner gjennom frivilligsentralen og seniortreff på dagtid. Tilbudene når "
        "først og fremst dem som allerede er aktive.",
        "Enkle tiltak som bringer folk sammen i nabolaget, gjerne i samarbeid med lag, "
        "butikker eller skoler.",
        ("eldre", "ensomhet", "frivillighet"),
    ),
    DemoChallenge(
        "frafall-i-videregaende",
        "Frafall i videregående opplæring",
        "Hvordan kan flere unge i Fjordvik fullføre videregående?",
        "forebygging-og-tidlig-innsats",
        "oppvekst",
        "both",
        -10,
        50,
        "Omtrent hver femte elev fra Fjordvik fullfører ikke videregående på normert tid. "
        "Overgangen fra ungdomsskolen er sårbar.",
        "Ungdom i overgangen fra 10. trinn, foreldre og lærere.",
        "Mentorordning i regi av skolen og oppfølgingstjenesten. Den når få elever før de "
        "allerede har falt ut.",
        "Ideer som fanger opp tidlige tegn, og som gir unge voksne å snakke med.",
        ("ungdom", "skole", "mestring"),
    ),
    DemoChallenge(
        "overvann-i-sentrum",
        "Overvann og klimatilpasning i sentrum",
        "Hvordan kan sentrum håndtere kraftigere regnskyll uten oversvømte kjellere og gater?",
        "god-kvalitet",
        "plan-og-miljo",
        "businesses",
        -5,
        70,
        "Kraftigere nedbør gir mer overvann enn ledningsnettet i sentrum tar unna. "
        "Flere gårdeiere har hatt vann i kjelleren de siste årene.",
        "Gårdeiere, næringsdrivende i sentrum og alle som ferdes der.",
        "Større rør er dyrt og tar lang tid. Et par regnbed er anlagt ved rådhuset.",
        "Blågrønne løsninger, smarte varsler og samarbeid med gårdeiere.",
        ("klima", "overvann", "sentrum"),
    ),
    DemoChallenge(
        "digital-inkludering",
        "Digital inkludering",
        "Hvordan kan alle innbyggere få hjelp til å bruke kommunens digitale tjenester?",
        "god-helhet-og-samhandling",
        "digitalisering",
        "citizens",
        -30,
        20,
        "Stadig flere tjenester er bare digitale. Noen innbyggere står utenfor, og "
        "servicetorget får mange spørsmål om innlogging.",
        "Eldre, nyankomne innbyggere og andre som er usikre på digitale tjenester.",
        "Kurs på biblioteket to ganger i året, med lange ventelister.",
        "Lavterskel hjelp nær folk, gjerne med frivillige og næringsliv.",
        ("digitalisering", "bibliotek"),
    ),
    DemoChallenge(
        "frivillige-i-idrettslag",
        "Rekruttering av frivillige i idrettslag",
        "Hvordan kan idrettslagene få flere voksne til å ta et tak?",
        "nodvendig-kompetanse",
        "kultur-og-frivillighet",
        "both",
        -15,
        45,
        "Lagene melder at det er vanskelig å få trenere, dommere og dugnadsfolk. "
        "Tilbudet til barn og unge avhenger av noen få ildsjeler.",
        "Idrettslag, foreldre og barn som mister aktivitetstilbud.",
        "Felles dugnadsportal og kurs for nye trenere.",
        "Ideer som gjør det enkelt å bidra litt, uten å binde seg for en hel sesong.",
        ("frivillighet", "idrett", "barn og unge"),
    ),
    DemoChallenge(
        "tidlig-innsats-i-barnehagen",
        "Tidlig innsats i barnehagen",
        "Hvordan kan barnehagene fange opp barn som trenger ekstra støtte, tidligere?",
        "forebygging-og-tidlig-innsats",
        "barnehage",
        "citizens",
        14,
        75,
        "Ansatte i barnehagene ser ofte tidlig at et barn strever, men veien til riktig "
        "hjelp er lang.",
        "Barn, foreldre, barnehageansatte, helsestasjonen og PPT.",
        "Tverrfaglige møter to ganger i året per barnehage.",
        "Ideer til bedre samarbeid mellom barnehage, helsestasjon og foreldre.",
        ("barnehage", "tidlig innsats"),
    ),
    DemoChallenge(
        "sykkel-til-skolen",
        "Trygg skolevei med sykkel",
        "Hvordan kan flere barn sykle trygt til skolen?",
        "forebygging-og-tidlig-innsats",
        "teknisk-drift",
        "both",
        -60,
        -3,
        "Foreldrekjøring skaper kø og utrygge situasjoner ved skolene om morgenen.",
        "Skolebarn, foreldre og naboer til skolene.",
        "Hjertesoner ved to skoler.",
        "Tiltak som gjør skoleveien tryggere og mer fristende å sykle.",
        ("skolevei", "sykkel", "trafikk"),
    ),
    DemoChallenge(
        "matsvinn-i-kantiner",
        "Mindre matsvinn i kommunale kantiner",
        "Hvordan kan kommunens kantiner og sykehjem kaste mindre mat?",
        "god-kvalitet",
        "naering",
        "businesses",
        -200,
        -120,
        "Kommunen kaster store mengder mat fra kantiner og institusjonskjøkken hvert år.",
        "Ansatte på kjøkkenene, beboere på sykehjem og lokale matbedrifter.",
        "Måling av matsvinn i ett av kjøkkenene.",
        "Løsninger for bedre planlegging og gjenbruk av overskuddsmat.",
        ("matsvinn", "miljø"),
        override=ChallengeStatus.CONCLUDED,
        outcome=(
            "<p>Vi fikk inn seks ideer. To av dem er tatt i bruk: ukentlig salg av "
            "overskuddsmat til ansatte, og en felles bestillingsplan for sykehjemmene. "
            "Matsvinnet gikk ned med nesten en tredel det første halvåret.</p>"
        ),
    ),
]

STANDARD_PAGES = [
    (
        "om-portalen",
        "Om portalen",
        "Mulighetsportalen er Fjordvik kommunes sted for ideer og samarbeid om samfunnsfloker.",
        [
            ("heading", {"text": "Hvorfor en idéportal?", "level": "h2"}),
            (
                "rich_text",
                "<p>Kommunen møter utfordringer som ingen enhet løser alene. "
                "Vi tror de beste løsningene ofte kommer fra dem som kjenner hverdagen: "
                "innbyggere, frivillige, næringsliv og egne ansatte.</p>",
            ),
            (
                "quote",
                {
                    "quote": "Vi må tenke i nye mønstre og gjøre ting på nye måter.",
                    "attribution": "Fra kommunens innovasjonsstrategi",
                },
            ),
        ],
    ),
    (
        "slik-fungerer-det",
        "Slik fungerer det",
        "Fra nytt, via nyttig, til nyttiggjort: slik følger vi opp ideen din.",
        [
            ("heading", {"text": "Nytt", "level": "h2"}),
            (
                "rich_text",
                "<p>Du sender inn en idé, enten som svar på en utfordring eller "
                "som en fri idé. Ideen blir synlig for alle, og andre kan støtte og kommentere "
                "den.</p>",
            ),
            ("heading", {"text": "Nyttig", "level": "h2"}),
            (
                "rich_text",
                "<p>Ideen går til enheten som eier problemet. Der vurderer "
                "saksbehandlere om den kan prøves ut, og du får et svar du kan lese på "
                "idésiden.</p>",
            ),
            ("heading", {"text": "Nyttiggjort", "level": "h2"}),
            (
                "rich_text",
                "<p>Når ideen tas i bruk, viser vi det på idésiden, og vi måler "
                "hva gevinsten ble.</p>",
            ),
        ],
    ),
]


def _stream(items: list[tuple[str, object]]) -> list[dict[str, object]]:
    """StreamField content in its stored (JSON) form, which every block type accepts."""
    return [{"type": name, "value": value} for name, value in items]


def _link(
    *, page: Page | None = None, destination: str = "", label_en: str = ""
) -> dict[str, object]:
    return {
        "type": "link",
        "value": {
            "label": "",
            "label_en": label_en,
            "page": page.pk if page else None,
            "destination": destination,
            "url": "",
        },
    }


def _upsert(parent: Page, model, slug: str, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **{k: v for k, v in fields.items() if k != "tags"})
        parent.add_child(instance=page)
    else:
        for key, value in fields.items():
            if key != "tags":
                setattr(page, key, value)
    if "tags" in fields:
        page.tags.set(fields["tags"])
    page.save_revision().publish()
    return page


# slug, name, description, and the English name and description
THEMES = [
    (
        "forebygging-og-tidlig-innsats",
        "Forebygging og tidlig innsats",
        "Hjelp som kommer tidlig, før små problemer blir store – for barn, unge og voksne.",
        "Prevention and early intervention",
        "Help that comes early, before small problems grow big – for children, young "
        "people and adults.",
    ),
    (
        "god-helhet-og-samhandling",
        "God helhet og samhandling",
        "Tjenester som henger sammen for den som mottar dem, på tvers av enheter og "
        "sammen med frivillige og næringsliv.",
        "Joined-up services and cooperation",
        "Services that fit together for those who receive them, across units and with "
        "volunteers and businesses.",
    ),
    (
        "god-kvalitet",
        "God kvalitet",
        "Tjenester som er trygge, treffsikre og gir innbyggerne mer av det som betyr noe.",
        "Good quality",
        "Services that are safe, well aimed and give residents more of what matters.",
    ),
    (
        "nodvendig-kompetanse",
        "Nødvendig kompetanse",
        "Riktig kompetanse på rett sted, og nye måter å lære og dele på.",
        "The skills we need",
        "The right skills in the right place, and new ways to learn and share.",
    ),
]


def seed_themes() -> list[Theme]:
    return [
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "name_en": name_en,
                "description_en": description_en,
                "sort_order": i,
            },
        )[0]
        for i, (slug, name, description, name_en, description_en) in enumerate(THEMES)
    ]


@portal_demo.step(20, "themes")
def seed_theme_step() -> str:
    return f"{len(seed_themes())} themes"


@portal_demo.step(30, "challenges")
def seed() -> str:
    """Challenges, pages and menus. Needs units (portal.demo) and themes (above)."""
    home = HomePage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
    today = timezone.localdate()
    units = {unit.slug: unit for unit in Unit.objects.all()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    # Fjordvik's challenges live under its own home page once the region has several
    # municipalities (ideas.demo_region moves them there).
    fjordvik_home = MunicipalityHomePage.objects.filter(municipality__slug="fjordvik").first()
    index = _upsert(
        fjordvik_home or home,
        ChallengeIndexPage,
        "utfordringer",
        title="Utfordringer",
        intro="Dette er samfunnsflokene kommunen trenger hjelp med. Velg en utfordring og "
        "send inn ideen din, eller følg med på hva som skjer.",
    )
    pages = []
    for demo in CHALLENGES:
        pages.append(
            _upsert(
                index,
                ChallengePage,
                demo.slug,
                title=demo.title,
                summary=demo.summary,
                theme=themes[demo.theme],
                owning_unit=units[demo.unit],
                audience=demo.audience,
                opens_on=today + datetime.timedelta(days=demo.opens),
                closes_on=today + datetime.timedelta(days=demo.closes),
                status_override=demo.override,
                outcome=demo.outcome,
                tags=list(demo.tags),
                problem=_stream(
                    [
                        ("background", f"<p>{demo.background}</p>"),
                        ("affected", f"<p>{demo.affected}</p>"),
                        ("already_tried", f"<p>{demo.tried}</p>"),
                        ("wanted", f"<p>{demo.wanted}</p>"),
                    ]
                ),
            )
        )
    for slug, title, introduction, body in STANDARD_PAGES:
        _upsert(
            home, StandardPage, slug, title=title, introduction=introduction, body=_stream(body)
        )

    home.hero_title = "Sammen finner vi nye løsninger"
    home.featured_challenges.all().delete()
    for position, slug in enumerate(["ensomhet-blant-eldre", "overvann-i-sentrum"]):
        home.featured_challenges.create(
            challenge=next(p for p in pages if p.slug == slug), sort_order=position
        )
    home.save_revision().publish()

    site = home.get_site()
    navigation = NavigationSettings.for_site(site)
    about = StandardPage.objects.child_of(home).get(slug="om-portalen")
    how = StandardPage.objects.child_of(home).get(slug="slik-fungerer-det")
    navigation.main_menu = [
        _link(page=index, label_en="Challenges"),
        _link(destination="ideas:list"),
        _link(destination="search:search"),
        _link(page=how, label_en="How it works"),
    ]
    navigation.footer_text = "Mulighetsportalen drives av Strategi og utvikling i Fjordvik kommune."
    navigation.footer_text_en = (
        "Mulighetsportalen is run by Strategy and Development in Fjordvik municipality."
    )
    navigation.footer_contact = "strategi-og-utvikling@fjordvik.kommune.example.no"
    navigation.footer_links = [
        _link(page=about, label_en="About the portal"),
        _link(page=how, label_en="How it works"),
        _link(page=index, label_en="Challenges"),
    ]
    navigation.save()
    return f"{ChallengePage.objects.count()} challenges"
