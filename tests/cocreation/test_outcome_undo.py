"""Undoing what became of an input: taking it out of its idea, or withdrawing its direct
answer. The audit trail records it, the receipt page follows, and only the organising
unit may do it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cocreation import services
from cocreation.models import Input, InputAnswer, InputChannel, ProcessEvent
from portal.actions import ActionNotAllowed, ActionPermissionDenied
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import ThemeFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(db, settings):
    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)  # where new ideas are routed
    organiser, process = organiser_and_process()
    meeting = add_meeting(process, organiser, days_ahead=-2)
    theme = ThemeFactory()
    inputs = [
        services.input_record(
            meeting=meeting,
            by=organiser,
            data=services.InputData(text=text, channel=InputChannel.STICKY_NOTE),
        )
        for text in ("Benker langs turstien", "Lys i undergangen", "Bussen går for sjelden")
    ]
    services.inputs_sort(process=process, by=organiser, inputs=inputs, theme=theme)
    idea = services.idea_from_inputs(
        process=process,
        by=organiser,
        inputs=inputs[:2],
        title="Tryggere turvei",
        summary="Benker og lys.",
        description="To innspill.",
    )
    services.input_answer(
        item=inputs[2], by=organiser, answer=InputAnswer.OUTSIDE_REMIT, text="Fylkets ansvar."
    )
    return {"organiser": organiser, "process": process, "inputs": inputs, "idea": idea}


def _receipt(client, item) -> str:
    return client.get(reverse("cocreation:receipt", args=[item.code])).content.decode()


def test_an_input_taken_out_of_its_idea_is_open_again_and_the_receipt_says_so(client, outcomes):
    organiser, process, idea = outcomes["organiser"], outcomes["process"], outcomes["idea"]
    item = outcomes["inputs"][0]
    assert "Tryggere turvei" in _receipt(client, item)

    services.input_outcome_undo(item=item, by=organiser)
    item.refresh_from_db()
    assert item.idea is None and item.theme is not None
    # The idea stays, built on the other input.
    assert list(idea.cocreation_inputs.all()) == [outcomes["inputs"][1]]
    (event,) = process.events.filter(kind=ProcessEvent.Kind.INPUT_DETACHED)
    assert event.data == {"input": item.pk, "idea": idea.pk} and event.actor == organiser
    page = _receipt(client, item)
    assert "Tryggere turvei" not in page and "ikke avgjort" in page
    # Open again: it can become part of another idea.
    services.inputs_attach(process=process, by=organiser, inputs=[item], idea=idea)


def test_a_withdrawn_answer_leaves_the_input_open_and_the_receipt_follows(client, outcomes):
    organiser, process = outcomes["organiser"], outcomes["process"]
    item = outcomes["inputs"][2]
    assert "Fylkets ansvar." in _receipt(client, item)
    services.input_outcome_undo(item=item, by=organiser)
    item.refresh_from_db()
    assert (item.answer, item.answer_text, item.answered_at) == ("", "", None)
    (event,) = process.events.filter(kind=ProcessEvent.Kind.ANSWER_WITHDRAWN)
    assert event.data == {"input": item.pk, "answer": InputAnswer.OUTSIDE_REMIT}
    assert "Fylkets ansvar." not in _receipt(client, item)
    # Nothing left to undo.
    with pytest.raises(ActionNotAllowed):
        services.input_outcome_undo(item=item, by=organiser)


def test_only_the_organising_unit_undoes_an_outcome(outcomes):
    item = outcomes["inputs"][0]
    with pytest.raises(ActionPermissionDenied):
        services.input_outcome_undo(item=item, by=admin_staff_of(UnitFactory()))
    item.refresh_from_db()
    assert item.idea == outcomes["idea"]
    assert not ProcessEvent.objects.filter(kind=ProcessEvent.Kind.INPUT_DETACHED).exists()


def test_the_buttons_on_the_inputs_list_undo_the_outcome(
    client, outcomes, django_assert_max_num_queries
):
    process = outcomes["process"]
    detached, _kept, answered = outcomes["inputs"]
    client.force_login(outcomes["organiser"])
    url = reverse("cocreation_admin:inputs", args=[process.pk]) + "?show=all"
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "Ta ut av ideen" in page and "Trekk tilbake svaret" in page
    assert reverse("cocreation_admin:input_undo", args=[detached.pk]) in page

    response = client.post(reverse("cocreation_admin:input_undo", args=[detached.pk]))
    assert response["Location"] == url
    client.post(reverse("cocreation_admin:input_undo", args=[answered.pk]))
    assert Input.objects.filter(idea=None, answer="").count() == 2
    page = client.get(url).content.decode()
    assert "er åpent igjen" in page


def test_other_staff_cannot_use_the_undo_address(client, outcomes):
    item = outcomes["inputs"][0]
    client.force_login(admin_staff_of(UnitFactory()))
    response = client.post(reverse("cocreation_admin:input_undo", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    item.refresh_from_db()
    assert item.idea == outcomes["idea"]
