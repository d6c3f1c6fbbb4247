"""The force strategy (versioned), its 4P objectives and the national strategies they align with."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from mshtgov.reference import Pillar
from strategy.models.common import RAG_COLOURS, Rag, VisibleQuerySet


class NationalStrategy(TrackedModel):
    """A national strategy or standard the force's objectives align with (reference data)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    description = models.TextField(blank=True)
    standard = models.BooleanField(default=False, help_text="Named in the guidance; shipped with the app.")
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "national strategies"

    def __str__(self):
        return self.name


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class PccSupport(models.TextChoices):
    NOT_SOUGHT = "not_sought", "Not sought"
    SOUGHT = "sought", "Sought, no answer yet"
    GIVEN = "given", "Given"
    DECLINED = "declined", "Declined"


class StrategyQuerySet(VisibleQuerySet):
    def approved(self):
        return self.filter(status=StrategyStatus.APPROVED)

    def current(self, today=None):
        """The version in force on `today` (default: today), else the approved version, else the newest
        draft. An approved version takes effect on its period's start: until then the version it superseded
        stays in force (issue 10: next April's version approved in December must not replace this year's
        on the dashboard, in the pack or in the alignment matrix). One or two queries."""
        return (
            self.in_force(today)
            or self.order_by(
                models.Case(models.When(status=StrategyStatus.APPROVED, then=0), default=1), "-version"
            ).first()
        )

    def in_force(self, today=None):
        """The newest approved (or since superseded) version whose period had started by `today`."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return (
            self.filter(status__in=(StrategyStatus.APPROVED, StrategyStatus.SUPERSEDED), period_start__lte=today)
            .order_by("-version")
            .first()
        )

    def upcoming(self, today=None):
        """The approved version that takes effect after `today`, if any."""
        from django.utils import timezone

        return self.approved().filter(period_start__gt=today or timezone.localdate()).first()


_LOOK_UP = object()  # status_on: "not given, look it up"


class ForceStrategy(TrackedModel, MarkedModel):
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    period_start = models.DateField("period starts")
    period_end = models.DateField("period ends")
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    pcc_briefed_on = models.DateField("PCC briefed on", null=True, blank=True)
    pcc_support = models.CharField(
        "PCC's support", max_length=16, choices=PccSupport.choices, default=PccSupport.NOT_SOUGHT
    )
    msht_in_control_strategy = models.BooleanField("MSHT is a priority in the force control strategy", default=False)
    control_strategy_rank = models.PositiveSmallIntegerField(
        "rank in the control strategy", null=True, blank=True, help_text="1 is the force's top priority."
    )

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = "force strategy"
        verbose_name_plural = "force strategies"
        permissions = [("approve_forcestrategy", "Can approve a force strategy")]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="strategy_forcestrategy_unique_version"),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="approved"), name="strategy_forcestrategy_one_approved"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="strategy_forcestrategy_period_order"
            ),
            models.CheckConstraint(
                condition=Q(msht_in_control_strategy=False) | Q(control_strategy_rank__isnull=False),
                name="strategy_forcestrategy_rank_when_prioritised",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == StrategyStatus.DRAFT

    def status_on(self, today, *, upcoming=_LOOK_UP, in_force=_LOOK_UP) -> str:
        """The status a reader needs: an approved version not yet started says from when it is in force; a
        superseded version still in force (its successor has not started) says until when.
        `upcoming` and `in_force` (the versions on `today`) may be given by a caller that labels many
        versions at once (`label_statuses`); otherwise a superseded version looks them up (one or two queries)."""
        if self.status == StrategyStatus.APPROVED and self.period_start > today:
            return f"Approved, in force from {self.period_start:%-d %B %Y}"
        if self.status == StrategyStatus.SUPERSEDED:
            successor = ForceStrategy.objects.upcoming(today) if upcoming is _LOOK_UP else upcoming
            if successor is not None:
                if in_force is _LOOK_UP:
                    in_force = ForceStrategy.objects.in_force(today)
                if in_force == self:
                    starts = f"{successor.period_start:%-d %B %Y}"
                    return f"In force until version {successor.version} takes effect on {starts}"
        return self.get_status_display()

    @property
    def current_status(self) -> str:
        from django.utils import timezone

        # Set by label_statuses for a list of versions, so each row costs no query of its own.
        labelled = self.__dict__.get("_labelled_status")
        return labelled if labelled is not None else self.status_on(timezone.localdate())

    @staticmethod
    def label_statuses(strategies, today=None) -> None:
        """Give every version in `strategies` its current status with two queries in all, whatever their
        number (status_on alone costs a superseded row one or two queries each)."""
        from django.utils import timezone

        today = today or timezone.localdate()
        upcoming = ForceStrategy.objects.upcoming(today)
        in_force = ForceStrategy.objects.in_force(today)
        for strategy in strategies:
            strategy._labelled_status = strategy.status_on(today, upcoming=upcoming, in_force=in_force)

    def warnings(self) -> list[str]:
        """What the guidance expects of this strategy and it does not yet show."""
        found = []
        if not self.msht_in_control_strategy:
            found.append("MSHT is not a priority in the force control strategy.")
        if self.pcc_briefed_on is None:
            found.append("The police and crime commissioner has not been briefed on the strategy.")
        if self.pcc_support == PccSupport.NOT_SOUGHT:
            found.append("The police and crime commissioner's support has not been sought.")
        elif self.pcc_support == PccSupport.DECLINED:
            found.append("The police and crime commissioner declined to support the strategy.")
        return found


class Objective(TrackedModel, MarkedModel):
    strategy = models.ForeignKey(ForceStrategy, on_delete=models.CASCADE, related_name="objectives")
    pillar = models.CharField(max_length=16, choices=Pillar.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_objectives"
    )
    rag = models.CharField("RAG status", max_length=16, choices=Rag.choices, default=Rag.NOT_RATED)
    status_note = models.TextField("status note", blank=True)
    status_date = models.DateField("status as at", null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    national_strategies = models.ManyToManyField(NationalStrategy, blank=True, related_name="objectives")
    threats = models.ManyToManyField("strategy.Threat", blank=True, related_name="objectives")
    measures = models.ManyToManyField("strategy.Measure", blank=True, related_name="objectives")

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["pillar", "title"]
        indexes = [models.Index(fields=["strategy", "pillar"], name="strategy_objective_pillar")]

    def __str__(self):
        return self.title

    @property
    def rag_colour(self) -> str:
        return RAG_COLOURS.get(self.rag, "grey")
