"""Background jobs of the cross-cutting pieces."""

import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from mshtgov import dashboard_warming
from mshtgov.periods import parse_period

log = logging.getLogger(__name__)


@shared_task(name="mshtgov.tasks.warm_dashboards", ignore_result=True)
def warm_dashboards() -> int:
    """Draw the dashboard again for every recent reader whose page a change voided (mshtgov.dashboard_warming);
    a page still current is only read. Returns how many readers' pages were looked at."""
    from mshtgov.views import dashboard_entry

    cache.delete(dashboard_warming.QUEUED_KEY)
    readers = dashboard_warming.recent_readers()
    users = get_user_model().objects.filter(pk__in={user_id for user_id, _ in readers}, is_active=True)
    active = {user.pk: user for user in users}
    today, done = timezone.localdate(), 0
    for user_id, period in readers:
        user = active.get(user_id)
        if user is None:
            continue  # signed out for good: nothing is drawn for an account that cannot sign in
        try:
            dashboard_entry(_request_for(user, period), parse_period(period or None, today), today)
        except Exception:  # noqa: BLE001 - one reader's failure must not stop the others; they build their own
            log.warning("A dashboard was not warmed", extra={"user_id": user_id}, exc_info=True)
            continue
        done += 1
    return done


def _request_for(user, period: str) -> HttpRequest:
    """The request the reader's own visit to the dashboard would make, as far as drawing its body reads one."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/"
    request.GET = QueryDict(f"period={period}" if period else "")
    request.user = user
    return request
