import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from cms import seo
from cms.selectors import public_base_url

register = template.Library()

# As django.utils.html.json_script does: nothing in the data can close the script tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """JSON for a <script type="application/ld+json"> element."""
    return mark_safe(  # noqa: S308 - escaped above, like json_script
        json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    )


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    request = context.get("request")
    return seo.absolute(request, url) if request is not None else url


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This URL on the public host, without a query string except the page number."""
    request = context.get("request")
    if request is None:
        return ""
    url = public_base_url(request) + request.path
    page = request.GET.get("page", "")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@register.simple_tag
def og_locale() -> str:
    return seo.og_locale()


@register.inclusion_tag("cms/includes/newsletter_form.html", takes_context=True)
def newsletter_signup(context, form=None, form_id="footer-newsletter"):
    """The newsletter signup form (footer and newsletter page), with its spam guards."""
    from cms.forms import NewsletterSignupForm

    return {
        "form": form or NewsletterSignupForm(auto_id=f"{form_id}-%s"),
        "form_id": form_id,
        "csrf_token": context.get("csrf_token"),
    }
