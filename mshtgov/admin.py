import logging

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from mshtgov.mfa.devices import reset_devices
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


@admin.action(description="Reset two-step sign-in of the selected users (they set it up again and must sign in again)")
def reset_selected_users_two_step(modeladmin, request, queryset):
    """For a lost or replaced phone. The user's sessions end too, so none stays verified by the old app."""
    devices = reset_devices(queryset)
    ended = end_sessions(queryset)
    _log_admin_action(request, queryset, "two-step sign-in reset by an admin", event="mfa_reset", sessions=ended)
    modeladmin.message_user(
        request,
        f"Reset two-step sign-in ({devices} device{'s' if devices != 1 else ''} removed) and ended "
        f"{ended} session{'s' if ended != 1 else ''}.",
        messages.SUCCESS,
    )


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, plus ending a user's sessions (docs/SECURITY.md SESS-4) and resetting their
    two-step sign-in (AUTH-5). Deactivating an account already refuses its sessions on their next
    request; ending sessions is for a suspected compromise."""

    actions = [*DjangoUserAdmin.actions, end_selected_users_sessions, reset_selected_users_two_step]


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
