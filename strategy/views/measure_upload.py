"""CSV upload of measure values: upload -> preview (every problem named by row and column) -> confirm.

Between preview and confirm the file's text waits in the user's session under a one-time token, so
the confirmation lands exactly what was previewed (checked again against the data as it is then)."""

import secrets

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mshtgov.access import require
from strategy.forms import MeasureUploadForm
from strategy.services.measure_import import ImportRefused, check_csv, measure_values_import

_SESSION_KEY = "strategy-measure-upload"


def _crumbs(label):
    return [("Strategy", reverse("strategy:index")), ("Performance", reverse("strategy:measure-list")), (label, "")]


@require(perms=("strategy.add_measurevalue",))
def measure_upload(request):
    form = MeasureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked = check_csv(form.text)
        token = ""
        if checked.ok:
            token = secrets.token_urlsafe(16)
            request.session[_SESSION_KEY] = {
                "token": token,
                "text": form.text,
                "filename": form.cleaned_data["file"].name,
            }
        return render(
            request,
            "strategy/measure_upload_preview.html",
            {
                "checked": checked,
                "token": token,
                "filename": form.cleaned_data["file"].name,
                "breadcrumbs": _crumbs("Upload values"),
            },
        )
    return render(request, "strategy/measure_upload.html", {"form": form, "breadcrumbs": _crumbs("Upload values")})


@require_POST
@require(perms=("strategy.add_measurevalue",))
def measure_upload_confirm(request):
    pending = request.session.get(_SESSION_KEY) or {}
    if not pending or not secrets.compare_digest(pending.get("token", ""), request.POST.get("token", "")):
        messages.error(request, "That upload has expired or was already saved. Upload the file again.")
        return redirect("strategy:measure-upload")
    try:
        created = measure_values_import(text=pending["text"], by=request.user, filename=pending["filename"])
    except ImportRefused as refused:
        checked = check_csv(pending["text"])
        return render(
            request,
            "strategy/measure_upload_preview.html",
            {
                "checked": checked,
                "token": "",
                "filename": pending["filename"],
                "refused": refused.problems,
                "breadcrumbs": _crumbs("Upload values"),
            },
        )
    except IntegrityError:
        # Someone saved a value for the same period between our check and our insert: nothing landed.
        messages.error(
            request,
            "Someone saved values for the same periods while you were uploading. Nothing "
            "was saved: upload the file again to see which rows clash.",
        )
        return redirect("strategy:measure-upload")
    finally:
        request.session.pop(_SESSION_KEY, None)
    messages.success(request, f"{len(created)} values saved from {pending['filename']}.")
    return redirect("strategy:measure-list")
