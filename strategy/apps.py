from mshtgov import registration


class StrategyConfig(registration.DomainAppConfig):
    """Start-up is strategy/registration.py."""

    name = "strategy"
    verbose_name = "Strategy and performance"
