"""The action log's filter form is drawn in one pass (issue 15): it must read exactly as the GOV.UK field
templates draw it, for a reader who has not filtered, one who has, and one whose filters are wrong."""

import pytest

from governance.forms import ActionFilterForm
from tests.governance.factories import ActionFactory, BoardFactory

pytestmark = pytest.mark.django_db


def _through_templates(form) -> str:
    return form.render(template_name=form.template_name)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"status": "open_all", "source": "decision", "overdue": "on", "no_board": "on", "due_soon": "on"},
        {"status": "nonsense", "board": "999999", "owner": "x", "overdue_on-day": "31", "overdue_on-month": "2"},
        {"overdue_on-day": "1", "overdue_on-month": "3", "overdue_on-year": "2026", "board": "", "owner": ""},
    ],
    ids=["unfiltered", "filtered", "errors", "date"],
)
def test_filter_form_reads_as_the_field_templates_draw_it(users, data):
    board = BoardFactory(name='Board "A" & <B>')
    ActionFactory(owner=users["leader"], board=board)
    if data and data.get("board") == "":
        data = {**data, "board": str(board.pk), "owner": str(users["leader"].pk)}
    form = ActionFilterForm(data, user=users["leader"])
    form.is_valid()
    one_pass = str(form)
    assert one_pass == _through_templates(form)
    assert 'name="board"' in one_pass and 'name="overdue"' in one_pass
    assert "Board &quot;A&quot; &amp; &lt;B&gt;" in one_pass
    if data and "status" in data and data["status"] == "nonsense":
        assert 'id="id_status-error"' in one_pass and "govuk-select--error" in one_pass
