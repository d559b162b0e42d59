"""Reads of training figures: a Lapas's own courses, and counts per period by scheme and
issuer (aggregates only: a handful of queries whatever the number of courses)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce

from production_link.selectors import lapas_for_user, workshops_for_user

from .models import TrainingCourse


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str


def period_of(*, year: int, quarter: int | None = None) -> Period:
    if quarter is None:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))
    first_month = 3 * (quarter - 1) + 1
    start = datetime.date(year, first_month, 1)
    end = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, first_month + 3, 1)
    ) - datetime.timedelta(days=1)
    return Period(start, end, f"{year}-Q{quarter}")


def training_workshops_for_user(user) -> QuerySet:
    return workshops_for_user(user).order_by("lapas__name", "name")


def training_courses_for_user(user) -> QuerySet:
    """The courses of the Lapas a user may act for (central admins: all)."""
    return TrainingCourse.objects.filter(workshop__lapas__in=lapas_for_user(user)).select_related(
        "workshop__lapas"
    )


def training_course_for_user(*, user, course_id) -> TrainingCourse | None:
    return training_courses_for_user(user).filter(pk=course_id).first()


def _in_period(courses: QuerySet, period: Period) -> QuerySet:
    return courses.filter(ended_on__gte=period.start, ended_on__lte=period.end)


def _totals(courses: QuerySet) -> dict:
    return courses.aggregate(
        courses=Count("pk"),
        participants=Coalesce(Sum("participants"), 0),
        certified=Coalesce(Sum("certified"), 0),
    )


def training_summary(*, courses: QuerySet, period: Period) -> dict:
    """Courses, participants and certificates in a period: in total, by issuer and
    scheme, and by workshop. Counts only."""
    courses = _in_period(courses.order_by(), period)
    by_scheme = list(
        courses.values("issuer_kind", "issuer_name", "scheme")
        .annotate(
            courses=Count("pk"),
            participants=Sum("participants"),
            certified=Sum("certified"),
        )
        .order_by("issuer_kind", "issuer_name", "scheme")
    )
    labels = dict(TrainingCourse.Issuer.choices)
    for row in by_scheme:
        row["issuer_label"] = labels.get(row["issuer_kind"], row["issuer_kind"])
    by_workshop = list(
        courses.values("workshop__lapas__name", "workshop__name")
        .annotate(
            courses=Count("pk"),
            participants=Sum("participants"),
            certified=Sum("certified"),
        )
        .order_by("workshop__lapas__name", "workshop__name")
    )
    return {
        "period": period,
        "total": _totals(courses),
        "by_scheme": by_scheme,
        "by_workshop": by_workshop,
    }


def training_public_figures(*, year: int) -> dict:
    """For the public impact page: the year's courses, participants and certificates of
    every Lapas, and certificates by kind of issuer. Plain data (it is cached)."""
    courses = _in_period(TrainingCourse.objects.order_by(), period_of(year=year))
    total = _totals(courses)
    labels = dict(TrainingCourse.Issuer.choices)
    by_issuer = [
        {
            "issuer_kind": row["issuer_kind"],
            "courses": row["courses"],
            "participants": row["participants"],
            "certified": row["certified"],
        }
        for row in courses.values("issuer_kind")
        .annotate(courses=Count("pk"), participants=Sum("participants"), certified=Sum("certified"))
        .order_by("-certified", "issuer_kind")
        if row["issuer_kind"] in labels
    ]
    return {**total, "by_issuer": by_issuer}


def training_report_rows(*, lapas, start: datetime.date, end: datetime.date) -> list[dict]:
    """For the quarterly and semester monitoring reports (production_link.reports): the
    courses that ended in the period, by workshop, issuer and scheme; ``lapas`` None for
    every Lapas together. Plain values (the report freezes them as JSON)."""
    courses = TrainingCourse.objects.filter(ended_on__gte=start, ended_on__lte=end)
    if lapas is not None:
        courses = courses.filter(workshop__lapas=lapas)
    labels = dict(TrainingCourse.Issuer.choices)
    rows = []
    for row in (
        courses.order_by()
        .values("workshop__lapas__name", "workshop__name", "issuer_kind", "issuer_name", "scheme")
        .annotate(courses=Count("pk"), participants=Sum("participants"), certified=Sum("certified"))
        .order_by("workshop__lapas__name", "workshop__name", "issuer_kind", "scheme")
    ):
        issuer = str(labels.get(row["issuer_kind"], row["issuer_kind"]))
        if row["issuer_name"]:
            issuer = f"{issuer}: {row['issuer_name']}"
        rows.append(
            {
                "lapas": row["workshop__lapas__name"],
                "workshop": row["workshop__name"],
                "issuer": issuer,
                "scheme": row["scheme"],
                "courses": row["courses"],
                "participants": row["participants"],
                "certified": row["certified"],
            }
        )
    return rows
