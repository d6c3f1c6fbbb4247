"""Figures about self-assessments: compliance by theme, and two assessments compared."""

from dataclasses import dataclass

from django.db.models import Count

from mshtgov.reference import GuidanceTheme
from strategy.models import RequirementStatus
from strategy.models.assessment import REQUIREMENT_STATUS_RANK, RequirementAssessment


def compliance_by_theme(assessment) -> dict[str, dict[str, int]]:
    """{theme: {status: count}} for every theme and status (zeros included). One query."""
    counts = {t.value: {s.value: 0 for s in RequirementStatus} for t in GuidanceTheme}
    if assessment is None:
        return counts
    rows = (
        RequirementAssessment.objects.filter(assessment=assessment)
        .values("requirement__theme", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["requirement__theme"]][row["status"]] = row["n"]
    return counts


def compliance_percent(statuses: dict[str, int]) -> int | None:
    """Met counts 1 and partly met a half, out of the requirements assessed as applying. Requirements not
    yet assessed are left out rather than counted as failures: the page says how many there are."""
    assessed = sum(
        n for s, n in statuses.items() if s not in (RequirementStatus.NOT_APPLICABLE, RequirementStatus.NOT_ASSESSED)
    )
    if not assessed:
        return None
    score = statuses.get(RequirementStatus.MET, 0) + statuses.get(RequirementStatus.PARTLY_MET, 0) / 2
    return round(100 * score / assessed)


@dataclass
class ComparedRequirement:
    requirement: object
    earlier: object | None
    later: object | None
    change: str  # improved, regressed, unchanged, not comparable


def _change(before, after) -> str:
    if before is None or after is None:
        return "not comparable"
    if before.status == after.status:
        return "unchanged"
    if RequirementStatus.NOT_APPLICABLE in (before.status, after.status):
        return "not comparable"
    return "improved" if REQUIREMENT_STATUS_RANK[after.status] > REQUIREMENT_STATUS_RANK[before.status] else "regressed"


def compare(earlier, later) -> list[ComparedRequirement]:
    """Requirement by requirement, in framework order. One query."""
    answers = RequirementAssessment.objects.filter(assessment__in=[earlier, later]).select_related("requirement")
    by_requirement: dict[int, dict] = {}
    requirements = {}
    for answer in answers:
        requirements[answer.requirement_id] = answer.requirement
        by_requirement.setdefault(answer.requirement_id, {})[answer.assessment_id] = answer
    rows = []
    for rid in sorted(requirements, key=lambda r: requirements[r].order):
        before = by_requirement[rid].get(earlier.pk)
        after = by_requirement[rid].get(later.pk)
        rows.append(ComparedRequirement(requirements[rid], before, after, _change(before, after)))
    return rows
