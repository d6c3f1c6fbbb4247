"""Inspection findings: record, work, submit evidence, close (a senior leader, with a note), reopen, and
raise actions in the one action log. Each step is one atomic service that validates before it saves and
leaves a history row saying who, when and why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import ActionSource
from governance.services import action_create
from inspection.models import Finding, FindingStatus
from inspection.models.findings import WORKING
from mshtgov.citations import has_citations
from mshtgov.tracking import save_tracked, stamp


def _locked(finding: Finding) -> Finding:
    """The finding as it is now, locked until the transaction ends: two people acting at once are serialised."""
    return Finding.objects.select_for_update().get(pk=finding.pk)


@transaction.atomic
def finding_create(*, finding: Finding, requirements, by) -> Finding:
    """Save a new finding (from its form's unsaved instance) with the requirements it maps to."""
    finding.status = FindingStatus.OPEN
    save_tracked(finding, by=by, reason="Finding recorded")
    finding.requirements.set(requirements)
    return finding


@transaction.atomic
def finding_update(*, form, by) -> Finding:
    """Save an edit (an AuditedModelForm, which asked for the reason); a closed finding is reopened first."""
    current = _locked(form.instance)
    if current.status == FindingStatus.CLOSED:
        raise ValidationError("This finding is closed: reopen it before changing it.")
    finding = form.save(commit=False)
    finding.status = current.status
    finding.full_clean()
    stamp(finding, by=by, reason=form.cleaned_data.get("change_reason") or "Edited")
    finding.save()
    form.save_m2m()
    return finding


@transaction.atomic
def finding_start(*, finding: Finding, by) -> Finding:
    finding = _locked(finding)
    if finding.status not in (FindingStatus.OPEN, FindingStatus.REOPENED, FindingStatus.EVIDENCE_SUBMITTED):
        raise ValidationError(f"Work cannot start on a finding that is {finding.get_status_display().lower()}.")
    back = finding.status == FindingStatus.EVIDENCE_SUBMITTED
    finding.status = FindingStatus.IN_PROGRESS
    return save_tracked(finding, by=by, reason="Evidence sent back for more work" if back else "Work started")


@transaction.atomic
def finding_submit_evidence(*, finding: Finding, evidence: str, by) -> Finding:
    """Ask a senior leader to close the finding: needs evidence, written or cited."""
    finding = _locked(finding)
    if finding.status not in WORKING:
        raise ValidationError(
            f"Evidence can be submitted for an open or reopened finding, not one that is "
            f"{finding.get_status_display().lower()}."
        )
    evidence = evidence.strip()
    if not evidence and not has_citations(finding):
        raise ValidationError({"evidence": "Say what shows the finding is answered, or cite a record as evidence."})
    finding.evidence = evidence or finding.evidence
    finding.status = FindingStatus.EVIDENCE_SUBMITTED
    finding.evidence_submitted_on = timezone.localdate()
    return save_tracked(finding, by=by, reason="Evidence submitted for closure")


@transaction.atomic
def finding_close(*, finding: Finding, note: str, by) -> Finding:
    """A senior leader closes a finding whose evidence was submitted, saying why it is answered."""
    if not by.has_perm("inspection.close_finding"):
        raise PermissionDenied("Only a senior leader can close a finding.")
    finding = _locked(finding)
    if finding.status != FindingStatus.EVIDENCE_SUBMITTED:
        raise ValidationError(
            f"Only a finding with evidence submitted can be closed: this one is {finding.get_status_display().lower()}."
        )
    if not note.strip():
        raise ValidationError({"note": "Enter a closure note saying why the finding is answered."})
    finding.status = FindingStatus.CLOSED
    finding.closure_note = note.strip()
    finding.closed_by = by
    finding.closed_on = timezone.localdate()
    return save_tracked(finding, by=by, reason="Closed by a senior leader")


@transaction.atomic
def finding_reopen(*, finding: Finding, reason: str, by) -> Finding:
    if not by.has_perm("inspection.close_finding"):
        raise PermissionDenied("Only a senior leader can reopen a finding.")
    finding = _locked(finding)
    if finding.status != FindingStatus.CLOSED:
        raise ValidationError("Only a closed finding can be reopened.")
    if not reason.strip():
        raise ValidationError({"note": "Say why the finding is reopened."})
    finding.status = FindingStatus.REOPENED
    finding.reopened_reason = reason.strip()
    finding.closed_by = None
    finding.closed_on = None
    return save_tracked(finding, by=by, reason="Reopened")


@transaction.atomic
def finding_raise_action(*, finding: Finding, title, owner, due_date, by, description="", board=None):
    """An action in the one action log that answers the finding (its source), overseen by the finding's board."""
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError("This finding is closed: reopen it before raising more actions.")
    return action_create(
        title=title,
        owner=owner,
        due_date=due_date,
        by=by,
        source=finding,
        source_kind=ActionSource.INSPECTION,
        board=board if board is not None else finding.board,
        description=description or f"{finding.reference}: {finding.text}",
        marking=finding.marking,
        reason=f"Raised to answer {finding}"[:100],
    )
