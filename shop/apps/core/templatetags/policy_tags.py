"""The permission policy in templates: offer only what the policy lets the user do."""

from django import template

from shop.apps.core.policy import user_may_post

register = template.Library()


@register.simple_tag(takes_context=True)
def policy_status_choices(context, form, url_name="dashboard:order-detail"):
    """Drop from Oscar's order status form the statuses this user may not set (workshop
    staff are not offered "Paid"); the policy refuses them on POST as well."""
    user = context["request"].user
    field = form.fields["new_status"]
    field.choices = [
        (value, label)
        for value, label in field.choices
        if user_may_post(
            user, url_name, {"order_action": "change_order_status", "new_status": value}
        )
    ]
    return ""


@register.simple_tag(takes_context=True)
def policy_line_statuses(context, line_statuses, url_name="dashboard:order-detail"):
    """The line statuses offered on the order page: "Paid" only to whoever may set the
    order Paid (a line marked paid records no payment, and would read as one)."""
    from shop.apps.order import statuses

    user = context["request"].user
    return [
        status
        for status in line_statuses
        if status != statuses.PAID
        or user_may_post(
            user, url_name, {"order_action": "change_order_status", "new_status": status}
        )
    ]
