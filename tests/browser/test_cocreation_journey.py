"""The co-creation journey in a real browser: staff record three sticky notes at a
meeting with the fast entry form, turn the three into one idea, and the public receipt
page of one of them follows the idea when staff accept it in triage."""

from __future__ import annotations

import re

from django.conf import settings
from playwright.sync_api import Page, expect

from cocreation.models import Input
from ideas.models import IdeaStatus
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_triage import admin_log_in, change_status
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import UnitFactory

NOTES = [
    "Benker langs turstien rundt vannet",
    "Lys under jernbanebrua",
    "Toalett ved badeplassen",
]


def test_inputs_become_an_idea_and_the_receipt_follows_its_acceptance(page: Page, base: str):
    # The organisers are also the intake unit, so the idea comes to their own queue.
    unit = UnitFactory(name="Strategi og utvikling", slug=settings.PORTAL_INTAKE_UNIT_SLUG)
    organiser, process = organiser_and_process(organising_unit=unit)
    add_meeting(process, organiser, title="Verksted på biblioteket", days_ahead=-1)
    meeting = add_meeting(process, organiser, title="Stand på torget", kind="popup", days_ahead=-1)

    admin_log_in(page, base, organiser)
    # From the meeting's screen to its fast entry form, the meeting already chosen.
    page.goto(f"{base}/admin/cocreation/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Registrer innspill").click()
    expect(page.locator("#id_meeting")).to_have_value(str(meeting.pk))
    page.locator("#id_participant_group").select_option(label="Innbyggere")
    for note in NOTES:
        page.locator("#id_text").fill(note)
        page.get_by_role("button", name="Lagre og skriv neste").click()
        # The page comes back with the text field empty (it was just filled) ...
        expect(page.locator("#id_text")).to_be_empty()
        saved = Input.objects.get(text=note)
        expect(page.locator(".cocreation-status")).to_contain_text(
            f"{saved.code} er lagret for Stand på torget"
        )
        # ... and the meeting and group still chosen for the next note.
        expect(page.locator("#id_meeting")).to_have_value(str(meeting.pk))
        expect(page.locator("#id_participant_group")).to_have_value("resident")
    inputs = list(Input.objects.order_by("pk"))
    assert [item.text for item in inputs] == NOTES
    assert {(item.meeting_id, item.participant_group) for item in inputs} == {
        (meeting.pk, "resident")
    }

    # Tick the three on the inputs list and write one idea from them.
    page.goto(f"{base}/admin/cocreation/{process.pk}/inputs/")
    for item in inputs:
        page.get_by_label(item.code).check()
    page.get_by_role("button", name="Skriv en ny idé fra de valgte innspillene").click()
    for note in NOTES:
        expect(page.get_by_role("main")).to_contain_text(note)
    page.get_by_label("Tittel").fill("Et bedre turområde rundt vannet")
    page.get_by_label("Sammendrag").fill("Benker, lys og toalett langs turstien.")
    page.get_by_role("button", name="Send inn ideen").click()
    expect(page.get_by_text(re.compile(r"er laget av 3 innspill"))).to_be_visible()
    inputs = list(Input.objects.order_by("pk").select_related("idea"))
    idea = inputs[0].idea
    assert idea is not None and {item.idea_id for item in inputs} == {idea.pk}

    # Anyone with the code sees what became of the note.
    receipt_url = f"{base}/innspill/{inputs[1].code}/"
    page.goto(receipt_url)
    expect(page.get_by_role("link", name="Et bedre turområde rundt vannet")).to_be_visible()
    status = page.locator(".cocreation-receipt-status")
    expect(status).to_have_attribute("data-status", IdeaStatus.SUBMITTED)
    assert_no_serious_axe_violations(page)

    # Staff accept the idea in triage.
    page.goto(f"{base}/admin/triage/")
    page.get_by_role("link", name=re.compile("Et bedre turområde rundt vannet")).click()
    change_status(page, "Under behandling")
    expect(page.get_by_text("Status endret til «Under behandling».")).to_be_visible()
    change_status(page, "Tatt videre", "Vi setter ut benker og lys til våren.")
    expect(page.get_by_text("Status endret til «Tatt videre».")).to_be_visible()

    # The receipt page follows, for a visitor who is not logged in.
    page.context.clear_cookies()
    page.goto(receipt_url)
    expect(status).to_have_text("Tatt videre")
    expect(status).to_have_attribute("data-status", IdeaStatus.ACCEPTED)
