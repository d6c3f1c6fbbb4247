"""The training catalogue: national products are there from the start; analysts add and edit local ones."""

import pytest
from django.urls import reverse

from learning.models import RoleGroup, TrainingProduct
from tests.drawn_form_support import posted_values

pytestmark = pytest.mark.django_db


def test_the_three_national_products_of_the_guidance_are_listed(client_for):
    page = client_for("pcc").get(reverse("learning:product-list")).content.decode()
    for name in (
        "Modern slavery general awareness presentation",
        "MSHT investigator national policing curriculum",
        "Frontline e-learning on modern slavery",
    ):
        assert name in page
    assert TrainingProduct.objects.filter(national=True).count() == 3


def test_analyst_adds_a_local_product_and_its_audience_is_in_the_history(client_for, users):
    groups = RoleGroup.objects.filter(code__in=["frontline", "staff"])
    client = client_for("analyst")
    response = client.post(
        reverse("learning:product-create"),
        {
            "name": "Control room MSHT call handling",
            "code": "control-room-msht",
            "provider": "Force learning team",
            "audience": [g.pk for g in groups],
            "refresher_months": "12",
            "target_percent": "95",
            "active": "on",
        },
    )
    assert response.status_code == 302
    product = TrainingProduct.objects.get(code="control-room-msht")
    assert product.audience_names == "Frontline, Staff"
    page = client.get(reverse("learning:product-edit", args=[product.pk])).content.decode()  # served from the cache
    response = client.post(
        reverse("learning:product-edit", args=[product.pk]),
        {
            "name": product.name,
            "code": product.code,
            "provider": product.provider,
            "audience": [RoleGroup.objects.get(code="staff").pk],
            "refresher_months": "12",
            "target_percent": "95",
            "active": "on",
            "change_reason": "Frontline take the e-learning instead",
            "seen_version": posted_values(page)["seen_version"],
        },
    )
    assert response.status_code == 302
    latest = product.history.order_by("-history_date").first()
    assert latest.audience_names == "Staff" and latest.history_user == users["analyst"]
    assert latest.history_change_reason == "Frontline take the e-learning instead"


def test_a_product_target_over_100_is_refused(client_for):
    response = client_for("analyst").post(
        reverse("learning:product-create"),
        {"name": "X", "code": "x-product", "audience": [RoleGroup.objects.first().pk], "target_percent": "150"},
    )
    assert "less than or equal to 100" in response.content.decode()
    assert not TrainingProduct.objects.filter(code="x-product").exists()
