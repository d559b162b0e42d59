"""Logging for production: one JSON object per line, with the request id (shop.ops.request_id),
for a log shipper (Loki, Elasticsearch, a cloud's log service) to index."""


def json_logging(level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "shop.ops.request_id.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "sorl.thumbnail": {"level": "WARNING"},
            "oscar.alerts": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
            # Celery installs its own handlers unless told to leave the root logger alone
            # (CELERY_WORKER_HIJACK_ROOT_LOGGER = False in production).
            "celery": {"level": level},
        },
    }
