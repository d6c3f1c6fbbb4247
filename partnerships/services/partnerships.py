from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mshtgov.tracking import save_form, save_tracked, stamp
from partnerships.grants import sync_partnership_grants
from partnerships.models import Membership, Partnership, TermsMemberRow, TermsOfReference, TermsStatus


@transaction.atomic
def partnership_save(*, form, by) -> Partnership:
    """Create or edit a partnership. Side effects: history row; grants re-synced (the forum's board may change)."""
    partnership = save_form(form, by=by)
    sync_partnership_grants(partnership)
    return partnership


@transaction.atomic
def membership_add(*, partnership: Partnership, organisation, by, reason: str = "Member added") -> Membership:
    """Make `organisation` a member. Side effects, in order: the membership (with history); a row for it in
    any draft terms of reference; its partner users are granted the partnership at once."""
    if Membership.objects.filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation} is already a member of {partnership}."})
    membership = Membership(partnership=partnership, organisation=organisation, joined_on=timezone.localdate())
    save_tracked(membership, by=by, reason=reason)
    for terms in TermsOfReference.objects.filter(partnership=partnership, status=TermsStatus.DRAFT):
        row = TermsMemberRow(
            terms=terms,
            organisation=organisation,
            responsibilities=organisation.responsibilities,
            powers=organisation.statutory_powers,
        )
        save_tracked(row, by=by, reason=reason, clean=False)
    sync_partnership_grants(partnership)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by, reason: str) -> None:
    """End a membership. Side effects, in order: the deletion is kept in the membership's history; the
    organisation's row leaves draft terms (approved versions keep it: they record what was agreed); its
    partner users lose the partnership, its forum, its terms and its agreements at once."""
    if not reason.strip():
        raise ValidationError({"change_reason": "Say why the organisation is leaving the partnership."})
    partnership = membership.partnership
    for row in TermsMemberRow.objects.filter(
        terms__partnership=partnership, terms__status=TermsStatus.DRAFT, organisation=membership.organisation
    ):
        stamp(row, by=by, reason=reason).delete()
    stamp(membership, by=by, reason=reason).delete()
    sync_partnership_grants(partnership)
