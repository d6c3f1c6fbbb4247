"""The inspection findings register: list, record, read, edit, work through to closure, raise actions, cite
evidence, history and export."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from inspection.access import get_finding_for_user
from inspection.forms import EvidenceForm, FindingActionForm, FindingFilterForm, FindingForm, NoteForm
from inspection.models import Finding, FindingStatus
from inspection.models.findings import WORKING
from inspection.selectors import action_counts, finding_list
from inspection.services.findings import (
    finding_close,
    finding_create,
    finding_raise_action,
    finding_reopen,
    finding_start,
    finding_submit_evidence,
    finding_update,
)
from mshtgov import page_cache
from mshtgov.access import require, user_may
from mshtgov.audit import consult_to_log, log_consult
from mshtgov.citation_views import cite_page, cited_evidence, uncite
from mshtgov.exports import check_format, export_response
from mshtgov.history import render_scoped_history
from mshtgov.marking import mark_page, markings_raised
from mshtgov.pages import apply_service_errors, cached_edit_page, form_page
from mshtgov.records import url_for_pk
from mshtgov.thread import golden_thread

PAGE_SIZE = 25
MAINTAIN = ("inspection.change_finding",)


def _crumbs(*more):
    return [("Inspection findings", reverse("inspection:finding-list")), *more]


def _detail_url(finding):
    return reverse("inspection:finding-detail", args=[finding.pk])


@require(perms=("inspection.view_finding",))
def finding_list_view(request):
    # Built once per reader, query string and day, then served from the cache until anything it read changes
    # (mshtgov.page_cache); a search or refused filters are built afresh every time, never kept.
    entry = page_cache.listing(request, "inspection:findings", lambda: _list_page(request))
    mark_page(request, *entry["markings"])
    return render(
        request,
        "inspection/finding_list.html",
        {
            "filter_form": entry.get("form") or page_cache.DrawnForm(entry["form_html"]),
            "page": page_cache.page_of(entry, PAGE_SIZE),
            "rows_html": mark_safe(entry["rows_html"]),  # noqa: S308 - drawn by inspection/finding_rows.html
            "may_add": user_may(request.user, perms=("inspection.add_finding",)),
            "may_export": user_may(request.user, perms=("inspection.export_finding",)),
            "breadcrumbs": [("Inspection findings", "")],
        },
    )


def _list_page(request) -> dict:
    """What the register's page shows, as plain values (kept when the filters were accepted and nothing was
    typed)."""
    form = FindingFilterForm(request.GET or None)
    today = timezone.localdate()
    findings = finding_list(request.user, form.criteria(), today)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    counts = action_counts(request.user, shown)
    detail_url = url_for_pk("inspection:finding-detail")
    for finding in shown:
        finding.detail_url = detail_url(finding.pk)
    rows = render_to_string(
        "inspection/finding_rows.html", {"rows": [(f, counts.get(f.pk, (0, 0))) for f in shown], "today": today}
    )
    entry = {
        "form_html": str(form),
        "count": page.paginator.count,
        "number": page.number,
        "rows_html": str(rows),
        "shown": [(f.pk, f.reference) for f in shown],
        "markings": [f.marking for f in shown],
        "cacheable": not form.errors,
    }
    if form.errors:
        entry["form"] = form  # the error summary lists the refused filters (never kept)
    return entry


@require(perms=("inspection.add_finding",))
def finding_create_view(request):
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            finding = finding_create(
                finding=form.save(commit=False), requirements=form.cleaned_data["requirements"], by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{finding} recorded.")
            return redirect(_detail_url(finding))
    return form_page(
        request,
        form,
        title="Record an inspection finding",
        submit="Record finding",
        back_url=reverse("inspection:finding-list"),
        breadcrumbs=_crumbs(("Record a finding", "")),
        intro="Write the finding in the force's own words: summarise what the report asks, do not paste it.",
    )


@require(perms=("inspection.view_finding",))
def finding_detail(request, pk):
    # Drawn once per reader and day, then served from the cache until anything it read changes
    # (mshtgov.page_cache); a finding the reader may not open answers 404 and is never kept.
    entry = page_cache.record_page(request, f"inspection:finding:{int(pk)}", lambda: _detail_page(request, pk))
    mark_page(request, *entry["markings"])
    log_consult(request, entry["consulted"])  # a sensitive one, on every view, hit or miss
    return render(
        request,
        "inspection/finding_detail.html",
        {
            "title": entry["title"],
            # Drawn by inspection/finding_detail_body.html; the reader's CSRF token put back in its forms.
            "body_html": mark_safe(page_cache.with_token(request, entry["body"])),  # noqa: S308
            "breadcrumbs": _crumbs((entry["reference"], "")),
        },
    )


def _detail_page(request, pk) -> dict:
    with markings_raised(request) as raised:
        entry = _detail_body(request, pk)
    return {**entry, "markings": raised.kept()}


def _detail_body(request, pk) -> dict:
    """The finding's page as the reader sees it, with what the page's marking and the access log need: plain
    values, kept in the cache (its forms' CSRF token left out)."""
    finding = get_finding_for_user(request.user, pk)
    mark_page(request, finding)
    user = request.user
    maintain = user_may(user, perms=MAINTAIN)
    closer = user_may(user, perms=("inspection.close_finding",))
    body = page_cache.drawn_without_token(
        "inspection/finding_detail_body.html",
        {
            "finding": finding,
            "requirements": list(finding.requirements.order_by("order")),
            "today": timezone.localdate(),
            "evidence": cited_evidence(request, finding),
            "thread": golden_thread(request, finding),
            "may_edit": maintain and finding.status != FindingStatus.CLOSED,
            "may_start": maintain and finding.status in (FindingStatus.OPEN, FindingStatus.REOPENED),
            "may_send_back": closer and finding.status == FindingStatus.EVIDENCE_SUBMITTED,
            "may_submit": maintain and finding.status in WORKING,
            "may_close": closer and finding.status == FindingStatus.EVIDENCE_SUBMITTED,
            "may_reopen": closer and finding.status == FindingStatus.CLOSED,
            "may_cite": maintain and finding.status != FindingStatus.CLOSED,
            "may_raise": maintain and finding.status != FindingStatus.CLOSED,
        },
        request,
    )
    return {
        "reference": finding.reference,
        "title": f"{finding.reference}, {finding.source_report}",
        "consulted": consult_to_log(finding),
        "body": body,
    }


@require(perms=MAINTAIN)
def finding_edit(request, pk):
    def page():
        finding = get_finding_for_user(request.user, pk)
        mark_page(request, finding)
        if finding.status == FindingStatus.CLOSED:  # served, never kept (mshtgov.pages.cached_edit_page)
            messages.error(request, "This finding is closed: reopen it before changing it.")
            return redirect(_detail_url(finding))
        form = FindingForm(request.POST or None, instance=finding)
        return form, {
            "save": lambda f: finding_update(form=f, by=request.user),
            # Named after the save, as the finding now reads.
            "success_url": lambda saved: _detail_url(finding),
            "success_message": lambda saved: f"{finding} saved.",
            "title": f"Edit {finding.reference}",
            "submit": "Save changes",
            "back_url": _detail_url(finding),
            "breadcrumbs": _crumbs((finding.reference, _detail_url(finding)), ("Edit", "")),
            "record": finding,
        }

    return cached_edit_page(request, f"inspection:finding:{int(pk)}", page)


@require_POST
@require(perms=MAINTAIN)
def finding_start_view(request, pk):
    finding = get_finding_for_user(request.user, pk)
    if finding.status == FindingStatus.EVIDENCE_SUBMITTED and not user_may(
        request.user, perms=("inspection.close_finding",)
    ):
        raise PermissionDenied("Only a senior leader can send submitted evidence back.")
    try:
        finding_start(finding=finding, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{finding} is in progress.")
    return redirect(_detail_url(finding))


def _step(request, finding, form, *, act, title, submit, done, intro=""):
    """A step that takes a form (evidence, closure note, reason to reopen): the service decides, errors go
    beside the field, and the finding page says what happened."""
    mark_page(request, finding)
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{finding} {done}")
            return redirect(_detail_url(finding))
    return form_page(
        request,
        form,
        title=title,
        submit=submit,
        back_url=_detail_url(finding),
        breadcrumbs=_crumbs((finding.reference, _detail_url(finding)), (submit, "")),
        intro=intro,
        record=finding,
    )


@dataclass(frozen=True)
class Step:
    """One step of a finding's life that takes a form; the service it calls decides whether it may be taken."""

    perms: tuple[str, ...]  # the page's gate
    form: Callable  # (data or None, finding) -> the form
    act: Callable  # (finding, cleaned data, by) -> None; a ValidationError goes onto the form
    title: str  # "{reference}" is the finding's
    submit: str
    done: str  # what the finding page says after the step ("is closed.")
    intro: Callable = lambda finding: ""  # noqa: E731 - the text shown above the form


def _note_form(label: str, help_text: str = ""):
    def make(data, finding):
        form = NoteForm(data)
        form.fields["note"].label = label
        if help_text:
            form.fields["note"].help_text = help_text
        return form

    return make


STEPS = {
    "submit": Step(
        perms=MAINTAIN,
        form=lambda data, finding: EvidenceForm(data, initial={"evidence": finding.evidence}),
        act=lambda finding, data, by: finding_submit_evidence(finding=finding, evidence=data["evidence"], by=by),
        title="Submit evidence for {reference}",
        submit="Submit for closure",
        done="has evidence submitted: a senior leader can now close it.",
        intro=lambda finding: finding.text,
    ),
    "close": Step(
        perms=("inspection.close_finding",),
        form=_note_form("Closure note", "Why the finding is answered: kept with the finding and shown in bundles."),
        act=lambda finding, data, by: finding_close(finding=finding, note=data["note"], by=by),
        title="Close {reference}",
        submit="Close the finding",
        done="is closed.",
        intro=lambda finding: finding.evidence,
    ),
    "reopen": Step(
        perms=("inspection.close_finding",),
        form=_note_form("Why is it reopened?"),
        act=lambda finding, data, by: finding_reopen(finding=finding, reason=data["note"], by=by),
        title="Reopen {reference}",
        submit="Reopen the finding",
        done="is reopened.",
    ),
    "raise-action": Step(
        perms=MAINTAIN,
        form=lambda data, finding: FindingActionForm(data, initial={"owner": finding.owner_id}),
        act=lambda finding, data, by: finding_raise_action(finding=finding, by=by, **data),
        title="Raise an action to answer {reference}",
        submit="Raise the action",
        done="has a new action in the action log.",
        intro=lambda finding: finding.text,
    ),
}


def _step_view(name: str):
    """The page of one step (`STEPS[name]`), behind the step's own gate."""
    step = STEPS[name]

    @require(perms=step.perms)
    def view(request, pk):
        finding = get_finding_for_user(request.user, pk)
        return _step(
            request,
            finding,
            step.form(request.POST or None, finding),
            act=lambda data: step.act(finding, data, request.user),
            title=step.title.format(reference=finding.reference),
            submit=step.submit,
            done=step.done,
            intro=step.intro(finding),
        )

    view.__name__ = view.__qualname__ = f"finding_{name.replace('-', '_')}_view"
    return view


finding_submit_view = _step_view("submit")
finding_close_view = _step_view("close")
finding_reopen_view = _step_view("reopen")
finding_raise_action_view = _step_view("raise-action")


def _finding_to_cite(request, pk) -> Finding:
    finding = get_finding_for_user(request.user, pk)
    if finding.status == FindingStatus.CLOSED:
        raise PermissionDenied("This finding is closed.")
    return finding


@require(perms=MAINTAIN)
def finding_cite(request, pk):
    finding = _finding_to_cite(request, pk)
    return cite_page(
        request,
        finding,
        title=f"Cite evidence for {finding.reference}",
        back_url=_detail_url(finding),
        breadcrumbs=_crumbs((finding.reference, _detail_url(finding)), ("Cite evidence", "")),
    )


@require_POST
@require(perms=MAINTAIN)
def finding_uncite(request, pk, citation_pk):
    finding = _finding_to_cite(request, pk)
    return uncite(request, finding, citation_pk, back_url=_detail_url(finding))


@require(perms=("inspection.view_finding",))
def finding_history(request, pk):
    # The access check made inside the cached build (mshtgov.history.render_scoped_history; issue 15: the
    # check cost as much as the rest of a cached history page).
    def crumbs_of(finding):
        return _detail_url(finding), _crumbs((finding.reference, _detail_url(finding)), ("History", ""))

    return render_scoped_history(
        request, f"inspection:finding:{int(pk)}", lambda: get_finding_for_user(request.user, pk), crumbs_of
    )


EXPORT_HEADERS = [
    "Reference",
    "Source report",
    "From",
    "Published",
    "Kind",
    "Finding",
    "Theme",
    "Requirements",
    "Owner",
    "Board",
    "Target date",
    "Status",
    "Overdue",
    "Open actions",
    "Actions",
    "Evidence",
    "Closed on",
    "Closure note",
    "Marking",
]


@require(perms=("inspection.view_finding", "inspection.export_finding"))
def finding_export(request, fmt):
    """The filtered register. Only roles that read every finding hold the export permission."""
    check_format(fmt)
    form = FindingFilterForm(request.GET or None)
    today = timezone.localdate()
    findings = list(finding_list(request.user, form.criteria(), today).prefetch_related("requirements"))
    counts = action_counts(request.user, findings)
    rows = [
        [
            f.reference,
            f.source_report,
            f.get_source_display(),
            f.report_date,
            f.get_kind_display(),
            f.text,
            f.get_theme_display(),
            "; ".join(r.reference for r in f.requirements.all()),
            f.owner.get_full_name() or f.owner.get_username(),
            f.board.name if f.board else "",
            f.due_date,
            f.get_status_display(),
            f.is_overdue(today),
            counts.get(f.pk, (0, 0))[0],
            counts.get(f.pk, (0, 0))[1],
            f.evidence,
            f.closed_on or "",
            f.closure_note,
            f.get_marking_display(),
        ]
        for f in findings
    ]
    return export_response(
        request,
        fmt,
        filename="inspection-findings",
        title="Inspection findings",
        headers=EXPORT_HEADERS,
        rows=rows,
        marking=[f.marking for f in findings],
        filters=form.summary(),
        object_type="inspection.finding",
        ids=[f.pk for f in findings],
    )
