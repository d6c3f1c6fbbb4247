"""Two-step enrolment that a stolen password cannot take over (issue 9): an account with no authenticator
sets one up only with a one-time enrolment code an admin issued; the code expires, works once, for its own
account, and only its hash is kept. The admin actions, a new account and the admin's password reset issue one."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from mshtgov.mfa import enrolment
from mshtgov.models import EnrolmentCode
from tests.core.test_mfa import ENROL, SETUP, VERIFY, code_for, password_step, verified_client
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mfa_on(settings):
    settings.MFA_REQUIRED = True


def _enrol(client, code):
    return client.post(ENROL, {"code": code, "next": "/"})


def test_the_password_alone_cannot_set_up_an_authenticator(users):
    attacker = Client()
    password_step(attacker, "analyst")
    refused = attacker.get(f"{SETUP}?next=%2F")
    assert refused.status_code == 302 and refused["Location"] == f"{ENROL}?next=%2F"
    page = attacker.get(refused["Location"]).content.decode()
    assert "Enter your enrolment code" in page and "totp-key" not in page
    # Posting a code to the set-up page straight away does not get round it.
    assert attacker.post(SETUP, {"code": "123456", "next": "/"})["Location"] == f"{ENROL}?next=%2F"
    assert not TOTPDevice.objects.filter(user=users["analyst"]).exists()
    assert attacker.get("/")["Location"].startswith(VERIFY)


def test_an_issued_code_lets_its_owner_set_up_once_and_only_its_hash_is_kept(users):
    code, row = enrolment.issue(users["analyst"], by=users["admin"])
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", code)
    stored = EnrolmentCode.objects.get(pk=row.pk)
    assert code.replace("-", "") not in str(stored.__dict__) and len(stored.code_hash) == 64

    person = Client()
    password_step(person, "analyst")
    # Spaces and capitals as people type them are fine.
    assert _enrol(person, f" {code.upper()} ")["Location"] == f"{SETUP}?next=%2F"
    page = person.get(f"{SETUP}?next=%2F")
    assert page.status_code == 200 and "totp-key" in page.content.decode()
    device = TOTPDevice.objects.get(user=users["analyst"], confirmed=False)
    assert person.post(SETUP, {"code": code_for(device), "next": "/"}).status_code == 302
    assert TOTPDevice.objects.get(user=users["analyst"]).confirmed

    # Used: the same code does nothing for someone else holding the password.
    TOTPDevice.objects.filter(user=users["analyst"]).delete()
    other = Client()
    password_step(other, "analyst")
    again = _enrol(other, code)
    assert again.status_code == 200 and "has been used or has expired" in again.content.decode()
    assert other.get(f"{SETUP}?next=%2F")["Location"].startswith(ENROL)


def test_a_wrong_code_is_refused_beside_the_field(users):
    enrolment.issue(users["analyst"], by=users["admin"])
    client = Client()
    password_step(client, "analyst")
    response = _enrol(client, "aaaa-bbbb-cccc")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_code-error"' in body and "The enrolment code is not right" in body
    assert "govuk-error-summary" in body


def test_a_code_is_only_for_its_own_account(users):
    code, _ = enrolment.issue(users["analyst"], by=users["admin"])
    client = Client()
    password_step(client, "pcc")
    assert _enrol(client, code).status_code == 200
    assert client.get(f"{SETUP}?next=%2F")["Location"].startswith(ENROL)


@pytest.mark.date_sensitive
def test_a_code_expires_after_72_hours(users, time_machine):
    code, row = enrolment.issue(users["analyst"], by=users["admin"])
    assert abs(row.expires_at - row.issued_at - timedelta(hours=72)) < timedelta(seconds=1)
    time_machine.move_to(row.issued_at + timedelta(hours=72, seconds=1))
    assert not enrolment.redeem(users["analyst"], code)


def test_guessing_stops_the_code_working_and_a_new_code_replaces_the_old(users):
    first, _ = enrolment.issue(users["analyst"], by=users["admin"])
    second, _ = enrolment.issue(users["analyst"], by=users["admin"])
    assert not enrolment.redeem(users["analyst"], first)  # replaced by the second
    for _ in range(enrolment.MAX_FAILED_ATTEMPTS - 1):
        assert not enrolment.redeem(users["analyst"], "nope-nope-nope")
    assert not enrolment.redeem(users["analyst"], second)  # the fifth wrong try came before it
    third, _ = enrolment.issue(users["analyst"], by=users["admin"])
    assert enrolment.redeem(users["analyst"], third)


def _codes_on(response) -> list[str]:
    return re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", response.content.decode())


def test_the_admin_action_and_the_two_step_reset_issue_a_code_that_works(users):
    admin = verified_client(users["admin"])
    issued = admin.post("/admin/auth/user/", {"action": "issue_enrolment_codes", "_selected_action": [users["pcc"].pk]})
    assert issued.status_code == 200 and len(_codes_on(issued)) == 1
    assert "expires after 72 hours" in issued.content.decode()

    TOTPDevice.objects.create(user=users["analyst"], name="Authenticator app", confirmed=True)
    reset = admin.post(
        "/admin/auth/user/", {"action": "reset_selected_users_two_step", "_selected_action": [users["analyst"].pk]}
    )
    body = reset.content.decode()
    assert "Reset two-step sign-in (1 device removed)" in body
    [code] = _codes_on(reset)
    client = Client()
    password_step(client, "analyst")
    assert _enrol(client, code)["Location"] == f"{SETUP}?next=%2F"


def test_a_new_account_and_an_admin_password_reset_show_an_enrolment_code(users):
    admin = verified_client(users["admin"])
    added = admin.post(
        "/admin/auth/user/add/",
        {"username": "newstarter", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD, "usable_password": "true"},
    )
    assert added.status_code == 200, added.content.decode()[:300]
    assert "The account newstarter was added." in added.content.decode()
    [code] = _codes_on(added)
    client = Client()
    password_step(client, "newstarter")
    assert _enrol(client, code)["Location"] == f"{SETUP}?next=%2F"

    user = users["coordinator"]
    changed = admin.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "Another-pass-2026!", "password2": "Another-pass-2026!", "usable_password": "true"},
    )
    assert changed.status_code == 200 and len(_codes_on(changed)) == 1
    # Someone who already has an authenticator needs no code: the reset is an ordinary one.
    TOTPDevice.objects.create(user=users["leader"], name="Authenticator app", confirmed=True)
    plain = admin.post(
        f"/admin/auth/user/{users['leader'].pk}/password/",
        {"password1": "Another-pass-2026!", "password2": "Another-pass-2026!", "usable_password": "true"},
    )
    assert plain.status_code == 302


def test_the_first_admin_gets_a_code_from_the_command_line(users):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("issue_enrolment_code", "admin", stdout=out)
    code = re.search(r"([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})", out.getvalue()).group(1)
    assert enrolment.redeem(users["admin"], code)
