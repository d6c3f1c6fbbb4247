"""One test per export this issue adds (action log, threat register with latest assessment, measures and
values, self-assessment answers, inspection findings): marked first row, formula-safe cells, the filtered
rows only, written to the access log with the filters, refused to roles that may not read every row."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mshtgov.marking import Marking
from mshtgov.models import AccessAction, AccessLog
from tests.governance.factories import ActionFactory, BoardFactory
from tests.inspection.factories import make_finding
from tests.strategy.factories import (
    MeasureFactory,
    MeasureValueFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
    start_assessment,
)

pytestmark = pytest.mark.django_db
INJECTION = '=HYPERLINK("http://attacker.invalid","click")'


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _logged(object_type: str) -> AccessLog:
    return AccessLog.objects.filter(action=AccessAction.DISCLOSE, object_type=object_type).latest("id")


def test_action_log_export_for_those_who_see_the_whole_log(client_for, users):
    board = BoardFactory(name="Strategic board")
    ActionFactory(title=INJECTION, owner=users["analyst"], board=board, marking=Marking.OFFICIAL_SENSITIVE)
    ActionFactory(title="Closed one", owner=users["analyst"], status="closed", completion_note="Done")
    rows = _csv(client_for("secretary").get(reverse("governance:action-export", args=["csv"]) + "?status=open_all"))
    assert rows[0] == ["OFFICIAL-SENSITIVE"]
    assert rows[1][:4] == ["Action", "Owner", "Due", "Status"]
    assert [r[0] for r in rows[2:]] == ["'" + INJECTION]
    assert set(_logged("governance.action").detail["filters"]) == {"status"}  # typed words are kept hashed
    # Analysts, coordinators and PCC liaisons see part of the log only: no export.
    for role in ("analyst", "pcc", "coordinator", "partner"):
        assert client_for(role).get(reverse("governance:action-export", args=["csv"])).status_code == 403


def test_threat_register_export_carries_the_latest_assessment(client_for, users):
    threat = ThreatFactory(title="County lines exploitation")
    ThreatAssessmentFactory(threat=threat, assessed_by=users["leader"], assessed_on=date(2026, 1, 10))
    latest = ThreatAssessmentFactory(
        threat=threat, assessed_by=users["leader"], assessed_on=date(2026, 3, 10), harm=4, likelihood=4
    )
    response = client_for("coordinator").get(reverse("strategy:threat-export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "OFFICIAL"
    header = [c.value for c in sheet[2]]
    row = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert row["Threat"] == "County lines exploitation"
    assert row["Latest assessment on"].date() == date(2026, 3, 10)
    assert row["Priority score"] == latest.priority_score
    assert _logged("strategy.threat").detail["rows"] == 1
    assert client_for("partner").get(reverse("strategy:threat-export", args=["xlsx"])).status_code == 403


def test_measures_and_values_export_has_a_row_per_value(client_for, users):
    measure = MeasureFactory(name="NRM referrals", frequency="monthly")
    MeasureValueFactory(measure=measure, entered_by=users["analyst"], note=INJECTION)
    rows = _csv(client_for("pcc").get(reverse("strategy:measure-export", args=["csv"])))
    assert rows[0] == ["OFFICIAL"]
    data = [dict(zip(rows[1], r, strict=True)) for r in rows[2:]]
    assert len(data) == 1 and data[0]["Measure"] == "NRM referrals" and data[0]["Note"] == "'" + INJECTION
    assert _logged("strategy.measurevalue").detail["ids"]


def test_self_assessment_answers_export(client_for, users):
    assessment = start_assessment(users["leader"])
    answer = assessment.answers.order_by("requirement__order").first()
    answer.evidence = INJECTION
    answer.save()
    rows = _csv(client_for("analyst").get(reverse("strategy:assessment-export", args=[assessment.pk, "csv"])))
    assert rows[0] == ["OFFICIAL"]
    assert len(rows) == 2 + assessment.answers.count()
    assert rows[2][1] == answer.requirement.reference and rows[2][5] == "'" + INJECTION
    assert _logged("strategy.requirementassessment").detail["filters"] == {"assessment": assessment.pk}


def test_inspection_findings_export_for_those_who_read_every_finding(client_for, users):
    board = BoardFactory(name="Strategic board", secretary=users["secretary"])
    today = timezone.localdate()
    make_finding(
        users["leader"],
        reference="Late",
        due=today - timedelta(days=1),
        published=today - timedelta(days=90),
        board=board,
    )
    make_finding(
        users["leader"],
        reference="Later",
        text="+cmd|' /C calc'!A0",
        due=today + timedelta(days=60),
        published=today - timedelta(days=90),
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    everything = _csv(client_for("pcc").get(reverse("inspection:finding-export", args=["csv"])))
    assert everything[0] == ["OFFICIAL-SENSITIVE"]
    assert {r[0] for r in everything[2:]} == {"Late", "Later"}
    assert next(r for r in everything[2:] if r[0] == "Later")[5] == "'+cmd|' /C calc'!A0"
    overdue = _csv(client_for("analyst").get(reverse("inspection:finding-export", args=["csv"]) + "?overdue=on"))
    assert [r[0] for r in overdue[2:]] == ["Late"] and overdue[0] == ["OFFICIAL"]
    assert _logged("inspection.finding").detail["filters"] == {"overdue": True}
    # A secretary sees only their boards' findings: no export.
    assert client_for("secretary").get(reverse("inspection:finding-export", args=["csv"])).status_code == 403
