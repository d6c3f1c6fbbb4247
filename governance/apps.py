from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self):
        from governance import demo, panels
        from governance.packs import since
        from mshtgov import demo as demo_registry
        from mshtgov import navigation
        from mshtgov import panels as panel_registry
        from mshtgov.roles import INTERNAL_ROLES, Role, grant, has_role

        runners = (Role.SENIOR_LEADER, Role.BOARD_SECRETARY)
        running = [
            f"governance.{verb}_{model}"
            for model in (
                "board",
                "meeting",
                "agendaitem",
                "agendalink",
                "paper",
                "decision",
                "attendance",
                "action",
                "boardpack",
            )
            for verb in ("add", "change", "view")
        ]
        grant(runners, *running, "governance.view_reminderdigest")
        # Members see what their boards do; the partner role holds no model-level governance permission
        # (partners reach forums only through object grants on the board).
        grant(
            (Role.ANALYST, Role.PARTNERSHIP_COORDINATOR, Role.PCC_LIAISON),
            "governance.view_board",
            "governance.view_meeting",
            "governance.view_paper",
            "governance.view_decision",
            "governance.view_action",
            "governance.change_action",
            "governance.view_boardpack",
        )

        navigation.register(
            navigation.NavItem(
                "Boards", "governance:board-list", 30, lambda u: u.is_authenticated, "/governance/boards"
            )
        )
        navigation.register(
            navigation.NavItem(
                "Actions", "governance:action-list", 35, lambda u: has_role(u, *INTERNAL_ROLES), "/governance/actions"
            )
        )
        panel_registry.register(panels.ACTIONS_PANEL)
        since.register(panels.ACTIONS_SINCE)
        demo_registry.register(20, "governance-boards", demo.seed_boards)
        demo_registry.register(60, "governance-meetings", demo.seed_meetings)
