"""Oscar's order dashboard forms, offering statuses by their label in the user's language.

Oscar stores a status as its English text and offers it as its own label; the stored
value stays as it is (the pipeline, services and reports compare it), only what staff
read is translated (shop.apps.order.statuses.LABELS).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import forms as oscar_forms
from oscar.apps.dashboard.orders.forms import *  # noqa: F403
from oscar.core.loading import get_model

from shop.apps.order import statuses
from shop.payments.providers import source_type_label

Order = get_model("order", "Order")


def _status_choices(values):
    return [(value, statuses.LABELS.get(value, value)) for value in values]


class OrderSearchForm(oscar_forms.OrderSearchForm):
    status = forms.ChoiceField(
        choices=[("", "---------"), *_status_choices(Order.all_statuses())],
        label=_("Status"),
        required=False,
    )

    def payment_method_choices(self):
        # Oscar offers the payment source types by their stored names: each is shown in
        # the reader's language (shop.payments.providers.source_type_label).
        return tuple(
            (value, source_type_label(label) if value else label)
            for value, label in super().payment_method_choices()
        )


class OrderStatusForm(oscar_forms.OrderStatusForm):
    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        self.fields["new_status"].choices = _status_choices(order.available_statuses())
