"""What the two-step pages do with django-otp's devices, kept out of the views.

A user has at most one TOTP device (the authenticator app) and one static device (the recovery codes).
Verification goes through the devices' own `verify_token`, which refuses a code at or before the last
accepted time step (no replay) and doubles the wait after each failure (throttling); both states live
on the device row, so they hold across sessions and processes.
"""

import logging
import math
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

log = logging.getLogger("security")

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

_TOTP_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Outcome:
    ok: bool
    recovery_code_used: bool = False
    wait_seconds: int = 0  # > 0 when refused without checking, because of too many failures


def confirmed_app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_app_device(user) -> TOTPDevice:
    """The unconfirmed device being set up. The same secret is shown until it is confirmed, so a
    reload of the set-up page does not invalidate what the user has already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def normalise(code: str) -> str:
    """Spaces and dashes are how people copy codes, not part of them; recovery codes are lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def _wait_seconds(device) -> int:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return 0
    remaining = (info["locked_until"] - timezone.now()).total_seconds() if info.get("locked_until") else 1
    return max(1, math.ceil(remaining))


def _check(device, code: str) -> Outcome:
    wait = _wait_seconds(device)
    if wait:
        return Outcome(ok=False, wait_seconds=wait)
    return Outcome(ok=device.verify_token(code))


@transaction.atomic
def confirm_app_device(user, device: TOTPDevice, code: str) -> Outcome:
    """First use of a new authenticator: a right code confirms it (any older app device goes)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    outcome = _check(device, normalise(code))
    if outcome.ok:
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log.info("two-step device set up", extra={"event": "mfa_device_set_up", "user_id": user.pk})
    else:
        _log_outcome(user, outcome)
    return outcome


@transaction.atomic
def verify(user, code: str, *, allow_app_code: bool = True) -> Outcome:
    """Check a code from the app, or a recovery code (which is used up). Six digits are an app code;
    anything else is tried as a recovery code, so each device's throttle counts only its own kind."""
    code = normalise(code)
    if allow_app_code and _TOTP_CODE.match(code):
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        outcome = _check(device, code) if device else Outcome(ok=False)
    else:
        device = StaticDevice.objects.select_for_update().filter(user=user).first()
        outcome = _check(device, code) if device else Outcome(ok=False)
        outcome = Outcome(ok=outcome.ok, recovery_code_used=outcome.ok, wait_seconds=outcome.wait_seconds)
    _log_outcome(user, outcome)
    return outcome


def _log_outcome(user, outcome: Outcome) -> None:
    # Never the code itself: only what happened.
    if outcome.wait_seconds:
        log.warning("two-step code refused: too many attempts", extra={"event": "mfa_throttled", "user_id": user.pk})
    elif not outcome.ok:
        log.warning("two-step code wrong", extra={"event": "mfa_failed", "user_id": user.pk})
    elif outcome.recovery_code_used:
        log.info("two-step recovery code used", extra={"event": "mfa_recovery_code_used", "user_id": user.pk})
    else:
        log.info("two-step sign-in", extra={"event": "mfa_verified", "user_id": user.pk})


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a fresh set (the old ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def reset_devices(users) -> int:
    """Remove the users' authenticator and recovery codes: they set up again at their next sign-in.
    Returns how many devices went (the recovery codes' tokens go with their device)."""
    app = TOTPDevice.objects.filter(user__in=users)
    recovery = StaticDevice.objects.filter(user__in=users)
    count = app.count() + recovery.count()
    app.delete()
    recovery.delete()
    return count
