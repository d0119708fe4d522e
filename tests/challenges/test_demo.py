from challenges import demo
from challenges.models import ChallengeIndexPage, ChallengePage, ChallengeStatus
from cms.models import HomePage, NavigationSettings, StandardPage
from portal import demo as portal_demo


def test_demo_challenges_are_idempotent_and_cover_every_status(db, client):
    portal_demo.seed()
    demo.seed()  # a second run changes nothing
    # Fjordvik's, Havbygd's and Nordvik's (ideas.demo_region adds the neighbours).
    assert ChallengeIndexPage.objects.count() == 3
    fjordvik_index = ChallengeIndexPage.objects.get(url_path="/home/fjordvik/utfordringer/")
    # Fjordvik's own, and the joint challenge it leads (ideas.demo_region adds it).
    joint = ChallengePage.objects.live().child_of(fjordvik_index).get(slug="felles-kollektiv")
    assert joint.partner_municipalities.count() == 2
    challenges = ChallengePage.objects.live().child_of(fjordvik_index).exclude(pk=joint.pk)
    assert challenges.count() == len(demo.CHALLENGES) >= 8
    statuses = [page.status for page in challenges]
    assert statuses.count(ChallengeStatus.OPEN) >= 3
    for status in ChallengeStatus.values:
        assert status in statuses
    concluded = challenges.get(status_override=ChallengeStatus.CONCLUDED)
    assert concluded.outcome
    assert {page.theme.slug for page in challenges} == {
        slug for slug, *_names_and_descriptions in demo.THEMES
    }
    assert StandardPage.objects.live().filter(slug="slik-fungerer-det").exists()
    home = HomePage.objects.get()
    assert home.featured_challenges.count() == 2
    navigation = NavigationSettings.objects.get()
    assert len(navigation.main_menu) == 4

    for page in [home, fjordvik_index, *challenges, *StandardPage.objects.all()]:
        assert client.get(page.url).status_code == 200, page.url
    html = client.get("/").content.decode()
    assert "Ensomhet blant eldre som bor hjemme" in html
    assert 'href="/slik-fungerer-det/">Slik fungerer det</a>' in html
    # The region's front page names the three municipalities; the old address of
    # Fjordvik's challenges leads to their new one.
    for name in ("Fjordvik kommune", "Havbygd kommune", "Nordvik kommune"):
        assert name in html
    moved = client.get("/utfordringer/ensomhet-blant-eldre/")
    assert moved.status_code == 301
    assert moved["Location"] == "/fjordvik/utfordringer/ensomhet-blant-eldre/"
