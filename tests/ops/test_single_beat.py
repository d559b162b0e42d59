"""One scheduler: two beats started by mistake send each periodic task once per slot, and
the periodic tasks themselves are safe to run twice."""

import os
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import kombu.pools
import pytest
import redis
from celery.beat import ScheduleEntry
from celery.schedules import crontab, schedule
from django.core import mail

from shop.beat import LockedScheduler, entry_slot
from shop.celery import app as celery_app

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs a real Redis: `make test` starts one and sets REDIS_URL"
)
JAKARTA = ZoneInfo("Asia/Jakarta")


def entry(name, every):
    return ScheduleEntry(
        name=name, task="cms.tasks.impact_figures_refresh", schedule=every, app=celery_app
    )


def test_a_crontab_entry_fired_a_little_early_or_late_is_in_the_same_slot():
    daily = entry("daily", crontab(hour=0, minute=30))
    on_time = datetime(2026, 12, 7, 0, 30, 1, tzinfo=JAKARTA)

    assert entry_slot(daily, on_time) == entry_slot(daily, on_time - timedelta(seconds=3))
    assert entry_slot(daily, on_time) == entry_slot(daily, on_time + timedelta(seconds=20))
    assert entry_slot(daily, on_time) != entry_slot(daily, on_time + timedelta(days=1))


def test_two_beats_started_apart_share_the_interval_slots():
    every_ten = entry("ten", schedule(timedelta(minutes=10)))
    start = datetime(2026, 12, 7, 10, 0, 3, tzinfo=JAKARTA)
    beat_a = [start + timedelta(minutes=10 * i) for i in range(6)]
    beat_b = [start + timedelta(minutes=4) + timedelta(minutes=10 * i) for i in range(6)]

    slots_a = {entry_slot(every_ten, t)[0] for t in beat_a}
    slots_b = {entry_slot(every_ten, t)[0] for t in beat_b}

    assert slots_a == slots_b
    assert len(slots_a) == 6


@pytest.fixture
def redis_broker():
    """Celery sends to a real Redis for one test (tasks are not run inline)."""
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = REDIS_URL
    kombu.pools.reset()
    celery_app._after_fork()
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    celery_app.conf.update(saved)
    kombu.pools.reset()
    celery_app._after_fork()


def beat(tmp_path, name):
    scheduler = LockedScheduler(
        app=celery_app, schedule_filename=str(tmp_path / f"{name}-schedule"), lazy=True
    )
    scheduler._store = {"entries": {}}  # lazy: the schedule file is never opened
    return scheduler


@needs_redis
def test_two_beats_send_a_due_task_once(tmp_path, redis_broker):
    queue = f"beat-test-{uuid.uuid4().hex}"
    name = f"reconcile-{uuid.uuid4().hex}"
    due = ScheduleEntry(
        name=name,
        task="production_link.tasks.pnbp_reconcile_daily",
        schedule=crontab(hour=1, minute=0),
        options={"queue": queue},
        app=celery_app,
    )
    first, second = beat(tmp_path, "a"), beat(tmp_path, "b")

    first.apply_entry(due)
    second.apply_entry(due)

    try:
        assert redis_broker.llen(queue) == 1
    finally:
        redis_broker.delete(queue)
        for key in redis_broker.scan_iter(f"karya:beat:{name}:*"):
            redis_broker.delete(key)


@needs_redis
def test_the_next_slot_is_sent_again(tmp_path, redis_broker):
    queue = f"beat-test-{uuid.uuid4().hex}"
    name = f"impact-{uuid.uuid4().hex}"
    # One-second slots: the same beat sends again once the next slot begins.
    every_second = ScheduleEntry(
        name=name,
        task="cms.tasks.impact_figures_refresh",
        schedule=schedule(timedelta(seconds=1)),
        options={"queue": queue},
        app=celery_app,
    )
    scheduler = beat(tmp_path, "a")

    scheduler.apply_entry(every_second)
    slot = entry_slot(every_second, celery_app.now())[0]
    while entry_slot(every_second, celery_app.now())[0] == slot:
        pass
    scheduler.apply_entry(every_second)

    try:
        assert redis_broker.llen(queue) == 2
    finally:
        redis_broker.delete(queue)


def test_without_a_redis_broker_beat_sends_as_usual(tmp_path):
    # The embedded default (memory:// broker) has a single process and nothing to share.
    assert beat(tmp_path, "a").lock_client is None


def test_every_scheduled_task_exists():
    celery_app.loader.import_default_modules()

    for name, declared in celery_app.conf.beat_schedule.items():
        assert declared["task"] in celery_app.tasks, name


@pytest.mark.django_db
def test_the_daily_reconciliation_run_twice_emails_the_same_differences_once(
    product, central_admin
):
    from production_link import tasks
    from tests.production_link.pnbp_support import pay_unbooked, place

    pay_unbooked(place((product, 1)), central_admin)

    assert tasks.pnbp_reconcile_daily.delay().get() == 1
    assert tasks.pnbp_reconcile_daily.delay().get() == 1  # a second beat, or a manual run

    assert len(mail.outbox) == 1

    # Another difference is news: it is sent.
    pay_unbooked(place((product, 1)), central_admin)
    assert tasks.pnbp_reconcile_daily.delay().get() == 2
    assert len(mail.outbox) == 2
