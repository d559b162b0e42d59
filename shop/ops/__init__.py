"""Running Karya on several machines: request ids in logs and Celery tasks, error reports
scrubbed of buyers' personal data, Prometheus metrics, liveness and readiness probes."""
