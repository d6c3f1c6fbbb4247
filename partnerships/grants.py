"""Object-level access for external partners, derived from membership and nothing else.

Each partner organisation has a group `partner-org-<id>` holding its partner users. While the organisation
is a member of a partnership, that group holds (in guardian's direct foreign-key tables):
  - view_partnership on the partnership, and governance.view_board on its forum's board;
  - view_termsofreference on the partnership's published versions (approved and superseded, never drafts);
  - view_informationsharingagreement on the partnership's agreements the organisation is party to.
`sync_partnership_grants` recomputes that set for one partnership and writes only the difference, so every
service that changes membership, a version's status or an agreement's parties calls it and the grants can
never drift from the memberships. The groups never hold a model-level permission.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from governance.models import BoardGroupObjectPermission
from mshtgov.roles import forget_grants
from partnerships.models import (
    AgreementParty,
    InformationSharingAgreementGroupObjectPermission,
    Membership,
    PartnershipGroupObjectPermission,
    TermsOfReference,
    TermsOfReferenceGroupObjectPermission,
    partner_group_name,
)


def organisation_group(organisation_id) -> Group:
    return Group.objects.get_or_create(name=partner_group_name(organisation_id))[0]


def _permission(model, codename) -> Permission:
    return Permission.objects.get(content_type=ContentType.objects.get_for_model(model), codename=codename)


def _apply(perm_model, permission, object_ids, wanted: set[tuple[int, int]]) -> None:
    """Make the (group, object) rows of `perm_model` for `object_ids` and partner groups equal `wanted`."""
    existing = set(
        perm_model.objects.filter(
            permission=permission, content_object_id__in=object_ids, group__name__startswith="partner-org-"
        ).values_list("group_id", "content_object_id")
    )
    stale = existing - wanted
    for group_id, object_id in stale:
        perm_model.objects.filter(permission=permission, group_id=group_id, content_object_id=object_id).delete()
    added = perm_model.objects.bulk_create(
        [perm_model(permission=permission, group_id=g, content_object_id=o) for g, o in wanted - existing]
    )
    if added:
        # bulk_create sends no post_save: pages and figures cached from the grant tables must be told
        # (mshtgov.summaries), or a new member would not see the partnership until something else changed.
        from mshtgov.summaries import bump

        bump(perm_model)


def sync_partnership_grants(partnership) -> None:
    """Grant exactly what the partnership's members may see, and revoke anything else, at once."""
    from governance.models import Board
    from partnerships.models import InformationSharingAgreement, Partnership

    member_org_ids = list(Membership.objects.filter(partnership=partnership).values_list("organisation_id", flat=True))
    groups = {org_id: organisation_group(org_id).pk for org_id in member_org_ids}
    member_groups = set(groups.values())

    _apply(
        PartnershipGroupObjectPermission,
        _permission(Partnership, "view_partnership"),
        [partnership.pk],
        {(g, partnership.pk) for g in member_groups},
    )
    board_perm = _permission(Board, "view_board")
    # A board that was once this forum's keeps no partner grants from it.
    former = set(
        BoardGroupObjectPermission.objects.filter(permission=board_perm, group__name__startswith="partner-org-")
        .exclude(content_object__partnership__isnull=False)
        .values_list("content_object_id", flat=True)
    )
    for board_id in former:
        _apply(BoardGroupObjectPermission, board_perm, [board_id], set())
    if partnership.board_id:
        _apply(
            BoardGroupObjectPermission,
            board_perm,
            [partnership.board_id],
            {(g, partnership.board_id) for g in member_groups},
        )

    terms_ids = list(TermsOfReference.objects.filter(partnership=partnership).values_list("pk", flat=True))
    published = TermsOfReference.objects.filter(partnership=partnership).published().values_list("pk", flat=True)
    _apply(
        TermsOfReferenceGroupObjectPermission,
        _permission(TermsOfReference, "view_termsofreference"),
        terms_ids,
        {(g, t) for t in published for g in member_groups},
    )

    agreement_ids = list(
        InformationSharingAgreement.objects.filter(partnership=partnership).values_list("pk", flat=True)
    )
    parties = AgreementParty.objects.filter(agreement_id__in=agreement_ids, organisation_id__in=member_org_ids)
    _apply(
        InformationSharingAgreementGroupObjectPermission,
        _permission(InformationSharingAgreement, "view_informationsharingagreement"),
        agreement_ids,
        {
            (groups[org_id], agreement_id)
            for agreement_id, org_id in parties.values_list("agreement_id", "organisation_id")
        },
    )


def sync_profile_group(profile) -> None:
    """Keep a partner user in their organisation's group, and in no other organisation's."""
    user = profile.user
    wanted = organisation_group(profile.organisation_id)
    others = user.groups.filter(name__startswith="partner-org-").exclude(pk=wanted.pk)
    user.groups.remove(*others)
    user.groups.add(wanted)
    forget_grants(user)  # cached roles and permissions must not outlive the change


def remove_profile_group(profile) -> None:
    profile.user.groups.remove(*profile.user.groups.filter(name__startswith="partner-org-"))
