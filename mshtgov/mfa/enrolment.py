"""One-time enrolment codes: the only way an account with no authenticator can set one up.

The password alone must not be enough to enrol (an attacker who learnt the password of a new account, or of
one an admin has just reset, would enrol their own phone and own the account). An admin issues a code
(`issue`: the admin actions and the admin's password reset do it) and gives it to the person by another
channel; the set-up page asks for it first (`redeem`). A code works once, for its own account, for
MFA_ENROLMENT_CODE_HOURS, and stops working after MAX_FAILED_ATTEMPTS wrong guesses. Only a keyed hash is
stored; the code itself is shown once, to the admin who issued it.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from mshtgov.models import EnrolmentCode

log = logging.getLogger("security")

# No 0/o, 1/l/i: the code is read out or typed from a note. 12 characters of 31: about 59 bits.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_LENGTH = 12
MAX_FAILED_ATTEMPTS = 5
# The session holds the account whose code was redeemed in it: the set-up page opens for that account only.
REDEEMED_SESSION_KEY = "mfa_enrolment_redeemed_for"


def lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "MFA_ENROLMENT_CODE_HOURS", 72))


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _digest(code: str) -> str:
    return salted_hmac("mshtgov.mfa.enrolment", _normalise(code), algorithm="sha256").hexdigest()


def _readable(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def issue(user, *, by) -> tuple[str, EnrolmentCode]:
    """A new code for `user` (any code issued before stops working). Returns the code, to show once."""
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    row = EnrolmentCode.objects.create(user=user, code_hash=_digest(code), issued_by=by, expires_at=now + lifetime())
    log.info(
        "two-step enrolment code issued",
        extra={"event": "mfa_enrolment_code_issued", "user_id": getattr(by, "pk", None), "targets": [user.pk]},
    )
    return _readable(code), row


@transaction.atomic
def redeem(user, code: str) -> bool:
    """True, and the code is used up, when `code` is a live code issued for `user`. A wrong code counts
    against every live code of the account; after MAX_FAILED_ATTEMPTS they stop working."""
    now = timezone.now()
    live = EnrolmentCode.objects.select_for_update().filter(user=user, used_at__isnull=True, expires_at__gt=now)
    match = live.filter(code_hash=_digest(code)).first() if _normalise(code) else None
    if match is not None:
        match.used_at = now
        match.save(update_fields=["used_at"])
        log.info("two-step enrolment code used", extra={"event": "mfa_enrolment_code_used", "user_id": user.pk})
        return True
    live.update(failed_attempts=F("failed_attempts") + 1)
    EnrolmentCode.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=now, failed_attempts__gte=MAX_FAILED_ATTEMPTS
    ).update(expires_at=now)
    log.warning("two-step enrolment code wrong", extra={"event": "mfa_enrolment_code_failed", "user_id": user.pk})
    return False


def may_set_up(request) -> bool:
    """The set-up page opens only in a session where this account's enrolment code was redeemed."""
    return request.session.get(REDEEMED_SESSION_KEY) == request.user.pk
