"""The form page every app shares: one template, one create/edit round trip, and one way a service's
refusal (a `ValidationError`) reaches the form, next to the field it names."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

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
    if not back_url:
        back_url = breadcrumbs[-2][1] if len(breadcrumbs) >= 2 else "/"
    context = {
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
    return render(request, template, context)


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
