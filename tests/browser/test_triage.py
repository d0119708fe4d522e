"""Triage in a real browser: staff take an idea from the queue to "put into use" in the
Wagtail admin, the author sees the result, and the public idea page passes axe in every
status."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ideas.actions import idea_answer, idea_merge, idea_transition
from ideas.models import Idea, IdeaStatus
from tests.browser.conftest import AXE_SCRIPT, assert_no_serious_axe_violations
from tests.factories import TEST_PASSWORD, IdeaFactory, UnitFactory, UserFactory
from tests.ideas.triage_helpers import admin_staff_of

S = IdeaStatus


def admin_log_in(page: Page, base: str, user) -> None:
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def site_log_in(page: Page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).not_to_have_text(re.compile("Logg inn|Log in"))


def change_status(page: Page, status_label: str, text: str = "") -> None:
    form = page.locator("form[action$='/transition/']")
    form.get_by_label("Ny status").select_option(label=status_label)
    if text:
        form.get_by_label("Offentlig tekst").fill(text)
    form.get_by_role("button", name="Endre status").click()


def test_staff_triage_an_idea_to_put_into_use_and_the_author_sees_the_result(page: Page, base: str):
    unit = UnitFactory(name="Teknisk drift", slug="teknisk-drift")
    staff = admin_staff_of(unit, display_name="Siri i Teknisk")
    author = UserFactory(display_name="Kari")
    idea = IdeaFactory(
        owning_unit=unit, author=author, title="Benker langs elvestien", summary="Flere benker."
    )
    IdeaFactory(owning_unit=UnitFactory(name="Kultur"), title="Annen enhets idé")

    admin_log_in(page, base, staff)
    # The dashboard shows the overdue panel; the menu leads to the queue.
    expect(page.get_by_role("heading", name="Ideer over fristen")).to_be_visible()
    page.goto(f"{base}/admin/triage/")
    expect(page.get_by_role("link", name=re.compile("Benker langs elvestien"))).to_be_visible()
    expect(page.get_by_text("Annen enhets idé")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Benker langs elvestien")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(idea.reference)

    change_status(page, "Under behandling")
    expect(page.get_by_text("Status endret til «Under behandling».")).to_be_visible()

    notes = page.locator("form[action$='/note/']")
    page.get_by_text("Legg til internt notat").click()
    notes.get_by_label("Internt notat").fill("Sjekk med driftssjefen om budsjett.")
    notes.get_by_role("button", name="Lagre notat").click()
    expect(page.get_by_text("Notatet er lagt til.")).to_be_visible()

    change_status(page, "Tatt videre", "Vi setter ut tre benker som en prøve i vår.")
    expect(page.get_by_text("Status endret til «Tatt videre».")).to_be_visible()

    # Put into use without a result text is refused with a clear message.
    change_status(page, "Tatt i bruk")
    expect(page.locator(".messages")).to_contain_text("resultatet")
    change_status(page, "Tatt i bruk", "Det står nå seks nye benker langs elvestien.")
    expect(page.get_by_text("Status endret til «Tatt i bruk».")).to_be_visible()
    idea.refresh_from_db()
    assert idea.status == S.IMPLEMENTED

    page.context.clear_cookies()
    site_log_in(page, base, author)
    page.goto(f"{base}/ideas/{idea.reference}/")
    status = page.locator(".ideas-status")
    expect(status).to_contain_text("Tatt i bruk")
    expect(status).to_contain_text("Det står nå seks nye benker langs elvestien.")
    expect(status).to_contain_text("Teknisk drift")
    expect(page.get_by_role("heading", name="Resultatet")).to_be_visible()
    # Internal notes never reach the public page.
    expect(page.get_by_text("Sjekk med driftssjefen")).to_have_count(0)


def test_staff_hide_an_idea_with_the_keyboard_and_the_author_reads_why(page: Page, base: str):
    from tests.browser.test_ideas import tab_until_focused

    unit = UnitFactory(name="Teknisk drift", slug="teknisk-drift")
    staff = admin_staff_of(unit)
    idea = IdeaFactory(owning_unit=unit, title="Kjøp hos Fjordvik Bil", summary="Reklame.")

    admin_log_in(page, base, staff)
    page.goto(f"{base}/admin/triage/{idea.pk}/")
    summary = page.locator("summary", has_text="Skjul ideen")
    tab_until_focused(page, summary)
    page.keyboard.press("Enter")  # opens the form
    reason = page.get_by_label("Hvorfor skal ideen skjules?")
    tab_until_focused(page, reason)
    page.keyboard.type("Reklame for en bilforhandler, ikke en idé.")
    tab_until_focused(page, page.locator("form[action$='/hide/'] button[type=submit]"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ideen er skjult for publikum.")).to_be_visible()
    expect(page.locator("summary", has_text="Vis ideen igjen")).to_be_visible()
    idea.refresh_from_db()
    assert idea.is_hidden

    page.context.clear_cookies()
    assert page.goto(f"{base}/ideas/{idea.reference}/").status == 404
    site_log_in(page, base, idea.author)
    page.goto(f"{base}/ideas/{idea.reference}/")
    expect(page.locator("main")).to_contain_text(
        "Skjult av kommunen: Reklame for en bilforhandler, ikke en idé."
    )
    assert_no_serious_axe_violations(page)


def _idea_in_every_status(staff, unit) -> dict[str, Idea]:
    def new(title):
        return IdeaFactory(owning_unit=unit, title=title, summary=f"Kort om {title.lower()}.")

    ideas = {S.SUBMITTED: new("Nytt forslag om lekeplass")}
    in_review = new("Leksehjelp på biblioteket")
    idea_transition(idea=in_review, to=S.IN_REVIEW, by=staff)
    idea_answer(idea=in_review, by=staff, text="Vi ser på dette nå.")
    ideas[S.IN_REVIEW] = in_review

    accepted = new("Gatelys ved skoleveien")
    idea_transition(idea=accepted, to=S.IN_REVIEW, by=staff)
    idea_transition(idea=accepted, to=S.ACCEPTED, by=staff, public_reason="Vi prøver det ut.")
    ideas[S.ACCEPTED] = accepted

    implemented = new("Dele-ordning for utstyr")
    idea_transition(idea=implemented, to=S.IN_REVIEW, by=staff)
    idea_transition(idea=implemented, to=S.ACCEPTED, by=staff)
    idea_transition(idea=implemented, to=S.IMPLEMENTED, by=staff, public_reason="Nå i drift.")
    ideas[S.IMPLEMENTED] = implemented

    rejected = new("Ny svømmehall")
    idea_transition(idea=rejected, to=S.REJECTED, by=staff, public_reason="For dyrt nå.")
    ideas[S.REJECTED] = rejected

    merged = new("Lekeplass i sentrum")
    idea_merge(idea=merged, into=ideas[S.SUBMITTED], by=staff, public_reason="Samme idé.")
    ideas[S.MERGED] = merged

    withdrawn = new("Trukket idé")
    idea_transition(idea=withdrawn, to=S.WITHDRAWN, by=withdrawn.author)
    ideas[S.WITHDRAWN] = withdrawn
    return ideas


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["nb", "en"])
def test_public_idea_page_passes_axe_in_every_status(page: Page, base: str, prefix: str):
    unit = UnitFactory(name="Oppvekst", slug="oppvekst")
    staff = admin_staff_of(unit)
    ideas = _idea_in_every_status(staff, unit)

    for status in (S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.IMPLEMENTED, S.REJECTED):
        idea = ideas[status]
        response = page.goto(f"{base}{prefix}/ideas/{idea.reference}/")
        assert response is not None and response.status == 200, status
        expect(page.locator(".ideas-status")).to_have_attribute("data-status", status)
        assert_no_serious_axe_violations(page)

    # A merged idea sends readers on to the idea it was merged into.
    merged = ideas[S.MERGED]
    page.goto(f"{base}{prefix}/ideas/{merged.reference}/")
    expect(page).to_have_url(re.compile(rf"/ideas/{ideas[S.SUBMITTED].reference}/$"))
    expect(page.locator(".ideas-timeline")).to_contain_text(merged.reference)
    assert_no_serious_axe_violations(page)

    # A withdrawn idea is shown to its author only.
    withdrawn = ideas[S.WITHDRAWN]
    site_log_in(page, base, withdrawn.author)
    page.goto(f"{base}{prefix}/ideas/{withdrawn.reference}/")
    expect(page.locator(".ideas-status")).to_have_attribute("data-status", S.WITHDRAWN)
    assert_no_serious_axe_violations(page)


def test_queue_is_readable_on_a_narrow_screen_and_the_overdue_label_too(page: Page, base: str):
    import datetime

    from django.utils import timezone

    unit = UnitFactory(name="Teknisk drift", slug="teknisk-drift", response_deadline_days=7)
    staff = admin_staff_of(unit, display_name="Siri i Teknisk")
    idea = IdeaFactory(owning_unit=unit, title="Benker langs elvestien", support_count=4)
    Idea.objects.filter(pk=idea.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=30)
    )
    admin_log_in(page, base, staff)

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/admin/triage/")
    label = page.locator(".triage-queue .triage-overdue")
    expect(label).to_have_text("Over fristen")
    # At least the small body size, and WCAG AA contrast (axe measures it as drawn).
    assert label.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 14
    page.add_script_tag(path=str(AXE_SCRIPT))
    contrast = page.evaluate(
        """async () => (await axe.run('.triage-queue',
            {runOnly: {type: 'rule', values: ['color-contrast']}})).violations"""
    )
    assert contrast == []

    # On a narrow screen the table used to be cut off; now it scrolls in a labelled
    # region that a keyboard user can focus and scroll with the arrow keys.
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(f"{base}/admin/triage/")
    region = page.get_by_role("region", name=re.compile("1 idé"))
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    region.focus()
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("columnheader", name="Støttespillere")).to_be_attached()
    # Scrolling may be smooth, so wait for the last column to come into view.
    page.wait_for_function(
        "() => document.querySelector('.triage-queue thead th:last-child')"
        ".getBoundingClientRect().right <= window.innerWidth",
        timeout=5000,
    )


def test_staff_reach_the_queue_open_an_idea_and_change_its_status_with_the_keyboard(
    page: Page, base: str
):
    from tests.browser.test_ideas import tab_until_focused

    unit = UnitFactory(name="Teknisk drift", slug="teknisk-drift")
    staff = admin_staff_of(unit)
    idea = IdeaFactory(owning_unit=unit, title="Benker langs elvestien")

    admin_log_in(page, base, staff)
    # From the dashboard to the queue, then to the idea, with Tab and Enter only.
    tab_until_focused(page, page.get_by_role("link", name="Åpne saksbehandlingskøen"), limit=80)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/triage/$"))
    tab_until_focused(page, page.get_by_role("link", name=re.compile("Benker langs elvestien")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(idea.reference)

    # The status form is open first; choose by typing, as a keyboard user does in a list.
    form = page.locator("form[action$='/transition/']")
    tab_until_focused(page, form.get_by_label("Ny status"))
    page.keyboard.type("Under")
    expect(form.get_by_label("Ny status")).to_have_value(S.IN_REVIEW)
    tab_until_focused(page, form.get_by_role("button", name="Endre status"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Status endret til «Under behandling».")).to_be_visible()
    idea.refresh_from_db()
    assert idea.status == S.IN_REVIEW
    assert_no_serious_axe_violations(page)
