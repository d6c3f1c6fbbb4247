"""Small helpers the governance views share."""

from django.core.exceptions import ValidationError
from django.shortcuts import render


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal beside the field it concerns (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def form_page(request, form, *, title, submit, back_url, breadcrumbs, intro="", upload=False, record=None):
    return render(
        request,
        "governance/form_page.html",
        {
            "form": form,
            "page_title": title,
            "submit_label": submit,
            "back_url": back_url,
            "breadcrumbs": breadcrumbs,
            "intro": intro,
            "upload": upload,
            "record": record,
        },
    )
