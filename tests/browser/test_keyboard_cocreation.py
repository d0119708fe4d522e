"""Co-creation's public forms by keyboard alone: someone who cannot use a mouse registers
for a meeting and leaves an input through a meeting's short link, moving with Tab,
typing, and sending with Enter or Space. A mistake is explained and what was typed stays.

Same pattern as the other browser modules: the session's live server (`base`), data
made in the test and committed, the tables emptied after each test.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cocreation.models import Input, Registration, RegistrationStatus
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.cocreation.helpers import add_meeting, organiser_and_process

# More than any of these pages has focusable things before its form; a page where Tab
# never reaches the field fails here instead of looping for ever.
MAX_TABS = 120

FOCUSED = """() => {
    const el = document.activeElement;
    return el ? {tag: el.tagName.toLowerCase(), name: el.getAttribute('name') || '',
                 text: (el.textContent || '').trim(), href: el.getAttribute('href') || ''}
              : {};
}"""


def tab_to(page: Page, *, name: str = "", button: str = "", href_with: str = "") -> None:
    """Press Tab until the field called `name`, the button saying `button` or the link
    whose address holds `href_with` has focus."""
    focused: dict = {}
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if (
            (name and focused.get("name") == name)
            or (button and focused.get("tag") == "button" and focused.get("text") == button)
            or (href_with and href_with in focused.get("href", ""))
        ):
            return
    raise AssertionError(f"Tab never reached {name or button or href_with!r} (last: {focused})")


def test_registering_for_a_meeting_by_keyboard(page: Page, base: str):
    organiser, process = organiser_and_process(title="Bo hjemme lenger")
    meeting = add_meeting(process, organiser, title="Verksted på biblioteket", capacity=10)
    page.goto(f"{base}{meeting.get_absolute_url()}")

    tab_to(page, name="name")
    page.keyboard.type("Kari Tastatur")
    tab_to(page, name="email")
    page.keyboard.type("kari@")  # a mistake
    page.keyboard.press("Enter")

    # Told what is wrong, in words, with what was typed still there.
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("E-postadresse")
    expect(page.locator("#id_name")).to_have_value("Kari Tastatur")
    expect(page.locator("#id_email")).to_have_value("kari@")
    assert not Registration.objects.exists()
    assert_no_serious_axe_violations(page)  # the page with its error summary

    # The error summary links straight to the field.
    tab_to(page, name="email")
    page.keyboard.press("End")
    page.keyboard.type("example.no")
    tab_to(page, button="Meld deg på")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Du er påmeldt")
    assert_no_serious_axe_violations(page)  # the confirmation
    registration = Registration.objects.get()
    assert (registration.name, registration.email) == ("Kari Tastatur", "kari@example.no")
    assert registration.status == RegistrationStatus.CONFIRMED


def test_leaving_an_input_by_keyboard_in_english(page: Page, base: str):
    organiser, process = organiser_and_process(title="Bo hjemme lenger")
    meeting = add_meeting(
        process, organiser, title="Skolebesøk", is_public=False, registration_open=False
    )
    page.goto(f"{base}/en/m/{meeting.code}/")

    # Sent empty by mistake: the form says so and keeps the optional name typed.
    tab_to(page, name="giver_name")
    page.keyboard.type("Ola")
    tab_to(page, button="Send the input")
    page.keyboard.press("Space")
    expect(page.locator("#error-summary")).to_contain_text("Your input")
    expect(page.locator("#id_giver_name")).to_have_value("Ola")
    assert not Input.objects.exists()

    tab_to(page, name="text")
    page.keyboard.type("Safer road to school")
    tab_to(page, button="Send the input")
    page.keyboard.press("Space")

    status = page.get_by_role("status")
    expect(status).to_contain_text("Thank you")
    item = Input.objects.get()
    assert (item.text, item.giver_name) == ("Safer road to school", "Ola")
    expect(status).to_contain_text(item.code)
    assert_no_serious_axe_violations(page)  # the thank-you with the receipt link
    # The receipt link is reached and followed by keyboard too.
    tab_to(page, href_with=f"/innspill/{item.code}/")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert item.code in page.url
