"""What the strategy app adds to the shared registries: role permissions, menu entries, dashboard
panels and the demo seeder."""

from mshtgov import demo, navigation, panels, roles, scoring
from mshtgov.roles import INTERNAL_ROLES, Role, has_role

_MODELS = (
    "nationalstrategy",
    "forcestrategy",
    "objective",
    "threat",
    "threatassessment",
    "measure",
    "measurevalue",
    "framework",
    "requirement",
    "assessment",
    "requirementassessment",
)
READERS = (Role.PCC_LIAISON, Role.BOARD_SECRETARY, Role.PARTNERSHIP_COORDINATOR)


def _perms(*actions_and_models):
    return [f"strategy.{action}_{model}" for action, model in actions_and_models]


def grant_roles() -> None:
    every_view = _perms(*(("view", m) for m in _MODELS))
    leader = (
        every_view
        + _perms(*((a, m) for a in ("add", "change", "delete") for m in _MODELS))
        + [
            "strategy.approve_forcestrategy",
            "strategy.submit_assessment",
            "strategy.signoff_assessment",
        ]
    )
    roles.grant(Role.SENIOR_LEADER, *leader)
    roles.grant(
        Role.ANALYST,
        *every_view,
        *_perms(
            ("add", "threat"),
            ("change", "threat"),
            ("add", "threatassessment"),
            ("add", "measurevalue"),
            ("change", "measurevalue"),
            ("change", "requirementassessment"),
        ),
        "strategy.submit_assessment",
    )
    for role in READERS:
        roles.grant(role, *every_view)


def internal(user) -> bool:
    return has_role(user, *INTERNAL_ROLES)


def register() -> None:
    grant_roles()
    from strategy import records

    records.register()
    # One menu entry: the app's own pages carry a sub-navigation (templates/strategy/_subnav.html).
    navigation.register(navigation.NavItem("Strategy", "strategy:index", 10, internal, "/strategy/"))

    from strategy import panels as strategy_panels

    for panel in strategy_panels.PANELS:
        panels.register(panel)

    from strategy.demo import seed

    demo.register(30, "strategy", seed)

    from strategy import pack_since

    pack_since.register()
    # Other registers (operations) take a linked threat's priority from here, through the core.
    scoring.register_latest("strategy.threat", _latest_threat_priorities)


def _latest_threat_priorities(ids) -> dict:
    from mshtgov.scoring import Priority
    from strategy.models import Threat

    rows = Threat.objects.filter(pk__in=ids).with_latest().values_list("pk", "latest_score", "latest_band")
    return {pk: Priority(score=score, band=band) for pk, score, band in rows if score is not None}
