from core.access import allowed
from core.roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER, PLACEMENTS_OFFICER

from .factories import ReportRunFactory

# Reports: every role with reports.view_reportrun reads them (the Viewer never does);
# building and retrying need add_reportrun (Commissioner, Committee officer, Administrator).
REPORT_READERS = (ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER, COMMITTEE_OFFICER)
REPORT_BUILDERS = (ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER)


def url_cases():
    complete = ReportRunFactory(status="complete", file="reports/missing.pdf", page_count=3)
    return {
        "reports": ({}, allowed(*REPORT_READERS)),
        "reports_new": ({}, allowed(*REPORT_BUILDERS)),
        "reports_subscribe": ({}, allowed(*REPORT_READERS, status=405)),  # POST only
        "reports_detail": ({"pk": complete.pk}, allowed(*REPORT_READERS)),
        "reports_status": ({"pk": complete.pk}, allowed(*REPORT_READERS)),
        "reports_preview": ({"pk": complete.pk}, allowed(*REPORT_READERS)),
        # The stored file is missing here, so readers get 404; the others are refused first.
        "reports_download": ({"pk": complete.pk}, allowed(*REPORT_READERS, status=404)),
        "reports_retry": ({"pk": complete.pk}, allowed(*REPORT_BUILDERS, status=405)),  # POST only
    }
