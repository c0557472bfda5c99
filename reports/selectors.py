"""Reads for committee reports."""

from datetime import date

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from plans.models import Meeting

from .models import ReportRun


def report_run_list():
    return ReportRun.objects.select_related("requested_by", "meeting__committee")


def report_run_get(*, pk) -> ReportRun:
    return get_object_or_404(report_run_list(), pk=pk)


def meetings_ahead(*, as_of: date, limit: int = 5) -> list[Meeting]:
    """The next committee meetings, soonest first, with how many reports have been built for each."""
    return list(
        Meeting.objects.select_related("committee")
        .filter(date__gte=as_of)
        .annotate(reports_built=Count("reports", filter=Q(reports__status=ReportRun.Status.COMPLETE)))
        .order_by("date", "committee__name")[:limit]
    )


def report_runs_requested_by(*, user, limit: int = 5) -> list[ReportRun]:
    return list(report_run_list().filter(requested_by=user)[:limit])
