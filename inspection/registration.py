"""What the inspection app adds to the shared registries: role permissions, the menu entry, its record kind
and golden-thread relations, and the demo seeder.

Layering: inspection sits above strategy and governance (a finding maps to the self-assessment's
requirements and its actions live in the one action log; a bundle is built from a self-assessment). Nothing
below imports it; records of the other registers (lessons, operations, papers...) reach it only through the
core registries (mshtgov.records, mshtgov.thread, mshtgov.citations)."""

from django.urls import reverse

from mshtgov import demo, navigation, records, roles
from mshtgov.roles import Role
from mshtgov.thread import Relation, register_relations


def grant_roles() -> None:
    maintain = [f"inspection.{verb}_finding" for verb in ("view", "add", "change")]
    bundles = ["inspection.view_evidencebundle", "inspection.add_evidencebundle"]
    roles.grant(Role.SENIOR_LEADER, *maintain, "inspection.close_finding", "inspection.export_finding", *bundles)
    roles.grant(Role.ANALYST, *maintain, "inspection.export_finding", *bundles)
    roles.grant(
        Role.PCC_LIAISON, "inspection.view_finding", "inspection.export_finding", "inspection.view_evidencebundle"
    )
    # A secretary sees only the findings of the boards they serve, so may not export the register.
    roles.grant(Role.BOARD_SECRETARY, "inspection.view_finding")


def _describe_finding(finding):
    return records.Described(
        f"{finding.reference}, {finding.source_report}",
        finding.get_status_display(),
        finding.due_date,
        reverse("inspection:finding-detail", args=[finding.pk]),
    )


def _findings_of_answer(answer):
    """A self-assessment answer: the findings mapped to its requirement."""
    from inspection.models import Finding

    yield Relation(
        "Inspection findings on this requirement", Finding.objects.filter(requirements=answer.requirement_id)
    )


def _answers_of_finding(finding):
    """A finding: the answers to its requirements in the latest assessment of each framework."""
    from strategy.models import Assessment, RequirementAssessment

    latest: dict[int, int] = {}
    for pk, framework_id in Assessment.objects.order_by("-period_end", "-id").values_list("pk", "framework_id"):
        latest.setdefault(framework_id, pk)
    yield Relation(
        "Self-assessment answers for its requirements",
        RequirementAssessment.objects.filter(assessment__in=latest.values(), requirement__findings=finding),
    )


def _bundles_link(user, assessment):
    """On a self-assessment's page: its evidence bundles, for builders, and for PCC liaisons once signed off."""
    from strategy.models import AssessmentStatus

    builder = user.has_perm("inspection.add_evidencebundle")
    reader = user.has_perm("inspection.view_evidencebundle") and assessment.status == AssessmentStatus.SIGNED_OFF
    if builder or reader:
        text = "Build or download an evidence bundle" if builder else "Download an evidence bundle"
        return text, reverse("inspection:assessment-bundles", args=[assessment.pk])
    return None


def register() -> None:
    grant_roles()
    from inspection import panels

    panels.register_panels()
    navigation.register(navigation.NavItem("Inspection", "inspection:finding-list", 55, section_prefix="/inspection/"))
    records.register_kind(
        records.RecordKind(
            "inspection.finding",
            "inspection finding",
            "inspection findings",
            _describe_finding,
            select_related=("owner",),
            search_fields=("reference", "source_report", "text"),
            order=15,
            raises_actions=True,
        )
    )
    records.register_page_link("strategy.assessment", _bundles_link)
    register_relations(_findings_of_answer, label="strategy.requirementassessment")
    register_relations(_answers_of_finding, label="inspection.finding")

    # Built bundles are withdrawn when text they hold is redacted or a record they hold disposed of.
    from inspection.services.bundles import bundle_withdraw, bundles_built_since
    from mshtgov import documents

    documents.register(
        documents.BuiltDocuments(
            key="inspection.evidencebundle",
            label="evidence bundle",
            candidates=bundles_built_since,
            open_file=lambda bundle: bundle.pdf_file,
            withdraw=bundle_withdraw,
        )
    )

    from inspection.demo import seed

    demo.register(70, "inspection", seed)
