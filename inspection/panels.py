"""The dashboard's inspection card: findings not yet closed and those past their target date. Its
overdue count is a line of the "needs your attention" list (the issue asks for overdue findings there)."""

from django.urls import reverse
from django.utils.http import urlencode

from inspection.models import Finding
from inspection.selectors import overdue_findings
from mshtgov import panels
from mshtgov.figures import Figure


def _list_url(**filters) -> str:
    return f"{reverse('inspection:finding-list')}?{urlencode(filters)}"


def gather(user, period) -> dict:
    # Today's state, not the period's: a finding is overdue now or not (as on the register).
    return {
        "outstanding": Figure(
            "inspection.findings-outstanding",
            Finding.objects.visible_to(user).outstanding().count(),
            _list_url(status="outstanding"),
            "inspection findings not yet closed",
        ),
        "overdue": Figure(
            "inspection.findings-overdue",
            overdue_findings(user).count(),
            _list_url(overdue="on"),
            "inspection findings past their target date",
        ),
    }


def attention(user, period, data) -> list:
    from mshtgov.attention import URGENT, Attention

    overdue = data["overdue"]
    text = "inspection findings are past their target date"
    if overdue.value == 1:
        text = "inspection finding is past its target date"
    return [Attention(text, overdue, order=URGENT)]


def register_panels() -> None:
    panels.register(
        panels.Panel(
            key="inspection",
            title="Inspection findings",
            order=75,
            template="inspection/panels/findings.html",
            gather=gather,
            summary_template="inspection/panels/findings.html",
            attention=attention,
            visible=lambda user: user.has_perm("inspection.view_finding"),
            in_board_pack=False,
        )
    )
