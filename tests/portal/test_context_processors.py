import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff_user():
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name="Saksbehandlere")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def permission_queries(client, path="/accounts/profile/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return sum("auth_permission" in q["sql"] for q in captured.captured_queries)


def test_staff_see_the_admin_link_and_citizens_do_not(client):
    client.force_login(staff_user())
    assert 'href="/admin/"' in client.get("/accounts/profile/").content.decode()
    client.force_login(UserFactory())
    assert 'href="/admin/"' not in client.get("/accounts/profile/").content.decode()


def test_the_permission_is_looked_up_once_per_session(client):
    # Citizens are most of the traffic: after the first page they cost no permission
    # queries. (Staff also get Wagtail's user bar, which checks permissions itself.)
    client.force_login(UserFactory())
    assert permission_queries(client) == 0
    assert permission_queries(client) == 0
    assert 'href="/admin/"' not in client.get("/accounts/profile/").content.decode()


def test_staff_keep_the_admin_link_on_later_pages(client):
    client.force_login(staff_user())
    client.get("/accounts/profile/")
    assert 'href="/admin/"' in client.get("/accounts/profile/").content.decode()


def test_logging_in_as_someone_else_recomputes_it(client):
    client.force_login(staff_user())
    client.get("/accounts/profile/")
    client.force_login(UserFactory())
    assert 'href="/admin/"' not in client.get("/accounts/profile/").content.decode()


def test_anonymous_visitors_cost_no_permission_queries(client):
    assert permission_queries(client, "/accounts/login/") == 0
