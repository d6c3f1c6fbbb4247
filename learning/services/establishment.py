"""Setting the establishment (headcount by unit and role group), one at a time or from a CSV file."""

import csv
import io

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from learning.models import Establishment, RoleGroup, Unit
from learning.services.training_csv import ImportFileError, decode_text
from mshtgov import summaries
from mshtgov.tracking import save_tracked

COLUMNS = ("unit", "role_group", "headcount")
MAX_ROWS = 5000


class EstablishmentErrors(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _unit_named(name: str, *, by, reason: str) -> Unit:
    unit = Unit.objects.filter(name__iexact=name).first()
    if unit is None:
        unit = Unit(name=name)
        save_tracked(unit, by=by, reason=reason)
    return unit


@transaction.atomic
def establishment_set(*, unit_name: str, role_group: RoleGroup, headcount: int, by, reason: str = "") -> Establishment:
    """Set one headcount (adding the unit when it is new)."""
    reason = reason or "Establishment set"
    unit = _unit_named(unit_name, by=by, reason=reason)
    row = Establishment.objects.select_for_update().filter(unit=unit, role_group=role_group).first()
    row = row or Establishment(unit=unit, role_group=role_group)
    row.headcount = headcount
    save_tracked(row, by=by, reason=reason)
    return row


@transaction.atomic
def establishment_import(*, raw: bytes, by, file_name: str = "") -> int:
    """Set every headcount in the file, or none. Raises ImportFileError or EstablishmentErrors."""
    text = decode_text(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower().replace(" ", "_") for h in (next(reader, None) or [])]
    if sorted(header) != sorted(COLUMNS):
        raise ImportFileError("The columns are wrong. The first row must be exactly: " + ", ".join(COLUMNS) + ".")
    at = {c: header.index(c) for c in COLUMNS}
    groups = {}
    for group in RoleGroup.objects.all():
        groups[group.code.lower()] = group
        groups[group.name.lower()] = group
    errors, wanted, seen = [], [], {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(wanted) + len(errors) >= MAX_ROWS:
            raise ImportFileError(f"The file has more than {MAX_ROWS} rows.")
        if len(cells) != len(header):
            errors.append({"row": number, "column": "", "message": "The row does not have three cells."})
            continue
        unit = " ".join(cells[at["unit"]].split())
        group = groups.get(cells[at["role_group"]].strip().lower())
        count = cells[at["headcount"]].strip()
        if not unit or len(unit) > 120:
            errors.append({"row": number, "column": "unit", "message": "Enter a unit name of up to 120 characters."})
        if group is None:
            errors.append(
                {
                    "row": number,
                    "column": "role_group",
                    "message": f"“{cells[at['role_group']][:60]}” is not a known role group.",
                }
            )
        if not count.isdigit() or int(count) > 100_000:
            errors.append({"row": number, "column": "headcount", "message": "Enter a whole number from 0 to 100,000."})
        if errors and errors[-1]["row"] == number:
            continue
        key = (unit.lower(), group.pk)
        if key in seen:
            errors.append({"row": number, "column": "", "message": f"This row repeats row {seen[key]}."})
            continue
        seen[key] = number
        wanted.append((unit, group, int(count)))
    if errors:
        raise EstablishmentErrors(errors[:200])
    if not wanted:
        raise ImportFileError("The file has a header but no rows.")
    reason = f"Establishment imported from {file_name[:100] or 'a CSV file'}"
    units = {u.name.lower(): u for u in Unit.objects.all()}
    new_units = [Unit(name=name) for name in sorted({u for u, _, _ in wanted if u.lower() not in units})]
    if new_units:
        bulk_create_with_history(new_units, Unit, default_user=by, default_change_reason=reason)
        units = {u.name.lower(): u for u in Unit.objects.all()}
    for unit, group, count in wanted:
        # Few hundred rows at most: one save each keeps the history straightforward.
        row = Establishment.objects.filter(unit=units[unit.lower()], role_group=group).first()
        row = row or Establishment(unit=units[unit.lower()], role_group=group)
        if row.pk and row.headcount == count:
            continue
        row.headcount = count
        save_tracked(row, by=by, reason=reason, clean=False)
    summaries.bump(Unit, Establishment)
    return len(wanted)
