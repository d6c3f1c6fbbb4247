"""Issue 15: a training product's edit form, before any input, is served from the reader's page cache
(`mshtgov.pages.cached_edit_page`). What a user would check: the same form hit or miss, drawn once; a save shows
at once (and says so with the name as saved); a refused reader is refused every time with nothing kept; a post
with bad input names the field and saves nothing."""

import pytest
from django.urls import reverse

from learning.models import TrainingProduct
from learning.services.catalogue import product_save
from tests.drawn_form_support import posted_values
from tests.learning.factories import AWARENESS, product
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page

pytestmark = pytest.mark.django_db


def _url(item):
    return reverse("learning:product-edit", args=[item.pk])


def _kept(stored, item):
    return [key for key in stored if key.startswith(f"page:form:learning:product:{item.pk}:")]


def test_the_product_form_the_same_hit_or_miss_and_a_save_shows_at_once(client_for, users, stored):
    item = product(AWARENESS)
    client = client_for("analyst")
    first, second = _page(client.get(_url(item))), _page(client.get(_url(item)))
    assert same_page(first) == same_page(second)
    assert f"<title>Edit {item.name} – " in first and "Save the product" in first
    assert len(_kept(stored, item)) == 1  # drawn once

    item.provider = "College of Policing, revised"
    product_save(product=item, audience=item.audience.all(), by=users["analyst"], reason="Provider renamed")
    assert 'value="College of Policing, revised"' in _page(client.get(_url(item)))


def test_a_save_through_the_kept_form_says_so_with_the_new_name(client_for):
    item = product(AWARENESS)
    client = client_for("analyst")
    _page(client.get(_url(item)))  # kept
    html = _page(client.get(_url(item)))  # a hit
    response = client.post(
        _url(item), posted_values(html, name="Awareness of exploitation", change_reason="Shorter"), follow=True
    )
    assert response.redirect_chain[0][0] == reverse("learning:product-list")
    assert "“Awareness of exploitation” updated." in response.content.decode()
    assert TrainingProduct.objects.get(pk=item.pk).name == "Awareness of exploitation"


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("pcc", 403), ("partner", 403), ("anon", 302)])
def test_the_product_form_refused_every_time_nothing_kept(client_for, stored, role, status):
    item = product(AWARENESS)
    client = client_for(role)
    for _ in range(2):
        assert client.get(_url(item)).status_code == status
    assert not [key for key in stored if key.startswith("page:form:")]


def test_a_product_posted_without_a_name_names_the_field_and_saves_nothing(client_for):
    item = product(AWARENESS)
    name = item.name
    client = client_for("analyst")
    html = _page(client.post(_url(item), posted_values(_page(client.get(_url(item))), name="", change_reason="x")))
    assert "<title>Error: Edit " in html and 'href="#id_name"' in html
    assert TrainingProduct.objects.get(pk=item.pk).name == name
