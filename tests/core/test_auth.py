"""Signing in and out, lockout, password change and session lifetimes."""

import time_machine
from axes.utils import reset
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_wrong_password_and_unknown_user_get_the_same_message(users):
    known = _login(Client(), "analyst", "not the password at all")
    unknown = _login(Client(), "nobody-here", "not the password at all")
    assert known.status_code == unknown.status_code == 200
    message = "Enter a correct username and password. Both are case-sensitive."
    assert message in known.content.decode() and message in unknown.content.decode()
    assert "<title>Error: Sign in" in known.content.decode()
    # The username typed is kept in the form.
    assert 'value="analyst"' in known.content.decode()


def test_account_locks_after_repeated_failures_and_admin_can_unlock(users):
    client = Client()
    for _ in range(5):
        _login(client, "analyst", "wrong password attempt")
    locked = _login(client, "analyst", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in temporarily locked" in locked.content.decode()
    # Another user behind the same address is not locked out.
    assert _login(Client(), "leader", TEST_PASSWORD).status_code == 302
    reset(username="analyst")
    assert _login(Client(), "analyst", TEST_PASSWORD).status_code == 302


def test_login_redirect_refuses_other_sites(users):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = Client().post(
            f"{LOGIN}?next={target}", {"username": "pcc", "password": TEST_PASSWORD, "next": target}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("home"), target


def test_logout_needs_post_and_ends_the_session(client_for):
    client = client_for("secretary")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_signs_out_other_sessions(users):
    first, second = Client(), Client()
    for client in (first, second):
        assert _login(client, "analyst", TEST_PASSWORD).status_code == 302
    response = first.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "amber tractor harbour ninety",
            "new_password2": "amber tractor harbour ninety",
        },
    )
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302
    # The session index follows the new key, so an admin can still end this session.
    from mshtgov.models import UserSession

    assert list(UserSession.objects.filter(user__username="analyst").values_list("session_key", flat=True)) == [
        first.session.session_key
    ]


def test_password_change_errors_name_the_rule_and_keep_the_page(client_for):
    response = client_for("pcc").post(
        "/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "too short" in body


def test_idle_session_expires_after_thirty_minutes(users):
    with time_machine.travel("2026-11-28 09:00:00+00:00", tick=False) as clock:
        client = Client()
        _login(client, "leader", TEST_PASSWORD)
        clock.shift(29 * 60)
        assert client.get("/").status_code == 200
        clock.shift(29 * 60)
        assert client.get("/").status_code == 200  # activity renewed it
        clock.shift(31 * 60)
        response = client.get("/")
        assert response.status_code == 302 and LOGIN in response["Location"]


def test_session_ends_after_the_absolute_lifetime_however_active(users):
    with time_machine.travel("2026-11-28 07:00:00+00:00", tick=False) as clock:
        client = Client()
        _login(client, "leader", TEST_PASSWORD)
        for _ in range(10 * 3 - 1):  # a request every 20 minutes for nearly ten hours
            clock.shift(20 * 60)
            assert client.get("/").status_code == 200
        clock.shift(25 * 60)
        assert client.get("/").status_code == 302


def test_inactive_account_is_signed_out(client_for, users):
    client = client_for("coordinator")
    users["coordinator"].is_active = False
    users["coordinator"].save()
    assert client.get("/").status_code == 302


def test_admin_is_for_staff_only(client_for):
    assert client_for("admin").get("/admin/").status_code == 200
    for role in ("leader", "analyst", "partner"):
        response = client_for(role).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_signed_in_pages_are_not_cached_and_carry_security_headers(client_for):
    response = client_for("leader").get("/")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_state_changing_posts_need_a_csrf_token(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["leader"])
    assert client.post("/accounts/logout/").status_code == 403
    assert client.post("/accounts/session/extend/", {"next": "/"}).status_code == 403


def test_admin_can_end_all_of_one_users_sessions(users, client_for):
    from mshtgov.models import UserSession

    phone, desk, other = Client(), Client(), Client()
    for client, username in ((phone, "analyst"), (desk, "analyst"), (other, "coordinator")):
        assert _login(client, username, TEST_PASSWORD).status_code == 302
    assert UserSession.objects.filter(user=users["analyst"]).count() == 2

    response = client_for("admin").post(
        "/admin/auth/user/",
        {"action": "end_selected_users_sessions", "_selected_action": [users["analyst"].pk]},
        follow=True,
    )
    assert "Ended 2 sessions." in response.content.decode()
    assert phone.get("/").status_code == 302 and desk.get("/").status_code == 302
    assert other.get("/").status_code == 200  # nobody else is signed out
    assert not UserSession.objects.filter(user=users["analyst"]).exists()


def test_signing_out_removes_the_session_from_the_index(users):
    from mshtgov.models import UserSession

    client = Client()
    _login(client, "pcc", TEST_PASSWORD)
    assert UserSession.objects.filter(user=users["pcc"]).count() == 1
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=users["pcc"]).exists()


def test_the_admin_user_list_offers_the_end_sessions_action(client_for):
    page = client_for("admin").get("/admin/auth/user/")
    assert "End all sessions of the selected users" in page.content.decode()
