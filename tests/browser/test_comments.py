"""Commenting and replying on a real idea page, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import TEST_PASSWORD, IdeaFactory, UnitFactory, UserFactory


@pytest.fixture
def idea(base):
    unit = UnitFactory(name="Helse og omsorg", slug="helse-og-omsorg")
    return IdeaFactory(title="Møteplass for eldre på biblioteket", owning_unit=unit)


def idea_comments(idea):
    from ideas.comments import comments_of

    return list(comments_of(idea))


def log_in(page: Page, base: str, email: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def test_comment_and_reply_on_an_idea_page(page: Page, base: str, idea, mailoutbox):
    from ideas import comment_services

    first_author = UserFactory(email="forste@example.no", display_name="Astrid")
    comment_services.comment_post(
        idea=idea, author=first_author, text="Kan dette være åpent i helgene?", notify_replies=True
    )
    UserFactory(email="kari@example.no", display_name="Kari")
    url = idea.get_absolute_url()

    log_in(page, base, "kari@example.no", url)
    expect(page.get_by_role("heading", level=1)).to_have_text(idea.title)
    comments = page.locator("#comments")

    # A new comment, through htmx.
    comments.get_by_label("Din kommentar").fill("Dette er en **flott** idé!")
    comments.get_by_role("button", name="Publiser kommentar").click()
    expect(comments.get_by_text("Kommentaren din er publisert.")).to_be_visible()
    expect(comments.locator("strong", has_text="flott")).to_be_visible()
    expect(comments.get_by_role("heading", level=2)).to_contain_text("(2)")

    # A reply to Astrid's comment.
    comments.get_by_text("Svar til Astrid").click()
    comments.get_by_label("Ditt svar").first.fill("Ja, det håper jeg også!")
    comments.get_by_role("button", name="Send svar").first.click()
    expect(comments.get_by_text("Svaret ditt er publisert.")).to_be_visible()
    replies = comments.get_by_role("list", name="Svar til Astrid")
    # (The text is also in the form to edit it, closed: Kari wrote the reply.)
    expect(replies.locator("p", has_text="Ja, det håper jeg også!")).to_be_visible()
    assert [m.to for m in mailoutbox] == [["forste@example.no"]]

    assert_no_serious_axe_violations(page)
    page.goto(base + "/en" + url)
    expect(page.locator("#comments").get_by_role("heading", level=2)).to_contain_text("(3)")
    assert_no_serious_axe_violations(page)

    # The page with a single reply form (and, after an error, the form again).
    first = idea_comments(idea)[0]
    for prefix in ("", "/en"):
        page.goto(f"{base}{prefix}/ideas/comments/{first.pk}/reply/")
        expect(page.get_by_text("Kan dette være åpent i helgene?")).to_be_visible()
        assert_no_serious_axe_violations(page)


def test_commenting_works_without_javascript(browser: Browser, base: str, idea):
    UserFactory(email="nojs@example.no", display_name="Nils")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    url = idea.get_absolute_url()
    log_in(page, base, "nojs@example.no", url)

    page.get_by_label("Din kommentar").fill("Uten JavaScript")
    page.get_by_role("button", name="Publiser kommentar").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    expect(page.get_by_text("Kommentaren din er publisert.")).to_be_visible()
    comment = page.locator("article.idea-comment", has_text="Uten JavaScript")
    expect(comment).to_be_visible()

    # An empty comment is refused with the reason, on a page of its own.
    page.get_by_role("button", name="Publiser kommentar").click()
    expect(page.get_by_text("Skriv en kommentar før du sender.").first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv en kommentar")
    context.close()


def test_anonymous_visitors_are_asked_to_log_in(page: Page, base: str, idea):
    page.goto(base + idea.get_absolute_url())
    link = page.locator("#comments").get_by_role("link", name="Logg inn for å kommentere")
    expect(link).to_be_visible()
    assert_no_serious_axe_violations(page)


MARK_NODE = "el => { el.__sameNode = true; }"
IS_SAME_NODE = "el => el.__sameNode === true"


def test_posting_moves_focus_to_the_new_comment_and_announces_it(page: Page, base: str, idea):
    UserFactory(email="kari@example.no", display_name="Kari")
    log_in(page, base, "kari@example.no", idea.get_absolute_url())
    comments = page.locator("#comments")
    status = comments.locator("[aria-live=polite]")
    expect(status).to_have_count(1)
    # Screen readers only announce changes to a live region they already know, so the
    # region must stay the same element while its text changes.
    status.evaluate(MARK_NODE)

    comments.get_by_label("Din kommentar").fill("Kan biblioteket holde åpent lenger?")
    comments.get_by_role("button", name="Publiser kommentar").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Kommentaren din er publisert.")
    assert status.evaluate(IS_SAME_NODE)
    new_comment = comments.locator("article.idea-comment", has_text="Kan biblioteket")
    expect(new_comment).to_be_focused()
    expect(comments.get_by_role("heading", level=2)).to_contain_text("(1)")

    # An empty comment: focus goes to the field that needs correcting, which says why.
    comments.get_by_role("button", name="Publiser kommentar").focus()
    page.keyboard.press("Enter")
    field = comments.get_by_label("Din kommentar")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(comments.get_by_text("Skriv en kommentar før du sender.")).to_be_visible()
    assert status.evaluate(IS_SAME_NODE)
    expect(status).to_have_text("")

    # A reply goes the same way, and the next Tab continues from the new reply.
    comments.get_by_text("Svar til Kari").click()
    comments.get_by_label("Ditt svar").fill("Ja, til klokka ti!")
    comments.get_by_role("button", name="Send svar").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Svaret ditt er publisert.")
    expect(comments.locator("article.idea-comment", has_text="Ja, til klokka ti!")).to_be_focused()
    assert status.evaluate(IS_SAME_NODE)
    assert_no_serious_axe_violations(page)


def test_a_refused_comment_keeps_focus_and_text_in_the_form(page: Page, base: str, idea, settings):
    settings.PORTAL_RATE_LIMITS = {
        **settings.PORTAL_RATE_LIMITS,
        "comment": {"user": (1, 600), "ip": (1_000, 600)},
    }
    UserFactory(email="kari@example.no", display_name="Kari")
    log_in(page, base, "kari@example.no", idea.get_absolute_url())
    comments = page.locator("#comments")
    status = comments.locator("[aria-live=polite]")
    status.evaluate(MARK_NODE)
    field = comments.get_by_label("Din kommentar")
    field.fill("Første kommentar")
    comments.get_by_role("button", name="Publiser kommentar").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Kommentaren din er publisert.")

    # Over the limit: the status says so, and focus and the text stay in the form.
    field.fill("Andre kommentar")
    comments.get_by_role("button", name="Publiser kommentar").focus()
    page.keyboard.press("Enter")
    expect(status).not_to_have_text("Kommentaren din er publisert.")
    expect(status).not_to_have_text("")
    assert status.evaluate(IS_SAME_NODE)
    expect(field).to_have_value("Andre kommentar")
    expect(field).to_be_focused()


def test_editing_and_deleting_ones_own_comment_with_the_keyboard(page: Page, base: str, idea):
    from ideas import comment_services

    kari = UserFactory(email="kari@example.no", display_name="Kari")
    mine = comment_services.comment_post(
        idea=idea, author=kari, text="Kan biblioteket holde åpent til klokka ni?"
    )
    comment_services.comment_post(
        idea=idea, author=UserFactory(display_name="Ola"), text="Ja, gjerne!", parent=mine
    )
    log_in(page, base, "kari@example.no", idea.get_absolute_url())
    comments = page.locator("#comments")
    status = comments.locator("[aria-live=polite]")
    status.evaluate(MARK_NODE)
    article = comments.locator(f"#comment-{mine.pk}")
    # Others get no such controls on their comments.
    expect(comments.locator("summary", has_text="Rediger")).to_have_count(1)

    # Edit: open the disclosure, change the text, save; focus returns to the comment.
    article.locator("summary", has_text="Rediger").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    field = article.get_by_label("Endre kommentaren din")
    expect(field).to_be_focused()
    expect(field).to_have_value("Kan biblioteket holde åpent til klokka ni?")
    page.keyboard.press("Control+A")
    page.keyboard.type("Kan biblioteket holde åpent til klokka ti?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(status).to_have_text("Kommentaren din er oppdatert.")
    assert status.evaluate(IS_SAME_NODE)
    expect(article).to_be_focused()
    expect(article).to_contain_text("klokka ti?")
    expect(article).to_contain_text("Redigert")
    assert_no_serious_axe_violations(page)

    # The page of its own, for links and browsers without JavaScript.
    page.goto(f"{base}/ideas/comments/{mine.pk}/edit/")
    expect(page.get_by_label("Endre kommentaren din")).to_have_value(
        "Kan biblioteket holde åpent til klokka ti?"
    )
    assert_no_serious_axe_violations(page)
    page.goto(base + idea.get_absolute_url())
    status.evaluate(MARK_NODE)

    # Delete: the disclosure asks first; the reply stays under a placeholder.
    article.locator("summary", has_text="Slett").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(article.get_by_role("button", name="Slett kommentaren")).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Kommentaren din er slettet.")
    assert status.evaluate(IS_SAME_NODE)
    expect(article).to_be_focused()
    expect(article).to_contain_text("Kommentaren er slettet")
    expect(article).not_to_contain_text("klokka ti")
    expect(comments.get_by_role("list", name="Svar på en slettet kommentar")).to_contain_text(
        "Ja, gjerne!"
    )
    expect(comments.locator("summary", has_text="Rediger")).to_have_count(0)
    assert_no_serious_axe_violations(page)
