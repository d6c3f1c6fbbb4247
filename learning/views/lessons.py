"""Lessons: the searchable list, one lesson, logging and editing, history, and export."""

import copy
import hashlib
from types import SimpleNamespace
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from governance.models import OPEN_STATUSES, Action
from learning.forms.lessons import LessonFilterForm, LessonForm, LessonSearchForm
from learning.models import Lesson, LessonStatus
from learning.selectors.lessons import lesson_list, lessons_like
from learning.services.lessons import LessonRefused, lesson_create, lesson_update
from mshtgov import page_cache, records
from mshtgov.access import get_visible_or_404, require
from mshtgov.audit import LoggedFilters, consult_to_log, hashed_term, log_access, log_consult
from mshtgov.exports import check_format, export_links_html, export_response
from mshtgov.forms import render_in_one_pass
from mshtgov.history import render_scoped_history
from mshtgov.marking import mark_page
from mshtgov.models import AccessAction
from mshtgov.pages import apply_service_errors
from mshtgov.paging import TwoEndedPaginator, pagination_html
from mshtgov.templatetags.govuk import short_date
from mshtgov.thread import golden_thread

PAGE_SIZE = 25
EXPORT_LIMIT = 20_000


def _crumbs(*extra):
    return [("Learning", reverse("learning:index")), ("Lessons", reverse("learning:lesson-list")), *extra]


@require(perms=("learning.view_lesson",))
def lesson_list_view(request):
    listing, filters_html, form = _lesson_listing(request)
    paginator = Paginator([], PAGE_SIZE)
    paginator.count = listing["count"]  # counted when the listing was built (a cached property)
    page = Page([ShownLesson(*row) for row in listing["shown"]], listing["number"], paginator)
    mark_page(request, *listing["markings"])
    if listing["refused"]:
        # Refused filters: the whole form drawn live with its errors; nothing filtered, nothing searched.
        filter_form = form or LessonFilterForm(request.GET)
    else:
        # The typed words drawn live (and never kept), every other filter as drawn once for its values.
        search = LessonSearchForm(request.GET)
        filter_form = page_cache.DrawnForm(render_in_one_pass(search) + filters_html)
        words = search.is_valid() and search.cleaned_data["q"]
        if words:
            # A free-text search over lessons is consultation: who searched for what, and what they were shown.
            # Logged on every view, whether the listing was built or read from the cache: the filters as the
            # whole form summarised them when the listing was built (`FilterForm.summary`), the words hashed
            # here as it hashes a typed field (mshtgov.audit), since no typed word is kept.
            log_access(
                request,
                AccessAction.SEARCH,
                object_type="learning.lesson",
                object_repr=f"Lessons search: {paginator.count} found",
                detail={
                    "filters": LoggedFilters({"q": hashed_term(words), **listing["logged"]}),
                    "ids": [lesson.pk for lesson in page],
                },
            )
    may_export = request.user.has_perm("learning.export_lesson")
    return render(
        request,
        "learning/lesson_list.html",
        {
            "filter_form": filter_form,
            "list_href": reverse("learning:lesson-list"),
            "page": page,
            "pagination": pagination_html(request, page),
            "rows_html": mark_safe(listing["rows_html"]),  # noqa: S308 - built with format_html
            "may_add": request.user.has_perm("learning.add_lesson"),
            "may_export": may_export,
            "export_links": export_links_html(request, "learning:lesson-export", "these lessons")
            if may_export and paginator.count
            else "",
            "breadcrumbs": [("Learning", reverse("learning:index")), ("Lessons", "")],
        },
    )


TYPED_FILTERS = ("q",)
_DRAWN_ONCE = tuple(name for name in LessonFilterForm.base_fields if name not in TYPED_FILTERS)


class ShownLesson(NamedTuple):
    """A lesson on the list's page, as far as the page needs it once its rows are drawn (the access log names
    its id)."""

    pk: int
    title: str


def _fields_html(form, names) -> str:
    """Some of the filter form's fields, drawn as the whole form draws them (`render_in_one_pass`, which
    writes each field's group one after the other: the form is its fields' groups joined)."""
    part = copy.copy(form)
    part.fields = {name: field for name, field in form.fields.items() if name in names}
    part._bound_fields_cache = {}
    return render_in_one_pass(part)


def _lesson_listing(request) -> tuple[dict, str | None, LessonFilterForm | None]:
    """The page of lessons the reader asked for, built once and then served from the cache (issue 15: the
    search's count, its page and the rows were most of the page). The entry is the reader's alone (key: their
    user, roles and permissions, `dashboard.audience`), for this very query string and day, and built watched
    (`summaries.build_watched`): a change to anything its queries read (lessons, their themes, owners, the theme
    a filter names) invalidates it. No typed word is stored: the key holds a keyed hash of the query string (as
    the access log hashes search terms), the entry only the lessons shown, whether the filters were refused and
    the filters but the typed words as the access log keeps them.

    With it, the filter form's fields but the typed words (`q`), drawn once per reader, day and set of values
    (issue 15: the themes' select read the themes and drew every option on each view), watched like the listing
    so a theme added or renamed shows at once; None while the filters are refused (the form with its errors is
    drawn live). Both read from the cache in one round trip.

    The whole filter form (ten fields, each checked) is built only when one of them is built, and returned then
    (None otherwise): a search served from the cache needs only its search box (issue 15)."""
    from django.utils import timezone
    from django.utils.crypto import salted_hmac

    from mshtgov import dashboard, summaries

    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    digest = salted_hmac("learning.lesson-list", query, algorithm="sha256").hexdigest()[:32]
    today = timezone.localdate().isoformat()
    audience = dashboard.audience(request.user)
    key = f"learning-lesson-listing:{audience}:{today}:{digest}"
    values = urlencode(sorted((k, v) for k, vs in request.GET.lists() if k in _DRAWN_ONCE for v in vs))
    filters_key = f"learning-lesson-filters:{audience}:{today}:{hashlib.sha256(values.encode()).hexdigest()[:24]}"
    found = summaries.read_watched([key, filters_key])
    built = {}
    forms = []

    def whole_form() -> LessonFilterForm:
        # Built (and checked) inside the first build that needs it, so what checking it reads is watched too.
        if not forms:
            forms.append(LessonFilterForm(request.GET or None))
        return forms[0]

    before = None
    listing = found.get(key)
    if listing is None:
        before = summaries.every_version()
        built[key] = summaries.build_watched(lambda: _build_lesson_listing(request, whole_form()), before)
        listing = built[key][0]
    filters_html = None
    if not listing["refused"]:
        filters_html = found.get(filters_key)
        if filters_html is None:
            before = before or summaries.every_version()
            built[filters_key] = summaries.build_watched(lambda: _fields_html(whole_form(), _DRAWN_ONCE), before)
            filters_html = built[filters_key][0]
    if built:
        summaries.store_watched(built)
    return listing, filters_html, forms[0] if forms else None


def _build_lesson_listing(request, form) -> dict:
    criteria = form.criteria()
    lessons = lesson_list(request.user, criteria)
    page = TwoEndedPaginator(lessons, PAGE_SIZE).get_page(request.GET.get("page"))
    refused = form.is_bound and bool(form.errors)
    shown = list(page)
    return {
        "count": page.paginator.count,
        "number": page.number,
        "shown": [(lesson.pk, lesson.title) for lesson in shown],
        "rows_html": str(lesson_rows_html(shown)),
        "markings": sorted({lesson.marking for lesson in shown}),
        "refused": refused,
        # What the access log keeps of the filters (`FilterForm.summary`: choices as they are, anything typed as
        # a salted hash), but the typed words, hashed live on each view.
        "logged": {} if refused else {k: v for k, v in form.summary().items() if k not in TYPED_FILTERS},
    }


_ROW = (
    '\n        <tr class="govuk-table__row">\n          <td class="govuk-table__cell"><a class="govuk-link" '
    'href="{}">{}</a><br>{}{}</td>\n          <td class="govuk-table__cell">{}</td>\n'
    '          <td class="govuk-table__cell">{}</td>\n          <td class="govuk-table__cell">{}</td>\n'
    '          <td class="govuk-table__cell">{}</td>\n        </tr>\n      '
)


def lesson_rows_html(lessons) -> str:
    """The list's rows written out in one pass (issue 15: a link reversed, a date formatted and two tags drawn
    through the template per row were most of a search's page): the markup learning/lesson_list.html drew row
    by row, every value escaped."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from mshtgov.templatetags.govuk import marking_tag, status_tag

    url = records.url_for_pk("learning:lesson-detail")
    rows = []
    for lesson in lessons:
        day = lesson.observed_on
        rows.append(
            format_html(
                _ROW,
                url(lesson.pk),
                lesson.reference,
                lesson.title,
                format_html("<br>{}", marking_tag(lesson.marking)) if lesson.is_sensitive else "",
                short_date(day),
                lesson.get_source_display(),
                lesson.theme_names or "–",
                status_tag(lesson.get_status_display(), lesson.status_colour),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row built with format_html


@require(perms=("learning.view_lesson",))
def lesson_detail(request, pk):
    # The page's body drawn once per reader, lesson and day, served from the cache until anything it read changes
    # (mshtgov.page_cache; issue 15: drawing the lesson's lists and golden thread cost as much as reading them). A
    # lesson the reader may not open is a 404 each time, never kept; a sensitive one is logged on every view.
    entry = page_cache.record_page(request, f"learning:lesson:{int(pk)}", lambda: _lesson_page(request, pk))
    mark_page(request, *entry["markings"])
    log_consult(request, entry["consulted"])

    def shown():  # what the page shows, for tests that check its data rather than its HTML: read only when asked
        return _lesson_view(request, pk)["shown"]

    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": entry["title"],
            "body_html": mark_safe(entry["body"]),  # noqa: S308 - drawn by the template, every value escaped
            "breadcrumbs": _crumbs((entry["reference"], "")),
            **{
                name: SimpleLazyObject(lambda name=name: shown()[name])
                for name in ("actions", "open_actions", "similar")
            },
        },
    )


def _lesson_page(request, pk) -> dict:
    """The lesson page's body as `learning/lesson_detail.html` draws it (it has no form that posts: no CSRF token
    to leave out), with what every view does again: the marking it raises and the view it logs."""
    view = _build_lesson_view(request.user, pk)
    lesson = view["lesson"]
    next_status = lesson.next_status()
    user = request.user
    may_progress = user.has_perm("learning.progress_lesson") and not lesson.is_final
    may_validate = user.has_perm("learning.validate_lesson") and not lesson.is_final
    offer_next = next_status and (may_validate if next_status == LessonStatus.LEARNED else may_progress)
    context = {
        **view["shown"],
        "lesson": lesson,
        "next_status": next_status if offer_next else None,
        "may_edit": user.has_perm("learning.change_lesson") and not lesson.is_final,
        "may_progress": may_progress,
        "may_validate": may_validate,
        "may_raise_action": may_progress and lesson.status != LessonStatus.OBSERVED,
    }
    body = page_cache.drawn_blocks("learning/lesson_detail.html", context, request, names=("content",))["content"]
    return {
        "title": f"{lesson.reference}: {lesson.title}",
        "reference": lesson.reference,
        "body": body,
        "markings": [lesson.marking, *view["markings"]],
        "consulted": consult_to_log(lesson),
    }


def _lesson_view(request, pk) -> dict:
    """What the lesson page shows the reader, read once and then served from the cache (issue 15: nine queries
    and the visibility rules of every related record were most of the page). The entry is the reader's alone
    (key: their user, roles and permissions, `dashboard.audience`), for this lesson and today, and built watched
    (`summaries.build_watched`): a change to anything its queries read (the lesson, its themes, transitions and
    disseminations, its actions, the records of its golden thread and the rules that hide them) invalidates it.
    A lesson the reader may not open is a 404 each time, never stored. Viewing a sensitive lesson is logged on
    every view, cached or not (`lesson_detail`)."""
    from django.utils import timezone

    from mshtgov import dashboard, summaries

    key = f"learning-lesson-page:{dashboard.audience(request.user)}:{int(pk)}:{timezone.localdate().isoformat()}"
    view = summaries.read_watched([key]).get(key)
    if view is None:
        before = summaries.every_version()
        view, versions = summaries.build_watched(lambda: _build_lesson_view(request.user, pk), before)
        summaries.store_watched({key: (view, versions)})
    return view


def _build_lesson_view(user, pk) -> dict:
    # Themes fetched with it: the page lists them and `lessons_like` reads them again.
    lesson = get_visible_or_404(
        Lesson.objects.visible_to(user).select_related("owner", "created_by").prefetch_related("themes"), pk
    )
    # The related lists raise the page's marking to cover what they show: noted here, raised on every view.
    reader = SimpleNamespace(user=user, _page_markings=[])
    # Only the actions the reader may open are named (an action on a board they do not sit on is counted).
    actions, every_action = records.related_rows(
        reader, Action.objects.for_source(lesson).select_related("owner").order_by("due_date", "id")
    )
    shown = {
        "operation_reference": records.shown_reference(user, lesson, "operation_reference"),
        "themes": list(lesson.themes.all()),
        "transitions": list(lesson.transitions.select_related("by").order_by("on", "id")),
        "disseminations": list(lesson.disseminations.select_related("recorded_by")),
        "actions": actions,
        "hidden_actions": len(every_action) - len(actions),
        # Every open action holds the lesson back, seen or not (a count names nothing): counted on the
        # rows just read, hidden ones included, rather than with a query of its own.
        "open_actions": sum(action.status in OPEN_STATUSES for action in every_action),
        "similar": lessons_like(lesson, user),
        # Its actions have a section of their own above (named if the reader may open them, else counted).
        "thread": golden_thread(reader, lesson, listed_on_page=("governance.action",)),
    }
    return {"lesson": lesson, "shown": shown, "markings": reader._page_markings}


@require(perms=("learning.add_lesson",))
def lesson_create_view(request):
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lesson = lesson_create(by=request.user, themes=form.cleaned_data["themes"], **form.lesson_fields())
        messages.success(request, f"Lesson {lesson.reference} logged as observed.")
        return redirect("learning:lesson-detail", pk=lesson.pk)
    return render(
        request,
        "learning/lesson_form.html",
        {"form": form, "title": "Log a lesson", "breadcrumbs": _crumbs(("Log a lesson", ""))},
    )


@require(perms=("learning.change_lesson",))
def lesson_edit(request, pk):
    lesson = get_visible_or_404(Lesson.objects.visible_to(request.user).select_related("owner", "created_by"), pk)
    mark_page(request, lesson)
    if lesson.is_final:
        messages.error(request, "This lesson is closed: it can no longer be edited.")
        return redirect("learning:lesson-detail", pk=lesson.pk)
    form = LessonForm(request.POST or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            lesson_update(
                lesson=form.instance,
                by=request.user,
                reason=form.cleaned_data["change_reason"],
                themes=form.cleaned_data["themes"],
            )
        except LessonRefused as exc:
            form.add_error(None, str(exc))
        except ValidationError as error:  # saved by someone else meanwhile
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Lesson {lesson.reference} updated.")
            return redirect("learning:lesson-detail", pk=lesson.pk)
    return render(
        request,
        "learning/lesson_form.html",
        {
            "form": form,
            "lesson": lesson,
            "title": f"Edit {lesson.reference}",
            "breadcrumbs": _crumbs(
                (lesson.reference, reverse("learning:lesson-detail", args=[lesson.pk])), ("Edit", "")
            ),
        },
    )


@require(perms=("learning.view_lesson",))
def lesson_history(request, pk):
    def crumbs_of(lesson):
        back = reverse("learning:lesson-detail", args=[lesson.pk])
        return back, _crumbs((lesson.reference, back), ("History", ""))

    # The access check inside the cached build (issue 15: it cost as much as the rest of the page).
    return render_scoped_history(
        request,
        f"learning:lesson:{int(pk)}",
        lambda: get_visible_or_404(Lesson.objects.visible_to(request.user), pk),
        crumbs_of,
    )


EXPORT_HEADERS = [
    "Reference",
    "Title",
    "Investigation or operation",
    "Source",
    "Observed on",
    "4P pillars",
    "Guidance theme",
    "Themes",
    "Status",
    "Learned on",
    "Owner",
    "Marking",
    "What worked",
    "What did not work",
    "Root cause",
    "Recommendation",
    "Not accepted because",
]


def _export_row(lesson: Lesson, withheld: set[str]) -> list:
    return [
        lesson.reference,
        lesson.title,
        records.WITHHELD_REFERENCE if lesson.operation_reference in withheld else lesson.operation_reference,
        lesson.get_source_display(),
        lesson.observed_on,
        ", ".join(lesson.pillar_labels),
        lesson.get_guidance_theme_display(),
        lesson.theme_names,
        lesson.get_status_display(),
        lesson.learned_on or "",
        lesson.owner.get_full_name() or lesson.owner.get_username(),
        lesson.get_marking_display(),
        lesson.what_worked,
        lesson.what_did_not,
        lesson.root_cause,
        lesson.recommendation,
        lesson.not_accepted_reason,
    ]


@require(perms=("learning.view_lesson", "learning.export_lesson"))
def lesson_export(request, fmt):
    check_format(fmt)
    form = LessonFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, "Correct the filters before exporting.")
        return redirect(f"{reverse('learning:lesson-list')}?{request.GET.urlencode()}")
    lessons = list(lesson_list(request.user, form.criteria())[:EXPORT_LIMIT])
    withheld = records.withheld_references(
        request.user, Lesson, "operation_reference", [lesson.operation_reference for lesson in lessons]
    )
    return export_response(
        request,
        fmt,
        filename="lessons-learned",
        title="Lessons learned",
        headers=EXPORT_HEADERS,
        rows=[_export_row(lesson, withheld) for lesson in lessons],
        marking=[lesson.marking for lesson in lessons],
        filters=form.summary(),
        object_type="learning.lesson",
        ids=[lesson.pk for lesson in lessons],
    )
