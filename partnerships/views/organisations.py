from django.urls import reverse

from mshtgov.access import get_visible_or_404, require
from mshtgov.pages import edit_page
from mshtgov.tracking import save_form
from partnerships.forms.partnerships import OrganisationForm
from partnerships.models import PartnerKind, PartnerOrganisation
from partnerships.views.common import (
    RowsPaginator,
    drawn_body,
    drawn_page,
    listing,
    page,
    record_edit_page,
    record_history_page,
)

LIST_CRUMB = ("Organisations", "/partnerships/organisations/")


def _trail(organisation):
    return [LIST_CRUMB, (organisation.name, reverse("partnerships:organisation-detail", args=[organisation.pk]))]


@require(perms=("partnerships.view_partnerorganisation",))
def organisation_list(request):
    # Built once per reader, query string and day (never for a search: `q` is typed), then from the cache
    # until an organisation changes (issue 15).
    entry = listing(request, "organisation-list", lambda: _organisation_page(request))
    return drawn_page(request, "partnerships/organisation_list.html", entry)


def _organisation_page(request) -> dict:
    organisations = PartnerOrganisation.objects.all()
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    if query:
        organisations = organisations.filter(name__icontains=query)
    if kind in PartnerKind.values:
        organisations = organisations.filter(kind=kind)
    page_obj = RowsPaginator(organisations.order_by("name"), 50).get_page(request.GET.get("page"))
    return drawn_body(
        request,
        "partnerships/includes/organisation_list_body.html",
        {
            "page": page_obj,
            "query": query,
            "kind": kind,
            "kinds": PartnerKind.choices,
            "may_add": request.user.has_perm("partnerships.add_partnerorganisation"),
        },
    )


@require(perms=("partnerships.view_partnerorganisation",))
def organisation_detail(request, pk):
    organisation = get_visible_or_404(PartnerOrganisation.objects.all(), pk)
    memberships = organisation.memberships.select_related("partnership").order_by("partnership__name")
    return page(
        request,
        "partnerships/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "may_change": request.user.has_perm("partnerships.change_partnerorganisation"),
            "breadcrumbs": [LIST_CRUMB, (organisation.name, "")],
        },
    )


@require(perms=("partnerships.add_partnerorganisation",))
def organisation_create(request):
    return edit_page(
        request,
        form=OrganisationForm(request.POST or None),
        save=lambda f: save_form(f, by=request.user),
        success_url=lambda o: reverse("partnerships:organisation-detail", args=[o.pk]),
        title="Add a partner organisation",
        breadcrumbs=[LIST_CRUMB, ("Add", "")],
        back_url=reverse("partnerships:organisation-list"),
        success_message="Organisation added.",
    )


@require(perms=("partnerships.change_partnerorganisation",))
def organisation_edit(request, pk):
    return record_edit_page(
        request,
        f"organisation:{int(pk)}",
        lambda: get_visible_or_404(PartnerOrganisation.objects.all(), pk),
        lambda organisation: OrganisationForm(request.POST or None, instance=organisation),
        _trail,
        service=save_form,
        success_message="Organisation updated.",
    )


@require(perms=("partnerships.view_partnerorganisation",))
def organisation_history(request, pk):
    organisation = get_visible_or_404(PartnerOrganisation.objects.all(), pk)
    return record_history_page(request, organisation, _trail(organisation))
