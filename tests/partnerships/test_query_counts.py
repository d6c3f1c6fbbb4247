"""Lists and detail pages run the same number of queries however many records there are."""

import pytest
from django.urls import reverse

from partnerships.models import PartnerOrganisation
from tests.partnerships.factories import make_agreement, make_partnership, make_registers, two_partnerships
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _grow(w, users, n=3):
    def grow():
        coordinator = users["coordinator"]
        for _ in range(n):
            _counter["n"] += 1
            i = _counter["n"]
            org = PartnerOrganisation.objects.create(name=f"Grown org {w.p1.pk}-{i}", kind="ngo")
            p = make_partnership(f"Grown partnership {i}", by=coordinator, members=[w.partner_org, org])
            make_agreement(p, by=coordinator, title=f"Grown ISA {i}", parties=[w.partner_org, org])
            make_agreement(w.p1, by=coordinator, title=f"Grown P1 ISA {i}", parties=[w.partner_org, org])

    return grow


@pytest.mark.parametrize("role", ["partner", "coordinator"])
def test_partnership_and_agreement_lists_are_constant(users, client_for, role):
    w = two_partnerships(users)
    client = client_for(role)
    assert_constant_queries(client, reverse("partnerships:partnership-list"), _grow(w, users))
    assert_constant_queries(client, reverse("partnerships:agreement-list"), _grow(w, users))


def test_partnership_detail_is_constant(users, client_for):
    w = two_partnerships(users)
    assert_constant_queries(
        client_for("partner"), reverse("partnerships:partnership-detail", args=[w.p1.pk]), _grow(w, users)
    )


def test_registers_are_constant(users, client_for):
    make_registers(users)
    client = client_for("leader")
    for name in ("notification-list", "support-list", "ictg-list"):
        assert_constant_queries(client, reverse(f"partnerships:{name}"), lambda: make_registers_more(users))


_counter = {"n": 0}


def make_registers_more(users):
    from datetime import timedelta

    from django.utils import timezone

    from partnerships.models import ICTGReferral, SafeguardingNotification, SupportService

    today = timezone.localdate()
    for _ in range(3):
        _counter["n"] += 1
        n = _counter["n"]
        SafeguardingNotification.objects.create(
            incident_reference=f"MSHT-Q-{n:04d}",
            incident_recorded_on=today - timedelta(days=3),
            body="mash",
            notified_by=users["coordinator"],
            notified_on=today,
        )
        SupportService.objects.create(
            name=f"Extra {n}", stage="children", commissioned_by="pcc", funded_by="pcc", capacity=2, start_date=today
        )
        ICTGReferral.objects.create(child_reference=f"CH-Q-{n:04d}", referred_on=today, ictg_service="ICTG")
