"""One normalised form per tag on ideas, enforced by forms and services alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ideas import services
from ideas.models import IdeaTag
from ideas.tags import normalise_tag, normalise_tags
from tests.factories import UserFactory
from tests.ideas.test_services import intake_unit  # noqa: F401 - fixture
from tests.ideas.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Sykkel Vei", "sykkel-vei"),
        ("#Eldre", "eldre"),
        ("  ø-hjelp ", "ø-hjelp"),
        ("Åpen  barnehage", "åpen-barnehage"),
        ("CO2", "co2"),
    ],
)
def test_what_people_type_becomes_the_tags_one_form(typed, stored):
    assert normalise_tag(typed) == stored


@pytest.mark.parametrize("typed", ["<script>", "a", "x" * 41, "###", "🚲🚲", "sykkel_vei", "a--b"])
def test_what_cannot_be_a_tag_is_refused_by_name(typed):
    with pytest.raises(ValidationError) as refused:
        normalise_tag(typed)
    assert typed.strip()[:60] in refused.value.messages[0]


def test_at_most_ten_tags_and_no_repeats():
    assert normalise_tags(["Eldre", "eldre", "#ELDRE"]) == ["eldre"]
    with pytest.raises(ValidationError):
        normalise_tags([f"tagg{n}" for n in range(11)])


def test_the_form_names_the_bad_tag_and_keeps_everything_typed(client, intake_unit):  # noqa: F811
    client.force_login(UserFactory())
    data = {**form_data(), "tags": "skolevei, <script>"}

    response = client.post(reverse("ideas:submit"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "kan ikke være et stikkord" in html and "&lt;script&gt;" in html
    assert data["title"] in html and data["description"] in html
    assert not IdeaTag.objects.exists()


def test_the_service_refuses_a_bad_tag_too(intake_unit):  # noqa: F811
    with pytest.raises(ValidationError):
        services.idea_submit(
            author=UserFactory(), title="T", summary="S", description="D", tags=["<script>"]
        )
    assert not IdeaTag.objects.exists()


def test_a_tag_typed_in_another_case_is_the_existing_tag(intake_unit):  # noqa: F811
    first = services.idea_submit(
        author=UserFactory(), title="T", summary="S", description="D", tags=["Eldre"]
    )
    second = services.idea_submit(
        author=UserFactory(), title="T2", summary="S", description="D", tags=["#ELDRE"]
    )
    assert IdeaTag.objects.count() == 1
    assert list(first.tags.all()) == list(second.tags.all())
    assert IdeaTag.objects.get().name == "eldre"
