"""Moving a lesson along its lifecycle, raising its actions and recording who was told."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from learning.forms.lessons import AdvanceForm, DisseminationForm, LessonActionForm, NotAcceptForm
from learning.models import Lesson, LessonStatus
from learning.services.lessons import (
    LessonRefused,
    lesson_advance,
    lesson_disseminate,
    lesson_not_accept,
    lesson_raise_action,
)
from mshtgov.access import get_visible_or_404, require
from mshtgov.marking import mark_page
from mshtgov.pages import apply_service_errors


def _crumbs(lesson, label):
    return [
        ("Learning", reverse("learning:index")),
        ("Lessons", reverse("learning:lesson-list")),
        (lesson.reference, reverse("learning:lesson-detail", args=[lesson.pk])),
        (label, ""),
    ]


def _render(request, lesson, form, *, title, button, intro="", status=200):
    mark_page(request, lesson)
    return render(
        request,
        "learning/lesson_step_form.html",
        {
            "form": form,
            "lesson": lesson,
            "title": title,
            "button": button,
            "intro": intro,
            "breadcrumbs": _crumbs(lesson, title),
        },
        status=status,
    )


@require(perms=("learning.progress_lesson",))
def lesson_advance_view(request, pk):
    """The next step of the lifecycle. The step is checked by the service, whatever the form says."""
    lesson = get_visible_or_404(Lesson.objects.visible_to(request.user).select_related("owner", "created_by"), pk)
    next_status = lesson.next_status()
    if next_status is None:
        messages.error(request, f"This lesson is {lesson.get_status_display().lower()}: it has no further step.")
        return redirect("learning:lesson-detail", pk=lesson.pk)
    form = AdvanceForm(request.POST or None, initial={"to_status": next_status, "on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            lesson_advance(
                lesson=lesson,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except LessonRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Lesson {lesson.reference} is now {lesson.get_status_display().lower()}.")
            return redirect("learning:lesson-detail", pk=lesson.pk)
    wanted = form.data.get("to_status") if form.is_bound else next_status
    label = LessonStatus(wanted).label if wanted in LessonStatus.values else "the next step"
    title = "Validate as learned" if wanted == LessonStatus.LEARNED else f"Move to {label.lower()}"
    intro = (
        "Confirm that the actions from this lesson have changed practice. Only a senior leader can validate a lesson."
        if wanted == LessonStatus.LEARNED
        else ""
    )
    return _render(request, lesson, form, title=title, button=title, intro=intro)


@require(perms=("learning.validate_lesson",))
def lesson_not_accept_view(request, pk):
    lesson = get_visible_or_404(Lesson.objects.visible_to(request.user).select_related("owner", "created_by"), pk)
    if lesson.is_final:
        messages.error(request, f"This lesson is already {lesson.get_status_display().lower()}.")
        return redirect("learning:lesson-detail", pk=lesson.pk)
    form = NotAcceptForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            lesson_not_accept(
                lesson=lesson, by=request.user, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"]
            )
        except LessonRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Lesson {lesson.reference} is recorded as not accepted.")
            return redirect("learning:lesson-detail", pk=lesson.pk)
    return _render(
        request,
        lesson,
        form,
        title="Record as not accepted",
        button="Record as not accepted",
        intro="The lesson will be closed without action. The reason is kept with it.",
    )


@require(perms=("learning.progress_lesson",))
def lesson_action_create(request, pk):
    lesson = get_visible_or_404(Lesson.objects.visible_to(request.user).select_related("owner", "created_by"), pk)
    form = LessonActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = lesson_raise_action(lesson=lesson, by=request.user, **form.cleaned_data)
        except LessonRefused as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Action “{action.title}” added to the action log.")
            return redirect("learning:lesson-detail", pk=lesson.pk)
    return _render(
        request,
        lesson,
        form,
        title="Raise an action",
        button="Raise the action",
        intro="The action goes into the force's one action log, linked to this lesson.",
    )


@require(perms=("learning.progress_lesson",))
def lesson_dissemination_create(request, pk):
    lesson = get_visible_or_404(Lesson.objects.visible_to(request.user).select_related("owner", "created_by"), pk)
    form = DisseminationForm(request.POST or None, initial={"disseminated_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            lesson_disseminate(lesson=lesson, by=request.user, **form.cleaned_data)
        except LessonRefused as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Dissemination recorded.")
            return redirect("learning:lesson-detail", pk=lesson.pk)
    return _render(request, lesson, form, title="Record dissemination", button="Record dissemination")
