from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"

    def ready(self):
        from mshtgov import demo
        from partnerships import demo as partnerships_demo

        demo.register(10, "partnerships-organisations", partnerships_demo.seed)
