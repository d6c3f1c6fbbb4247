from mshtgov import registration


class InspectionConfig(registration.DomainAppConfig):
    """Start-up is inspection/registration.py."""

    name = "inspection"
    verbose_name = "Inspection readiness"
