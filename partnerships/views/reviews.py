from django.core.exceptions import PermissionDenied
from django.utils import timezone

from partnerships.selectors import REVIEW_HORIZON_DAYS, reviews_due
from partnerships.views.common import may_see_reviews, page


def reviews(request):
    """The coordinator's page of reviews due: theirs first, then everyone else's."""
    if not may_see_reviews(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    items = reviews_due(today)
    mine = [i for i in items if i.owner_id == request.user.pk]
    others = [i for i in items if i.owner_id != request.user.pk]
    return page(
        request,
        "partnerships/reviews.html",
        {
            "mine": mine,
            "others": others,
            "today": today,
            "horizon": REVIEW_HORIZON_DAYS,
            "breadcrumbs": [("Reviews due", "")],
        },
    )
