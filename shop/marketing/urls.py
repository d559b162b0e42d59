"""Public URLs of the marketing app: the product feeds, language-neutral (the language is
in the file name), so a feed's address never changes with the visitor's language."""

from django.conf import settings
from django.urls import re_path

from . import views

_LANGUAGES = "|".join(code for code, _name in settings.LANGUAGES)

urlpatterns = [
    re_path(
        rf"^feeds/(?P<kind>google|meta)-(?P<language>{_LANGUAGES})\.(?P<ext>xml|csv)$",
        views.feed,
        name="marketing_feed",
    ),
]
