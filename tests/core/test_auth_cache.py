"""The signed-in user, with their roles and permissions, comes from the shared cache (mshtgov.authcache,
issue 15) and never outlives a change: a role removed, a permission taken from a role, an account
deactivated or a password changed takes effect on the next request; signed out means out."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mshtgov.roles import Role
from tests.factories import TEST_PASSWORD

PAGE = "/accounts/password/"
# Needs governance.view_action (analysts and every internal role hold it through their role's group).
ACTIONS = "/governance/actions/"


@pytest.fixture(autouse=True)
def _cached(settings):
    settings.AUTH_CACHE = True
    settings.SESSION_ENGINE = "mshtgov.session_store"  # as in production
    cache.clear()
    yield
    cache.clear()


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _auth_queries(client, path=PAGE) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    return status, [q["sql"] for q in ctx.captured_queries if '"auth_' in q["sql"]]


def test_a_signed_in_page_reads_neither_the_user_nor_their_grants_once_cached(users):
    client = _signed_in("analyst")
    client.get(PAGE)  # the first request after sign-in reads them and keeps them
    status, queries = _auth_queries(client)
    assert status == 200
    assert queries == []


def test_a_role_removed_takes_effect_on_the_next_request(users):
    client = _signed_in("analyst")
    assert client.get(ACTIONS).status_code == 200
    users["analyst"].groups.remove(Group.objects.get(name=Role.ANALYST.label))
    assert client.get(ACTIONS).status_code == 403
    # ...and from the other side of the relation too.
    Group.objects.get(name=Role.PCC_LIAISON.label).user_set.add(users["analyst"])
    assert client.get(ACTIONS).status_code == 200
    Group.objects.get(name=Role.PCC_LIAISON.label).user_set.clear()
    assert client.get(ACTIONS).status_code == 403


def test_a_permission_taken_from_a_role_takes_effect_on_the_next_request(users):
    client = _signed_in("analyst")
    assert client.get(ACTIONS).status_code == 200
    group = Group.objects.get(name=Role.ANALYST.label)
    view_action = Permission.objects.get(codename="view_action", content_type__app_label="governance")
    group.permissions.remove(view_action)
    assert client.get(ACTIONS).status_code == 403
    group.permissions.add(view_action)
    assert client.get(ACTIONS).status_code == 200
    group.delete()  # its members lose the role without any membership signal
    assert client.get(ACTIONS).status_code == 403


def test_a_direct_permission_given_takes_effect_on_the_next_request(users):
    client = _signed_in("partner")
    assert client.get(ACTIONS).status_code == 403
    view_action = Permission.objects.get(codename="view_action", content_type__app_label="governance")
    users["partner"].user_permissions.add(view_action)
    assert client.get(ACTIONS).status_code == 200
    users["partner"].user_permissions.remove(view_action)
    assert client.get(ACTIONS).status_code == 403


def test_a_deactivated_account_is_signed_out_on_the_next_request(users):
    client = _signed_in("analyst")
    assert client.get(PAGE).status_code == 200
    analyst = users["analyst"]
    analyst.is_active = False
    analyst.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_password_change_signs_out_the_other_sessions_and_keeps_this_one(users):
    here, elsewhere = _signed_in("analyst"), _signed_in("analyst")
    assert elsewhere.get(PAGE).status_code == 200  # cached, with the old password's hash
    new = "another-Long-passphrase-2026"
    response = here.post(PAGE, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert here.get(PAGE).status_code == 200
    response = elsewhere.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signed_out_means_out_even_with_the_old_cookie(users):
    client = _signed_in("analyst")
    assert client.get(PAGE).status_code == 200
    stolen = Client()
    stolen.cookies = client.cookies.__class__(client.cookies)  # a copy of the cookie taken before sign-out
    assert stolen.get(PAGE).status_code == 200
    client.post("/accounts/logout/")
    response = stolen.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_lost_token_reads_the_database_again_and_never_revives_an_old_entry(users):
    client = _signed_in("analyst")
    assert client.get(ACTIONS).status_code == 200
    cache.delete("authcache:grants")  # evicted
    users["analyst"].groups.clear()
    assert client.get(ACTIONS).status_code == 403  # a new token: nothing cached under it yet
    assert client.get(ACTIONS).status_code == 403  # read again and cached under the new token
    status, queries = _auth_queries(client)
    assert status == 200 and queries == []  # cached again, with the fresh grants
    assert client.get(ACTIONS).status_code == 403


def test_a_superuser_comes_from_the_cache_with_every_internal_role(users):
    client = _signed_in("admin")
    assert client.get(ACTIONS).status_code == 200
    status, queries = _auth_queries(client)
    assert status == 200 and queries == []


def test_the_cache_never_holds_a_password_hash_and_the_cached_user_can_still_change_theirs(users):
    import pickle

    client = _signed_in("analyst")
    client.get(PAGE)
    analyst = type(users["analyst"]).objects.get(pk=users["analyst"].pk)
    entry = cache.get(f"authcache:entry:{analyst.pk}")
    assert entry is not None
    assert analyst.password.encode() not in pickle.dumps(entry)
    assert "password" in entry[2].get_deferred_fields()
    # The form checks the old password on the cached user: the field is read when asked for.
    new = "another-Long-passphrase-2026"
    response = client.post(PAGE, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password(new)
    assert client.get(PAGE).status_code == 200
    # A save of a cached user object (a view updating the signed-in user) leaves the password alone.
    client.get(PAGE)
    cached = cache.get(f"authcache:entry:{analyst.pk}")[2]
    cached.first_name = "Renamed"
    cached.save()
    analyst.refresh_from_db()
    assert analyst.first_name == "Renamed" and analyst.check_password(new)


def _cache_reads(client, path=PAGE) -> list[list[str]]:
    """The keys of each cache read a request makes (one list per round trip; a `get_many` that the cache answers
    with a `get` per key, as the per-process cache of the tests does, counts once)."""
    reads, inside = [], []
    real_get, real_get_many = cache.get, cache.get_many

    def get(key, *args, **kwargs):
        if not inside:
            reads.append([key])
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        inside.append(1)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "get", get)
        patch.setattr(cache, "get_many", get_many)
        assert client.get(path).status_code == 200
    return reads


def test_the_session_and_the_user_are_read_in_one_round_trip(users):
    client = _signed_in("analyst")
    client.get(PAGE)  # this process learns whose session it is

    reads = _cache_reads(client)
    session_key, entry_key = client.session.cache_key, f"authcache:entry:{users['analyst'].pk}"
    assert [keys for keys in reads if session_key in keys or entry_key in keys] == [
        [
            session_key,
            f"authcache:entry:{users['analyst'].pk}",
            "authcache:grants",
            f"authcache:user:{users['analyst'].pk}",
        ]
    ]


def test_a_wrong_guess_at_whose_session_it_is_costs_a_round_trip_never_the_wrong_user(users):
    from mshtgov import authcache

    analyst, leader = _signed_in("analyst"), _signed_in("leader")
    analyst.get(PAGE)
    leader.get(PAGE)
    authcache._user_of_session[analyst.session.session_key] = str(users["leader"].pk)
    response = analyst.get(PAGE)
    assert response.status_code == 200 and response.wsgi_request.user.username == "analyst"
    assert authcache._user_of_session[analyst.session.session_key] == str(users["analyst"].pk)


def test_an_ended_session_read_ahead_is_signed_out(users):
    client = _signed_in("analyst")
    client.get(PAGE)
    from mshtgov.sessions import end_sessions

    end_sessions([users["analyst"]])
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
