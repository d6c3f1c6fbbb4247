from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"

    def ready(self):
        from mshtgov import demo, navigation
        from mshtgov.roles import Role, grant, is_external_partner
        from partnerships import demo as partnerships_demo
        from partnerships import panels, signals  # noqa: F401  (group membership follows partner profiles)

        demo.register(10, "partnerships-organisations", partnerships_demo.seed)
        demo.register(40, "partnerships", partnerships_demo.seed_partnerships)
        panels.register()

        from governance.hooks import register_terms_provider
        from partnerships.board_terms import forum_terms

        register_terms_provider(forum_terms)

        def crud(*models):
            return [f"partnerships.{verb}_{m}" for m in models for verb in ("view", "add", "change")]

        managed = (
            "partnerorganisation",
            "partnership",
            "termsofreference",
            "termsmemberrow",
            "informationsharingagreement",
            "agreementparty",
            "safeguardingnotification",
            "supportservice",
        )
        grant(
            Role.PARTNERSHIP_COORDINATOR,
            *crud(*managed),
            "partnerships.add_membership",
            "partnerships.view_membership",
            "partnerships.delete_membership",
        )
        grant(
            Role.SENIOR_LEADER,
            *[f"partnerships.view_{m}" for m in (*managed, "membership")],
            "partnerships.view_ictg_referrals",
        )
        grant(
            Role.PCC_LIAISON,
            *[
                f"partnerships.view_{m}"
                for m in (
                    "partnerorganisation",
                    "partnership",
                    "membership",
                    "termsofreference",
                    "termsmemberrow",
                    "informationsharingagreement",
                    "agreementparty",
                    "supportservice",
                )
            ],
        )
        grant(
            Role.ANALYST,
            *[
                f"partnerships.view_{m}"
                for m in (
                    "partnerorganisation",
                    "partnership",
                    "membership",
                    "termsofreference",
                    "termsmemberrow",
                    "informationsharingagreement",
                    "agreementparty",
                )
            ],
        )
        # External partners get no model permission here, ever: only object grants (partnerships.grants).

        navigation.register(
            navigation.NavItem(
                "Partnerships",
                "partnerships:partnership-list",
                40,
                lambda u: is_external_partner(u) or u.has_perm("partnerships.view_partnership"),
                "/partnerships/",
            )
        )
