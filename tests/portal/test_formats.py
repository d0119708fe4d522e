"""Dates and numbers read as each language writes them, on pages and in e-mails."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from ideas.models import Idea, IdeaStatus
from tests.factories import IdeaFactory, UnitFactory
from tests.ideas.triage_helpers import admin_staff_of, staff_of

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
NOV_8 = datetime.datetime(2026, 11, 8, 14, 5, tzinfo=OSLO)
NBSP = "\xa0"


def _idea_from_nov_8(**fields) -> Idea:
    idea = IdeaFactory(**fields)
    Idea.objects.filter(pk=idea.pk).update(
        created_at=NOV_8, status_changed_at=NOV_8, support_count=12345
    )
    idea.refresh_from_db()
    return idea


def test_the_idea_page_and_list_show_norwegian_dates_and_grouped_counts(client):
    idea = _idea_from_nov_8()

    page = client.get(reverse("ideas:detail", args=[idea.reference])).content.decode()
    listing = client.get(reverse("ideas:list")).content.decode()

    for content in (page, listing):
        assert "8. nov. 2026" in content
        assert "8. Nov" not in content and "8. november 2026" not in content
        assert f"12{NBSP}345" in content


def test_the_english_pages_show_english_dates_and_grouped_counts(client):
    idea = _idea_from_nov_8()

    with translation.override("en"):
        page_url, list_url = reverse("ideas:detail", args=[idea.reference]), reverse("ideas:list")
    page = client.get(page_url).content.decode()
    listing = client.get(list_url).content.decode()

    assert page_url.startswith("/en/")

    for content in (page, listing):
        assert "8 Nov 2026" in content
        assert "12,345" in content


def test_the_triage_workspace_in_the_admin_shows_norwegian_dates(client):
    unit = UnitFactory()
    staff = admin_staff_of(unit)
    idea = _idea_from_nov_8(owning_unit=unit, status=IdeaStatus.IN_REVIEW)
    client.force_login(staff)

    content = client.get(reverse("ideas_triage:idea", args=[idea.pk])).content.decode()

    assert "8. nov. 2026 kl. 14:05" in content
    assert "Nov 2026" not in content


@pytest.mark.parametrize(("language", "due"), [("nb", "8. nov. 2026"), ("en", "8 Nov 2026")])
def test_the_overdue_digest_writes_the_due_date_in_the_language_of_the_site(
    settings, mailoutbox, django_capture_on_commit_callbacks, language, due
):
    settings.LANGUAGE_CODE = language
    unit = UnitFactory(response_deadline_days=14)
    staff_of(unit)
    idea = IdeaFactory(owning_unit=unit, status=IdeaStatus.SUBMITTED)
    Idea.objects.filter(pk=idea.pk).update(status_changed_at=NOV_8 - datetime.timedelta(days=14))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_digest", verbosity=0)

    (mail,) = mailoutbox
    assert idea.reference in mail.body
    assert due in mail.body
