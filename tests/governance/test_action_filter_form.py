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


def test_list_rows_escape_what_people_typed_and_mark_sensitive_actions(users, client_for):
    """The rows are written out in Python (issue 15): a title, an owner's name and a board's name are escaped
    as the template escaped them, a sensitive action carries its marking tag and an action on no board says so."""
    from django.urls import reverse

    from mshtgov.marking import Marking

    owner = users["analyst"]
    owner.first_name, owner.last_name = "Jo <b>", "O'Neil"
    owner.save()
    board = BoardFactory(name="Board <i>&")
    action = ActionFactory(title="Fix <script>x</script>", owner=owner, board=board, marking=Marking.OFFICIAL_SENSITIVE)
    ActionFactory(title="Loose end", owner=owner)
    page = client_for("leader").get(reverse("governance:action-list")).content.decode()
    assert (
        f'href="{reverse("governance:action-detail", args=[action.pk])}">Fix &lt;script&gt;x&lt;/script&gt;</a> '
        in page
    )
    assert "<script>x" not in page and "Jo &lt;b&gt; O&#x27;Neil" in page and "Board &lt;i&gt;&amp;" in page
    assert 'govuk-tag--red">OFFICIAL-SENSITIVE</strong></th>' in page
    assert '<td class="govuk-table__cell">None</td>' in page
