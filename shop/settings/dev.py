"""The embedded default: SQLite, tasks run inline, mail to the console. No keys needed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-karya-dev-only-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
# A webhook secret for trying signed Stripe events locally against `make demo` (see README,
# "Card payments (Stripe)"). It is public, so it is only ever a development default.
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_karya_demo_local_only")
