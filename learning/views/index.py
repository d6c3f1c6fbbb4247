"""The learning section's front page: the parts of it this user may use."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from learning.permissions import sections_for


def learning_index(request):
    sections = sections_for(request.user)
    if not sections:
        raise PermissionDenied
    return render(request, "learning/index.html", {"sections": sections, "breadcrumbs": [("Learning", "")]})
