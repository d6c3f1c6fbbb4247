from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy and performance"

    def ready(self):
        from strategy import registration

        registration.register_all()
