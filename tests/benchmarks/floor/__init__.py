"""The framework floor: a bare Django project with one page and no database.

`make bench` serves it exactly as it serves the shops (gunicorn, same workers, query
counter first), so its numbers are what Django and gunicorn cost before any shop code:
    gunicorn tests.benchmarks.floor.wsgi:application
"""
