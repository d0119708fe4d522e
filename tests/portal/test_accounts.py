"""Sign-up, e-mail confirmation, log-in, password reset and the profile page."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks import default_task_backend

from portal.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "fjordvik-er-fin-2026"


def signup(client, ip="127.0.0.1", **overrides):
    data = {
        "email": "nora@example.no",
        "display_name": "Nora",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "website": "",
    }
    data.update(overrides)
    return client.post(reverse("accounts:signup"), data, REMOTE_ADDR=ip)


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(\S*/accounts/confirm/\S+/)", message.body).group(1)


def test_signup_sends_confirmation_and_the_link_activates_the_account(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get(email="nora@example.no")
    assert not user.is_active and user.email_confirmed_at is None

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nora@example.no"]
    assert "Bekreft" in message.subject

    # Before confirming, log-in is refused with an explanation.
    response = client.post(
        reverse("accounts:login"), {"username": "nora@example.no", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 200
    assert "ikke bekreftet" in response.content.decode()

    response = client.get(confirmation_link(message))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at is not None

    response = client.post(
        reverse("accounts:login"), {"username": "NORA@example.no", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).context["user"] == user


def test_a_confirmation_link_works_once(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = confirmation_link(mailoutbox[0])
    assert client.get(link).status_code == 302
    response = client.get(link)
    assert response.status_code == 400
    assert "virker ikke" in response.content.decode()


def test_a_tampered_confirmation_link_does_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = confirmation_link(mailoutbox[0])
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert not User.objects.get(email="nora@example.no").is_active


def test_rejected_signup_keeps_what_was_typed_and_says_what_is_wrong(client, mailoutbox):
    response = signup(client, password2="something-else-entirely")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="nora@example.no"' in html
    assert 'value="Nora"' in html
    assert "De to passordene er ikke like" in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()
    assert mailoutbox == []


def test_weak_password_is_rejected(client):
    response = signup(client, password1="12345678", password2="12345678")
    assert response.status_code == 200
    assert not User.objects.exists()
    assert response.context["form"].errors["password1"]


def test_honeypot_filled_in_creates_nothing(client, mailoutbox):
    response = signup(client, website="http://spam.example")
    assert response.status_code == 200
    assert not User.objects.exists()
    assert mailoutbox == []


def test_signup_with_a_registered_address_reveals_nothing_and_warns_the_owner(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="nora@example.no")
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, email="Nora@Example.no")
    assert response.status_code == 302 and response.url == reverse("accounts:signup_done")
    assert User.objects.filter(email__iexact="nora@example.no").count() == 1
    assert len(mailoutbox) == 1
    assert "allerede" in mailoutbox[0].subject
    assert "/accounts/password/reset/" in mailoutbox[0].body


def test_resend_confirmation(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
        client.post(reverse("accounts:resend_confirmation"), {"email": "nora@example.no"})
        client.post(reverse("accounts:resend_confirmation"), {"email": "nobody@example.no"})
    assert [m.to for m in mailoutbox] == [["nora@example.no"], ["nora@example.no"]]
    assert client.get(confirmation_link(mailoutbox[1])).status_code == 302


def test_wrong_password_gives_a_clear_message(client):
    UserFactory(email="kari@example.no")
    response = client.post(
        reverse("accounts:login"), {"username": "kari@example.no", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "E-postadressen eller passordet er feil" in response.content.decode()
    assert 'value="kari@example.no"' in response.content.decode()


def test_deactivated_users_cannot_log_in(client):
    UserFactory(email="blocked@example.no", is_active=False)
    response = client.post(
        reverse("accounts:login"), {"username": "blocked@example.no", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # A deactivated, previously confirmed account is not told to confirm its address.
    assert "ikke bekreftet" not in response.content.decode()


def test_logout_is_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, mailoutbox):
    user = UserFactory(email="kari@example.no")
    response = client.post(reverse("accounts:password_reset"), {"email": "kari@example.no"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "et-nytt-passord-99", "new_password2": "et-nytt-passord-99"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("et-nytt-passord-99")


def test_password_reset_e_mail_goes_through_the_task_queue(client, settings, mailoutbox):
    """The visitor does not wait for the mail server: the e-mail is queued, in the
    language they used, and sent by the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    UserFactory(email="kari@example.no")
    response = client.post(reverse("accounts:password_reset"), {"email": "kari@example.no"})
    assert response.status_code == 302
    assert mailoutbox == []  # nothing sent while the visitor waited
    (queued,) = default_task_backend.results
    assert queued.kwargs["to"] == ["kari@example.no"]
    assert "/accounts/password/reset/" in queued.kwargs["body"]


def test_password_reset_for_unknown_address_sends_nothing_but_says_the_same(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.no"})
    assert response.status_code == 302
    assert mailoutbox == []


# --- Limits on forms that send e-mail -------------------------------------------------


def test_password_reset_sends_at_most_three_emails_an_hour_to_one_address(client, mailoutbox):
    UserFactory(email="kari@example.no")
    for n in range(6):
        # From six addresses, so that only the cap per e-mail address applies.
        response = client.post(
            reverse("accounts:password_reset"),
            {"email": "kari@example.no"},
            REMOTE_ADDR=f"10.0.0.{n}",
        )
        # The same answer every time, sent or not.
        assert response.status_code == 302
        assert response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 3
    assert {tuple(message.to) for message in mailoutbox} == {("kari@example.no",)}


def test_the_admin_password_reset_obeys_the_same_cap(client, mailoutbox):
    UserFactory(email="redaktor@example.no", is_staff=True)
    for n in range(5):
        response = client.post(
            reverse("wagtailadmin_password_reset"),
            {"email": "redaktor@example.no"},
            REMOTE_ADDR=f"10.0.3.{n}",
        )
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_password_reset_done")
    # The portal's form and the admin's count together.
    client.post(reverse("accounts:password_reset"), {"email": "redaktor@example.no"})
    assert len(mailoutbox) == 3


def test_signup_and_resending_the_link_share_the_cap_on_emails_to_one_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            response = signup(client, ip=f"10.0.1.{n}")
            answers.append((response.status_code, response.url))
        for n in range(2):
            response = client.post(
                reverse("accounts:resend_confirmation"),
                {"email": "nora@example.no"},
                REMOTE_ADDR=f"10.0.2.{n}",
            )
            answers.append((response.status_code, response.url))
    # One confirmation, two "you already have an account"; then nothing, silently.
    assert len(mailoutbox) == 3
    assert "Bekreft" in mailoutbox[0].subject
    assert all("allerede" in message.subject for message in mailoutbox[1:])
    assert answers[:4] == [(302, reverse("accounts:signup_done"))] * 4
    assert answers[4:] == [(302, reverse("accounts:login"))] * 2


LIMITED = "mange ganger på kort tid"


@pytest.mark.parametrize(
    ("scope", "url_name", "data", "kept"),
    [
        (
            "signup",
            "accounts:signup",
            {
                "email": "nora@example.no",
                "display_name": "Nora Fjell",
                "password1": GOOD_PASSWORD,
                "password2": GOOD_PASSWORD,
                "website": "",
            },
            ['value="nora@example.no"', 'value="Nora Fjell"'],
        ),
        ("password_reset", "accounts:password_reset", {"email": "kari@example.no"}, []),
        ("resend_confirmation", "accounts:resend_confirmation", {"email": "ny@example.no"}, []),
    ],
)
def test_many_requests_from_one_ip_address_get_the_form_back_with_a_message(
    client, mailoutbox, django_capture_on_commit_callbacks, scope, url_name, data, kept
):
    UserFactory(email="kari@example.no")
    UserFactory(email="ny@example.no", is_active=False, email_confirmed_at=None)
    limits = {scope: {"ip": (2, 60 * 60)}}
    url = reverse(url_name)
    with (
        override_settings(PORTAL_RATE_LIMITS=limits),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for n in range(2):
            typed = {**data, "email": f"{n}{data['email']}"}
            assert client.post(url, typed).status_code == 302
        response = client.post(url, data)
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        html = response.content.decode()
        # The form, in the site layout, with the message above it and nothing lost.
        assert "<html" in html and LIMITED in html
        assert html.index(LIMITED) < html.index('<form method="post"')
        assert f'value="{data["email"]}"' in html
        for value in kept:
            assert value in html
        assert not User.objects.filter(email="nora@example.no").exists()
        # Another address is not affected.
        assert client.post(url, data, REMOTE_ADDR="10.9.9.9").status_code == 302
    # Nothing was sent for the refused request: only for the two new sign-ups (the
    # reset and resend forms got unknown addresses) and the one from elsewhere.
    assert len(mailoutbox) == (3 if scope == "signup" else 1)


class TestProfile:
    def test_requires_login(self, client):
        response = client.get(reverse("accounts:profile"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_shows_memberships_and_saves_the_display_name(self, client):
        from tests.factories import OrganisationFactory, UnitFactory

        user = UserFactory(display_name="Kari")
        OrganisationFactory(name="Fjordtech AS").members.add(user)
        UnitFactory(name="Helse og omsorg", slug="helse").staff.add(user)
        client.force_login(user)
        html = client.get(reverse("accounts:profile")).content.decode()
        assert "Fjordtech AS" in html
        assert "Helse og omsorg" in html

        response = client.post(
            reverse("accounts:profile"),
            {"display_name": "Kari N.", "first_name": "Kari", "last_name": "Nordmann"},
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.display_name == "Kari N."
        assert user.get_full_name() == "Kari Nordmann"
