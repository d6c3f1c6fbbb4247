"""Demo measure targets and three years of values."""

from decimal import Decimal

from dateutil.relativedelta import relativedelta
from simple_history.utils import bulk_create_with_history

from mshtgov.summaries import bump
from mshtgov.tracking import save_tracked
from strategy.models import Frequency, Measure, MeasureValue
from strategy.periods import period_end_for

# code -> (target per period, typical value at the start, growth per period)
PROFILES = {
    "msht-crimes": (30, 18, 0.5),
    "nrm-referrals": (25, 14, 0.4),
    "suspects-charged": (6, 3, 0.08),
    "cps-charging": (15, 8, 0.3),
    "nca-disruptions-major": (2, 1, 0.02),
    "nca-disruptions-moderate": (5, 2, 0.1),
    "nca-disruptions-minor": (8, 4, 0.15),
    "pnd-victims": (95, 70, 1.0),
    "pnd-suspects": (95, 60, 0.3),
    "pnd-operations": (100, 60, 1.5),
    "pip2-led": (100, 72, 0.9),
    "victims-supported-pre-nrm": (40, 20, 0.8),
    "victims-supported-post-nrm": (35, 18, 0.4),
    "ictg-referrals": (6, 2, 0.1),
    "training-coverage": (90, 45, 1.0),
}
MONTHS = 36


def _periods(today, frequency):
    """Whole months (or quarters) in the last three years that have ended before today."""
    if frequency == Frequency.QUARTERLY:
        start = today.replace(day=1) - relativedelta(months=MONTHS)
        start = start.replace(month=((start.month - 1) // 3) * 3 + 1)
        step = 3
    else:
        start = today.replace(day=1) - relativedelta(months=MONTHS)
        step = 1
    while True:
        end = period_end_for(start, frequency)
        if end >= today:
            return
        yield start, end
        start += relativedelta(months=step)


def _local_measures(ctx) -> list[Measure]:
    made = []
    for n in range(max(0, (ctx.scale - 1) * 2)):
        measure, created = Measure.objects.get_or_create(
            code=f"local-{n + 1:03d}",
            defaults={
                "name": f"Local measure {n + 1:03d}: safeguarding referrals from area {n % 8 + 1}",
                "definition": "A locally defined measure kept for the demo's larger scales.",
                "pillar": ("pursue", "prevent", "protect", "prepare")[n % 4],
                "data_source": "Local returns",
                "frequency": Frequency.MONTHLY,
                "target": Decimal(20 + n % 10),
            },
        )
        made.append(measure)
    return made


def seed_measures(ctx) -> list[Measure]:
    measures = list(Measure.objects.filter(code__in=PROFILES)) + _local_measures(ctx)
    for measure in measures:
        profile = PROFILES.get(measure.code)
        if profile and measure.target is None:
            measure.target = Decimal(profile[0])
            save_tracked(measure, by=ctx.users["leader"], reason="Target set for the demo", clean=False)
    existing = set(MeasureValue.objects.filter(measure__in=measures).values_list("measure_id", "period_start"))
    rng = ctx.rng
    new = []
    for measure in measures:
        target, value, growth = PROFILES.get(measure.code, (float(measure.target or 20), 12, 0.3))
        for index, (start, end) in enumerate(_periods(ctx.today, measure.frequency)):
            step = growth * (3 if measure.frequency == Frequency.QUARTERLY else 1)
            figure = max(0.0, value + step * index + rng.uniform(-0.15, 0.15) * max(value, 4))
            if measure.unit == "percent":
                figure = min(100.0, figure)
            if (measure.pk, start) in existing:
                continue
            new.append(
                MeasureValue(
                    measure=measure,
                    period_start=start,
                    period_end=end,
                    value=Decimal(round(figure, 0 if measure.unit == "count" else 1)).quantize(Decimal("0.1")),
                    entered_by=ctx.users["analyst"],
                )
            )
    if new:
        bulk_create_with_history(
            new, MeasureValue, batch_size=1000, default_user=ctx.users["analyst"], default_change_reason="Demo data"
        )
        bump(MeasureValue)
    ctx.log(f"  measures: {len(measures)}, new values: {len(new)}")
    return measures
