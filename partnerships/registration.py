"""What the partnerships app adds to the shared registries: role permissions, the menu entry, dashboard
panels, the forum terms-of-reference hook for governance boards, and the demo seeders."""

from django.urls import reverse

from mshtgov import demo, navigation, records
from mshtgov.roles import Role, grant

MANAGED = (
    "partnerorganisation",
    "partnership",
    "termsofreference",
    "termsmemberrow",
    "informationsharingagreement",
    "agreementparty",
    "safeguardingnotification",
    "supportservice",
)
# What analysts read; PCC liaisons read the same and victim support provision.
READ = (
    "partnerorganisation",
    "partnership",
    "membership",
    "termsofreference",
    "termsmemberrow",
    "informationsharingagreement",
    "agreementparty",
)


def _view(*models):
    return [f"partnerships.view_{m}" for m in models]


def grant_roles() -> None:
    grant(
        Role.PARTNERSHIP_COORDINATOR,
        *[f"partnerships.{verb}_{m}" for m in MANAGED for verb in ("view", "add", "change")],
        "partnerships.add_membership",
        "partnerships.view_membership",
        "partnerships.delete_membership",
    )
    # ICTG referrals are children's cases: the senior leader (the force's safeguarding lead for MSHT) records
    # and updates them; coordinators, who manage the partnership registers, stay out (issue 10).
    grant(
        Role.SENIOR_LEADER,
        *_view(*MANAGED, "membership"),
        "partnerships.view_ictg_referrals",
        "partnerships.view_ictgreferral",
        "partnerships.add_ictgreferral",
        "partnerships.change_ictgreferral",
    )
    grant(Role.PCC_LIAISON, *_view(*READ, "supportservice"))
    grant(Role.ANALYST, *_view(*READ))
    # External partners get no model permission here, ever: only object grants (partnerships.grants).


def _describe_partnership(partnership):
    return records.Described(
        partnership.name, "", None, reverse("partnerships:partnership-detail", args=[partnership.pk])
    )


def register() -> None:
    grant_roles()
    # Partnerships may be covered by an agenda item; partners see only their own (ScopedQuerySet.visible_to).
    records.register_kind(
        records.RecordKind(
            "partnerships.partnership",
            "partnership",
            "partnerships",
            _describe_partnership,
            citable=False,
            search_fields=("name",),
            order=80,
            linkable_group="Partnerships",
            name=lambda partnership: partnership.name,
        )
    )
    # Shown to whoever the partnership list lets in: internal readers, and partners through their grants.
    navigation.register(
        navigation.NavItem("Partnerships", "partnerships:partnership-list", 40, section_prefix="/partnerships/")
    )

    from governance.hooks import register_terms_provider
    from partnerships import demo as partnerships_demo
    from partnerships import measures, panels, signals  # noqa: F401  (group membership follows partner profiles)
    from partnerships.board_terms import forum_terms

    panels.register()
    measures.register()
    register_terms_provider(forum_terms)
    demo.register(10, "partnerships-organisations", partnerships_demo.seed)
    demo.register(40, "partnerships", partnerships_demo.seed_partnerships)
