"""The one way partnership views reach a scoped record: records the user may not know of answer 404 (an
external partner asking for another partnership's anything, by any id), then `perm=` answers 403 for a
record they may see but not change. The view's `@require(..., partners=True)` gate has already refused
internal users without the model's view permission."""

from mshtgov.access import get_visible_or_404, require_perm
from partnerships.models import InformationSharingAgreement, Partnership, TermsOfReference


def _scoped(user, model, pk, *, perm: str | None = None, **filters):
    record = get_visible_or_404(model.objects.visible_to(user).filter(**filters), pk)
    # Checked after the record was found visible, so a partner asking to edit another partnership's
    # record has already had a 404 and never learns it exists.
    if perm:
        require_perm(user, perm)
    return record


def get_partnership_for_user(user, pk, *, perm: str | None = None) -> Partnership:
    return _scoped(user, Partnership, pk, perm=perm)


def get_terms_for_user(user, partnership_pk, pk, *, perm: str | None = None) -> TermsOfReference:
    # The partnership itself must be visible too (it always is when a version is, but say so).
    terms = _scoped(user, TermsOfReference, pk, partnership_id=partnership_pk)
    get_partnership_for_user(user, partnership_pk)
    if perm:
        require_perm(user, perm)
    return terms


def get_agreement_for_user(user, pk, *, perm: str | None = None) -> InformationSharingAgreement:
    return _scoped(user, InformationSharingAgreement, pk, perm=perm)
