"""A lesson from debrief to learned: each step dated and attributed; backwards, skipping and validation by a
non-leader refused with the reason; no validation while an action is open."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Action, ActionSource, ActionStatus
from learning.models import Lesson, LessonStatus, LessonTransition
from learning.services.lessons import LessonRefused, lesson_advance, lesson_not_accept, lesson_raise_action
from mshtgov.glossary import plain_words
from tests.learning.factories import make_lesson, theme

pytestmark = pytest.mark.django_db


def _advance(client, lesson, to_status, on=None):
    return client.post(
        reverse("learning:lesson-advance", args=[lesson.pk]),
        {"to_status": to_status, "on": (on or timezone.localdate()).isoformat(), "note": ""},
    )


def _raise_action(client, lesson, owner):
    return client.post(
        reverse("learning:lesson-action-create", args=[lesson.pk]),
        {
            "title": "Build a vetted interpreter list",
            "owner": owner.pk,
            "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )


def test_analyst_logs_a_lesson_from_a_debrief(client_for, users):
    theme("Interpreters and language")
    client = client_for("analyst")
    response = client.post(
        reverse("learning:lesson-create"),
        {
            "title": "Interpreter known to the suspects",
            "operation_reference": "OP-2026-0142",
            "source": "debrief",
            "observed_on": "2026-02-03",
            "pillars": ["pursue", "protect"],
            "guidance_theme": "learning",
            "themes": [theme("Interpreters and language").pk],
            "what_worked": "Early planning",
            "what_did_not": "Interpreter known to the suspects",
            "root_cause": "No vetted list",
            "recommendation": "Keep a vetted list",
            "owner": users["analyst"].pk,
            "marking": "official",
        },
    )
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("learning:lesson-detail", args=[lesson.pk])
    assert lesson.reference == "LL-2026-0001"
    assert lesson.status == LessonStatus.OBSERVED
    assert lesson.pillars == "pursue,protect"
    assert lesson.theme_names == "Interpreters and language"
    step = lesson.transitions.get()
    assert (step.to_status, step.by, step.on) == (LessonStatus.OBSERVED, users["analyst"], date(2026, 2, 3))
    page = client.get(response["Location"]).content.decode()
    assert "Interpreter known to the suspects" in page and "Pursue, Protect" in page


@pytest.mark.parametrize(
    ("reference", "message"),
    [("Jane Smith", "looks like a name"), ("12/04/1990", "looks like a date of birth"), ("x", "Enter a reference")],
)
def test_a_lesson_refuses_anything_but_a_pseudonymous_reference(client_for, users, reference, message):
    response = client_for("analyst").post(
        reverse("learning:lesson-create"),
        {
            "title": "A title kept on error",
            "operation_reference": reference,
            "source": "debrief",
            "observed_on": "2026-02-03",
            "pillars": ["pursue"],
            "guidance_theme": "learning",
            "owner": users["analyst"].pk,
            "marking": "official",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    assert 'value="A title kept on error"' in page  # the user's values are kept
    assert not Lesson.objects.exists()


def test_a_lesson_refuses_secret_marking_and_a_future_date(client_for, users):
    response = client_for("analyst").post(
        reverse("learning:lesson-create"),
        {
            "title": "T",
            "operation_reference": "OP-1",
            "source": "debrief",
            "pillars": ["pursue"],
            "observed_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "guidance_theme": "learning",
            "owner": users["analyst"].pk,
            "marking": "secret",
        },
    )
    page = response.content.decode()
    assert "not accredited for SECRET" in page
    assert "cannot be in the future" in page
    assert not Lesson.objects.exists()


def test_senior_leader_sees_a_lesson_through_to_learned_with_its_action_closed(client_for, users):
    analyst, leader = client_for("analyst"), client_for("leader")
    lesson = make_lesson(users["analyst"], observed=timezone.localdate() - timedelta(days=40))

    assert _advance(analyst, lesson, "identified").status_code == 302
    assert _raise_action(analyst, lesson, users["leader"]).status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.ACTION_ASSIGNED  # raising the first action moved it on
    action = Action.objects.for_source(lesson).get()
    assert action.source_kind == ActionSource.LESSON and action.pillar == "pursue"

    # Not implemented while its action is open (issue 10).
    refused = _advance(analyst, lesson, "implemented")
    assert refused.status_code == 200
    assert "cannot be marked implemented while 1 of its actions is still open" in refused.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.ACTION_ASSIGNED
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    assert _advance(analyst, lesson, "implemented").status_code == 302

    # An action reopened meanwhile: the leader's validation is refused with the reason.
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.OPEN)
    response = _advance(leader, lesson, "learned")
    assert response.status_code == 200
    assert "cannot be validated while 1 of its actions is still open" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.IMPLEMENTED

    Action.objects.filter(pk=action.pk).update(status=ActionStatus.CLOSED)
    assert _advance(leader, lesson, "learned").status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.LEARNED and lesson.learned_on == timezone.localdate()
    steps = list(lesson.transitions.order_by("id").values_list("to_status", "by__username"))
    assert steps == [
        ("observed", "analyst"),
        ("identified", "analyst"),
        ("action_assigned", "analyst"),
        ("implemented", "analyst"),
        ("learned", "leader"),
    ]
    history = lesson.history.order_by("history_date")
    assert history.last().history_user == users["leader"]
    assert history.last().history_change_reason == "Validated as learned"


def test_an_analyst_cannot_validate_a_lesson(client_for, users):
    lesson = make_lesson(users["analyst"])
    lesson_advance(lesson=lesson, to_status=LessonStatus.IDENTIFIED, by=users["analyst"])
    lesson_raise_action(
        lesson=lesson, by=users["analyst"], title="Act", owner=users["analyst"], due_date=timezone.localdate()
    )
    Action.objects.for_source(lesson).update(status=ActionStatus.CLOSED)
    lesson_advance(lesson=lesson, to_status=LessonStatus.IMPLEMENTED, by=users["analyst"])
    response = _advance(client_for("analyst"), lesson, "learned")
    assert "Only a senior leader can validate a lesson as learned" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.IMPLEMENTED


def test_a_lesson_cannot_move_backwards_or_skip_a_step(client_for, users):
    lesson = make_lesson(users["analyst"])
    lesson_advance(lesson=lesson, to_status=LessonStatus.IDENTIFIED, by=users["analyst"])
    client = client_for("analyst")
    back = _advance(client, lesson, "observed").content.decode()
    assert "cannot move back from “Identified” to “Observed”" in back
    skip = _advance(client, lesson, "implemented").content.decode()
    assert "one step at a time" in skip
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.IDENTIFIED
    assert lesson.transitions.count() == 2


def test_moving_on_needs_an_action_and_a_date_not_before_the_last_step(users):
    lesson = make_lesson(users["analyst"], observed=date(2025, 1, 10))
    lesson_advance(lesson=lesson, to_status=LessonStatus.IDENTIFIED, by=users["analyst"], on=date(2025, 2, 1))
    with pytest.raises(LessonRefused, match="Raise at least one action"):
        lesson_advance(lesson=lesson, to_status=LessonStatus.ACTION_ASSIGNED, by=users["analyst"])
    lesson_raise_action(
        lesson=lesson, by=users["analyst"], title="Act", owner=users["analyst"], due_date=timezone.localdate()
    )
    Action.objects.for_source(lesson).update(status=ActionStatus.DONE)
    with pytest.raises(LessonRefused, match="before the previous step"):
        lesson_advance(lesson=lesson, to_status=LessonStatus.IMPLEMENTED, by=users["analyst"], on=date(2025, 1, 20))


def test_not_accepted_needs_a_leader_and_a_reason(client_for, users):
    lesson = make_lesson(users["analyst"])
    with pytest.raises(LessonRefused, match="Only a senior leader"):
        lesson_not_accept(lesson=lesson, by=users["analyst"], reason="No")
    url = reverse("learning:lesson-not-accept", args=[lesson.pk])
    empty = client_for("leader").post(url, {"reason": "", "on": timezone.localdate().isoformat()})
    assert "Enter" in empty.content.decode() or "required" in empty.content.decode()
    response = client_for("leader").post(
        url, {"reason": "Already covered by LL-2025-0003", "on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.NOT_ACCEPTED
    assert lesson.not_accepted_reason == "Already covered by LL-2025-0003"
    assert LessonTransition.objects.filter(lesson=lesson, to_status="not_accepted", by=users["leader"]).exists()
    # Closed: no more steps, no more edits.
    with pytest.raises(LessonRefused, match="already not accepted"):
        lesson_advance(lesson=lesson, to_status=LessonStatus.IDENTIFIED, by=users["leader"])
    edit = client_for("analyst").get(reverse("learning:lesson-edit", args=[lesson.pk]))
    assert edit.status_code == 302


def test_editing_a_lesson_keeps_who_why_and_the_themes_in_history(client_for, users):
    lesson = make_lesson(users["analyst"], themes=["Safeguarding"])
    client = client_for("analyst")
    form = client.get(reverse("learning:lesson-edit", args=[lesson.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "themes"}
    data.update(
        title="A better title",
        pillars=["prevent"],
        themes=[theme("Digital evidence").pk],
        owner=users["analyst"].pk,
        change_reason="Clearer title after review",
        seen_version=form.fields["seen_version"].initial,
        observed_on=lesson.observed_on.isoformat(),
    )
    response = client.post(reverse("learning:lesson-edit", args=[lesson.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = lesson.history.order_by("-history_date").first()
    assert latest.title == "A better title" and latest.theme_names == "Digital evidence"
    assert latest.history_user == users["analyst"]
    assert latest.history_change_reason == "Clearer title after review"
    page = client.get(reverse("learning:lesson-history", args=[lesson.pk])).content.decode()
    assert "Clearer title after review" in page and "Safeguarding" in page


def test_dissemination_is_recorded_with_to_whom_and_when(client_for, users):
    lesson = make_lesson(users["analyst"], observed=date(2025, 1, 1))
    response = client_for("analyst").post(
        reverse("learning:lesson-dissemination-create", args=[lesson.pk]),
        {"audience": "All PIP2 investigators", "method": "Bulletin", "disseminated_on": "2025-03-01"},
    )
    assert response.status_code == 302
    page = plain_words(client_for("leader").get(reverse("learning:lesson-detail", args=[lesson.pk])).content.decode())
    assert "All PIP2 investigators" in page and "1 Mar 2025" in page
    early = client_for("analyst").post(
        reverse("learning:lesson-dissemination-create", args=[lesson.pk]),
        {"audience": "Too early", "disseminated_on": "2024-12-01"},
    )
    assert "on or after the day the lesson was observed" in early.content.decode()
    assert lesson.disseminations.count() == 1


def test_references_keep_counting_past_four_digits(users):
    from learning.services.lessons import _next_reference

    owner = users["analyst"]
    lesson = make_lesson(owner, observed=date(2026, 1, 5))
    Lesson.objects.filter(pk=lesson.pk).update(reference="LL-2026-9999")
    other = make_lesson(owner, observed=date(2026, 1, 6))
    assert other.reference == "LL-2026-10000"
    assert _next_reference(2026) == "LL-2026-10001"
