"""Two-step sign-in (docs/SECURITY.md AUTH-5): set-up, codes, replay, throttling, recovery codes, the gate,
the session key and index, the admin reset, and that production settings turn it on."""

import json
import logging
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mshtgov.mfa import VERIFIED_SESSION_KEY, devices, enrolment
from mshtgov.models import UserSession
from tests.core.test_settings_and_deploy import _TEST_ONLY_ENV, PRODUCTION_ENV, ROOT
from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-step/"
SETUP = "/accounts/two-step/set-up/"
ENROL = "/accounts/two-step/enrol/"
RECOVERY = "/accounts/two-step/recovery-code/"
# The start of a 30-second step, so codes computed "now" stay current for the whole test.
T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def mfa_on(settings):
    settings.MFA_REQUIRED = True


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def code_for(device, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


def app_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def password_step(client, username="analyst", next_url=""):
    data = {"username": username, "password": TEST_PASSWORD}
    url = LOGIN
    if next_url:
        data["next"] = next_url
        url = f"{LOGIN}?next={quote(next_url)}"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def verified_client(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[VERIFIED_SESSION_KEY] = user.pk
    session.save()
    return client


def test_set_up_end_to_end_shows_qr_secret_and_recovery_codes_once(users, clock, caplog):
    code, _ = enrolment.issue(users["analyst"], by=users["admin"])
    client = Client()
    response = password_step(client)
    assert response["Location"] == f"{VERIFY}?next=%2F"
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?next=%2F"
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == f"{ENROL}?next=%2F"
    response = client.post(ENROL, {"code": code, "next": "/"})
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?next=%2F"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-xl">Set up two-step sign-in</h1>' in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    device = TOTPDevice.objects.get(user=users["analyst"], confirmed=False)
    secret = re.search(r'id="totp-key">([A-Z2-7 ]+)<', html).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", secret)  # grouped in fours for reading
    # Reloading shows the same secret, so a scanned code is not invalidated.
    assert secret in client.get(f"{SETUP}?next=%2F").content.decode()

    wrong = client.post(SETUP, {"code": "000000", "next": "/"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    clock.shift(5)  # past the one-second wait after a failure

    caplog.set_level(logging.INFO, logger="security")
    code = code_for(device)
    done = client.post(SETUP, {"code": code, "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/accounts/two-step/recovery-codes/?next=%2F"
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(done["Location"])
    html = shown.content.decode()
    codes = re.findall(r'<code class="govuk-!-font-size-24">([a-z2-7]{8})</code>', html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "This is the only time they are shown" in html
    assert set(StaticToken.objects.filter(device__user=users["analyst"]).values_list("token", flat=True)) == set(codes)
    # Shown once only.
    again = client.get(done["Location"])
    assert again.status_code == 302 and again["Location"] == "/"
    assert client.get("/").status_code == 200

    events = [getattr(r, "event", None) for r in caplog.records if r.name == "security"]
    assert "mfa_device_set_up" in events
    assert not any(code in json.dumps(r.__dict__, default=str) for r in caplog.records)


def test_sign_in_with_code_goes_to_next_with_a_new_session_key(users, clock, caplog):
    user = users["analyst"]
    device = app_device(user)
    client = Client()
    response = password_step(client, next_url="/governance/actions/")
    assert response["Location"] == f"{VERIFY}?next=%2Fgovernance%2Factions%2F"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Enter the 6-digit code from your authenticator app</h1>" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert "service-navigation" not in html  # no menu until the second step is done

    password_key = client.session.session_key
    signed_in_at = client.session["signed_in_at"]
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [password_key]

    caplog.set_level(logging.INFO, logger="security")
    code = code_for(device)
    done = client.post(VERIFY, {"code": code, "next": "/governance/actions/"})
    assert done.status_code == 302 and done["Location"] == "/governance/actions/"

    new_key = client.session.session_key
    assert new_key != password_key
    assert not Session.objects.filter(session_key=password_key).exists()
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [new_key]
    assert client.session["signed_in_at"] == signed_in_at  # the absolute lifetime runs from the password
    assert client.get("/governance/actions/").status_code == 200
    assert client.get(VERIFY).status_code == 302  # nothing left to do there

    assert [r for r in caplog.records if getattr(r, "event", None) == "mfa_verified"]
    assert not any(code in json.dumps(r.__dict__, default=str) for r in caplog.records)


def test_wrong_code_is_shown_beside_the_field_and_logged(users, clock, caplog):
    app_device(users["analyst"])
    client = Client()
    password_step(client)
    caplog.set_level(logging.INFO, logger="security")
    response = client.post(VERIFY, {"code": "123456", "next": "/"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html and 'href="#id_code"' in html
    assert 'id="id_code-error"' in html and "The code is not right or has already been used" in html
    assert 'aria-describedby="id_code-hint id_code-error"' in html
    empty = client.post(VERIFY, {"code": "", "next": "/"})
    assert "Enter the 6-digit code from your authenticator app" in empty.content.decode()
    assert [r for r in caplog.records if getattr(r, "event", None) == "mfa_failed"]
    assert not any("123456" in json.dumps(r.__dict__, default=str) for r in caplog.records)
    assert client.get("/").status_code == 302


def test_a_code_cannot_be_used_twice(users, clock):
    user = users["analyst"]
    device = app_device(user)
    code = code_for(device)
    first = Client()
    password_step(first)
    assert first.post(VERIFY, {"code": code, "next": "/"}).status_code == 302
    clock.shift(3)  # still inside the same 30-second step
    second = Client()
    password_step(second)
    replay = second.post(VERIFY, {"code": code, "next": "/"})
    assert replay.status_code == 200
    assert "The code is not right or has already been used" in replay.content.decode()
    assert second.get("/").status_code == 302


def test_repeated_failures_are_throttled_with_a_clear_wait(users, clock, caplog):
    device = app_device(users["analyst"])
    client = Client()
    password_step(client)
    client.post(VERIFY, {"code": "111111", "next": "/"})
    caplog.set_level(logging.INFO, logger="security")
    # Straight after a failure even the right code is refused, and the page says how long to wait.
    refused = client.post(VERIFY, {"code": code_for(device), "next": "/"})
    assert "Too many attempts: wait 1 second, then try again." in refused.content.decode()
    assert [r for r in caplog.records if getattr(r, "event", None) == "mfa_throttled"]
    clock.shift(2)
    client.post(VERIFY, {"code": "333333", "next": "/"})  # second failure: two seconds now
    refused = client.post(VERIFY, {"code": code_for(device), "next": "/"})
    assert "Too many attempts: wait 2 seconds" in refused.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 2  # refusals while throttled do not count as attempts
    clock.shift(3)
    assert client.post(VERIFY, {"code": code_for(device), "next": "/"}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_works_once_in_place_of_an_app_code(users, clock, caplog):
    user = users["analyst"]
    app_device(user)
    codes = devices.new_recovery_codes(user)
    caplog.set_level(logging.INFO, logger="security")
    first = Client()
    password_step(first)
    page = first.get(f"{RECOVERY}?next=%2F")
    assert "Enter a recovery code</h1>" in page.content.decode()
    # Typed with capitals and a space, as people copy them.
    used = first.post(RECOVERY, {"code": f"{codes[0][:4].upper()} {codes[0][4:]}", "next": "/"})
    assert used.status_code == 302 and used["Location"] == "/"
    assert devices.recovery_codes_left(user) == 9
    assert [r for r in caplog.records if getattr(r, "event", None) == "mfa_recovery_code_used"]

    clock.shift(5)
    second = Client()
    password_step(second)
    again = second.post(RECOVERY, {"code": codes[0], "next": "/"})
    assert again.status_code == 200
    assert "The recovery code is not right or has already been used." in again.content.decode()
    clock.shift(5)
    # The code box on the main page takes a recovery code too.
    assert second.post(VERIFY, {"code": codes[1], "next": "/"}).status_code == 302
    assert devices.recovery_codes_left(user) == 8


SAMPLE_URLS = [
    "/",
    "/accessibility/",
    "/accounts/password/",
    "/audit/access-log/",
    "/strategy/",
    "/strategy/versions/",
    "/governance/",
    "/governance/actions/mine/",
    "/partnerships/",
    "/partnerships/agreements/export.csv",
    "/learning/",
    "/learning/lessons/",
    "/admin/",
    "/admin/auth/user/",
    "/no-such-page/",
]


@pytest.mark.parametrize("with_device", [True, False], ids=["has-app", "no-app-yet"])
def test_every_page_redirects_to_the_two_step_page_until_it_is_done(users, with_device):
    if with_device:
        app_device(users["admin"])
    client = Client()
    password_step(client, username="admin")
    for url in SAMPLE_URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{VERIFY}?next={quote(url, safe='/')}", url
    post = client.post("/governance/boards/new/", {"name": "x"})
    assert post.status_code == 302 and post["Location"].startswith(VERIFY)
    # What the second step needs stays open.
    assert client.get("/healthz").status_code == 200
    assert client.get(VERIFY).status_code == (200 if with_device else 302)
    assert client.get(SETUP).status_code == 302  # to the code page, or to the enrolment code first
    assert client.get(ENROL).status_code == (302 if with_device else 200)
    assert client.get("/static/img/favicon.svg").status_code == 200
    # The idle-timeout warning's "Stay signed in" works on the two-step page too.
    extend = client.post("/accounts/session/extend/", HTTP_ACCEPT="application/json")
    assert extend.status_code == 200 and extend.json()["expires_in"] > 0


def test_next_to_another_site_is_dropped(users, clock):
    device = app_device(users["pcc"])
    client = Client()
    response = password_step(client, username="pcc", next_url="//evil.example/")
    assert response["Location"] == f"{VERIFY}?next=%2F"
    done = client.post(
        f"{VERIFY}?next=https://evil.example/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert done.status_code == 302 and done["Location"] == "/"


def test_sign_out_works_before_the_second_step(users):
    client = Client()
    password_step(client)
    key = client.session.session_key
    assert client.post("/accounts/logout/").status_code == 302
    assert not UserSession.objects.filter(session_key=key).exists()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_admin_reset_forces_set_up_again_and_ends_sessions(users, clock, caplog):
    user = users["analyst"]
    device = app_device(user)
    devices.new_recovery_codes(user)
    signed_in = Client()
    password_step(signed_in)
    assert signed_in.post(VERIFY, {"code": code_for(device), "next": "/"}).status_code == 302
    assert signed_in.get("/").status_code == 200

    admin = verified_client(users["admin"])
    caplog.set_level(logging.INFO, logger="security")
    response = admin.post(
        "/admin/auth/user/",
        {"action": "reset_selected_users_two_step", "_selected_action": [user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Reset two-step sign-in (2 devices removed) and ended 1 session." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert devices.recovery_codes_left(user) == 0
    assert not UserSession.objects.filter(user=user).exists()
    record = next(r for r in caplog.records if getattr(r, "event", None) == "mfa_reset")
    assert record.targets == [user.pk] and record.user_id == users["admin"].pk

    gone = signed_in.get("/")
    assert gone.status_code == 302 and gone["Location"].startswith(LOGIN)
    again = Client()
    password_step(again)
    assert again.get(f"{VERIFY}?next=%2F")["Location"] == f"{SETUP}?next=%2F"


def test_admin_sees_no_secret_keys():
    from django.conf import settings

    assert settings.OTP_ADMIN_HIDE_SENSITIVE_DATA


def test_signing_in_again_needs_the_second_step_again(users, clock):
    """The verified flag belongs to one sign-in: a new password sign-in in the same browser clears it."""
    user = users["analyst"]
    device = app_device(user)
    client = Client()
    password_step(client)
    assert client.post(VERIFY, {"code": code_for(device), "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    password_step(client)
    assert client.get("/")["Location"].startswith(VERIFY)


def test_two_step_pages_send_signed_in_users_on_when_mfa_is_off(users, settings):
    settings.MFA_REQUIRED = False
    client = Client()
    response = password_step(client)
    assert response["Location"] == "/"
    for url in (VERIFY, ENROL, SETUP, RECOVERY, "/accounts/two-step/recovery-codes/"):
        response = client.get(f"{url}?next=/learning/")
        assert response.status_code == 302 and response["Location"] == "/learning/", url
    assert client.get("/").status_code == 200


def test_production_settings_require_two_step_sign_in():
    code = "import django;django.setup();from django.conf import settings as s;print(s.MFA_REQUIRED, s.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY_ENV}
    env.update({**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "mshtgov.settings"})
    env.pop("MFA_REQUIRED", None)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "False"], result.stderr
    # The DEBUG demo signs in with a password alone.
    env.update({"DEBUG": "true"})
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_throttle_wait_is_rounded_up():
    half_a_second_ago = datetime.now(UTC) - timedelta(seconds=0.5)
    device = TOTPDevice(throttling_failure_count=3, throttling_failure_timestamp=half_a_second_ago)
    assert devices._wait_seconds(device) == 4


def test_two_step_pages_cost_the_same_queries_however_many_users_have_devices(users):
    from tests.factories import UserFactory
    from tests.querycount import assert_constant_queries

    made = iter(range(1000))

    def grow():  # each call adds 15 more users with an app and recovery codes
        for n in (next(made) for _ in range(15)):
            other = UserFactory(username=f"mfa-other-{n}")
            app_device(other)
            devices.new_recovery_codes(other)

    with_app, without_app = Client(), Client()
    app_device(users["analyst"])
    devices.new_recovery_codes(users["analyst"])
    password_step(with_app, username="analyst")
    password_step(without_app, username="pcc")
    assert assert_constant_queries(with_app, VERIFY, grow, max_queries=8)
    assert assert_constant_queries(with_app, RECOVERY, grow, max_queries=8)
    assert assert_constant_queries(without_app, ENROL, grow, max_queries=8)
    enrolment.issue(users["pcc"], by=users["admin"])
    assert without_app.post(ENROL, {"code": enrolment.issue(users["pcc"], by=users["admin"])[0]}).status_code == 302
    assert assert_constant_queries(without_app, SETUP, grow, max_queries=8)
