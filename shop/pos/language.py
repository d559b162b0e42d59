"""The point of sale's pages in the language the device chose.

They live outside the language prefixes (one service worker scope for /pos/), and there
Django's LocaleMiddleware always answers in LANGUAGE_CODE (Indonesian), whatever the
cashier picked with the screen's language switch. These pages follow the choice instead:
Django's language cookie (set by the switch), else the browser's Accept-Language."""

from functools import wraps

from django.utils import translation
from django.utils.cache import patch_vary_headers


def device_language(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            response.headers["Content-Language"] = request.LANGUAGE_CODE
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped
