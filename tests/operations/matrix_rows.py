"""The operations app's pages for every role.

Analysts and senior leaders keep the register; senior leaders review disruptions (never their own);
PCC liaisons and board secretaries see only the aggregate panel and pack section, never the register
(403); coordinators nothing; external partners 404 on every URL (they must not learn the register exists)."""

from datetime import timedelta

from operations.models import OperationStatus
from tests.matrix import Row, allow
from tests.operations.factories import OPENED, make_disruption, make_operation

KEEPERS = ("leader", "analyst", "admin")
REVIEWERS = ("leader", "admin")


def _keep(*roles, **overrides):
    return allow(*roles, partner=404, **overrides)


def build(world):
    analyst = world.users["analyst"]
    world.operation = make_operation(analyst, reference="OP-2025-0101")
    world.ended = make_operation(
        analyst, reference="OP-2025-0102", status=OperationStatus.CONCLUDED, closed_on=OPENED + timedelta(days=60)
    )
    world.disruption = make_disruption(world.operation, analyst)


def _op(w):
    return {"pk": w.operation.pk}


def _new_operation(w):
    return {
        "reference": "OP-2025-0199",
        "title": "Nail bar labour exploitation",
        "opened_on": "2025-02-03",
        "status": "live",
        "lead_unit": "Major Crime",
        "officer_in_charge": w.users["analyst"].pk,
        "oic_pip_level": "2",
        "exploitation_types": ["labour"],
        "geography": "local",
        "marking": "official-sensitive",
    }


ROWS = [
    Row("operations:operation-list", _keep(*KEEPERS)),
    Row(
        "operations:operation-list",
        _keep(*KEEPERS),
        query="status=live&debrief_overdue=yes&sort=-priority",
        id="filtered",
    ),
    Row("operations:operation-list", _keep(*KEEPERS), query="opened_from=2025-05-01&opened_to=2025-01-01", id="bad"),
    Row("operations:operation-export", _keep(*KEEPERS), kwargs=lambda w: {"fmt": "csv"}),
    Row("operations:operation-export", _keep(*KEEPERS), kwargs=lambda w: {"fmt": "xlsx"}, id="xlsx"),
    Row("operations:operation-export", _keep(*KEEPERS, ok=404), kwargs=lambda w: {"fmt": "pdf"}, id="unknown"),
    Row("operations:operation-create", _keep(*KEEPERS)),
    Row("operations:operation-create", _keep(*KEEPERS, ok=302), method="post", data=_new_operation, id="save"),
    Row("operations:operation-detail", _keep(*KEEPERS), kwargs=_op),
    Row("operations:operation-detail", _keep(*KEEPERS, ok=404), kwargs=lambda w: {"pk": 99999999}, id="missing"),
    Row("operations:operation-edit", _keep(*KEEPERS), kwargs=_op),
    Row("operations:operation-history", _keep(*KEEPERS), kwargs=_op),
    Row("operations:outcome-edit", _keep(*KEEPERS), kwargs=_op),
    Row("operations:debrief-create", _keep(*KEEPERS), kwargs=lambda w: {"pk": w.ended.pk}),
    Row("operations:disruption-create", _keep(*KEEPERS), kwargs=_op),
    Row("operations:disruption-list", _keep(*KEEPERS)),
    Row("operations:review-queue", _keep(*REVIEWERS)),
    Row("operations:disruption-edit", _keep(*KEEPERS), kwargs=lambda w: {"pk": w.disruption.pk}),
    Row("operations:disruption-review", _keep(*REVIEWERS), kwargs=lambda w: {"pk": w.disruption.pk}),
    # The leader reviews; the analyst who assessed it may not (no permission, and never their own).
    Row(
        "operations:disruption-review",
        _keep(*REVIEWERS, ok=302),
        kwargs=lambda w: {"pk": w.disruption.pk},
        method="post",
        data=lambda w: {"decision": "accepted"},
        id="accept",
    ),
    Row("operations:disruption-history", _keep(*KEEPERS), kwargs=lambda w: {"pk": w.disruption.pk}),
]


def _staged(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from operations.services.imports import import_stage

    if not hasattr(w, "batch"):
        text = (
            "reference,title,opened_on,status,lead_unit,officer_in_charge,oic_pip_level,exploitation_types\n"
            "OP-2025-0901,Car wash labour exploitation,2025-01-10,live,Major Crime,analyst,2,labour\n"
        )
        w.batch = import_stage(
            uploaded=SimpleUploadedFile("a.csv", text.encode()), kind="operations", by=w.users["analyst"]
        )
    return {"pk": w.batch.pk}


ROWS += [
    Row("operations:import-create", _keep(*KEEPERS)),
    Row("operations:import-detail", _keep(*KEEPERS), kwargs=_staged),
    Row("operations:import-apply", _keep(*KEEPERS, ok=302), kwargs=_staged, method="post"),
    Row("operations:import-apply", _keep(*KEEPERS, ok=405, refused=405), kwargs=_staged, id="get"),
    Row("operations:import-undo", _keep(*KEEPERS, ok=302), kwargs=_staged, method="post"),
    Row("operations:import-discard", _keep(*KEEPERS, ok=302), kwargs=_staged, method="post"),
]
