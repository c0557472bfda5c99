"""Deploy checks (`manage.py check --deploy`) for the open-data files: what would make them unpublishable."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

PLACEHOLDER_OCID_PREFIX = "ocds-xxxxxx"
# A registered prefix is "ocds-" and six letters or digits, given by the OCDS Helpdesk.
OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - names compared, nothing bound


def open_data_deploy_checks(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    warnings = []
    prefix = settings.CONTRACT_OCID_PREFIX
    if prefix == PLACEHOLDER_OCID_PREFIX:
        warnings.append(checks.Warning(
            f"CONTRACT_OCID_PREFIX is the placeholder {PLACEHOLDER_OCID_PREFIX}: OCDS releases published with it "
            "clash with every other publisher's.",
            hint="Register an ocid prefix with the OCDS Helpdesk (data@open-contracting.org) and set "
                 "CONTRACT_OCID_PREFIX to it.",
            id="contracts.W001",
        ))
    elif not OCID_PREFIX.match(prefix):
        warnings.append(checks.Warning(
            f"CONTRACT_OCID_PREFIX '{prefix}' is not an ocid prefix: one is 'ocds-' and six letters or digits.",
            hint="Set CONTRACT_OCID_PREFIX to the prefix the OCDS Helpdesk registered for the council.",
            id="contracts.W002",
        ))
    if not settings.OCDS_BUYER_ID:
        warnings.append(checks.Warning(
            "OCDS_BUYER_ID is not set: OCDS releases name the council as buyer without an identifier.",
            hint="Set OCDS_BUYER_SCHEME (GB-LAE for a local authority in England) and OCDS_BUYER_ID to the "
                 "council's code in that scheme.",
            id="contracts.W003",
        ))
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https" or (site.hostname or "") in LOCAL_HOSTS:
        warnings.append(checks.Warning(
            f"SITE_URL is {settings.SITE_URL}: the OCDS package's address and the links in emails point there.",
            hint="Set SITE_URL to the site's public https address.",
            id="contracts.W004",
        ))
    return warnings
