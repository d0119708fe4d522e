"""Every page type with content in it, shared by the whole-site checks.

The HTML validity test (tests/portal/test_html_validity.py) and the axe test
(tests/browser/test_axe_every_page.py) look at the same pages: `build_site` writes the
content that exercises their parts (comments, an answer, attachments, a concluded
challenge, a second page of ideas), and the `*_visits` functions say which path each page
type is, who looks at it and what must be on it, so a check cannot pass on a page that
lost its content.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from challenges.models import ChallengePage
from cms.models import HomePage, HomePageFeaturedChallenge, StandardPage
from cms.site import ensure_site
from ideas import actions, comment_services, services
from ideas.models import Idea, IdeaStatus
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    ThemeFactory,
    UnitFactory,
    UserFactory,
    challenge_index,
    create_challenge,
)
from tests.ideas.triage_helpers import admin_staff_of

# Who looks at a page; each role is one logged-in user (or nobody).
ANONYMOUS = "anonymous"
AUTHOR = "author"  # wrote the ideas
READER = "reader"  # supports and comments
STAFF = "staff"  # case worker in the owning unit, with admin access
ADMIN = "admin"  # superuser: routing rules and tags live under Settings


@dataclass(frozen=True)
class Visit:
    """One page type: its path, who asks, the form data to post (if any), the answer."""

    path: str
    role: str = ANONYMOUS
    post: dict[str, str] | None = None
    status: int = 200
    # Text that shows the page has the parts worth checking.
    shows: str = ""


@dataclass
class Site:
    users: dict[str, object] = field(default_factory=dict)
    challenge: ChallengePage | None = None
    concluded: ChallengePage | None = None
    standard: StandardPage | None = None
    idea: Idea | None = None
    implemented: Idea | None = None
    editable: Idea | None = None
    project: object = None  # a projects.models.Project carrying an accepted idea on
    solution: object = None  # a published solutions.models.Solution (from `implemented`)
    first_comment: object = None
    theme_slug: str = ""
    theme_pk: int = 0
    process: object = None
    meeting: object = None
    registration: object = None
    open_input: object = None  # an input with no outcome yet
    idea_input: object = None  # an input that is part of `idea`


def png_image() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("kart.png", buffer.getvalue(), content_type="image/png")


def build_site() -> Site:
    """Write the content every page type needs; on-commit work (search index) runs too."""
    ensure_site()  # browser tests empty the tables, page tree included
    site = Site()
    with TestCase.captureOnCommitCallbacks(execute=True):
        UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG, name="Strategi og utvikling")
        unit = UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")
        theme = ThemeFactory(name="God kvalitet", slug="god-kvalitet")
        staff = admin_staff_of(unit, display_name="Siri Aasen")
        author = UserFactory(display_name="Kari Nordmann")
        reader = UserFactory(display_name="Ola Hansen")
        admin = UserFactory(display_name="Aud Admin", is_superuser=True, is_staff=True)
        site.users = {AUTHOR: author, READER: reader, STAFF: staff, ADMIN: admin}
        site.theme_slug, site.theme_pk = theme.slug, theme.pk

        challenge = create_challenge(
            title="Ensomhet blant eldre", owning_unit=unit, theme=theme, contact_person=staff
        )
        today = timezone.localdate()
        site.concluded = create_challenge(
            title="Trygg skolevei",
            owning_unit=unit,
            theme=theme,
            opens_on=today - datetime.timedelta(days=90),
            closes_on=today - datetime.timedelta(days=30),
            status_override="concluded",
            outcome="<p>Vi fikk 12 ideer og prøver ut to av dem.</p>",
        )
        site.challenge = challenge
        home = HomePage.objects.get()
        HomePageFeaturedChallenge.objects.create(home=home, challenge=challenge)
        standard = StandardPage(title="Slik fungerer det", slug="slik-fungerer-det")
        home.add_child(instance=standard)
        standard.save_revision().publish()
        site.standard = standard

        idea = services.idea_submit(
            author=author,
            title="Nabolagskaffe på frivilligsentralen",
            summary="Kaffe og prat hver torsdag for eldre som bor alene.",
            description="Vi inviterer til **kaffe**.\n\n- torsdager\n- klokka 12",
            challenge=challenge,
            theme=theme,
            tags=["kaffe", "eldre"],
            location="Frivilligsentralen",
            attachments=[services.AttachmentUpload(png_image(), alt_text="Kart over sentralen")],
        )
        actions.idea_transition(idea=idea, to=IdeaStatus.IN_REVIEW, by=staff)
        actions.idea_answer(idea=idea, by=staff, text="Takk! Vi ser på det.")
        first = comment_services.comment_post(idea=idea, author=reader, text="Godt forslag!")
        comment_services.comment_post(idea=idea, author=staff, text="Enig.", parent=first)
        edited = comment_services.comment_post(idea=idea, author=reader, text="Hver uke?")
        comment_services.comment_edit(comment=edited, author=reader, text="Hver torsdag?")
        gone = comment_services.comment_post(idea=idea, author=reader, text="Feil tråd.")
        comment_services.comment_post(idea=idea, author=author, text="Ok.", parent=gone)
        comment_services.comment_delete(comment=gone, author=reader)
        services.vote_cast(idea=idea, voter=reader)
        site.idea, site.first_comment = idea, first

        implemented = services.idea_submit(
            author=author,
            title="Kaffebuss",
            summary="En buss som kjører eldre til kaffen.",
            description="Bussen henter og bringer.",
            challenge=challenge,
        )
        actions.idea_transition(idea=implemented, to=IdeaStatus.IN_REVIEW, by=staff)
        actions.idea_transition(idea=implemented, to=IdeaStatus.ACCEPTED, by=staff)
        actions.idea_transition(
            idea=implemented, to=IdeaStatus.IMPLEMENTED, by=staff, public_reason="Bussen går."
        )
        site.implemented = implemented
        site.editable = services.idea_submit(
            author=author, title="Benk ved fjorden", summary="En benk.", description="Benk."
        )
        site.project = _project(staff, author, challenge, today)
        site.solution = _solution(implemented, staff, admin, theme)
        # A unit in another municipality, for the adopt screen to offer. The
        # municipality is not active yet (still preparing its launch), so the site
        # stays a single municipality's (an active second one makes `/` regional).
        UnitFactory(
            name="Havbygd helse",
            slug="havbygd-helse",
            municipality=MunicipalityFactory(
                name="Havbygd kommune", slug="havbygd", is_active=False
            ),
        )
        # Enough ideas for a second page of the idea list (20 a page).
        # (Last year's references: this year's are the service's to hand out.)
        for n in range(20):
            IdeaFactory(
                reference=f"{today.year - 1}-{n + 1:05d}",
                owning_unit=unit,
                title=f"Sykkelstativ nummer {n + 1}",
            )
    assert ChallengePage.objects.live().count() == 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        _cocreation(site, staff, challenge)
    return site


def _cocreation(site: Site, staff, challenge: ChallengePage) -> None:
    """A published co-creation process with a meeting held and one to come."""
    from cocreation import services as cocreation

    today = timezone.localdate()
    process = cocreation.process_create(
        by=staff,
        organising_unit=challenge.owning_unit,
        challenge=challenge,
        title="Løsningsjakten",
        slug="losningsjakten",
        aim="Finne ut hva eldre trenger for å bo hjemme lenger.",
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=40),
        methods="Verksteder, gatemøter og hjemmebesøk",
        is_published=True,
    )
    soon = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=5)
    meeting = cocreation.meeting_create(
        process=process,
        by=staff,
        values={
            "kind": "workshop",
            "title": "Verksted på biblioteket",
            "place": "Biblioteket, Storgata 1",
            "starts_at": soon,
            "ends_at": soon + datetime.timedelta(hours=2),
            "accessibility": "Trinnfri adkomst og teleslynge.",
            "capacity": 20,
            "registration_open": True,
        },
    )
    held = cocreation.meeting_create(
        process=process,
        by=staff,
        values={
            "kind": "popup",
            "title": "Stand på kjøpesenteret",
            "place": "Kjøpesenteret",
            "starts_at": soon - datetime.timedelta(days=10),
            "ends_at": soon - datetime.timedelta(days=10) + datetime.timedelta(hours=3),
        },
    )
    site.registration = cocreation.registration_create(
        meeting=meeting, name="Per Påmeldt", email="per@example.no"
    )
    site.open_input = cocreation.input_record(
        meeting=held,
        by=staff,
        data=cocreation.InputData(text="Flere benker langs turveien", channel="sticky_note"),
    )
    site.idea_input = cocreation.input_record(
        meeting=held,
        by=staff,
        data=cocreation.InputData(
            text="Kaffe til alle i kantina",
            channel="conversation",
            giver_name="Gunn Giver",
            giver_email="gunn@example.no",
        ),
    )
    # The idea page then says what the idea is built on (cocreation.fragments).
    cocreation.inputs_attach(process=process, by=staff, inputs=[site.idea_input], idea=site.idea)
    # The process page's figures, what we heard, charts and a moderated input.
    cocreation.attendance_record(meeting=held, by=staff, total=25, counts={"age_67_plus": 9})
    cocreation.inputs_sort(process=process, by=staff, inputs=[site.open_input], theme=process.theme)
    cocreation.theme_summary_write(
        process=process, by=staff, theme=process.theme, text="Mange ønsker flere benker."
    )
    site.hidden_input = cocreation.input_record(
        meeting=held,
        by=staff,
        data=cocreation.InputData(text="Et innspill som skal skjules", channel="sticky_note"),
    )
    cocreation.input_hide(item=site.hidden_input, by=staff, reason="Navngir en ansatt.")
    site.process, site.meeting = process, meeting


def _project(staff, author, challenge, today):
    """A project carrying an accepted idea on, with a milestone and a partner unit."""
    from projects import actions as project_actions
    from projects.models import Phase

    carried = services.idea_submit(
        author=author,
        title="Nabolagsbuss",
        summary="En buss mellom bydelene.",
        description="Bussen kjører hver dag.",
        challenge=challenge,  # so that it goes to the staff's unit
    )
    actions.idea_transition(idea=carried, to=IdeaStatus.IN_REVIEW, by=staff)
    actions.idea_transition(idea=carried, to=IdeaStatus.ACCEPTED, by=staff)
    project = project_actions.project_start(
        ideas=[carried], by=staff, name="Bussprosjektet", summary="Vi prøver ut en buss."
    )
    project_actions.project_change_phase(
        project=project, by=staff, phase=Phase.objects.get(slug="teste")
    )
    project_actions.project_save_milestone(
        project=project,
        by=staff,
        title="Første tur",
        planned_on=today - datetime.timedelta(days=7),
        reached_on=today,
    )
    project_actions.project_add_unit(
        project=project,
        by=staff,
        unit=UnitFactory(name="Teknisk drift", slug="teknisk-drift"),
        contact=staff,
        role="Kjører bussen",
    )
    _gain(project, staff, today)
    return project


def _solution(idea, staff, reviewer, theme):
    """A published solution shared from the idea put into use, with a reuse term text."""
    from solutions import actions as solution_actions

    solution = solution_actions.solution_create(
        municipality=idea.municipality,
        by=staff,
        source="idea",
        idea=idea,
        title="Kaffebussen for eldre",
        problem="Eldre som bor alene, kommer seg ikke til kaffen.",
        what_was_done="En buss henter og bringer hver torsdag.",
        cost="120 000 kr i året",
        contact_name="Siri Aasen",
        contact_email="siri@fjordvik.kommune.example.no",
        reuse_terms="other",
        reuse_terms_text="Lån ruteplanen vår.",
        kind="service",
        themes=[theme],
    )
    solution_actions.solution_step(solution=solution, by=staff, step="submit")
    solution_actions.solution_step(solution=solution, by=reviewer, step="publish")
    return solution


def _gain(project, staff, today):
    """A gain with a baseline and two measurements (the project page's chart)."""
    from decimal import Decimal

    from gains import actions as gain_actions

    gain = gain_actions.gain_add(
        project=project,
        by=staff,
        description="Færre timer i bil.",
        type="quality",
        indicator="Ventetid i minutter",
        unit="minutter",
        target_value=Decimal("10"),
        target_on=today + datetime.timedelta(days=200),
        owner=staff,
    )
    gain_actions.gain_record_baseline(
        gain=gain,
        by=staff,
        value=Decimal("30"),
        measured_on=today - datetime.timedelta(days=180),
        source="Telling",
    )
    for days, value in ((90, "24"), (10, "18.5")):
        gain_actions.gain_record_measurement(
            gain=gain,
            by=staff,
            value=Decimal(value),
            measured_on=today - datetime.timedelta(days=days),
            source="Telling",
        )
    project.gain = gain


def public_visits(site: Site) -> dict[str, Visit]:
    """The public page types, in Norwegian (prefix "/en" for English)."""
    idea_url = site.idea.get_absolute_url()
    index_url = challenge_index().url
    reply_url = reverse("ideas:comment_reply", kwargs={"comment_id": site.first_comment.pk})
    return {
        "home": Visit("/", shows=site.challenge.title),
        "standard-page": Visit(site.standard.url, shows=site.standard.title),
        "challenge-index": Visit(index_url, shows=site.challenge.title),
        "challenge-index-filtered": Visit(
            f"{index_url}?status=open&theme={site.theme_slug}&theme=finnes-ikke"
        ),
        "challenge-page": Visit(site.challenge.url, READER, shows=site.challenge.title),
        "challenge-page-concluded": Visit(site.concluded.url, shows="prøver ut to av dem"),
        "idea-list": Visit("/ideas/", shows="Sykkelstativ nummer 20"),
        "idea-list-filtered": Visit(
            f"/ideas/?status=in_review&theme={site.theme_slug}&tag=kaffe&unit=finnes-ikke"
        ),
        "idea-list-page-2": Visit("/ideas/?page=2", shows=site.idea.title),
        "idea-page": Visit(idea_url, shows="Godt forslag!"),
        "idea-page-logged-in": Visit(idea_url, READER, shows='name="comment"'),
        "idea-page-own": Visit(site.editable.get_absolute_url(), AUTHOR, shows="withdraw"),
        "idea-page-implemented": Visit(site.implemented.get_absolute_url(), shows="Bussen går."),
        "idea-edit": Visit(f"{site.editable.get_absolute_url()}edit/", AUTHOR),
        "comment-reply": Visit(reply_url, READER),
        "submit-form": Visit("/ideas/new/", AUTHOR),
        "submit-form-with-errors": Visit(
            "/ideas/new/", AUTHOR, post={"title": "x"}, shows='id="error-summary"'
        ),
        "search-with-results": Visit("/search/?q=kaffe", shows=site.idea.title),
        "search-without-results": Visit("/search/?q=xylofon"),
        "search-did-you-mean": Visit("/search/?q=nabolagskafe", shows="?q=nabolagskaffe"),
        "my-page": Visit("/ideas/mine/", AUTHOR, shows=site.idea.title),
        "profile": Visit("/accounts/profile/", AUTHOR),
        "login": Visit("/accounts/login/"),
        "login-with-errors": Visit(
            "/accounts/login/", post={"username": "x"}, shows='id="error-summary"'
        ),
        "signup": Visit("/accounts/signup/"),
        "signup-with-errors": Visit(
            "/accounts/signup/", post={"email": "x"}, shows='id="error-summary"'
        ),
        "password-reset": Visit("/accounts/password/reset/"),
        "project-page": Visit(site.project.get_absolute_url(), shows="Ventetid i minutter"),
        "idea-page-in-project": Visit(
            site.project.idea_links.get().idea.get_absolute_url(), shows="Bussprosjektet"
        ),
        "gains-page": Visit("/prosjekter/gevinster/", shows="Bussprosjektet"),
        "showcase-page": Visit(
            f"/prosjekter/tatt-i-bruk/{site.project.municipality.slug}/",
            shows=site.implemented.title,
        ),
        "solution-library": Visit("/losninger/", shows=site.solution.title),
        "solution-library-filtered": Visit(
            f"/losninger/?theme={site.theme_slug}&kind=service&size=finnes-ikke&sort=reused",
            shows=site.solution.title,
        ),
        "solution-page": Visit(site.solution.get_absolute_url(), shows="Lån ruteplanen vår."),
        "error-403": Visit(f"{idea_url}edit/", READER, status=403),
        "error-404": Visit("/finnes-ikke/", status=404),
        **cocreation_visits(site),
    }


def cocreation_visits(site: Site) -> dict[str, Visit]:
    meeting_url = site.meeting.get_absolute_url()
    input_url = reverse("cocreation:input", args=[site.meeting.code])
    return {
        "cocreation-process": Visit(
            site.process.get_absolute_url(), shows="Mange ønsker flere benker."
        ),
        "cocreation-meeting": Visit(meeting_url, shows='name="email"'),
        "cocreation-meeting-with-errors": Visit(
            meeting_url, post={"name": "", "email": "x"}, status=400, shows='id="error-summary"'
        ),
        "cocreation-input": Visit(input_url, shows='name="text"'),
        "cocreation-input-with-errors": Visit(
            input_url, post={"text": ""}, status=400, shows='id="error-summary"'
        ),
        "cocreation-registration-cancel": Visit(
            reverse("cocreation:registration_cancel", args=[site.registration.token]),
            shows=site.meeting.title,
        ),
        "cocreation-receipt": Visit(
            site.open_input.get_absolute_url(), shows="Flere benker langs turveien"
        ),
        "cocreation-receipt-idea": Visit(
            site.idea_input.get_absolute_url(), shows=site.idea.get_absolute_url()
        ),
        "cocreation-receipt-hidden": Visit(
            site.hidden_input.get_absolute_url(), shows="Navngir en ansatt."
        ),
    }


def staff_visits(site: Site) -> dict[str, Visit]:
    """The staff screens in the Wagtail admin: our own and the ones we configure."""
    idea = site.idea
    queue = reverse("ideas_triage:queue")
    return {
        "admin-dashboard": Visit("/admin/", STAFF),
        "triage-queue": Visit(queue, STAFF, shows=idea.title),
        "triage-queue-filtered": Visit(
            f"{queue}?q=kaffe&status=in_review&tag=kaffe&overdue=on", STAFF
        ),
        "triage-idea": Visit(
            reverse("ideas_triage:idea", args=[idea.pk]), STAFF, shows="Kart over sentralen"
        ),
        "triage-rule-test": Visit(
            reverse("ideas_triage:rule_test")
            + f"?challenge={site.challenge.pk}&theme={site.theme_pk}",
            STAFF,
        ),
        "routing-rules": Visit(reverse("ideas_routing_rules:index"), ADMIN),
        "routing-rule-new": Visit(reverse("ideas_routing_rules:add"), ADMIN),
        "idea-tags": Visit(reverse("idea_tags:index"), ADMIN, shows="kaffe"),
        "page-tags": Visit(reverse("page_tags:index"), ADMIN),
        "cocreation-index": Visit(
            reverse("cocreation_admin:index"), STAFF, shows=site.process.title
        ),
        "cocreation-process-screen": Visit(
            reverse("cocreation_admin:process", args=[site.process.pk]),
            STAFF,
            shows="Flere benker langs turveien",
        ),
        "cocreation-meeting-screen": Visit(
            reverse("cocreation_admin:meeting", args=[site.meeting.pk]),
            STAFF,
            shows="per@example.no",
        ),
        "cocreation-fast-input": Visit(
            reverse("cocreation_admin:inputs_new", args=[site.process.pk]), STAFF
        ),
        "cocreation-import": Visit(
            reverse("cocreation_admin:import", args=[site.process.pk]), STAFF
        ),
        "cocreation-inputs-screen": Visit(
            reverse("cocreation_admin:inputs", args=[site.process.pk]) + "?show=all",
            STAFF,
            shows=site.idea.reference,
        ),
        "cocreation-idea-from-inputs": Visit(
            reverse("cocreation_admin:idea_new", args=[site.process.pk])
            + f"?inputs={site.open_input.pk}",
            STAFF,
            shows="Flere benker langs turveien",
        ),
        "cocreation-input-answer": Visit(
            reverse("cocreation_admin:input_answer", args=[site.open_input.pk]), STAFF
        ),
        "cocreation-summaries": Visit(
            reverse("cocreation_admin:summaries", args=[site.process.pk]),
            STAFF,
            shows="Mange ønsker flere benker.",
        ),
        "cocreation-moderate": Visit(
            reverse("cocreation_admin:input_moderate", args=[site.open_input.pk]),
            STAFF,
            shows='name="reason"',
        ),
        "project-list": Visit(reverse("projects_staff:list"), STAFF, shows=site.project.name),
        "project-start": Visit(reverse("projects_staff:start"), STAFF),
        "project-staff-page": Visit(
            reverse("projects_staff:project", args=[site.project.pk]), STAFF, shows="Første tur"
        ),
        "project-phases": Visit(reverse("project_phases:index"), ADMIN, shows="Forstå behovene"),
        "solution-list": Visit(reverse("solutions_staff:list"), STAFF, shows=site.solution.title),
        "solution-create": Visit(
            reverse("solutions_staff:create") + f"?idea={site.implemented.pk}",
            STAFF,
            shows="Kaffebuss",
        ),
        "solution-staff-page": Visit(
            reverse("solutions_staff:solution", args=[site.solution.pk]),
            STAFF,
            shows=site.solution.title,
        ),
        "solution-adopt": Visit(
            reverse("solutions_staff:adopt", args=[site.solution.pk]), ADMIN, shows="Havbygd helse"
        ),
        "gain-plan": Visit(
            reverse("gains_staff:plan", args=[site.project.pk]), STAFF, shows="Ventetid"
        ),
        "gain-staff-page": Visit(
            reverse("gains_staff:gain", args=[site.project.gain.pk]), STAFF, shows="Telling"
        ),
    }
