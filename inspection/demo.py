"""Demo findings: an HMICFRS inspection and a peer review, each finding mapped to the self-assessment's
requirements, some with actions in the action log, some with evidence submitted, a few closed, a few overdue."""

from datetime import timedelta

from governance.models import Board
from inspection.models import Finding, FindingKind, FindingSource, FindingStatus
from inspection.services.findings import (
    finding_close,
    finding_create,
    finding_raise_action,
    finding_start,
    finding_submit_evidence,
)
from mshtgov.reference import GuidanceTheme
from strategy.models import Requirement

REPORTS = (
    (FindingSource.HMICFRS, "Modern slavery and human trafficking: force inspection", 420),
    (FindingSource.PEER_REVIEW, "Regional peer review of the MSHT response", 200),
)
# (kind, theme, what the force was told, in its own words)
FINDINGS = (
    (
        FindingKind.CAUSE_OF_CONCERN,
        GuidanceTheme.SAFEGUARDING,
        "Victims are not consistently referred to the NRM when first identified.",
    ),
    (
        FindingKind.RECOMMENDATION,
        GuidanceTheme.INTELLIGENCE,
        "Build a problem profile of labour exploitation and refresh it each year.",
    ),
    (
        FindingKind.RECOMMENDATION,
        GuidanceTheme.GOVERNANCE,
        "Give the strategic board a single action log it reviews at every meeting.",
    ),
    (
        FindingKind.AREA_FOR_IMPROVEMENT,
        GuidanceTheme.LEARNING,
        "Capture and share lessons from every MSHT investigation.",
    ),
    (
        FindingKind.AREA_FOR_IMPROVEMENT,
        GuidanceTheme.PARTNERSHIPS,
        "Agree information sharing with the local authority and health partners.",
    ),
    (
        FindingKind.RECOMMENDATION,
        GuidanceTheme.STRATEGY,
        "Set out in the force strategy how each 4P objective will be measured.",
    ),
)


def seed(ctx) -> None:
    if Finding.objects.exists():
        return
    leader, analyst = ctx.users["leader"], ctx.users["analyst"]
    secretary = ctx.users.get("secretary")
    board = Board.objects.filter(secretary=secretary).order_by("id").first() if secretary else None
    requirements = {
        theme: list(Requirement.objects.filter(theme=theme).order_by("order")[:3]) for theme in GuidanceTheme
    }
    number = 0
    for source, report, age in REPORTS:
        published = ctx.today - timedelta(days=age)
        for repeat in range(max(1, ctx.scale)):
            for index, (kind, theme, text) in enumerate(FINDINGS):
                number += 1
                finding = Finding(
                    kind=kind,
                    source=source,
                    source_report=report if repeat == 0 else f"{report} ({repeat + 1})",
                    report_date=published,
                    reference=f"{kind.label.split()[0][:3].upper()}-{index + 1}",
                    text=text,
                    theme=theme,
                    owner=leader if index % 2 else analyst,
                    board=board if index % 3 == 0 else None,
                    due_date=published + timedelta(days=180 + 60 * index),
                )
                finding_create(finding=finding, requirements=requirements[theme][:2], by=analyst)
                step = (number + repeat) % 5
                if step >= 1:
                    finding_start(finding=finding, by=analyst)
                    finding_raise_action(
                        finding=finding,
                        title=f"Answer {finding.reference}: {text[:80]}",
                        owner=analyst,
                        due_date=max(ctx.today, finding.due_date) - timedelta(days=30),
                        by=analyst,
                    )
                if step >= 3:
                    finding_submit_evidence(
                        finding=finding, evidence="Reviewed at the strategic board; papers held.", by=analyst
                    )
                if step >= 4:
                    finding_close(finding=finding, note="The board accepted the evidence.", by=leader)
    _cite_evidence(ctx)
    closed = Finding.objects.filter(status=FindingStatus.CLOSED).count()
    ctx.log(f"  inspection: {Finding.objects.count()} findings, {closed} closed")


def _cite_evidence(ctx) -> None:
    """Each assessment's met and partly met answers cite a lesson, a board decision and the finding on their
    requirement, so the golden thread and the evidence bundles have something to follow."""
    from django.apps import apps

    from governance.models import Decision
    from mshtgov.citations import cite
    from strategy.models import Assessment, RequirementStatus

    decisions = list(Decision.objects.order_by("id")[:40])
    try:
        lessons = list(apps.get_model("learning", "Lesson").objects.order_by("id")[:40])
    except LookupError:
        lessons = []
    for assessment in Assessment.objects.order_by("-period_end")[:2]:
        answers = assessment.answers.filter(
            status__in=[RequirementStatus.MET, RequirementStatus.PARTLY_MET]
        ).select_related("requirement")
        for index, answer in enumerate(answers.order_by("requirement__order")):
            chosen = [pool[index % len(pool)] for pool in (lessons, decisions) if pool]
            chosen.extend(Finding.objects.filter(requirements=answer.requirement_id)[:1])
            for record in chosen:
                cite(citing=answer, cited=record, by=ctx.users["analyst"])
