"""A lesson quotes the reference of the operation it was learned on. Operations are closed to PCC liaisons,
so a lesson they may read shows that reference as withheld: on its page, its history and its export. An
analyst, who may open the operation, reads it; a reference that names no operation is shown as typed."""

import csv
import io

import pytest
from django.urls import reverse

from mshtgov.records import WITHHELD_REFERENCE
from tests.learning.factories import make_lesson
from tests.operations.factories import make_operation

pytestmark = pytest.mark.django_db


def _export_rows(client):
    response = client.get(reverse("learning:lesson-export", args=["csv"]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def lessons(users):
    make_operation(users["analyst"], reference="OP-2026-0042")
    quoting = make_lesson(users["analyst"], title="Interpreter known to the suspects", operation="OP-2026-0042")
    plain = make_lesson(users["analyst"], title="Night shift referrals", operation="INV-2026-0007")
    return quoting, plain


@pytest.mark.parametrize("path", ["learning:lesson-detail", "learning:lesson-history"])
def test_a_pcc_liaison_reads_the_lesson_but_not_the_operation_it_names(client_for, lessons, path):
    quoting, plain = lessons
    pcc, analyst = client_for("pcc"), client_for("analyst")
    assert pcc.get(reverse("operations:operation-list")).status_code in (403, 404)

    page = pcc.get(reverse(path, args=[quoting.pk])).content.decode()
    assert "OP-2026-0042" not in page and WITHHELD_REFERENCE in page
    assert "INV-2026-0007" in pcc.get(reverse(path, args=[plain.pk])).content.decode()
    assert "OP-2026-0042" in analyst.get(reverse(path, args=[quoting.pk])).content.decode()


def test_the_lesson_export_withholds_the_reference_from_those_who_may_not_open_it(client_for, users, lessons):
    users["pcc"].user_permissions.add(*_export_permission())
    column = {row[1]: row[2] for row in _export_rows(client_for("pcc"))[2:]}
    assert column["Interpreter known to the suspects"] == WITHHELD_REFERENCE
    assert column["Night shift referrals"] == "INV-2026-0007"
    column = {row[1]: row[2] for row in _export_rows(client_for("leader"))[2:]}
    assert column["Interpreter known to the suspects"] == "OP-2026-0042"


def _export_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="learning", codename="export_lesson")


def test_the_lesson_page_threads_back_to_its_operation_for_those_who_may_open_it(client_for, lessons):
    quoting, _ = lessons
    url = reverse("learning:lesson-detail", args=[quoting.pk])
    analyst = client_for("analyst").get(url).content.decode()
    thread = analyst.split("Learned on operation", 1)[1][:2000]
    assert "OP-2026-0042" in thread and reverse("operations:operation-detail", args=[_operation_pk()]) in thread
    pcc = client_for("pcc").get(url).content.decode()
    assert "OP-2026-0042" not in pcc and "1 record you cannot see" in pcc


def _operation_pk():
    from operations.models import Operation

    return Operation.objects.get(reference="OP-2026-0042").pk
