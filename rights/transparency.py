"""The monthly transparency report: counts from the audit records, no personal data.

Every figure is an aggregate over one calendar month in WIB (Asia/Jakarta):
reports received (by reason, and by their outcome now), the median time from
a report to its resolution, moderation actions by kind, accounts warned and
suspended, government and court orders by urgency and whether each met its
deadline, and appeals with how many were reversed. A fixed number of
aggregate queries, whatever the month's volume.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from moderation.models import ModerationAction, Reason, Report

from .models import Appeal, GovernmentOrder

# Reports' resolution times are read for the median up to this many per month
# (the newest); more would be summarised by the database, but this keeps the
# query bounded on every backend.
MEDIAN_SAMPLE = 20000


@dataclass
class MonthReport:
    year: int
    month: int
    start: datetime
    end: datetime
    reports_by_reason: list = field(default_factory=list)  # (label, count)
    reports_by_outcome: list = field(default_factory=list)  # (label, count)
    reports_total: int = 0
    median_hours_to_decision: float | None = None
    actions_by_kind: list = field(default_factory=list)
    accounts_warned: int = 0
    accounts_suspended: int = 0
    orders: list = field(default_factory=list)  # (urgency label, received, on time, late, open)
    appeals_filed: int = 0
    appeals_decided: int = 0
    appeals_reversed: int = 0


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


def build(year: int, month: int) -> MonthReport:
    start, end = month_bounds(year, month)
    report = MonthReport(year=year, month=month, start=start, end=end)
    in_month = Q(created_at__gte=start, created_at__lt=end)

    reasons = dict(Reason.choices)
    by_reason = dict(
        Report.objects.filter(in_month).values_list("reason").annotate(n=Count("pk")).order_by()
    )
    report.reports_by_reason = [
        (label, by_reason.get(value, 0)) for value, label in reasons.items()
    ]
    report.reports_total = sum(by_reason.values())
    statuses = dict(Report.Status.choices)
    by_status = dict(
        Report.objects.filter(in_month).values_list("status").annotate(n=Count("pk")).order_by()
    )
    report.reports_by_outcome = [
        (label, by_status.get(value, 0)) for value, label in statuses.items()
    ]

    durations = list(
        Report.objects.filter(in_month, resolved_at__isnull=False)
        .annotate(took=F("resolved_at") - F("created_at"))
        .order_by("-created_at")
        .values_list("took", flat=True)[:MEDIAN_SAMPLE]
    )
    if durations:
        median = statistics.median(d.total_seconds() for d in durations)
        report.median_hours_to_decision = round(median / 3600, 1)

    kinds = dict(ModerationAction.Kind.choices)
    actions = ModerationAction.objects.filter(in_month).exclude(kind=ModerationAction.Kind.REVIEW)
    by_kind = dict(actions.values_list("kind").annotate(n=Count("pk")).order_by())
    report.actions_by_kind = [
        (label, by_kind[value]) for value, label in kinds.items() if value in by_kind
    ]
    report.accounts_warned = (
        actions.filter(kind=ModerationAction.Kind.WARN).values("case__owner").distinct().count()
    )
    report.accounts_suspended = (
        actions.filter(kind=ModerationAction.Kind.SUSPEND).values("case__owner").distinct().count()
    )

    orders = GovernmentOrder.objects.filter(received_at__gte=start, received_at__lt=end)
    rows = {
        row["urgency"]: row
        for row in orders.values("urgency")
        .annotate(
            received=Count("pk"),
            on_time=Count("pk", filter=Q(closed_at__isnull=False, closed_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(closed_at__gt=F("due_at"))),
            still_open=Count("pk", filter=Q(closed_at__isnull=True)),
        )
        .order_by()
    }
    for value, label in GovernmentOrder.Urgency.choices:
        row = rows.get(value, {})
        report.orders.append(
            (
                label,
                row.get("received", 0),
                row.get("on_time", 0),
                row.get("late", 0),
                row.get("still_open", 0),
            )
        )

    appeals = Appeal.objects.filter(in_month).aggregate(
        filed=Count("pk"),
        decided=Count("pk", filter=~Q(status=Appeal.Status.OPEN)),
        reversed=Count("pk", filter=Q(status=Appeal.Status.REVERSED)),
    )
    report.appeals_filed = appeals["filed"]
    report.appeals_decided = appeals["decided"]
    report.appeals_reversed = appeals["reversed"]
    return report


def csv_rows(report: MonthReport) -> list[list]:
    """The same figures as (section, item, value) rows."""
    rows = [["section", "item", "value"]]
    rows += [["reports_by_reason", label, n] for label, n in report.reports_by_reason]
    rows += [["reports_by_outcome", label, n] for label, n in report.reports_by_outcome]
    rows.append(["reports", "total", report.reports_total])
    rows.append(["reports", "median_hours_to_decision", report.median_hours_to_decision or ""])
    rows += [["actions_by_kind", label, n] for label, n in report.actions_by_kind]
    rows.append(["accounts", "warned", report.accounts_warned])
    rows.append(["accounts", "suspended", report.accounts_suspended])
    for label, received, on_time, late, still_open in report.orders:
        rows += [
            ["orders", f"{label}: received", received],
            ["orders", f"{label}: on time", on_time],
            ["orders", f"{label}: late", late],
            ["orders", f"{label}: open", still_open],
        ]
    rows.append(["appeals", "filed", report.appeals_filed])
    rows.append(["appeals", "decided", report.appeals_decided])
    rows.append(["appeals", "reversed", report.appeals_reversed])
    return [[str(cell) for cell in row] for row in rows]


def months_available(now=None) -> list[tuple[int, int]]:
    """The last twelve months, newest first (the current one included)."""
    now = timezone.localtime(now or timezone.now())
    year, month = now.year, now.month
    months = []
    for _ in range(12):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def is_valid_month(year: int, month: int, now=None) -> bool:
    now = timezone.localtime(now or timezone.now())
    return 1 <= month <= 12 and year >= 2020 and (year, month) <= (now.year, now.month)
