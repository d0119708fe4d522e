"""Co-creation in search, on every backend (`search_backend`: embedded and
Elasticsearch): an idea made from participants' inputs, from the draft the staff screen
offers, is found by the inputs' words and never by the givers' names or addresses; and
nothing of a process (published or not) is indexed on its own, so an unpublished one
cannot be found.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cocreation import services
from cocreation.forms import idea_draft
from cocreation.models import InputChannel
from ideas.models import Idea
from tests.cocreation.helpers import add_meeting, organiser_and_process
from tests.factories import UnitFactory

GIVERS = ("Gunnhildsen", "gunnhild@example.no", "Registrantsen", "registrant@example.no")


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.fixture
def world(search_backend, settings, client, django_capture_on_commit_callbacks):
    UnitFactory(slug=settings.PORTAL_INTAKE_UNIT_SLUG)  # where new ideas are routed
    with django_capture_on_commit_callbacks(execute=True):
        organiser, process = organiser_and_process(title="Løsningsjakten i Kvernbyen")
        meeting = add_meeting(process, organiser, days_ahead=-1)
        services.registration_create(
            meeting=add_meeting(process, organiser),
            name="Rita Registrantsen",
            email="registrant@example.no",
        )
        inputs = [
            services.input_record(
                meeting=meeting,
                by=organiser,
                data=services.InputData(
                    text=f"Sykkelparkering ved stasjonen, forslag {n}",
                    channel=InputChannel.STICKY_NOTE,
                    giver_name="Gunnhild Gunnhildsen",
                    giver_email="gunnhild@example.no",
                ),
            )
            for n in range(2)
        ]
        client.force_login(organiser)
        response = client.post(
            reverse("cocreation_admin:idea_new", args=[process.pk]),
            {"inputs": [item.pk for item in inputs], **idea_draft(inputs)},
        )
        services.process_update(process=process, by=organiser, values={"is_published": False})
    assert response.status_code == 302
    client.logout()
    return {"process": process, "idea": Idea.objects.get()}


def test_the_idea_is_found_by_the_inputs_words_not_by_the_givers(search_backend, world, client):
    assert world["idea"].title in titles(search_backend.search("sykkelparkering"))
    for word in GIVERS:
        assert search_backend.search(word).total == 0, word
    html = client.get(world["idea"].get_absolute_url()).content.decode()
    assert "Sykkelparkering" in html
    for word in GIVERS:
        assert word not in html, word
    # Not even after a rebuild from scratch.
    search_backend.rebuild()
    for word in GIVERS:
        assert search_backend.search(word).total == 0, word


def test_an_unpublished_process_is_not_found(search_backend, world, client):
    assert search_backend.search("Kvernbyen").total == 0
    page = client.get(reverse("search:search") + "?q=Kvernbyen").content.decode()
    assert world["process"].get_absolute_url() not in page
