"""The form page every app shares: one template, one create/edit round trip, and one way a service's
refusal (a `ValidationError`) reaches the form, next to the field it names."""

import secrets
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from mshtgov import page_cache
from mshtgov.audit import log_consult
from mshtgov.marking import mark_page, markings_raised
from mshtgov.tracking import EditConflict

FORM_TEMPLATE = "mshtgov/form_page.html"


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: beside the field it names when the form has that field,
    otherwise above the form (the error summary links to both). An `EditConflict` (someone saved the
    record first) keeps the editor's input on the form and lets them save again once they have looked."""
    if isinstance(error, EditConflict) and hasattr(form, "accept_version"):
        form.accept_version(error.current_version)
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for each in errors:
                form.add_error(field if field in form.fields else None, each)
    else:
        for message in error.messages:
            form.add_error(None, message)


def form_page(
    request,
    form,
    *,
    title: str,
    breadcrumbs,
    back_url: str = "",
    submit: str = "Save",
    intro: str = "",
    caption: str = "",
    record=None,
    upload: bool = False,
    warning: bool = False,
    extra: dict | None = None,
    template: str = FORM_TEMPLATE,
):
    """Render a form page. "Cancel" goes to `back_url`, or one step up the breadcrumbs. `record`: the
    record being edited (its marking is shown); `upload`: the form takes files; `warning`: the button
    does something that cannot be undone."""
    return render(
        request,
        template,
        _form_context(
            form,
            title=title,
            breadcrumbs=breadcrumbs,
            back_url=back_url,
            submit=submit,
            intro=intro,
            caption=caption,
            record=record,
            upload=upload,
            warning=warning,
            extra=extra,
        ),
    )


def _form_context(
    form,
    *,
    title,
    breadcrumbs,
    back_url="",
    submit="Save",
    intro="",
    caption="",
    record=None,
    upload=False,
    warning=False,
    extra=None,
) -> dict:
    if not back_url:
        back_url = breadcrumbs[-2][1] if len(breadcrumbs) >= 2 else "/"
    return {
        "form": form,
        "title": title,
        "breadcrumbs": breadcrumbs,
        "back_url": back_url,
        "submit_label": submit,
        "intro": intro,
        "caption": caption,
        "record": record,
        "upload": upload,
        "warning": warning,
        **(extra or {}),
    }


def edit_page(request, form, *, save, success_url, success_message="Saved.", **page):
    """The create/edit round trip: show the form; on a valid POST call `save(form)` (a service), then say
    so and redirect; a service's refusal goes back onto the form, nothing saved.

    `success_url` and `success_message` may be callables given what `save` returned; `page` is what
    `form_page` takes."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success_message(saved) if callable(success_message) else success_message)
            return redirect(success_url(saved) if callable(success_url) else success_url)
    return form_page(request, form, **page)


def cached_edit_page(request, name: str, page: Callable[[], tuple]):
    """`edit_page` whose GET (the blank or filled-in form, before any input) is served from the reader's page
    cache (`mshtgov.page_cache`; issue 15: finding the record through the reader's visibility rules and
    drawing a form of people, threats and objectives to choose from cost two to four times the page around it).

    `page()` does what the view did before `edit_page`: finds the record (a 404 or refusal there is raised, and
    nothing is kept), marks the page with it, builds the form from `request.POST or None`, and returns
    `(form, edit_page's keywords)`, or a response to serve instead (a redirect: never kept). A sensitive record
    whose view is logged is named by the keyword `consulted` (`mshtgov.audit.consult_to_log`): logged on every
    view, hit or miss. A POST always runs it live, so validation, conflicts and errors are as
    before. The entry is the reader's own, for this `name` (the record) and day, and is dropped when anything
    its build read changes (the record, its version, a choice list): the form shown is never older than the
    last save. The CSRF token is never kept: the reader's own is put back on every view."""
    if request.method != "GET":
        made = page()
        if isinstance(made, HttpResponseBase):
            return made
        form, keywords = made
        log_consult(request, keywords.pop("consulted", None))
        return edit_page(request, form, **keywords)
    entry = page_cache.record_page(request, f"form:{name}", lambda: _drawn_form(request, page))
    if "response" in entry:
        return entry["response"]
    mark_page(request, *entry["markings"])
    log_consult(request, entry["consulted"])
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": entry["title"],
            "body_html": mark_safe(page_cache.with_token(request, entry["body"])),  # noqa: S308 - drawn escaped
            "breadcrumbs": entry["breadcrumbs"],
        },
    )


def _drawn_form(request, page) -> dict:
    with markings_raised(request) as raised:
        made = page()
        if isinstance(made, HttpResponseBase):  # a redirect (the record is locked...): served, never kept
            return {"response": made, "cacheable": False}
        form, keywords = made
        consulted = keywords.pop("consulted", None)
        for done in ("save", "success_url", "success_message"):
            keywords.pop(done, None)
        template = keywords.pop("template", FORM_TEMPLATE)
        context = _form_context(form, **keywords)
        stand_in = secrets.token_hex(20)  # the CSRF token's place: see page_cache.drawn_without_token
        body = page_cache.drawn_blocks(template, {**context, "csrf_token": stand_in}, request, ("content",))
    return {
        "title": str(context["title"]),
        "body": body["content"].split(stand_in),
        "breadcrumbs": [(str(label), str(url)) for label, url in context["breadcrumbs"]],
        "markings": raised.kept(),
        "consulted": consulted,
    }
