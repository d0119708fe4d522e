"""Logged-in people get the idea page and the idea list everyone shares, with their own
parts filled in.

Both pages are rendered once for every citizen (ideas.fragments.SlottedHTML), whoever
asks first. These tests make sure one person's support, follow, reports, comments and
controls never reach anyone else, and that everyone's own still show.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ideas import comment_services, fragments, services
from ideas.actions import idea_merge
from ideas.models import Vote
from tests.factories import IdeaFactory, UserFactory, create_challenge

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def page(client: Client, url: str, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    content = response.content.decode()
    assert fragments.CSRF_PLACEHOLDER not in content
    assert fragments.slot_end() not in content  # every slot filled or left at its default
    return content


def flag_urls(content: str) -> set[str]:
    return set(re.findall(r'action="(/[^"]*/flag/)"', content))


def test_each_citizen_sees_only_their_own_support_follow_reports_and_comments():
    idea = IdeaFactory(title="Benker langs fjorden")
    kari, ola = UserFactory(display_name="Kari"), UserFactory(display_name="Ola")
    pers = comment_services.comment_post(
        idea=idea, author=UserFactory(display_name="Per"), text="Per sin kommentar"
    )
    services.vote_cast(idea=idea, voter=kari)
    services.follow_idea(user=kari, idea=idea)
    karis = comment_services.comment_post(idea=idea, author=kari, text="Kari sin kommentar")
    comment_services.comment_flag(comment=pers, user=kari)
    url = idea.get_absolute_url()
    kari_client, ola_client = logged_in(kari), logged_in(ola)

    first = page(kari_client, url)  # Kari's visit renders the page everyone shares
    olas = page(ola_client, url)
    again = page(kari_client, url)
    anonymous = page(Client(), url)

    for karis_page in (first, again):
        assert "Du støtter denne ideen" in karis_page
        assert "Du følger denne ideen" in karis_page
        assert "Du har rapportert denne kommentaren." in karis_page
        assert karis_page.count("Slett kommentaren") == 1  # her own comment, nobody else's
        assert "Lagre endringene" in karis_page  # hers may still be edited
        assert not flag_urls(karis_page)  # one reported already, and her own
    assert "Støtt denne ideen" in olas
    assert "Følg denne ideen" in olas
    for others in (olas, anonymous):
        assert "Du støtter denne ideen" not in others
        assert "Du følger denne ideen" not in others
        assert "Du har rapportert" not in others
        assert "Slett kommentaren" not in others
        assert "Lagre endringene" not in others
    assert flag_urls(olas) == {
        reverse("ideas:comment_flag", kwargs={"comment_id": comment.pk})
        for comment in (pers, karis)
    }
    assert "Logg inn for å støtte denne ideen" in anonymous
    assert not flag_urls(anonymous)


def test_moderation_shows_to_moderators_only_whoever_comes_first():
    idea = IdeaFactory()
    moderator = UserFactory()
    idea.owning_unit.staff.add(moderator)
    kept = comment_services.comment_post(idea=idea, author=UserFactory(), text="Til saken")
    hidden = comment_services.comment_post(idea=idea, author=UserFactory(), text="Utenfor")
    comment_services.comment_hide(comment=hidden, by=moderator)
    url = idea.get_absolute_url()
    citizen_client, moderator_client = logged_in(UserFactory()), logged_in(moderator)

    before = page(citizen_client, url)
    moderators = page(moderator_client, url)
    after = page(citizen_client, url)

    assert "Skjul kommentar" in moderators
    assert "Utenfor" in moderators  # moderators see what they hid, to show it again
    for citizens in (before, after):
        assert "Til saken" in citizens
        assert "Skjul kommentar" not in citizens
        assert "Utenfor" not in citizens
    assert f"comment-{kept.pk}" in after


def test_only_the_author_gets_the_controls_of_their_idea(citizen):
    idea = IdeaFactory(author=citizen)
    url = idea.get_absolute_url()
    edit_url = reverse("ideas:edit", args=[idea.reference])
    other_client = logged_in(UserFactory())

    others = page(other_client, url)
    authors = page(logged_in(citizen), url)
    others_again = page(other_client, url)

    assert "Din idé" in authors
    assert edit_url in authors
    assert "Dette er din idé: andre kan støtte den." in authors
    assert "Støtt denne ideen" not in authors
    for other in (others, others_again):
        assert "Din idé" not in other
        assert edit_url not in other
        assert "Støtt denne ideen" in other


def test_the_forms_on_the_shared_page_carry_the_persons_own_csrf_token(citizen):
    idea = IdeaFactory()
    url = idea.get_absolute_url()
    page(logged_in(UserFactory(), enforce_csrf_checks=True), url)  # the shared page is made
    client = logged_in(citizen, enforce_csrf_checks=True)

    content = page(client, url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
    response = client.post(
        reverse("ideas:vote", args=[idea.reference]),
        {"csrfmiddlewaretoken": token, "action": "support"},
    )

    assert response.status_code == 302
    assert Vote.objects.filter(idea=idea, voter=citizen).exists()
    assert "Du støtter denne ideen" in page(client, url)


def test_an_idea_answering_a_restricted_challenge_names_it_only_to_those_let_in(citizen):
    from wagtail.models import PageViewRestriction

    challenge = create_challenge(title="Intern utfordring")
    PageViewRestriction.objects.create(
        page=challenge, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    idea = IdeaFactory(challenge=challenge)

    content = page(logged_in(citizen), idea.get_absolute_url())

    assert "Intern utfordring" not in content


def test_the_list_marks_only_what_each_person_supports(citizen):
    mine = IdeaFactory(title="Lys i undergangen")
    IdeaFactory(title="Benker langs fjorden")
    services.vote_cast(idea=mine, voter=citizen)
    other_client = logged_in(UserFactory())

    for extra in ({}, HTMX):
        before = page(other_client, "/ideas/", **extra)  # fills the shared list
        mine_shown = page(logged_in(citizen), "/ideas/", **extra)
        after = page(other_client, "/ideas/", **extra)
        anonymous = page(Client(), "/ideas/", **extra)

        cards = mine_shown.split("<article")[1:]
        marked = [card for card in cards if "Du støtter denne" in card]
        assert len(marked) == 1
        assert "Lys i undergangen" in marked[0]
        for others in (before, after, anonymous):
            assert "Benker langs fjorden" in others
            assert "Du støtter denne" not in others


@pytest.mark.parametrize(("url_name", "cold"), [("detail", 14), ("list", 14)])
def test_logged_in_pages_cost_at_most_eight_queries(
    citizen, url_name, cold, django_assert_max_num_queries
):
    idea = IdeaFactory(challenge=create_challenge())
    comment_services.comment_post(idea=idea, author=UserFactory(), text="Første")
    comment_services.comment_post(idea=idea, author=citizen, text="Min egen")
    services.vote_cast(idea=idea, voter=citizen)
    services.follow_idea(user=citizen, idea=idea)
    IdeaFactory.create_batch(5)
    url = idea.get_absolute_url() if url_name == "detail" else reverse("ideas:list")
    client = logged_in(citizen)
    client.get("/")  # the site's menu settings are created on the first request

    # Cold: the first visitor after a change renders the shared parts (what anyone
    # would), then their own.
    with django_assert_max_num_queries(cold):
        assert client.get(url).status_code == 200
    # Warm: the session, the user, and what is this person's own.
    with django_assert_max_num_queries(8):
        content = page(client, url)

    assert "Du støtter denne" in content


def test_a_citizens_own_marks_change_on_the_next_page_whatever_they_do(citizen):
    """What is one's own on the idea page is cached per person (selectors.idea_page_marks);
    each of their own writes, one at a time, shows on the very next page."""
    idea = IdeaFactory()
    theirs = comment_services.comment_post(idea=idea, author=UserFactory(), text="Utenfor")
    url = idea.get_absolute_url()
    client = logged_in(citizen)
    first = page(client, url)
    assert "Støtt denne ideen" in first
    assert "Følg denne ideen" in first
    assert flag_urls(first)

    services.follow_idea(user=citizen, idea=idea)
    assert "Du følger denne ideen" in page(client, url)
    comment_services.comment_flag(comment=theirs, user=citizen)
    assert "Du har rapportert denne kommentaren." in page(client, url)
    services.vote_cast(idea=idea, voter=citizen)
    assert "Du støtter denne ideen" in page(client, url)
    services.unfollow_idea(user=citizen, idea=idea)
    assert "Du følger denne ideen" not in page(client, url)
    services.vote_withdraw(idea=idea, voter=citizen)
    assert "Du støtter denne ideen" not in page(client, url)


def test_support_moved_by_a_merge_shows_on_the_ideas_page(citizen):
    """A merge moves votes and follows with a queryset update, which sends no signal."""
    source, target = IdeaFactory(), IdeaFactory()
    services.vote_cast(idea=source, voter=citizen)
    services.follow_idea(user=citizen, idea=source)
    client = logged_in(citizen)
    assert "Støtt denne ideen" in page(client, target.get_absolute_url())

    idea_merge(idea=source, into=target, by=UserFactory(is_superuser=True, is_staff=True))

    merged = page(client, target.get_absolute_url())
    assert "Du støtter denne ideen" in merged
    assert "Du følger denne ideen" in merged


def test_becoming_a_moderator_shows_the_moderation_controls_at_once():
    idea = IdeaFactory()
    comment_services.comment_post(idea=idea, author=UserFactory(), text="Til saken")
    person = UserFactory()
    client = logged_in(person)
    assert "Skjul kommentar" not in page(client, idea.get_absolute_url())

    idea.owning_unit.staff.add(person)

    assert "Skjul kommentar" in page(client, idea.get_absolute_url())


def test_a_citizen_reading_an_idea_page_again_costs_no_query(
    citizen, site_settings, django_assert_max_num_queries
):
    """Session, person, page and their own marks all come from caches while nobody writes."""
    idea = IdeaFactory()
    services.vote_cast(idea=idea, voter=citizen)
    client = logged_in(citizen)
    page(client, idea.get_absolute_url())

    with django_assert_max_num_queries(0):
        assert "Du støtter denne ideen" in page(client, idea.get_absolute_url())


def test_the_list_shows_a_citizens_support_change_on_the_next_page(citizen, site_settings):
    """Which ideas on the list one supports is cached per person until it changes."""
    idea = IdeaFactory(title="Lys i undergangen")
    client = logged_in(citizen)
    assert "Du støtter denne" not in page(client, "/ideas/")

    services.vote_cast(idea=idea, voter=citizen)
    assert "Du støtter denne" in page(client, "/ideas/")
    services.vote_withdraw(idea=idea, voter=citizen)
    assert "Du støtter denne" not in page(client, "/ideas/")


def test_a_citizen_reading_the_list_again_costs_no_query(
    citizen, site_settings, django_assert_max_num_queries
):
    idea = IdeaFactory()
    IdeaFactory.create_batch(3)
    services.vote_cast(idea=idea, voter=citizen)
    client = logged_in(citizen)
    page(client, "/ideas/")

    with django_assert_max_num_queries(0):
        assert "Du støtter denne" in page(client, "/ideas/")
