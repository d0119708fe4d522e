"""Ids from outside are read before any query (portal.ids)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from portal.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (7, 7),
        (str(MAX_ID + 1), None),
        ("99999999999999999999999", None),
        ("0", None),
        ("-1", None),
        ("1e3", None),
        ("٣", None),  # a digit to Python's int(), not an id
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_id_accepts_only_what_a_bigint_id_can_be(raw, expected):
    assert parse_id(raw) == expected


def test_the_id_converter_matches_only_possible_ids():
    url = reverse("ideas:comment_flag", kwargs={"comment_id": MAX_ID})
    assert resolve(url).kwargs == {"comment_id": MAX_ID}
    # Not the comment view: the path falls through to Wagtail's pages, which say 404.
    assert resolve(url.replace(str(MAX_ID), str(MAX_ID + 1))).url_name != "comment_flag"
    with pytest.raises(NoReverseMatch):
        reverse("ideas:comment_flag", kwargs={"comment_id": MAX_ID + 1})


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["99999999999999999999999", str(MAX_ID + 1)])
def test_bad_ids_in_the_unit_and_organisation_forms_are_form_errors(raw):
    from django.test import Client

    from portal.models import Organisation, Unit
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    unit_form = {"name": "Kultur", "slug": "kultur", "parent": raw, "staff": [raw]}
    unit_form.update(response_deadline_days=10, is_active="on")
    response = client.post(reverse("units:add"), unit_form)
    assert response.status_code == 200
    assert {"parent", "staff"} <= set(response.context["form"].errors)
    organisation_form = {"name": "Lag", "organisation_number": "974760673", "members": [raw]}
    organisation_form["kind"] = Organisation._meta.get_field("kind").choices[0][0]
    response = client.post(reverse("organisations:add"), organisation_form)
    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert not Unit.objects.filter(slug="kultur").exists()
