"""Thin receivers: another app's event in, one service call out."""

from django.dispatch import receiver

from shop.institutions.signals import quote_accepted

from .services.made_to_order import commissions_plan


@receiver(quote_accepted, dispatch_uid="commissions_plan_on_quote_accepted")
def plan_commissions(sender, quote, orders, **kwargs):
    # Inside the acceptance's transaction: a failure here places nothing.
    commissions_plan(quote=quote, orders=orders)
