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


def assessed_base(statuses: dict[str, int]) -> int:
    """The base of the compliance percentage: requirements assessed as applying."""
    return sum(
        n for s, n in statuses.items() if s not in (RequirementStatus.NOT_APPLICABLE, RequirementStatus.NOT_ASSESSED)
    )


def compliance_base_text(statuses: dict[str, int]) -> str:
    """What a compliance percentage is a share of: "of the 22 requirements assessed; 9 not yet assessed".
    A theme with requirements not yet assessed always says so, so it never reads as complete."""
    base = assessed_base(statuses)
    waiting = statuses.get(RequirementStatus.NOT_ASSESSED, 0)
    if not base:
        return f"none assessed yet; {waiting} not yet assessed" if waiting else "no requirement applies"
    text = f"of the {base} requirement{'s' if base != 1 else ''} assessed"
    return f"{text}; {waiting} not yet assessed" if waiting else text


def compliance_text(statuses: dict[str, int]) -> str:
    """The percentage with its base, e.g. "64% of the 22 requirements assessed; 9 not yet assessed"."""
    pct = compliance_percent(statuses)
    return f"{pct}% {compliance_base_text(statuses)}" if pct is not None else compliance_base_text(statuses)


def compliance_figure_key(assessment_pk, theme) -> str:
    return f"compliance:{assessment_pk}:{theme}"


def theme_compliance_figure(assessment, theme, statuses: dict[str, int], url: str = ""):
    """A theme's compliance as a `Figure` (percentage with its base) for the dashboard and the pack."""
    from mshtgov.figures import PERCENT, Figure

    return Figure(
        key=compliance_figure_key(assessment.pk, theme),
        value=compliance_percent(statuses),
        url=url,
        label=f"compliance, {compliance_text(statuses)}",
        kind=PERCENT,
        base=assessed_base(statuses),
        base_label="requirements assessed",
    )


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
