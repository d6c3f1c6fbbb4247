from mshtgov.registration import DomainAppConfig


class PartnershipsConfig(DomainAppConfig):
    """Start-up is partnerships/registration.py."""

    name = "partnerships"
