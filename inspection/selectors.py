"""Reading findings: the filtered register, and the overdue ones (for the dashboard's attention list)."""

from django.db.models import Count, Q
from django.utils import timezone

from governance.models import Action
from governance.models.actions import OPEN_STATUSES
from inspection.models import Finding


def finding_list(user, criteria: dict, today=None):
    """The register as `user` may see it, filtered; each finding with its open and total action counts."""
    today = today or timezone.localdate()
    findings = Finding.objects.visible_to(user).select_related("owner", "board")
    if criteria.get("q"):
        q = criteria["q"]
        findings = findings.filter(Q(reference__icontains=q) | Q(source_report__icontains=q) | Q(text__icontains=q))
    status = criteria.get("status")
    if status == "outstanding":
        findings = findings.outstanding()
    elif status:
        findings = findings.filter(status=status)
    for name in ("kind", "source", "theme"):
        if criteria.get(name):
            findings = findings.filter(**{name: criteria[name]})
    if criteria.get("overdue"):
        findings = findings.overdue(today)
    return findings.order_by("due_date", "id")


def overdue_findings(user, today=None):
    """Findings `user` may see that are not closed and past their target date, oldest first.

    The dashboard's "needs your attention" list calls this (one query for the count)."""
    today = today or timezone.localdate()
    return Finding.objects.visible_to(user).overdue(today).select_related("owner").order_by("due_date", "id")


def action_counts(user, findings) -> dict[int, tuple[int, int]]:
    """{finding id: (open actions, all actions)} of the actions `user` may see, for the findings given, in one query."""
    from django.contrib.contenttypes.models import ContentType

    ids = [f.pk for f in findings]
    if not ids:
        return {}
    rows = (
        Action.objects.visible_to(user)
        .filter(source_content_type=ContentType.objects.get_for_model(Finding), source_object_id__in=ids)
        .values("source_object_id")
        .annotate(total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)))
    )
    return {row["source_object_id"]: (row["open"], row["total"]) for row in rows}
