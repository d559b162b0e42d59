"""Error reports to Sentry (or a self-hosted Sentry, or GlitchTip, which speak its
protocol) when SENTRY_DSN is set, without buyers' personal data (UU 27/2022): no cookies,
user ids or addresses are sent (send_default_pii=False), and before_send blanks every field
that holds an e-mail address, phone number or postal address, wherever it appears
(request data, local variables of a frame, extra data, breadcrumbs)."""

import re

REDACTED = "[redacted]"
# Oscar's address and order fields, checkout forms, POS buyer contact fields.
PERSONAL_KEY = re.compile(
    r"(e-?mail|phone|mobile|whatsapp|address|line[1-4]|postcode|post_code|zip|"
    r"first_?name|last_?name|full_?name|guest|recipient|buyer_?name|shipping_|billing_)",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<!\w)(\+?62|0)8[\d\s-]{7,14}\d")


def scrub(value, depth=0):
    if depth > 12:
        return value
    if isinstance(value, dict):
        return {
            key: REDACTED
            if isinstance(key, str) and PERSONAL_KEY.search(key)
            else scrub(v, depth + 1)
            for key, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(scrub(v, depth + 1) for v in value)
    if isinstance(value, str):
        return PHONE.sub(REDACTED, EMAIL.sub(REDACTED, value))
    return value


def before_send(event, hint):
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        headers = request.get("headers") or {}
        for name in list(headers):
            if name.lower() in ("cookie", "authorization", "x-forwarded-for", "x-real-ip"):
                headers[name] = REDACTED
    return scrub(event)


def before_breadcrumb(crumb, hint):
    return scrub(crumb)


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        traces_sample_rate=traces_sample_rate,
        # Request bodies can hold an address typed into checkout.
        max_request_body_size="never",
    )
