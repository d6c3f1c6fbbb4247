"""Who may use each inspection page. Findings: senior leaders and analysts maintain them, PCC liaisons read
them, a board secretary reads those of boards they serve (the one in `world.finding` is such a finding),
coordinators and partners nothing. Bundles: leaders and analysts build them; PCC liaisons download those
of signed-off assessments; nobody else sees them. Closing and reopening: senior leaders only."""

from datetime import date

from inspection.models import BundleStatus, EvidenceBundle, FindingStatus
from inspection.services.findings import finding_start, finding_submit_evidence
from strategy.models import AssessmentStatus
from tests.governance.factories import BoardFactory
from tests.inspection.factories import make_finding
from tests.matrix import Row, allow
from tests.strategy.factories import start_assessment

MAINTAIN = ("leader", "analyst", "admin")
READ = ("leader", "analyst", "pcc", "secretary", "admin")
LEADERS = ("leader", "admin")
BUNDLE_READ = ("leader", "analyst", "pcc", "admin")


def build(world):
    leader, secretary = world.users["leader"], world.users["secretary"]
    board = BoardFactory(name="Matrix board", secretary=secretary)
    world.finding = make_finding(leader, board=board)
    world.submitted = make_finding(leader, reference="Recommendation 2", board=board)
    finding_start(finding=world.submitted, by=leader)
    finding_submit_evidence(finding=world.submitted, evidence="Minutes of the board.", by=leader)
    world.closed = make_finding(leader, reference="Recommendation 3", board=board)
    world.closed.status = FindingStatus.CLOSED
    world.closed.closed_by, world.closed.closed_on = leader, date(2026, 5, 1)
    world.closed.save()
    world.unlinked = make_finding(leader, reference="Recommendation 4")
    world.assessment = start_assessment(leader, title="Signed off assessment")
    world.assessment.status = AssessmentStatus.SIGNED_OFF
    world.assessment.signed_off_by, world.assessment.signed_off_on = leader, date(2026, 6, 1)
    world.assessment.save()
    world.draft = start_assessment(leader, title="Draft assessment", start=date(2027, 4, 1), end=date(2028, 3, 31))
    world.bundle = EvidenceBundle.objects.create(
        assessment=world.assessment, requested_by=leader, status=BundleStatus.FAILED, failure_reason="Test"
    )
    world.draft_bundle = EvidenceBundle.objects.create(
        assessment=world.draft, requested_by=leader, status=BundleStatus.FAILED, failure_reason="Test"
    )


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


ROWS = [
    Row("inspection:finding-list", allow(*READ)),
    Row("inspection:finding-list", allow(*READ), query="status=outstanding&overdue=on", id="filtered"),
    Row("inspection:finding-create", allow(*MAINTAIN)),
    Row("inspection:finding-create", allow(*MAINTAIN), method="post", id="invalid", data=lambda w: {"text": ""}),
    Row("inspection:finding-detail", allow(*READ), kwargs=_pk("finding")),
    # Not linked to a board the secretary serves: they may not know of it.
    Row("inspection:finding-detail", allow(*READ, secretary=404), kwargs=_pk("unlinked"), id="unlinked"),
    Row("inspection:finding-detail", allow(*READ, ok=404), kwargs=lambda w: {"pk": 999999}, id="missing"),
    Row("inspection:finding-edit", allow(*MAINTAIN), kwargs=_pk("finding")),
    Row("inspection:finding-start", allow(*MAINTAIN, ok=302), kwargs=_pk("finding"), method="post"),
    Row("inspection:finding-submit", allow(*MAINTAIN), kwargs=_pk("finding")),
    Row("inspection:finding-close", allow(*LEADERS), kwargs=_pk("submitted")),
    Row(
        "inspection:finding-close",
        allow(*LEADERS, ok=302),
        kwargs=_pk("submitted"),
        method="post",
        id="do",
        data=lambda w: {"note": "Answered."},
    ),
    Row("inspection:finding-reopen", allow(*LEADERS), kwargs=_pk("closed")),
    Row("inspection:finding-raise-action", allow(*MAINTAIN), kwargs=_pk("finding")),
    Row("inspection:finding-cite", allow(*MAINTAIN), kwargs=_pk("finding")),
    Row(
        "inspection:finding-cite",
        allow(*MAINTAIN, ok=302),
        kwargs=_pk("finding"),
        method="post",
        id="post",
        data=lambda w: {"record": f"inspection.finding:{w.unlinked.pk}"},
    ),
    Row(
        "inspection:finding-uncite",
        allow(*MAINTAIN, ok=302),
        kwargs=lambda w: {"pk": w.finding.pk, "citation_pk": 999999},
        method="post",
    ),
    # Closed: no more citing.
    Row("inspection:finding-cite", allow(), kwargs=_pk("closed"), id="closed"),
    Row("inspection:finding-history", allow(*READ), kwargs=_pk("finding")),
    # A secretary reads only some findings, so may not export the register.
    Row("inspection:finding-export", allow("leader", "analyst", "pcc", "admin"), kwargs=lambda w: {"fmt": "csv"}),
    Row(
        "inspection:finding-export",
        allow("leader", "analyst", "pcc", "admin", ok=404),
        kwargs=lambda w: {"fmt": "pdf"},
        id="unknown-format",
    ),
    Row("inspection:assessment-bundles", allow(*BUNDLE_READ), kwargs=_pk("assessment")),
    Row(
        "inspection:assessment-bundles",
        allow(*BUNDLE_READ, pcc=404),
        kwargs=_pk("draft"),
        id="draft",
    ),
    Row("inspection:bundle-detail", allow(*BUNDLE_READ), kwargs=_pk("bundle")),
    Row("inspection:bundle-detail", allow(*BUNDLE_READ, pcc=404), kwargs=_pk("draft_bundle"), id="draft"),
    # A failed bundle has nothing to download: 404 for those who may know of it.
    Row(
        "inspection:bundle-download",
        allow(*BUNDLE_READ, ok=404),
        kwargs=lambda w: {"pk": w.bundle.pk, "part": "zip"},
    ),
    Row("inspection:bundle-retry", allow("leader", "analyst", "admin", ok=302), kwargs=_pk("bundle"), method="post"),
]
