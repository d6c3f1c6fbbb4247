from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mshtgov.tracking import save_form, save_tracked, stamp
from partnerships.grants import sync_partnership_grants
from partnerships.models import Membership, Partnership, TermsMemberRow, TermsOfReference, TermsStatus
from partnerships.models.terms import TERMS_TEXT_FIELDS

NOT_LATEST_DRAFT = "Only the latest draft can be approved. Version {version} is newer: approve that one instead."
NOT_DRAFT = "Version {version} is {status}: only a draft can be approved."
REVIEW_BEFORE_APPROVAL = "The review date must be on or after the date of approval ({today:%-d %B %Y})."
REVIEW_MISSING = "Enter the date by which these terms of reference must be reviewed."


@transaction.atomic
def terms_start_version(*, partnership: Partnership, by) -> TermsOfReference:
    """A new draft, starting from the current version (or the latest one if none is approved yet).
    Side effects: the draft and one matrix row per current member, each copied from the source version
    where the member was already in it, otherwise from the organisation's own record."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    versions = TermsOfReference.objects.filter(partnership=partnership)
    open_draft = versions.filter(status=TermsStatus.DRAFT).order_by("-version").first()
    if open_draft is not None:
        # Two drafts would split the changes between them, and only the latest could be approved.
        raise ValidationError(
            f"Version {open_draft.version} is already a draft: change it, or approve it, before starting another."
        )
    source = versions.current().first() or versions.order_by("-version").first()
    next_version = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
    draft = TermsOfReference(partnership=partnership, version=next_version, status=TermsStatus.DRAFT, based_on=source)
    if source is not None:
        for name in TERMS_TEXT_FIELDS:
            setattr(draft, name, getattr(source, name))
        draft.marking = source.marking
    reason = f"Started from version {source.version}" if source else "First version started"
    save_tracked(draft, by=by, reason=reason)
    copied = {row.organisation_id: row for row in source.member_rows.all()} if source else {}
    rows = []
    for membership in Membership.objects.filter(partnership=partnership).select_related("organisation"):
        org = membership.organisation
        previous = copied.get(org.pk)
        rows.append(
            TermsMemberRow(
                terms=draft,
                organisation=org,
                responsibilities=previous.responsibilities if previous else org.responsibilities,
                powers=previous.powers if previous else org.statutory_powers,
            )
        )
    for row in rows:
        save_tracked(row, by=by, reason=reason)
    return draft


@transaction.atomic
def terms_save(*, form, rows_formset, by) -> TermsOfReference:
    """Save a draft and its matrix together (both already validated), or neither."""
    terms = form.instance
    if not terms.is_draft:
        raise ValidationError("Only a draft can be changed. Start a new version instead.")
    terms = save_form(form, by=by)
    reason = form.cleaned_data.get("change_reason") or "Edited"
    for row_form in rows_formset.forms:
        if row_form.has_changed():
            stamp(row_form.instance, by=by, reason=reason)
            row_form.save()
    return terms


@transaction.atomic
def terms_approve(*, terms: TermsOfReference, review_date, by, today=None) -> TermsOfReference:
    """Approve a draft. Refused unless it is the latest version and a draft, with a review date on or after
    today. Side effects, in order: the current version becomes superseded (still readable); this one
    approved; older drafts withdrawn; partners of the partnership granted the new version."""
    today = today or timezone.localdate()
    Partnership.objects.select_for_update().filter(pk=terms.partnership_id).first()
    terms.refresh_from_db()
    if terms.status != TermsStatus.DRAFT:
        raise ValidationError(NOT_DRAFT.format(version=terms.version, status=terms.get_status_display().lower()))
    latest = TermsOfReference.objects.filter(partnership_id=terms.partnership_id).aggregate(top=Max("version"))["top"]
    if latest != terms.version:
        raise ValidationError(NOT_LATEST_DRAFT.format(version=latest))
    if review_date is None:
        raise ValidationError({"review_date": REVIEW_MISSING})
    if review_date < today:
        raise ValidationError({"review_date": REVIEW_BEFORE_APPROVAL.format(today=today)})
    for current in TermsOfReference.objects.filter(partnership_id=terms.partnership_id, status=TermsStatus.APPROVED):
        current.status = TermsStatus.SUPERSEDED
        save_tracked(current, by=by, reason=f"Superseded by version {terms.version}")
    for stale in TermsOfReference.objects.filter(
        partnership_id=terms.partnership_id, status=TermsStatus.DRAFT, version__lt=terms.version
    ):
        stale.status = TermsStatus.WITHDRAWN
        save_tracked(stale, by=by, reason=f"Withdrawn when version {terms.version} was approved")
    terms.status = TermsStatus.APPROVED
    terms.approved_on = today
    terms.approved_by = by
    terms.review_date = review_date
    save_tracked(terms, by=by, reason="Approved")
    sync_partnership_grants(terms.partnership)
    return terms
