from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from oscar.apps.basket import views as oscar_views
from oscar.apps.basket.views import *  # noqa: F403  (the views we keep as they are)
from oscar.core.loading import get_class
from oscar.templatetags.currency_filters import currency

from shop.apps.core.policy import policy_required

from . import summary
from .selectors import buyer_order
from .services import basket_add_order_again

BasketMessageGenerator = get_class("basket.utils", "BasketMessageGenerator")
BasketMiddleware = get_class("basket.middleware", "BasketMiddleware")


class BasketView(oscar_views.BasketView):
    def get_basket_warnings(self, basket):
        """Oscar warns when a line's unit price differs from the price when the product
        was added. An institutional tier lowers the unit price as the quantity grows;
        that is not a price change, so the buyer is told which tier applies instead."""
        warnings = []
        for line in basket.all_lines():
            warning = line.get_warning()
            if warning and self.is_tier_price(basket, line):
                warning = _(
                    "Institutional price for “%(product)s”: %(price)s per unit for %(count)d units."
                ) % {
                    "product": line.product.get_title(),
                    "price": currency(line.unit_price_incl_tax, line.price_currency),
                    "count": line.quantity,
                }
            if warning:
                warnings.append(warning)
        return warnings

    @staticmethod
    def is_tier_price(basket, line) -> bool:
        info = line.purchase_info
        if not (info.price.exists and info.availability.is_available_to_buy):
            return False
        list_price = basket.strategy.fetch_for_product(line.product, line.stockrecord).price
        # The list price is what it was when added; only the quantity made it lower.
        return (
            list_price.exists
            and list_price.incl_tax == line.price_incl_tax
            and info.price.incl_tax < list_price.incl_tax
        )


@policy_required
@require_POST
def buy_again(request, order_number):
    """One click on a past order: its lines go back in the basket at today's prices."""
    order = buyer_order(user=request.user, number=order_number)
    if order is None:
        raise Http404
    result = basket_add_order_again(basket=request.basket, order=order)
    for title in result.unavailable:
        messages.warning(
            request, _("“%(title)s” is no longer available and was left out.") % {"title": title}
        )
    for title, wanted, added in result.fewer:
        messages.warning(
            request,
            _("Only %(added)d of the %(wanted)d “%(title)s” are in stock; those were added.")
            % {"added": added, "wanted": wanted, "title": title},
        )
    for title, then, now in result.repriced:
        messages.info(
            request,
            _("“%(title)s” costs %(now)s today (you paid %(then)s).")
            % {
                "title": title,
                "now": currency(now, order.currency),
                "then": currency(then, order.currency),
            },
        )
    if not result.units_added:
        messages.error(
            request,
            _("Nothing from order %(number)s can be bought today.") % {"number": order.number},
        )
        return redirect("customer:order", order_number=order.number)
    messages.success(
        request,
        ngettext(
            "%(count)d item from order %(number)s is in your basket at today's price.",
            "%(count)d items from order %(number)s are in your basket at today's prices.",
            result.units_added,
        )
        % {"count": result.units_added, "number": order.number},
    )
    return redirect("basket:summary")


class BasketAddView(oscar_views.BasketAddView):
    """Oscar's add to basket, with the same outcome (the line, the "added" and "new total"
    messages, the analytics signal) in about half the queries: the product comes with its
    class, stock records and whether it has options in one go, and when no offer can apply
    (no active site offer, no voucher on the basket) Oscar's offer pass, which reloads
    every line with its attributes and images, is skipped; the new total is then priced
    from the lines alone."""

    def post(self, request, *args, **kwargs):
        self.product = get_object_or_404(summary.product_for_basket(), pk=kwargs["pk"])
        # The basket as Oscar's middleware finds it (merging, cookies), without the offer
        # pass it runs when loading a basket in full: none can apply here.
        basket = BasketMiddleware(None).get_basket(request)
        basket.strategy = request.strategy
        self.offers_may_apply = summary.offers_may_apply(basket)
        if not self.offers_may_apply:
            request.basket = basket
        # Oscar's post() would fetch the product again.
        return super(oscar_views.BasketAddView, self).post(request, *args, **kwargs)

    def form_valid(self, form):
        basket = self.request.basket
        if self.offers_may_apply:
            return super().form_valid(form)
        options = form.cleaned_options() if form.product.has_options else []
        self.line, self.line_created = basket.add_product(
            form.product, form.cleaned_data["quantity"], options
        )
        messages.success(self.request, self.get_success_message(form), extra_tags="safe noicon")
        new_total = render_to_string(
            BasketMessageGenerator.new_total_template_name,
            {"basket": summary.priced_from_lines(basket), "include_buttons": True},
        )
        messages.info(self.request, new_total, extra_tags="safe noicon")
        self.add_signal.send(
            sender=self, product=form.product, user=self.request.user, request=self.request
        )
        return redirect(self.get_success_url())
