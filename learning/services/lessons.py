"""Logging lessons and moving them along their lifecycle.

Each lifecycle step has one function. Each validates who may take it and from where, sets the status,
writes a `LessonTransition` (dated and attributed) and saves the lesson with a history reason. A refused
step raises `LessonRefused` with a sentence the user can act on, and changes nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone

from governance.models import Action, ActionSource
from governance.services import action_create
from learning.models import Lesson, LessonDissemination, LessonStatus, LessonTransition
from learning.models.lessons import LIFECYCLE
from mshtgov.roles import Role, has_role
from mshtgov.tracking import save_tracked, stamp


class LessonRefused(Exception):
    """A lifecycle step that is not allowed; the message says why."""


def _theme_names(themes) -> str:
    return ", ".join(sorted(t.name for t in themes))


def _next_reference(year: int) -> str:
    prefix = f"LL-{year}-"
    last = (
        Lesson.objects.filter(reference__startswith=prefix)
        # Longest first, so "LL-2026-10000" counts as later than "LL-2026-9999".
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def lesson_create(*, by, themes=(), **fields) -> Lesson:
    """Log a lesson as observed. Side effects: the lesson, its themes, its first transition, history."""
    today = timezone.localdate()
    lesson = Lesson(created_by=by, status=LessonStatus.OBSERVED, **fields)
    lesson.theme_names = _theme_names(themes)
    for _attempt in range(3):
        lesson.reference = _next_reference(lesson.observed_on.year if lesson.observed_on else today.year)
        lesson.full_clean()
        stamp(lesson, by=by, reason="Lesson logged")
        try:
            with transaction.atomic():
                lesson.save()
            break
        except IntegrityError:
            lesson.pk = None  # someone took the reference a moment ago: take the next one
    else:
        raise ValidationError("Could not give the lesson a reference. Try again.")
    lesson.themes.set(themes)
    # The first step is dated when the lesson was observed; when it was logged is in its history.
    step = LessonTransition(
        lesson=lesson,
        from_status="",
        to_status=LessonStatus.OBSERVED,
        by=by,
        on=lesson.observed_on,
        note="Logged",
    )
    save_tracked(step, by=by, reason="Lesson logged", clean=False)
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, by, reason: str, themes=None) -> Lesson:
    """Save edits to a lesson's content (never its status). `lesson` carries the edited values."""
    if lesson.is_final:
        raise LessonRefused("This lesson is closed: it can no longer be edited.")
    if themes is not None:
        lesson.theme_names = _theme_names(themes)
    save_tracked(lesson, by=by, reason=reason)
    if themes is not None:
        lesson.themes.set(themes)
    return lesson


def _may_progress(user) -> bool:
    return user.has_perm("learning.progress_lesson")


def may_validate(user) -> bool:
    return user.has_perm("learning.validate_lesson") and has_role(user, Role.SENIOR_LEADER)


_may_validate = may_validate


def _move(lesson: Lesson, *, to_status, by, on: date | None, note: str, reason: str) -> Lesson:
    locked = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if locked.status != lesson.status:
        raise LessonRefused(
            f"Someone else has moved this lesson to “{locked.get_status_display()}” since you opened it. "
            "Reload the page to see where it is now."
        )
    on = on or timezone.localdate()
    if on < lesson.observed_on:
        raise LessonRefused("A step cannot be dated before the lesson was observed.")
    if on > timezone.localdate():
        raise LessonRefused("A step cannot be dated in the future.")
    last = lesson.transitions.order_by("-on", "-id").values_list("on", flat=True).first()
    if last and on < last:
        raise LessonRefused(f"A step cannot be dated before the previous step ({last:%-d %B %Y}).")
    step = LessonTransition(lesson=lesson, from_status=lesson.status, to_status=to_status, by=by, on=on, note=note)
    save_tracked(step, by=by, reason=reason)
    lesson.status = to_status
    if to_status == LessonStatus.LEARNED:
        lesson.learned_on = on
    save_tracked(lesson, by=by, reason=reason)
    return lesson


def _refuse_backwards_or_skipping(lesson: Lesson, to_status) -> None:
    if lesson.is_final:
        raise LessonRefused(f"This lesson is already {lesson.get_status_display().lower()}: it cannot move again.")
    current = LIFECYCLE.index(LessonStatus(lesson.status))
    wanted = LIFECYCLE.index(LessonStatus(to_status))
    if wanted <= current:
        raise LessonRefused(
            f"A lesson cannot move back from “{lesson.get_status_display()}” to "
            f"“{LessonStatus(to_status).label}”: its lifecycle only moves forward."
        )
    if wanted > current + 1:
        raise LessonRefused(
            f"A lesson moves one step at a time: from “{lesson.get_status_display()}” the next step is "
            f"“{LIFECYCLE[current + 1].label}”."
        )


@transaction.atomic
def lesson_advance(*, lesson: Lesson, to_status: str, by, on: date | None = None, note: str = "") -> Lesson:
    """Move a lesson one step forward (identified, action assigned, implemented, or learned).

    Learned is the validation: only a senior leader, and only once every action from the lesson is closed.
    """
    if to_status == LessonStatus.NOT_ACCEPTED:
        raise LessonRefused("Use “not accepted” with a reason to close a lesson without acting on it.")
    _refuse_backwards_or_skipping(lesson, to_status)
    if to_status == LessonStatus.LEARNED:
        if not _may_validate(by):
            raise LessonRefused("Only a senior leader can validate a lesson as learned.")
        open_actions = Action.objects.for_source(lesson).open().count()
        if open_actions:
            raise LessonRefused(
                f"This lesson cannot be validated while {open_actions} of its actions "
                f"{'is' if open_actions == 1 else 'are'} still open. Close them first."
            )
    elif not _may_progress(by):
        raise LessonRefused("You cannot move lessons along their lifecycle.")
    if to_status in (LessonStatus.ACTION_ASSIGNED, LessonStatus.IMPLEMENTED) and not (
        Action.objects.for_source(lesson).exists()
    ):
        raise LessonRefused("Raise at least one action from this lesson before moving it on.")
    if to_status == LessonStatus.IMPLEMENTED:
        # "Implemented" says the actions are done: not while one is still open (issue 10).
        still_open = Action.objects.for_source(lesson).open().count()
        if still_open:
            raise LessonRefused(
                f"This lesson cannot be marked implemented while {still_open} of its actions "
                f"{'is' if still_open == 1 else 'are'} still open. Complete them first."
            )
    reason = (
        "Validated as learned" if to_status == LessonStatus.LEARNED else f"Moved to {LessonStatus(to_status).label}"
    )
    return _move(lesson, to_status=to_status, by=by, on=on, note=note, reason=reason)


@transaction.atomic
def lesson_not_accept(*, lesson: Lesson, by, reason: str, on: date | None = None) -> Lesson:
    """Close a lesson without acting on it. A senior leader's decision, with a reason."""
    if lesson.is_final:
        raise LessonRefused(f"This lesson is already {lesson.get_status_display().lower()}: it cannot move again.")
    if not _may_validate(by):
        raise LessonRefused("Only a senior leader can decide that a lesson is not accepted.")
    reason = (reason or "").strip()
    if not reason:
        raise LessonRefused("Say why the lesson is not accepted.")
    lesson.not_accepted_reason = reason
    return _move(lesson, to_status=LessonStatus.NOT_ACCEPTED, by=by, on=on, note=reason, reason="Not accepted")


@transaction.atomic
def lesson_raise_action(
    *, lesson: Lesson, by, title: str, owner, due_date, description: str = "", on: date | None = None
) -> Action:
    """Raise an action in the one action log from this lesson.

    Side effects: the action (governance), and when the lesson was only identified, the step to
    "action assigned" (dated `on`, today unless given).
    """
    if not _may_progress(by):
        raise LessonRefused("You cannot raise actions from lessons.")
    if lesson.is_final:
        raise LessonRefused("This lesson is closed: no more actions can be raised from it.")
    if lesson.status == LessonStatus.OBSERVED:
        raise LessonRefused("Mark the lesson as identified before raising actions from it.")
    pillars = lesson.pillar_list
    action = action_create(
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        by=by,
        source=lesson,
        source_kind=ActionSource.LESSON,
        pillar=pillars[0] if pillars else "",
        marking=lesson.marking,
        reason=f"Raised from lesson {lesson.reference}",
    )
    if lesson.status == LessonStatus.IDENTIFIED:
        _move(
            lesson,
            to_status=LessonStatus.ACTION_ASSIGNED,
            by=by,
            on=on,
            note=f"Action raised: {title}",
            reason="Moved to Action assigned",
        )
    return action


@transaction.atomic
def lesson_disseminate(
    *, lesson: Lesson, by, audience: str, disseminated_on: date, method: str = ""
) -> LessonDissemination:
    """Record who was told about the lesson, how and when."""
    if not _may_progress(by):
        raise LessonRefused("You cannot record dissemination of lessons.")
    if disseminated_on < lesson.observed_on:
        raise ValidationError({"disseminated_on": "The date must be on or after the day the lesson was observed."})
    if disseminated_on > timezone.localdate():
        raise ValidationError({"disseminated_on": "The date cannot be in the future."})
    entry = LessonDissemination(
        lesson=lesson, audience=audience, method=method, disseminated_on=disseminated_on, recorded_by=by
    )
    save_tracked(entry, by=by, reason="Dissemination recorded")
    return entry
