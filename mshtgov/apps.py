from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "mshtgov"
    verbose_name = "MSHT Governance core"

    def ready(self):
        from mshtgov import navigation
        from mshtgov.roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="mshtgov-sync-role-permissions")
        navigation.register(navigation.NavItem("Dashboard", "home", 0, section_prefix="/"))
        navigation.register(navigation.NavItem("Access log", "access-log", 90, section_prefix="/audit/"))
        from mshtgov import citations

        citations.register()
        from mshtgov import checks, db, signals  # noqa: F401  (deploy checks, connection set-up, security log)
        from mshtgov.personal_data import tasks  # noqa: F401  (the monthly retention job)
        from mshtgov.roles import Role, grant

        grant(Role.SENIOR_LEADER, "mshtgov.review_retention")
        navigation.register(
            navigation.NavItem("Data protection", "data-protection", 95, section_prefix="/data-protection")
        )
        from mshtgov.summaries import connect_invalidation

        connect_invalidation()
        from mshtgov import authcache

        authcache.connect()  # cached signed-in users are void when their grants change
