from django.db import transaction

from mshtgov.tracking import save_form, save_tracked, stamp
from partnerships.grants import sync_partnership_grants
from partnerships.models import AgreementParty, InformationSharingAgreement


@transaction.atomic
def agreement_save(*, form, by) -> InformationSharingAgreement:
    """Create or edit an agreement with its parties (already checked to be members of its partnership).
    Side effects, in order: the agreement's history; a history row per party added or removed; the parties'
    partner users granted (or no longer granted) the agreement."""
    agreement = save_form(form, by=by)
    reason = form.cleaned_data.get("change_reason") or "Created"
    wanted = {org.pk: org for org in form.cleaned_data["parties"]}
    current = {link.organisation_id: link for link in agreement.party_links.all()}
    for org_id, link in current.items():
        if org_id not in wanted:
            stamp(link, by=by, reason=reason).delete()
    for org_id, org in wanted.items():
        if org_id not in current:
            save_tracked(AgreementParty(agreement=agreement, organisation=org), by=by, reason=reason, clean=False)
    sync_partnership_grants(agreement.partnership)
    return agreement
