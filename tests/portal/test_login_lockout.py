"""Log-in lockout (django-axes): per e-mail address and IP address, and per IP address,
on the portal's log-in, the Wagtail admin's and the Django admin's."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAUSED = "Innlogging er satt på pause"
WRONG = "E-postadressen eller passordet er feil"


def log_in(client, email, password, *, ip="10.0.0.1", url=None):
    return client.post(
        url or reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
    )


def test_five_wrong_passwords_pause_log_in_for_that_address_from_there(client):
    UserFactory(email="kari@example.no")
    for _ in range(4):
        response = log_in(client, "kari@example.no", "wrong")
        assert response.status_code == 200
        assert WRONG in response.content.decode()

    response = log_in(client, "kari@example.no", "wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert PAUSED in html and "Vent 30 minutter og prøv igjen" in html
    assert "<html" in html and reverse("accounts:password_reset") in html
    assert int(response["Retry-After"]) == 30 * 60

    # Even the right password is refused now, from there ...
    response = log_in(client, "kari@example.no", TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # ... but not from another address, so a robot cannot lock Kari out everywhere.
    response = log_in(client, "kari@example.no", TEST_PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302


def test_the_lockout_says_the_same_whether_or_not_the_account_exists(client):
    UserFactory(email="kari@example.no")
    pages = {}
    for email in ("kari@example.no", "nobody@example.no"):
        for _ in range(5):
            response = log_in(client, email, "wrong")
        assert response.status_code == 429
        html = response.content.decode()
        assert email not in html
        pages[email] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        pages[email] = re.sub(r'"X-CSRFToken": "[^"]*"', "", pages[email])
    assert pages["kari@example.no"] == pages["nobody@example.no"]


def test_changing_the_case_of_the_address_does_not_give_more_attempts(client):
    UserFactory(email="kari@example.no")
    for email in ("kari@example.no", "Kari@example.no", "KARI@example.no", "kaRi@example.no"):
        assert log_in(client, email, "wrong").status_code == 200
    assert log_in(client, "kari@EXAMPLE.no", "wrong").status_code == 429


@override_settings(PORTAL_LOGIN_FAILURES_PER_IP=8)
def test_many_addresses_tried_from_one_ip_address_pause_log_in_from_there(client):
    UserFactory(email="kari@example.no")
    for n in range(7):
        assert log_in(client, f"person{n}@example.no", "wrong").status_code == 200
    # Seven failures from 10.0.0.1, none of them Kari's: she still gets in.
    assert log_in(client, "kari@example.no", TEST_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    assert log_in(client, "person7@example.no", "wrong").status_code == 429
    # The eighth paused all log-in from there, also for people who did nothing wrong ...
    response = log_in(client, "kari@example.no", TEST_PASSWORD)
    assert response.status_code == 429
    assert PAUSED in response.content.decode()
    # ... but nowhere else.
    assert log_in(client, "kari@example.no", TEST_PASSWORD, ip="10.0.0.9").status_code == 302


def test_logging_in_clears_ones_own_failures(client):
    UserFactory(email="kari@example.no")
    for _ in range(4):
        log_in(client, "kari@example.no", "wrong")
    assert log_in(client, "kari@example.no", TEST_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    # Five new attempts, counted from the start again.
    for _ in range(4):
        assert log_in(client, "kari@example.no", "wrong").status_code == 200
    assert log_in(client, "kari@example.no", "wrong").status_code == 429


def test_logging_in_to_ones_own_account_does_not_clear_failures_on_someone_elses(client):
    UserFactory(email="kari@example.no")
    UserFactory(email="mallory@example.no")
    for _ in range(4):
        log_in(client, "kari@example.no", "wrong")
    assert log_in(client, "mallory@example.no", TEST_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert log_in(client, "kari@example.no", "wrong").status_code == 429


@pytest.mark.parametrize("url_name", ["wagtailadmin_login", "admin:login"])
def test_the_admin_log_ins_are_limited_too_and_share_the_count(client, url_name):
    UserFactory(email="redaktor@example.no", is_staff=True, is_superuser=True)
    url = reverse(url_name)
    for _ in range(3):
        assert log_in(client, "redaktor@example.no", "wrong", url=url).status_code == 200
    assert log_in(client, "redaktor@example.no", "wrong").status_code == 200
    response = log_in(client, "redaktor@example.no", "wrong", url=url)
    assert response.status_code == 429
    assert PAUSED in response.content.decode()
    assert log_in(client, "redaktor@example.no", TEST_PASSWORD, url=url).status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_account_is_not_told_so_while_log_in_is_paused(client):
    UserFactory(email="ny@example.no", is_active=False, email_confirmed_at=None)
    for _ in range(5):
        log_in(client, "ny@example.no", "wrong")
    # The right password would otherwise get "not confirmed", which would confirm a guess.
    response = log_in(client, "ny@example.no", TEST_PASSWORD)
    assert response.status_code == 429
    assert "ikke bekreftet" not in response.content.decode()


def test_choosing_a_new_password_by_email_lifts_the_pause(client, mailoutbox):
    user = UserFactory(email="kari@example.no")
    for _ in range(5):
        log_in(client, "kari@example.no", "wrong")
    assert log_in(client, "kari@example.no", TEST_PASSWORD).status_code == 429
    client.post(reverse("accounts:password_reset"), {"email": "kari@example.no"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body)
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    new = "et-nytt-passord-99"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)

    assert log_in(client, "kari@example.no", new).status_code == 302


def test_an_administrator_can_lift_a_pause_from_the_command_line(client):
    UserFactory(email="kari@example.no")
    for _ in range(5):
        log_in(client, "kari@example.no", "wrong")
    assert log_in(client, "kari@example.no", TEST_PASSWORD).status_code == 429

    call_command("axes_reset_username", "kari@example.no")

    assert log_in(client, "kari@example.no", TEST_PASSWORD).status_code == 302
