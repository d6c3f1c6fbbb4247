"""What the operations app adds to the shared registries: role permissions, the menu entry, its record
kind and golden-thread relations, derived measures, the dashboard panel (also a board-pack section) and
the demo seeder.

Layering: operations sits beside the other registers (strategy, partnerships, learning): it imports the
core and governance (the one action log) only. It reads a linked threat's priority through
`mshtgov.scoring.latest_priorities` and the lessons logged under an operation's reference through
`mshtgov.records`, and contributes measures, panels and pack sections through the core registries. Nothing
imports it (docs/CONVENTIONS.md)."""

from mshtgov import demo, navigation, records, roles
from mshtgov.roles import Role
from mshtgov.thread import Relation, register_relations

MAINTAIN = [
    f"operations.{verb}_{model}"
    for model in ("operation", "outcome", "disruption", "debrief")
    for verb in ("view", "add", "change")
]


def grant_roles() -> None:
    """Analysts and senior leaders keep the register; senior leaders review disruptions (and anyone an
    admin gives `operations.review_disruption`, never for their own assessment); PCC liaisons and board
    secretaries see the aggregate figures only; coordinators and partners nothing."""
    extra = ["operations.export_operation", "operations.import_operation", "operations.view_operation_summary"]
    roles.grant(Role.ANALYST, *MAINTAIN, *extra)
    roles.grant(Role.SENIOR_LEADER, *MAINTAIN, *extra, "operations.review_disruption")
    roles.grant((Role.PCC_LIAISON, Role.BOARD_SECRETARY), "operations.view_operation_summary")


def _describe_operation(operation):
    from django.urls import reverse

    return records.Described(
        f"{operation.reference}: {operation.title}",
        operation.get_status_display(),
        operation.opened_on,
        reverse("operations:operation-detail", args=[operation.pk]),
    )


def _lessons_of_operation(operation):
    from operations.selectors import lessons_for

    lessons = lessons_for(operation.reference)
    if lessons is not None:
        yield Relation("Lessons logged under this operation's reference", lessons)


def _operation_of_lesson(lesson):
    """The other way along the thread: the operation a lesson was learned on (by the reference it quotes)."""
    from operations.models import Operation

    if lesson.operation_reference:
        yield Relation("Learned on operation", Operation.objects.filter(reference=lesson.operation_reference))


def register() -> None:
    grant_roles()
    records.register_kind(
        records.RecordKind(
            "operations.operation",
            "operation",
            "operations",
            _describe_operation,
            search_fields=("reference", "title"),
            order=40,
            raises_actions=True,
        )
    )
    register_relations(_lessons_of_operation, label="operations.operation")
    register_relations(_operation_of_lesson, label="learning.lesson")
    # Lessons quote the reference of the operation they were learned on: shown only to its readers.
    records.register_quoted_reference("learning.lesson", "operation_reference", kind="operations.operation")
    from mshtgov import scoring
    from operations.services.operations import THREAT_LABEL, follow_threat_reassessments

    # A reassessed threat moves the priority of the operations linked to it at once.
    scoring.follow_reassessments(THREAT_LABEL, follow_threat_reassessments)
    from operations import measures, panels

    measures.register()
    panels.register_panels()
    from operations import demo as operations_demo

    # After learning (50): debriefs link the lessons logged under their operation's reference.
    demo.register(55, "operations", operations_demo.seed)
    navigation.register(
        navigation.NavItem("Operations", "operations:operation-list", 45, section_prefix="/operations/")
    )
