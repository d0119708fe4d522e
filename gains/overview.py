"""Reads for "Hva er gevinsten?" and "Tatt i bruk": what a municipality's (or the whole
region's) projects have given, summed so that anyone can check the sums.

What is counted, and why:

- **The funnel** counts public ideas only (never hidden, withdrawn or merged away, as
  `IdeaQuerySet.public()` says): all of them, those found useful (accepted, or since put
  into use), then the projects started and the projects whose solution is put into use.
- **A realised gain** is what a gain has measurably given so far: the change from its
  baseline to its latest measurement, counted in the direction of its target (a gain
  that should bring a figure down counts a fall as positive). It is counted only for a
  gain that is being realised or is realised, has a baseline, a target different from
  the baseline and at least one measurement: without a target we cannot tell better
  from worse, and a planned or abandoned gain has given nothing we may sum. A figure
  that moved the wrong way counts as it is, negative: the page does not flatter.
- **Units are never mixed**: sums are per *measure*, a type of gain and a unit of
  measure together (economic gains are always NOK/år, a database rule). Units differing
  only in case or surrounding spaces ("Timer", "timer ") are one measure.
- **Behind plan** is defined by `is_behind_plan`.

Internal figures are never read: projects are loaded without their budget and without
their project owner; gains without their owner; measurements without source, comment
or who recorded them; no audit rows. A page cannot show what it never had.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gains.models import MEASURED_STATUSES, Gain, GainStatus, GainType, Measurement
from ideas.models import Idea, IdeaStatus
from portal.i18n import Label
from portal.models import Municipality
from projects.models import ParticipatingUnit, Project, ProjectIdea

# Gains whose measured change is summed (see the module's docstring).
COUNTED_STATUSES = (GainStatus.REALISING, GainStatus.REALISED)
# The order of the types on the page.
TYPE_ORDER = (GainType.ECONOMIC, GainType.QUALITY, GainType.OTHERS)
# The newest implemented ideas without a project shown on the showcase.
SHOWCASE_IDEAS = 60


@dataclass(frozen=True, order=True)
class Measure:
    """A type of gain with its unit of measure: the one thing sums may be taken over."""

    type_rank: int
    key: str  # the unit, case-folded and stripped
    type: str = field(compare=False)
    unit: str = field(compare=False)  # as the first gain counted wrote it

    @classmethod
    def of(cls, gain: Gain) -> Measure:
        unit = " ".join(gain.unit.split())
        return cls(TYPE_ORDER.index(gain.type), unit.casefold(), gain.type, unit)

    @property
    def type_label(self) -> str:
        return GainType(self.type).label


@dataclass(frozen=True)
class Contribution:
    """One gain's realised change, in its measure."""

    project: Project
    gain: Gain
    value: Decimal


@dataclass
class MeasureTotal:
    measure: Measure
    contributions: list[Contribution] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((c.value for c in self.contributions), Decimal(0))


@dataclass(frozen=True)
class GroupSum:
    """A theme's or a unit's sum in one measure."""

    label: Label
    measure: Measure
    total: Decimal


@dataclass(frozen=True)
class Lagging:
    """A gain behind plan, with the figures that say so."""

    project: Project
    gain: Gain
    latest: Measurement | None
    expected: Decimal | None  # where the plan line stood at the latest measurement


@dataclass(frozen=True)
class Funnel:
    ideas: int
    useful: int
    projects: int
    put_into_use: int

    def stages(self) -> list[tuple[str, int]]:
        return [
            (str(_("Ideas")), self.ideas),
            (str(_("Found useful")), self.useful),
            (str(_("Projects started")), self.projects),
            (str(_("Projects put into use")), self.put_into_use),
        ]


@dataclass
class Overview:
    funnel: Funnel
    totals: list[MeasureTotal]
    by_theme: list[GroupSum]
    by_unit: list[GroupSum]
    behind_plan: list[Lagging]


# --- Scope --------------------------------------------------------------------------------


def active_municipalities() -> list[Municipality]:
    """The municipalities a visitor may choose between, by name."""
    return list(Municipality.objects.active().only("pk", "name", "slug").order_by("name", "pk"))


def municipality_by_slug(slug: str) -> Municipality | None:
    return Municipality.objects.active().only("pk", "name", "slug").filter(slug=slug).first()


def _in_scope(municipality: Municipality | None) -> Q:
    """A municipality's own, or (None) everything of the active municipalities."""
    if municipality is None:
        return Q(municipality__is_active=True)
    return Q(municipality=municipality)


# --- The arithmetic -------------------------------------------------------------------------


def realised_change(gain: Gain, measurements: list[Measurement]) -> Decimal | None:
    """What the gain has measurably given so far, or None when it is not counted (see the
    module's docstring): the latest measurement's change from the baseline, positive in
    the direction of the target."""
    if gain.status not in COUNTED_STATUSES or not measurements:
        return None
    if gain.baseline_value is None or gain.target_value is None:
        return None
    if gain.target_value == gain.baseline_value:
        return None
    change = measurements[-1].value - gain.baseline_value
    return change if gain.target_value > gain.baseline_value else -change


def planned_value(gain: Gain, on: datetime.date) -> Decimal | None:
    """Where the straight line from the baseline (value, date) to the target (value,
    date) stands on `on`: the baseline before it starts, the target after it ends."""
    if None in (gain.baseline_value, gain.baseline_on, gain.target_value, gain.target_on):
        return None
    span = (gain.target_on - gain.baseline_on).days
    share = min(max((on - gain.baseline_on).days / span, 0), 1)
    planned = gain.baseline_value + (gain.target_value - gain.baseline_value) * Decimal(share)
    return planned.quantize(Decimal("0.01"))


def is_behind_plan(gain: Gain, measurements: list[Measurement]) -> bool:
    """Whether a gain is behind plan. One definition, shown on the page too:

    - a gain still being measured (planned or being realised) whose **latest
      measurement has come less of the way towards the target than the straight line
      from the baseline to the target says it should have by the date of that
      measurement** (after the target date, the line stands at the target: not reaching
      it is behind plan); or
    - a gain declared not realised (its explanation of the deviation is public).

    The line is read at the latest measurement's date, not today: an honest
    measurement three months old is not made "behind" by the months since. A gain not
    measured yet, or without a target, cannot be behind a plan it does not have.
    """
    if gain.status == GainStatus.NOT_REALISED:
        return True
    if gain.status not in MEASURED_STATUSES or not measurements:
        return False
    latest = measurements[-1]
    planned = planned_value(gain, latest.measured_on)
    if planned is None or gain.target_value == gain.baseline_value:
        return False
    upwards = gain.target_value > gain.baseline_value
    return latest.value < planned if upwards else latest.value > planned


# --- The "Hva er gevinsten?" page -----------------------------------------------------------


def _funnel(municipality: Municipality | None) -> Funnel:
    scope = _in_scope(municipality)
    ideas = Idea.objects.public().filter(scope)
    idea_counts = ideas.aggregate(
        ideas=Count("pk"),
        useful=Count("pk", filter=Q(status__in=[IdeaStatus.ACCEPTED, IdeaStatus.IMPLEMENTED])),
    )
    project_counts = Project.objects.filter(scope).aggregate(
        projects=Count("pk"), put_into_use=Count("adoption")
    )
    return Funnel(**idea_counts, **project_counts)


def _public_idea_links() -> Prefetch:
    return Prefetch(
        "idea_links",
        queryset=ProjectIdea.objects.filter(idea__in=Idea.objects.public())
        .select_related("idea", "idea__theme")
        .order_by("idea__reference"),
        to_attr="public_idea_links",
    )


def _gains_with_measurements() -> Prefetch:
    """A project's gains, without their owner, each with its measurements by date
    (values and dates only)."""
    return Prefetch(
        "gains",
        queryset=Gain.objects.defer("owner")
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.only("pk", "gain_id", "value", "measured_on").order_by(
                    "measured_on", "pk"
                ),
            )
        )
        .order_by("created_at", "pk"),
        to_attr="public_gains",
    )


def _projects(municipality: Municipality | None) -> QuerySet[Project]:
    """Projects as these pages read them: no budget, no project owner."""
    return (
        Project.objects.filter(_in_scope(municipality))
        .select_related("owning_unit", "municipality", "phase", "adoption")
        .defer("budget", "owner")
    )


def _themes_of(project: Project) -> list[Label]:
    themes = {link.idea.theme for link in project.public_idea_links if link.idea.theme}
    return [theme.display_name for theme in sorted(themes, key=lambda t: (t.sort_order, t.name))]


def _sums(rows: dict[tuple[str, Measure], Decimal], labels: dict[str, Label]) -> list[GroupSum]:
    return [
        GroupSum(labels[group], measure, total)
        for (group, measure), total in sorted(
            rows.items(), key=lambda item: (item[0][1], str(labels[item[0][0]]).casefold())
        )
    ]


def overview(municipality: Municipality | None) -> Overview:
    """Everything the gains page shows, in a fixed number of queries however many
    projects there are."""
    projects = list(
        _projects(municipality)
        .prefetch_related(_gains_with_measurements(), _public_idea_links())
        .order_by("name", "pk")
    )
    totals: dict[Measure, MeasureTotal] = {}
    by_theme: dict[tuple[str, Measure], Decimal] = defaultdict(Decimal)
    by_unit: dict[tuple[str, Measure], Decimal] = defaultdict(Decimal)
    theme_labels: dict[str, Label] = {}
    unit_labels: dict[str, Label] = {}
    behind: list[Lagging] = []
    measures: dict[Measure, Measure] = {}
    no_theme = Label(str(_("No theme")))
    for project in projects:
        themes = _themes_of(project) or [no_theme]
        unit = project.owning_unit.display_name
        unit_key = f"unit:{project.owning_unit_id}"
        unit_labels[unit_key] = unit
        for gain in project.public_gains:
            measurements = list(gain.measurements.all())
            if is_behind_plan(gain, measurements):
                latest = measurements[-1] if measurements else None
                expected = planned_value(gain, latest.measured_on) if latest else None
                behind.append(Lagging(project, gain, latest, expected))
            value = realised_change(gain, measurements)
            if value is None:
                continue
            # One spelling of the unit throughout the page: the first one met.
            measure = measures.setdefault(Measure.of(gain), Measure.of(gain))
            totals.setdefault(measure, MeasureTotal(measure)).contributions.append(
                Contribution(project, gain, value)
            )
            by_unit[(unit_key, measure)] += value
            for theme in themes:
                theme_key = f"theme:{theme}"
                theme_labels[theme_key] = theme
                by_theme[(theme_key, measure)] += value
    return Overview(
        funnel=_funnel(municipality),
        totals=[totals[measure] for measure in sorted(totals)],
        by_theme=_sums(by_theme, theme_labels),
        by_unit=_sums(by_unit, unit_labels),
        behind_plan=behind,
    )


# --- The "Tatt i bruk" showcase ---------------------------------------------------------------


@dataclass
class ShowcaseProject:
    project: Project
    themes: list[Label]
    realised: list[Contribution]


@dataclass
class Showcase:
    projects: list[ShowcaseProject]
    ideas: list[Idea]  # put into use without a project


def showcase(municipality: Municipality | None) -> Showcase:
    """The projects put into use, newest first, with their story, units, ideas and
    realised gains; and the newest ideas put into use without a project."""
    projects = (
        _projects(municipality)
        .filter(adoption__isnull=False)
        .prefetch_related(
            _gains_with_measurements(),
            _public_idea_links(),
            Prefetch(
                "participations",
                queryset=ParticipatingUnit.objects.select_related("unit", "unit__municipality"),
                to_attr="public_participations",
            ),
        )
        .order_by("-adoption__put_into_use_on", "-pk")
    )
    shown = []
    for project in projects:
        realised = []
        for gain in project.public_gains:
            value = realised_change(gain, list(gain.measurements.all()))
            if value is not None:
                realised.append(Contribution(project, gain, value))
        shown.append(ShowcaseProject(project, _themes_of(project), realised))
    ideas = list(
        Idea.objects.public()
        .filter(_in_scope(municipality), status=IdeaStatus.IMPLEMENTED, project_link__isnull=True)
        .select_related("owning_unit", "municipality", "theme")
        .order_by("-status_changed_at", "-pk")[:SHOWCASE_IDEAS]
    )
    return Showcase(shown, ideas)
