"""Per-connection set-up: the access log's maintenance switch (see migration 0002)."""

from django.conf import settings
from django.db.backends.signals import connection_created
from django.dispatch import receiver


def _maintenance_on() -> int:
    return 1 if getattr(settings, "ACCESS_LOG_MAINTENANCE", False) else 0


@receiver(connection_created, dispatch_uid="mshtgov-connection-setup")
def _connection_setup(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        # Read at call time, so a test can switch maintenance off to prove the log is append-only.
        connection.connection.create_function("mshtgov_maintenance", 0, _maintenance_on, deterministic=False)
    elif connection.vendor == "postgresql" and _maintenance_on():
        with connection.cursor() as cursor:
            cursor.execute("SET mshtgov.maintenance = 'on'")
