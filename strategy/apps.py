from mshtgov.registration import DomainAppConfig


class StrategyConfig(DomainAppConfig):
    """Start-up is strategy/registration.py."""

    name = "strategy"
    verbose_name = "Strategy and performance"
