"""Two-step sign-in: a password, then a code from an authenticator app (TOTP, django-otp).

docs/SECURITY.md AUTH-5 (option b), ASVS V6.3.3. The password step signs the user in as Django knows it;
until the second step is done the session carries no `VERIFIED_SESSION_KEY`, and
`mshtgov.mfa.middleware.TwoStepMiddleware` sends every request except the sign-in and two-step pages
to the two-step page. The flag lives in the session so a verified request costs no extra query.
"""

from django.conf import settings

# The user's pk once the second step is done in this session (the pk, not True, so a flag can never
# vouch for a different user should a session ever change hands without a flush).
VERIFIED_SESSION_KEY = "mfa_verified_user"


def is_pending(request) -> bool:
    """True while a signed-in user still has the second step to do."""
    if not settings.MFA_REQUIRED:
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return request.session.get(VERIFIED_SESSION_KEY) != user.pk
