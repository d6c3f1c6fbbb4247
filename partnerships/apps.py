from mshtgov import registration


class PartnershipsConfig(registration.DomainAppConfig):
    """Start-up is partnerships/registration.py."""

    name = "partnerships"
