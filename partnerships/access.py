"""The one way partnership views reach a record: known-but-refused users get 403, records the user may not
know of answer 404 (an external partner asking for another partnership's anything, by any id)."""

from django.core.exceptions import PermissionDenied

from mshtgov.access import get_visible_or_404
from mshtgov.roles import is_external_partner
from partnerships.models import InformationSharingAgreement, Partnership, TermsOfReference


def may_use_scoped(user, model) -> bool:
    """Partners reach scoped models through grants; internal users need their role's view permission."""
    return is_external_partner(user) or user.has_perm(f"partnerships.view_{model._meta.model_name}")


def require_perm(user, perm: str) -> None:
    # Checked after the record was found visible, so a partner asking to edit another partnership's
    # record has already had a 404 and never learns it exists.
    if not user.has_perm(perm):
        raise PermissionDenied


def _scoped(user, model, pk, **filters):
    if not may_use_scoped(user, model):
        raise PermissionDenied
    return get_visible_or_404(model.objects.visible_to(user).filter(**filters), pk)


def get_partnership_for_user(user, pk, *, perm: str | None = None) -> Partnership:
    partnership = _scoped(user, Partnership, pk)
    if perm:
        require_perm(user, perm)
    return partnership


def get_terms_for_user(user, partnership_pk, pk, *, perm: str | None = None) -> TermsOfReference:
    terms = _scoped(user, TermsOfReference, pk, partnership_id=partnership_pk)
    # The partnership itself must be visible too (it always is when a version is, but say so).
    get_partnership_for_user(user, partnership_pk)
    if perm:
        require_perm(user, perm)
    return terms


def get_agreement_for_user(user, pk, *, perm: str | None = None) -> InformationSharingAgreement:
    agreement = _scoped(user, InformationSharingAgreement, pk)
    if perm:
        require_perm(user, perm)
    return agreement


def get_internal_record(user, model, pk, *, perm: str):
    """Registers partners never see (organisations, notifications, support, ICTG): role permission, then 404."""
    require_perm(user, perm)
    return get_visible_or_404(model.objects.all(), pk)
