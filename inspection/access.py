"""The one way inspection views reach a record: 404 for records the user may not know of."""

from inspection.models import EvidenceBundle, Finding
from mshtgov.access import get_visible_or_404


def get_finding_for_user(user, pk) -> Finding:
    return get_visible_or_404(Finding.objects.visible_to(user).select_related("owner", "board", "closed_by"), pk)


def get_bundle_for_user(user, pk) -> EvidenceBundle:
    return get_visible_or_404(EvidenceBundle.objects.visible_to(user).select_related("assessment", "requested_by"), pk)
