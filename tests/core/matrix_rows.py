"""The foundation's own pages."""

from tests.matrix import ALL_ROLES, Row, allow

ROWS = [
    Row("home", allow(*ALL_ROLES)),
    Row("healthz", allow(*ALL_ROLES, anon=200)),
    Row("accessibility", allow(*ALL_ROLES)),
    Row("access-log", allow("leader", "admin")),
    Row("login", allow(ok=302, refused=302, anon=200)),  # signed-in users are sent on to their dashboard
    Row("logout", allow(*ALL_ROLES, ok=302, refused=302), method="post"),
    Row("password_change", allow(*ALL_ROLES)),
    Row("password_change_done", allow(*ALL_ROLES)),
    # Two-step pages: with MFA off (test settings) a signed-in user has nothing to do there and is sent on.
    Row("mfa-verify", allow(ok=302, refused=302)),
    Row("mfa-recovery", allow(ok=302, refused=302)),
    Row("mfa-setup", allow(ok=302, refused=302)),
    Row("mfa-recovery-codes", allow(ok=302, refused=302)),
    Row("session-extend", allow(*ALL_ROLES, ok=302), method="post", data=lambda w: {"next": "/"}),
]
