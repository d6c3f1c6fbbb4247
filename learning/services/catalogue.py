"""Keeping the training catalogue."""

from django.db import transaction

from learning.models import TrainingProduct


@transaction.atomic
def product_save(*, product: TrainingProduct, audience, by, reason: str) -> TrainingProduct:
    """Create or update a product and who it is for."""
    product.audience_names = ", ".join(group.name for group in sorted(audience, key=lambda g: (g.order, g.name)))
    product.full_clean()
    product._history_user = by
    product._change_reason = reason
    product.save()
    product.audience.set(audience)
    return product
