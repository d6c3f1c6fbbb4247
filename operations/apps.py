from mshtgov import registration


class OperationsConfig(registration.DomainAppConfig):
    """Start-up is operations/registration.py."""

    name = "operations"
    verbose_name = "Operations"
