"""The daily digest: one email per owner of actions due within a week or overdue, never twice a day."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from governance.models import ActionStatus, ReminderDigest
from governance.services.reminders import reminders_send
from governance.tasks import send_action_reminders_task
from mshtgov.marking import Marking
from tests.governance.factories import ActionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def actions(users):
    return [
        ActionFactory(title="Overdue visit", owner=users["analyst"], due_date=TODAY - timedelta(days=5)),
        ActionFactory(title="Due on Friday", owner=users["analyst"], due_date=TODAY + timedelta(days=3)),
        ActionFactory(title="Due next month", owner=users["analyst"], due_date=TODAY + timedelta(days=30)),
        ActionFactory(
            title="Already done", owner=users["analyst"], due_date=TODAY - timedelta(days=1), status=ActionStatus.DONE
        ),
        ActionFactory(
            title="Coordinator's task",
            owner=users["coordinator"],
            due_date=TODAY + timedelta(days=7),
            marking=Marking.OFFICIAL_SENSITIVE,
        ),
    ]


def test_each_owner_gets_one_digest_of_due_and_overdue_actions(actions):
    reminders_send(today=TODAY)
    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    analyst = by_recipient["analyst@force.invalid"]
    assert analyst.subject == "[OFFICIAL] 2 actions due within a week, 1 overdue"
    assert "Overdue visit" in analyst.body and "(OVERDUE)" in analyst.body and "Due on Friday" in analyst.body
    assert "Due next month" not in analyst.body and "Already done" not in analyst.body
    assert by_recipient["coordinator@force.invalid"].subject.startswith("[OFFICIAL-SENSITIVE]")


def test_digest_links_are_absolute_so_they_work_from_a_mail_client(actions, settings):
    settings.SITE_URL = "https://msht.force.example"
    reminders_send(today=TODAY)
    analyst = next(m for m in mail.outbox if m.to == ["analyst@force.invalid"])
    link = "https://msht.force.example" + reverse("governance:action-detail", args=[actions[0].pk])
    assert link in analyst.body
    html, _ = analyst.alternatives[0]
    assert f'href="{link}"' in html


def test_a_rerun_the_same_day_sends_nothing_twice(actions):
    reminders_send(today=TODAY)
    reminders_send(today=TODAY)
    assert len(mail.outbox) == 2
    assert ReminderDigest.objects.count() == 2
    reminders_send(today=TODAY + timedelta(days=1))
    assert len(mail.outbox) == 4


def test_the_task_sends_todays_digest_once(actions):
    with time_machine.travel("2026-11-20 07:00 +00:00", tick=False):
        assert send_action_reminders_task.run() == 2
        assert send_action_reminders_task.run() == 0
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("moment", ["2026-03-29 00:30 +00:00", "2026-03-29 02:30 +01:00", "2026-10-25 01:30 +00:00"])
def test_across_clock_changes_one_digest_per_london_day(users, moment):
    ActionFactory(title="Due soon", owner=users["analyst"], due_date=date(2026, 3, 30))
    ActionFactory(title="Due soon too", owner=users["analyst"], due_date=date(2026, 10, 26))
    with time_machine.travel(moment, tick=False):
        send_action_reminders_task.run()
        send_action_reminders_task.run()
    assert len(mail.outbox) == 1


def test_a_failed_email_is_retried_on_the_next_run(actions, monkeypatch):
    from governance.services import reminders

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(OSError):
        reminders_send(today=TODAY)
    assert not ReminderDigest.objects.exists()
    monkeypatch.undo()
    reminders_send(today=TODAY)
    assert len(mail.outbox) == 2


def test_users_see_what_was_sent_to_them(client_for, actions):
    reminders_send(today=TODAY)
    own = client_for("analyst").get(reverse("governance:reminder-list")).content.decode()
    assert "Overdue visit" in own and "Coordinator&#x27;s task" not in own and "Coordinator's task" not in own
    everyone = client_for("secretary").get(reverse("governance:reminder-list")).content.decode()
    assert "Overdue visit" in everyone and "Coordinator" in everyone
