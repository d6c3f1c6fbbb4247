"""The one action log: filters, my actions, raise, edit, update, history."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from governance.access import (
    get_action_for_user,
    get_decision_for_user,
    may_run_boards,
    may_update_action,
    sees_internal_record,
)
from governance.forms import ActionFilterForm, ActionForm, ActionProgressForm
from governance.models import RUN_BOARDS, Action, ActionSource, ActionStatus
from governance.services.actions import action_create, action_edit, action_update_progress
from mshtgov import page_cache
from mshtgov.access import require, require_perm
from mshtgov.audit import consult_to_log, log_consult
from mshtgov.exports import check_format, export_response
from mshtgov.history import render_scoped_history
from mshtgov.marking import mark_page, markings_raised
from mshtgov.pages import cached_edit_page
from mshtgov.paging import TwoEndedPaginator
from mshtgov.templatetags.govuk import marking_tag, short_date
from mshtgov.thread import golden_thread

PAGE_SIZE = 50
LOG_CRUMB = ("Action log", "/governance/actions/")
_LIST_COLUMNS = (
    *("title", "marking", "due_date", "status", "source_kind"),
    *("owner__first_name", "owner__last_name", "owner__username", "board__name"),
)


def _listing(request, actions, *, template_title, mine):
    """The log's page, built once per reader, query string and day and then served from the cache
    (`mshtgov.page_cache`; issue 15: counting the actions a reader may see, fetching the page and drawing its
    filters was most of the page). `actions`: a callable giving the reader's actions (a hit builds no
    queryset). Refused filters are never kept: their error summary needs the live form."""
    name = f"governance-action-log:{int(mine)}"
    entry = page_cache.listing(request, name, lambda: _build_listing(request, actions, timezone.localdate()))
    mark_page(request, *entry["markings"])
    return render(
        request,
        "governance/action_list.html",
        {
            "form": entry.get("form") or page_cache.DrawnForm(entry["form_html"]),
            "page": page_cache.page_of(entry, PAGE_SIZE),
            "rows_html": mark_safe(entry["rows_html"]),  # noqa: S308 - built with format_html
            "title": template_title,
            "mine": mine,
            "may_run": may_run_boards(request.user),
            "breadcrumbs": [(template_title, "")],
        },
    )


def _build_listing(request, actions, today) -> dict:
    actions = actions()
    form = ActionFilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        actions = form.apply(actions, today)
    page = TwoEndedPaginator(
        # Only what the rows show: owner and board (not the source's content type, as the detail page needs),
        # and of them only the columns drawn (issue 15: building 50 whole actions, users and boards was a
        # fifth of the page). `_LIST_COLUMNS` is all `_rows_html` and `mark_page` read.
        actions.select_related("owner", "board").only(*_LIST_COLUMNS).with_overdue(today).order_by("due_date", "id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    entry = {
        "form_html": str(form),
        "count": page.paginator.count,
        "number": page.number,
        "rows_html": str(_rows_html(page.object_list)),
        "markings": sorted({action.marking for action in page.object_list}),
        "shown": [(action.pk, action.title) for action in page.object_list],
        "cacheable": not form.errors,
    }
    if form.errors:
        entry["form"] = form  # the layout's "Error:" title and the error summary read the live form
    return entry


_ROW = (
    '\n  <tr class="govuk-table__row">\n    <th scope="row" class="govuk-table__header">'
    '<a class="govuk-link" href="{}">{}</a>{}</th>\n'
    '    <td class="govuk-table__cell">{}</td>\n    <td class="govuk-table__cell">{}</td>\n'
    '    <td class="govuk-table__cell">{}</td>\n    <td class="govuk-table__cell">{}</td>\n'
    '    <td class="govuk-table__cell">{}</td>\n  </tr>\n  '
)


def _rows_html(actions) -> str:
    """The table's rows, written out in one pass (issue 15: the link reversed once, the due date and labels
    from the choices once a page, no template lookups per cell: drawing 50 rows through the template cost
    more than fetching them). Every value escaped as the template escaped it; the markup is what
    governance/action_list.html drew row by row (a sensitive action's marking tag, an overdue one's red tag)."""
    statuses, sources = dict(ActionStatus.choices), dict(ActionSource.choices)
    marker = 987654321
    head, tail = reverse("governance:action-detail", args=[marker]).split(str(marker))
    rows = []
    for action in actions:
        due = action.due_date
        if action.overdue:
            status = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
        else:
            label = escape(statuses.get(action.status, action.status))
            status = f'<strong class="govuk-tag govuk-tag--grey">{label}</strong>'
        owner = action.owner
        rows.append(
            format_html(
                _ROW,
                f"{head}{action.pk}{tail}",
                action.title,
                mark_safe(f" {marking_tag(action.marking)}") if action.is_sensitive else "",  # noqa: S308
                owner.get_full_name() or owner.username,
                short_date(due),
                mark_safe(status),  # noqa: S308 - the label escaped above
                action.board.name if action.board_id and action.board.name else "None",
                sources.get(action.source_kind, action.source_kind),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row built with format_html


@require(perms=("governance.view_action",))
def action_list(request):
    return _listing(request, lambda: Action.objects.visible_to(request.user), template_title="Action log", mine=False)


@require(perms=("governance.view_action",))
def my_actions(request):
    actions = lambda: Action.objects.visible_to(request.user).for_owner(request.user)  # noqa: E731
    return _listing(request, actions, template_title="My actions", mine=True)


@require(perms=("governance.view_action",), partners=True)
def action_detail(request, pk):
    # Drawn once per reader and day, then served from the cache until anything it read changes (issue 15); an
    # action the reader may not open answers 404 and is never kept; a sensitive one is logged on every view.
    entry = page_cache.record_page(request, f"governance:action:{int(pk)}", lambda: _detail_page(request, pk))
    mark_page(request, *entry["markings"])
    log_consult(request, entry["consulted"])
    return render(
        request,
        "mshtgov/drawn_page.html",
        {
            "title": f"Action: {entry['name']}",
            "body_html": mark_safe(entry["body"]),  # noqa: S308 - drawn by the template, every value escaped
            "breadcrumbs": [LOG_CRUMB, (entry["name"][:60], "")],
        },
    )


def _detail_page(request, pk) -> dict:
    with markings_raised(request) as raised:
        action = get_action_for_user(request.user, pk)
        mark_page(request, action)
        context = {
            "action": action,
            "source_label": source_label(action),
            "source_url": getattr(action.source, "get_absolute_url", lambda: "")() if action.source_object_id else "",
            "may_update": may_update_action(request.user, action),
            "overdue": action.is_overdue(timezone.localdate()),
            "may_run": may_run_boards(request.user),
            "thread": golden_thread(request, action),
        }
        body = page_cache.drawn_blocks("governance/action_detail.html", context, request, names=("content",))
    return {
        "name": action.title,
        "body": body["content"],
        "markings": raised.kept(),
        "consulted": consult_to_log(action),
    }


@require(perms=(RUN_BOARDS,))
def action_create_view(request):
    """Raise an action; `?decision=<id>` raises it from a board decision (due no earlier than the meeting).

    The blank form is served from the reader's page cache (issue 15), one entry per decision (or none): the
    decision's access check is made inside the build, so a reader refused it gets 404 every time, nothing kept."""
    decision_id = int(request.GET["decision"]) if request.GET.get("decision", "").isdigit() else None

    def page():
        decision = None
        if decision_id is not None:
            decision = get_decision_for_user(request.user, decision_id, perm=RUN_BOARDS)
            mark_page(request, decision)  # the page quotes the decision: it carries the decision's marking
        initial = {}
        if decision:
            initial = {
                "board": decision.meeting.board_id,
                "source_kind": ActionSource.DECISION,
                "marking": decision.marking,
                "title": decision.text[:300],
            }
        form = ActionForm(request.POST or None, initial=initial)
        if decision:
            form.fields["board"].disabled = True
            form.fields["source_kind"].disabled = True

        def save(form):
            data = form.cleaned_data
            return action_create(
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                by=request.user,
                source=decision,
                source_kind=data["source_kind"],
                board=data["board"],
                pillar=data["pillar"],
                marking=data["marking"],
                not_before=decision.meeting.date if decision else None,
                reason="Raised from a board decision" if decision else "Action raised",
            )

        def success_url(action):
            return decision.meeting.get_absolute_url() + "#decisions" if decision else action.get_absolute_url()

        back = decision.meeting.get_absolute_url() if decision else reverse("governance:action-list")
        return form, {
            "save": save,
            "success_url": success_url,
            "success_message": lambda action: f"The action has been raised and assigned to {action.owner}.",
            "title": "Raise an action",
            "submit": "Raise action",
            "back_url": back,
            "intro": f"From the decision: {decision.text}" if decision else "",
            "breadcrumbs": [LOG_CRUMB, ("Raise an action", "")],
        }

    which = "none" if decision_id is None else decision_id
    return cached_edit_page(request, f"governance:action:new:{which}", page)


@require(perms=("governance.view_action",), partners=True)
def action_edit_view(request, pk):
    def page():
        action = get_action_for_user(request.user, pk)
        require_perm(request.user, RUN_BOARDS)
        mark_page(request, action)
        form = ActionForm(request.POST or None, instance=action)
        return form, {
            "save": lambda f: action_edit(
                action=f.save(commit=False), by=request.user, reason=f.cleaned_data["change_reason"]
            ),
            "success_url": action.get_absolute_url(),
            "success_message": "The action has been updated.",
            "title": "Edit the action",
            "submit": "Save changes",
            "back_url": action.get_absolute_url(),
            "record": action,
            "breadcrumbs": [LOG_CRUMB, (action.title[:60], action.get_absolute_url()), ("Edit", "")],
        }

    return cached_edit_page(request, f"governance:action:{int(pk)}", page)


@require(perms=("governance.view_action",), partners=True)
def action_update_view(request, pk):
    """The owner's progress update (secretaries and leaders may make it too). The form before any input is
    served from the reader's page cache (issue 15); a reader who may not update it is refused every time."""

    def page():
        action = get_action_for_user(request.user, pk)
        if not may_update_action(request.user, action):
            raise PermissionDenied
        mark_page(request, action)
        form = ActionProgressForm(request.POST or None, instance=action)
        return form, {
            "save": lambda f: action_update_progress(
                action=action,
                status=f.cleaned_data["status"],
                completion_note=f.cleaned_data["completion_note"],
                by=request.user,
                reason=f.cleaned_data["change_reason"],
            ),
            "success_url": action.get_absolute_url(),
            "success_message": "Your update has been saved.",
            "title": "Update progress",
            "submit": "Save update",
            "back_url": action.get_absolute_url(),
            "record": action,
            "intro": action.title,
            "breadcrumbs": [LOG_CRUMB, (action.title[:60], action.get_absolute_url()), ("Update", "")],
        }

    return cached_edit_page(request, f"governance:action-update:{int(pk)}", page)


@require(perms=("governance.view_action",), partners=True)
def action_history(request, pk):
    # The access check made inside the cached build (mshtgov.history.render_scoped_history, issue 15): a reader
    # who may not open the action gets 404, one who may not read internal records 403, every time, nothing kept.
    def load():
        action = get_action_for_user(request.user, pk)
        if not sees_internal_record(request.user):
            raise PermissionDenied
        return action

    def crumbs_of(action):
        return action.get_absolute_url(), [
            LOG_CRUMB,
            (action.title[:60], action.get_absolute_url()),
            ("History", ""),
        ]

    return render_scoped_history(request, f"governance:action:{int(pk)}", load, crumbs_of)


def source_label(action) -> str:
    """A readable "where it came from" without importing the register it came from."""
    if action.source_content_type_id is None:
        return action.get_source_kind_display()
    model = ContentType.objects.get_for_id(action.source_content_type_id).model_class()
    name = model._meta.verbose_name if model else "record"
    return f"{action.get_source_kind_display()} ({name} #{action.source_object_id})"


ACTION_EXPORT_HEADERS = [
    "Action",
    "Owner",
    "Due",
    "Status",
    "Overdue",
    "Board",
    "Came from",
    "Pillar",
    "Completed on",
    "Completion note",
    "Marking",
    "Description",
]


@require(perms=(RUN_BOARDS,))
def action_export(request, fmt):
    """The filtered action log. Only the roles that see the whole log may export it: every other role sees a
    part of it, and a file of it would be read away from the page that hides the rest."""
    check_format(fmt)
    today = timezone.localdate()
    form = ActionFilterForm(request.GET or None, user=request.user)
    actions = Action.objects.visible_to(request.user)
    if form.is_valid():
        actions = form.apply(actions, today)
    actions = list(actions.with_list_relations().order_by("due_date", "id"))
    rows = [
        [
            a.title,
            a.owner.get_full_name() or a.owner.get_username(),
            a.due_date,
            a.get_status_display(),
            a.is_overdue(today),
            a.board.name if a.board else "",
            a.get_source_kind_display(),
            a.get_pillar_display(),
            a.completed_on or "",
            a.completion_note,
            a.get_marking_display(),
            a.description,
        ]
        for a in actions
    ]
    return export_response(
        request,
        fmt,
        filename="action-log",
        title="Action log",
        headers=ACTION_EXPORT_HEADERS,
        rows=rows,
        marking=[a.marking for a in actions],
        filters={k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {},
        object_type="governance.action",
        ids=[a.pk for a in actions],
    )
