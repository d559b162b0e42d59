"""Oscar's messages that Karya words anew in Indonesian (locale/id/LC_MESSAGES/django.po,
the block "Oscar's own messages"). Never used at run time: listed here so that
``makemessages`` finds these msgids in Karya's own code and keeps their Indonesian
instead of marking it obsolete. Generated from Oscar's catalogue; the msgids are
Oscar's, whitespace included."""

from django.utils.translation import gettext_noop, pgettext_lazy

MESSAGES = [
    gettext_noop("Checkout"),
    gettext_noop("Save for Later"),
    gettext_noop("Move to Basket"),
    gettext_noop("Please select a valid product"),
    gettext_noop(
        "Due to technical limitations we are not able to ship more than %(threshold)d items in one order. Your basket currently has %(basket)d items."
    ),
    gettext_noop(
        "This product cannot be added to the basket because a price could not be determined for it."
    ),
    gettext_noop(
        "This product cannot be added to the basket as its currency isn't the same as other products in your basket"
    ),
    gettext_noop(
        "We have merged a basket from a previous session. Its contents might have changed."
    ),
    gettext_noop("You can't save an item for later if you're not logged in!"),
    gettext_noop("Your basket has got some issues. Please correct any validation errors below."),
    gettext_noop("Your basket does not qualify for a voucher discount"),
    gettext_noop("Voucher '%(code)s' added to basket"),
    gettext_noop("You have already added the '%(code)s' voucher to your basket"),
    gettext_noop("Voucher '%s' removed from basket"),
    gettext_noop("I am a new customer and want to checkout as a guest"),
    gettext_noop("I am a new customer and want to create an account before checking out"),
    gettext_noop("I am a returning customer, and my password is"),
    gettext_noop("You need to add some items to your basket to checkout"),
    gettext_noop(
        "'%(title)s' is no longer available to buy (%(reason)s). Please adjust your basket to continue"
    ),
    gettext_noop("Please either sign in or enter your email address"),
    gettext_noop("Please choose a shipping address"),
    gettext_noop(
        "Your previously chosen shipping address is no longer valid.  Please choose another one"
    ),
    gettext_noop("Please choose a shipping method"),
    gettext_noop(
        "Your previously chosen shipping method is no longer valid.  Please choose another one"
    ),
    gettext_noop(
        "Create your account and then you will be redirected back to the checkout process"
    ),
    gettext_noop("Shipping is unavailable for your chosen address - please choose another"),
    gettext_noop("Your submitted shipping method is not permitted"),
    gettext_noop(
        "A problem occurred while processing payment for this order - no payment has been taken.  Please contact customer services if this problem persists"
    ),
    gettext_noop("A problem occurred while placing this order. Please contact customer services."),
    gettext_noop("a maximum of %(max)d can be bought"),
    gettext_noop("In stock (%d available)"),
    gettext_noop("no stock available"),
    gettext_noop("\n    <strong>%(title)s</strong> has been added to your basket.\n    "),
    gettext_noop(
        "\n    <strong>%(quantity)s</strong> copies of <strong>%(title)s</strong>\n    have been added to your basket.\n    "
    ),
    gettext_noop("\n<strong>%(title)s</strong> has been moved back to your basket.\n"),
    gettext_noop("\n<strong>%(title)s</strong> has been saved for later\n"),
    gettext_noop("Your basket is now empty"),
    gettext_noop("\n        Your basket total is now <strong>%(total)s</strong>\n        "),
    gettext_noop("View basket"),
    gettext_noop("Checkout now"),
    gettext_noop("\nYour basket now qualifies for the \n<strong>%(name)s</strong> offer.\n"),
    gettext_noop("\nYour basket no longer qualifies for the\n<strong>%(name)s</strong> offer.\n"),
    gettext_noop("Important messages about items in your basket"),
    gettext_noop("You could be missing out on offers!"),
    gettext_noop(
        '\n                <div class="warning">%(message)s to qualify for the <a href="%(url)s">%(offer_name)s</a> special offer</div>\n            '
    ),
    gettext_noop("Items to buy now"),
    gettext_noop("Updating..."),
    gettext_noop("Update"),
    gettext_noop("Save for later"),
    gettext_noop("Voucher/promo code"),
    gettext_noop("I have a voucher code..."),
    gettext_noop("Add voucher"),
    gettext_noop("or"),
    gettext_noop("cancel"),
    gettext_noop("Totals"),
    gettext_noop("Proceed to checkout"),
    gettext_noop("Your basket is empty."),
    gettext_noop("Continue shopping"),
    gettext_noop("Items to buy later"),
    gettext_noop("Items"),
    gettext_noop("Move to basket"),
    gettext_noop("You have an active stock alert for this product."),
    gettext_noop("You can get an email alert when this product is back in stock."),
    gettext_noop("Submitting..."),
    gettext_noop("Notify me"),
    gettext_noop("Add to wish list"),
    gettext_noop(
        "\n                                        Add to '%(name)s' wish list\n                                    "
    ),
    gettext_noop("Create a new wishlist"),
    gettext_noop(
        '\n                    <span class="float-left">Product is in <a href="%(url)s">\'%(name)s\'</a> wishlist.</span>\n                '
    ),
    gettext_noop("Removing..."),
    gettext_noop("Please login to add products to a wish list."),
    gettext_noop("Previous"),
    gettext_noop("Next"),
    gettext_noop("Payment details to go here"),
    gettext_noop("Edit order contents"),
    gettext_noop("Order contents"),
    gettext_noop("Checkout gateway"),
    gettext_noop("Who are you?"),
    gettext_noop("Get a password reminder"),
    gettext_noop("Continuing..."),
    gettext_noop("1. Shipping address"),
    gettext_noop("2. Shipping method"),
    gettext_noop("3. Payment"),
    gettext_noop("4. Preview"),
    gettext_noop("5. Confirmation"),
    gettext_noop("Payment details"),
    gettext_noop("Enter payment details"),
    gettext_noop("Where should we ship to?"),
    gettext_noop("An address from your address book?"),
    gettext_noop("Ship to your default shipping address"),
    gettext_noop("Ship to this address"),
    gettext_noop("Or a new address?"),
    gettext_noop("return to basket"),
    gettext_noop(
        "\n                                This includes a discount of <strong>%(amount)s</strong> as\n                                your basket qualifies for the <strong>%(name)s</strong> offer.\n                            "
    ),
    gettext_noop("Select option"),
    gettext_noop("Login or register"),
    gettext_noop("Order tax"),
    gettext_noop("\n                        Total: %(total)s\n                    "),
    gettext_noop("Browse store"),
    gettext_noop("Instructions"),
    gettext_noop("Shipping address"),
    gettext_noop("Allocation of %(amount)s from type %(type)s"),
    gettext_noop(
        "\n                                Allocation of %(amount)s from type %(type)s\n                            "
    ),
    gettext_noop(
        "\n                                Allocation of %(amount)s from type %(type)s (reference: %(reference)s)\n                            "
    ),
    gettext_noop(
        "\n        Your order has been placed and a confirmation email has been sent - your order number is\n        <strong>%(number)s</strong>.\n        "
    ),
    gettext_noop("Place order"),
    gettext_noop("Unavailable"),
    gettext_noop("unavailable"),
    gettext_noop("The postcode '%(postcode)s' is not valid for %(country)s"),
    gettext_noop("Oops! We found some errors"),
    gettext_noop("please check the error messages below and try again"),
    gettext_noop("Tell us anything we should know when delivering your order."),
    gettext_noop("Offers, vouchers"),
    gettext_noop("Reset"),
    gettext_noop("Close"),
    gettext_noop("Order Total"),
    gettext_noop("Date of purchase"),
    gettext_noop("Time of purchase"),
    gettext_noop("Order information"),
    gettext_noop("New order status"),
    gettext_noop("Change order status"),
    gettext_noop("Change status"),
    gettext_noop("choose new status"),
    gettext_noop("Changing..."),
    gettext_noop("No status changes."),
    pgettext_lazy("start date", "From"),
    pgettext_lazy("end date", "To"),
    gettext_noop("Line ID"),
    gettext_noop("Price excl tax (before discounts)"),
    gettext_noop("Price inc tax (before discounts)"),
    gettext_noop("Basket total (excl. discounts)"),
    gettext_noop("Basket total (inc. discounts)"),
    gettext_noop("Shipping total (excl. discounts)"),
    gettext_noop("Shipping total (inc. discounts)"),
    gettext_noop("Shipping total"),
    gettext_noop("With selected lines"),
    gettext_noop("Change line status to"),
    gettext_noop("Create shipping event"),
    gettext_noop("choose event type"),
    gettext_noop("with reference"),
    gettext_noop("Go!"),
    gettext_noop("Order Search Results"),
    gettext_noop("All Orders"),
    gettext_noop("Download selected orders as a CSV"),
    gettext_noop("Customer name"),
    gettext_noop("Get results as"),
    gettext_noop("<em>Open</em> stock alerts"),
    gettext_noop("<em>Closed</em> stock alerts"),
]
