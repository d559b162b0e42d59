// The card form of the pay page: Stripe's Payment Element, confirmed with Stripe.js.
// Card details go from the buyer's browser to Stripe only. After confirming, Stripe sends
// the buyer to our return page (after 3-D Secure if the bank asks), which reads the
// payment's outcome from Stripe; this script only shows errors Stripe reports here.
(function () {
    "use strict";
    var config = JSON.parse(document.getElementById("stripe-config").textContent);
    var form = document.getElementById("payment-form");
    var button = document.getElementById("pay-button");
    var message = document.getElementById("payment-message");
    var loading = document.getElementById("payment-element-loading");

    function showError(text) {
        message.textContent = text || config.messages.failed;
        message.hidden = false;
        message.focus();
    }

    if (typeof window.Stripe !== "function") {
        if (loading) { loading.hidden = true; }
        showError(config.messages.unavailable);
        return;
    }

    var stripe = window.Stripe(config.publishableKey, { locale: config.locale });
    var elements = stripe.elements({ clientSecret: config.clientSecret });
    var paymentElement = elements.create("payment");
    paymentElement.on("ready", function () {
        if (loading) { loading.hidden = true; }
        button.disabled = false;
    });
    paymentElement.on("loaderror", function () {
        if (loading) { loading.hidden = true; }
        showError(config.messages.unavailable);
    });
    paymentElement.mount("#payment-element");

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        message.hidden = true;
        stripe.confirmPayment({
            elements: elements,
            confirmParams: { return_url: config.returnUrl }
        }).then(function (result) {
            // Reached only when the payment could not be confirmed; otherwise the browser
            // is on its way to the return page.
            showError(result.error && result.error.message);
            button.disabled = false;
            button.removeAttribute("aria-busy");
        });
    });
})();
