from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from mshtgov import page_cache
from mshtgov.access import require
from mshtgov.audit import consult_to_log, log_access
from mshtgov.marking import highest, mark_page
from mshtgov.models import AccessAction
from mshtgov.pages import apply_service_errors, edit_page
from mshtgov.pdf import render_pdf
from mshtgov.roles import is_external_partner
from partnerships.access import get_partnership_for_user, get_terms_for_user
from partnerships.forms.terms import TermsApproveForm, TermsCompareForm, TermsForm, rows_formset
from partnerships.models import TermsOfReference, TermsStatus
from partnerships.selectors import terms_compare
from partnerships.services.terms import terms_approve, terms_save, terms_start_version
from partnerships.views.common import (
    drawn_body,
    listing,
    page,
    record_entry,
    record_history_page,
    section_links,
    served_record_page,
)


def _crumbs(terms, *tail):
    url = reverse("partnerships:partnership-detail", args=[terms.partnership_id])
    return [("Partnerships", reverse("partnerships:partnership-list")), (terms.partnership.name, url), *tail]


def _versions_for(user, partnership):
    versions = TermsOfReference.objects.visible_to(user).filter(partnership=partnership)
    return versions.published() if is_external_partner(user) else versions


@require(perms=("partnerships.view_termsofreference",), partners=True)
def terms_detail(request, pk, terms_pk):
    # Drawn once per reader and day, then served from the cache until anything it read changes (issue 15); a
    # version the reader may not read answers 404 and nothing is kept; a sensitive one is logged on every view.
    # Its POST form's CSRF token is put in live.
    entry = record_entry(request, f"terms:{int(pk)}:{int(terms_pk)}", lambda: _terms_entry(request, pk, terms_pk))
    return served_record_page(request, entry, entry["breadcrumbs"])


def _terms_entry(request, pk, terms_pk) -> dict:
    terms = get_terms_for_user(request.user, pk, terms_pk)
    rows = list(terms.member_rows.select_related("organisation"))
    versions = list(_versions_for(request.user, terms.partnership).order_by("-version").only("pk", "version", "status"))
    # "The last one" to compare with: the version before, skipping drafts that were withdrawn unapproved.
    previous = next((v for v in versions if v.version < terms.version and v.status != TermsStatus.WITHDRAWN), None)
    latest_version = max(v.version for v in versions)
    user = request.user
    body = page_cache.drawn_without_token(
        "partnerships/includes/terms_detail_body.html",
        {
            "terms": terms,
            "rows": rows,
            "previous": previous,
            "may_edit": terms.is_draft and user.has_perm("partnerships.change_termsofreference"),
            "may_approve": terms.is_draft
            and terms.version == latest_version
            and user.has_perm("partnerships.change_termsofreference"),
            "may_start": user.has_perm("partnerships.add_termsofreference"),
        },
        request,
    )
    return {
        "title": f"{terms.partnership.name}: terms of reference version {terms.version}",
        "body": body,
        "section_links": section_links(user),
        "breadcrumbs": _crumbs(terms, (f"Terms of reference version {terms.version}", "")),
        "markings": [terms.marking],
        "consulted": consult_to_log(terms),
    }


@require(perms=("partnerships.view_partnership",), partners=True)
def terms_new(request, pk):
    # Found (or 404) before the method is checked, so another partnership's URL answers 404 to any method.
    partnership = get_partnership_for_user(request.user, pk, perm="partnerships.add_termsofreference")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        draft = terms_start_version(partnership=partnership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partnerships:partnership-detail", pk=pk)
    messages.success(request, f"Version {draft.version} started as a draft from the current terms.")
    return redirect("partnerships:terms-edit", pk=pk, terms_pk=draft.pk)


@require(perms=("partnerships.view_termsofreference",), partners=True)
def terms_edit(request, pk, terms_pk):
    terms = get_terms_for_user(request.user, pk, terms_pk, perm="partnerships.change_termsofreference")
    detail_url = reverse("partnerships:terms-detail", args=[pk, terms.pk])
    if not terms.is_draft:
        messages.info(
            request,
            f"Version {terms.version} is {terms.get_status_display().lower()}: start a new version to change it.",
        )
        return redirect(detail_url)
    form = TermsForm(request.POST or None, instance=terms)
    formset = rows_formset(terms, request.POST or None)
    if request.method == "POST":
        # Both validated before anything is saved, so nothing is half-saved.
        form_ok, rows_ok = form.is_valid(), formset.is_valid()
        if form_ok and rows_ok:
            try:
                terms_save(form=form, rows_formset=formset, by=request.user)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Draft version {terms.version} saved.")
                return redirect(detail_url)
    return page(
        request,
        "partnerships/terms_edit.html",
        {
            "form": form,
            "formset": formset,
            "terms": terms,
            "cancel_url": detail_url,
            "breadcrumbs": _crumbs(terms, (f"Version {terms.version}", detail_url), ("Change", "")),
        },
    )


@require(perms=("partnerships.view_termsofreference",), partners=True)
def terms_approve_view(request, pk, terms_pk):
    terms = get_terms_for_user(request.user, pk, terms_pk, perm="partnerships.change_termsofreference")
    detail_url = reverse("partnerships:terms-detail", args=[pk, terms.pk])
    return edit_page(
        request,
        form=TermsApproveForm(request.POST or None, initial={"review_date": terms.review_date}),
        save=lambda f: terms_approve(terms=terms, review_date=f.cleaned_data["review_date"], by=request.user),
        success_url=detail_url,
        title=f"Approve version {terms.version} of the terms of reference",
        breadcrumbs=_crumbs(terms, (f"Version {terms.version}", detail_url), ("Approve", "")),
        back_url=detail_url,
        intro="The current approved version will be superseded: it stays readable in the version list.",
        submit="Approve version",
        success_message=f"Version {terms.version} approved. The previous version is kept as superseded.",
    )


@require(perms=("partnerships.view_partnership",), partners=True)
def terms_compare_view(request, pk):
    # Drawn once per reader, pair of versions and day, then served from the cache until anything it read changes
    # (issue 15); versions the reader may not read answer 404 and nothing is kept.
    entry = listing(request, f"terms-compare:{int(pk)}", lambda: _compare_entry(request, pk))
    mark_page(request, *entry["markings"])
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "title": "Compare versions of the terms of reference",
            "section_links": entry["section_links"],
            "body_html": mark_safe(entry["body_html"]),  # noqa: S308 - drawn by the template, every value escaped
            "breadcrumbs": [
                ("Partnerships", reverse("partnerships:partnership-list")),
                (entry["name"], reverse("partnerships:partnership-detail", args=[pk])),
                ("Compare versions", ""),
            ],
        },
    )


def _compare_entry(request, pk) -> dict:
    partnership = get_partnership_for_user(request.user, pk)
    versions = list(_versions_for(request.user, partnership).order_by("-version"))
    if not versions:
        raise Http404
    choices = TermsCompareForm(request.GET or None)
    left = right = None
    if choices.is_valid():
        by_id = {v.pk: v for v in versions}
        left, right = by_id.get(choices.cleaned_data["left"]), by_id.get(choices.cleaned_data["right"])
        # An id from another partnership, or one this user may not read, is a 404 like any other URL.
        if left is None or right is None:
            raise Http404
    elif request.GET:
        raise Http404
    else:
        # The newest version against the one in force (a draft's changes), else the one in force against
        # the version before it: never a version against itself while another exists.
        current = next((v for v in versions if v.status == TermsStatus.APPROVED), versions[0])
        newest = versions[0]
        older = next((v for v in versions if v.version < current.version), None)
        if newest.version > current.version:
            left, right = current, newest
        else:
            right, left = current, older or current
    texts, rows = terms_compare(left, right)
    body = drawn_body(
        request,
        "partnerships/includes/terms_compare_body.html",
        {"partnership": partnership, "versions": versions, "left": left, "right": right, "texts": texts, "rows": rows},
    )
    return {**body, "name": partnership.name, "markings": [left.marking, right.marking]}


@require(perms=("partnerships.view_termsofreference",), partners=True)
def terms_pdf(request, pk, terms_pk):
    terms = get_terms_for_user(request.user, pk, terms_pk)
    marking = highest(terms.marking).label
    pdf = render_pdf(
        "partnerships/terms_pdf.html",
        {
            "title": f"{terms.partnership.name}: terms of reference version {terms.version}",
            "marking": marking,
            "terms": terms,
            "rows": terms.member_rows.select_related("organisation"),
        },
    )
    log_access(
        request,
        AccessAction.DISCLOSE,
        terms,
        recipients=request.user.get_username(),
        detail={"format": "pdf", "pages": pdf.pages},
    )
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="terms-of-reference-{terms.partnership_id}-v{terms.version}.pdf"'
    )
    return response


@require(perms=("partnerships.view_termsofreference",), partners=True)
def terms_history(request, pk, terms_pk):
    terms = get_terms_for_user(request.user, pk, terms_pk)
    url = reverse("partnerships:terms-detail", args=[pk, terms.pk])
    return record_history_page(request, terms, _crumbs(terms, (f"Version {terms.version}", url)))
