"""Writing the access log. Views call these after they have authorised the request."""

from django.db import models

from mshtgov.models import AccessAction, AccessLog


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: a client-supplied X-Forwarded-For must not be able to forge the log.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def log_access(
    request,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    recipients: str = "",
    detail: dict | None = None,
    user=None,
    marking: str = "",
) -> AccessLog:
    """Append one row to the access log for what `user` (or the request's user) did."""
    user = user if user is not None else getattr(request, "user", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    return AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        action=AccessAction(action),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        marking=marking or getattr(obj, "marking", "") or "",
        path=(request.get_full_path()[:500] if request is not None else ""),
        ip_address=_client_ip(request),
        recipients=recipients,
        detail=detail or {},
    )


def log_consult_if_sensitive(request, obj) -> None:
    """Viewing an OFFICIAL-SENSITIVE record is logged; viewing an OFFICIAL one is not (volume)."""
    if getattr(obj, "is_sensitive", False):
        log_access(request, AccessAction.CONSULT, obj)
