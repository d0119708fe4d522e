"""The two-host run reads support counts from the pages it is served: if the markup
changed under it, its coherence check would report every vote as missed."""

import pytest
from django.test import Client

from bench.two_hosts import _count, table
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_count_is_read_from_the_idea_page_and_from_the_vote_answer(client, site_settings):
    idea = IdeaFactory(support_count=0)
    voter = Client()
    voter.force_login(UserFactory())

    answer = voter.post(f"{idea.get_absolute_url()}vote/", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert _count(answer.content.decode()) == 1

    page = client.get(idea.get_absolute_url())
    assert _count(page.content.decode()) == 1


def test_the_table_shows_combined_throughput_and_both_checks():
    result = {
        "size": 2000,
        "machine": {"cpus": 2},
        "settings": {"workers": 2, "connections": 4},
        "throughput": [
            {
                "name": "idea_detail",
                "single_host_rps": 200.0,
                "two_hosts_rps": 300.0,
                "ratio": 1.5,
                "status_errors": 0,
            }
        ],
        "coherence": {"writes": 20, "seen_on_next_request": 20},
        "coherence_with_a_cache_per_host": {"writes": 20, "seen_on_next_request": 0},
    }
    text = table(result)
    assert "| idea_detail | 200 | 300 | 1.50× | 0 |" in text
    assert "20 of 20 votes taken by one host showed on the other host's next request" in text
    assert "each host with its own cache instead of Redis: 0 of 20" in text
