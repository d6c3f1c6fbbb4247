from django.utils import timezone

from mshtgov.access import require
from mshtgov.roles import Role
from partnerships.selectors import REVIEW_HORIZON_DAYS, reviews_due
from partnerships.views.common import drawn_body, drawn_page, record_entry


@require(roles=(Role.SENIOR_LEADER, Role.PARTNERSHIP_COORDINATOR))
def reviews(request):
    """The coordinator's page of reviews due: theirs first, then everyone else's. Drawn once per reader and day
    and served from the cache until a term, agreement or owner it read changes (issue 15)."""
    entry = record_entry(request, "reviews", lambda: _reviews_page(request))
    return drawn_page(request, "partnerships/reviews.html", entry, {"breadcrumbs": [("Reviews due", "")]})


def _reviews_page(request) -> dict:
    today = timezone.localdate()
    items = reviews_due(today)
    context = {
        "mine": [i for i in items if i.owner_id == request.user.pk],
        "total": len(items),
        "others": [i for i in items if i.owner_id != request.user.pk],
        "today": today,
        "horizon": REVIEW_HORIZON_DAYS,
    }
    return drawn_body(request, "partnerships/includes/reviews_body.html", context)
