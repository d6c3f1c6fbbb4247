"""What the learning app adds to the shared registries: role permissions, the menu entry, dashboard
panels, the "since the last meeting" pack section and the demo seeder."""

from mshtgov import demo, navigation
from mshtgov.roles import Role, grant

READ_CATALOGUE = (
    "learning.view_trainingproduct",
    "learning.view_lessontheme",
    "learning.view_rolegroup",
    "learning.view_unit",
)


def grant_roles() -> None:
    """Analysts log and edit lessons and import training; senior leaders validate lessons and see
    everything; board secretaries see summaries; PCC liaisons see summaries, coverage and OFFICIAL lessons;
    partnership coordinators and external partners have no part of this app."""
    grant(
        Role.ANALYST,
        "learning.view_lesson",
        "learning.add_lesson",
        "learning.change_lesson",
        "learning.progress_lesson",
        "learning.view_lesson_patterns",
        "learning.export_lesson",
        *READ_CATALOGUE,
        "learning.add_trainingproduct",
        "learning.change_trainingproduct",
        "learning.view_trainingrecord",
        "learning.view_coverage",
        "learning.view_importbatch",
        "learning.add_importbatch",
        "learning.change_importbatch",
        "learning.view_establishment",
        "learning.add_establishment",
        "learning.change_establishment",
    )
    grant(
        Role.SENIOR_LEADER,
        "learning.view_lesson",
        "learning.progress_lesson",
        "learning.validate_lesson",
        "learning.view_lesson_patterns",
        "learning.export_lesson",
        *READ_CATALOGUE,
        "learning.view_trainingrecord",
        "learning.view_coverage",
        "learning.view_importbatch",
        "learning.view_establishment",
    )
    grant(
        Role.PCC_LIAISON,
        "learning.view_lesson",
        "learning.view_lesson_patterns",
        *READ_CATALOGUE,
        "learning.view_coverage",
        "learning.view_establishment",
    )
    grant(Role.BOARD_SECRETARY, "learning.view_lesson_patterns")


def register() -> None:
    grant_roles()
    from learning import demo as learning_demo
    from learning import measures, pack_since, panels
    from learning.permissions import sees_learning

    # The learning front page is for whoever has a section in it (it refuses the others).
    navigation.register(navigation.NavItem("Learning", "learning:index", 50, sees_learning, "/learning/"))
    from learning import records

    records.register()
    panels.register_panels()
    measures.register()
    pack_since.register()
    demo.register(50, "learning", learning_demo.seed)
