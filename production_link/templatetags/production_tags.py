from django import template

from ..selectors import product_batch_cost_basis

register = template.Library()


@register.simple_tag
def batch_cost_basis(product):
    """Per-unit materials cost and labour hours of the product's recent batches."""
    if product is None or not product.pk:
        return None
    return product_batch_cost_basis(product=product)
