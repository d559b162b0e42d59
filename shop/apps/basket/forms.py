from django.utils.translation import gettext as _
from oscar.apps.basket import forms as oscar_forms
from oscar.apps.basket.forms import *  # noqa: F403  (the forms we keep as they are)


class BasketLineForm(oscar_forms.BasketLineForm):
    """Oscar's basket line form; its quantity box is drawn without a visible label, so it
    is named for screen readers after the product it counts (axe: label)."""

    def __init__(self, strategy, *args, **kwargs):
        super().__init__(strategy, *args, **kwargs)
        if self.instance.id:
            self.fields["quantity"].widget.attrs["aria-label"] = _("Quantity of %(product)s") % {
                "product": self.instance.product.get_title()
            }
