"""Dashboard and board-pack panels: lessons in the period, and training coverage."""

from django.utils import timezone

from learning.charts import cached_chart, coverage_chart
from learning.models import Lesson, LessonStatus
from learning.permissions import sees_coverage, sees_lesson_summaries
from learning.selectors.coverage import MODELS as COVERAGE_MODELS
from learning.selectors.coverage import coverage_report
from learning.selectors.patterns import lesson_patterns
from mshtgov import panels, summaries
from mshtgov.marking import Marking


def _open_lessons() -> int:
    value, _ = summaries.cached_summary("learning-open-lessons", lambda: Lesson.objects.open().count(), models=[Lesson])
    return value


def gather_lessons(user, period) -> dict:
    patterns, as_of = lesson_patterns(period.start, period.end)
    statuses = patterns.statuses
    return {
        "marking": Marking.OFFICIAL,  # figures and theme names only, never lesson text
        "as_of": as_of,
        "logged": sum(statuses.values()),
        "statuses": statuses,
        "learned": patterns.speed.learned,
        "median_days": patterns.speed.overall_median_days,
        "open_lessons": _open_lessons(),
        "recurring": patterns.recurring[:5],
        "learned_label": LessonStatus.LEARNED.label,
    }


def gather_coverage(user, period) -> dict:
    report, as_of = coverage_report(timezone.localdate())
    return {
        "marking": Marking.OFFICIAL,
        "as_of": as_of,
        "report": report,
        "chart": (
            cached_chart(f"coverage:{report.today}", lambda: coverage_chart(report), models=COVERAGE_MODELS)
            if report.products
            else None
        ),
        "chart_headers": ["Product", "Coverage (%)", "Target (%)"],
        "chart_rows": [
            [p.name, p.total.percent if p.total.percent is not None else "–", p.target] for p in report.products
        ],
    }


def register_panels() -> None:
    panels.register(
        panels.Panel(
            key="learning-lessons",
            title="Lessons learned",
            order=50,
            template="learning/panels/lessons.html",
            gather=gather_lessons,
            visible=sees_lesson_summaries,
        )
    )
    panels.register(
        panels.Panel(
            key="learning-coverage",
            title="MSHT training coverage",
            order=55,
            template="learning/panels/coverage.html",
            gather=gather_coverage,
            # Coverage figures are a summary: secretaries see them (and put them in board packs) too.
            visible=lambda user: sees_coverage(user) or sees_lesson_summaries(user),
        )
    )
