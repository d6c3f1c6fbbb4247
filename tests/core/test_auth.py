"""Signing in and out, lockout, password change and session lifetimes."""

from datetime import timedelta

import time_machine
from axes.utils import reset
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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


def test_a_username_longer_than_any_account_is_refused_beside_the_field(users):
    response = _login(Client(), "x" * 1200, "not the password at all")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Sign in" in page and 'href="#id_username"' in page
    assert "at most 150 characters" in page


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


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_renews_the_session_at_most_once_a_minute(users):
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        _login(client, "leader", TEST_PASSWORD)
        assert _expiry(client) == start + timedelta(minutes=30)
        clock.shift(30)
        response = client.get("/")
        # No write, no new cookie: the renewal half a minute ago still stands.
        assert response.status_code == 200 and settings.SESSION_COOKIE_NAME not in response.cookies
        assert _expiry(client) == start + timedelta(minutes=30)
        clock.shift(31)
        response = client.get("/")
        assert response.status_code == 200 and settings.SESSION_COOKIE_NAME in response.cookies
        assert _expiry(client) == start + timedelta(seconds=61, minutes=30)
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_idle_timeout_never_exceeds_thirty_minutes_from_the_last_request(users):
    with time_machine.travel("2026-11-28 09:00:00+00:00", tick=False) as clock:
        client = Client()
        _login(client, "leader", TEST_PASSWORD)
        clock.shift(59)
        assert client.get("/").status_code == 200  # within the minute: not renewed
        clock.shift(29 * 60 + 2)  # 30 min 1 s after the last renewal, 29 min 2 s after the last request
        response = client.get("/")
        assert response.status_code == 302 and LOGIN in response["Location"]
    with time_machine.travel("2026-11-28 12:00:00+00:00", tick=False) as clock:
        client = Client()
        _login(client, "leader", TEST_PASSWORD)
        for _ in range(48):  # a request every 50 seconds for 40 minutes keeps the session
            clock.shift(50)
            assert client.get("/").status_code == 200
        assert _expiry(client) > timezone.now() + timedelta(minutes=28)


def test_the_warning_clock_counts_from_the_last_renewal_and_staying_renews_at_once(users):
    with time_machine.travel("2026-11-28 09:00:00+00:00", tick=False) as clock:
        client = Client()
        _login(client, "leader", TEST_PASSWORD)
        clock.shift(40)
        assert 'data-session-timeout="1760"' in client.get("/").content.decode()
        clock.shift(5)
        answer = client.post("/accounts/session/extend/", {"next": "/"}, headers={"accept": "application/json"})
        assert answer.json() == {"expires_in": 30 * 60}
        assert _expiry(client) == timezone.now() + timedelta(minutes=30)
        assert 'data-session-timeout="1800"' in client.get("/").content.decode()


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
