from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self):
        from learning import demo, pack_since, panels
        from learning.permissions import grant_roles, sees_learning
        from mshtgov import demo as demo_registry
        from mshtgov import navigation

        grant_roles()
        navigation.register(navigation.NavItem("Learning", "learning:index", 50, sees_learning, "/learning/"))
        panels.register_panels()
        pack_since.register()
        demo_registry.register(50, "learning", demo.seed)
