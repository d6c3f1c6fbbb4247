"""The two-step pages: enter a code, use a recovery code, set up an authenticator, see recovery codes.

Each page does nothing for a user whose second step is already done (or when MFA_REQUIRED is off):
it sends them on to where they were going.
"""

from base64 import b32encode
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mshtgov import sessions
from mshtgov.access import safe_next
from mshtgov.mfa import VERIFIED_SESSION_KEY, devices, enrolment, is_pending
from mshtgov.mfa.forms import AppCodeForm, EnrolmentCodeForm, RecoveryCodeForm, too_many_attempts
from mshtgov.mfa.qr import grouped, qr_data_uri

_NEW_CODES_SESSION_KEY = "mfa_new_recovery_codes"


def _next(request) -> str:
    """Where to go afterwards: the `next` asked for if it is on this site, else the dashboard."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), default=reverse("home"))


def _to(url_name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")


def _complete(request) -> None:
    """The second step is done: a new session key (whoever knew the password-step key learns nothing),
    the session index moved to it, and the flag the middleware checks. `signed_in_at` is session data,
    so the absolute lifetime still runs from the password step."""
    old_key = request.session.session_key
    request.session.cycle_key()
    request.session[VERIFIED_SESSION_KEY] = request.user.pk
    sessions.session_rekeyed(request.user, old_key, request.session.session_key)


def _show_refusal(form, outcome) -> bool:
    """Put a refused code's reason beside the field; True when the code was accepted."""
    if outcome.wait_seconds:
        form.add_error("code", too_many_attempts(outcome.wait_seconds))
    elif not outcome.ok:
        form.add_error("code", form.wrong_message)
    return outcome.ok


def _check_code(request, form, *, allow_app_code: bool) -> bool:
    return _show_refusal(form, devices.verify(request.user, form.cleaned_data["code"], allow_app_code=allow_app_code))


def _code_page(request, form_class, template: str, *, allow_app_code: bool):
    next_url = _next(request)
    if not is_pending(request):
        return HttpResponseRedirect(next_url)
    if devices.confirmed_app_device(request.user) is None:
        return _to("mfa-setup", next_url)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _check_code(request, form, allow_app_code=allow_app_code):
        _complete(request)
        return HttpResponseRedirect(next_url)
    return render(request, template, {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    return _code_page(request, AppCodeForm, "registration/mfa_verify.html", allow_app_code=True)


@never_cache
@sensitive_post_parameters("code")
def recovery(request):
    return _code_page(request, RecoveryCodeForm, "registration/mfa_recovery.html", allow_app_code=False)


@never_cache
@sensitive_post_parameters("code")
def enrol(request):
    """Before an authenticator can be set up: the one-time code an admin issued (`mshtgov.mfa.enrolment`)."""
    next_url = _next(request)
    if not is_pending(request):
        return HttpResponseRedirect(next_url)
    if devices.confirmed_app_device(request.user) is not None:
        return _to("mfa-verify", next_url)
    if enrolment.may_set_up(request):
        return _to("mfa-setup", next_url)
    form = EnrolmentCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if enrolment.redeem(request.user, form.cleaned_data["code"]):
            request.session[enrolment.REDEEMED_SESSION_KEY] = request.user.pk
            return _to("mfa-setup", next_url)
        form.add_error("code", form.wrong_message)
    return render(request, "registration/mfa_enrol.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    next_url = _next(request)
    if not is_pending(request):
        return HttpResponseRedirect(next_url)
    if devices.confirmed_app_device(request.user) is not None:
        return _to("mfa-verify", next_url)
    if not enrolment.may_set_up(request):
        # The password alone does not let anyone set up an authenticator: an admin's enrolment code first.
        return _to("mfa-enrol", next_url)
    device = devices.pending_app_device(request.user)
    form = AppCodeForm(request.POST if request.method == "POST" else None)
    confirmed = (
        request.method == "POST"
        and form.is_valid()
        and _show_refusal(form, devices.confirm_app_device(request.user, device, form.cleaned_data["code"]))
    )
    if confirmed:
        request.session.pop(enrolment.REDEEMED_SESSION_KEY, None)
        request.session[_NEW_CODES_SESSION_KEY] = devices.new_recovery_codes(request.user)
        _complete(request)
        return _to("mfa-recovery-codes", next_url)
    secret = b32encode(device.bin_key).decode().rstrip("=")  # what apps take when typed in
    return render(
        request,
        "registration/mfa_setup.html",
        {"form": form, "next": next_url, "qr_uri": qr_data_uri(device.config_url), "secret": grouped(secret)},
    )


@never_cache
def recovery_codes(request):
    """Shown once, straight after set-up: the codes leave the session as they are shown."""
    next_url = _next(request)
    codes = request.session.pop(_NEW_CODES_SESSION_KEY, None)
    if not codes:
        return HttpResponseRedirect(next_url)
    return render(request, "registration/mfa_recovery_codes.html", {"codes": codes, "next": next_url})
