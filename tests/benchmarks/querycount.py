"""Counts the SQL queries of each request and times it, and reports both in headers.

`make bench` adds this middleware, first in the list, to every server it measures (Karya,
the stock Oscar shop and the bare Django floor), so queries per request are read the same
way everywhere. Counting is one function call per query: it does not change the timings. The time is
the server's own, from the first middleware in to the response out: what a request costs
without the wait in the listen queue that a load generator's latency includes.
"""

import time

from django.db import connections

HEADER = "X-Bench-Queries"
TIME_HEADER = "X-Bench-Ms"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        started = time.perf_counter()
        with _wrapped(counter):
            response = self.get_response(request)
        response[HEADER] = str(counter.count)
        response[TIME_HEADER] = f"{(time.perf_counter() - started) * 1000:.2f}"
        return response


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class _wrapped:
    """execute_wrapper on every configured connection at once."""

    def __init__(self, counter):
        self.managers = [connections[alias].execute_wrapper(counter) for alias in connections]

    def __enter__(self):
        for manager in self.managers:
            manager.__enter__()

    def __exit__(self, *exc):
        for manager in reversed(self.managers):
            manager.__exit__(*exc)
