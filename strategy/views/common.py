"""Small helpers the strategy views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from mshtgov.audit import log_consult_if_sensitive
from mshtgov.marking import mark_page

PAGE_SIZE = 25


def paginate(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def show_record(request, obj):
    """Mark the page for a record and log the consultation when it is sensitive."""
    mark_page(request, obj)
    log_consult_if_sensitive(request, obj)


def messages_from(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def confirm(request, *, title, body, button, action_url, back_url, breadcrumbs, warning="", obj=None):
    """A page asking the user to confirm a state change (approve, submit, sign off) before a POST does it."""
    if obj is not None:
        show_record(request, obj)
    return render(
        request,
        "strategy/confirm.html",
        {
            "title": title,
            "body": body,
            "button": button,
            "action_url": action_url,
            "back_url": back_url,
            "breadcrumbs": breadcrumbs,
            "warning": warning,
        },
    )


def do_transition(request, act, *, success: str, then: str):
    """The POST half of a confirmed state change (approve, submit, sign off): call the service, say how it went
    (its refusal as error messages), and go back to the record either way."""
    try:
        act()
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, success)
    return redirect(then)
