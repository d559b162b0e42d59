"""Demo training figures (data/demo/training.yaml): a few courses per Lapas, so the
impact page and the dashboard's training page have something to show. Safe to re-run:
each course is found again by its workshop and title."""

import datetime

from django.utils import timezone

from production_link.models import Workshop
from shop.apps.core.datafiles import data_file

from .models import TrainingCourse


def training_demo_load() -> int:
    today = timezone.localdate()
    count = 0
    for spec in data_file("demo/training.yaml"):
        workshop = Workshop.objects.get(lapas__short_code=spec["lapas"], name=spec["workshop"])
        ended_on = today - datetime.timedelta(days=spec["ended_days_ago"])
        TrainingCourse.objects.update_or_create(
            workshop=workshop,
            title=spec["title"],
            defaults={
                "scheme": spec.get("scheme", ""),
                "issuer_kind": spec["issuer"],
                "issuer_name": spec.get("issuer_name", ""),
                "started_on": ended_on - datetime.timedelta(days=spec["days"]),
                "ended_on": ended_on,
                "participants": spec["participants"],
                "certified": spec["certified"],
            },
        )
        count += 1
    return count
