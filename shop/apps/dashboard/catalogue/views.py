"""Karya's product page in the dashboard: Oscar's view, plus the prices and cost
section (saved through catalog.services.product_pricing_set, with its history and the
below-cost confirmation), the compliance summary and the price history.

Scoping by Lapas is Oscar's: a user who is not central staff only reaches products with
a stock record of a Lapas they belong to (PartnerProductFilterMixin), and the form only
offers their own Lapas's workshops and stock records."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from oscar.apps.dashboard.catalogue import views as oscar_views
from oscar.apps.dashboard.catalogue.views import *  # noqa: F403  (the views we keep)
from oscar.core.loading import get_classes

from catalog import compliance, pricing, selectors, services

ProductPricingForm, PriceTierFormSet = get_classes(
    "dashboard.catalogue.forms", ("ProductPricingForm", "PriceTierFormSet")
)


class ProductCreateUpdateView(oscar_views.ProductCreateUpdateView):
    pricing_form = None
    tier_formset = None

    def get_object(self, queryset=None):
        # Oscar looks the parent of a new variant up among all products: a variant goes
        # under a parent the user may see (their own Lapas's), else it is a 404.
        parent_pk = self.kwargs.get("parent_pk")
        if "pk" not in self.kwargs and parent_pk is not None:
            get_object_or_404(self.get_queryset(), pk=parent_pk)
        return super().get_object(queryset)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    @property
    def has_pricing(self):
        # A parent product has no stock records: its variants carry the prices.
        return not (self.object is not None and self.object.is_parent)

    def current_pricing(self):
        if self.object is None or self.object.pk is None:
            return pricing.PricingState()
        return selectors.pricing_state(self.object)

    def build_pricing_forms(self, data=None):
        state = self.current_pricing()
        initial = {
            "price_online": state.online,
            "price_gallery": state.gallery,
            "price_exhibition": state.exhibition,
            "cost_materials": state.cost_materials,
            "cost_labor": state.cost_labor,
        }
        tiers = [{"min_quantity": q, "price": p} for q, p in sorted(state.tiers.items())]
        self.pricing_form = ProductPricingForm(data, prefix="pricing", initial=initial)
        self.tier_formset = PriceTierFormSet(data, prefix="tiers", initial=tiers)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        product = self.object
        ctx["has_pricing"] = self.has_pricing
        if self.has_pricing:
            if self.pricing_form is None:
                self.build_pricing_forms()
            ctx["pricing_form"] = self.pricing_form
            ctx["tier_formset"] = self.tier_formset
            ctx["margins"] = self.margins()
        if product is not None and product.pk is not None:
            ctx["price_history"] = selectors.price_history(product)
            ctx["missing_facts"] = compliance.missing_facts(product)
            ctx["rule_set"] = compliance.rule_set(product)
            ctx["producer_line"] = product.producer_line
        return ctx

    def margins(self):
        state = self.current_pricing()
        cost = state.unit_cost
        rows = []
        for channel, min_quantity, price in state.prices():
            if price is None:
                continue
            found = pricing.margin(price, cost)
            rows.append(
                {
                    "label": pricing.price_label(channel, min_quantity),
                    "price": price,
                    "margin": found[0] if found else None,
                    "percent": found[1] if found else None,
                    "below_cost": found is not None and found[0] < 0,
                }
            )
        return {"unit_cost": cost, "rows": rows}

    def desired_pricing(self):
        data = self.pricing_form.cleaned_data
        return {
            "online": data.get("price_online"),
            "gallery": data.get("price_gallery"),
            "exhibition": data.get("price_exhibition"),
            "tiers": self.tier_formset.tiers(),
            "cost_materials": data.get("cost_materials"),
            "cost_labor": data.get("cost_labor"),
        }

    def clean(self, form, formsets):
        valid = super().clean(form, formsets)
        valid = self.clean_workshop(form, formsets) and valid
        if not self.has_pricing:
            return valid
        self.build_pricing_forms(self.request.POST)
        if not (self.pricing_form.is_valid() and self.tier_formset.is_valid()):
            return False
        # The same rules the service applies, checked before anything is saved.
        desired = self.desired_pricing()
        errors = pricing.pricing_errors(
            current=self.current_pricing(),
            desired=pricing.PricingState(
                online=desired["online"],
                gallery=desired["gallery"],
                exhibition=desired["exhibition"],
                tiers=dict(desired["tiers"]),
                cost_materials=desired["cost_materials"],
                cost_labor=desired["cost_labor"],
            ),
            confirm_below_cost=self.pricing_form.cleaned_data.get("confirm_below_cost", False),
        )
        if errors:
            self.pricing_form.apply_errors(errors)
            self.tier_formset.apply_errors(errors)
            return False
        return valid

    def clean_workshop(self, form, formsets):
        """The workshop must belong to the Lapas that holds the product's stock."""
        workshop = form.cleaned_data.get("workshop") if form.is_valid() else None
        stock_formset = formsets.get("stockrecord_formset")
        if workshop is None or stock_formset is None or not stock_formset.is_valid():
            return True
        partners = {
            f.cleaned_data.get("partner")
            for f in stock_formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        } - {None}
        if partners and workshop.lapas not in partners:
            form.add_error(
                "workshop",
                _(
                    "Workshop: %(workshop)s belongs to %(lapas)s, not to the Lapas that "
                    "holds this product's stock."
                )
                % {"workshop": workshop.name, "lapas": workshop.lapas.name},
            )
            return False
        return True

    def forms_valid(self, form, formsets):
        """Oscar's save, plus the prices, in one transaction: all of it or nothing."""
        try:
            with transaction.atomic():
                if self.creating:
                    self.handle_adding_child(self.parent)
                else:
                    self.object = form.save()
                for formset in formsets.values():
                    formset.save()
                for idx, image in enumerate(self.object.images.all()):
                    image.display_order = idx
                    image.save()
                if self.has_pricing:
                    services.product_pricing_set(
                        product=self.object,
                        user=self.request.user,
                        confirm_below_cost=self.pricing_form.cleaned_data.get(
                            "confirm_below_cost", False
                        ),
                        **self.desired_pricing(),
                    )
        except ValidationError as error:
            self.pricing_form.apply_errors(error.message_dict)
            self.tier_formset.apply_errors(error.message_dict)
            return self.forms_invalid(form, formsets)
        return HttpResponseRedirect(self.get_success_url())
