"""Demo boards and a year of meetings: realistic, scaled, and idempotent."""

import pytest
from django.utils import timezone

from governance import demo
from governance.models import Action, Board, BoardKind, Decision, Meeting, MeetingStatus
from mshtgov.demo import DemoContext

pytestmark = pytest.mark.django_db


def _ctx(users, scale):
    return DemoContext(scale=scale, users=users, today=timezone.localdate(), log=lambda *_: None)


def _seed(users, scale):
    ctx = _ctx(users, scale)
    demo.seed_boards(ctx)
    demo.seed_meetings(ctx)
    return ctx


def test_boards_are_shared_for_the_partnerships_seeder(users):
    ctx = _seed(users, 1)
    boards = ctx.shared["boards"]
    assert set(boards) == {"strategic", "tactical", "forum"}
    assert boards["forum"].kind == BoardKind.PARTNERSHIP_FORUM
    assert boards["forum"].name == "Northmoor Modern Slavery Partnership Forum"


def test_a_year_of_meetings_with_overdue_actions_and_a_next_meeting(users):
    _seed(users, 1)
    today = timezone.localdate()
    tactical = Board.objects.get(kind=BoardKind.TACTICAL)
    past = tactical.meetings.filter(starts_at__date__lt=today)
    assert 11 <= past.count() <= 13
    assert all(m.minutes and m.status == MeetingStatus.CLOSED for m in past)
    assert tactical.meetings.filter(status=MeetingStatus.SCHEDULED, starts_at__date__gte=today).count() == 1
    assert Action.objects.overdue(today).exists()
    assert Decision.objects.exists()
    assert all(a.source is not None for a in Action.objects.all()[:20])


def test_seeding_twice_adds_nothing(users):
    _seed(users, 1)
    counts = (Board.objects.count(), Meeting.objects.count(), Action.objects.count())
    _seed(users, 1)
    assert (Board.objects.count(), Meeting.objects.count(), Action.objects.count()) == counts


def test_volumes_grow_with_scale(users):
    _seed(users, 1)
    small = Action.objects.count()
    Action.objects.all().delete()
    Decision.objects.all().delete()
    Meeting.objects.all().delete()
    _seed(users, 3)
    assert Action.objects.count() == 3 * small
