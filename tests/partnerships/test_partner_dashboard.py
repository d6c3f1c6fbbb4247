"""An external partner's dashboard shows their own partnerships, and no other."""

from partnerships.models import Partnership
from tests.partnerships.factories import make_partnership


def test_partner_dashboard_lists_only_their_partnerships(users, client_for):
    own = make_partnership(
        "Harbour Forum", by=users["coordinator"], members=[users["partner"].partner_profile.organisation]
    )
    make_partnership("Elsewhere Network", by=users["coordinator"], members=[])
    body = client_for("partner").get("/").content.decode()
    assert "Your partnerships" in body
    assert own.name in body
    assert "Elsewhere Network" not in body
    assert Partnership.objects.count() == 2


def test_internal_users_do_not_get_the_partner_panel(client_for):
    assert "Your partnerships" not in client_for("coordinator").get("/").content.decode()
