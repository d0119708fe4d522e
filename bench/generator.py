"""A realistic municipality at any size, created in bulk for the benchmark.

Rows are made with `bulk_create` in batches, never through the per-row services (which
would take hours at 100,000 ideas), so this module keeps by hand the invariants the
services keep: `support_count` equals the vote rows, `comment_count` equals the publicly
visible comments, references are unique and the reference counters continue after them,
every idea has an owning unit and its SUBMITTED event, merged ideas point to another idea,
and nobody supports their own idea (the vote service refuses that: `services.OwnIdea`).

With `municipalities` above one it makes a region (issue 13): the first municipality is
Fjordvik, as on a single-municipality site, the others bench municipalities of their own,
each with its units, staff, a home page at `/<slug>/` (`challenges.municipal_sites`) and
its share of the challenges and ideas; one account works everywhere, so the same citizens
take part across the region.

Everything the generator creates is recognisable as bench data, so that `reset` removes
exactly that and the refusal check can tell a bench database from a real one:
users, units and municipalities have e-mail addresses under BENCH_DOMAIN, challenges
live below challenge indexes with the slug BENCH_INDEX_SLUG (one per municipality in a
region), organisations have a BENCH_DOMAIN website.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment
from wagtail.models import Collection
from wagtail.rich_text import RichText

from challenges.models import ChallengeIndexPage, ChallengePage, ChallengeStatus, Theme
from cms.models import MunicipalityHomePage
from cms.site import ensure_site
from ideas.models import (
    Follow,
    Idea,
    IdeaEvent,
    IdeaKind,
    IdeaStatus,
    IdeaTag,
    ReferenceCounter,
    TaggedIdea,
    Vote,
)
from portal.models import Municipality, Organisation, Unit, User
from portal.validators import organisation_number_check_digit

BENCH_DOMAIN = "bench.invalid"
BENCH_INDEX_SLUG = "bench-utfordringer"
BENCH_PASSWORD = "bench-password-not-secret"
BATCH = 5000

# Shares of each status among ideas; every status is guaranteed at least one idea.
STATUS_SHARES = [
    (IdeaStatus.SUBMITTED, 0.36),
    (IdeaStatus.IN_REVIEW, 0.20),
    (IdeaStatus.ACCEPTED, 0.12),
    (IdeaStatus.IMPLEMENTED, 0.08),
    (IdeaStatus.REJECTED, 0.12),
    (IdeaStatus.MERGED, 0.06),
    (IdeaStatus.WITHDRAWN, 0.06),
]
HIDDEN_SHARE = 0.02  # of the public ideas, hidden by moderators
CHALLENGE_SHARE = 0.6  # of the ideas answering a challenge, the rest free ideas
PROPOSAL_SHARE = 0.05

UNITS = [
    ("strategi-og-utvikling", "Strategi og utvikling"),
    ("oppvekst", "Oppvekst og utdanning"),
    ("barnehage", "Barnehage"),
    ("helse-og-omsorg", "Helse og omsorg"),
    ("teknisk-drift", "Teknisk drift"),
    ("kultur-og-frivillighet", "Kultur og frivillighet"),
    ("plan-og-miljo", "Plan, miljø og klima"),
    ("digitalisering", "Digitalisering"),
    ("naering", "Næring og samfunnsutvikling"),
]
# The region's other municipalities, after Fjordvik: (slug, name). Invented names.
REGION = [
    ("havbygd", "Havbygd"),
    ("nordvik", "Nordvik"),
    ("sorholm", "Sørholm"),
    ("lia", "Lia"),
    ("elvdal", "Elvdal"),
    ("bergvik", "Bergvik"),
    ("skogheim", "Skogheim"),
    ("strand", "Strand"),
    ("oyvag", "Øyvåg"),
    ("fjellstad", "Fjellstad"),
    ("sjoby", "Sjøby"),
    ("dalsnes", "Dalsnes"),
    ("vikhamn", "Vikhamn"),
    ("nesset", "Nesset"),
    ("bruvik", "Bruvik"),
    ("holmen", "Holmen"),
    ("solberg", "Solbergvik"),
    ("aasen", "Åsen"),
    ("tangen", "Tangen"),
]
MAX_MUNICIPALITIES = len(REGION) + 1

THEMES = [
    ("forebygging-og-tidlig-innsats", "Forebygging og tidlig innsats"),
    ("god-helhet-og-samhandling", "God helhet og samhandling"),
    ("god-kvalitet", "God kvalitet"),
    ("nodvendig-kompetanse", "Nødvendig kompetanse"),
]
TAGS = (  # noqa: SIM905 - a word list reads best as words
    "eldre ensomhet barnehage skole skolevei trafikksikkerhet overvann klima flom bibliotek "
    "frivillighet idrett ungdom fritid folkehelse digitalisering velferdsteknologi "
    "hjemmetjeneste sykehjem kollektivtransport sykkel parkering gatelys lekeplass turstier "
    "friluftsliv kultur kulturhus innvandrere integrering språk arbeid næring sentrum handel "
    "turisme avfall gjenbruk energi solceller vann avløp snøbrøyting veivedlikehold "
    "universell-utforming tilgjengelighet psykisk-helse rus barnevern familie helsestasjon "
    "tannhelse mat matsvinn kantine lærere lærlinger frafall innovasjon samskaping"
).split()
WHO = [
    "eldre som bor hjemme",
    "barn i barnehagen",
    "ungdom i sentrum",
    "nye innbyggere",
    "familier med små barn",
    "elever på ungdomstrinnet",
    "frivillige lag og foreninger",
    "pendlere",
    "ansatte i hjemmetjenesten",
    "turgåere",
]
WHAT = [
    "Møteplass for",
    "Digital hjelp til",
    "Trygg skolevei for",
    "Felles måltid for",
    "Bedre kollektivtilbud for",
    "Leksehjelp på biblioteket for",
    "Grønne tak og regnbed som hjelper",
    "Besøksvenn-ordning for",
    "Gratis utlån av utstyr til",
    "Aktivitetspark for",
    "Kurs i velferdsteknologi for",
    "Delingsordning for el-sykler til",
]
WHERE = [
    "på Fjordvik torg",
    "i Nordbyen",
    "ved kulturhuset",
    "på skolen",
    "i bydelshuset",
    "langs elvepromenaden",
    "i hele kommunen",
    "på sykehjemmet",
    "ved biblioteket",
    "",
]
SENTENCES = [
    "Mange eldre sitter alene store deler av dagen, og vi kan gjøre mer sammen.",
    "Overvann fra store nedbørsmengder gir oversvømte kjellere hvert år.",
    "Barnehagen trenger flere voksne ute i de mørke månedene.",
    "Frivillige lag sliter med å rekruttere nye trenere og ledere.",
    "Skoleveien mangler fortau på den mest trafikkerte strekningen.",
    "Biblioteket kan være en møteplass for alle aldre, også om kvelden.",
    "Digital hjelp på innbyggertorget vil gjøre det lettere å søke om tjenester.",
    "Vi foreslår en prøveordning i ett år, og at vi måler hva den gir.",
    "Ungdommene selv bør være med og bestemme hvordan det skal se ut.",
    "Kostnadene kan deles med næringslivet og frivillige organisasjoner.",
    "Tiltaket kan gi bedre folkehelse og mindre press på hjemmetjenesten.",
    "Dette er prøvd i en nabokommune med gode erfaringer.",
]
COMMENTS = [
    "God idé! Dette savner vi i nabolaget.",
    "Har dere tenkt på hvordan dette skal driftes over tid?",
    "Jeg kan gjerne stille som frivillig.",
    "Vi prøvde noe lignende i fjor, og det fungerte godt for de eldre.",
    "Hva vil det koste, og hvem skal betale?",
    "Enig, men det må også fungere for dem som ikke er digitale.",
    "Takk for innspillet – enheten ser på saken.",
    "Dette bør kobles sammen med arbeidet med klimatilpasning.",
]
FIRST_NAMES = (  # noqa: SIM905 - a word list reads best as words
    "Kari Ola Ingrid Lars Aisha Mohammed Nora Jonas Sofie Emil Maja Filip Sara Henrik Emma "
    "Magnus Ida Tobias Leah Aksel Solveig Per Fatima Ali Marte Sindre"
).split()
LAST_NAMES = (  # noqa: SIM905 - a word list reads best as words
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Berg "
    "Haugen Hagen Lie Dahl Bakken Ali Nguyen Khan Solberg"
).split()


class BenchDataError(Exception):
    """The database is not one the generator may write to, as asked."""


@dataclass
class Summary:
    """What was created, and how long each phase took (seconds)."""

    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def _explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create store the timestamps we give instead of "now".

    auto_now/auto_now_add overwrite any value in pre_save; a bench with every idea
    created in the same second would make sorting and date filters meaningless.
    """
    changed = []
    for model in model_classes:
        for model_field in model._meta.concrete_fields:
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                changed.append((model_field, model_field.auto_now, model_field.auto_now_add))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in changed:
            model_field.auto_now = auto_now
            model_field.auto_now_add = auto_now_add


def bench_users() -> models.QuerySet[User]:
    return User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")


def foreign_data() -> dict[str, int]:
    """Counts of rows that the generator did not make; empty dict for a bench-only DB."""
    challenges = ChallengePage.objects.all()
    for bench_index in ChallengeIndexPage.objects.filter(slug=BENCH_INDEX_SLUG):
        challenges = challenges.exclude(pk__in=bench_index.get_descendants().values("pk"))
    found = {
        "users": User.objects.exclude(email__endswith=f"@{BENCH_DOMAIN}").count(),
        "ideas": Idea.objects.exclude(author__email__endswith=f"@{BENCH_DOMAIN}").count(),
        "challenges": challenges.count(),
        "units": Unit.objects.exclude(contact_email__endswith=f"@{BENCH_DOMAIN}").count(),
    }
    return {name: count for name, count in found.items() if count}


def reset() -> dict[str, int]:
    """Delete everything the generator made (and what hangs on it). Returns counts."""
    deleted: dict[str, int] = {}
    with transaction.atomic():
        ideas = Idea.objects.filter(author__email__endswith=f"@{BENCH_DOMAIN}")
        idea_ct = ContentType.objects.get_for_model(Idea)
        comments = XtdComment.norel_objects.filter(user__email__endswith=f"@{BENCH_DOMAIN}")
        CommentFlag.objects.filter(comment__in=comments.values("pk")).delete()
        deleted["comments"] = comments.count()
        # Multi-table rows: the child table first, then the parent rows (raw deletes: the
        # collector would load every comment into memory).
        comment_ids = list(comments.values_list("pk", flat=True))
        for start in range(0, len(comment_ids), BATCH):
            chunk = comment_ids[start : start + BATCH]
            XtdComment.norel_objects.filter(pk__in=chunk)._raw_delete(connection.alias)
            XtdComment._meta.get_parent_list()[0]._base_manager.filter(
                pk__in=chunk, content_type=idea_ct
            )._raw_delete(connection.alias)
        deleted["votes"] = Vote.objects.filter(idea__in=ideas).delete()[0]
        deleted["events"] = IdeaEvent.objects.filter(idea__in=ideas).delete()[0]
        TaggedIdea.objects.filter(content_object__in=ideas).delete()
        Follow.objects.filter(user__email__endswith=f"@{BENCH_DOMAIN}").delete()
        deleted["ideas"] = ideas.count()
        # Merged ideas point at others (PROTECT): they go first.
        ideas.filter(merged_into__isnull=False).delete()
        ideas.delete()
        deleted["challenges"] = 0
        for bench_index in ChallengeIndexPage.objects.filter(slug=BENCH_INDEX_SLUG):
            deleted["challenges"] += bench_index.get_descendants().count()
            bench_index.delete()
        bench_municipalities = Municipality.objects.filter(contact_email=f"kommune@{BENCH_DOMAIN}")
        # A region's home pages (and the empty challenge indexes `ensure_home` put below
        # them) hold on to their municipality (PROTECT); its groups and collection do not.
        for home in MunicipalityHomePage.objects.filter(municipality__in=bench_municipalities):
            home.delete()
        left_behind = list(
            bench_municipalities.values_list("administrators_group", "editors_group", "collection")
        )
        deleted["organisations"] = Organisation.objects.filter(
            website__contains=BENCH_DOMAIN
        ).delete()[0]
        deleted["users"] = bench_users().count()
        bench_users().delete()
        # A bench unit may be a municipality's intake unit (PROTECT): let go of it first.
        Municipality.objects.filter(intake_unit__contact_email__endswith=f"@{BENCH_DOMAIN}").update(
            intake_unit=None
        )
        deleted["units"] = (
            Unit.objects.filter(contact_email__endswith=f"@{BENCH_DOMAIN}")
            .filter(ideas__isnull=True, challenges__isnull=True, children__isnull=True)
            .delete()[0]
        )
        deleted["municipalities"] = bench_municipalities.filter(
            units__isnull=True, ideas__isnull=True
        ).delete()[0]
        for administrators, editors, collection in left_behind:
            Group.objects.filter(pk__in=[administrators, editors]).delete()
            if collection is not None and (found := Collection.objects.filter(pk=collection)):
                found.get().delete()
        IdeaTag.objects.filter(name__in=TAGS, tagged_ideas__isnull=True).delete()
        Theme.objects.filter(
            slug__in=[slug for slug, _ in THEMES], challenges__isnull=True, ideas__isnull=True
        ).filter(description__contains="(bench)").delete()
    return deleted


@dataclass
class _IdeaSpec:
    """An idea before insert: what it needs, and what hangs on it afterwards."""

    created_at: datetime.datetime
    status: str
    author: int  # index into the user ids
    challenge: int | None  # index into the challenges
    hidden: bool = False
    reference: str = ""
    tags: list[int] = field(default_factory=list)
    voters: list[int] = field(default_factory=list)
    comments: int = 0
    kind: str = IdeaKind.IDEA
    theme: int | None = None
    unit: int = 0  # a unit's id; the idea's municipality is the unit's
    merged_into: str = ""  # reference of the idea a merged idea points to


class Generator:
    """Creates a municipality with `ideas` ideas; see the module docstring."""

    def __init__(
        self,
        *,
        ideas: int,
        municipalities: int = 1,
        seed: int = 2026,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        if ideas < 10:
            raise BenchDataError("Ask for at least 10 ideas.")
        if not 1 <= municipalities <= MAX_MUNICIPALITIES:
            raise BenchDataError(f"Ask for 1 to {MAX_MUNICIPALITIES} municipalities.")
        self.n = ideas
        self.municipality_count = municipalities
        self.random = random.Random(seed)
        self.log = log
        self.now = timezone.now().replace(microsecond=0)
        self.summary = Summary()

    # --- helpers ---------------------------------------------------------------------

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        elapsed = time.monotonic() - started
        self.summary.timings[name] = round(elapsed, 2)
        self.log(f"  {name}: {elapsed:.1f} s")

    def _when(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        span = max(1, int((end - start).total_seconds()))
        return start + datetime.timedelta(seconds=self.random.randrange(span))

    def _text(self, sentences: int) -> str:
        return " ".join(self.random.choice(SENTENCES) for _ in range(sentences))

    # --- phases ----------------------------------------------------------------------

    def run(self) -> Summary:
        with _explicit_timestamps(Idea, Vote, IdeaEvent, Follow), transaction.atomic():
            with self._phase("units, themes, people"):
                self._structure()
            with self._phase("challenges"):
                self._challenges()
            with self._phase("plan"):
                specs = self._plan()
            with self._phase("ideas"):
                self._ideas(specs)
            with self._phase("tags"):
                self._tags(specs)
            with self._phase("votes"):
                self._votes(specs)
            with self._phase("comments"):
                self._comments(specs)
            with self._phase("events and follows"):
                self._events(specs)
        return self.summary

    def _structure(self) -> None:
        ensure_site()
        # Fjordvik first, as on a single-municipality site; a region's others after it.
        self.municipalities = [
            self._municipality("fjordvik", "Fjordvik", "9901"),
            *(
                self._municipality(slug, name, f"99{50 + i:02d}")
                for i, (slug, name) in enumerate(REGION[: self.municipality_count - 1])
            ),
        ]
        self.municipality = self.municipalities[0]
        self.units: list[Unit] = []
        self.units_of: dict[int, list[Unit]] = {}
        for number, municipality in enumerate(self.municipalities):
            own = [self._unit(municipality, slug, name, number) for slug, name in UNITS]
            self.units_of[municipality.pk] = own
            self.units.extend(own)
            if municipality.intake_unit_id is None:
                municipality.intake_unit = own[0]  # strategi-og-utvikling
                municipality.save(update_fields=["intake_unit"])
        self.municipality_of_unit = {unit.pk: unit.municipality_id for unit in self.units}
        self.themes: list[Theme] = []
        for i, (slug, name) in enumerate(THEMES):
            theme = Theme.objects.filter(slug=slug).first() or Theme.objects.create(
                slug=slug, name=name, description=f"{name} (bench)", sort_order=i
            )
            self.themes.append(theme)

        password = make_password(BENCH_PASSWORD)
        user_count = max(200, self.n // 10)
        staff = [
            User(
                email=f"staff.{unit.slug}@{BENCH_DOMAIN}",
                display_name=unit.name,
                password=password,
                email_confirmed_at=self.now,
                is_staff=False,
            )
            for unit in self.units
        ]
        people = [
            User(
                email=f"person{i:06d}@{BENCH_DOMAIN}",
                first_name=self.random.choice(FIRST_NAMES),
                last_name=self.random.choice(LAST_NAMES),
                password=password,
                email_confirmed_at=self.now,
            )
            for i in range(user_count)
        ]
        User.objects.bulk_create(staff + people, batch_size=BATCH)
        emails = [user.email for user in staff + people]
        ids = dict(bench_users().filter(email__in=emails).values_list("email", "pk"))
        self.staff_ids = [ids[user.email] for user in staff]
        self.user_ids = [ids[user.email] for user in people]
        self.unit_staff = dict(zip((u.pk for u in self.units), self.staff_ids, strict=True))
        Unit.staff.through.objects.bulk_create(
            [
                Unit.staff.through(unit_id=unit.pk, user_id=staff_id)
                for unit, staff_id in zip(self.units, self.staff_ids, strict=True)
            ]
        )
        self.organisations = []
        for i in range(3):
            first_eight = f"{91_000_000 + i * 13:08d}"
            while organisation_number_check_digit(first_eight) is None:
                first_eight = f"{int(first_eight) + 1:08d}"
            number = f"{first_eight}{organisation_number_check_digit(first_eight)}"
            organisation = Organisation.objects.filter(organisation_number=number).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=f"Fjordvik Innovasjon {i + 1} AS",
                    organisation_number=number,
                    website=f"https://org{i}.{BENCH_DOMAIN}",
                )
            # The first few people speak for the organisations.
            organisation.members.add(*self.user_ids[i * 5 : i * 5 + 5])
            self.organisations.append(organisation)
        self.summary.counts["users"] = len(staff) + len(people)

    def _municipality(self, slug: str, name: str, number: str) -> Municipality:
        found = Municipality.objects.filter(slug=slug).first()
        if found is not None:
            return found
        return Municipality.objects.create(
            name=f"{name} kommune",
            slug=slug,
            number=number,
            contact_email=f"kommune@{BENCH_DOMAIN}",
        )

    def _unit(self, municipality: Municipality, slug: str, name: str, number: int) -> Unit:
        """The unit `slug` of a municipality; unit slugs and names are unique across the
        platform, so the region's other municipalities' carry their own name."""
        if number:
            slug = f"{municipality.slug}-{slug}"
            name = f"{name} ({municipality.name.removesuffix(' kommune')})"
        return Unit.objects.filter(slug=slug).first() or Unit.objects.create(
            municipality=municipality,
            slug=slug,
            name=name,
            contact_email=f"{slug}@{BENCH_DOMAIN}",
            response_deadline_days=14,
        )

    def _challenge_indexes(self) -> dict[int, ChallengeIndexPage]:
        """A bench challenge index per municipality: below the home page on a
        single-municipality site, below each municipality's own home page in a region."""
        from challenges.municipal_sites import ensure_home
        from cms.models import HomePage

        if len(self.municipalities) == 1:
            parents = {self.municipality.pk: HomePage.objects.first()}
        else:
            parents = {m.pk: ensure_home(m) for m in self.municipalities}
        indexes = {}
        for municipality_id, parent in parents.items():
            index = ChallengeIndexPage.objects.child_of(parent).filter(slug=BENCH_INDEX_SLUG)
            indexes[municipality_id] = index.first() or self._index_below(parent)
        return indexes

    @staticmethod
    def _index_below(parent) -> ChallengeIndexPage:
        index = parent.add_child(
            instance=ChallengeIndexPage(
                title="Utfordringer",
                slug=BENCH_INDEX_SLUG,
                intro="Samfunnsfloker kommunen ønsker hjelp til å løse.",
            )
        )
        index.save_revision().publish()
        return index

    def _challenges(self) -> None:
        indexes = self._challenge_indexes()
        today = timezone.localdate()
        count = max(3, self.n // 2000, len(self.municipalities))
        self.challenges: list[ChallengePage] = []
        for i in range(count):
            # Round the region, then round the municipality's units.
            municipality = self.municipalities[i % len(self.municipalities)]
            own_units = self.units_of[municipality.pk]
            unit = own_units[(i // len(self.municipalities)) % len(own_units)]
            theme = self.themes[i % len(self.themes)]
            who = WHO[i % len(WHO)]
            title = f"Hvordan kan vi hjelpe {who}? ({i + 1})"
            if i == count - 1:
                opens = today + datetime.timedelta(days=20)  # one upcoming, without ideas
            else:
                opens = today - datetime.timedelta(days=self.random.randrange(30, 900))
            closes = opens + datetime.timedelta(days=self.random.randrange(60, 200))
            override = ChallengeStatus.CONCLUDED if i % 7 == 3 and closes < today else ""
            page = ChallengePage(
                title=title,
                slug=f"{slugify(who)[:40]}-{i + 1}",
                summary=f"Vi søker ideer som gjør hverdagen bedre for {who}.",
                problem=[
                    ("background", RichText(f"<p>{self._text(3)}</p>")),
                    ("affected", RichText(f"<p>Dette gjelder særlig {who}.</p>")),
                    ("wanted", RichText(f"<p>{self._text(2)}</p>")),
                ],
                owning_unit=unit,
                theme=theme,
                opens_on=opens,
                closes_on=closes,
                status_override=override,
                outcome=f"<p>{self._text(2)}</p>" if override else "",
            )
            indexes[municipality.pk].add_child(instance=page)
            page.save_revision().publish()
            self.challenges.append(page)
        self.summary.counts["challenges"] = len(self.challenges)

    def _plan(self) -> list[_IdeaSpec]:
        """Decide every idea's dates, status, tags, voters and comments up front."""
        rnd = self.random
        n = self.n
        statuses: list[str] = [status for status, _share in STATUS_SHARES]
        weights = [share for _status, share in STATUS_SHARES]
        chosen = statuses + rnd.choices(statuses, weights=weights, k=n - len(statuses))
        rnd.shuffle(chosen)
        three_years_ago = self.now - datetime.timedelta(days=3 * 365)
        answerable = [
            (i, page)
            for i, page in enumerate(self.challenges)
            if page.opens_on <= timezone.localdate()
        ]
        specs: list[_IdeaSpec] = []
        for status in chosen:
            challenge = None
            start, end = three_years_ago, self.now
            if answerable and rnd.random() < CHALLENGE_SHARE:
                challenge, page = rnd.choice(answerable)
                tz = timezone.get_current_timezone()
                start = datetime.datetime.combine(page.opens_on, datetime.time(8), tzinfo=tz)
                end = min(
                    self.now,
                    datetime.datetime.combine(page.closes_on, datetime.time(20), tzinfo=tz),
                )
            spec = _IdeaSpec(
                created_at=self._when(start, end),
                status=status,
                author=rnd.randrange(len(self.user_ids)),
                challenge=challenge,
            )
            if status in (IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED):
                spec.hidden = rnd.random() < HIDDEN_SHARE
            if rnd.random() < PROPOSAL_SHARE:
                spec.kind = IdeaKind.PROPOSAL
                spec.author = rnd.randrange(15)  # members of the organisations
            if challenge is not None:
                spec.theme = self.challenges[challenge].theme_id
                spec.unit = self.challenges[challenge].owning_unit_id
            else:
                # A free idea goes to one municipality of the region, to any of its units.
                spec.theme = rnd.choice(self.themes).pk if rnd.random() < 0.5 else None
                # (No draw for a single municipality: its data stay as they were.)
                municipality = self.municipality
                if len(self.municipalities) > 1:
                    municipality = rnd.choice(self.municipalities)
                spec.unit = rnd.choice(self.units_of[municipality.pk]).pk
            # Tags: a few popular, many rare (Zipf-like).
            draws = range(rnd.randint(0, 4))
            spec.tags = sorted({min(len(TAGS), int(rnd.paretovariate(1.2))) - 1 for _ in draws})
            specs.append(spec)
        # At least one hidden idea, whatever the draw.
        if not any(spec.hidden for spec in specs):
            next(s for s in specs if s.status == IdeaStatus.SUBMITTED).hidden = True

        # Votes: N×5 in all, heavy-tailed, at most one per person per idea, and never by
        # the idea's author: each idea's voters are drawn from everyone else.
        others = len(self.user_ids) - 1
        raw = [rnd.lognormvariate(0, 1.3) for _ in specs]
        scale = 5 * n / sum(raw)
        counts = [min(others, int(value * scale)) for value in raw]
        missing = 5 * n - sum(counts)
        while missing > 0:
            i = rnd.randrange(n)
            if counts[i] < others:
                counts[i] += 1
                missing -= 1
        for spec, count in zip(specs, counts, strict=True):
            # Draw among the others' positions, then skip over the author's index.
            drawn = rnd.sample(range(others), count)
            spec.voters = [voter if voter < spec.author else voter + 1 for voter in drawn]

        # Comments: N×2 in all, spread like the votes but flatter.
        raw = [rnd.lognormvariate(0, 0.8) for _ in specs]
        scale = 2 * n / sum(raw)
        counts = [int(value * scale) for value in raw]
        for _ in range(2 * n - sum(counts)):
            counts[rnd.randrange(n)] += 1
        for spec, count in zip(specs, counts, strict=True):
            spec.comments = count

        # References: per year, in order of submission, as the submit service hands out.
        specs.sort(key=lambda spec: spec.created_at)
        last_number: dict[int, int] = {}
        for spec in specs:
            year = timezone.localtime(spec.created_at).year
            last_number[year] = last_number.get(year, 0) + 1
            spec.reference = f"{year}-{last_number[year]:05d}"
        for year, number in last_number.items():
            counter, _created = ReferenceCounter.objects.get_or_create(year=year)
            if counter.last_number < number:
                counter.last_number = number
                counter.save(update_fields=["last_number"])
        return specs

    def _status_changed_at(self, spec: _IdeaSpec) -> datetime.datetime:
        if spec.status == IdeaStatus.SUBMITTED:
            return spec.created_at
        return min(self.now, spec.created_at + datetime.timedelta(days=3 * _depth(spec.status)))

    def _idea(self, spec: _IdeaSpec, merged_into: int | None = None) -> Idea:
        rnd = self.random
        title = f"{rnd.choice(WHAT)} {rnd.choice(WHO)} {rnd.choice(WHERE)}".strip()
        organisation = None
        if spec.kind == IdeaKind.PROPOSAL:
            organisation = self.organisations[spec.author // 5]
        assignee = None
        if spec.status in (IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.IMPLEMENTED):
            assignee = self.unit_staff.get(spec.unit)
        changed = self._status_changed_at(spec)
        return Idea(
            reference=spec.reference,
            title=title[:140],
            summary=self._text(1)[:300],
            description=self._text(rnd.randint(3, 8)),
            kind=spec.kind,
            author_id=self.user_ids[spec.author],
            organisation=organisation,
            challenge_id=self.challenges[spec.challenge].pk if spec.challenge is not None else None,
            theme_id=spec.theme,
            location=rnd.choice(WHERE),
            status=spec.status,
            status_changed_at=changed,
            municipality_id=self.municipality_of_unit[spec.unit],
            owning_unit_id=spec.unit,
            assignee_id=assignee,
            merged_into_id=merged_into,
            is_hidden=spec.hidden,
            support_count=len(spec.voters),
            comment_count=0,  # set by _comments, which decides which are visible
            created_at=spec.created_at,
            updated_at=max(changed, spec.created_at),
        )

    def _ideas(self, specs: list[_IdeaSpec]) -> None:
        # Merged ideas point at an idea that exists already, so they are inserted last.
        first = [spec for spec in specs if spec.status != IdeaStatus.MERGED]
        merged = [spec for spec in specs if spec.status == IdeaStatus.MERGED]
        self.idea_ids: dict[str, int] = {}
        for batch in _chunks(first, BATCH):
            created = Idea.objects.bulk_create([self._idea(spec) for spec in batch])
            self._remember(created)
        # Staff merge an idea into another of their own municipality's, never across.
        targets: dict[int, list[_IdeaSpec]] = {}
        for spec in first:
            if (
                spec.status in (IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED)
                and not spec.hidden
            ):
                targets.setdefault(self.municipality_of_unit[spec.unit], []).append(spec)
        for batch in _chunks(merged, BATCH):
            rows = []
            for spec in batch:
                own = targets.get(self.municipality_of_unit[spec.unit])
                if own:
                    target = self.random.choice(own)
                else:
                    # A small municipality of a region with nothing to merge into: the
                    # idea was moved to another's first (a free idea of its target's unit).
                    target = self.random.choice([t for found in targets.values() for t in found])
                    spec.unit, spec.challenge = target.unit, None
                rows.append(self._idea(spec, merged_into=self.idea_ids[target.reference]))
                spec.merged_into = target.reference
            self._remember(Idea.objects.bulk_create(rows))
        self.summary.counts["ideas"] = len(specs)

    def _remember(self, created: Sequence[Idea]) -> None:
        if created and created[0].pk is None:  # backends that do not return ids
            refs = [idea.reference for idea in created]
            self.idea_ids.update(
                Idea.objects.filter(reference__in=refs).values_list("reference", "pk")
            )
        else:
            self.idea_ids.update((idea.reference, idea.pk) for idea in created)

    def _tags(self, specs: list[_IdeaSpec]) -> None:
        existing = dict(IdeaTag.objects.filter(name__in=TAGS).values_list("name", "pk"))
        IdeaTag.objects.bulk_create(
            [IdeaTag(name=name, slug=slugify(name)) for name in TAGS if name not in existing]
        )
        tag_ids = dict(IdeaTag.objects.filter(name__in=TAGS).values_list("name", "pk"))
        rows = [
            TaggedIdea(content_object_id=self.idea_ids[spec.reference], tag_id=tag_ids[TAGS[t]])
            for spec in specs
            for t in spec.tags
        ]
        for batch in _chunks(rows, BATCH):
            TaggedIdea.objects.bulk_create(batch)
        self.summary.counts["tagged"] = len(rows)

    def _votes(self, specs: list[_IdeaSpec]) -> None:
        total = 0
        batch: list[Vote] = []
        for spec in specs:
            idea_id = self.idea_ids[spec.reference]
            for voter in spec.voters:
                batch.append(
                    Vote(
                        idea_id=idea_id,
                        voter_id=self.user_ids[voter],
                        created_at=self._when(spec.created_at, self.now),
                    )
                )
            if len(batch) >= BATCH:
                Vote.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        Vote.objects.bulk_create(batch)
        self.summary.counts["votes"] = total + len(batch)

    def _comments(self, specs: list[_IdeaSpec]) -> None:
        """Threads of two levels: XtdComment rows with their thread fields filled in.

        bulk_create cannot insert multi-table models, so the parent `Comment` rows are
        bulk-created and the XtdComment rows are inserted beside them with the same ids.
        """
        rnd = self.random
        idea_ct = ContentType.objects.get_for_model(Idea)
        base_model = XtdComment._meta.get_parent_list()[0]
        ptr = XtdComment._meta.pk.column
        columns = [ptr, "thread_id", "parent_id", "level", "order", "followup", "nested_count"]
        table = connection.ops.quote_name(XtdComment._meta.db_table)
        insert = (
            f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        visible: dict[int, int] = {}
        total = 0
        pending: list[tuple[int, _IdeaSpec, list[tuple[int, bool]]]] = []

        def flush() -> None:
            nonlocal total
            if not pending:
                return
            parents = []
            for idea_id, spec, plan in pending:
                for _level, public in plan:
                    user = rnd.choice(self.user_ids)
                    parents.append(
                        base_model(
                            content_type=idea_ct,
                            object_pk=str(idea_id),
                            site_id=1,
                            user_id=user,
                            user_name="",
                            user_email="",
                            comment=rnd.choice(COMMENTS),
                            submit_date=self._when(spec.created_at, self.now),
                            is_public=public,
                            is_removed=False,
                        )
                    )
            created = base_model.objects.bulk_create(parents, batch_size=BATCH)
            ids = iter(comment.pk for comment in created)
            rows = []
            for idea_id, _spec, plan in pending:
                thread_root = None
                order = 0
                root_row = None
                root_visible = False
                count = 0
                for level, public in plan:
                    pk = next(ids)
                    if level == 0 or thread_root is None:
                        thread_root, order = pk, 1
                        root_row = [pk, pk, pk, 0, 1, False, 0]
                        rows.append(root_row)
                        root_visible = public
                        count += public
                    else:
                        order += 1
                        rows.append([pk, thread_root, thread_root, 1, order, False, 0])
                        root_row[6] += 1  # nested_count of the thread's first comment
                        count += public and root_visible
                visible[idea_id] = count
            with connection.cursor() as cursor:
                for batch in _chunks(rows, BATCH):
                    cursor.executemany(insert, [tuple(row) for row in batch])
            total += len(rows)
            pending.clear()

        queued = 0
        for spec in specs:
            if not spec.comments:
                continue
            plan = []
            for i in range(spec.comments):
                level = 0 if i == 0 or rnd.random() < 0.65 else 1
                plan.append((level, rnd.random() > 0.03))  # 3 % hidden by staff
            pending.append((self.idea_ids[spec.reference], spec, plan))
            queued += len(plan)
            if queued >= BATCH:
                flush()
                queued = 0
        flush()

        by_count: dict[int, list[int]] = {}
        for idea_id, count in visible.items():
            if count:
                by_count.setdefault(count, []).append(idea_id)
        for count, ids_ in by_count.items():
            for batch in _chunks(ids_, BATCH):
                Idea.objects.filter(pk__in=batch).update(comment_count=count)
        self.summary.counts["comments"] = total

    def _events(self, specs: list[_IdeaSpec]) -> None:
        total = 0
        events: list[IdeaEvent] = []
        follows: list[Follow] = []
        for spec in specs:
            idea_id = self.idea_ids[spec.reference]
            events.extend(self._events_of(spec, idea_id))
            # The submit service makes authors follow their own ideas.
            follows.append(
                Follow(
                    user_id=self.user_ids[spec.author], idea_id=idea_id, created_at=spec.created_at
                )
            )
            if len(events) >= BATCH:
                IdeaEvent.objects.bulk_create(events)
                total += len(events)
                events = []
            if len(follows) >= BATCH:
                Follow.objects.bulk_create(follows)
                follows = []
        IdeaEvent.objects.bulk_create(events)
        Follow.objects.bulk_create(follows)
        self.summary.counts["events"] = total + len(events)

    def _events_of(self, spec: _IdeaSpec, idea_id: int) -> list[IdeaEvent]:
        """The idea's log: submitted, each transition on its way, answers, notes."""
        author = self.user_ids[spec.author]
        staff = self.unit_staff.get(spec.unit)
        kinds = IdeaEvent.Kind
        steps: list[dict] = [
            {"kind": kinds.SUBMITTED, "to_status": IdeaStatus.SUBMITTED, "actor_id": author}
        ]
        path = _path(spec.status)
        for src, dst in zip(path, path[1:], strict=False):
            step = {"from_status": src, "to_status": dst, "actor_id": staff}
            if dst == IdeaStatus.MERGED:
                step.update(
                    kind=kinds.MERGED,
                    public_text="Slått sammen med en lignende idé.",
                    data={"merged_into": spec.merged_into},
                )
            elif dst == IdeaStatus.WITHDRAWN:
                step.update(kind=kinds.TRANSITION, actor_id=author)
            else:
                text = self._text(1) if dst in _ANSWERED else ""
                step.update(kind=kinds.TRANSITION, public_text=text)
            steps.append(step)
        if (
            spec.status in (IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED)
            and self.random.random() < 0.3
        ):
            steps.append(
                {
                    "kind": kinds.NOTE,
                    "internal_note": self._text(1),
                    "is_internal": True,
                    "actor_id": staff,
                }
            )
            steps.append({"kind": kinds.ANSWER, "public_text": self._text(2), "actor_id": staff})
        if spec.hidden:
            steps.append({"kind": kinds.HIDDEN, "is_internal": True, "actor_id": staff})
        return [
            IdeaEvent(
                idea_id=idea_id,
                created_at=min(self.now, spec.created_at + datetime.timedelta(days=3 * i)),
                **step,
            )
            for i, step in enumerate(steps)
        ]


_ANSWERED = (IdeaStatus.ACCEPTED, IdeaStatus.IMPLEMENTED, IdeaStatus.REJECTED)


def _path(status: str) -> list[str]:
    """The statuses an idea went through to reach `status`, as the workflow allows."""
    s = IdeaStatus
    return {
        s.SUBMITTED: [s.SUBMITTED],
        s.IN_REVIEW: [s.SUBMITTED, s.IN_REVIEW],
        s.ACCEPTED: [s.SUBMITTED, s.IN_REVIEW, s.ACCEPTED],
        s.IMPLEMENTED: [s.SUBMITTED, s.IN_REVIEW, s.ACCEPTED, s.IMPLEMENTED],
        s.REJECTED: [s.SUBMITTED, s.IN_REVIEW, s.REJECTED],
        s.MERGED: [s.SUBMITTED, s.MERGED],
        s.WITHDRAWN: [s.SUBMITTED, s.WITHDRAWN],
    }[status]


def _depth(status: str) -> int:
    return len(_path(status)) - 1


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def support_count_drift() -> int:
    """How many ideas show a support count that differs from their vote rows (want 0)."""
    return (
        Idea.objects.annotate(rows=models.Count("votes"))
        .exclude(support_count=models.F("rows"))
        .count()
    )
