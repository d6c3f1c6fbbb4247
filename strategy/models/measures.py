"""Performance measures and their values per month or quarter."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from mshtgov.models import TrackedModel
from mshtgov.reference import Pillar
from strategy.models.common import Rag, VisibleQuerySet


class MeasureUnit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


# Within this share of the target, a measure is amber rather than red.
AMBER_TOLERANCE = Decimal("0.10")


def rag_against_target(value, target, direction) -> str:
    """Green on or beyond the target, amber within 10% short of it, red further away."""
    if value is None or target is None:
        return Rag.NOT_RATED
    value, target = Decimal(value), Decimal(target)
    if direction == Direction.HIGHER:
        if value >= target:
            return Rag.GREEN
        return Rag.AMBER if value >= target * (1 - AMBER_TOLERANCE) else Rag.RED
    if value <= target:
        return Rag.GREEN
    return Rag.AMBER if value <= target * (1 + AMBER_TOLERANCE) else Rag.RED


class Measure(TrackedModel):
    code = models.SlugField(max_length=40, unique=True, help_text="Used in CSV uploads, e.g. nrm-referrals.")
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted and how, so every period is counted the same way.")
    unit = models.CharField(max_length=16, choices=MeasureUnit.choices, default=MeasureUnit.COUNT)
    direction = models.CharField(max_length=16, choices=Direction.choices, default=Direction.HIGHER)
    target = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Per period; blank when there is none."
    )
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY)
    pillar = models.CharField(max_length=16, choices=Pillar.choices)
    data_source = models.CharField(max_length=200)
    standard = models.BooleanField(default=False, help_text="One of the standard set shipped with the app.")
    active = models.BooleanField(default=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["pillar", "name"]

    def __str__(self):
        return self.name

    def rag_for(self, value) -> str:
        return rag_against_target(value, self.target, self.direction)


class MeasureValue(TrackedModel):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_start"], name="strategy_measurevalue_one_per_start"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="strategy_measurevalue_period_order"
            ),
        ]
        indexes = [models.Index(fields=["measure", "period_end"], name="strategy_measurevalue_period")]

    def __str__(self):
        return f"{self.measure}: {self.value} for {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.measure.frequency == Frequency.QUARTERLY:
            return f"{self.period_start:%b} to {self.period_end:%b %Y}"
        return f"{self.period_start:%B %Y}"

    @property
    def rag(self) -> str:
        return self.measure.rag_for(self.value)

    def clean(self):
        """A value covers one whole month or quarter (as its measure is reported), no period twice, no
        period that has not started yet, and only for a measure the app does not compute itself."""
        from django.utils import timezone

        from mshtgov import measure_sources
        from strategy.periods import describe, is_whole_period

        if self.measure_id and measure_sources.is_derived(self.measure.code):
            raise ValidationError({"value": derived_refusal(self.measure)})
        if self.period_start and self.period_start > timezone.localdate():
            raise ValidationError(
                {
                    "period_start": f"The period starting {self.period_start:%-d %B %Y} has not started yet: "
                    "enter values for this period or earlier ones."
                }
            )
        if self.period_start and self.period_end and self.measure_id:
            if not is_whole_period(self.period_start, self.period_end, self.measure.frequency):
                raise ValidationError(
                    {
                        "period_start": f"{self.measure} is reported {self.measure.get_frequency_display().lower()}: "
                        f"the period must be {describe(self.measure.frequency)}."
                    }
                )
            clash = overlapping_values(self.measure, self.period_start, self.period_end, exclude_pk=self.pk).first()
            if clash is not None:
                raise ValidationError(
                    {
                        "period_start": f"There is already a value for {self.measure} covering "
                        f"{clash.period_start:%-d %B %Y} to {clash.period_end:%-d %B %Y}. "
                        "Change that value instead."
                    }
                )


def derived_refusal(measure) -> str:
    return (
        f"{measure} is computed from the app's own records, so a value cannot be typed in. "
        "Its page shows each period's figure and the records it counts."
    )


def overlapping_values(measure, start, end, *, exclude_pk=None):
    """Values of `measure` whose period shares a day with start..end."""
    found = MeasureValue.objects.filter(measure=measure, period_start__lte=end, period_end__gte=start)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found
