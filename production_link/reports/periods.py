"""Report periods: a month, a quarter (triwulan), a semester or a year, in Jakarta time.

A period is a range of whole days. An entry belongs to the period whose days contain its
moment in Asia/Jakarta time (the project's TIME_ZONE): a sale paid at 23:30 WIB on the last
day of October is an October sale, though it is already November in UTC+8 and later.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

MONTHLY = "monthly"
QUARTERLY = "quarterly"
SEMESTER = "semester"
YEARLY = "yearly"
KINDS = (MONTHLY, QUARTERLY, SEMESTER, YEARLY)
# Months per period of each kind.
MONTHS = {MONTHLY: 1, QUARTERLY: 3, SEMESTER: 6, YEARLY: 12}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # the last day, inclusive

    @property
    def key(self) -> str:
        """How the period is written in URLs and the API: 2026-10, 2026-Q3, 2026-S1, 2026."""
        year = self.start.year
        index = (self.start.month - 1) // MONTHS[self.kind] + 1
        return {
            MONTHLY: f"{year}-{self.start.month:02d}",
            QUARTERLY: f"{year}-Q{index}",
            SEMESTER: f"{year}-S{index}",
            YEARLY: f"{year}",
        }[self.kind]

    @property
    def label(self) -> str:
        year = self.start.year
        index = (self.start.month - 1) // MONTHS[self.kind] + 1
        if self.kind == MONTHLY:
            return formats.date_format(self.start, "F Y")
        if self.kind == QUARTERLY:
            return _("Quarter %(number)s %(year)s") % {"number": ROMAN[index], "year": year}
        if self.kind == SEMESTER:
            return _("Semester %(number)s %(year)s") % {"number": ROMAN[index], "year": year}
        return _("Year %(year)s") % {"year": year}

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[first moment, first moment after) of the period, as aware Jakarta datetimes."""
        zone = timezone.get_default_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after

    def has_ended(self, today: datetime.date | None = None) -> bool:
        return self.end < (today or timezone.localdate())

    @property
    def due_on(self) -> datetime.date | None:
        """A monthly PNBP report is due on the 10th of the next month."""
        if self.kind != MONTHLY:
            return None
        return (self.end + datetime.timedelta(days=1)).replace(day=10)

    def previous(self) -> "Period":
        return period_containing(self.kind, self.start - datetime.timedelta(days=1))


def period_containing(kind: str, day: datetime.date) -> Period:
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown report kind: %(kind)s.") % {"kind": kind}})
    months = MONTHS[kind]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    last_month = first_month + months - 1
    after = (
        datetime.date(day.year + 1, 1, 1)
        if last_month == 12
        else datetime.date(day.year, last_month + 1, 1)
    )
    return Period(kind=kind, start=start, end=after - datetime.timedelta(days=1))


def period_last_ended(kind: str, today: datetime.date | None = None) -> Period:
    """The latest period of this kind that is over: the one a report is usually made for."""
    return period_containing(kind, today or timezone.localdate()).previous()


def period_starting(kind: str, start: datetime.date) -> Period:
    period = period_containing(kind, start)
    if period.start != start:
        raise ValidationError(
            {"period": _("%(date)s is not the first day of a period.") % {"date": start}}
        )
    return period


PATTERNS = {
    MONTHLY: re.compile(r"^(?P<year>\d{4})-(?P<index>\d{1,2})$"),
    QUARTERLY: re.compile(r"^(?P<year>\d{4})-[Qq](?P<index>[1-4])$"),
    SEMESTER: re.compile(r"^(?P<year>\d{4})-[Ss](?P<index>[12])$"),
    YEARLY: re.compile(r"^(?P<year>\d{4})$"),
}
EXAMPLES = {MONTHLY: "2026-10", QUARTERLY: "2026-Q3", SEMESTER: "2026-S1", YEARLY: "2026"}


def period_parse(kind: str, text: str) -> Period:
    """A period from its key (see Period.key); a bad one names the field and an example."""
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown report kind: %(kind)s.") % {"kind": kind}})
    match = PATTERNS[kind].match((text or "").strip())
    index = int(match["index"]) if match and match.groupdict().get("index") else 1
    if not match or not 1 <= index <= 12 // MONTHS[kind] or not 2000 <= int(match["year"]) <= 2999:
        raise ValidationError(
            {
                "period": _("Write the period like %(example)s, not “%(text)s”.")
                % {"example": EXAMPLES[kind], "text": text}
            }
        )
    month = (index - 1) * MONTHS[kind] + 1
    return period_containing(kind, datetime.date(int(match["year"]), month, 1))
