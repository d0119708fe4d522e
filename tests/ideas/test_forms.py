"""The submit form asks for a municipality only where there is a choice; the idea
list's filter offers and accepts a municipality's own choices."""

from __future__ import annotations

import pytest

from ideas.forms import IdeaSubmitForm
from tests.factories import MunicipalityFactory, UserFactory, default_municipality

pytestmark = pytest.mark.django_db

FREE_IDEA = {
    "title": "Benker langs fjorden",
    "summary": "Flere benker.",
    "description": "Flere benker langs turveien ved fjorden.",
    "kind": "idea",
    "tags": "",
    "location": "",
}


def test_with_one_municipality_nobody_is_asked():
    default_municipality()
    form = IdeaSubmitForm(FREE_IDEA, user=UserFactory())
    assert "municipality" not in form.fields
    assert form.is_valid(), form.errors


def test_with_several_a_free_idea_names_its_municipality():
    default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune")
    form = IdeaSubmitForm(FREE_IDEA, user=UserFactory())
    assert "municipality" in form.fields
    assert not form.is_valid()
    assert form.errors["municipality"] == ["Velg hvilken kommune ideen gjelder."]
    assert form["title"].value() == "Benker langs fjorden"  # everything typed stays

    form = IdeaSubmitForm({**FREE_IDEA, "municipality": havbygd.pk}, user=UserFactory())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["municipality"] == havbygd


def test_an_inactive_municipality_is_no_choice():
    default_municipality()
    MunicipalityFactory()
    closed = MunicipalityFactory(is_active=False)
    form = IdeaSubmitForm({**FREE_IDEA, "municipality": closed.pk}, user=UserFactory())
    assert not form.is_valid()
    assert "municipality" in form.errors


# --- The idea list's filters -------------------------------------------------------------


def _filter_form(data, municipality):
    from django.contrib.auth.models import AnonymousUser

    from ideas.forms import IdeaFilterForm

    return IdeaFilterForm(data, user=AnonymousUser(), municipality_id=municipality.pk)


def test_a_municipality_s_filter_accepts_its_own_choices_and_ignores_another_s():
    from tests.factories import UnitFactory

    fjordvik = default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd")
    own = UnitFactory(slug="havbygd-havn", municipality=havbygd)
    UnitFactory(slug="fjordvik-oppvekst", municipality=fjordvik)

    form = _filter_form({"unit": "havbygd-havn", "tag": "eldre"}, havbygd)
    assert form.filters().unit_id == own.pk
    assert form.tag_slug() == form.filters().tag_slug == "eldre"

    form = _filter_form({"unit": "fjordvik-oppvekst", "tag": "ikke en slug!"}, havbygd)
    assert form.filters().unit_id is None
    assert form.tag_slug() == form.filters().tag_slug == ""
    notices = [str(notice) for notice in form.ignored()]
    assert len(notices) == 2 and "«fjordvik-oppvekst»" in notices[1]
    # Rendered, it offers its own unit only.
    rendered = str(_filter_form(None, havbygd)["unit"])
    assert 'value="havbygd-havn"' in rendered and "fjordvik-oppvekst" not in rendered
