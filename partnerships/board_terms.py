"""A forum's board in the governance app shows the partnership's approved terms of reference.

Registered with `governance.hooks.register_terms_provider` from PartnershipsConfig.ready(). The hook
gives no user, so the text is a short summary (version, approval, purpose) and the link goes to the
terms page, which checks the reader's access itself. Terms marked OFFICIAL-SENSITIVE are not
summarised on the board page (which is marked for the board only): the board shows where to read them.
"""

from django.urls import reverse

from mshtgov.marking import Marking
from partnerships.models import TermsOfReference

_PURPOSE_WORDS = 60


def _shorten(text: str, words: int = _PURPOSE_WORDS) -> str:
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def forum_terms(board) -> tuple[str, str] | None:
    """(summary, url) of the approved terms of the partnership whose forum is `board`, or None. One query."""
    terms = (
        TermsOfReference.objects.current()
        .filter(partnership__board=board)
        .select_related("partnership")
        .only(
            "pk",
            "version",
            "marking",
            "purpose",
            "approved_on",
            "review_date",
            "partnership__name",
            "partnership__marking",
        )
        .first()
    )
    if terms is None:
        return None
    url = reverse("partnerships:terms-detail", args=[terms.partnership_id, terms.pk])
    heading = f"{terms.partnership.name} terms of reference, version {terms.version}"
    if terms.approved_on:
        heading += f", approved {terms.approved_on:%-d %B %Y}"
    if terms.review_date:
        heading += f", review due {terms.review_date:%-d %B %Y}"
    heading += "."
    if Marking.OFFICIAL_SENSITIVE in (terms.marking, terms.partnership.marking):
        return f"{heading}\nThese terms are marked OFFICIAL-SENSITIVE: read them with the partnership.", url
    if terms.purpose.strip():
        return f"{heading}\nPurpose: {_shorten(terms.purpose)}", url
    return heading, url
