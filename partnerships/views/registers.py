"""Registers partners never see: safeguarding notifications, victim support provision and ICTG referrals."""

from django.core.paginator import Paginator
from django.utils import timezone

from mshtgov.audit import log_access
from mshtgov.history import render_history
from mshtgov.marking import mark_page
from mshtgov.models import AccessAction
from mshtgov.periods import parse_period, period_choices
from partnerships.access import get_internal_record, require_perm
from partnerships.forms.registers import ICTGForm, NotificationForm, SupportForm
from partnerships.models import ICTGReferral, SafeguardingNotification, SupportService, SupportStage
from partnerships.models.safeguarding import ICTG_OPEN
from partnerships.selectors import notification_measure, support_by_stage
from partnerships.services.common import form_save
from partnerships.views.common import edit_page, page

NOTIFICATIONS = ("Safeguarding notifications", "/partnerships/notifications/")
SUPPORT = ("Victim support", "/partnerships/support/")
ICTG = ("ICTG referrals", "/partnerships/ictg/")


def _register_edit(request, *, model, form_class, pk, perm, crumb, noun):
    instance = get_internal_record(request.user, model, pk, perm=perm) if pk else None
    if pk is None:
        require_perm(request.user, perm)
    form = form_class(request.POST or None, instance=instance)
    if instance is not None:
        mark_page(request, instance)
    return edit_page(
        request,
        form=form,
        save=lambda f: form_save(form=f, by=request.user),
        success_url=crumb[1],
        title=f"Change {noun} {instance}" if instance else f"Add a {noun}",
        breadcrumbs=[crumb, ("Change" if instance else "Add", "")],
        cancel_url=crumb[1],
        success_message=f"{noun.capitalize()} saved.",
    )


def notification_list(request):
    require_perm(request.user, "partnerships.view_safeguardingnotification")
    today = timezone.localdate()
    period = parse_period(request.GET.get("period"), today)
    rows = SafeguardingNotification.objects.filter(
        incident_recorded_on__gte=period.start, incident_recorded_on__lte=period.end
    ).select_related("partnership", "notified_by")
    page_obj = Paginator(rows, 50).get_page(request.GET.get("page"))
    mark_page(request, *page_obj.object_list)
    return page(
        request,
        "partnerships/notification_list.html",
        {
            "page": page_obj,
            "measure": notification_measure(period.start, period.end),
            "period": period,
            "periods": period_choices(today),
            "breadcrumbs": [(NOTIFICATIONS[0], "")],
            "may_add": request.user.has_perm("partnerships.add_safeguardingnotification"),
        },
    )


def notification_create(request):
    return _register_edit(
        request,
        model=SafeguardingNotification,
        form_class=NotificationForm,
        pk=None,
        perm="partnerships.add_safeguardingnotification",
        crumb=NOTIFICATIONS,
        noun="safeguarding notification",
    )


def notification_edit(request, pk):
    return _register_edit(
        request,
        model=SafeguardingNotification,
        form_class=NotificationForm,
        pk=pk,
        perm="partnerships.change_safeguardingnotification",
        crumb=NOTIFICATIONS,
        noun="safeguarding notification",
    )


def notification_history(request, pk):
    obj = get_internal_record(
        request.user, SafeguardingNotification, pk, perm="partnerships.view_safeguardingnotification"
    )
    return render_history(request, obj, back_url=NOTIFICATIONS[1], breadcrumbs=[NOTIFICATIONS, ("History", "")])


def support_list(request):
    require_perm(request.user, "partnerships.view_supportservice")
    today = timezone.localdate()
    stage = request.GET.get("stage", "")
    services = SupportService.objects.select_related("provider").order_by("stage", "name")
    if stage in SupportStage.values:
        services = services.filter(stage=stage)
    page_obj = Paginator(services, 50).get_page(request.GET.get("page"))
    return page(
        request,
        "partnerships/support_list.html",
        {
            "page": page_obj,
            "stages": support_by_stage(today),
            "stage": stage,
            "stage_choices": SupportStage.choices,
            "today": today,
            "breadcrumbs": [(SUPPORT[0], "")],
            "may_add": request.user.has_perm("partnerships.add_supportservice"),
        },
    )


def support_create(request):
    return _register_edit(
        request,
        model=SupportService,
        form_class=SupportForm,
        pk=None,
        perm="partnerships.add_supportservice",
        crumb=SUPPORT,
        noun="support service",
    )


def support_edit(request, pk):
    return _register_edit(
        request,
        model=SupportService,
        form_class=SupportForm,
        pk=pk,
        perm="partnerships.change_supportservice",
        crumb=SUPPORT,
        noun="support service",
    )


def support_history(request, pk):
    obj = get_internal_record(request.user, SupportService, pk, perm="partnerships.view_supportservice")
    return render_history(request, obj, back_url=SUPPORT[1], breadcrumbs=[SUPPORT, ("History", "")])


def ictg_list(request):
    """Senior leaders and safeguarding leads only. Every view of the list is in the access log: it is
    a list of child victims, however pseudonymous."""
    require_perm(request.user, "partnerships.view_ictg_referrals")
    today = timezone.localdate()
    referrals = ICTGReferral.objects.all()
    if request.GET.get("overdue") == "1":
        referrals = referrals.review_overdue(today)
    page_obj = Paginator(referrals.order_by("next_review_on", "id"), 50).get_page(request.GET.get("page"))
    mark_page(request, *page_obj.object_list)
    log_access(
        request, AccessAction.CONSULT, object_type="partnerships.ictgreferral", object_repr="ICTG referrals list"
    )
    return page(
        request,
        "partnerships/ictg_list.html",
        {
            "page": page_obj,
            "today": today,
            "open_statuses": [s.value for s in ICTG_OPEN],
            "overdue_only": request.GET.get("overdue") == "1",
            "overdue_count": ICTGReferral.objects.review_overdue(today).count(),
            "may_add": request.user.has_perm("partnerships.add_ictgreferral"),
            "may_change": request.user.has_perm("partnerships.change_ictgreferral"),
            "breadcrumbs": [(ICTG[0], "")],
        },
    )


def ictg_create(request):
    require_perm(request.user, "partnerships.view_ictg_referrals")
    return _register_edit(
        request,
        model=ICTGReferral,
        form_class=ICTGForm,
        pk=None,
        perm="partnerships.add_ictgreferral",
        crumb=ICTG,
        noun="ICTG referral",
    )


def ictg_edit(request, pk):
    require_perm(request.user, "partnerships.view_ictg_referrals")
    return _register_edit(
        request,
        model=ICTGReferral,
        form_class=ICTGForm,
        pk=pk,
        perm="partnerships.change_ictgreferral",
        crumb=ICTG,
        noun="ICTG referral",
    )


def ictg_history(request, pk):
    require_perm(request.user, "partnerships.view_ictg_referrals")
    obj = get_internal_record(request.user, ICTGReferral, pk, perm="partnerships.view_ictg_referrals")
    return render_history(request, obj, back_url=ICTG[1], breadcrumbs=[ICTG, ("History", "")])
