"""Ideas in a real browser: the keyboard-only submit journey, voting, following, and axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ideas.models import Follow, Idea, IdeaTag, Vote
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import TEST_PASSWORD, UnitFactory, UserFactory, create_challenge


@pytest.fixture
def intake(settings):
    return UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG, name="Strategi og utvikling")


def log_in(page: Page, base: str, user, prefix: str = "") -> None:
    page.goto(f"{base}{prefix}/accounts/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).not_to_have_text(re.compile("Logg inn|Log in"))


def tab_until_focused(page: Page, locator, limit: int = 40) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("The element never received keyboard focus")


def test_submit_an_answer_to_a_challenge_vote_and_follow_with_the_keyboard(
    page: Page, base: str, intake
):
    challenge = create_challenge(title="Ensomhet blant eldre")
    citizen = UserFactory(display_name="Solveig")
    log_in(page, base, citizen)

    page.goto(f"{base}/ideas/new/?challenge={challenge.pk}")
    expect(page.get_by_label("Utfordring")).to_have_value(str(challenge.pk))
    # Start at the top of the page, like someone who just arrived, and only use keys.
    page.locator("body").focus()
    tab_until_focused(page, page.get_by_label("Tittel"))
    page.keyboard.type("Turvenner for eldre i Nordbyen")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Sammendrag")).to_be_focused()
    page.keyboard.type("Faste turer med frivillige turvenner.")
    page.keyboard.press("Tab")
    page.keyboard.type("Mange eldre går lite ut alene. **Turvenner** kan hjelpe.")
    tab_until_focused(page, page.get_by_label("Stikkord"))
    page.keyboard.type("eldre, friluftsliv")
    submit = page.get_by_role("button", name="Send inn ideen")
    tab_until_focused(page, submit)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Turvenner for eldre i Nordbyen")
    idea = Idea.objects.get()
    expect(page.get_by_text(f"Ideen din har referanse {idea.reference}")).to_be_visible()
    assert idea.challenge_id == challenge.pk
    assert idea.owning_unit_id == challenge.owning_unit_id
    assert sorted(IdeaTag.objects.values_list("name", flat=True)) == ["eldre", "friluftsliv"]
    expect(page.locator(".ideas-markdown strong")).to_have_text("Turvenner")

    # Authors cannot support their own idea; a neighbour can.
    expect(page.get_by_text("Dette er din idé: andre kan støtte den.")).to_be_visible()
    page.context.clear_cookies()
    neighbour = UserFactory(display_name="Per")
    log_in(page, base, neighbour)
    page.goto(f"{base}{idea.get_absolute_url()}")
    page.locator("body").focus()

    # Support with the keyboard; htmx swaps the button and the count in place.
    vote = page.get_by_role("button", name="Støtt denne ideen")
    tab_until_focused(page, vote)
    page.keyboard.press("Enter")
    pressed = page.get_by_role("button", name="Du støtter denne ideen")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#vote-count-{idea.pk}")).to_contain_text("1")
    assert Vote.objects.filter(idea=idea, voter=neighbour).count() == 1

    follow = page.get_by_role("button", name="Følg denne ideen")
    tab_until_focused(page, follow)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Du følger denne ideen")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(f"#follow-status-{idea.pk}")).to_contain_text("Du følger ideen")
    assert Follow.objects.filter(idea=idea, user=neighbour).exists()

    # Both survive a reload, and withdrawing support counts down again.
    page.reload()
    page.get_by_role("button", name="Du støtter denne ideen").click()
    expect(page.locator(f"#vote-count-{idea.pk}")).to_contain_text("0")
    assert not Vote.objects.filter(idea=idea).exists()


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["nb", "en"])
def test_idea_pages_pass_axe(page: Page, base: str, intake, prefix: str):
    from ideas import services

    challenge = create_challenge(title="Klimatilpasning")
    author = UserFactory(display_name="Per")
    idea = services.idea_submit(
        author=author,
        title="Regnbed ved skolen",
        summary="Grønne regnbed tar unna overvann.",
        description="Ved kraftig regn flommer skolegården.\n\n- regnbed\n- grønne tak",
        challenge=challenge,
        tags=["overvann", "skole"],
        location="Elvedalen",
    )

    page.goto(f"{base}{prefix}/ideas/")
    expect(page.get_by_role("link", name="Regnbed ved skolen")).to_be_visible()
    assert_no_serious_axe_violations(page)

    page.goto(f"{base}{prefix}/ideas/{idea.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regnbed ved skolen")
    assert_no_serious_axe_violations(page)

    log_in(page, base, author, prefix)
    page.goto(f"{base}{prefix}/ideas/{idea.reference}/")
    assert_no_serious_axe_violations(page)  # with the author's controls and buttons

    page.goto(f"{base}{prefix}/ideas/new/")
    assert_no_serious_axe_violations(page)
    # A rejected form shows its error summary; that must pass too.
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_no_serious_axe_violations(page)

    page.goto(f"{base}{prefix}/ideas/mine/")
    assert_no_serious_axe_violations(page)


def test_filters_update_the_list_in_place_and_in_the_url(page: Page, base: str, intake):
    from ideas import services

    author = UserFactory()
    for title, tags in (("Gatelys på skoleveien", ["skolevei"]), ("Benker i parken", ["park"])):
        services.idea_submit(author=author, title=title, summary="S", description="D", tags=tags)

    page.goto(f"{base}/ideas/")
    expect(page.locator("#idea-count")).to_contain_text("2 ideer")
    page.get_by_label("Sorter etter").select_option("supported")
    expect(page).to_have_url(re.compile(r"sort=supported"))
    page.goto(f"{base}/ideas/?tag=park")
    expect(page.locator("#idea-count")).to_contain_text("1 idé")
    expect(page.get_by_role("link", name="Benker i parken")).to_be_visible()
    expect(page.get_by_role("link", name="Gatelys på skoleveien")).to_have_count(0)


def test_a_photo_is_shown_upright_and_goes_when_the_idea_is_withdrawn(
    page: Page, base: str, intake, settings, tmp_path
):
    import io

    from PIL import ExifTags, Image

    settings.PORTAL_PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    photo = Image.new("RGB", (40, 20), "blue")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken sideways: turn 90° clockwise to show
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif)
    author = UserFactory(display_name="Aisha")
    log_in(page, base, author)

    page.goto(f"{base}/ideas/new/")
    page.get_by_label("Tittel").fill("Benk ved badeplassen")
    page.get_by_label("Sammendrag").fill("En benk i skyggen.")
    page.get_by_label("Beskrivelse", exact=True).fill("Det er ingen steder å sitte.")
    page.locator("#id_attachment_1").set_input_files(
        files=[{"name": "benk.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}]
    )
    page.locator("#id_alt_text_1").fill("Badeplassen uten benker")
    page.get_by_role("button", name="Send inn ideen").click()

    image = page.get_by_role("img", name="Badeplassen uten benker")
    expect(image).to_be_visible()
    expect(image).to_have_js_property("naturalWidth", 20)
    expect(image).to_have_js_property("naturalHeight", 40)
    assert_no_serious_axe_violations(page)
    image_url = image.get_attribute("src")
    assert page.request.get(base + image_url).status == 200

    Idea.objects.update(status="withdrawn")
    assert page.request.get(base + image_url).status == 200  # still the author's own
    page.context.clear_cookies()
    assert page.request.get(base + image_url).status == 404


def test_next_page_moves_focus_to_the_results_and_announces_the_page(page: Page, base: str):
    from tests.factories import IdeaFactory

    IdeaFactory.create_batch(21)
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(f"{base}/ideas/")
    count = page.locator("#idea-count")
    expect(count).to_contain_text("side 1 av 2")
    count.evaluate("el => { el.__sameNode = true; }")

    pages = page.get_by_role("navigation", name="Sider")
    # The current page is marked the way Designsystemet styles it.
    expect(pages.locator("[aria-current=true]")).to_have_text(re.compile(r"1$"))
    pages.get_by_role("link", name="Neste").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    heading = page.get_by_role("heading", name="Treff")
    expect(heading).to_be_focused()
    expect(count).to_contain_text("side 2 av 2")
    assert count.evaluate("el => el.__sameNode === true")
    assert heading.evaluate("el => el.getBoundingClientRect().top >= 0")
    assert heading.evaluate("el => el.getBoundingClientRect().bottom <= window.innerHeight")
    # Designsystemet gives the current page the filled look, the others none.
    current = pages.locator("[aria-current=true]")
    expect(current).to_have_text(re.compile(r"2$"))
    other = pages.get_by_role("link", name=re.compile(r"^Side 1$"))
    assert current.evaluate("el => getComputedStyle(el).backgroundColor") != other.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )


def test_a_keyboard_user_who_moves_on_while_the_vote_settles_keeps_their_focus(
    page: Page, base: str
):
    """After a swap, focus goes back to the new button only if it was lost: a user who
    has tabbed on meanwhile (htmx settles a moment after the new button shows) keeps
    theirs. Focus taken back there made the next Enter withdraw the support just given."""
    from tests.factories import IdeaFactory

    idea = IdeaFactory(title="Benk ved elva")
    log_in(page, base, UserFactory(display_name="Per"))
    page.goto(f"{base}{idea.get_absolute_url()}")
    # A longer settle than htmx's 20 ms, so that moving on surely happens within it.
    page.evaluate(
        """() => {
            htmx.config.defaultSettleDelay = 300;
            window.settled = new Promise(done =>
                document.addEventListener("htmx:afterSettle", done, { once: true }));
        }"""
    )
    page.get_by_role("button", name="Støtt denne ideen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Du støtter denne ideen")).to_be_visible()
    follow = page.get_by_role("button", name="Følg denne ideen")
    follow.focus()  # tabbing on, before the swap has settled
    page.evaluate("() => window.settled")

    expect(follow).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Du følger denne ideen")).to_be_focused()
    expect(page.get_by_role("button", name="Du støtter denne ideen")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert Vote.objects.filter(idea=idea).count() == 1
    assert Follow.objects.filter(idea=idea).count() == 1
