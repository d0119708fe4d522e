"""From inputs to ideas: sorting into themes, a new idea from inputs, attaching inputs
to an existing idea, answering directly; each with its audit event, all or nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cocreation import services
from cocreation.models import Input, InputAnswer, InputChannel, ProcessEvent
from ideas.models import Idea, IdeaEvent, IdeaStatus
from portal.actions import ActionNotAllowed
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import IdeaFactory, ThemeFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sorting(db, settings):
    # New ideas are routed to the municipality's intake unit when no rule matches.
    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)
    organiser, process = organiser_and_process()
    meetings = [add_meeting(process, organiser, days_ahead=-2), add_meeting(process, organiser)]
    inputs = [
        services.input_record(
            meeting=meetings[index % 2],
            by=organiser,
            data=services.InputData(
                text=f"Benker langs turstien, nummer {index}",
                channel=InputChannel.STICKY_NOTE,
                giver_name="Kari Nordmann",
                giver_email="kari@example.no",
            ),
        )
        for index in range(3)
    ]
    return {"organiser": organiser, "process": process, "meetings": meetings, "inputs": inputs}


def _events(process, kind):
    return list(process.events.filter(kind=kind))


def test_inputs_are_sorted_into_a_theme_and_out_of_it(sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    theme = ThemeFactory()
    services.inputs_sort(process=process, by=organiser, inputs=inputs[:2], theme=theme)
    assert [item.theme for item in Input.objects.order_by("pk")] == [theme, theme, None]
    services.inputs_sort(process=process, by=organiser, inputs=inputs[:1], theme=None)
    assert Input.objects.get(pk=inputs[0].pk).theme is None
    (first, second) = _events(process, ProcessEvent.Kind.INPUTS_SORTED)
    assert first.data == {"inputs": [inputs[0].pk, inputs[1].pk], "theme": theme.pk}
    assert first.actor == organiser
    assert second.data["theme"] is None


def test_three_inputs_become_one_idea_of_the_process_municipality(sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    idea = services.idea_from_inputs(
        process=process,
        by=organiser,
        inputs=inputs,
        title="Benker langs turstien",
        summary="Flere benker, så eldre kan gå lenger.",
        description="Tre innspill ba om benker.",
    )
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.author == organiser
    assert idea.municipality_id == process.municipality_id
    assert idea.theme == process.theme
    assert idea.reference
    assert IdeaEvent.objects.filter(idea=idea, kind=IdeaEvent.Kind.SUBMITTED).exists()
    assert set(Input.objects.values_list("idea_id", flat=True)) == {idea.pk}
    (event,) = _events(process, ProcessEvent.Kind.IDEA_FROM_INPUTS)
    assert event.data == {"idea": idea.pk, "inputs": [item.pk for item in inputs]}
    assert event.actor == organiser


def test_an_input_with_an_outcome_is_not_used_again_and_nothing_is_half_made(sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    services.input_answer(
        item=inputs[0], by=organiser, answer=InputAnswer.ALREADY_DONE, text="Står der alt."
    )
    ideas_before = Idea.objects.count()
    with pytest.raises(ActionNotAllowed):
        services.idea_from_inputs(
            process=process, by=organiser, inputs=inputs, title="T", summary="S", description="D"
        )
    assert Idea.objects.count() == ideas_before
    assert not Input.objects.filter(idea__isnull=False).exists()


def test_inputs_of_another_process_cannot_be_used(sorting):
    other_organiser, other_process = organiser_and_process(
        organising_unit=sorting["process"].organising_unit, title="Annen"
    )
    with pytest.raises(ActionNotAllowed):
        services.inputs_sort(
            process=other_process, by=other_organiser, inputs=sorting["inputs"], theme=None
        )


def test_inputs_are_attached_to_an_existing_public_idea_by_reference(sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    existing = IdeaFactory(
        owning_unit=UnitFactory(municipality=process.municipality), status=IdeaStatus.IN_REVIEW
    )
    found = services.idea_by_reference(f" {existing.reference} ")
    assert found == existing
    services.inputs_attach(process=process, by=organiser, inputs=inputs[1:], idea=found)
    assert [item.idea_id for item in Input.objects.order_by("pk")] == [
        None,
        existing.pk,
        existing.pk,
    ]
    (event,) = _events(process, ProcessEvent.Kind.INPUTS_ATTACHED)
    assert event.data == {"idea": existing.pk, "inputs": [inputs[1].pk, inputs[2].pk]}


@pytest.mark.parametrize("hidden", [True, False])
def test_inputs_are_not_attached_to_a_hidden_or_withdrawn_idea(sorting, hidden):
    process = sorting["process"]
    fields = {"is_hidden": True} if hidden else {"status": IdeaStatus.WITHDRAWN}
    idea = IdeaFactory(owning_unit=UnitFactory(municipality=process.municipality), **fields)
    assert services.idea_by_reference(idea.reference) is None
    with pytest.raises(ActionNotAllowed):
        services.inputs_attach(
            process=process, by=sorting["organiser"], inputs=sorting["inputs"], idea=idea
        )
    assert not Input.objects.filter(idea__isnull=False).exists()


def test_an_input_is_answered_directly_with_a_text(sorting):
    process, organiser, item = sorting["process"], sorting["organiser"], sorting["inputs"][0]
    services.input_answer(
        item=item,
        by=organiser,
        answer=InputAnswer.OUTSIDE_REMIT,
        text="Fylkesveien er fylkets ansvar; vi har sendt innspillet videre.",
    )
    item.refresh_from_db()
    assert item.answer == InputAnswer.OUTSIDE_REMIT
    assert item.answered_at is not None
    (event,) = _events(process, ProcessEvent.Kind.INPUT_ANSWERED)
    assert event.data == {"input": item.pk, "answer": "outside_remit"}
    with pytest.raises(ActionNotAllowed):
        services.input_answer(item=item, by=organiser, answer=InputAnswer.OTHER, text=" ")


def test_no_audit_event_holds_a_givers_name_or_email(sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    services.inputs_sort(process=process, by=organiser, inputs=inputs, theme=ThemeFactory())
    services.idea_from_inputs(
        process=process, by=organiser, inputs=inputs[:2], title="T", summary="S", description="D"
    )
    services.input_answer(item=inputs[2], by=organiser, answer="other", text="Takk!")
    logged = str(list(process.events.values_list("data", flat=True)))
    assert "Kari" not in logged and "kari@example.no" not in logged


# --- The staff screens -------------------------------------------------------------------


def test_staff_pick_three_inputs_and_submit_an_idea_prefilled_from_them(client, sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    client.force_login(organiser)
    listing = reverse("cocreation_admin:inputs", args=[process.pk])
    page = client.get(listing)
    assert page.status_code == 200
    assert all(item.code in page.content.decode() for item in inputs)
    chosen = [str(item.pk) for item in inputs]
    response = client.post(listing, {"inputs": chosen, "action": "idea"})
    assert response.status_code == 302
    form_page = client.get(response["Location"])
    html = form_page.content.decode()
    # The description starts as the inputs' own words.
    assert all(item.text in html for item in inputs)
    response = client.post(
        reverse("cocreation_admin:idea_new", args=[process.pk]),
        {
            "inputs": chosen,
            "title": "Benker langs turstien",
            "summary": "Flere benker.",
            "description": "Tre innspill.",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get(title="Benker langs turstien")
    assert Input.objects.filter(idea=idea).count() == 3


def test_a_missing_title_keeps_everything_typed(client, sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    client.force_login(organiser)
    response = client.post(
        reverse("cocreation_admin:idea_new", args=[process.pk]),
        {"inputs": [inputs[0].pk], "title": "", "summary": "Min tekst", "description": "Lang"},
    )
    assert response.status_code == 400
    assert "Min tekst" in response.content.decode()
    assert not Idea.objects.exists()


def test_staff_attach_by_reference_and_a_wrong_reference_is_explained(client, sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    client.force_login(organiser)
    listing = reverse("cocreation_admin:inputs", args=[process.pk])
    response = client.post(
        listing, {"inputs": [inputs[0].pk], "action": "attach", "reference": "1999-99999"}
    )
    assert response.status_code == 400
    assert "ingen offentlig idé med den referansen" in response.content.decode()
    existing = IdeaFactory(owning_unit=UnitFactory(municipality=process.municipality))
    response = client.post(
        listing, {"inputs": [inputs[0].pk], "action": "attach", "reference": existing.reference}
    )
    assert response.status_code == 302
    assert Input.objects.get(pk=inputs[0].pk).idea == existing


def test_staff_sort_and_answer_through_the_screens(client, sorting):
    process, organiser, inputs = sorting["process"], sorting["organiser"], sorting["inputs"]
    client.force_login(organiser)
    theme = ThemeFactory()
    listing = reverse("cocreation_admin:inputs", args=[process.pk])
    response = client.post(listing, {"inputs": [inputs[0].pk], "action": "sort", "theme": theme.pk})
    assert response.status_code == 302
    assert Input.objects.get(pk=inputs[0].pk).theme == theme
    answer_url = reverse("cocreation_admin:input_answer", args=[inputs[1].pk])
    assert client.get(answer_url).status_code == 200
    response = client.post(answer_url, {"answer": "already_done", "text": "Ferdig i fjor."})
    assert response.status_code == 302
    assert Input.objects.get(pk=inputs[1].pk).answer_text == "Ferdig i fjor."
    # Answered and ideas-bound inputs leave the default list (only those still open).
    assert inputs[1].code not in client.get(listing).content.decode()


def test_the_inputs_list_costs_the_same_for_many_inputs(
    client, sorting, django_assert_max_num_queries
):
    process, organiser = sorting["process"], sorting["organiser"]
    for index in range(20):
        services.input_record(
            meeting=sorting["meetings"][0],
            by=organiser,
            data=services.InputData(text=f"Innspill {index}", channel=InputChannel.OTHER),
        )
    client.force_login(organiser)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("cocreation_admin:inputs", args=[process.pk]) + "?show=all")
    assert response.status_code == 200
