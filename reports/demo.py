"""Demo subscriptions: the committee officer and the commissioner are emailed the quarterly report."""

from core.roles import COMMISSIONER, COMMITTEE_OFFICER

from .models import ReportSubscription


def load(*, users):
    for role in (COMMITTEE_OFFICER, COMMISSIONER):
        ReportSubscription.objects.get_or_create(user=users[role], kind="performance")
