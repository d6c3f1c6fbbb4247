from mshtgov import registration


class GovernanceConfig(registration.DomainAppConfig):
    """Start-up is governance/registration.py."""

    name = "governance"
