"""Demo regions, work programmes, monev and a returned report (data/demo/programme.yaml).

Called by shop/apps/core/demo.py after the PNBP and reports demos. Safe to re-run:
regions, programmes, budget lines, milestones and findings are found again by their
names; a report already submitted keeps its state.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from shop.apps.core.datafiles import data_file

from ..models import PnbpReport, Workshop
from ..reports.periods import QUARTERLY, period_last_ended
from ..reports.services import report_approve
from . import services
from .models import (
    BudgetLine,
    Finding,
    FollowUp,
    Indicator,
    Milestone,
    Programme,
    Region,
    ReportSubmission,
)

Partner = get_model("partner", "Partner")


def _head_of(lapas):
    return lapas.users.filter(groups__name="Kepala Lapas").first()


def _regions_load(specs) -> None:
    User = get_user_model()
    for spec in specs:
        region, _created = Region.objects.update_or_create(
            name=spec["name"], defaults={"province": spec["province"]}
        )
        for code in spec["lapas"]:
            services.region_lapas_set(region=region, lapas=Partner.objects.get(short_code=code))
        if spec.get("officer"):
            officer = User.objects.filter(username=spec["officer"]).first()
            if officer is not None:
                services.regional_officer_set(user=officer, region=region)


def _indicators_load(specs) -> None:
    for position, spec in enumerate(specs, start=1):
        Indicator.objects.update_or_create(
            code=spec["code"],
            defaults={
                "label": spec["label"],
                "label_en": spec.get("label_en", ""),
                "kind": spec["kind"],
                "position": position,
                "is_active": True,
            },
        )


def _programmes_load(specs, year: int) -> None:
    for spec in specs:
        workshop = Workshop.objects.get(lapas__short_code=spec["lapas"], name=spec["workshop"])
        head = _head_of(workshop.lapas)
        if head is None:
            continue
        programme = services.programme_save(
            user=head,
            workshop=workshop,
            year=year,
            priorities=spec["priorities"],
            target_units=spec["target_units"],
            target_revenue=Decimal(spec["target_revenue"]),
        )
        for line in spec["budget"]:
            if not programme.budget_lines.filter(item=line["item"]).exists():
                services.budget_line_add(
                    user=head,
                    programme=programme,
                    item=line["item"],
                    volume=str(line["volume"]),
                    unit=line["unit"],
                    unit_cost=str(line["unit_cost"]),
                    funding_source=line["source"],
                )
        for stone in spec["milestones"]:
            due = _day(year, stone["due"])
            milestone = Milestone.objects.filter(programme=programme, title=stone["title"]).first()
            if milestone is None:
                milestone = services.milestone_add(
                    user=head, programme=programme, title=stone["title"], due_on=due
                )
            done = _day(year, stone["done"]) if stone.get("done") else None
            if done is not None and done <= timezone.localdate():
                services.milestone_mark_done(user=head, milestone=milestone, done_on=done)


def _day(year: int, month_day: str) -> datetime.date:
    month, day = (int(part) for part in month_day.split("-"))
    return datetime.date(year, month, day)


def _monev_load(specs) -> None:
    last = period_last_ended(QUARTERLY)
    for spec in specs:
        lapas = Partner.objects.get(short_code=spec["lapas"])
        head = _head_of(lapas)
        if head is None:
            continue
        period = last
        for _step in range(spec["quarters_back"]):
            period = period.previous()
        services.monev_record(
            user=head,
            lapas=lapas,
            period=period,
            answers=spec["answers"],
            conclusion=spec.get("conclusion", ""),
        )
        for found in spec["findings"]:
            finding = services.finding_add(
                user=head, lapas=lapas, period=period, text=found["text"]
            )
            for plan in found.get("follow_ups", ()):
                follow_up = FollowUp.objects.filter(
                    assessment=finding.assessment, action=plan["action"]
                ).first() or services.follow_up_add(
                    user=head,
                    lapas=lapas,
                    period=period,
                    action=plan["action"],
                    owner_role=plan["owner_role"],
                    due_on=period.end + datetime.timedelta(days=plan["due_days"]),
                    finding=finding,
                )
                if follow_up.status != plan["status"]:
                    services.follow_up_set_status(
                        user=head, follow_up=follow_up, status=plan["status"]
                    )


def _reports_load(spec) -> None:
    lapas = Partner.objects.get(short_code=spec["lapas"])
    head = _head_of(lapas)
    if head is None or not hasattr(lapas, "region_link"):
        return
    officer = lapas.region_link.region.officers.select_related("user").first()
    period = period_last_ended(QUARTERLY)
    report = PnbpReport.objects.filter(
        lapas=lapas, kind=QUARTERLY, period_start=period.start
    ).first() or report_approve(lapas=lapas, kind=QUARTERLY, period_start=period.start, user=head)
    if officer is not None and not ReportSubmission.objects.filter(report=report).exists():
        submission = services.report_submit(user=head, report=report)
        services.submission_return(user=officer.user, submission=submission, note=spec["note"])
    monthly = PnbpReport.objects.filter(lapas=lapas, kind="monthly").order_by("-period_start")
    monthly = monthly.first()
    if (
        officer is not None
        and monthly is not None
        and not ReportSubmission.objects.filter(report=monthly).exists()
    ):
        submission = services.report_submit(user=head, report=monthly)
        services.submission_acknowledge(user=officer.user, submission=submission)


def programme_demo_load() -> dict[str, int]:
    spec = data_file("demo/programme.yaml")
    _regions_load(spec["regions"])
    _indicators_load(spec["indicators"])
    _programmes_load(spec["programmes"], timezone.localdate().year)
    _monev_load(spec["monev"])
    _reports_load(spec["returned_report"])
    return {
        "regions": Region.objects.count(),
        "programmes": Programme.objects.count(),
        "budget_lines": BudgetLine.objects.count(),
        "findings": Finding.objects.count(),
        "submissions": ReportSubmission.objects.count(),
    }
