"""Choice lists whose query never changes (mshtgov.fixed_choices, issue 15): the people a board, an action or a
finding can be given to are offered exactly as before, kept under the same key as a list whose SQL is compiled
on every draw, and that SQL is compiled once per process; a list narrowed from them (the people of one board)
is keyed by its own SQL, so it is never mistaken for the whole list."""

import pytest
from django.contrib.auth.models import Group
from django.db.models.sql.query import Query

from governance.forms import AttendanceForm, BoardForm, internal_people
from mshtgov import fixed_choices
from mshtgov.filters import staff_users
from mshtgov.forms import LeanChoiceIterator, _choice_list_key
from mshtgov.roles import Role
from tests.factories import UserFactory
from tests.governance.factories import BoardFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled(monkeypatch):
    """The SQL compiled for choice-list keys and lists (each Query.sql_with_params call's SQL)."""
    seen = []
    original = Query.sql_with_params

    def spy(self):
        sql, params = original(self)
        seen.append(sql)
        return sql, params

    monkeypatch.setattr(Query, "sql_with_params", spy)
    fixed_choices._sql.clear()
    return seen


def _key(form, name):
    form[name]  # noqa: B018 - the bound field gives the widget its lean list
    return _choice_list_key(form, name, form.fields[name])


def test_a_fixed_list_is_keyed_as_its_compiled_sql_would_key_it(compiled):
    form = BoardForm()
    key = _key(form, "chair")
    choices = form.fields["chair"].widget.choices
    assert isinstance(choices, LeanChoiceIterator) and choices.source.fixed_choices_name
    # The same list with its name dropped (a filter that selects the same people) compiles the same SQL.
    unnamed = BoardForm()
    unnamed.fields["chair"].queryset = internal_people().filter()
    assert unnamed.fields["chair"].queryset.fixed_choices_name is None
    assert _key(unnamed, "chair") == key


def test_its_sql_is_compiled_once_whatever_the_number_of_forms_and_fields(compiled):
    for _ in range(3):
        form = BoardForm()
        for name in ("chair", "secretary", "members"):
            _key(form, name)
    people = [sql for sql in compiled if 'FROM "auth_user"' in sql]
    assert len(people) == 1, people


def test_the_people_offered_are_the_force_staff_and_a_new_colleague_shows_at_once(compiled):
    UserFactory(first_name="Ada", last_name="Staff")
    partner = UserFactory(first_name="Pat", last_name="Partner")
    partner.groups.add(Group.objects.get_or_create(name=Role.EXTERNAL_PARTNER.label)[0])
    page = str(BoardForm())
    assert "Ada Staff" in page and "Pat Partner" not in page
    assert [u.pk for u in internal_people()] == [
        u.pk for u in staff_users().order_by("last_name", "first_name", "username")
    ]
    UserFactory(first_name="Newly", last_name="Joined")
    assert "Newly Joined" in str(BoardForm())


def test_a_list_narrowed_to_one_board_is_keyed_by_its_own_sql(compiled):
    board, other = BoardFactory(), BoardFactory()
    member, _outsider = UserFactory(first_name="On", last_name="Board"), UserFactory(first_name="Not", last_name="On")
    board.members.add(member)
    mine = AttendanceForm(meeting=MeetingFactory(board=board))
    theirs = AttendanceForm(meeting=MeetingFactory(board=other))
    assert mine.fields["present"].queryset.fixed_choices_name is None
    assert _key(mine, "present") != _key(theirs, "present")
    page = str(mine)
    assert "On Board" in page and "Not On" not in page
