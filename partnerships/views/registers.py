"""Registers partners never see: safeguarding notifications, victim support provision and ICTG referrals."""

from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from mshtgov.access import get_visible_or_404, require
from mshtgov.audit import log_access
from mshtgov.history import render_scoped_history
from mshtgov.marking import mark_page
from mshtgov.models import AccessAction
from mshtgov.pages import cached_edit_page
from mshtgov.periods import date_param, period_choices, period_from_query
from mshtgov.records import url_for_pk
from mshtgov.tracking import save_form
from partnerships.forms.registers import ICTGForm, NotificationForm, SupportForm
from partnerships.models import ICTGReferral, SafeguardingNotification, SupportService, SupportStage
from partnerships.selectors import (
    incidents_told,
    notification_measure,
    notifications_for_incidents,
    support_by_stage,
    support_stage_figures,
)
from partnerships.views.common import RowsPaginator, drawn_body, drawn_page, listing


@dataclass(frozen=True)
class Register:
    """What tells one register's create, edit and history pages apart."""

    model: type
    form_class: type
    crumb: tuple[str, str]  # (list page title, list page URL)
    noun: str
    gate: str | None = None  # a permission every page of the register asks for first; it also reads the records

    def perm(self, action: str) -> str:
        return f"partnerships.{action}_{self.model._meta.model_name}"

    def needs(self, action: str) -> tuple[str, ...]:
        """What a page of this register asks for: its gate (if any) and the permission for `action`."""
        return (*([self.gate] if self.gate else []), self.perm(action))

    @property
    def view_perm(self) -> str:
        return self.gate or self.perm("view")


NOTIFICATIONS_CRUMB = ("Safeguarding notifications", "/partnerships/notifications/")
SUPPORT_CRUMB = ("Victim support", "/partnerships/support/")
ICTG_CRUMB = ("ICTG referrals", "/partnerships/ictg/")
NOTIFICATIONS = Register(SafeguardingNotification, NotificationForm, NOTIFICATIONS_CRUMB, "safeguarding notification")
SUPPORT = Register(SupportService, SupportForm, SUPPORT_CRUMB, "support service")
ICTG = Register(ICTGReferral, ICTGForm, ICTG_CRUMB, "ICTG referral", gate="partnerships.view_ictg_referrals")


def _register_edit(request, register: Register, pk=None):
    """Add a record to a register (no pk) or change one. The form before any input is the reader's own kept page
    (mshtgov.pages.cached_edit_page), one for the register's blank form and one per record: a record the reader
    may not open is a 404 raised inside the build, never kept. The GET reads no query string."""

    def page():
        instance = None if pk is None else get_visible_or_404(register.model.objects.all(), pk)
        form = register.form_class(request.POST or None, instance=instance)
        if instance is not None:
            mark_page(request, instance)
        crumb = register.crumb
        return form, {
            "save": lambda f: save_form(f, by=request.user),
            "success_url": crumb[1],
            "title": f"Change {register.noun} {instance}" if instance else f"Add a {register.noun}",
            "breadcrumbs": [crumb, ("Change" if instance else "Add", "")],
            "back_url": crumb[1],
            "success_message": f"{register.noun.capitalize()} saved.",
        }

    record = "add" if pk is None else int(pk)
    return cached_edit_page(request, f"partnerships:{register.model._meta.model_name}:{record}", page)


def _register_history(request, register: Register, pk):
    crumb = register.crumb
    return render_scoped_history(
        request,
        f"partnerships:{register.model._meta.model_name}:{int(pk)}",
        lambda: get_visible_or_404(register.model.objects.all(), pk),
        lambda obj: (crumb[1], [crumb, ("History", "")]),
    )


def register_views(register: Register):
    """The create, edit and history views of one register, for its URLs."""

    @require(perms=register.needs("add"))
    def create(request):
        return _register_edit(request, register)

    @require(perms=register.needs("change"))
    def edit(request, pk):
        return _register_edit(request, register, pk)

    @require(perms=(register.view_perm,))
    def history(request, pk):
        return _register_history(request, register, pk)

    return create, edit, history


@require(perms=("partnerships.view_safeguardingnotification",))
def notification_list(request):
    # Built once per reader, query string and day, then served from the cache (partnerships.views.common.listing).
    entry = listing(request, "notification-list", lambda: _notification_page(request))
    mark_page(request, *entry["markings"])
    return drawn_page(
        request, "partnerships/notification_list.html", entry, {"breadcrumbs": [(NOTIFICATIONS.crumb[0], "")]}
    )


def _notification_page(request) -> dict:
    today = timezone.localdate()
    period = period_from_query(request.GET, today)
    in_time = {"yes": True, "no": False}.get(request.GET.get("in_time", ""))
    # Which incidents were told in time, read once: the filter, the measure and the incident count use it.
    told = incidents_told(period.start, period.end)
    rows = notifications_for_incidents(period.start, period.end, in_time=in_time, told=told).select_related(
        "partnership", "notified_by"
    )
    page_obj = RowsPaginator(rows, 50).get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    edit_url, history_url = (
        url_for_pk("partnerships:notification-edit"),
        url_for_pk("partnerships:notification-history"),
    )
    for notification in shown:
        notification.edit_url, notification.history_url = edit_url(notification.pk), history_url(notification.pk)
    measure = notification_measure(period.start, period.end, told=told)
    body = drawn_body(
        request,
        "partnerships/includes/notification_list_body.html",
        {
            "page": page_obj,
            "measure": measure,
            "figures": measure.figures(period.start, period.end),
            # The incidents the rows are about: every one recorded in the period, or those told in time (or not).
            "incidents": len(told) if in_time is None else sum(1 for was in told.values() if was is in_time),
            "in_time": in_time,
            "period": period,
            "periods": period_choices(today),
            "may_add": request.user.has_perm("partnerships.add_safeguardingnotification"),
        },
    )
    return {
        "count": page_obj.paginator.count,
        "number": page_obj.number,
        **body,
        "markings": [getattr(n, "marking", None) for n in shown],
    }


@require(perms=("partnerships.view_supportservice",))
def support_list(request):
    entry = listing(request, "support-list", lambda: _support_page(request))
    return drawn_page(request, "partnerships/support_list.html", entry, {"breadcrumbs": [(SUPPORT.crumb[0], "")]})


def _support_page(request) -> dict:
    today = timezone.localdate()
    stage = request.GET.get("stage", "")
    services = SupportService.objects.select_related("provider").order_by("stage", "name")
    if stage in SupportStage.values:
        services = services.filter(stage=stage)
    # The dashboard's stage cells: services active on a day (`active_on`), ending by a day (`ending_by`).
    active_on, ending_by = date_param(request.GET.get("active_on")), date_param(request.GET.get("ending_by"))
    if active_on:
        services = services.active_on(active_on)
    if ending_by:
        services = services.filter(end_date__lte=ending_by)
    page_obj = RowsPaginator(services, 50).get_page(request.GET.get("page"))
    places_key = f"support:{stage}:{active_on}:places" if stage in SupportStage.values and active_on else ""
    body = drawn_body(
        request,
        "partnerships/includes/support_list_body.html",
        {
            "page": page_obj,
            "stages": support_stage_figures(support_by_stage(today), today),
            "stage": stage,
            "active_on": active_on,
            "ending_by": ending_by,
            "places": {"key": places_key, "value": services.aggregate(n=Sum("capacity"))["n"] or 0}
            if places_key and not ending_by
            else None,
            "stage_choices": SupportStage.choices,
            "today": today,
            "may_add": request.user.has_perm("partnerships.add_supportservice"),
        },
    )
    return {"count": page_obj.paginator.count, "number": page_obj.number, **body}


@require(perms=("partnerships.view_ictg_referrals",))
def ictg_list(request):
    """Senior leaders and safeguarding leads only. Every view of the list is in the access log: it is
    a list of child victims, however pseudonymous."""
    entry = listing(request, "ictg-list", lambda: _ictg_page(request))
    mark_page(request, *entry["markings"])
    # Logged on every view, served from the cache or not.
    log_access(
        request, AccessAction.CONSULT, object_type="partnerships.ictgreferral", object_repr="ICTG referrals list"
    )
    return drawn_page(request, "partnerships/ictg_list.html", entry, {"breadcrumbs": [(ICTG.crumb[0], "")]})


def _ictg_page(request) -> dict:
    today = timezone.localdate()
    referrals = ICTGReferral.objects.with_review_overdue(today)
    overdue_on = date_param(request.GET.get("overdue_on"))
    if overdue_on is not None:
        referrals = referrals.review_overdue_on(min(overdue_on, today), today)
    elif request.GET.get("overdue") == "1":
        referrals = referrals.review_overdue(today)
    page_obj = RowsPaginator(referrals.order_by("next_review_on", "id"), 50).get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    body = drawn_body(
        request,
        "partnerships/includes/ictg_list_body.html",
        {
            "page": page_obj,
            "overdue_only": request.GET.get("overdue") == "1" or overdue_on is not None,
            "overdue_on": overdue_on if overdue_on and overdue_on < today else None,
            "overdue_count": ICTGReferral.objects.review_overdue(today).count(),
            "may_add": request.user.has_perm("partnerships.add_ictgreferral"),
            "may_change": request.user.has_perm("partnerships.change_ictgreferral"),
        },
    )
    return {
        "count": page_obj.paginator.count,
        "number": page_obj.number,
        **body,
        "markings": [getattr(r, "marking", None) for r in shown],
    }


notification_create, notification_edit, notification_history = register_views(NOTIFICATIONS)
support_create, support_edit, support_history = register_views(SUPPORT)
ictg_create, ictg_edit, ictg_history = register_views(ICTG)
