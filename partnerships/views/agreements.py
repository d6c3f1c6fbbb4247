from django.urls import reverse
from django.utils import timezone

from mshtgov.access import require
from mshtgov.audit import log_consult_if_sensitive, loggable_filters
from mshtgov.exports import check_format, export_response
from mshtgov.marking import mark_page
from mshtgov.pages import cached_edit_page
from partnerships.access import get_agreement_for_user, get_partnership_for_user
from partnerships.forms.agreements import AgreementForm
from partnerships.models import AgreementStatus, InformationSharingAgreement, Partnership
from partnerships.services.agreements import agreement_save
from partnerships.views.common import (
    RowsPaginator,
    drawn_body,
    drawn_page,
    listing,
    page,
    record_edit_keywords,
    scoped_history_page,
)

LIST_CRUMB = ("Agreements", "/partnerships/agreements/")


def _trail(agreement):
    return [LIST_CRUMB, (agreement.title, reverse("partnerships:agreement-detail", args=[agreement.pk]))]


def _filtered(request):
    """The user's agreements narrowed by the list's filters. Filters only ever narrow the visible set, so a
    partnership id the user may not see simply matches nothing."""
    agreements = InformationSharingAgreement.objects.visible_to(request.user)
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    partnership = request.GET.get("partnership", "")
    if query:
        agreements = agreements.filter(title__icontains=query)
    if status in AgreementStatus.values:
        agreements = agreements.in_status(status, timezone.localdate())
    if partnership.isdigit():
        agreements = agreements.filter(partnership_id=int(partnership))
    return agreements.select_related("partnership").order_by("title", "id"), query, status, partnership


@require(perms=("partnerships.view_informationsharingagreement",), partners=True)
def agreement_list(request):
    # Built once per reader, query string and day (never for a search: `q` is typed), then from the cache.
    entry = listing(request, "agreement-list", lambda: _agreement_page(request))
    mark_page(request, *entry["markings"])
    return drawn_page(request, "partnerships/agreement_list.html", entry)


def _agreement_page(request) -> dict:
    agreements, query, status, partnership = _filtered(request)
    page_obj = RowsPaginator(agreements, 25).get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    body = drawn_body(
        request,
        "partnerships/includes/agreement_list_body.html",
        {
            "page": page_obj,
            "query": query,
            "status": status,
            "partnership": partnership,
            "statuses": AgreementStatus.choices,
            "partnerships": Partnership.objects.visible_to(request.user).only("pk", "name").order_by("name"),
        },
    )
    return {
        "count": page_obj.paginator.count,
        "number": page_obj.number,
        **body,
        "markings": [a.marking for a in shown],
    }


EXPORT_HEADERS = [
    "Reference",
    "Title",
    "Partnership",
    "Parties",
    "Lawful basis",
    "Mechanism",
    "Start",
    "End",
    "Review",
    "Status",
    "Marking",
]


def _export_row(a: InformationSharingAgreement) -> list:
    return [
        a.reference,
        a.title,
        a.partnership.name,
        "; ".join(p.name for p in a.parties.all()),
        a.get_lawful_basis_display(),
        a.get_mechanism_display(),
        a.start_date,
        a.end_date or "",
        a.review_date or "",
        a.current_status,
        a.get_marking_display(),
    ]


@require(perms=("partnerships.view_informationsharingagreement",), partners=True)
def agreement_export(request, fmt):
    """The filtered list as CSV or Excel: a disclosure, so written to the access log."""
    check_format(fmt)
    agreements, query, status, partnership = _filtered(request)
    rows = list(agreements.prefetch_related("parties"))
    return export_response(
        request,
        fmt,
        filename="information-sharing-agreements",
        title="Information-sharing agreements",
        headers=EXPORT_HEADERS,
        rows=[_export_row(a) for a in rows],
        marking=[a.marking for a in rows],
        filters=loggable_filters(
            {"q": query, "status": status, "partnership": partnership}, chosen={"status": AgreementStatus.values}
        ),
        object_type="partnerships.informationsharingagreement",
        ids=[a.pk for a in rows],
    )


@require(perms=("partnerships.view_informationsharingagreement",), partners=True)
def agreement_detail(request, pk):
    agreement = get_agreement_for_user(request.user, pk)
    mark_page(request, agreement)
    log_consult_if_sensitive(request, agreement)
    return page(
        request,
        "partnerships/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": agreement.parties.order_by("name"),
            "may_change": request.user.has_perm("partnerships.change_informationsharingagreement"),
            "breadcrumbs": [LIST_CRUMB, (agreement.title, "")],
        },
    )


@require(perms=("partnerships.view_partnership",), partners=True)
def agreement_create(request, pk):
    # The blank form is the reader's own kept page, one per partnership (mshtgov.pages.cached_edit_page): a
    # partnership the reader may not know of is a 404, one they may see but not add to a 403, raised inside the
    # build: never kept. The GET reads no query string.
    def page():
        partnership = get_partnership_for_user(request.user, pk, perm="partnerships.add_informationsharingagreement")
        form = AgreementForm(request.POST or None, partnership=partnership)
        url = reverse("partnerships:partnership-detail", args=[partnership.pk])
        return form, {
            "save": lambda f: agreement_save(form=f, by=request.user),
            "success_url": lambda a: reverse("partnerships:agreement-detail", args=[a.pk]),
            "title": f"Add an information-sharing agreement to {partnership.name}",
            "breadcrumbs": [
                ("Partnerships", reverse("partnerships:partnership-list")),
                (partnership.name, url),
                ("Add an agreement", ""),
            ],
            "back_url": url,
            "success_message": "Agreement added.",
        }

    return cached_edit_page(request, f"partnerships:agreement:add:{int(pk)}", page)


@require(perms=("partnerships.view_informationsharingagreement",), partners=True)
def agreement_edit(request, pk):
    # The form before any input is the reader's own kept page (mshtgov.pages.cached_edit_page): an agreement the
    # reader may not see is a 404, one they may see but not change a 403, raised inside the build: never kept.
    def page():
        agreement = get_agreement_for_user(request.user, pk, perm="partnerships.change_informationsharingagreement")
        mark_page(request, agreement)  # the form shows the agreement: the page carries its marking
        form = AgreementForm(request.POST or None, instance=agreement, partnership=agreement.partnership)
        return form, record_edit_keywords(
            request, _trail(agreement), service=agreement_save, success_message="Agreement updated."
        )

    return cached_edit_page(request, f"partnerships:agreement:{int(pk)}", page)


@require(perms=("partnerships.view_informationsharingagreement",), partners=True)
def agreement_history(request, pk):
    # Drawn with its access check inside the cached build (partnerships.views.common.scoped_history_page): an
    # agreement the reader may not know of is a 404 every time, nothing kept.
    return scoped_history_page(
        request, f"agreement:{int(pk)}", lambda: get_agreement_for_user(request.user, pk), _trail
    )
