"""The training catalogue: products, who they are for, how often they need refreshing."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from learning.forms.training import ProductForm
from learning.models import TrainingProduct
from learning.services.catalogue import product_save
from mshtgov import page_cache
from mshtgov.access import get_visible_or_404, require
from mshtgov.pages import cached_edit_page


def _crumbs(*extra):
    return [("Learning", reverse("learning:index")), ("Training catalogue", reverse("learning:product-list")), *extra]


@require(perms=("learning.view_trainingproduct",))
def product_list(request):
    # Drawn once per reader and day (issue 15: counting every product's completions over all the training
    # records was most of the page), built watched so a product changed or a completion recorded shows at once.
    entry = page_cache.listing(request, "learning:products", lambda: _product_page(request))
    return render(
        request,
        "learning/product_list.html",
        {
            "body_html": mark_safe(entry["body_html"]),  # noqa: S308 - drawn by learning/includes/product_list_body.html
            "breadcrumbs": [("Learning", reverse("learning:index")), ("Training catalogue", "")],
        },
    )


def _product_page(request) -> dict:
    products = TrainingProduct.objects.prefetch_related("audience").annotate(completions=Count("records"))
    body = render_to_string(
        "learning/includes/product_list_body.html",
        {
            "products": products,
            "may_edit": request.user.has_perm("learning.change_trainingproduct"),
            "may_add": request.user.has_perm("learning.add_trainingproduct"),
        },
    )
    return {"body_html": body}


def _form_page(request, form, title):
    return render(
        request, "learning/product_form.html", {"form": form, "title": title, "breadcrumbs": _crumbs((title, ""))}
    )


@require(perms=("learning.add_trainingproduct",))
def product_create(request):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        product = product_save(
            product=form.instance, audience=form.cleaned_data["audience"], by=request.user, reason="Product added"
        )
        messages.success(request, f"“{product.name}” added to the catalogue.")
        return redirect("learning:product-list")
    return _form_page(request, form, "Add a training product")


@require(perms=("learning.change_trainingproduct",))
def product_edit(request, pk):
    # The form before any input, per reader, product and day, from the page cache (mshtgov.pages.cached_edit_page).
    def page():
        product = get_visible_or_404(TrainingProduct.objects.all(), pk)
        form = ProductForm(request.POST or None, instance=product)
        title = f"Edit {product.name}"
        return form, {
            "save": lambda f: product_save(  # a ValidationError: saved by someone else meanwhile
                product=f.instance,
                audience=f.cleaned_data["audience"],
                by=request.user,
                reason=f.cleaned_data["change_reason"],
            ),
            "success_url": reverse("learning:product-list"),
            "success_message": lambda _saved: f"“{product.name}” updated.",  # its name as saved
            "title": title,
            "breadcrumbs": _crumbs((title, "")),
            "template": "learning/product_form.html",
        }

    return cached_edit_page(request, f"learning:product:{int(pk)}", page)
