"""Celery beat that is safe to start twice.

Exactly one beat process should run (README, "Running on several machines"), but a second
one started by mistake (a redeploy that overlaps, two nodes with the same unit file) must
not send every periodic task twice. Before sending an entry, each beat takes a Redis key for
that entry's *slot*, `SET NX` with an expiry, on the broker's Redis (which never evicts keys,
unlike a cache): the beat that takes it sends the task, the other one skips that slot and
moves on to the next.

A slot is the wall-clock minute for a crontab entry (both beats fire at the same minute)
and the interval bucket, `floor(unix time / every)`, for an interval entry (two beats
started at different moments tick at different offsets, but share buckets). Every periodic
task is idempotent as well, so the rare slot boundary that lets both beats through does
no harm beyond the work.
"""

import logging
import math
import os
import socket
from datetime import timedelta

import redis
from celery.beat import PersistentScheduler
from celery.schedules import crontab

logger = logging.getLogger(__name__)

KEY_PREFIX = "karya:beat:"


def entry_slot(entry, now) -> tuple[str, int]:
    """The slot an entry is due in at `now` (aware datetime), and how long its key must live."""
    schedule = entry.schedule
    if isinstance(schedule, crontab):
        # A beat wakes within a second or two of the minute; half a minute either way
        # still lands in the right slot.
        minute = (now + timedelta(seconds=30)).replace(second=0, microsecond=0)
        return minute.strftime("%Y%m%dT%H%M"), 3600
    every = max(int(schedule.run_every.total_seconds()), 1)
    return str(math.floor(now.timestamp() / every)), every


def slot_claim(client, entry, now, *, owner: str) -> bool:
    """Take the entry's slot for `owner`; False when another beat already took it."""
    slot, ttl = entry_slot(entry, now)
    return bool(client.set(f"{KEY_PREFIX}{entry.name}:{slot}", owner, nx=True, ex=ttl))


class LockedScheduler(PersistentScheduler):
    """PersistentScheduler that sends an entry only if it wins the entry's slot in Redis."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        url = self.app.conf.broker_url or ""
        # The embedded default has no broker (tasks run inline, no beat): nothing to share.
        self.lock_client = redis.Redis.from_url(url) if url.startswith("redis") else None

    def apply_entry(self, entry, producer=None):
        if self.lock_client is not None:
            try:
                claimed = slot_claim(self.lock_client, entry, self.app.now(), owner=self.owner)
            except redis.RedisError:
                # The broker is that same Redis: nothing could be sent anyway.
                logger.exception("beat: could not take the slot of %s; not sent", entry.name)
                return
            if not claimed:
                logger.info("beat: %s already sent by another beat for this slot", entry.name)
                return
        super().apply_entry(entry, producer=producer)
