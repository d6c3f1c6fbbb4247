"""What every signed-in request pays (issue 15): the session is read, not written, between renewals; roles
and permissions come from one query that agrees with Django's own permission lookup; the menu's gates
are read once per process."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mshtgov.roles import Role, load_grants, roles_of
from tests.factories import TEST_PASSWORD


def test_roles_and_permissions_load_in_one_query_and_agree_with_django(users, django_assert_num_queries):
    # A direct permission beside the role's, so both halves of the one query are exercised.
    direct = Permission.objects.get(codename="view_accesslog", content_type__app_label="mshtgov")
    users["analyst"].user_permissions.add(direct)
    checked = 0
    for user in users.values():
        expected = type(user).objects.get(pk=user.pk)
        backend = ModelBackend()
        want_user, want_group = backend.get_user_permissions(expected), backend.get_group_permissions(expected)
        want_roles = frozenset(Role(r) for r in Role if expected.groups.filter(name=Role(r).label).exists())

        fresh = type(user).objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            assert load_grants(fresh) == want_roles
        with django_assert_num_queries(0):  # everything after comes from the user object
            assert roles_of(fresh) == want_roles
            if not fresh.is_superuser:  # a superuser holds every permission: ModelBackend reads them
                assert fresh.get_all_permissions() == want_user | want_group
                assert fresh.get_user_permissions() == want_user
                assert fresh.get_group_permissions() == want_group
        checked += 1
    assert checked == len(users)
    assert "mshtgov.view_accesslog" in users["analyst"].get_user_permissions()


def test_a_signed_in_page_reads_the_user_and_their_grants_and_writes_nothing(users, settings):
    # As in production, where CACHE_URL names the shared Redis and sessions are read from it.
    settings.SESSION_ENGINE = "mshtgov.session_store"
    client = Client()
    assert client.post("/accounts/login/", {"username": "analyst", "password": TEST_PASSWORD}).status_code == 302
    client.get("/accounts/password/")  # the first request after sign-in may renew; warm per-process caches
    before = Session.objects.get(session_key=client.session.session_key).expire_date
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/accounts/password/")
    assert response.status_code == 200 and "Change password" in response.content.decode()
    statements = [q["sql"] for q in ctx.captured_queries]
    # The session comes from the cache; then the user, then roles and permissions together.
    assert len(statements) == 2, "\n".join(statements)
    assert not any(s.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE")) for s in statements)
    assert Session.objects.get(session_key=client.session.session_key).expire_date == before


def _menu(response) -> list[str]:
    import re

    link = r'class="govuk-service-navigation__link"[^>]*>(?:<strong[^>]*>)?([^<]+)<'
    return re.findall(link, response.content.decode())


def test_the_menu_kept_per_set_of_grants_follows_a_role_change_on_the_next_request(users, client_for):
    from django.contrib.auth.models import Group

    client = client_for("analyst")
    assert "Strategy" in _menu(client.get("/accounts/password/"))
    analyst = users["analyst"]
    analyst.groups.remove(Group.objects.get(name=Role.ANALYST.label))
    assert "Strategy" not in _menu(client.get("/accounts/password/"))  # no longer an internal role
    analyst.groups.add(Group.objects.get(name=Role.PCC_LIAISON.label))
    pcc_menu = _menu(client.get("/accounts/password/"))
    assert pcc_menu == _menu(client_for("pcc").get("/accounts/password/"))
    assert "Strategy" in pcc_menu
