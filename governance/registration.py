"""What the governance app adds to the shared registries: role permissions (running boards is the named
permission `governance.run_boards`), menu entries, the actions panel and its "since the last meeting"
section, and the demo seeders."""

from mshtgov import demo, navigation, panels
from mshtgov.roles import Role, grant

RUNNING = [
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


def grant_roles() -> None:
    from governance.models import RUN_BOARDS

    grant((Role.SENIOR_LEADER, Role.BOARD_SECRETARY), RUN_BOARDS, *RUNNING, "governance.view_reminderdigest")
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


def register() -> None:
    grant_roles()
    # Each entry is shown to whoever its page's gate lets in.
    navigation.register(navigation.NavItem("Boards", "governance:board-list", 30, section_prefix="/governance/boards"))
    navigation.register(
        navigation.NavItem("Actions", "governance:action-list", 35, section_prefix="/governance/actions")
    )

    from governance import demo as governance_demo
    from governance import measures, records
    from governance import panels as governance_panels
    from governance.packs import since
    from governance.services.packs import board_pack_withdraw, board_packs_built_since
    from mshtgov import documents, measure_sources

    # Built packs are withdrawn (or rebuilt) when text they hold is redacted or a record they hold disposed of.
    documents.register(
        documents.BuiltDocuments(
            key="governance.boardpack",
            label="board pack",
            candidates=board_packs_built_since,
            open_file=lambda pack: pack.file,
            withdraw=board_pack_withdraw,
        )
    )
    records.register()
    panels.register(governance_panels.ACTIONS_PANEL)
    measure_sources.register(measures.ACTIONS_OVERDUE)
    since.register(governance_panels.ACTIONS_SINCE)
    demo.register(20, "governance-boards", governance_demo.seed_boards)
    demo.register(60, "governance-meetings", governance_demo.seed_meetings)
