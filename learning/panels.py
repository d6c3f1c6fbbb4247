"""Dashboard and board-pack panels: lessons in the period, and training coverage."""

from functools import cache

from django.utils import timezone

from learning.charts import cached_chart, coverage_chart
from learning.models import Lesson, LessonStatus
from learning.permissions import sees_coverage, sees_lesson_summaries
from learning.selectors.coverage import MODELS as COVERAGE_MODELS
from learning.selectors.coverage import coverage_figures
from learning.selectors.lessons import lesson_figures
from learning.selectors.patterns import lesson_card_patterns
from mshtgov import panels
from mshtgov.marking import Marking


def _recurring(user, recurring, start, end) -> list[dict]:
    """Recurring themes, each with its lessons as a Figure counted over the lessons the user may read and
    linked to the lesson list filtered to that theme and period. Investigations are not records the app
    lists (distinct operation references), so that figure has no drill-down."""
    from django.db.models import Count
    from django.urls import reverse

    from mshtgov.figures import VALUE, Figure, with_query

    may_list = user.has_perm("learning.view_lesson")
    lessons = Lesson.objects.visible_to(user) if may_list else Lesson.objects.all()
    ids = [t.pk for t in recurring]
    counts = dict(
        lessons.filter(observed_on__range=(start, end), themes__in=ids)
        .values_list("themes")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    url = reverse("learning:lesson-list")
    rows = []
    for theme in recurring:
        query = {"theme": theme.pk, "observed_from": start.isoformat(), "observed_to": end.isoformat()}
        rows.append(
            {
                "name": theme.name,
                "investigations": Figure(
                    key=f"lessons:theme-{theme.pk}:investigations", value=theme.investigations, kind=VALUE
                ),
                "lessons": Figure(
                    key=f"lessons:theme-{theme.pk}:{start}:{end}",
                    value=counts.get(theme.pk, 0),
                    url=with_query(url, **query) if may_list else "",
                    label=f"lessons on {theme.name}",
                ),
            }
        )
    return rows


def gather_lessons(user, period) -> dict:
    """The lessons panel's figures, worked out once per reader and period (issue 15: four aggregate queries
    over every lesson on each view of the panel's page), built watched so a lesson or theme changed moves them
    at once (`summaries.watched_summary`: the entry is voided by a change to anything its queries read, and
    by the patterns' cached figures it consulted)."""
    from mshtgov import dashboard, summaries

    key = f"learning-lessons-panel:{dashboard.audience(user)}:{period.start}:{period.end}"
    return summaries.watched_summary(key, lambda: _gather_lessons(user, period))[0]


def _gather_lessons(user, period) -> dict:
    (recurring, speed), as_of = lesson_card_patterns(period.start, period.end)
    figures = lesson_figures(user, period.start, period.end)
    return {
        "marking": Marking.OFFICIAL,  # figures and theme names only, never lesson text
        "as_of": as_of,
        **figures,
        "median_days": speed.overall_median_days,
        "recurring": _recurring(user, recurring[:5], period.start, period.end),
        "learned_label": LessonStatus.LEARNED.label,
    }


def _product_figures(user, report) -> list[dict]:
    """Each product's coverage, lapsed and due refreshers as Figures linked to the coverage page, which shows
    the same values under the same keys (people are not listed there: coverage is counted, not named).
    Lapsed and due refreshers are worked out only when a page shows them (the full panel page and the pack
    do, the dashboard card does not): "lapsed" and "due_soon" are callables a template calls."""
    from django.urls import reverse

    from learning.selectors.coverage import expiry_counts
    from mshtgov.figures import PERCENT, VALUE, Figure

    url = reverse("learning:coverage") if sees_coverage(user) else ""
    expiries = cache(lambda: expiry_counts(report.today))

    def refreshers(p, key, which: int, suffix: str, noun: str):
        """`which`: 0 for lapsed, 1 for due soon (the two halves of `expiry_counts`)."""
        return lambda: Figure(
            key=f"{key}:{suffix}",
            value=expiries()[which].get(p.product_id, 0),
            url=url,
            label=f"{p.name} refreshers {noun}",
            kind=VALUE,
        )

    rows = []
    for p in report.products:
        key = f"coverage:product:{p.code}"
        rows.append(
            {
                "product": p,
                "percent": Figure(
                    key=key,
                    value=p.total.percent,
                    url=url,
                    label=f"{p.name} coverage, of the {p.total.needed} people who should hold it",
                    kind=PERCENT,
                    base=p.total.needed,
                    base_label="people who should hold it",
                ),
                "lapsed": refreshers(p, key, 0, "lapsed", "lapsed"),
                "due_soon": refreshers(p, key, 1, "due-soon", "due"),
            }
        )
    return rows


def gather_coverage(user, period) -> dict:
    report, as_of = coverage_figures(timezone.localdate())
    products = _product_figures(user, report)
    from django.urls import reverse

    from mshtgov.figures import PERCENT, Figure

    overall = report.overall
    return {
        # The figure the "training coverage" measure takes (every product together, each person counted once
        # per product they should hold), beside the per-product figures it is made of.
        "overall": Figure(
            key="coverage:overall",
            value=overall.percent,
            url=reverse("learning:coverage") if sees_coverage(user) else "",
            label=f"of {overall.needed} places held in date, every product together",
            kind=PERCENT,
            base=overall.needed,
            base_label="places",
        ),
        "marking": Marking.OFFICIAL,
        "as_of": as_of,
        "report": report,
        "products": products,
        # Drawn when a page shows it (a template calls it): the full panel page and the pack, never the card.
        "chart": (
            cache(
                lambda: cached_chart(f"coverage:{report.today}", lambda: coverage_chart(report), models=COVERAGE_MODELS)
            )
            if report.products
            else None
        ),
        "chart_headers": ["Product", "Coverage (%)", "Target (%)"],
        "chart_rows": [[row["product"].name, row["percent"], f"{row['product'].target}%"] for row in products],
    }


def lessons_attention(user, period, data) -> list:
    """Lessons implemented and waiting for a senior leader to validate them as learned: only for those
    who may validate (the others cannot act on it)."""
    from django.urls import reverse

    from learning.services.lessons import may_validate
    from mshtgov import dashboard, summaries
    from mshtgov.attention import WAITING, Attention
    from mshtgov.figures import Figure, with_query

    if not may_validate(user):
        return []
    count, _ = summaries.cached_summary(
        # Per reader with their roles: which lessons they may see follows their roles, not only their id.
        f"learning-awaiting-validation:{dashboard.audience(user)}",
        lambda: Lesson.objects.visible_to(user).filter(status=LessonStatus.IMPLEMENTED).count(),
        models=[Lesson],
    )
    url = with_query(reverse("learning:lesson-list"), status=LessonStatus.IMPLEMENTED.value)
    return [
        Attention(
            "lessons are implemented and await your validation"
            if count != 1
            else "lesson is implemented and awaits your validation",
            Figure("lessons:awaiting-validation", count, url, "lessons awaiting validation"),
            order=WAITING,
            mine=True,
        )
    ]


def register_panels() -> None:
    panels.register(
        panels.Panel(
            key="learning-lessons",
            title="Lessons learned",
            order=50,
            template="learning/panels/lessons.html",
            gather=gather_lessons,
            visible=sees_lesson_summaries,
            summary_template="learning/panels/lessons_summary.html",
            attention=lessons_attention,
        )
    )
    panels.register(
        panels.Panel(
            key="learning-coverage",
            title="MSHT training coverage",
            order=55,
            template="learning/panels/coverage.html",
            gather=gather_coverage,
            summary_template="learning/panels/coverage_summary.html",
            # Coverage figures are a summary: secretaries see them (and put them in board packs) too.
            visible=lambda user: sees_coverage(user) or sees_lesson_summaries(user),
        )
    )
