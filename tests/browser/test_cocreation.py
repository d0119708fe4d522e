"""Co-creation in a real browser: staff record sticky notes one after another with the
fast entry form, and a participant leaves an input through a meeting's short link."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from cocreation.models import Input
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_triage import admin_log_in
from tests.cocreation.helpers import add_meeting, organiser_and_process


def test_staff_record_inputs_one_after_another(page: Page, base: str):
    organiser, process = organiser_and_process()
    add_meeting(process, organiser, title="Verksted 1")
    add_meeting(process, organiser, title="Stand på torget", kind="popup")

    admin_log_in(page, base, organiser)
    page.goto(f"{base}/admin/cocreation/{process.pk}/inputs/new/")
    page.locator("#id_meeting").select_option(label="Stand på torget")
    page.locator("#id_participant_group").select_option(label="Eldre (67 år og over)")
    text = page.locator("#id_text")
    text.fill("Flere benker langs turveien")
    page.get_by_role("button", name="Lagre og skriv neste").click()

    status = page.get_by_role("status").filter(has_text="er lagret for Stand på torget")
    expect(status).to_be_visible()
    # Ready for the next note: same meeting and group, empty text field with the cursor.
    expect(page.locator("#id_meeting")).to_have_value(
        str(process.meetings.get(title="Stand på torget").pk)
    )
    expect(page.locator("#id_participant_group")).to_have_value("age_67_plus")
    expect(text).to_be_empty()
    expect(text).to_be_focused()
    assert_no_serious_axe_violations(page)

    page.keyboard.type("Bedre belysning")
    page.get_by_role("button", name="Lagre og skriv neste").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("er lagret"))).to_be_visible()
    assert list(Input.objects.order_by("pk").values_list("text", "participant_group")) == [
        ("Flere benker langs turveien", "age_67_plus"),
        ("Bedre belysning", "age_67_plus"),
    ]


def test_a_participant_leaves_an_input_through_the_short_link(page: Page, base: str):
    organiser, process = organiser_and_process()
    meeting = add_meeting(
        process, organiser, title="Skolebesøk", is_public=False, registration_open=False
    )
    page.goto(f"{base}/m/{meeting.code}/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Ditt innspill").fill("Tryggere skolevei")
    page.get_by_role("button", name="Send innspillet").click()
    item = Input.objects.get()
    expect(page.get_by_role("status")).to_contain_text(item.code)
