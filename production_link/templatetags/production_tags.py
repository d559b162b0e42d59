from django import template

from ..selectors import product_batch_cost_basis

register = template.Library()


@register.simple_tag
def batch_cost_basis(product):
    """Per-unit materials cost and labour hours of the product's recent batches."""
    if not getattr(product, "pk", None):  # the create page has no product yet
        return None
    return product_batch_cost_basis(product=product)
