"""Patterns across lessons: themes over time (chart and table), recurring themes, time to learn."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from learning.charts import cached_chart, themes_chart
from learning.selectors.patterns import MODELS, TOP_THEMES_CHARTED, lesson_patterns
from mshtgov.access import require
from mshtgov.periods import parse_period, period_choices


@require(perms=("learning.view_lesson_patterns",))
def lesson_patterns_view(request):
    today = timezone.localdate()
    period = parse_period(request.GET.get("period") or "36m", today)
    patterns, as_of = lesson_patterns(period.start, period.end)
    over_time = patterns.over_time
    return render(
        request,
        "learning/patterns.html",
        {
            "patterns": patterns,
            "as_of": as_of,
            "period": period,
            "periods": period_choices(today),
            "chart": cached_chart(
                f"themes:{period.start}:{period.end}",
                lambda: themes_chart(over_time, top=TOP_THEMES_CHARTED),
                models=MODELS,
            ),
            "chart_headers": ["Theme", *over_time.quarters, "Total"],
            "chart_rows": [[name, *values, over_time.totals[name]] for name, values in over_time.series.items()],
            "breadcrumbs": [("Learning", reverse("learning:index")), ("Patterns in lessons", "")],
        },
    )
