"""Reading the register: the filtered list, lessons from other apps, and the figures."""

from mshtgov import records

LESSON_KIND = "learning.lesson"


def lessons_for(reference: str, user=None):
    """Lessons logged under the operation's reference, found through the core's record registry (this app
    does not import learning). With `user`: only those the user may open."""
    kind = records.kind_by_label(LESSON_KIND)
    if kind is None:
        return None
    queryset = kind.model._default_manager.filter(operation_reference__iexact=reference)
    return records.visible(user, queryset) if user is not None else queryset
