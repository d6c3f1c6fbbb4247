"""Self-assessment against the guidance: list, start, answer, submit, sign off, compare, raise actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from governance.models import Action
from mshtgov import records
from mshtgov.access import get_visible_or_404, require, user_may
from mshtgov.audit import consult_to_log
from mshtgov.citation_views import cite_page, cited_evidence, uncite
from mshtgov.history import render_history
from mshtgov.marking import mark_page
from mshtgov.pages import apply_service_errors, cached_edit_page, form_page
from mshtgov.reference import GuidanceTheme
from mshtgov.thread import golden_thread
from strategy.forms import AnswerForm, AssessmentStartForm, CompareForm, RaiseActionForm
from strategy.models import Assessment, AssessmentStatus, Framework, RequirementAssessment, RequirementStatus
from strategy.selectors.assessments import (
    compare,
    compliance_base_text,
    compliance_by_theme,
    compliance_figure_key,
    compliance_percent,
)
from strategy.services import (
    answer_raise_action,
    answer_update,
    assessment_sign_off,
    assessment_start,
    assessment_submit,
)
from strategy.views import cached
from strategy.views.common import confirm, do_transition, paginate, show_record


def _crumbs(*more):
    return [("Strategy", reverse("strategy:index")), ("Self-assessment", reverse("strategy:assessment-list")), *more]


def _url(assessment):
    return reverse("strategy:assessment-detail", kwargs={"pk": assessment.pk})


@require(perms=("strategy.view_assessment",))
def assessment_list(request):
    # Drawn once per reader, page and day, served from the cache until anything it read changes
    # (strategy.views.cached; issue 15: counting every assessment's answers cost more than the page around it).
    entry = cached.listing_entry(request, "strategy:assessments", "strategy/assessment_list_body.html", _list_page)
    return cached.render_entry(
        request,
        entry,
        title="Self-assessment against the guidance",
        breadcrumbs=_crumbs()[:1] + [("Self-assessment", "")],
    )


def _list_page(drawing) -> tuple[dict, dict]:
    request = drawing.request
    assessments = (
        Assessment.objects.visible_to(request.user)
        .select_related("framework", "signed_off_by")
        .annotate(
            met=Count("answers", filter=Q(answers__status=RequirementStatus.MET)),
            gaps=Count(
                "answers", filter=Q(answers__status__in=[RequirementStatus.NOT_MET, RequirementStatus.PARTLY_MET])
            ),
            unanswered=Count("answers", filter=Q(answers__status=RequirementStatus.NOT_ASSESSED)),
            total=Count("answers"),
        )
        .order_by("-period_end", "-id")
    )
    page = paginate(request, assessments)
    mark_page(request, *page.object_list)
    return {"page": page, "may_start": user_may(request.user, perms=("strategy.add_assessment",))}, {}


@require(perms=("strategy.add_assessment",))
def assessment_start_view(request):
    framework = Framework.objects.order_by("-id").first()
    previous = Assessment.objects.order_by("-period_end", "-id").first()
    form = AssessmentStartForm(request.POST or None, initial={"previous": previous.pk if previous else None})
    if request.method == "POST" and form.is_valid() and framework is not None:
        data = form.cleaned_data
        try:
            assessment = assessment_start(
                framework=data["previous"].framework if data["previous"] else framework,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                previous=data["previous"],
                by=request.user,
                marking=data["marking"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{assessment} started.")
            return redirect("strategy:assessment-detail", pk=assessment.pk)
    return form_page(
        request,
        form,
        title="Start a self-assessment",
        intro=f"Against the framework: {framework}." if framework else "",
        breadcrumbs=_crumbs(("Start", "")),
    )


@require(perms=("strategy.view_assessment", "strategy.view_requirementassessment"))
def assessment_detail(request, pk):
    # Drawn once per reader, query string (`?theme=&status=`) and day, served from the cache until anything it
    # read changes (strategy.views.cached); an assessment the reader may not open answers 404, never kept.
    entry = cached.listing_entry(
        request,
        f"strategy:assessment:{int(pk)}",
        "strategy/assessment_detail_body.html",
        lambda drawing: _assessment_page(drawing, pk),
    )
    return cached.render_entry(request, entry, title=entry["title"], breadcrumbs=_crumbs((entry["heading"], "")))


def _assessment_page(drawing, pk) -> tuple[dict, dict]:
    """An assessment's body as its template draws it, and its title."""
    request = drawing.request
    assessment = get_visible_or_404(
        Assessment.objects.visible_to(request.user).select_related(
            "framework", "previous", "submitted_by", "signed_off_by"
        ),
        pk,
    )
    drawing.show(assessment)
    answers = list(
        assessment.answers.select_related("requirement", "owner")
        .annotate(
            has_action=Exists(_actions_for_answer()),
        )
        .order_by("requirement__order")
    )
    mark_page(request, *answers)
    counts = compliance_by_theme(assessment)
    # `?theme=&status=`: the dashboard's theme-by-status cells open this page filtered to what they count.
    only_theme = request.GET.get("theme") if request.GET.get("theme") in GuidanceTheme.values else ""
    only_status = request.GET.get("status") if request.GET.get("status") in RequirementStatus.values else ""
    shown = [
        a
        for a in answers
        if (not only_theme or a.requirement.theme == only_theme) and (not only_status or a.status == only_status)
    ]
    themes = []
    for theme in GuidanceTheme:
        if only_theme and theme != only_theme:
            continue
        themes.append(
            {
                "key": theme.value,
                "label": theme.label,
                "answers": [a for a in shown if a.requirement.theme == theme],
                "percent": compliance_percent(counts[theme.value]),
                "figure_key": compliance_figure_key(assessment.pk, theme.value),
                "base_text": compliance_base_text(counts[theme.value]),
                "unanswered": counts[theme.value][RequirementStatus.NOT_ASSESSED],
            }
        )
    may_answer = user_may(request.user, perms=("strategy.change_requirementassessment",)) and not assessment.is_locked
    context = {
        "assessment": assessment,
        "themes": themes,
        "shown": len(shown),
        "filtered": (
            GuidanceTheme(only_theme).label if only_theme else "",
            RequirementStatus(only_status).label if only_status else "",
        )
        if only_theme or only_status
        else None,
        "unanswered": sum(1 for a in answers if a.status == RequirementStatus.NOT_ASSESSED),
        "may_answer": may_answer,
        "may_submit": user_may(request.user, perms=("strategy.submit_assessment",))
        and assessment.status == AssessmentStatus.DRAFT,
        "may_sign_off": user_may(request.user, perms=("strategy.signoff_assessment",))
        and assessment.status == AssessmentStatus.SUBMITTED,
        "page_links": records.page_links(request.user, assessment),
    }
    return context, {"title": str(assessment), "heading": assessment.title}


def _actions_for_answer():
    """Actions raised from the answer in the outer query (for Exists; no query of its own)."""
    from django.contrib.contenttypes.models import ContentType

    from strategy.models import RequirementAssessment

    content_type = ContentType.objects.get_for_model(RequirementAssessment)
    return Action.objects.filter(source_content_type=content_type, source_object_id=OuterRef("pk"))


@require(perms=("strategy.view_requirementassessment",))
def answer_detail(request, pk):
    # Drawn once per reader and day, its forms' CSRF token left out of the cache; a sensitive answer is logged
    # on every view; an answer the reader may not open answers 404 and is never kept.
    entry = cached.record_entry(
        request, f"strategy:answer:{int(pk)}", "strategy/answer_detail_body.html", lambda d: _answer_page(d, pk)
    )
    return cached.render_entry(
        request,
        entry,
        title=entry["title"],
        breadcrumbs=_crumbs((entry["assessment_title"], entry["assessment_url"]), (entry["reference"], "")),
    )


def _answer_page(drawing, pk) -> tuple[dict, dict]:
    """An answer's body as its template draws it, and what its title and breadcrumbs name."""
    request = drawing.request
    answer = get_visible_or_404(
        RequirementAssessment.objects.visible_to(request.user).select_related("assessment", "requirement", "owner"), pk
    )
    drawing.show(answer)
    assessment = answer.assessment
    # Only the actions the reader may open are named (a PCC liaison may read the answer, not every action).
    actions, hidden_actions = records.related(
        request, Action.objects.for_source(answer).with_overdue(timezone.localdate()).select_related("owner")
    )
    context = {
        "answer": answer,
        "assessment": assessment,
        "objectives": answer.evidence_objectives.select_related("strategy"),
        "measures": answer.evidence_measures.all(),
        "threats": answer.evidence_threats.all(),
        "actions": [(action, _action_url(action)) for action in actions],
        "hidden_actions": hidden_actions,
        "may_answer": user_may(request.user, perms=("strategy.change_requirementassessment",))
        and not assessment.is_locked,
        "may_raise": user_may(request.user, perms=("strategy.change_requirementassessment",)) and answer.is_gap,
        "evidence": cited_evidence(request, answer),
        # Its actions have a section of their own above (named if the reader may open them, else counted).
        "thread": golden_thread(request, answer, listed_on_page=("governance.action",)),
    }
    return context, {
        "title": f"{answer.requirement.reference} in {assessment}",
        "reference": answer.requirement.reference,
        "assessment_title": assessment.title,
        "assessment_url": _url(assessment),
    }


def _action_url(action):
    """The action's page in the governance app, once that app offers one."""
    try:
        return reverse("governance:action-detail", kwargs={"pk": action.pk})
    except NoReverseMatch:
        return None


@require(perms=("strategy.change_requirementassessment",))
def answer_edit(request, pk):
    def page():
        answer = get_visible_or_404(
            RequirementAssessment.objects.visible_to(request.user).select_related("assessment", "requirement", "owner"),
            pk,
        )
        assessment = answer.assessment
        answer_url = reverse("strategy:answer-detail", kwargs={"pk": pk})
        if assessment.is_locked:  # served, never kept
            messages.error(request, "This assessment has been signed off and is locked.")
            return redirect(answer_url)
        mark_page(request, answer)
        form = AnswerForm(request.POST or None, instance=answer)
        return form, {
            "save": lambda f: answer_update(form=f, by=request.user),
            "success_url": f"{_url(assessment)}#{answer.requirement.reference}",
            "success_message": f"Answer to {answer.requirement.reference} saved.",
            "consulted": consult_to_log(answer),  # a sensitive answer's view is logged on every view
            "title": f"{answer.requirement.reference}: answer",
            "record": answer,
            "intro": answer.requirement.text,
            "caption": f"Guidance heading: {answer.requirement.heading}",
            "breadcrumbs": _crumbs(
                (assessment.title, _url(assessment)), (answer.requirement.reference, answer_url), ("Answer", "")
            ),
        }

    return cached_edit_page(request, f"strategy:answer:{int(pk)}", page)


def _answer_to_cite(request, pk):
    """An answer the user may change: its assessment must still be open."""
    answer = get_visible_or_404(
        RequirementAssessment.objects.visible_to(request.user).select_related("assessment", "requirement"), pk
    )
    if answer.assessment.is_locked:
        raise PermissionDenied("This assessment has been signed off and is locked.")
    return answer


@require(perms=("strategy.change_requirementassessment",))
def answer_cite(request, pk):
    answer = _answer_to_cite(request, pk)
    url = reverse("strategy:answer-detail", kwargs={"pk": pk})
    return cite_page(
        request,
        answer,
        title=f"Cite evidence for {answer.requirement.reference}",
        back_url=url,
        breadcrumbs=_crumbs(
            (answer.assessment.title, _url(answer.assessment)),
            (answer.requirement.reference, url),
            ("Cite evidence", ""),
        ),
    )


@require_POST
@require(perms=("strategy.change_requirementassessment",))
def answer_uncite(request, pk, citation_pk):
    answer = _answer_to_cite(request, pk)
    return uncite(request, answer, citation_pk, back_url=reverse("strategy:answer-detail", kwargs={"pk": pk}))


@require(perms=("strategy.change_requirementassessment",))
def answer_raise_action_view(request, pk):
    answer = get_visible_or_404(
        RequirementAssessment.objects.visible_to(request.user).select_related("assessment", "requirement", "owner"), pk
    )
    answer_url = reverse("strategy:answer-detail", kwargs={"pk": pk})
    if not answer.is_gap:
        messages.error(request, "Actions are raised for requirements that are not met or only partly met.")
        return redirect(answer_url)
    show_record(request, answer)
    form = RaiseActionForm(request.POST or None, initial={"owner": answer.owner_id})
    if request.method == "POST" and form.is_valid():
        try:
            action = answer_raise_action(answer=answer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Action “{action}” added to the action log.")
            return redirect(answer_url)
    return form_page(
        request,
        form,
        title=f"Raise an action for {answer.requirement.reference}",
        intro=answer.requirement.text,
        breadcrumbs=_crumbs(
            (answer.assessment.title, _url(answer.assessment)),
            (answer.requirement.reference, answer_url),
            ("Raise an action", ""),
        ),
    )


@require(perms=("strategy.view_requirementassessment",))
def answer_history(request, pk):
    answer = get_visible_or_404(
        RequirementAssessment.objects.visible_to(request.user).select_related("assessment", "requirement", "owner"), pk
    )
    url = reverse("strategy:answer-detail", kwargs={"pk": pk})
    return render_history(
        request,
        answer,
        back_url=url,
        breadcrumbs=_crumbs(
            (answer.assessment.title, _url(answer.assessment)), (answer.requirement.reference, url), ("History", "")
        ),
    )


def _assessment_step(request, pk, *, step, service, done, url_name, **wording):
    """Submit or sign off: a confirm page, then the POST that calls `service` and says "<assessment> <done>"."""
    assessment = get_visible_or_404(
        Assessment.objects.visible_to(request.user).select_related(
            "framework", "previous", "submitted_by", "signed_off_by"
        ),
        pk,
    )
    if request.method == "POST":
        return do_transition(
            request,
            lambda: service(assessment=assessment, by=request.user),
            success=f"{assessment} {done}",
            then=_url(assessment),
        )
    return confirm(
        request,
        obj=assessment,
        title=f"{step} {assessment}",
        action_url=reverse(url_name, kwargs={"pk": pk}),
        back_url=_url(assessment),
        breadcrumbs=_crumbs((assessment.title, _url(assessment)), (step, "")),
        **wording,
    )


@require_http_methods(["GET", "POST"])
@require(perms=("strategy.submit_assessment",))
def assessment_submit_view(request, pk):
    return _assessment_step(
        request,
        pk,
        step="Submit",
        service=assessment_submit,
        done="submitted for sign-off by a senior leader.",
        url_name="strategy:assessment-submit",
        button="Submit for sign-off",
        body="A senior leader will review the answers and sign the assessment off.",
    )


@require_http_methods(["GET", "POST"])
@require(perms=("strategy.signoff_assessment",))
def assessment_sign_off_view(request, pk):
    return _assessment_step(
        request,
        pk,
        step="Sign off",
        service=assessment_sign_off,
        done="signed off. It is now locked.",
        url_name="strategy:assessment-sign-off",
        button="Sign off",
        body="Signing off confirms the answers as the force's position for the period.",
        warning="Once signed off, the assessment and its answers cannot be changed.",
    )


@require(perms=("strategy.view_assessment", "strategy.view_requirementassessment"))
def assessment_compare(request):
    # Drawn once per reader, query string and day and served from the cache until anything it read changes;
    # a refused choice is drawn afresh every time, never kept (its error summary needs the form).
    entry = cached.listing_entry(
        request, "strategy:assessment-compare", "strategy/assessment_compare_body.html", _compare_page
    )
    return cached.render_entry(
        request, entry, title="Compare two assessments", breadcrumbs=_crumbs(("Compare", "")), form=entry.get("form")
    )


def _compare_page(drawing) -> tuple[dict, dict]:
    """The comparison's body as its template draws it (kept when the choice was accepted, or none made)."""
    request = drawing.request
    form = CompareForm(request.GET or None)
    rows, summary, earlier, later = [], {}, None, None
    if form.is_valid():
        earlier, later = form.cleaned_data["earlier"], form.cleaned_data["later"]
        mark_page(request, earlier, later)
        rows = compare(earlier, later)
        for row in rows:
            summary[row.change] = summary.get(row.change, 0) + 1
            mark_page(request, row.earlier, row.later)
    context = {
        "form": form if request.GET else CompareForm(),
        "rows": rows,
        "summary": summary,
        "earlier": earlier,
        "later": later,
    }
    refused = bool(request.GET) and not form.is_valid()
    return context, ({"cacheable": False, "form": form} if refused else {})


@require(perms=("strategy.view_assessment",))
def assessment_history(request, pk):
    assessment = get_visible_or_404(
        Assessment.objects.visible_to(request.user).select_related(
            "framework", "previous", "submitted_by", "signed_off_by"
        ),
        pk,
    )
    return render_history(
        request,
        assessment,
        back_url=_url(assessment),
        breadcrumbs=_crumbs((assessment.title, _url(assessment)), ("History", "")),
    )


@require(perms=("strategy.view_requirement",))
def framework_detail(request, pk):
    framework = get_visible_or_404(Framework.objects.visible_to(request.user), pk)
    requirements = framework.requirements.order_by("order")
    return render(
        request,
        "strategy/framework_detail.html",
        {
            "framework": framework,
            "themes": [(t.label, [r for r in requirements if r.theme == t]) for t in GuidanceTheme],
            "breadcrumbs": _crumbs((framework.name, "")),
        },
    )
