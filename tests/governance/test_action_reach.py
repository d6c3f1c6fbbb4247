"""Issue 15: the action log's visibility rule reads a stored flag (`Action.source_deleted`) instead of looking
up every record of a kind the reader may open in full. It must show each reader exactly the actions the full
rule (issue 9: an action on no board follows its source record's visibility, through the kind's own rule)
shows them: never one more, never one fewer, for every role, on the demo data and after a source is deleted."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q

from governance.models import Action, ActionSource, Board
from governance.models.actions import reads_action_log
from governance.services import action_create
from mshtgov.marking import Marking
from mshtgov.records import visible_generic_q

# One worker seeds the demo once for the module (as the crawl tests do).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("action-reach")]

ROLES = ("leader", "pcc", "analyst", "coordinator", "secretary", "partner", "admin")


def full_rule(user):
    """The rule as issue 9 wrote it: every source looked up through its kind's own visibility rule."""
    if not reads_action_log(user):
        return Action.objects.none()
    if user.has_perm("governance.run_boards"):
        on_board = Q(board__isnull=False)
    else:
        on_board = Q(board__in=Board.objects.visible_to(user).values("pk"))
    unsourced = Q(board__isnull=True, source_content_type__isnull=True)
    sourced = Q(board__isnull=True) & visible_generic_q(
        user, "source_content_type", "source_object_id", raising_actions=True
    )
    return Action.objects.filter(on_board | unsourced | sourced | Q(owner_id=user.pk))


def _seen(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module inside one transaction rolled back at its end; each test's own
    changes roll back to it."""
    from django.db import transaction

    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            call_command("seed_demo", password="reach-Pass-2026!", verbosity=0)
            yield list(get_user_model().objects.filter(username__in=ROLES).values_list("pk", flat=True))
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    return {u.username: u for u in get_user_model().objects.filter(pk__in=seeded)}


def _sensitive_lesson_action(owner, raiser):
    from tests.learning.factories import make_lesson

    lesson = make_lesson(raiser, title="Sensitive lesson about a safe house", marking=Marking.OFFICIAL_SENSITIVE)
    action = action_create(
        title="Follow up the safe house lesson",
        owner=owner,
        due_date=lesson.observed_on,
        by=raiser,
        source=lesson,
        source_kind=ActionSource.LESSON,
    )
    return lesson, action


def test_the_stored_rule_shows_every_role_exactly_what_the_full_rule_shows(demo):
    _sensitive_lesson_action(demo["analyst"], demo["analyst"])
    assert Action.objects.filter(board__isnull=True, source_content_type__isnull=False).count() > 10
    compared = 0
    for role, user in demo.items():
        stored, full = _seen(Action.objects.visible_to(user)), _seen(full_rule(user))
        assert stored == full, f"{role}: shown {len(stored - full)} too many, hides {len(full - stored)}"
        compared += bool(full)
    assert compared >= 4  # the internal roles see actions; the comparison is not between empty sets


def test_an_action_whose_source_was_deleted_is_hidden_as_before(demo):
    leader, analyst = demo["leader"], demo["analyst"]
    lesson, action = _sensitive_lesson_action(analyst, analyst)
    assert action.pk in _seen(Action.objects.visible_to(leader))

    lesson.delete()

    action.refresh_from_db()
    assert action.source_deleted
    # The leader may read every lesson, but no lesson shows this action any more: hidden, as the lookup hid it.
    assert action.pk not in _seen(Action.objects.visible_to(leader))
    assert action.pk not in _seen(full_rule(leader))
    assert action.pk in _seen(Action.objects.visible_to(analyst))  # its owner still sees it
    for role, user in demo.items():
        assert _seen(Action.objects.visible_to(user)) == _seen(full_rule(user)), role


def test_a_reader_who_may_not_open_the_source_never_sees_its_action(demo):
    lesson, action = _sensitive_lesson_action(demo["analyst"], demo["analyst"])
    assert action.pk not in _seen(Action.objects.visible_to(demo["pcc"]))  # PCC liaisons read OFFICIAL lessons
    assert action.pk not in _seen(Action.objects.visible_to(demo["partner"]))
