from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from governance.models import Meeting
from mshtgov import page_cache
from mshtgov.access import get_visible_or_404, require
from mshtgov.audit import consult_to_log
from mshtgov.marking import mark_page
from mshtgov.pages import cached_edit_page, edit_page, form_page
from mshtgov.roles import is_external_partner
from partnerships.access import get_partnership_for_user
from partnerships.forms.partnerships import MembershipAddForm, MembershipRemoveForm, PartnershipForm
from partnerships.models import InformationSharingAgreement, Membership, Partnership, PartnershipKind, TermsOfReference
from partnerships.services.partnerships import membership_add, membership_remove, partnership_save
from partnerships.views.common import (
    RowsPaginator,
    drawn_body,
    drawn_page,
    listing,
    record_edit_page,
    record_entry,
    scoped_history_page,
    section_links,
    served_record_page,
)

LIST_CRUMB = ("Partnerships", "/partnerships/")


def _trail(partnership):
    return [LIST_CRUMB, (partnership.name, reverse("partnerships:partnership-detail", args=[partnership.pk]))]


@require(perms=("partnerships.view_partnership",), partners=True)
def partnership_list(request):
    # Built once per reader, query string and day (never for a search: `q` is typed), then from the cache.
    entry = listing(request, "partnership-list", lambda: _partnership_page(request))
    mark_page(request, *entry["markings"])
    return drawn_page(request, "partnerships/partnership_list.html", entry)


def _partnership_page(request) -> dict:
    partnerships = Partnership.objects.visible_to(request.user)
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    if query:
        partnerships = partnerships.filter(name__icontains=query)
    if kind in PartnershipKind.values:
        partnerships = partnerships.filter(kind=kind)
    partnerships = partnerships.select_related("coordinator").annotate(member_count=Count("memberships"))
    page_obj = RowsPaginator(partnerships.order_by("name", "id"), 25).get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    body = drawn_body(
        request,
        "partnerships/includes/partnership_list_body.html",
        {
            "page": page_obj,
            "query": query,
            "kind": kind,
            "kinds": PartnershipKind.choices,
            "may_add": request.user.has_perm("partnerships.add_partnership"),
        },
    )
    return {
        "count": page_obj.paginator.count,
        "number": page_obj.number,
        **body,
        "markings": [p.marking for p in shown],
    }


def _meeting_url(meeting) -> str:
    # The governance app owns meeting pages; until they exist the meeting is listed without a link.
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return ""


@require(perms=("partnerships.view_partnership",), partners=True)
def partnership_detail(request, pk):
    # Drawn once per reader and day, then served from the cache until anything it read changes; a partnership
    # the reader may not know of answers 404 and nothing is kept. Its POST form's CSRF token is put in live.
    entry = record_entry(request, f"partnership:{int(pk)}", lambda: _detail_entry(request, pk))
    return served_record_page(request, entry, [LIST_CRUMB, (entry["title"], "")])


def _detail_entry(request, pk) -> dict:
    partnership = get_partnership_for_user(request.user, pk)
    user = request.user
    memberships = Membership.objects.filter(partnership=partnership).select_related("organisation")
    versions = TermsOfReference.objects.visible_to(user).filter(partnership=partnership).order_by("-version")
    if is_external_partner(user):
        versions = versions.published()
    versions = list(versions)
    current = next((v for v in versions if v.status == "approved"), None)
    # Only one draft at a time: while one is open, the page offers to carry on with it, not to start another.
    open_draft = next((v for v in versions if v.status == "draft"), None)
    agreements = list(
        InformationSharingAgreement.objects.visible_to(user).filter(partnership=partnership).prefetch_related("parties")
    )
    meetings = []
    if partnership.board_id:
        meetings = [
            (meeting, _meeting_url(meeting))
            for meeting in Meeting.objects.visible_to(user)
            .filter(board_id=partnership.board_id)
            .order_by("-starts_at")[:6]
        ]
    # Who joined and left, when and why: the membership rows' own history, newest first (one query).
    membership_changes = (
        Membership.history.filter(partnership_id=partnership.pk)
        .exclude(history_type="~")
        .select_related("history_user", "organisation")
        .order_by("-history_date")[:20]
    )
    body = page_cache.drawn_without_token(
        "partnerships/includes/partnership_detail_body.html",
        {
            "partnership": partnership,
            "memberships": memberships,
            "current": current,
            "versions": versions,
            "open_draft": open_draft,
            "agreements": agreements,
            "meetings": meetings,
            "membership_changes": membership_changes,
            "may_change": user.has_perm("partnerships.change_partnership"),
            "may_manage_terms": user.has_perm("partnerships.add_termsofreference"),
            "may_add_agreement": user.has_perm("partnerships.add_informationsharingagreement"),
        },
        request,
    )
    return {
        "title": partnership.name,
        "body": body,
        "section_links": section_links(user),
        "markings": [partnership.marking, getattr(current, "marking", None), *(a.marking for a in agreements)],
        "consulted": consult_to_log(partnership),
    }


@require(perms=("partnerships.add_partnership",))
def partnership_create(request):
    form = PartnershipForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda f: partnership_save(form=f, by=request.user),
        success_url=lambda p: reverse("partnerships:partnership-detail", args=[p.pk]),
        title="Add a partnership",
        breadcrumbs=[LIST_CRUMB, ("Add a partnership", "")],
        back_url=reverse("partnerships:partnership-list"),
        success_message="Partnership added. Now add its member organisations.",
    )


@require(perms=("partnerships.view_partnership",), partners=True)
def partnership_edit(request, pk):
    # The form before any input is the reader's own kept page: a partnership the reader may not know of is a 404,
    # one they may see but not change a 403, raised inside the build: never kept.
    return record_edit_page(
        request,
        f"partnership:{int(pk)}",
        lambda: get_partnership_for_user(request.user, pk, perm="partnerships.change_partnership"),
        lambda partnership: PartnershipForm(request.POST or None, instance=partnership),
        _trail,
        service=partnership_save,
        success_message="Partnership updated.",
    )


@require(perms=("partnerships.view_partnership",), partners=True)
def partnership_history(request, pk):
    return scoped_history_page(
        request, f"partnership:{int(pk)}", lambda: get_partnership_for_user(request.user, pk), _trail
    )


@require(perms=("partnerships.view_partnership",), partners=True)
def membership_add_view(request, pk):
    # The blank form is the reader's own kept page, one per partnership (mshtgov.pages.cached_edit_page): a
    # partnership the reader may not know of is a 404, one they may see but not add to a 403, raised inside the
    # build: never kept. A new member or organisation voids it (the organisations offered are read in the build).
    def page():
        partnership = get_partnership_for_user(request.user, pk, perm="partnerships.add_membership")
        form = MembershipAddForm(request.POST or None, partnership=partnership)
        url = reverse("partnerships:partnership-detail", args=[partnership.pk])
        return form, {
            "save": lambda f: membership_add(
                partnership=partnership, organisation=f.cleaned_data["organisation"], by=request.user
            ),
            "success_url": url,
            "title": f"Add a member to {partnership.name}",
            "breadcrumbs": [LIST_CRUMB, (partnership.name, url), ("Add a member", "")],
            "back_url": url,
            "submit": "Add member",
            "success_message": lambda _membership: f"{form.cleaned_data['organisation']} is now a member.",
        }

    return cached_edit_page(request, f"partnerships:membership:add:{int(pk)}", page)


@require(perms=("partnerships.view_partnership",), partners=True)
def membership_remove_view(request, pk, membership_pk):
    partnership = get_partnership_for_user(request.user, pk, perm="partnerships.delete_membership")
    membership = get_visible_or_404(
        Membership.objects.select_related("organisation").filter(partnership=partnership), membership_pk
    )
    form = MembershipRemoveForm(request.POST or None)
    url = reverse("partnerships:partnership-detail", args=[pk])
    if request.method == "POST" and form.is_valid():
        membership_remove(membership=membership, by=request.user, reason=form.cleaned_data["change_reason"])
        messages.success(
            request, f"{membership.organisation} has left {partnership.name}. Its partner users no longer see it."
        )
        return redirect(url)
    return form_page(
        request,
        form,
        title=f"Remove {membership.organisation} from {partnership.name}",
        intro="Its partner users will lose access to this partnership, its forum's meetings, its terms of "
        "reference and its agreements straight away.",
        breadcrumbs=[LIST_CRUMB, (partnership.name, url), ("Remove a member", "")],
        back_url=url,
        submit="Remove member",
        warning=True,
    )
