from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from mshtgov.history import render_history
from mshtgov.roles import Role, has_role, is_external_partner


def may_see_reviews(user) -> bool:
    return not is_external_partner(user) and has_role(user, Role.SENIOR_LEADER, Role.PARTNERSHIP_COORDINATOR)


def section_links(user) -> list[tuple[str, str]]:
    """The partnerships pages this user may open, for the section's own navigation."""
    links = [
        (
            "Partnerships",
            "partnerships:partnership-list",
            is_external_partner(user) or user.has_perm("partnerships.view_partnership"),
        ),
        (
            "Agreements",
            "partnerships:agreement-list",
            is_external_partner(user) or user.has_perm("partnerships.view_informationsharingagreement"),
        ),
        ("Organisations", "partnerships:organisation-list", user.has_perm("partnerships.view_partnerorganisation")),
        (
            "Safeguarding notifications",
            "partnerships:notification-list",
            user.has_perm("partnerships.view_safeguardingnotification"),
        ),
        ("Victim support", "partnerships:support-list", user.has_perm("partnerships.view_supportservice")),
        ("ICTG referrals", "partnerships:ictg-list", user.has_perm("partnerships.view_ictg_referrals")),
        ("Reviews due", "partnerships:reviews", may_see_reviews(user)),
    ]
    return [(label, reverse(name)) for label, name, shown in links if shown]


def page(request, template: str, context: dict, *, status: int = 200):
    return render(request, template, {"section_links": section_links(request.user), **context}, status=status)


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form, next to the field it names where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def edit_page(
    request,
    *,
    form,
    save,
    success_url,
    title: str,
    breadcrumbs,
    cancel_url: str,
    extra=None,
    success_message="Saved.",
    template: str = "partnerships/form.html",
):
    """The create/edit round trip every register shares: show, validate, save through a service, redirect.

    `success_url` and `success_message` may be callables given what `save` returned."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success_message(saved) if callable(success_message) else success_message)
            return redirect(success_url(saved) if callable(success_url) else success_url)
    context = {"form": form, "title": title, "breadcrumbs": breadcrumbs, "cancel_url": cancel_url, **(extra or {})}
    return page(request, template, context)


def record_edit_page(request, form, trail, *, service, success_message: str):
    """The change page of a record that has its own detail page. `trail` is the breadcrumbs down to that
    page, ending with (record name, detail URL); saving goes through `service(form=..., by=...)`."""
    name, detail_url = trail[-1]
    return edit_page(
        request,
        form=form,
        save=lambda f: service(form=f, by=request.user),
        success_url=detail_url,
        title=f"Change {name}",
        breadcrumbs=[*trail, ("Change", "")],
        cancel_url=detail_url,
        success_message=success_message,
    )


def record_history_page(request, record, trail):
    """The history page of a record, after the caller's access check; `trail` ends with its detail page."""
    return render_history(request, record, back_url=trail[-1][1], breadcrumbs=[*trail, ("History", "")])
