"""A request id on every log line, from the load balancer's X-Request-ID header or made
here, carried into the Celery tasks the request queues (a message header) so one id
follows an order from the click to the email."""

import logging
import re
import uuid
from contextvars import ContextVar

from celery import signals

HEADER = "X-Request-ID"
# What a proxy may hand us is logged and echoed back: keep it short and plain.
VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id_var: ContextVar[str] = ContextVar("request_id", default="")


def current() -> str:
    return request_id_var.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if VALID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request id on each record (empty outside a request or task)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


@signals.before_task_publish.connect
def _add_request_id_header(headers=None, **kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@signals.task_prerun.connect
def _take_request_id(task=None, **kwargs):
    request = getattr(task, "request", None)
    request_id = getattr(request, "request_id", None) or (
        (getattr(request, "headers", None) or {}).get("request_id")
    )
    # A task run inline (the embedded default) keeps the id of the request it runs in.
    if request_id:
        task._karya_request_id_token = request_id_var.set(request_id)


@signals.task_postrun.connect
def _drop_request_id(task=None, **kwargs):
    token = getattr(task, "_karya_request_id_token", None)
    if token is not None:
        request_id_var.reset(token)
        task._karya_request_id_token = None
