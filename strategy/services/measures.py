"""Measure values entered one at a time (the CSV import is in `strategy.services.measure_import`)."""

from django.db import transaction

from mshtgov.tracking import save_tracked
from strategy.models import MeasureValue


@transaction.atomic
def measure_value_save(*, value: MeasureValue, by, reason: str = "") -> MeasureValue:
    """Validate (whole period, no overlap) and save, recording who entered it."""
    if value.pk is None:
        value.entered_by = by
    return save_tracked(value, by=by, reason=reason or ("Entered" if value._state.adding else "Edited"))
