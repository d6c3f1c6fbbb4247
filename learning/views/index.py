"""The learning section's front page: the parts of it this user may use."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from learning.permissions import sections_for
from mshtgov.access import require
from mshtgov.roles import INTERNAL_ROLES


@require(roles=tuple(INTERNAL_ROLES))
def learning_index(request):
    # Internal roles with no part in this app (coordinators) are refused too: nothing here is theirs.
    sections = sections_for(request.user)
    if not sections:
        raise PermissionDenied
    return render(request, "learning/index.html", {"sections": sections, "breadcrumbs": [("Learning", "")]})
