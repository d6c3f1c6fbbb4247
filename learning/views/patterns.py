"""Patterns across lessons: themes over time (chart and table), recurring themes, time to learn."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from learning.charts import cached_chart, themes_chart
from learning.selectors.patterns import MODELS, TOP_THEMES_CHARTED, lesson_patterns
from mshtgov import page_cache
from mshtgov.access import require
from mshtgov.periods import parse_period, period_choices


@require(perms=("learning.view_lesson_patterns",))
def lesson_patterns_view(request):
    # Drawn once per reader, period and day and served from the cache until a lesson, theme or anything else
    # its figures read changes (mshtgov.page_cache): its chart and tables cost several times the page around
    # them (issue 15). It has no form that posts: no CSRF token to leave out.
    entry = page_cache.listing(request, "learning:patterns", lambda: _patterns_page(request))
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": "Patterns in lessons",
            "body_html": mark_safe(entry["body"]),  # noqa: S308 - drawn by the template, every value escaped
            "breadcrumbs": [("Learning", reverse("learning:index")), ("Patterns in lessons", "")],
            # What the page shows, for tests that check its figures' data rather than its HTML: worked out only
            # when read (the template never reads it), from the patterns' own cache.
            "patterns": SimpleLazyObject(lambda: lesson_patterns(_period(request).start, _period(request).end)[0]),
        },
    )


def _period(request):
    return parse_period(request.GET.get("period") or "36m", timezone.localdate())


def _patterns_page(request) -> dict:
    today = timezone.localdate()
    period = _period(request)
    patterns, as_of = lesson_patterns(period.start, period.end)
    over_time = patterns.over_time
    context = {
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
    }
    return {"body": page_cache.drawn_blocks("learning/patterns.html", context, request, names=("content",))["content"]}
