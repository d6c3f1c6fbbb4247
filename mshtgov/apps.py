from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "mshtgov"
    verbose_name = "MSHT Governance core"

    def ready(self):
        from mshtgov import navigation
        from mshtgov.roles import Role, has_role, sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="mshtgov-sync-role-permissions")
        navigation.register(navigation.NavItem("Dashboard", "home", 0, lambda u: u.is_authenticated, "/"))
        navigation.register(
            navigation.NavItem("Access log", "access-log", 90, lambda u: has_role(u, Role.SENIOR_LEADER), "/audit/")
        )
        from mshtgov import checks, db, signals  # noqa: F401  (deploy checks, connection set-up, security log)
        from mshtgov.summaries import connect_invalidation

        connect_invalidation()
