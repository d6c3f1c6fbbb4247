from mshtgov.registration import DomainAppConfig


class GovernanceConfig(DomainAppConfig):
    """Start-up is governance/registration.py."""

    name = "governance"
