"""What reminder digests were sent: each user sees their own; leaders and secretaries see everyone's."""

from django.core.paginator import Paginator
from django.shortcuts import render

from governance.access import may_run_boards
from governance.models import ReminderDigest
from mshtgov.access import require
from mshtgov.marking import mark_page
from mshtgov.roles import INTERNAL_ROLES


@require(roles=tuple(INTERNAL_ROLES))
def reminder_list(request):
    digests = ReminderDigest.objects.select_related("owner").order_by("-date", "-id")
    everyone = may_run_boards(request.user)
    if not everyone:
        digests = digests.filter(owner=request.user)
    page = Paginator(digests, 50).get_page(request.GET.get("page"))
    mark_page(request, *page.object_list)
    return render(
        request,
        "governance/reminder_list.html",
        {
            "page": page,
            "everyone": everyone,
            "breadcrumbs": [("Reminders sent", "")],
        },
    )
