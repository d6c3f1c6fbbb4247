"""Validators shared by every app."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from mshtgov.personal_data.detectors import find as find_personal_data

# A pseudonymous reference is letters, digits and separators with at least one digit, e.g. "OP-2026-0142"
# or "MSHT/24/0077". Anything shaped like a name, a date of birth, a phone number or a postcode is
# refused: victims are never named, and a reference must not be made from who they are.
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_\-.]{2,39}$")
_DATE_LIKE = re.compile(r"\b\d{1,2}[/\-.]\d{1,2}[/\-.](\d{2}|\d{4})\b|\b\d{4}-\d{2}-\d{2}\b")
_NAME_LIKE = re.compile(r"^[A-Za-z][a-z]+([ '\-][A-Za-z][a-z]+)+$")
_DIGIT_RUN = re.compile(r"(?<!\d)\d{6,8}(?!\d)")
_PARTS = re.compile(r"[A-Za-z]+|\d+")
_UK_PHONE_DIGITS = re.compile(r"^(?:44|0)?(?:7\d{9}|[12]\d{8,9})$")

PSEUDONYMOUS_HELP = "A case or operation reference such as OP-2026-0142. Never a name or date of birth."
EXAMPLE = "Enter the case reference only, such as OP-2026-0142."


def _is_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= timezone.localdate().year


def _reads_as_date(run: str) -> bool:
    """A run of 6 to 8 digits that reads as a day, month and year (ddmmyy, ddmmyyyy or yyyymmdd)."""
    if len(run) == 6:
        day, month, yy = int(run[:2]), int(run[2:4]), int(run[4:])
        this_year = timezone.localdate().year
        year = 2000 + yy if 2000 + yy <= this_year else 1900 + yy
        return _is_date(day, month, year)
    if len(run) == 8:
        return _is_date(int(run[:2]), int(run[2:4]), int(run[4:])) or _is_date(
            int(run[6:]), int(run[4:6]), int(run[:4])
        )
    # 7 digits: a day or month written with one digit (1431991 = 1/4/1991 or 14/3/1991).
    return _is_date(int(run[0]), int(run[1:3]), int(run[3:])) or _is_date(int(run[:2]), int(run[2]), int(run[3:]))


def _birth_year(number: str, this_year: int) -> bool:
    """A 2- or 4-digit number that could be the year of birth of someone at least 12 years old."""
    if len(number) == 4:
        return 1920 <= int(number) <= this_year - 12
    if len(number) == 2:
        year = 1900 + int(number) if int(number) > this_year % 100 else 2000 + int(number)
        return 1920 <= year <= this_year - 12
    return False


def _name_shaped(text: str) -> bool:
    """ "Jane-Smith-1991", "SMITH-J-91", "KOWALSKI-1991": words written as a name, a surname and initial
    beside a year of birth, or a word beside a year of birth. "KESTREL-2026-01" and "OPS-A-0012" pass."""
    parts = _PARTS.findall(text)
    words = [p for p in parts if p.isalpha()]
    if any(len(w) >= 3 and w[0].isupper() and w[1:].islower() for w in words):
        return True  # references are written in capitals; "Jane", "Smith" are written as names
    this_year = timezone.localdate().year
    birth_years = [p for p in parts if p.isdigit() and _birth_year(p, this_year)]
    for index, part in enumerate(parts):
        if not part.isalpha() or not birth_years:
            continue
        neighbours = parts[max(0, index - 1) : index] + parts[index + 1 : index + 2]
        if len(part) >= 3 and any(n.isalpha() and len(n) == 1 for n in neighbours):
            return True  # SMITH-J-91: a surname, an initial and a year of birth
    for index, part in enumerate(parts):
        if part.isdigit() and len(part) == 4 and _birth_year(part, this_year):
            neighbours = parts[max(0, index - 1) : index] + parts[index + 1 : index + 2]
            if any(n.isalpha() and len(n) >= 3 for n in neighbours):
                return True  # KOWALSKI-1991: a word beside a year of birth
    return False


def validate_pseudonymous_reference(value: str) -> None:
    text = (value or "").strip()
    digits = re.sub(r"\D", "", text)
    if _DATE_LIKE.search(text) or any(_reads_as_date(run) for run in _DIGIT_RUN.findall(text)):
        raise ValidationError(f"This looks like a date of birth. {EXAMPLE}", code="looks_like_date")
    if _UK_PHONE_DIGITS.match(digits) and not re.search(r"[A-Za-z]", text):
        raise ValidationError(f"This looks like a phone number. {EXAMPLE}", code="looks_like_phone")
    findings = find_personal_data(re.sub(r"[\-_/.]", " ", text))
    postcode = next((f for f in findings if f.kind.key in ("postcode", "ni_number", "vehicle")), None)
    if postcode is not None:
        raise ValidationError(
            f"This looks like {postcode.kind.what}. {EXAMPLE}", code=f"looks_like_{postcode.kind.key}"
        )
    if _NAME_LIKE.match(text) or " " in text or _name_shaped(text):
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
