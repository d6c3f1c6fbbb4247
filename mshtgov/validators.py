"""Validators shared by every app."""

import re

from django.core.exceptions import ValidationError

# A pseudonymous reference is letters, digits and separators with at least one digit, e.g. "OP-2026-0142"
# or "MSHT/24/0077". Anything shaped like a name or a date of birth is refused: victims are never named.
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_\-.]{2,39}$")
_DATE_LIKE = re.compile(r"\b\d{1,2}[/\-.]\d{1,2}[/\-.](\d{2}|\d{4})\b|\b\d{4}-\d{2}-\d{2}\b")
_NAME_LIKE = re.compile(r"^[A-Za-z][a-z]+([ '\-][A-Za-z][a-z]+)+$")

PSEUDONYMOUS_HELP = "A case or operation reference such as OP-2026-0142. Never a name or date of birth."


def validate_pseudonymous_reference(value: str) -> None:
    text = (value or "").strip()
    if _DATE_LIKE.search(text):
        raise ValidationError(
            "This looks like a date of birth. Enter the case reference only, such as OP-2026-0142.",
            code="looks_like_date",
        )
    if _NAME_LIKE.match(text) or " " in text:
        raise ValidationError(
            "This looks like a name. Enter the pseudonymous case reference only, such as OP-2026-0142.",
            code="looks_like_name",
        )
    if not _REFERENCE.match(text) or not any(ch.isdigit() for ch in text):
        raise ValidationError(
            "Enter a reference of 3 to 40 letters, digits, dashes or slashes that includes a number, "
            "such as OP-2026-0142.",
            code="invalid_reference",
        )
