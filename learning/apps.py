from mshtgov.registration import DomainAppConfig


class LearningConfig(DomainAppConfig):
    """Start-up is learning/registration.py."""

    name = "learning"
    verbose_name = "Learning"
