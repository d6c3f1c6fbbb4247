"""Inspection records for tests, made through the services so they are what the app would make."""

from datetime import date

from inspection.models import Finding, FindingKind, FindingSource
from inspection.services.findings import finding_create
from mshtgov.marking import Marking
from strategy.models import Requirement


def make_finding(
    by,
    *,
    reference="Recommendation 1",
    report="MSHT force inspection 2026",
    text="Refer every potential victim to the NRM when first identified.",
    theme="safeguarding",
    owner=None,
    board=None,
    due=date(2026, 10, 1),
    published=date(2026, 4, 1),
    marking=Marking.OFFICIAL,
    requirements=None,
    kind=FindingKind.RECOMMENDATION,
) -> Finding:
    finding = Finding(
        kind=kind,
        source=FindingSource.HMICFRS,
        source_report=report,
        report_date=published,
        reference=reference,
        text=text,
        theme=theme,
        owner=owner or by,
        board=board,
        due_date=due,
        marking=marking,
    )
    if requirements is None:
        requirements = list(Requirement.objects.filter(theme=theme).order_by("order")[:1])
    return finding_create(finding=finding, requirements=requirements, by=by)
