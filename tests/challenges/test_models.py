import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges.models import ChallengePage, ChallengeStatus
from tests.factories import create_challenge

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)


def test_status_is_derived_from_the_dates():
    page = ChallengePage(
        opens_on=datetime.date(2026, 6, 1), closes_on=datetime.date(2026, 6, 30), status_override=""
    )
    assert page.status_on(datetime.date(2026, 5, 31)) == ChallengeStatus.UPCOMING
    assert page.status_on(datetime.date(2026, 6, 1)) == ChallengeStatus.OPEN
    assert page.status_on(datetime.date(2026, 6, 30)) == ChallengeStatus.OPEN
    assert page.status_on(datetime.date(2026, 7, 1)) == ChallengeStatus.EVALUATION


def test_the_editors_override_wins_over_the_dates():
    page = ChallengePage(
        opens_on=datetime.date(2026, 6, 1),
        closes_on=datetime.date(2026, 6, 30),
        status_override=ChallengeStatus.CONCLUDED,
    )
    assert page.status_on(datetime.date(2026, 6, 10)) == ChallengeStatus.CONCLUDED


def test_database_status_filter_agrees_with_the_python_property():
    """Every status, every override, on days before, on, between and after the dates."""
    opens, closes = datetime.date(2026, 6, 10), datetime.date(2026, 6, 20)
    pages = [
        create_challenge(
            title=f"Utfordring {override or 'avledet'}",
            opens_on=opens,
            closes_on=closes,
            status_override=override,
        )
        for override in ["", *ChallengeStatus.values]
    ]
    # A challenge that opens and closes on the same day.
    pages.append(create_challenge(title="Én dag", opens_on=opens, closes_on=opens))
    days = [
        opens - datetime.timedelta(days=1),
        opens,
        opens + datetime.timedelta(days=5),
        closes,
        closes + datetime.timedelta(days=1),
    ]
    checked = 0
    for day in days:
        for status in ChallengeStatus.values:
            in_db = set(
                ChallengePage.objects.filter(pk__in=[p.pk for p in pages])
                .with_status(status, day)
                .values_list("pk", flat=True)
            )
            in_python = {page.pk for page in pages if page.status_on(day) == status}
            assert in_db == in_python, (day, status)
            checked += len(in_python)
    # Every page has exactly one status on every day.
    assert checked == len(pages) * len(days)


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        ChallengePage.objects.with_status("closed")


def test_accepts_ideas_only_while_open():
    today = timezone.localdate()
    open_page = create_challenge(title="Åpen")
    upcoming = create_challenge(
        title="Kommer",
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    concluded = create_challenge(title="Avsluttet", status_override=ChallengeStatus.CONCLUDED)
    assert open_page.accepts_ideas
    assert not upcoming.accepts_ideas
    assert not concluded.accepts_ideas


def test_hero_image_needs_alt_text_and_dates_must_be_in_order(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Bilde", file=get_test_image_file())
    page = create_challenge(title="Med bilde")
    page.hero_image = image
    page.hero_image_alt = "  "
    page.closes_on = page.opens_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert {"hero_image_alt", "closes_on"} <= set(error.value.message_dict)
