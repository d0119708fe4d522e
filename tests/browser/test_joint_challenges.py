"""A joint challenge answered from a partner's side, in a real browser (docs/regional.md,
issue 13 item 4): Havbygd's staff find the idea Fjordvik leads in their triage queue,
post a public answer without being offered the status, and the public idea page shows
the answer marked with Havbygd. axe checks each new page state on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from challenges.joint import challenge_partners_set
from challenges.municipal_sites import ensure_home
from ideas import services
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_triage import admin_log_in
from tests.challenges.test_municipal_sites import _challenge_below
from tests.factories import MunicipalityFactory, UnitFactory, UserFactory, default_municipality
from tests.ideas.triage_helpers import admin_staff_of

MARK = "Felles utfordring — ledet av Fjordvik kommune"


def _joint_idea():
    fjordvik = default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    fjordvik_home = ensure_home(fjordvik)
    ensure_home(havbygd)
    lead_unit = UnitFactory(name="Plan og miljø", municipality=fjordvik)
    challenge = _challenge_below(fjordvik_home, title="Pendling over grensa", unit=lead_unit)
    challenge = challenge_partners_set(
        challenge=challenge,
        partners=[havbygd],
        governance="Fjordvik bestemmer. Havbygd og Fjordvik svarer på ideene.",
    )
    idea = services.idea_submit(
        author=UserFactory(display_name="Kari"),
        title="Bestillingsbuss over grensa",
        summary="En buss som kjører når folk trenger den.",
        description="En buss som kjører når folk trenger den, uansett kommunegrense.",
        challenge=challenge,
    )
    staff = admin_staff_of(
        UnitFactory(name="Rådmannens stab", municipality=havbygd), display_name="Guro Nes"
    )
    return idea, staff


def test_a_partner_answers_a_joint_challenge_s_idea(page: Page, base: str):
    idea, havbygd_staff = _joint_idea()

    # The partner's home page shows the challenge, marked with its lead.
    page.goto(base + "/havbygd/")
    card = page.get_by_role("listitem").filter(has_text="Pendling over grensa")
    expect(card.get_by_text(MARK)).to_be_visible()
    assert_no_serious_axe_violations(page)
    card.get_by_role("link", name="Pendling over grensa").click()
    expect(page.get_by_role("heading", name=MARK)).to_be_visible()
    expect(page.get_by_text("Partnere: Havbygd kommune")).to_be_visible()
    assert_no_serious_axe_violations(page)

    # Havbygd's staff find the idea in their own queue and answer it.
    admin_log_in(page, base, havbygd_staff)
    page.goto(f"{base}/admin/triage/")
    page.get_by_role("link", name=re.compile("Bestillingsbuss over grensa")).click()
    expect(
        page.get_by_text(re.compile("felles utfordring ledet av Fjordvik kommune"))
    ).to_be_visible()
    # The status is Fjordvik's to move: no such form or button here.
    expect(page.get_by_role("button", name="Endre status")).to_have_count(0)
    expect(page.locator("form[action$='/transition/']")).to_have_count(0)
    # The answer is the first thing offered, already open.
    answer = page.locator("form[action$='/answer/']")
    expect(answer.get_by_label("Offentlig svar")).to_be_visible()
    assert_no_serious_axe_violations(page)
    answer.get_by_label("Offentlig svar").fill("Havbygd støtter ideen og ser på den med Fjordvik.")
    answer.get_by_role("button", name="Publiser svaret").click()
    expect(page.get_by_text("Guro Nes (Havbygd kommune)")).to_be_visible()

    # The public idea page: the answer, marked with the municipality that gave it.
    page.goto(base + idea.get_absolute_url())
    status = page.get_by_role("region", name="Hva skjer med ideen")
    expect(
        status.get_by_text("Havbygd støtter ideen og ser på den med Fjordvik.").first
    ).to_be_visible()
    expect(status.get_by_text("Svar fra Havbygd kommune")).to_be_visible()
    assert_no_serious_axe_violations(page)
