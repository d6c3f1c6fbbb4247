"""Keeping the training catalogue."""

from django.db import transaction

from learning.models import TrainingProduct
from mshtgov.tracking import save_tracked


@transaction.atomic
def product_save(*, product: TrainingProduct, audience, by, reason: str) -> TrainingProduct:
    """Create or update a product and who it is for."""
    product.audience_names = ", ".join(group.name for group in sorted(audience, key=lambda g: (g.order, g.name)))
    save_tracked(product, by=by, reason=reason)
    product.audience.set(audience)
    return product
