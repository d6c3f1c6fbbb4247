from mshtgov import registration


class LearningConfig(registration.DomainAppConfig):
    """Start-up is learning/registration.py."""

    name = "learning"
    verbose_name = "Learning"
