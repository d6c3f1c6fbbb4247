"""CSV import of operations and disruptions: a preview with every problem by row and column, whole or
nothing, and undo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from operations.models import Disruption, ImportState, Operation, OperationImport
from tests.operations.factories import make_operation

pytestmark = pytest.mark.django_db

HEADER = "reference,title,opened_on,closed_on,status,lead_unit,officer_in_charge,oic_pip_level,exploitation_types\n"
GOOD = (
    "OP-2025-0701,Car wash labour exploitation,2025-01-10,,live,Major Crime,analyst,2,labour\n"
    "OP-2025-0702,County line from the city,2025-02-01,2025-06-30,concluded,Major Crime,leader,3,criminal;sexual\n"
)


def _upload(client, text, kind="operations"):
    file = SimpleUploadedFile("ops.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("operations:import-create"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return OperationImport.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_a_good_file_is_previewed_then_imported_whole_then_undone(client_for, users):
    client = client_for("analyst")
    batch = _upload(client, HEADER + GOOD)
    assert batch.errors == [] and batch.rows_total == 2
    page = client.get(reverse("operations:import-detail", args=[batch.pk])).content.decode()
    assert "OP-2025-0702" in page and "Import 2 rows" in page
    assert not Operation.objects.exists()
    client.post(reverse("operations:import-apply", args=[batch.pk]))
    assert sorted(Operation.objects.values_list("reference", flat=True)) == ["OP-2025-0701", "OP-2025-0702"]
    imported = Operation.objects.get(reference="OP-2025-0702")
    assert imported.exploitation_list == ["sexual", "criminal"]
    assert imported.outcome.victims_identified == 0
    assert imported.history.first().history_change_reason.startswith("Imported from ops.csv")
    upload_page = client.get(reverse("operations:import-create")).content.decode()
    assert reverse("operations:import-detail", args=[batch.pk]) in upload_page  # found again later, to undo
    client.post(reverse("operations:import-undo", args=[batch.pk]))
    assert not Operation.objects.exists()
    batch.refresh_from_db()
    assert batch.state == ImportState.UNDONE and batch.content == ""


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("Jane Smith,Car wash,2025-01-10,,live,Major Crime,analyst,2,labour", "reference", "looks like a name"),
        ("OP-2025-0703,Car wash,10/01/2025,,live,Major Crime,analyst,2,labour", "opened_on", "is not a date"),
        (
            "OP-2025-0703,Car wash,2025-01-10,2024-01-01,concluded,Major Crime,analyst,2,labour",
            "closed_on",
            "on or after",
        ),
        ("OP-2025-0703,Car wash,2025-01-10,,live,Major Crime,nobody,2,labour", "officer_in_charge", "No active user"),
        (
            "OP-2025-0703,Victim Jane Smith at the car wash,2025-01-10,,live,Major Crime,analyst,2,labour",
            "title",
            "looks like",
        ),
        ("OP-2025-0701,Car wash,2025-01-10,,live,Major Crime,analyst,2,labour", "reference", "also on row 2"),
    ],
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_imported(client_for, row, column, message):
    client = client_for("analyst")
    batch = _upload(client, HEADER + GOOD.splitlines()[0] + "\n" + row + "\n")
    assert [(p[0], p[1]) for p in batch.errors] == [(3, column)], batch.errors
    assert message in batch.errors[0][2]
    assert not batch.may_apply
    client.post(reverse("operations:import-apply", args=[batch.pk]))
    assert not Operation.objects.exists()


def test_a_file_without_the_columns_is_refused_on_the_form(client_for):
    file = SimpleUploadedFile("x.csv", b"name,age\nx,1\n", content_type="text/csv")
    response = client_for("analyst").post(reverse("operations:import-create"), {"kind": "operations", "file": file})
    assert response.status_code == 200
    assert "has no column reference" in " ".join(response.context["form"].errors["file"])


def test_disruptions_import_and_a_disruption_after_closure_is_refused(client_for, users):
    from datetime import date

    make_operation(users["analyst"], reference="OP-2025-0801")
    make_operation(users["analyst"], reference="OP-2025-0802", status="concluded", closed_on=date(2025, 3, 1))
    header = "operation_reference,disrupted_on,level,pillar,tactic_group,lead_agency,justification,assessed_by\n"
    good = "OP-2025-0801,2025-02-01,major,pursue,crime,Force,Site closed and controllers charged,analyst\n"
    bad = "OP-2025-0802,2025-04-01,minor,pursue,crime,Force,Vehicle seized,analyst\n"
    client = client_for("analyst")
    batch = _upload(client, header + good + bad, kind="disruptions")
    assert [(p[0], p[1]) for p in batch.errors] == [(3, "disrupted_on")]
    batch = _upload(client, header + good, kind="disruptions")
    client.post(reverse("operations:import-apply", args=[batch.pk]))
    disruption = Disruption.objects.get()
    assert (disruption.level, disruption.assessed_by, disruption.review_status) == (
        "major",
        users["analyst"],
        "pending",
    )


def test_undo_is_refused_once_records_were_built_on(client_for, users):
    from tests.operations.factories import make_disruption

    client = client_for("analyst")
    batch = _upload(client, HEADER + GOOD)
    client.post(reverse("operations:import-apply", args=[batch.pk]))
    make_disruption(Operation.objects.get(reference="OP-2025-0701"), users["analyst"])
    client.post(reverse("operations:import-undo", args=[batch.pk]))
    assert Operation.objects.count() == 2
    batch.refresh_from_db()
    assert batch.state == ImportState.APPLIED
