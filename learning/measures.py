"""Learning's contribution to the performance measures: training coverage, computed from the training
records and the establishment, never typed."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from mshtgov.figures import with_query
from mshtgov.measure_sources import Derived, MeasureSource


def training_coverage(start, end) -> Derived:
    """Coverage across every active product on `end` (`CoverageReport.overall`)."""
    from learning.selectors.coverage import overall_coverage

    return _derived(overall_coverage(min(end, timezone.localdate())))


def _derived(overall) -> Derived:
    return Derived(
        value=None if overall.percent is None else Decimal(str(overall.percent)),
        records=overall.trained,
        base=overall.needed,
        base_label="places to fill: each person counted once for each product they should hold",
    )


def training_coverage_many(spans) -> list[Derived]:
    """`training_coverage` for each (start, end), reading the catalogue and establishment once."""
    from learning.selectors.coverage import overall_coverage_on_days

    today = timezone.localdate()
    cells = overall_coverage_on_days([min(end, today) for _start, end in spans])
    return [_derived(cell) for cell in cells]


def _drilldown(start, end) -> str:
    url = reverse("learning:coverage")
    return url if end >= timezone.localdate() else with_query(url, on=end.isoformat())


TRAINING_COVERAGE = MeasureSource(
    code="training-coverage",
    compute=training_coverage,
    compute_many=training_coverage_many,
    drilldown_url=_drilldown,
    description="It is the share of the people who should hold each active training product (the establishment "
    "of the role groups it is for) who hold it in date on the period's last day, every product together, from "
    "the training records imported from the learning platform.",
    models=(
        "learning.TrainingRecord",
        "learning.Establishment",
        "learning.TrainingProduct",
        "learning.RoleGroup",
        "learning.Unit",
    ),
    owner="Training coverage",
    # A share of what the establishment needs of the active products, whatever the day: nil on every day
    # (nothing needed) or on none.
    valued_alike=True,
)


def register() -> None:
    from mshtgov import measure_sources

    measure_sources.register(TRAINING_COVERAGE)
