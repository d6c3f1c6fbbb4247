"""The foundation's own pages."""

from tests.matrix import ALL_ROLES, INTERNAL, Row, allow


def build(world):
    from django.contrib.contenttypes.models import ContentType

    from learning.models import Lesson
    from tests.learning.factories import make_lesson

    if not hasattr(world, "pii_lesson"):
        world.pii_lesson = make_lesson(world.users["analyst"], title="Matrix lesson")
        world.lesson_type = ContentType.objects.get_for_model(Lesson).pk


def _redact_kwargs(w):
    return {"content_type_id": w.lesson_type, "pk": w.pii_lesson.pk}


ROWS = [
    Row("home", allow(*ALL_ROLES)),
    Row("healthz", allow(*ALL_ROLES, anon=200)),
    Row("accessibility", allow(*ALL_ROLES)),
    Row("glossary", allow(*ALL_ROLES)),
    # A panel's full page: internal roles; a partner does not see the panel, so it does not exist for them.
    Row("dashboard-panel", allow(*INTERNAL, refused=404), kwargs=lambda w: {"key": "strategy-measures"}),
    Row("dashboard-panel", allow(refused=404), kwargs=lambda w: {"key": "no-such-panel"}, id="unknown"),
    Row("access-log", allow("leader", "admin")),
    Row("login", allow(ok=302, refused=302, anon=200)),  # signed-in users are sent on to their dashboard
    Row("logout", allow(*ALL_ROLES, ok=302, refused=302), method="post"),
    Row("password_change", allow(*ALL_ROLES)),
    Row("password_change_done", allow(*ALL_ROLES)),
    # Two-step pages: with MFA off (test settings) a signed-in user has nothing to do there and is sent on.
    Row("mfa-verify", allow(ok=302, refused=302)),
    Row("mfa-recovery", allow(ok=302, refused=302)),
    Row("mfa-enrol", allow(ok=302, refused=302)),
    Row("mfa-setup", allow(ok=302, refused=302)),
    Row("mfa-recovery-codes", allow(ok=302, refused=302)),
    # Data protection: the overview and redaction need the DPO permission (admins; or granted by name).
    Row("data-protection", allow("admin")),
    Row("data-protection-redact", allow("admin"), kwargs=_redact_kwargs),
    Row(
        "data-protection-redact",
        allow("admin", ok=302),  # refused to everyone else; the admin's redaction is rolled back
        kwargs=_redact_kwargs,
        method="post",
        data=lambda w: {"field": "title", "reason": "test"},
        id="post",
    ),
    # Reviews: every internal user sees the list (their own records); partners never.
    Row("retention-reviews", allow(*INTERNAL)),
    # Deciding on one record: senior leaders, the DPO and the record's owner (the analyst here).
    Row(
        "retention-review",
        allow("leader", "admin", "analyst"),
        kwargs=lambda w: {"kind": "learning.lesson", "pk": w.pii_lesson.pk},
    ),
    Row("session-extend", allow(*ALL_ROLES, ok=302), method="post", data=lambda w: {"next": "/"}),
]
