import logging

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse

from mshtgov.mfa import enrolment
from mshtgov.mfa.devices import confirmed_app_device, reset_devices
from mshtgov.models import AccessLog
from mshtgov.sessions import end_sessions

User = get_user_model()
security_log = logging.getLogger("security")


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only, for admins as for everyone."""

    list_display = ("at", "username", "action", "object_type", "object_repr", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_repr", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _log_admin_action(request, queryset, message: str, *, event: str, sessions: int) -> None:
    """One security-log line: which admin did what to which users, and how many sessions it ended."""
    targets = list(queryset.values_list("pk", flat=True))
    extra = {"event": event, "user_id": request.user.pk, "targets": targets, "sessions": sessions}
    security_log.info(message, extra=extra)


@admin.action(description="End all sessions of the selected users (they must sign in again)")
def end_selected_users_sessions(modeladmin, request, queryset):
    ended = end_sessions(queryset)
    _log_admin_action(request, queryset, "sessions ended by an admin", event="sessions_ended", sessions=ended)
    modeladmin.message_user(request, f"Ended {ended} session{'s' if ended != 1 else ''}.", messages.SUCCESS)


def enrolment_codes_page(modeladmin, request, users, *, done: str = ""):
    """Issue each user a one-time enrolment code and show the codes, once, to the admin who issued them
    (a page, not a message: messages may be kept in a cookie)."""
    issued = [(user, *enrolment.issue(user, by=request.user)) for user in users]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Two-step enrolment codes",
        "done": done,
        "issued": [(user, code, row.expires_at) for user, code, row in issued],
        "hours": int(enrolment.lifetime().total_seconds() // 3600),
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/mshtgov/enrolment_codes.html", context)


@admin.action(description="Issue a two-step enrolment code to the selected users (to set up their authenticator)")
def issue_enrolment_codes(modeladmin, request, queryset):
    return enrolment_codes_page(modeladmin, request, list(queryset))


@admin.action(description="Reset two-step sign-in of the selected users (they set it up again and must sign in again)")
def reset_selected_users_two_step(modeladmin, request, queryset):
    """For a lost or replaced phone. The user's sessions end too, so none stays verified by the old app; each
    user gets an enrolment code, without which their password alone would let anyone set up a new app."""
    devices = reset_devices(queryset)
    ended = end_sessions(queryset)
    _log_admin_action(request, queryset, "two-step sign-in reset by an admin", event="mfa_reset", sessions=ended)
    done = (
        f"Reset two-step sign-in ({devices} device{'s' if devices != 1 else ''} removed) and ended "
        f"{ended} session{'s' if ended != 1 else ''}."
    )
    return enrolment_codes_page(modeladmin, request, list(queryset), done=done)


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, plus ending a user's sessions (docs/SECURITY.md SESS-4) and resetting their
    two-step sign-in (AUTH-5). Deactivating an account already refuses its sessions on their next
    request; ending sessions is for a suspected compromise."""

    actions = [
        *DjangoUserAdmin.actions,
        end_selected_users_sessions,
        reset_selected_users_two_step,
        issue_enrolment_codes,
    ]

    def response_add(self, request, obj, post_url_continue=None):
        """A new account has no authenticator: its enrolment code is shown with the confirmation."""
        response = super().response_add(request, obj, post_url_continue)
        if response.status_code == 302 and "_popup" not in request.POST:
            return enrolment_codes_page(self, request, [obj], done=f"The account {obj} was added.")
        return response

    def user_change_password(self, request, id, form_url=""):
        """An admin's password reset for someone with no authenticator issues their enrolment code too."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None and confirmed_app_device(user) is None:
                return enrolment_codes_page(self, request, [user], done=f"The password of {user} was changed.")
        return response


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
