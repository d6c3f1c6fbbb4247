"""Issue 15: the training catalogue is drawn once per reader and day, then served from the cache
(mshtgov.page_cache) until anything it read changes. What a reader checks: the same page twice, a product
renamed or a completion recorded shown at once, the edit links only for those who may edit."""

import re
from datetime import date

import pytest
from django.urls import reverse

from learning.models import TrainingProduct
from tests.learning.factories import record

pytestmark = pytest.mark.django_db

LIST = reverse("learning:product-list")


def _text(response) -> str:
    assert response.status_code == 200
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", response.content.decode())
    return re.sub(r'data-session-timeout="\d+"', "", text)


def _completions(page: str, name: str) -> str:
    row = page[page.index(name) :]
    row = row[: row.index("</tr>")]
    return re.findall(r'numeric">(\d+)</td>', row)[-1]


@pytest.mark.parametrize("role", ["analyst", "pcc", "leader"])
def test_the_same_page_hit_or_miss(client_for, role):
    client = client_for(role)
    first, second = _text(client.get(LIST)), _text(client.get(LIST))
    assert first == second
    assert "Frontline e-learning on modern slavery" in first


def test_a_change_shows_at_once(client_for):
    product = TrainingProduct.objects.filter(national=True).order_by("name").first()
    client = client_for("analyst")
    assert _completions(_text(client.get(LIST)), product.name) == "0"
    record("S1001", product.code, date(2026, 1, 5))
    assert _completions(_text(client.get(LIST)), product.name) == "1"
    product.name = "Renamed awareness product"
    product.save()
    page = _text(client.get(LIST))
    assert "Renamed awareness product" in page and _completions(page, "Renamed awareness product") == "1"


def test_edit_links_only_for_those_who_may_edit(client_for):
    product = TrainingProduct.objects.first()
    edit = reverse("learning:product-edit", args=[product.pk])
    for _ in range(2):
        assert edit in _text(client_for("analyst").get(LIST))
        assert edit not in _text(client_for("pcc").get(LIST))
