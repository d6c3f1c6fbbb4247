"""Measure values entered one at a time (the CSV import is in `strategy.services.measure_import`)."""

from django.db import transaction

from strategy.models import MeasureValue


@transaction.atomic
def measure_value_save(*, value: MeasureValue, user, reason: str = "") -> MeasureValue:
    """Validate (whole period, no overlap) and save, recording who entered it."""
    if value.pk is None:
        value.entered_by = user
    value.full_clean()
    value._history_user = user
    value._change_reason = reason or ("Entered" if value._state.adding else "Edited")
    value.save()
    return value
