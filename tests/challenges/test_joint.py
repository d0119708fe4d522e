"""Joint challenges as pages (docs/regional.md, issue 13 item 4): the lead and its partners,
the governance text, and where a joint challenge is shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from challenges.joint import challenge_partners_set, partners_of
from challenges.models import ChallengePage, ChallengePageForm, partner_challenge_ids
from challenges.municipal_sites import ensure_home
from tests.challenges.test_municipal_sites import _challenge_below
from tests.factories import MunicipalityFactory, UnitFactory, default_municipality

MARK = "Felles utfordring — ledet av Fjordvik kommune"


@pytest.fixture
def region(db):
    fjordvik = default_municipality()
    havbygd = MunicipalityFactory(name="Havbygd kommune", slug="havbygd", number="9902")
    nordvik = MunicipalityFactory(name="Nordvik kommune", slug="nordvik", number="9903")
    homes = {m.slug: ensure_home(m) for m in (fjordvik, havbygd, nordvik)}
    lead_unit = UnitFactory(name="Plan og miljø", municipality=fjordvik)
    challenge = _challenge_below(homes["fjordvik"], title="Pendling over grensa", unit=lead_unit)
    return {
        "fjordvik": fjordvik,
        "havbygd": havbygd,
        "nordvik": nordvik,
        "homes": homes,
        "lead_unit": lead_unit,
        "challenge": challenge,
    }


def _make_joint(region, partners=("havbygd",), governance="Fjordvik bestemmer; alle svarer."):
    return challenge_partners_set(
        challenge=region["challenge"],
        partners=[region[slug] for slug in partners],
        governance=governance,
    )


def test_partners_and_governance_are_published_with_the_page(region):
    challenge = _make_joint(region, partners=("havbygd", "nordvik"))
    assert set(challenge.partner_municipalities.all()) == {region["havbygd"], region["nordvik"]}
    assert challenge.governance == "Fjordvik bestemmer; alle svarer."
    assert not challenge.has_unpublished_changes
    assert [p.name for p in partners_of(challenge)] == ["Havbygd kommune", "Nordvik kommune"]
    assert challenge.lead_municipality_id == region["fjordvik"].pk


def test_the_lead_cannot_also_be_a_partner(region):
    with pytest.raises(ValidationError) as refused:
        _make_joint(region, partners=("havbygd", "fjordvik"))
    assert "Fjordvik kommune leder utfordringen" in str(refused.value)
    challenge = ChallengePage.objects.get(pk=region["challenge"].pk)
    assert not challenge.partner_municipalities.exists()
    assert challenge.get_latest_revision().content.get("partner_municipalities") in (None, [])


def test_the_admin_form_refuses_the_lead_as_a_partner(region):
    challenge = region["challenge"]
    form_class = ChallengePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ChallengePageForm)
    data = {
        "title": challenge.title,
        "slug": challenge.slug,
        "summary": challenge.summary,
        "owning_unit": region["lead_unit"].pk,
        "theme": challenge.theme_id,
        "audience": challenge.audience,
        "opens_on": challenge.opens_on.isoformat(),
        "closes_on": challenge.closes_on.isoformat(),
        "partner_municipalities": [region["fjordvik"].pk, region["havbygd"].pk],
        "problem-count": 0,
    }
    form = form_class(data, instance=challenge, for_user=None)
    assert not form.is_valid()
    assert "partner_municipalities" in form.errors
    assert "kan ikke også være partner" in str(form.errors["partner_municipalities"])


def test_the_admin_form_offers_municipalities_in_use_and_those_already_chosen(region):
    """A municipality taken out of use is no longer offered as a partner, unless the
    challenge has it already (so an editor can see it and take it away)."""
    closed = MunicipalityFactory(name="Nedlagt kommune", slug="nedlagt", is_active=False)
    form_class = ChallengePage.get_edit_handler().get_form_class()

    offered = form_class(instance=region["challenge"], for_user=None).fields[
        "partner_municipalities"
    ]
    assert closed not in offered.queryset and region["nordvik"] in offered.queryset

    _make_joint(region, partners=("havbygd",))
    region["havbygd"].is_active = False
    region["havbygd"].save()
    challenge = ChallengePage.objects.get(pk=region["challenge"].pk)
    offered = form_class(instance=challenge, for_user=None).fields["partner_municipalities"]
    assert region["havbygd"] in offered.queryset and closed not in offered.queryset


def test_unpublished_partners_are_not_shown(region):
    challenge = region["challenge"]
    page = challenge.get_latest_revision_as_object()
    page.partner_municipalities.set([region["havbygd"]])
    page.save_revision()  # a draft: the live page is still an ordinary challenge
    assert partners_of(challenge) == ()
    for live_only in (True, False):
        assert not partner_challenge_ids([region["havbygd"].pk], live_only=live_only).exists()


def test_the_challenge_page_names_lead_partners_and_governance(client, region):
    challenge = _make_joint(region, partners=("havbygd", "nordvik"))
    html = client.get(challenge.url).content.decode()
    assert MARK in html
    assert "Partnere: Havbygd kommune, Nordvik kommune" in html
    assert "Fjordvik bestemmer; alle svarer." in html
    ordinary = _challenge_below(
        region["homes"]["fjordvik"], title="Trygg skolevei", unit=region["lead_unit"]
    )
    assert "Felles utfordring" not in client.get(ordinary.url).content.decode()


def test_a_partner_home_page_and_index_show_the_joint_challenge_marked(client, region):
    _make_joint(region)
    for url in ("/havbygd/", "/havbygd/utfordringer/"):
        html = client.get(url).content.decode()
        assert "Pendling over grensa" in html, url
        assert MARK in html, url
    # Not a partner: nothing of it.
    for url in ("/nordvik/", "/nordvik/utfordringer/"):
        assert "Pendling over grensa" not in client.get(url).content.decode(), url
    # The lead shows it too, marked.
    assert MARK in client.get("/fjordvik/").content.decode()


def test_a_partner_own_hostname_shows_the_joint_challenge(client, region):
    ensure_home(region["havbygd"], hostname="havbygd.localhost")
    _make_joint(region)
    html = client.get("/", HTTP_HOST="havbygd.localhost").content.decode()
    assert MARK in html
    # A link to the page on the lead's address (another site: absolute).
    assert "/fjordvik/utfordringer/pendling-over-grensa/" in html


def test_the_regional_front_page_has_a_joint_challenges_section(client, region):
    html = client.get("/").content.decode()
    assert "Felles utfordringer" not in html
    _make_joint(region)
    html = client.get("/").content.decode()
    assert "Felles utfordringer" in html
    section = html[html.index('id="joint-title"') :]
    assert "Pendling over grensa" in section
    assert MARK in section


def test_a_single_municipality_has_no_joint_section(client, db):
    from tests.factories import create_challenge

    create_challenge(title="Ensomhet blant eldre")
    assert "Felles utfordringer" not in client.get("/").content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_joint_lists_stay_within_budget(client, region, count, django_assert_max_num_queries):
    for number in range(count):
        page = _challenge_below(
            region["homes"]["fjordvik"], title=f"Felles sak {number}", unit=region["lead_unit"]
        )
        challenge_partners_set(challenge=page, partners=[region["havbygd"]])
    for url in ("/", "/havbygd/", "/havbygd/utfordringer/"):
        with django_assert_max_num_queries(25):
            response = client.get(url)
        assert response.status_code == 200
        assert "Felles utfordring — ledet av" in response.content.decode()


def test_a_partner_challenge_feeds_carry_the_joint_challenges(client, region):
    ensure_home(region["havbygd"], hostname="havbygd.localhost")
    _make_joint(region)
    havbygd_own = _challenge_below(
        region["homes"]["havbygd"],
        title="Rent havnebasseng",
        unit=UnitFactory(name="Havn", municipality=region["havbygd"]),
    )
    # Another municipality's ordinary challenge: in no partner's feed.
    _challenge_below(
        region["homes"]["nordvik"],
        title="Nordviks egen sak",
        unit=UnitFactory(name="Nordvik teknisk", municipality=region["nordvik"]),
    )
    feeds = {
        "rss": client.get("/havbygd/utfordringer/rss/"),
        "atom": client.get("/havbygd/utfordringer/atom/"),
        "hostname": client.get("/utfordringer/rss/", HTTP_HOST="havbygd.localhost"),
    }
    for name, response in feeds.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "Pendling over grensa" in body, name
        assert havbygd_own.title in body, name
        # The item links to the challenge's own page, on the lead's address.
        assert "/fjordvik/utfordringer/pendling-over-grensa/" in body, name
        assert "Nordviks egen sak" not in body, name
    # Not a partner: the joint challenge is not in its feed, its own challenge is.
    nordvik = client.get("/nordvik/utfordringer/rss/").content.decode()
    assert "Nordviks egen sak" in nordvik and "Pendling over grensa" not in nordvik
    # The lead's feed carries it (its own) but no partner's challenges.
    fjordvik = client.get("/fjordvik/utfordringer/rss/").content.decode()
    assert "Pendling over grensa" in fjordvik and havbygd_own.title not in fjordvik


def test_a_partner_feed_leaves_out_a_joint_challenge_whose_partners_are_a_draft(client, region):
    # Partners in a draft are not partners yet (only the live page's count).
    challenge = region["challenge"]
    challenge.save_revision()  # something pending: the service then keeps the partners a draft
    challenge_partners_set(challenge=challenge, partners=[region["havbygd"]])
    assert "Pendling over grensa" not in client.get("/havbygd/utfordringer/rss/").content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_a_partner_feeds_stay_within_budget(client, region, count, django_assert_max_num_queries):
    for number in range(count):
        page = _challenge_below(
            region["homes"]["fjordvik"], title=f"Felles sak {number}", unit=region["lead_unit"]
        )
        challenge_partners_set(challenge=page, partners=[region["havbygd"]])
    for url in ("/havbygd/utfordringer/rss/", "/havbygd/utfordringer/atom/"):
        with django_assert_max_num_queries(15):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("Felles sak") >= count
