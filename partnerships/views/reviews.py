from django.utils import timezone

from mshtgov.access import require
from mshtgov.roles import Role
from partnerships.selectors import REVIEW_HORIZON_DAYS, reviews_due
from partnerships.views.common import page


@require(roles=(Role.SENIOR_LEADER, Role.PARTNERSHIP_COORDINATOR))
def reviews(request):
    """The coordinator's page of reviews due: theirs first, then everyone else's."""
    today = timezone.localdate()
    items = reviews_due(today)
    mine = [i for i in items if i.owner_id == request.user.pk]
    others = [i for i in items if i.owner_id != request.user.pk]
    return page(
        request,
        "partnerships/reviews.html",
        {
            "mine": mine,
            "total": len(items),
            "others": others,
            "today": today,
            "horizon": REVIEW_HORIZON_DAYS,
            "breadcrumbs": [("Reviews due", "")],
        },
    )
