# ruff: noqa: F811 - pytest fixtures imported from test_services
"""The public and author-facing idea pages, through HTTP."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks.signals import task_enqueued

from ideas import actions, services
from ideas.models import Follow, Idea, IdeaEvent, IdeaKind, IdeaStatus, IdeaTag, Vote
from tests.challenges.test_selectors import challenges, group  # noqa: F401 - fixtures
from tests.factories import (
    IdeaFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ThemeFactory,
    UnitFactory,
    UserFactory,
    create_challenge,
)
from tests.ideas.test_services import (  # noqa: F401 - fixtures
    intake_unit,
    media_root,
    pdf_file,
    png_file,
    stored_files,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail_url(idea: Idea) -> str:
    return reverse("ideas:detail", kwargs={"reference": idea.reference})


def form_data(**overrides) -> dict:
    data = {
        "title": "Gatelys på skoleveien",
        "summary": "Mørk skolevei om vinteren.",
        "description": "Strekningen forbi **Fjordvik skole** mangler lys.",
        "kind": IdeaKind.IDEA,
        "tags": "skolevei, trafikksikkerhet",
        "location": "Skoleveien",
        "challenge": "",
        "theme": "",
        "website": "",
    }
    data.update(overrides)
    return data


# --- List -------------------------------------------------------------------------------------


def test_the_list_shows_only_public_ideas(client):
    visible = IdeaFactory(title="Synlig idé")
    IdeaFactory(title="Trukket idé", status=IdeaStatus.WITHDRAWN)
    IdeaFactory(title="Skjult idé", is_hidden=True)
    IdeaFactory(title="Slått sammen", status=IdeaStatus.MERGED, merged_into=visible)

    response = client.get(reverse("ideas:list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Synlig idé" in content
    assert "Trukket idé" not in content
    assert "Skjult idé" not in content
    assert "Slått sammen" not in content


def titles(response) -> list[str]:
    return [idea.title for idea in response.context["ideas"]]


def test_the_list_filters_by_challenge_theme_tag_status_unit_and_kind(client):
    challenge = create_challenge(title="Overvann")
    theme = ThemeFactory(name="Klima")
    unit = UnitFactory(name="Teknisk")
    organisation = OrganisationFactory()
    tagged = IdeaFactory(title="Med tagg")
    tagged.tags.add(IdeaTag.objects.create(name="Regnbed", slug="regnbed"))
    IdeaFactory(title="Svar på floke", challenge=challenge)
    IdeaFactory(title="Tema", theme=theme)
    IdeaFactory(title="Godtatt", status=IdeaStatus.ACCEPTED)
    IdeaFactory(title="Enhetens", owning_unit=unit)
    IdeaFactory(title="Forslag", kind=IdeaKind.PROPOSAL, organisation=organisation)

    url = reverse("ideas:list")
    assert titles(client.get(url, {"challenge": challenge.pk})) == ["Svar på floke"]
    assert titles(client.get(url, {"theme": theme.slug})) == ["Tema"]
    assert titles(client.get(url, {"tag": "regnbed"})) == ["Med tagg"]
    assert titles(client.get(url, {"status": IdeaStatus.ACCEPTED})) == ["Godtatt"]
    assert titles(client.get(url, {"unit": unit.slug})) == ["Enhetens"]
    assert titles(client.get(url, {"kind": IdeaKind.PROPOSAL})) == ["Forslag"]


def test_old_links_with_theme_and_unit_ids_redirect_to_the_slugs(client):
    theme = ThemeFactory(slug="klima")
    unit = UnitFactory(slug="teknisk")

    response = client.get(
        reverse("ideas:list"), {"theme": theme.pk, "unit": unit.pk, "status": "accepted"}
    )

    assert response.status_code == 301
    assert response.url == f"{reverse('ideas:list')}?theme=klima&unit=teknisk&status=accepted"


def test_one_unknown_filter_value_keeps_the_other_filters_and_says_so(client):
    IdeaFactory(title="Godtatt", status=IdeaStatus.ACCEPTED)
    IdeaFactory(title="Ny")

    response = client.get(reverse("ideas:list"), {"status": "accepted", "theme": "finnes-ikke"})

    assert titles(response) == ["Godtatt"]
    content = response.content.decode()
    assert "«finnes-ikke»" in content
    assert "De andre filtrene gjelder fortsatt." in content
    # The same with htmx, which only swaps the results.
    response = client.get(reverse("ideas:list"), {"status": "accepted", "sort": "best"}, **HTMX)
    assert titles(response) == ["Godtatt"]
    assert "«best»" in response.content.decode()


def test_the_list_sorts_and_keeps_its_state_in_the_url(client):
    quiet = IdeaFactory(title="Stille", support_count=1, comment_count=9)
    popular = IdeaFactory(title="Populær", support_count=7, comment_count=0)
    Idea.objects.filter(pk=quiet.pk).update(updated_at=timezone.now() + datetime.timedelta(hours=1))
    url = reverse("ideas:list")

    assert titles(client.get(url, {"sort": "newest"})) == ["Populær", "Stille"]
    assert titles(client.get(url, {"sort": "supported"})) == ["Populær", "Stille"]
    assert titles(client.get(url, {"sort": "discussed"})) == ["Stille", "Populær"]
    assert titles(client.get(url, {"sort": "updated"})) == ["Stille", "Populær"]
    assert popular.pk  # both exist


def test_the_list_paginates_with_the_filters_in_the_page_links(client):
    theme = ThemeFactory()
    IdeaFactory.create_batch(25, theme=theme)

    response = client.get(reverse("ideas:list"), {"theme": theme.slug, "sort": "supported"})

    assert len(response.context["ideas"]) == 20
    assert f"?theme={theme.slug}&amp;sort=supported&amp;page=2" in response.content.decode()
    second = client.get(reverse("ideas:list"), {"theme": theme.slug, "page": 2})
    assert len(second.context["ideas"]) == 5


def test_htmx_gets_only_the_results_and_the_count(client):
    IdeaFactory(title="Idé i fragment")

    response = client.get(reverse("ideas:list"), **HTMX)

    content = response.content.decode()
    assert 'id="idea-results"' in content
    assert 'data-hx-swap-oob="innerHTML"' in content
    assert "<html" not in content
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("size", [5, 50])
def test_the_list_costs_the_same_number_of_queries_at_any_size(
    client, citizen, size, site_settings, django_assert_max_num_queries
):
    challenge = create_challenge()
    organisation = OrganisationFactory()
    tags = [IdeaTag.objects.create(name=f"tagg {n}") for n in range(3)]
    for number in range(size):
        idea = IdeaFactory(
            challenge=challenge,
            theme=challenge.theme,
            kind=IdeaKind.PROPOSAL,
            organisation=organisation,
        )
        idea.tags.add(*tags)
        Vote.objects.create(idea=idea, voter=citizen)
        if number % 2:
            Follow.objects.create(idea=idea, user=citizen)
    client.force_login(citizen)

    # Cold (the site's first request: its routes, then the list, then the support counts
    # written into it as live figures); warm, only the person's support of the ideas shown.
    for budget in (19, 8):
        with django_assert_max_num_queries(budget):
            response = client.get(reverse("ideas:list"), {"per_page": 50})
        content = response.content.decode()
        assert content.count('<article class="ds-card ideas-card"') == size
        assert content.count("Du støtter denne") == size


@pytest.mark.parametrize("query", [{}, {"sort": "supported", "tag": "eldre"}])
def test_a_warm_municipality_list_does_not_build_the_filter_choices(
    client, query, site_settings, monkeypatch
):
    """The filter's challenges, themes and units are narrowed for the municipality only
    when the form is validated or rendered: a warm request, answered from the cached
    list and filter fields, skips that work (it cost more than the rest of the request),
    and still shows the same page."""
    from challenges.municipal_sites import ensure_home
    from ideas import forms

    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    ensure_home(havbygd)
    unit = UnitFactory(slug="havbygd-havn", municipality=havbygd)
    idea = IdeaFactory(title="Flytende søppelfangere", owning_unit=unit)
    idea.tags.add(IdeaTag.objects.create(name="eldre"))
    UnitFactory(slug="fjordvik-oppvekst")
    narrowed = []
    visible_to = forms.challenges_visible_to
    monkeypatch.setattr(
        forms, "challenges_visible_to", lambda user: narrowed.append(user) or visible_to(user)
    )

    def page() -> str:
        html = client.get("/havbygd/ideer/", query).content.decode()
        return re.sub(r'"X-CSRFToken": "\w+"', "", html)  # new for every response

    cold = page()
    assert len(narrowed) == 1
    warm = page()

    assert len(narrowed) == 1  # not again
    assert warm == cold
    assert "Flytende søppelfangere" in warm and 'value="havbygd-havn"' in warm
    assert "fjordvik-oppvekst" not in warm
    assert ("Vis alle stikkord" in warm) == bool(query)  # the tag filtered by


# --- Detail -----------------------------------------------------------------------------------


def test_the_detail_shows_the_idea_without_the_authors_email(client):
    author = UserFactory(email="hemmelig@example.no", display_name="Kari N.")
    challenge = create_challenge(title="Ensomhet blant eldre")
    idea = IdeaFactory(
        author=author,
        challenge=challenge,
        description="Vi trenger **møteplasser**.\n\n- kafé\n- bibliotek",
        location="Torget",
    )
    idea.tags.add(IdeaTag.objects.create(name="møteplass"))

    response = client.get(detail_url(idea))

    content = response.content.decode()
    assert response.status_code == 200
    assert idea.reference in content
    assert "Kari N." in content
    assert "hemmelig@example.no" not in content
    assert "<strong>møteplasser</strong>" in content
    assert "<li>kafé</li>" in content
    assert "Ensomhet blant eldre" in content
    assert "#møteplass" in content
    assert "Torget" in content
    assert 'aria-pressed="false"' not in content  # anonymous people get a log-in link
    assert reverse("accounts:login") in content


def test_the_detail_shows_the_public_timeline_but_not_internal_notes(client):
    idea = IdeaFactory()
    IdeaEvent.objects.create(
        idea=idea, kind=IdeaEvent.Kind.ANSWER, public_text="Vi ser på saken nå."
    )
    IdeaEvent.objects.create(
        idea=idea, kind=IdeaEvent.Kind.NOTE, internal_note="Dyr løsning", is_internal=True
    )

    response = client.get(detail_url(idea))

    assert [event.is_internal for event in response.context["public_events"]] == [False]
    assert "Dyr løsning" not in response.content.decode()


def test_the_implementation_result_stays_the_headline_after_a_later_answer(client):
    from tests.ideas.triage_helpers import staff_of

    unit = UnitFactory()
    staff = staff_of(unit)
    idea = IdeaFactory(status=IdeaStatus.ACCEPTED, owning_unit=unit)
    actions.idea_transition(
        idea=idea,
        to=IdeaStatus.IMPLEMENTED,
        by=staff,
        public_reason="Lysene står nå langs hele veien.",
    )
    actions.idea_answer(idea=idea, by=staff, text="Takk for alle innspill i kommentarene.")

    content = client.get(detail_url(idea)).content.decode()

    headline = content.split('class="ds-card ideas-status__answer"', 1)[1].split("</div>", 1)[0]
    assert "Resultatet" in headline
    assert "Lysene står nå langs hele veien." in headline
    assert "Takk for alle innspill" not in headline
    # The later answer is still public, further down in the history.
    timeline = content.split('class="ideas-timeline"', 1)[1]
    assert "Takk for alle innspill i kommentarene." in timeline


def test_images_are_shown_with_their_description(client, intake_unit, media_root):
    idea = services.idea_submit(
        author=UserFactory(),
        title="Benk",
        summary="Benk",
        description="Benk",
        attachments=[
            services.AttachmentUpload(png_file(), alt_text="Skisse av benken"),
            services.AttachmentUpload(pdf_file("tegning.pdf")),
        ],
    )

    content = client.get(detail_url(idea)).content.decode()

    assert 'alt="Skisse av benken"' in content
    assert "tegning.pdf" in content


@pytest.mark.parametrize("size", [5, 50])
def test_the_detail_costs_the_same_number_of_queries_at_any_size(
    client, citizen, size, django_assert_max_num_queries
):
    idea = IdeaFactory(challenge=create_challenge(), theme=ThemeFactory())
    idea.tags.add(*[IdeaTag.objects.create(name=f"tagg {n}") for n in range(size)])
    for number in range(size):
        IdeaEvent.objects.create(
            idea=idea, kind=IdeaEvent.Kind.ANSWER, public_text=f"Svar {number}"
        )
        Vote.objects.create(idea=idea, voter=UserFactory())
    client.force_login(citizen)
    for _warm_up in range(2):  # the site, menus and page routes are cached on first use
        client.get(detail_url(idea))

    with django_assert_max_num_queries(8):
        response = client.get(detail_url(idea))

    assert response.status_code == 200
    assert f"#tagg {size - 1}<" in response.content.decode()
    assert f"Svar {size - 1}" in response.content.decode()


def _discuss(idea: Idea, comments: int) -> list:
    """`comments` comments on the idea, every third a reply, some by the owning unit."""
    from ideas import comment_services

    staff = UserFactory(display_name="Saksbehandler Siri")
    idea.owning_unit.staff.add(staff)
    posted, threads = [], []
    for number in range(comments):
        author = staff if number % 5 == 0 else UserFactory(display_name=f"Innbygger {number}")
        parent = threads[-1] if number % 3 == 2 and threads else None
        comment = comment_services.comment_post(
            idea=idea, author=author, text=f"Kommentar **{number}**", parent=parent
        )
        if parent is None:
            threads.append(comment)
        posted.append(comment)
    return posted


@pytest.mark.parametrize("viewer", ["anonymous", "citizen", "unit_staff"])
@pytest.mark.parametrize("comments", [5, 40])
def test_the_detail_with_a_long_discussion_costs_the_same_number_of_queries(
    client, viewer, comments, django_assert_max_num_queries
):
    idea = IdeaFactory(challenge=create_challenge(), theme=ThemeFactory())
    idea.tags.add(IdeaTag.objects.create(name="eldre"))
    IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.ANSWER, public_text="Vi ser på det.")
    _discuss(idea, comments)
    if viewer == "citizen":
        client.force_login(UserFactory())
    elif viewer == "unit_staff":
        client.force_login(idea.owning_unit.staff.get())
    for _warm_up in range(2):  # the site, menus and page routes are cached on first use
        client.get(detail_url(idea))

    # Moderators get the page rendered for them (hidden comments, hide buttons).
    with django_assert_max_num_queries(12 if viewer == "unit_staff" else 8):
        response = client.get(detail_url(idea))

    content = response.content.decode()
    assert content.count('<article id="comment-') == comments
    assert f"<strong>{comments - 1}</strong>" in content
    assert f"({comments})" in content
    # Only people who are logged in get the forms to report comments and to reply.
    assert ("Rapporter" in content) is (viewer != "anonymous")
    assert ('class="idea-comments__reply"' in content) is (viewer != "anonymous")
    assert ("Skjul kommentar" in content) is (viewer == "unit_staff")


def test_what_anyone_sees_on_the_idea_page_is_never_stale(client, intake_unit):
    """The page is cached for people who are not logged in, under a digest of its
    content: every change shows at once."""
    from ideas import comment_services

    idea = IdeaFactory(title="Benker langs fjorden")
    first, reply = _discuss(idea, 3)[1:3]
    assert client.get(detail_url(idea)).status_code == 200  # now cached

    comment_services.comment_hide(comment=first, by=idea.owning_unit.staff.get())
    content = client.get(detail_url(idea)).content.decode()
    assert "Kommentar <strong>1</strong>" not in content
    assert "Kommentar <strong>2</strong>" not in content  # the reply to it goes too
    assert "(1)" in content

    author = reply.user
    author.display_name = "Nytt Navn"
    author.save()
    comment_services.comment_show(comment=first, by=idea.owning_unit.staff.get())
    assert "Nytt Navn" in client.get(detail_url(idea)).content.decode()

    Idea.objects.filter(pk=idea.pk).update(title="Benker og bord langs fjorden", support_count=7)
    IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.ANSWER, public_text="Bestilt.")
    idea.tags.add(IdeaTag.objects.create(name="friluftsliv"))
    content = client.get(detail_url(idea)).content.decode()
    assert "Benker og bord langs fjorden" in content
    assert '<strong class="ideas-count">7</strong>' in content
    assert "Bestilt." in content
    assert "#friluftsliv" in content

    with translation.override("en"):
        content = client.get(detail_url(idea)).content.decode()
    assert "Comments" in content and "Kommentarer" not in content


@pytest.mark.parametrize(
    "fields", [{"status": IdeaStatus.WITHDRAWN}, {"is_hidden": True}], ids=["withdrawn", "hidden"]
)
def test_withdrawn_and_hidden_ideas_are_not_found_by_the_public(client, citizen_client, fields):
    idea = IdeaFactory(**fields)

    assert client.get(detail_url(idea)).status_code == 404
    assert citizen_client.get(detail_url(idea)).status_code == 404


def test_the_author_may_open_their_withdrawn_idea(client):
    idea = IdeaFactory(status=IdeaStatus.WITHDRAWN)
    client.force_login(idea.author)

    response = client.get(detail_url(idea))

    assert response.status_code == 200
    assert "not shown publicly" in response.content.decode() or response.context["idea"] == idea


def test_the_author_opens_their_hidden_idea_and_reads_why_it_was_hidden(client):
    from ideas.actions import idea_hide

    idea = IdeaFactory(title="Min skjulte idé")
    admin = UserFactory(is_superuser=True)
    idea_hide(idea=idea, by=admin, reason="Navn på <naboen> er fjernet fra offentligheten.")
    client.force_login(idea.author)

    response = client.get(detail_url(idea))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Skjult av kommunen: Navn på &lt;naboen&gt; er fjernet fra offentligheten." in content
    assert "Det er ikke lenger mulig å støtte denne ideen." in content
    assert "Kommentarfeltet er stengt fordi ideen er skjult." in content
    assert "<textarea" not in content
    assert reverse("ideas:follow", args=[idea.reference]) not in content  # it would 404
    mine = client.get(reverse("ideas:mine")).content.decode()
    assert f'href="{detail_url(idea)}"' in mine
    with translation.override("en"):
        english = client.get(detail_url(idea)).content.decode()
    assert "Hidden by the municipality: Navn på &lt;naboen&gt;" in english


def test_a_merged_idea_redirects_to_the_one_it_was_merged_into_with_a_note(client):
    target = IdeaFactory()
    merged = IdeaFactory(status=IdeaStatus.MERGED, merged_into=target)

    response = client.get(detail_url(merged))

    assert response.status_code == 302
    assert response["Location"] == detail_url(target)
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(merged.reference in note for note in notes)


# --- Submit -----------------------------------------------------------------------------------


def test_submitting_needs_a_login(client):
    response = client.get(reverse("ideas:submit"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_submit_form_preselects_an_open_challenge(citizen_client):
    challenge = create_challenge(title="Tidlig innsats")

    response = citizen_client.get(reverse("ideas:submit"), {"challenge": challenge.pk})

    assert response.context["form"]["challenge"].value() == challenge.pk
    assert "does not accept ideas" not in response.content.decode()


def test_submit_form_says_clearly_when_the_challenge_is_closed(citizen_client):
    today = timezone.localdate()
    challenge = create_challenge(
        title="Gammel floke",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=2),
    )

    response = citizen_client.get(reverse("ideas:submit"), {"challenge": challenge.pk})

    content = response.content.decode()
    assert response.context["closed_challenge"] == challenge
    assert "Gammel floke" in content
    assert not response.context["form"]["challenge"].value()
    # Closed challenges are not offered in the list either.
    assert challenge.pk not in [c.pk for c in response.context["form"].fields["challenge"].queryset]


def test_people_without_organisations_do_not_get_the_proposal_fields(citizen_client):
    form = citizen_client.get(reverse("ideas:submit")).context["form"]
    assert "organisation" not in form.fields
    assert "kind" not in form.fields


def test_members_see_only_their_own_organisations(client):
    member = UserFactory()
    own = OrganisationFactory(name="Fjordtech AS")
    own.members.add(member)
    OrganisationFactory(name="Annen bedrift AS")
    client.force_login(member)

    form = client.get(reverse("ideas:submit")).context["form"]

    assert list(form.fields["organisation"].queryset) == [own]


def test_a_valid_submission_creates_the_idea_and_redirects_to_it(
    citizen_client, citizen, intake_unit, django_capture_on_commit_callbacks
):
    challenge = create_challenge()

    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(reverse("ideas:submit"), form_data(challenge=challenge.pk))

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(idea)
    assert idea.author == citizen
    assert idea.challenge == challenge
    assert sorted(idea.tags.values_list("name", flat=True)) == ["skolevei", "trafikksikkerhet"]


def test_where_several_municipalities_take_part_a_free_idea_goes_to_the_chosen_one(
    citizen_client, intake_unit
):
    form_url = reverse("ideas:submit")
    assert 'name="municipality"' not in citizen_client.get(form_url).content.decode()

    havbygd = MunicipalityFactory(name="Havbygd kommune")
    havbygd.intake_unit = UnitFactory(name="Havbygd servicetorg", municipality=havbygd)
    havbygd.save()
    html = citizen_client.get(form_url).content.decode()
    assert 'name="municipality"' in html and "Havbygd kommune" in html

    refused = citizen_client.post(form_url, form_data())
    assert refused.status_code == 200
    assert "Velg hvilken kommune ideen gjelder." in refused.content.decode()
    assert "Gatelys på skoleveien" in refused.content.decode()  # what was typed stays
    assert not Idea.objects.exists()

    response = citizen_client.post(form_url, form_data(municipality=havbygd.pk))
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert idea.municipality == havbygd
    assert idea.owning_unit == havbygd.intake_unit


def test_submitting_costs_a_constant_number_of_queries(
    citizen_client,
    intake_unit,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    """As the benchmark sends it: a free idea with two tags that exist already."""
    intake_unit.staff.add(*[UserFactory() for _ in range(20)])
    intake_unit.staff.add(UserFactory(email="mottak@kommune.example.no"))
    citizen_client.post(reverse("ideas:submit"), form_data(title="Den første"))

    # At most 10 here, 12 with the two tasks the commit queues (not run here; see the
    # next test), as the benchmark counts it: the user; the transaction (a savepoint and
    # its release here, BEGIN and COMMIT there); one statement counting the attempt
    # and the accepted idea, for the user and the address at once; the tags; the
    # routing; the reference (checked free in the same statement, so no savepoint);
    # the idea, its tags and its event.
    with django_capture_on_commit_callbacks() as after_commit, django_assert_max_num_queries(10):
        response = citizen_client.post(reverse("ideas:submit"), form_data())

    idea = Idea.objects.get(title="Gatelys på skoleveien")
    assert response.status_code == 302
    assert response["Location"] == detail_url(idea)
    assert idea.owning_unit == intake_unit
    assert sorted(idea.tags.values_list("name", flat=True)) == ["skolevei", "trafikksikkerhet"]
    assert IdeaTag.objects.count() == 2
    assert IdeaEvent.objects.filter(idea=idea, kind=IdeaEvent.Kind.SUBMITTED).count() == 1
    assert not [mail for mail in mailoutbox if idea.reference in mail.subject]
    enqueued = []

    def record(sender, task_result, **kwargs):
        enqueued.append(task_result.task.name)

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):  # what the tasks queue
            for callback in after_commit:
                callback()
    finally:
        task_enqueued.disconnect(record)
    # One task for the search index, one for the e-mails (which queues the unit's e-mail).
    assert sorted(enqueued) == ["notify_new_idea", "send_email", "update_search_index"]
    (to_unit,) = [mail for mail in mailoutbox if idea.reference in mail.subject]
    assert "mottak@kommune.example.no" in to_unit.to


def test_submitting_with_the_task_queue_in_the_database_costs_at_most_12_queries(
    citizen_client,
    intake_unit,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    settings,
):
    """Production's layout (tasks queued in the database, as the benchmark runs it):
    the request, its commit and the two tasks it queues, together."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(reverse("ideas:submit"), form_data(title="Den første"))
    with (
        django_assert_max_num_queries(12) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = citizen_client.post(reverse("ideas:submit"), form_data())
    assert sum("dbtaskresult" in query["sql"] for query in captured.captured_queries) == 2
    assert response.status_code == 302
    assert Idea.objects.filter(title="Gatelys på skoleveien").exists()


def test_submitting_in_a_region_costs_at_most_11_queries(
    citizen_client,
    intake_unit,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    settings,
):
    """As the benchmark counts it in a region of three municipalities: a free idea for
    the one chosen, tasks queued in the database. The same as alone but the routing to
    that municipality's intake unit; the choice is checked against the municipalities
    cached per process (`active_municipalities`), so it costs no query of its own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    region = []
    for number, name in enumerate(("Havbygd", "Nordvik"), start=2):
        municipality = MunicipalityFactory(
            name=f"{name} kommune", slug=name.lower(), number=f"990{number}"
        )
        municipality.intake_unit = UnitFactory(
            name=f"{name} servicetorg", municipality=municipality
        )
        municipality.save()
        region.append(municipality)
    havbygd = region[0]
    url = reverse("ideas:submit")
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(url, form_data(title="Den første", municipality=havbygd.pk))

    with (
        django_assert_max_num_queries(11) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = citizen_client.post(url, form_data(municipality=havbygd.pk))

    idea = Idea.objects.get(title="Gatelys på skoleveien")
    assert response.status_code == 302
    assert idea.municipality == havbygd
    assert idea.owning_unit == havbygd.intake_unit
    read = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in read if sql.startswith('SELECT "portal_municipality"')]
    # An inactive municipality is no choice: the form says so and keeps what was typed.
    nordvik = region[1]
    nordvik.is_active = False
    nordvik.save()
    refused = citizen_client.post(url, form_data(title="Nordviks idé", municipality=nordvik.pk))
    assert refused.status_code == 200
    assert "Velg et gyldig valg." in refused.content.decode()
    assert 'value="Nordviks idé"' in refused.content.decode()
    assert not Idea.objects.filter(title="Nordviks idé").exists()


LIMITED = "mange ganger på kort tid"


def _assert_form_kept_with_message_above(response, data: dict) -> None:
    html = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "<html" in html and LIMITED in html
    assert html.index(LIMITED) < html.index('<form method="post" enctype')
    assert f'value="{data["title"]}"' in html
    assert data["description"] in html and data["summary"] in html
    assert f'value="{data["tags"]}"' in html


@override_settings(
    PORTAL_RATE_LIMITS={
        "idea_submit": {"user": (2, 60 * 60), "ip": (100, 60 * 60)},
        "idea_submit_attempt": {"user": (30, 60 * 60), "ip": (100, 60 * 60)},
    }
)
def test_forms_sent_back_for_corrections_do_not_use_up_the_limit_on_ideas(
    citizen_client, intake_unit
):
    url = reverse("ideas:submit")
    for _ in range(5):
        assert citizen_client.post(url, form_data(summary="")).status_code == 200
    for n in range(2):
        assert citizen_client.post(url, form_data(title=f"Idé nummer {n}")).status_code == 302

    data = form_data(title="Den tredje ideen", description="Min lange tekst om **lys**.")
    response = citizen_client.post(url, data)

    _assert_form_kept_with_message_above(response, data)
    assert Idea.objects.count() == 2


@override_settings(
    PORTAL_RATE_LIMITS={
        "idea_submit": {"user": (5, 60 * 60), "ip": (100, 60 * 60)},
        "idea_submit_attempt": {"user": (3, 60 * 60), "ip": (100, 60 * 60)},
    }
)
def test_too_many_attempts_give_the_form_back_with_everything_typed(citizen_client, intake_unit):
    url = reverse("ideas:submit")
    for _ in range(3):
        assert citizen_client.post(url, form_data(summary="")).status_code == 200

    data = form_data(title="Benker langs fjorden", description="Eldre trenger hvilesteder.")
    response = citizen_client.post(url, data)

    _assert_form_kept_with_message_above(response, data)
    assert not Idea.objects.exists()


def test_a_rejected_form_from_a_person_still_offers_no_proposal(citizen_client, intake_unit):
    response = citizen_client.post(reverse("ideas:submit"), form_data(title=""))

    form = response.context["form"]
    assert response.status_code == 200
    assert "title" in form.errors
    assert "kind" not in form.fields and "organisation" not in form.fields
    assert 'name="kind"' not in response.content.decode()


def test_a_rejected_form_from_a_member_still_offers_a_proposal(client, intake_unit):
    member = UserFactory()
    OrganisationFactory(name="Fjordtech AS").members.add(member)
    client.force_login(member)

    response = client.post(reverse("ideas:submit"), form_data(title=""))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="kind"' in content and "Fjordtech AS" in content


def test_a_person_cannot_send_a_proposal_for_an_organisation(citizen_client, intake_unit):
    """Without the proposal fields on their form, a person's submission is their own."""
    organisation = OrganisationFactory()

    citizen_client.post(
        reverse("ideas:submit"), form_data(kind=IdeaKind.PROPOSAL, organisation=organisation.pk)
    )

    idea = Idea.objects.get()
    assert (idea.kind, idea.organisation) == (IdeaKind.IDEA, None)


def test_a_proposal_without_organisation_is_refused_on_the_form(client, intake_unit):
    member = UserFactory()
    OrganisationFactory().members.add(member)
    client.force_login(member)

    response = client.post(reverse("ideas:submit"), form_data(kind=IdeaKind.PROPOSAL))

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Idea.objects.exists()


def test_a_rejected_form_keeps_every_field_and_names_the_files_to_choose_again(
    citizen_client, intake_unit, media_root
):
    data = form_data(
        title="",  # missing
        attachment_1=png_file("kart.png"),
        alt_text_1="Kart",
        attachment_2=pdf_file("plan.pdf"),
    )

    response = citizen_client.post(reverse("ideas:submit"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "Mørk skolevei om vinteren." in content
    assert "skolevei, trafikksikkerhet" in content
    assert 'value="Kart"' in content
    assert response.context["files_to_choose_again"] == ["kart.png", "plan.pdf"]
    assert "kart.png" in content and "plan.pdf" in content
    assert not Idea.objects.exists()
    assert not stored_files(media_root.parent)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ("wrong_type", "«notat.docx» er ikke et JPEG-, PNG- eller WebP-bilde"),
        ("too_large", "«stor.pdf» er større enn 5 MB"),
        ("no_alt", "Beskriv hva bildet «foto.png» viser"),
    ],
)
def test_attachment_errors_are_clear_and_nothing_is_saved(
    citizen_client, intake_unit, media_root, upload, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {
        "wrong_type": {"attachment_1": SimpleUploadedFile("notat.docx", b"PK\x03\x04word")},
        "too_large": {
            "attachment_1": SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1))
        },
        "no_alt": {"attachment_1": png_file("foto.png"), "alt_text_1": ""},
    }[upload]

    response = citizen_client.post(reverse("ideas:submit"), form_data(**files))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Idea.objects.exists()
    assert not stored_files(media_root.parent)


def test_the_honeypot_stops_robots(citizen_client, intake_unit):
    response = citizen_client.post(reverse("ideas:submit"), form_data(website="http://spam"))
    assert response.status_code == 200
    assert not Idea.objects.exists()


def test_tag_suggestions_complete_the_last_tag(client):
    IdeaFactory().tags.add("trafikksikkerhet", "trafikk", "bibliotek")

    response = client.get(reverse("ideas:tag_suggestions"), {"tags": "skolevei, traf"})

    content = response.content.decode()
    assert '<option value="skolevei, trafikk">' in content
    assert '<option value="skolevei, trafikksikkerhet">' in content
    assert "bibliotek" not in content


@pytest.mark.parametrize(
    "fields",
    [{"status": IdeaStatus.WITHDRAWN}, {"is_hidden": True}],
)
def test_tag_suggestions_offer_only_tags_that_public_ideas_use(client, fields):
    IdeaFactory(**fields).tags.add("trafikkfelle hos naboen")
    IdeaFactory().tags.add("trafikksikkerhet")
    IdeaTag.objects.create(name="trafikk uten ideer")

    response = client.get(reverse("ideas:tag_suggestions"), {"tags": "trafikk"})

    content = response.content.decode()
    assert '<option value="trafikksikkerhet">' in content
    assert "naboen" not in content
    assert "uten ideer" not in content


def test_similar_ideas_come_from_the_search_backend(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        idea = IdeaFactory(title="Gatelys langs skoleveien", summary="Lys på skoleveien")
        from search.indexing import schedule_reindex

        schedule_reindex(idea)

    response = client.get(reverse("ideas:similar"), {"title": "gatelys skolevei"})

    assert "Gatelys langs skoleveien" in response.content.decode()


# --- Author's controls --------------------------------------------------------------------------


def test_the_author_edits_through_the_form(client, intake_unit):
    author = UserFactory()
    idea = services.idea_submit(author=author, title="Gammel", summary="S", description="D")
    client.force_login(author)

    assert client.get(reverse("ideas:edit", args=[idea.reference])).status_code == 200
    response = client.post(
        reverse("ideas:edit", args=[idea.reference]),
        {
            "title": "Ny tittel",
            "summary": "S",
            "description": "D",
            "tags": "benk, park",
            "location": "",
        },
    )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Ny tittel"
    assert idea.events.filter(kind=IdeaEvent.Kind.EDITED).exists()


def test_the_author_withdraws_with_a_reason(client, intake_unit):
    author = UserFactory()
    idea = services.idea_submit(author=author, title="T", summary="S", description="D")
    client.force_login(author)

    response = client.post(
        reverse("ideas:withdraw", args=[idea.reference]), {"reason": "Ikke aktuelt lenger"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:mine")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.WITHDRAWN
    assert idea.events.get(to_status=IdeaStatus.WITHDRAWN).public_text == "Ikke aktuelt lenger"


# --- Vote and follow ----------------------------------------------------------------------------


def test_voting_works_as_a_plain_post_with_redirect(citizen_client, citizen):
    idea = IdeaFactory()

    response = citizen_client.post(reverse("ideas:vote", args=[idea.reference]))
    assert response.status_code == 302
    assert response["Location"] == detail_url(idea)
    assert Vote.objects.filter(idea=idea, voter=citizen).exists()

    # A resent "support" form (double click, back button) does not undo the vote.
    citizen_client.post(reverse("ideas:vote", args=[idea.reference]), {"action": "support"})
    idea.refresh_from_db()
    assert idea.support_count == 1

    citizen_client.post(reverse("ideas:vote", args=[idea.reference]), {"action": "withdraw"})
    idea.refresh_from_db()
    assert idea.support_count == 0


@pytest.mark.parametrize("status", [IdeaStatus.IMPLEMENTED, IdeaStatus.REJECTED])
def test_support_for_a_concluded_idea_cannot_be_withdrawn(citizen_client, citizen, status):
    idea = IdeaFactory()
    services.vote_cast(idea=idea, voter=citizen)
    Idea.objects.filter(pk=idea.pk).update(status=status)

    response = citizen_client.post(
        reverse("ideas:vote", args=[idea.reference]), {"action": "withdraw"}, follow=True
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Denne ideen kan ikke lenger få støtte."]
    assert Vote.objects.filter(idea=idea, voter=citizen).exists()
    idea.refresh_from_db()
    assert idea.support_count == 1  # the count the decision was made on stays


def test_voting_with_htmx_returns_the_button_and_the_count(citizen_client):
    idea = IdeaFactory()

    response = citizen_client.post(reverse("ideas:vote", args=[idea.reference]), **HTMX)

    content = response.content.decode()
    assert 'aria-pressed="true"' in content
    assert f'id="vote-count-{idea.pk}" data-hx-swap-oob="innerHTML"' in content
    assert '<strong class="ideas-count">1</strong>' in content


def test_a_vote_costs_a_fixed_number_of_queries(citizen_client, django_assert_max_num_queries):
    idea = IdeaFactory(support_count=0)
    for voter in UserFactory.create_batch(5):
        services.vote_cast(idea=idea, voter=voter)
    url = reverse("ideas:vote", args=[idea.reference])
    citizen_client.get("/")  # creates the site's menu settings (pages change)
    citizen_client.get("/")  # the site and menus are cached by any earlier request
    for expected in ("6", "5"):  # support, then withdraw: both counted from the rows
        # 13: one statement counts the vote against the rate limits (user and address).
        with django_assert_max_num_queries(13):
            response = citizen_client.post(url, **HTMX)
        assert f'<strong class="ideas-count">{expected}</strong>' in response.content.decode()


def test_voting_on_a_closed_idea_gives_a_clear_message(citizen_client):
    idea = IdeaFactory(status=IdeaStatus.REJECTED)

    response = citizen_client.post(reverse("ideas:vote", args=[idea.reference]), follow=True)

    assert "Denne ideen kan ikke lenger få støtte." in response.content.decode()
    assert not Vote.objects.exists()


def test_following_an_idea_toggles(citizen_client, citizen):
    idea = IdeaFactory()
    url = reverse("ideas:follow", args=[idea.reference])

    citizen_client.post(url)
    assert Follow.objects.filter(user=citizen, idea=idea).exists()
    response = citizen_client.post(url, **HTMX)
    assert not Follow.objects.filter(user=citizen, idea=idea).exists()
    assert 'aria-pressed="false"' in response.content.decode()


def test_following_a_challenge_toggles(citizen_client, citizen):
    challenge = create_challenge()
    url = reverse("ideas:follow_challenge", args=[challenge.pk])

    response = citizen_client.post(url, {"action": "follow"})
    assert response.status_code == 302
    assert Follow.objects.filter(user=citizen, challenge=challenge).exists()
    citizen_client.post(url, {"action": "unfollow"})
    assert not Follow.objects.filter(user=citizen, challenge=challenge).exists()


def test_unpublished_or_private_challenges_cannot_be_followed(citizen_client, citizen):
    from wagtail.models import PageViewRestriction

    draft = create_challenge(title="Kladd", live=False)
    private = create_challenge(title="Intern")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    for challenge in (draft, private):
        url = reverse("ideas:follow_challenge", args=[challenge.pk])
        assert citizen_client.post(url, {"action": "follow"}).status_code == 404
    assert not Follow.objects.filter(user=citizen).exists()
    # The private page itself (open to logged-in users) offers no follow button.
    html = citizen_client.get(private.url).content.decode()
    assert "Intern" in html
    assert reverse("ideas:follow_challenge", args=[private.pk]) not in html
    public = create_challenge(title="Åpen")
    html = citizen_client.get(public.url).content.decode()
    assert reverse("ideas:follow_challenge", args=[public.pk]) in html


# --- Private and unpublished challenges ---------------------------------------------------


@pytest.fixture
def member(group):
    user = UserFactory(display_name="Medlem")
    user.groups.add(group)
    return user


HIDDEN_FROM_CITIZENS = ("Kladdefloke", "Passordfloke", "Gruppefloke")


def test_the_list_filter_offers_only_challenges_the_person_may_see(
    client, challenges, citizen, member
):
    IdeaFactory(title="Vanlig idé")
    anonymous = client.get(reverse("ideas:list")).content.decode()
    assert "Åpen floke" in anonymous
    for title in (*HIDDEN_FROM_CITIZENS, "Innloggetfloke"):
        assert title not in anonymous
    client.force_login(citizen)
    html = client.get(reverse("ideas:list")).content.decode()
    assert "Innloggetfloke" in html
    for title in HIDDEN_FROM_CITIZENS:
        assert title not in html
    # A crafted filter on a hidden challenge is refused like any unknown choice.
    response = client.get(reverse("ideas:list"), {"challenge": challenges["group"].pk})
    assert "Vanlig idé" in response.content.decode()
    client.force_login(member)
    assert "Gruppefloke" in client.get(reverse("ideas:list")).content.decode()


def test_the_submit_form_offers_and_accepts_only_challenges_the_person_may_see(
    client, challenges, citizen, member, intake_unit
):
    client.force_login(citizen)
    html = client.get(reverse("ideas:submit")).content.decode()
    assert "Åpen floke" in html and "Innloggetfloke" in html
    for title in HIDDEN_FROM_CITIZENS:
        assert title not in html
        # Not even as "this challenge does not accept ideas now".
        page = client.get(
            reverse("ideas:submit"), {"challenge": challenges_by_title(challenges, title).pk}
        )
        assert title not in page.content.decode()
    for name in ("draft", "password", "group"):
        response = client.post(reverse("ideas:submit"), form_data(challenge=challenges[name].pk))
        assert response.status_code == 200
        assert "challenge" in response.context["form"].errors
    assert not Idea.objects.exists()

    client.force_login(member)
    assert "Gruppefloke" in client.get(reverse("ideas:submit")).content.decode()
    response = client.post(reverse("ideas:submit"), form_data(challenge=challenges["group"].pk))
    assert response.status_code == 302
    assert Idea.objects.get().challenge_id == challenges["group"].pk


def challenges_by_title(challenges, title):
    return next(page for page in challenges.values() if page.title == title)


def test_the_idea_page_names_the_challenge_only_to_those_who_may_see_it(
    client, challenges, citizen, member
):
    answers_group = IdeaFactory(challenge=challenges["group"], title="Svar til gruppa")
    answers_draft = IdeaFactory(challenge=challenges["draft"], title="Svar til kladden")
    for user in (None, citizen, member):
        if user is not None:
            client.force_login(user)
        html = client.get(detail_url(answers_draft)).content.decode()
        assert "Svar til kladden" in html and "Kladdefloke" not in html
        html = client.get(detail_url(answers_group)).content.decode()
        assert "Svar til gruppa" in html
        assert ("Gruppefloke" in html) is (user == member)


def test_my_page_lists_only_followed_challenges_i_may_see(client, challenges, citizen):
    for page in challenges.values():
        Follow.objects.create(challenge=page, user=citizen)
    client.force_login(citizen)

    response = client.get(reverse("ideas:mine"))

    assert [page.title for page in response.context["followed_challenges"]] == [
        "Innloggetfloke",
        "Åpen floke",
    ]
    for title in HIDDEN_FROM_CITIZENS:
        assert title not in response.content.decode()


def test_unsafe_next_urls_are_ignored(citizen_client):
    idea = IdeaFactory()
    response = citizen_client.post(
        reverse("ideas:follow", args=[idea.reference]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == detail_url(idea)


# --- My page ------------------------------------------------------------------------------------


def test_my_page_lists_what_i_submitted_supported_and_follow(client):
    me = UserFactory()
    mine = IdeaFactory(author=me, title="Min idé")
    withdrawn = IdeaFactory(author=me, title="Min trukne idé", status=IdeaStatus.WITHDRAWN)
    supported = IdeaFactory(title="Idé jeg støtter")
    Vote.objects.create(idea=supported, voter=me)
    followed = IdeaFactory(title="Idé jeg følger")
    Follow.objects.create(idea=followed, user=me)
    challenge = create_challenge(title="Floke jeg følger")
    Follow.objects.create(challenge=challenge, user=me)
    IdeaFactory(title="Noen andres idé")
    client.force_login(me)

    response = client.get(reverse("ideas:mine"))

    content = response.content.decode()
    assert response.context["my_ideas"] == [withdrawn, mine]
    assert "Withdrawn" in content or "Trukket" in content
    assert response.context["supported_ideas"] == [supported]
    assert response.context["followed_ideas"] == [followed]
    assert response.context["followed_challenges"] == [challenge]
    assert "Noen andres idé" not in content


def test_the_author_sees_no_support_button_and_cannot_support_over_http(client, intake_unit):
    author = UserFactory()
    idea = services.idea_submit(author=author, title="Benk", summary="S", description="D")
    client.force_login(author)

    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Dette er din idé: andre kan støtte den." in page
    assert 'id="vote-button-' not in page

    response = client.post(
        reverse("ideas:vote", args=[idea.reference]), {"action": "support"}, HTTP_HX_REQUEST="true"
    )
    assert "Du kan ikke støtte din egen idé" in response.content.decode()
    idea.refresh_from_db()
    assert idea.support_count == 0
