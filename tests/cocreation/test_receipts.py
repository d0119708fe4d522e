"""The receipt page of an input, the idea page's co-creation section, and the e-mails
to participants: what became of an input, without anyone's name or e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from cocreation import services
from cocreation.models import InputAnswer, InputChannel
from ideas.actions import idea_transition
from ideas.actions.merging import idea_merge
from ideas.actions.moderation import idea_hide
from ideas.models import IdeaStatus
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import IdeaFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
S = IdeaStatus


@pytest.fixture
def world(db, settings):
    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)
    organiser, process = organiser_and_process()
    meetings = [
        add_meeting(process, organiser, days_ahead=-3, title="Verksted på biblioteket"),
        add_meeting(
            process,
            organiser,
            days_ahead=-2,
            title="Skolebesøk",
            is_public=False,
            registration_open=False,
        ),
    ]
    givers = [("Kari Nordmann", "kari@example.no"), ("Ola Hansen", "ola@example.no"), ("", "")]
    inputs = [
        services.input_leave(
            meeting=meetings[index % 2],
            by=UserFactory() if index == 0 else None,
            data=services.InputData(
                text=f"Flere benker langs stien, innspill {index}",
                channel="",
                giver_name=name,
                giver_email=email,
            ),
        )
        for index, (name, email) in enumerate(givers)
    ]
    # Kari left a second input at the school visit.
    inputs.append(
        services.input_leave(
            meeting=meetings[1],
            by=None,
            data=services.InputData(
                text="Og en benk ved skolen", channel="", giver_email="KARI@example.no"
            ),
        )
    )
    return {"organiser": organiser, "process": process, "meetings": meetings, "inputs": inputs}


def _idea(world):
    return services.idea_from_inputs(
        process=world["process"],
        by=world["organiser"],
        inputs=world["inputs"],
        title="Benker langs turstien",
        summary="Flere benker, så flere kan gå tur.",
        description="Fire innspill ba om benker.",
    )


def _receipt(code: str) -> str:
    response = Client().get(f"/innspill/{code}/")
    assert response.status_code == 200
    return response.content.decode()


PERSONAL = ("Kari", "Nordmann", "Ola Hansen", "kari@example.no", "ola@example.no")


def _no_personal_data(html: str) -> None:
    assert not any(part.lower() in html.lower() for part in PERSONAL)


def test_an_unsorted_input_says_so_and_shows_the_text(world):
    item = world["inputs"][0]
    html = _receipt(item.code)
    assert item.text in html
    assert "Ikke sortert ennå" in html
    assert "Verksted på biblioteket" in html
    _no_personal_data(html)


def test_a_non_public_meetings_title_is_not_on_the_receipt(world):
    html = _receipt(world["inputs"][1].code)
    assert "Skolebesøk" not in html


def test_the_receipt_follows_the_idea_from_submitted_to_put_into_use(world):
    item = world["inputs"][0]
    idea = _idea(world)
    staff = UserFactory(is_staff=True, is_superuser=True)
    html = _receipt(item.code)
    assert "Benker langs turstien" in html and idea.get_absolute_url() in html
    assert 'data-status="submitted"' in html
    for status in (S.IN_REVIEW, S.ACCEPTED, S.IMPLEMENTED):
        idea_transition(idea=idea, to=status, by=staff, public_reason="Benkene står der nå.")
        html = _receipt(item.code)
        assert f'data-status="{status}"' in html
        _no_personal_data(html)


def test_the_receipt_follows_a_merge_to_the_idea_it_became_part_of(world):
    item = world["inputs"][0]
    idea = _idea(world)
    target = IdeaFactory(
        title="Turstien for alle", reference="1999-00001", owning_unit=idea.owning_unit
    )
    idea_merge(idea=idea, into=target, by=UserFactory(is_staff=True, is_superuser=True))
    html = _receipt(item.code)
    assert "Turstien for alle" in html and target.get_absolute_url() in html
    assert "slått sammen med denne" in html


@pytest.mark.parametrize("how", ["hidden", "withdrawn"])
def test_a_hidden_or_withdrawn_idea_is_no_longer_public_on_the_receipt(world, how):
    item = world["inputs"][0]
    idea = _idea(world)
    if how == "hidden":
        idea_hide(idea=idea, by=UserFactory(is_staff=True, is_superuser=True), reason="Spam")
    else:
        idea_transition(idea=idea, to=S.WITHDRAWN, by=world["organiser"])
    html = _receipt(item.code)
    assert "ikke lenger er offentlig" in html
    assert "Benker langs turstien" not in html and idea.reference not in html


def test_a_direct_answer_is_on_the_receipt(world):
    item = world["inputs"][2]
    services.input_answer(
        item=item,
        by=world["organiser"],
        answer=InputAnswer.OUTSIDE_REMIT,
        text="Stien eies av fylket; vi har sendt det videre.",
    )
    html = _receipt(item.code)
    assert "Utenfor kommunens ansvarsområde" in html
    assert "Stien eies av fylket" in html


def test_no_receipt_for_an_unknown_code_or_an_unpublished_process(world):
    assert Client().get("/innspill/zzzzzzzz/").status_code == 404
    organiser, hidden_process = organiser_and_process(is_published=False, title="Utkast")
    meeting = add_meeting(hidden_process, organiser)
    item = services.input_record(
        meeting=meeting, by=organiser, data=services.InputData(text="X", channel="other")
    )
    assert Client().get(f"/innspill/{item.code}/").status_code == 404


def test_the_receipt_page_has_an_english_twin(world):
    item = world["inputs"][0]
    response = Client().get(f"/en/innspill/{item.code}/")
    assert response.status_code == 200
    assert "Not yet sorted" in response.content.decode()


def test_the_receipt_page_keeps_to_its_query_budget(world, django_assert_max_num_queries):
    item = world["inputs"][0]
    idea = _idea(world)
    target = IdeaFactory(reference="1999-00002", owning_unit=idea.owning_unit)
    idea_merge(idea=idea, into=target, by=UserFactory(is_staff=True, is_superuser=True))
    client = Client()
    client.get(f"/innspill/{item.code}/")
    # The input with its meeting, process, theme and idea (and the idea it merged into)
    # in one query; the rest is the site's menu, as on every page.
    with django_assert_max_num_queries(8):
        assert client.get(f"/innspill/{item.code}/").status_code == 200


# --- The idea page -----------------------------------------------------------------------


def test_the_idea_page_says_what_it_is_built_on(world, django_assert_max_num_queries):
    idea = _idea(world)
    url = idea.get_absolute_url()
    anonymous = Client()
    html = anonymous.get(url).content.decode()
    assert "Bygger på 4 innspill fra 2 møtepunkter" in html
    assert world["process"].get_absolute_url() in html
    _no_personal_data(html)
    anonymous.get(url)
    with django_assert_max_num_queries(1):  # the page and its section are cached
        anonymous.get(url)
    # A new input on the idea shows at once.
    extra = services.input_record(
        meeting=world["meetings"][0],
        by=world["organiser"],
        data=services.InputData(text="Benk", channel=InputChannel.OTHER),
    )
    services.inputs_attach(
        process=world["process"], by=world["organiser"], inputs=[extra], idea=idea
    )
    assert "Bygger på 5 innspill fra 2 møtepunkter" in anonymous.get(url).content.decode()


def test_an_idea_without_inputs_has_no_section(world):
    idea = IdeaFactory()
    assert "Bygger på" not in Client().get(idea.get_absolute_url()).content.decode()


# --- E-mails -----------------------------------------------------------------------------


def test_the_confirmation_and_thank_you_show_the_receipt_link(world, client, mailoutbox):
    meeting = world["meetings"][0]
    response = client.post(
        f"/m/{meeting.code}/",
        {
            "text": "Lys i lysløypa",
            "participant_group": "",
            "giver_name": "",
            "giver_email": "a@example.no",
        },
        follow=True,
    )
    from cocreation.models import Input

    item = Input.objects.get(text="Lys i lysløypa")
    assert f"/innspill/{item.code}/" in response.content.decode()


def test_the_confirmation_e_mail_links_the_receipt(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.input_leave(
            meeting=world["meetings"][0],
            by=None,
            data=services.InputData(text="Lys", channel="", giver_email="per@example.no"),
        )
    (message,) = mail.outbox
    assert message.to == ["per@example.no"]
    assert f"/innspill/{item.code}/" in message.body


def test_givers_hear_once_per_change_with_all_their_receipts(
    world, django_capture_on_commit_callbacks
):
    idea = _idea(world)
    staff = UserFactory(is_staff=True, is_superuser=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_transition(idea=idea, to=S.IN_REVIEW, by=staff)
    ours = [message for message in mail.outbox if "innspill" in message.body]
    assert sorted(message.to[0] for message in ours) == ["kari@example.no", "ola@example.no"]
    kari = next(message for message in ours if message.to == ["kari@example.no"])
    # Kari left two inputs: one e-mail, both receipts.
    assert world["inputs"][0].code in kari.body and world["inputs"][3].code in kari.body
    assert "Benker langs turstien" in kari.body
    # Nobody sees anyone else's address.
    assert all("ola@example.no" not in message.body for message in ours)


def test_no_e_mail_about_a_hidden_idea(world, django_capture_on_commit_callbacks):
    idea = _idea(world)
    staff = UserFactory(is_staff=True, is_superuser=True)
    idea_hide(idea=idea, by=staff, reason="Spam")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_transition(idea=idea, to=S.IN_REVIEW, by=staff)
    assert not [message for message in mail.outbox if "innspill" in message.body]
