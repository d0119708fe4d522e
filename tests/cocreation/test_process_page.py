"""The public process page: figures, timeline, what we heard, whom the inputs came from,
the moderated inputs with their outcomes; and the staff screens and services behind
moderation and the summaries (role matrix, audit trail)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocreation import selectors, services
from cocreation.models import (
    Input,
    InputChannel,
    MeetingKind,
    ParticipantGroup,
    ProcessEvent,
    ProcessThemeSummary,
)
from ideas.actions import idea_transition
from ideas.models import IdeaStatus
from portal.actions import ActionNotAllowed, ActionPermissionDenied
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.cocreation.test_public_pages import PROCESS_PAGE_QUERIES
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of, with_admin_access

pytestmark = pytest.mark.django_db

GIVER_NAME, GIVER_EMAIL = "Gunnhild Giversen", "gunnhild@example.no"
HIDDEN_TEXT = "Rektor Hansen er en idiot"
SUMMARIES_SCREEN_QUERIES = 20  # the Wagtail admin's own share included


def record(meeting, by, text, *, group="", channel=InputChannel.STICKY_NOTE, **giver):
    return services.input_record(
        meeting=meeting,
        by=by,
        data=services.InputData(text=text, channel=channel, participant_group=group, **giver),
    )


@pytest.fixture
def world(db, settings, site_settings):
    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)
    organiser, process = organiser_and_process(title="Løsningsjakten")
    coming = add_meeting(process, organiser, title="Verksted i mai", days_ahead=5)
    workshop = add_meeting(process, organiser, title="Verksted på biblioteket", days_ahead=-5)
    popup = add_meeting(
        process,
        organiser,
        title="Stand på senteret",
        kind=MeetingKind.POPUP,
        place="Kjøpesenteret",
        days_ahead=-3,
        registration_open=False,
    )
    home = add_meeting(
        process,
        organiser,
        title="Hjemmebesøk hos familien Berg",
        kind=MeetingKind.HOME_VISIT,
        days_ahead=-2,
        is_public=False,
        registration_open=False,
    )
    services.attendance_record(
        meeting=workshop, by=organiser, total=12, counts={ParticipantGroup.AGE_67_PLUS: 7}
    )
    services.attendance_record(meeting=popup, by=organiser, total=30, counts={})
    services.attendance_record(meeting=home, by=organiser, total=2, counts={})
    benches = record(
        workshop,
        organiser,
        "Flere benker langs turveien",
        group=ParticipantGroup.AGE_67_PLUS,
        giver_name=GIVER_NAME,
        giver_email=GIVER_EMAIL,
    )
    light = record(popup, organiser, "Bedre lys i undergangen", group=ParticipantGroup.RESIDENT)
    bus = record(home, organiser, "Bussen går for sjelden", channel=InputChannel.CONVERSATION)
    remit = record(popup, organiser, "Lavere bompenger", group=ParticipantGroup.RESIDENT)
    rude = record(popup, organiser, HIDDEN_TEXT, group=ParticipantGroup.AGE_13_19)
    unit = UnitFactory(municipality=process.municipality)
    implemented = IdeaFactory(
        title="Benker hver 500 meter", status=IdeaStatus.IMPLEMENTED, owning_unit=unit
    )
    services.inputs_attach(process=process, by=organiser, inputs=[benches], idea=implemented)
    reviewed = IdeaFactory(title="Lys i undergangen", status=IdeaStatus.IN_REVIEW, owning_unit=unit)
    services.inputs_attach(process=process, by=organiser, inputs=[light], idea=reviewed)
    services.input_answer(
        item=remit, by=organiser, answer="outside_remit", text="Bompenger bestemmer staten."
    )
    safety, transport = ThemeFactory(name="Trygghet"), ThemeFactory(name="Transport")
    services.inputs_sort(process=process, by=organiser, inputs=[light, benches], theme=safety)
    services.inputs_sort(process=process, by=organiser, inputs=[bus], theme=transport)
    mail.outbox.clear()
    return {
        "organiser": organiser,
        "process": process,
        "meetings": {"coming": coming, "workshop": workshop, "popup": popup, "home": home},
        "inputs": {"benches": benches, "light": light, "bus": bus, "remit": remit, "rude": rude},
        "ideas": {"implemented": implemented, "reviewed": reviewed},
        "themes": {"safety": safety, "transport": transport},
    }


def article(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</article>", start)]


def page(client, process, query: str = "") -> str:
    response = client.get(process.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def hide(world, key: str = "rude", reason: str = "Personangrep på en navngitt person."):
    return services.input_hide(item=world["inputs"][key], by=world["organiser"], reason=reason)


# --- The page ------------------------------------------------------------------------------


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]+)<', html))


def test_the_figures_count_meetings_held_participants_inputs_ideas_and_use(client, world):
    hide(world)
    assert figures(page(client, world["process"])) == {
        "meetings": "3",  # the one to come is not held yet; the home visit counts
        "participants": "44",
        "inputs": "4",  # the hidden one is not counted
        "ideas": "2",
        "implemented": "1",
    }


def test_a_cancelled_meeting_is_not_held_and_a_hidden_idea_is_not_counted(client, world):
    from ideas.actions.moderation import idea_hide

    services.meeting_cancel(
        meeting=world["meetings"]["coming"], by=world["organiser"], notice="Syk."
    )
    admin = UserFactory(is_superuser=True, is_staff=True)
    idea_hide(idea=world["ideas"]["reviewed"], by=admin, reason="Spam")
    shown = figures(page(client, world["process"]))
    assert shown["meetings"] == "3" and shown["ideas"] == "1" and shown["implemented"] == "1"


def test_the_timeline_lists_coming_and_held_meetings_with_date_kind_and_place(client, world):
    html = page(client, world["process"])
    coming = html[html.index('id="upcoming-heading"') : html.index('id="past-heading"')]
    held = html[html.index('id="past-heading"') : html.index('id="heard-heading"')]
    assert "Verksted i mai" in coming and "Verksted i mai" not in held
    assert held.index("Verksted på biblioteket") < held.index("Stand på senteret")
    assert '<ol class="cocreation-timeline" aria-labelledby="past-heading">' in held
    assert "Pop-up-stand" in held and "Verksted" in held
    assert "Kjøpesenteret" in held and "<time datetime=" in held
    assert "12 deltakere" in held
    # A meeting that is not public is not on the timeline, nor named anywhere.
    assert "familien Berg" not in html


def test_what_we_heard_shows_the_summary_and_the_input_count_per_theme(client, world):
    services.theme_summary_write(
        process=world["process"],
        by=world["organiser"],
        theme=world["themes"]["safety"],
        text="Mange vil ha benker og lys.",
    )
    html = page(client, world["process"])
    safety = article(html, f'id="heard-{world["themes"]["safety"].pk}"')
    assert "Trygghet" in safety and "Mange vil ha benker og lys." in safety
    assert "2 innspill" in safety
    transport = article(html, f'id="heard-{world["themes"]["transport"].pk}"')
    assert "Transport" in transport and "1 innspill" in transport
    assert "ikke oppsummert" in transport  # no summary yet, and it says so


def test_public_inputs_show_text_meeting_channel_group_theme_and_outcome(client, world):
    html = page(client, world["process"])
    inputs = html[html.index('id="inputs-heading"') :]
    benches = inputs[inputs.index("Flere benker") :]
    benches = benches[: benches.index("</li>")]
    assert "Verksted på biblioteket" in benches
    assert "Trygghet" in benches
    assert world["ideas"]["implemented"].get_absolute_url() in benches
    assert "Tatt i bruk" in benches  # the idea's status
    remit = inputs[inputs.index("Lavere bompenger") :]
    assert "Bompenger bestemmer staten." in remit[: remit.index("</li>")]
    # An input from a meeting that is not public names the kind of meeting, not it.
    bus = inputs[inputs.index("Bussen går") :]
    bus = bus[: bus.index("</li>")]
    assert "Berg" not in bus and "Hjemmebesøk" in bus


def test_the_page_never_shows_a_givers_name_or_e_mail(client, world):
    for prefix in ("", "/en"):
        html = client.get(prefix + world["process"].get_absolute_url()).content.decode()
        assert GIVER_NAME not in html and GIVER_EMAIL not in html


def test_the_inputs_are_paged(client, world):
    from cocreation.views.public import INPUTS_PER_PAGE

    for n in range(INPUTS_PER_PAGE):
        record(world["meetings"]["popup"], world["organiser"], f"Innspill nummer {n}")
    first = page(client, world["process"])
    assert "Innspill nummer 29" in first and "Flere benker" not in first
    assert "?page=2#inputs-heading" in first
    assert "Flere benker" in page(client, world["process"], "?page=2")


# --- The chart and its table -----------------------------------------------------------------


def chart_and_table(html: str, chart_id: str) -> tuple[dict[str, int], dict[str, int]]:
    start = html.index(f'id="chart-{chart_id}-heading"')
    block = html[start : html.index("</table>", start)]
    svg = block[: block.index("</svg>")]
    bars = {
        key: int(value) for key, value in re.findall(r'data-key="(\w*)" data-value="(\d+)"', svg)
    }
    rows = {
        key: int(value)
        for key, value in re.findall(
            r'<tr data-key="(\w*)"><th scope="row">[^<]*</th><td[^>]*>(\d+)</td>', block
        )
    }
    return bars, rows


def test_the_charts_show_the_same_figures_as_their_tables(client, world):
    hide(world)
    html = page(client, world["process"])
    by_kind, kind_table = chart_and_table(html, "kind")
    by_group, group_table = chart_and_table(html, "group")
    assert by_kind == kind_table and by_group == group_table
    assert by_kind[MeetingKind.POPUP] == 2 and by_kind[MeetingKind.WORKSHOP] == 1
    assert by_kind[MeetingKind.HOME_VISIT] == 1 and by_kind[MeetingKind.WALK] == 0
    # Whom the process misses: young people's only input is hidden, so they show as 0.
    assert by_group[ParticipantGroup.AGE_13_19] == 0
    assert by_group[ParticipantGroup.RESIDENT] == 2 and by_group[""] == 1
    assert sum(by_kind.values()) == sum(by_group.values()) == 4
    # The picture is hidden from screen readers, which read the table instead.
    assert '<svg class="cocreation-chart" viewBox' in html and 'aria-hidden="true"' in html


def test_the_bar_chart_scales_to_the_largest_and_keeps_empty_rows():
    from cocreation.charts import LABEL_WIDTH, VALUE_WIDTH, WIDTH, bar_chart

    chart = bar_chart([("a", "A", 4), ("b", "B", 0), ("c", "C", 2)])
    widths = [bar.width for bar in chart.bars]
    assert widths == [
        WIDTH - LABEL_WIDTH - VALUE_WIDTH,
        0.0,
        (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / 2,
    ]
    assert [bar.share for bar in chart.bars] == [67, 0, 33]
    assert chart.total == 6
    assert bar_chart([("a", "A", 0)]).bars[0].width == 0.0


# --- Moderation: hidden inputs are on no public surface ---------------------------------------


def test_a_hidden_input_is_on_no_public_surface(client, world, django_capture_on_commit_callbacks):
    rude = world["inputs"]["rude"]
    assert HIDDEN_TEXT in page(client, world["process"])
    hide(world)
    assert HIDDEN_TEXT not in page(client, world["process"])
    assert HIDDEN_TEXT not in page(client, world["process"], "?page=2")
    receipt = client.get(rude.get_absolute_url()).content.decode()
    assert HIDDEN_TEXT not in receipt
    assert "Personangrep på en navngitt person." in receipt
    assert "Skjult av moderator" in receipt
    search = client.get(reverse("search:search"), {"q": "idiot"}).content.decode()
    assert HIDDEN_TEXT not in search


def test_a_hidden_input_no_longer_counts_for_its_idea_nor_hears_of_it(
    client, world, django_capture_on_commit_callbacks
):
    benches = world["inputs"]["benches"]
    idea = world["ideas"]["implemented"]
    assert "Bygger på 1 innspill" in client.get(idea.get_absolute_url()).content.decode()
    hide(world, "benches", reason="Inneholder et telefonnummer.")
    idea_page = client.get(idea.get_absolute_url()).content.decode()
    assert "Bygger på" not in idea_page
    assert selectors.feedback_addresses(idea) == []
    # Shown again: everything it had comes back.
    services.input_show(item=benches, by=world["organiser"])
    assert "Bygger på 1 innspill" in client.get(idea.get_absolute_url()).content.decode()
    assert selectors.feedback_addresses(idea) == [(GIVER_EMAIL, [benches.code])]


def test_hiding_and_showing_leave_an_audit_trail_without_personal_data(world):
    item = world["inputs"]["benches"]
    hidden = hide(world, "benches", reason="  Telefonnummer i teksten.  ")
    assert hidden.is_hidden and hidden.hidden_reason == "Telefonnummer i teksten."
    assert hidden.hidden_by == world["organiser"]
    services.input_show(item=item, by=world["organiser"])
    item.refresh_from_db()
    assert not item.is_hidden and item.hidden_reason == "" and item.idea is not None
    events = list(
        world["process"].events.filter(
            kind__in=[ProcessEvent.Kind.INPUT_HIDDEN, ProcessEvent.Kind.INPUT_SHOWN]
        )
    )
    assert [(event.kind, event.actor, event.meeting) for event in events] == [
        (ProcessEvent.Kind.INPUT_HIDDEN, world["organiser"], item.meeting),
        (ProcessEvent.Kind.INPUT_SHOWN, world["organiser"], item.meeting),
    ]
    assert events[0].data == {"input": item.pk, "reason": "Telefonnummer i teksten."}
    for event in events:
        assert GIVER_NAME not in str(event.data) and GIVER_EMAIL not in str(event.data)


def test_hiding_needs_a_reason_and_cannot_be_done_twice(world):
    with pytest.raises(ActionNotAllowed):
        hide(world, reason="  ")
    hide(world)
    with pytest.raises(ActionNotAllowed):
        hide(world)
    services.input_show(item=world["inputs"]["rude"], by=world["organiser"])
    with pytest.raises(ActionNotAllowed):
        services.input_show(item=world["inputs"]["rude"], by=world["organiser"])


def test_the_idea_status_e_mail_skips_the_giver_of_a_hidden_input(
    world, django_capture_on_commit_callbacks
):
    idea = world["ideas"]["reviewed"]
    services.input_record(
        meeting=world["meetings"]["popup"],
        by=world["organiser"],
        data=services.InputData(text="Lys", channel="sticky_note", giver_email="lys@example.no"),
    )
    item = Input.objects.get(giver_email="lys@example.no")
    services.inputs_attach(
        process=world["process"], by=world["organiser"], inputs=[item], idea=idea
    )
    services.input_hide(item=item, by=world["organiser"], reason="Dobbelt innlevert.")
    mail.outbox.clear()
    admin = UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        idea_transition(idea=idea, to=IdeaStatus.ACCEPTED, by=admin, public_reason="Godt.")
    assert all("lys@example.no" not in message.to for message in mail.outbox)


# --- "What we heard" ------------------------------------------------------------------------------


def test_a_summary_is_written_rewritten_and_removed_with_an_audit_trail(world):
    process, organiser, theme = world["process"], world["organiser"], world["themes"]["safety"]
    written = services.theme_summary_write(
        process=process, by=organiser, theme=theme, text=" Lys. "
    )
    assert written.text == "Lys." and written.updated_by == organiser
    again = services.theme_summary_write(process=process, by=organiser, theme=theme, text="Benker.")
    assert again.pk == written.pk and ProcessThemeSummary.objects.get().text == "Benker."
    # The same words again change nothing and log nothing.
    services.theme_summary_write(process=process, by=organiser, theme=theme, text="Benker.")
    assert services.theme_summary_write(process=process, by=organiser, theme=theme, text="") is None
    assert not ProcessThemeSummary.objects.exists()
    kinds = list(
        process.events.filter(
            kind__in=[ProcessEvent.Kind.SUMMARY_WRITTEN, ProcessEvent.Kind.SUMMARY_REMOVED]
        ).values_list("kind", "data")
    )
    assert kinds == [
        (ProcessEvent.Kind.SUMMARY_WRITTEN, {"theme": theme.pk, "summary": written.pk}),
        (ProcessEvent.Kind.SUMMARY_WRITTEN, {"theme": theme.pk, "summary": written.pk}),
        (ProcessEvent.Kind.SUMMARY_REMOVED, {"theme": theme.pk}),
    ]


def test_staff_write_summaries_in_the_admin(client, world):
    client.force_login(world["organiser"])
    url = reverse("cocreation_admin:summaries", args=[world["process"].pk])
    form = client.get(url).content.decode()
    safety, transport = world["themes"]["safety"], world["themes"]["transport"]
    assert f'name="theme_{safety.pk}"' in form and f'name="theme_{transport.pk}"' in form
    response = client.post(
        url, {f"theme_{safety.pk}": "Benker og lys.", f"theme_{transport.pk}": ""}
    )
    assert response.status_code == 302
    assert ProcessThemeSummary.objects.get().theme == safety
    assert "Benker og lys." in page(client, world["process"])


def test_a_too_long_summary_keeps_what_was_typed(client, world):
    client.force_login(world["organiser"])
    url = reverse("cocreation_admin:summaries", args=[world["process"].pk])
    safety = world["themes"]["safety"]
    response = client.post(url, {f"theme_{safety.pk}": "Benker. " * 1000})
    assert response.status_code == 400
    assert "Benker. Benker." in response.content.decode()
    assert not ProcessThemeSummary.objects.exists()


# --- The role matrix -----------------------------------------------------------------------------

ROLES = ["organiser", "other_staff", "partner", "citizen", "anonymous"]


def users(world) -> dict:
    from tests.factories import OrganisationFactory

    partner = with_admin_access(UserFactory())
    OrganisationFactory().members.add(partner)
    return {
        "organiser": world["organiser"],
        "other_staff": admin_staff_of(UnitFactory()),
        "partner": partner,
        "citizen": UserFactory(),
        "anonymous": AnonymousUser(),
    }


MODERATION = {
    "hide": lambda w, by: services.input_hide(item=w["inputs"]["rude"], by=by, reason="Nei."),
    "show": lambda w, by: services.input_show(item=w["inputs"]["bus"], by=by),
    "summary": lambda w, by: services.theme_summary_write(
        process=w["process"], by=by, theme=w["themes"]["safety"], text="Vi hørte."
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MODERATION))
def test_only_the_organising_unit_moderates_and_sums_up(world, role, action):
    services.input_hide(item=world["inputs"]["bus"], by=world["organiser"], reason="Test.")
    before = world["process"].events.count()
    by = users(world)[role]
    if role == "organiser":
        MODERATION[action](world, by)
        assert world["process"].events.count() == before + 1
    else:
        with pytest.raises(ActionPermissionDenied):
            MODERATION[action](world, by)
        assert world["process"].events.count() == before
        assert Input.objects.get(pk=world["inputs"]["rude"].pk).hidden_at is None
        assert Input.objects.get(pk=world["inputs"]["bus"].pk).hidden_at is not None
        assert not ProcessThemeSummary.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organising_unit_moderates_and_sums_up_over_http(client, world, role):
    by = users(world)[role]
    if role != "anonymous":
        client.force_login(by)
    rude = world["inputs"]["rude"]
    moderate = reverse("cocreation_admin:input_moderate", args=[rude.pk])
    summaries = reverse("cocreation_admin:summaries", args=[world["process"].pk])
    safety = world["themes"]["safety"]
    hidden = client.post(moderate, {"reason": "Personangrep."})
    summed = client.post(summaries, {f"theme_{safety.pk}": "Vi hørte."})
    rude.refresh_from_db()
    if role == "organiser":
        assert client.get(moderate).status_code == 200
        assert hidden.status_code == summed.status_code == 302
        assert rude.is_hidden and ProcessThemeSummary.objects.exists()
        client.post(moderate)  # shows it again
        rude.refresh_from_db()
        assert not rude.is_hidden
    else:
        for response in (hidden, summed, client.get(moderate), client.get(summaries)):
            assert response.status_code == 302
            assert response["Location"] == reverse("wagtailadmin_home") or response[
                "Location"
            ].startswith(reverse("wagtailadmin_login"))
        assert not rude.is_hidden and not ProcessThemeSummary.objects.exists()


def test_hiding_without_a_reason_in_the_admin_keeps_the_form(client, world):
    client.force_login(world["organiser"])
    rude = world["inputs"]["rude"]
    response = client.post(
        reverse("cocreation_admin:input_moderate", args=[rude.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    rude.refresh_from_db()
    assert not rude.is_hidden


def test_the_staff_inputs_screen_marks_hidden_inputs(client, world):
    hide(world)
    client.force_login(world["organiser"])
    html = client.get(
        reverse("cocreation_admin:inputs", args=[world["process"].pk]) + "?show=all"
    ).content.decode()
    assert HIDDEN_TEXT in html  # staff still read it
    assert reverse("cocreation_admin:input_moderate", args=[world["inputs"]["rude"].pk]) in html


# --- Editing a process and a meeting (one edit view for both) ------------------------------------


def test_editing_a_process_and_a_meeting_through_the_admin(client, world):
    process, meeting = world["process"], world["meetings"]["coming"]
    client.force_login(world["organiser"])
    url = reverse("cocreation_admin:process_edit", args=[process.pk])
    form = client.get(url).context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {"aim": "Et nytt mål.", "starts_on": "2026-01-01", "ends_on": "2025-01-01"}
    data.pop("partners", None)
    refused = client.post(url, data)
    assert refused.status_code == 200 and 'value="Løsningsjakten"' in refused.content.decode()
    data["ends_on"] = "2027-01-01"
    assert client.post(url, data)["Location"] == reverse(
        "cocreation_admin:process", args=[process.pk]
    )
    process.refresh_from_db()
    assert process.aim == "Et nytt mål."
    url = reverse("cocreation_admin:meeting_edit", args=[meeting.pk])
    form = client.get(url).context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.pop("partners", None)
    data |= {
        "place": "Rådhuset",
        "starts_at": meeting.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": meeting.ends_at.strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(url, data)["Location"] == reverse(
        "cocreation_admin:meeting", args=[meeting.pk]
    )
    meeting.refresh_from_db()
    assert meeting.place == "Rådhuset"
    kinds = set(process.events.values_list("kind", flat=True))
    assert {ProcessEvent.Kind.PROCESS_UPDATED, ProcessEvent.Kind.MEETING_UPDATED} <= kinds


# --- Query budget ------------------------------------------------------------------------------


def test_the_page_costs_the_same_with_many_meetings_inputs_and_themes(
    client, world, django_assert_max_num_queries
):
    organiser, process = world["organiser"], world["process"]
    themes = [ThemeFactory(name=f"Delområde {n}") for n in range(6)]
    unit = UnitFactory(municipality=process.municipality)
    for n in range(15):
        meeting = add_meeting(
            process, organiser, title=f"Møte {n}", days_ahead=-20 + n, kind=MeetingKind.WALK
        )
        items = [
            record(meeting, organiser, f"Innspill {n}.{m}", group=ParticipantGroup.VOLUNTEER)
            for m in range(3)
        ]
        services.inputs_sort(process=process, by=organiser, inputs=items, theme=themes[n % 6])
        idea = IdeaFactory(owning_unit=unit, status=IdeaStatus.ACCEPTED)
        services.inputs_attach(process=process, by=organiser, inputs=items[:1], idea=idea)
        services.input_hide(item=items[2], by=organiser, reason="Dobbelt.")
    for theme in themes:
        services.theme_summary_write(process=process, by=organiser, theme=theme, text="Vi hørte.")
    client.get(process.get_absolute_url())  # the page tree's caches, as on a live site
    with django_assert_max_num_queries(PROCESS_PAGE_QUERIES):
        html = page(client, process)
    assert figures(html)["inputs"] == "35" and figures(html)["ideas"] == "17"
    with django_assert_max_num_queries(PROCESS_PAGE_QUERIES):
        page(client, process, "?page=2")


def test_the_summaries_screen_costs_the_same_with_many_themes(
    client, world, django_assert_max_num_queries
):
    organiser, process = world["organiser"], world["process"]
    client.force_login(organiser)
    url = reverse("cocreation_admin:summaries", args=[process.pk])
    meeting = world["meetings"]["popup"]

    def add_themes(numbers: range) -> None:
        for n in numbers:
            theme = ThemeFactory(name=f"Emne {n}")
            item = record(meeting, organiser, f"Innspill {n}")
            services.inputs_sort(process=process, by=organiser, inputs=[item], theme=theme)
            services.theme_summary_write(
                process=process, by=organiser, theme=theme, text=f"Hørt {n}"
            )

    add_themes(range(1))
    client.get(url)  # the admin's own caches (site, menu), as on a live site
    with CaptureQueriesContext(connection) as one_theme:
        client.get(url)
    add_themes(range(1, 9))
    # Eight more themes with summaries cost no query more than one (and few in all).
    with django_assert_max_num_queries(min(len(one_theme), SUMMARIES_SCREEN_QUERIES)):
        html = client.get(url).content.decode()
    assert "Hørt 8" in html and "Emne 8" in html
