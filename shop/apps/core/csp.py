"""The Content-Security-Policy of every response (django-csp; the policy is
``CONTENT_SECURITY_POLICY`` in settings).

Scripts run only from the shop's own static files, or inline with this response's nonce
(``nonce="{{ csp_nonce }}"`` in a template). Two kinds of page differ, each declared in
settings:

- the card payment pages (``KARYA_CSP_PAGE_UPDATES``, by URL name) also load Stripe.js and
  its frames; no other page may load anything from Stripe;
- Wagtail's editing interface (``KARYA_CSP_INLINE_SCRIPT_PREFIXES``) still writes inline
  scripts without a nonce (its date pickers and inline panels), so there, and only there,
  inline scripts are allowed. Only signed-in editors reach it.

Templates write a placeholder where the nonce goes, and this middleware puts each
response's own nonce in on the way out. A page kept by the anonymous page cache
(shop.apps.core.page_cache, inside this middleware) is therefore stored with the
placeholder, and every copy served gets a fresh nonce. The placeholder is derived from
SECRET_KEY, so nobody can write it into a description to have their markup given the nonce.
"""

from dataclasses import asdict
from functools import lru_cache

from csp.constants import HEADER, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.utils.crypto import salted_hmac


@lru_cache(maxsize=1)
def nonce_placeholder() -> str:
    # As long as a nonce (24 characters of base64), so the page keeps its length.
    return "kc" + salted_hmac("karya.csp.nonce", "placeholder").hexdigest()[:22]


# Per-response policy settings of django-csp's decorators: such a response gets its
# policy built by django-csp itself.
_DECORATED = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
# Where a built policy has the nonce, until this response's own is put in.
_NONCE_SLOT = "karya-csp-nonce-slot"


class KaryaCSPMiddleware(CSPMiddleware):
    # Built policies by (page's own update, inline scripts allowed, has a nonce): django-csp
    # builds the header anew for every response, a fifth of a cached page's server time.
    _policies: dict = {}

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not response.streaming and content_type.startswith("text/html"):
            placeholder = nonce_placeholder().encode()
            if placeholder in response.content:
                # Reading the nonce puts it into this response's policy header.
                nonce = str(request.csp_nonce).encode()
                response.content = response.content.replace(placeholder, nonce)
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        if (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            or any(hasattr(response, name) for name in _DECORATED)
        ):
            return super().process_response(request, response)
        return self._with_cached_policy(request, response)

    def _with_cached_policy(self, request, response):
        nonce = getattr(request, "_csp_nonce", None)
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match else None
        key = (
            view_name if view_name in settings.KARYA_CSP_PAGE_UPDATES else None,
            request.path_info.startswith(tuple(settings.KARYA_CSP_INLINE_SCRIPT_PREFIXES)),
            nonce is not None,
        )
        policy = self._policies.get(key)
        if policy is None:
            parts = self.get_policy_parts(request=request, response=response)
            if parts.nonce is not None:
                parts.nonce = _NONCE_SLOT
            policy = build_policy(**asdict(parts))
            self._policies[key] = policy
        if nonce is not None:
            policy = policy.replace(_NONCE_SLOT, nonce)
        if policy and HEADER not in response:
            response[HEADER] = policy
        if nonce is None:
            # As django-csp: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        match = getattr(request, "resolver_match", None)
        page_update = settings.KARYA_CSP_PAGE_UPDATES.get(match.view_name) if match else None
        if page_update:
            parts.update = {**page_update, **(parts.update or {})}
        if request.path_info.startswith(tuple(settings.KARYA_CSP_INLINE_SCRIPT_PREFIXES)):
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]}
        return parts


def csp_nonce(request) -> dict:
    """Context processor: ``csp_nonce`` for inline scripts (the placeholder the middleware
    replaces with this response's nonce)."""
    return {"csp_nonce": nonce_placeholder()}


def _forget_policies(setting=None, **kwargs):
    # Tests change the policy's settings; a running shop never does.
    if setting.startswith(("CONTENT_SECURITY_POLICY", "KARYA_CSP")):
        KaryaCSPMiddleware._policies.clear()


setting_changed.connect(_forget_policies, dispatch_uid="karya-csp-policies")
