"""Patterns across lessons: themes over time, themes that recur across investigations, time to learn.

Figures only (no lesson text), so they are safe for every role that sees summaries; the pages and
panels cache them through `mshtgov.summaries` and say how fresh they are.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncQuarter

from learning.models import Lesson, LessonStatus, LessonTheme
from mshtgov import summaries

MODELS = (Lesson, LessonTheme)
TOP_THEMES_CHARTED = 6


def quarter_label(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _quarters(start: date, end: date) -> list[date]:
    quarters, current = [], date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    while current <= end:
        quarters.append(current)
        month = current.month + 3
        current = date(current.year + (month > 12), (month - 1) % 12 + 1, 1)
    return quarters


@dataclass
class ThemesOverTime:
    quarters: list[str]
    series: dict[str, list[int]]  # theme name -> count per quarter, most frequent themes first
    totals: dict[str, int]


def themes_over_time(start: date, end: date) -> ThemesOverTime:
    through = Lesson.themes.through
    counts = (
        through.objects.filter(lesson__observed_on__range=(start, end))
        .annotate(quarter=TruncQuarter("lesson__observed_on"))
        .values("lessontheme__name", "quarter")
        .annotate(n=Count("lesson_id"))
    )
    quarters = _quarters(start, end)
    index = {q: i for i, q in enumerate(quarters)}
    series: dict[str, list[int]] = defaultdict(lambda: [0] * len(quarters))
    for row in counts:
        quarter = row["quarter"]
        if hasattr(quarter, "date"):
            quarter = quarter.date()
        if quarter in index:
            series[row["lessontheme__name"]][index[quarter]] += row["n"]
    totals = {name: sum(values) for name, values in series.items()}
    ordered = sorted(series, key=lambda name: (-totals[name], name))
    return ThemesOverTime(
        quarters=[quarter_label(q) for q in quarters],
        series={name: series[name] for name in ordered},
        totals={name: totals[name] for name in ordered},
    )


@dataclass
class RecurringTheme:
    name: str
    investigations: int
    lessons: int
    learned: int
    pk: int | None = None


def recurring_themes(start: date, end: date, *, minimum: int = 2) -> list[RecurringTheme]:
    """Themes raised by lessons from at least `minimum` different investigations or operations."""
    rows = (
        Lesson.themes.through.objects.filter(lesson__observed_on__range=(start, end))
        .values("lessontheme_id", "lessontheme__name")
        .annotate(
            investigations=Count("lesson__operation_reference", distinct=True),
            lessons=Count("lesson_id", distinct=True),
            learned=Count("lesson_id", distinct=True, filter=Q(lesson__status=LessonStatus.LEARNED)),
        )
        .filter(investigations__gte=minimum)
        .order_by("-investigations", "-lessons", "lessontheme__name")
    )
    return [
        RecurringTheme(r["lessontheme__name"], r["investigations"], r["lessons"], r["learned"], r["lessontheme_id"])
        for r in rows
    ]


@dataclass
class TimeToLearn:
    year: int
    lessons: int
    median_days: float
    mean_days: float


@dataclass
class LearningSpeed:
    by_year: list[TimeToLearn] = field(default_factory=list)
    overall_median_days: float | None = None
    learned: int = 0


def time_to_learn(start: date, end: date) -> LearningSpeed:
    """Days from observed to learned, for lessons learned in the period, by year learned."""
    pairs = Lesson.objects.filter(status=LessonStatus.LEARNED, learned_on__range=(start, end)).values_list(
        "observed_on", "learned_on"
    )
    by_year: dict[int, list[int]] = defaultdict(list)
    every = []
    for observed, learned in pairs:
        days = (learned - observed).days
        by_year[learned.year].append(days)
        every.append(days)
    result = LearningSpeed(learned=len(every))
    if every:
        result.overall_median_days = statistics.median(every)
    for year in sorted(by_year):
        values = by_year[year]
        result.by_year.append(
            TimeToLearn(year, len(values), statistics.median(values), round(statistics.fmean(values), 1))
        )
    return result


def status_counts(start: date, end: date) -> dict[str, int]:
    rows = Lesson.objects.filter(observed_on__range=(start, end)).values("status").annotate(n=Count("id")).order_by()
    found = {r["status"]: r["n"] for r in rows}
    return {label: found.get(value, 0) for value, label in LessonStatus.choices}


@dataclass
class Patterns:
    start: date
    end: date
    over_time: ThemesOverTime
    recurring: list[RecurringTheme]
    speed: LearningSpeed
    statuses: dict[str, int]


def lesson_patterns(start: date, end: date) -> tuple[Patterns, object]:
    """(patterns, as_of), cached until a lesson or theme changes."""

    def compute():
        return Patterns(
            start=start,
            end=end,
            over_time=themes_over_time(start, end),
            recurring=recurring_themes(start, end),
            speed=time_to_learn(start, end),
            statuses=status_counts(start, end),
        )

    return summaries.cached_summary(f"learning-patterns:{start}:{end}", compute, models=MODELS)


def lesson_card_patterns(start: date, end: date) -> tuple[tuple[list[RecurringTheme], LearningSpeed], object]:
    """((recurring themes, learning speed), as_of): what the lessons panel shows of the patterns, cached like
    `lesson_patterns` but without the themes over time and status counts it never shows (two of the four
    queries the panel ran after every lesson change). The same functions, so the same figures."""
    return summaries.cached_summary(
        f"learning-patterns-card:{start}:{end}",
        lambda: (recurring_themes(start, end), time_to_learn(start, end)),
        models=MODELS,
    )
