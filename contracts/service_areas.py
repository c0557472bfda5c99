"""The service areas every council starts with: the areas contracts used when service area was a fixed
list, then the children's services areas councils commonly commission. Administrators add more in the
admin; imports add the ones a file names."""

SERVICE_AREAS = [
    ("fostering", "Fostering"),
    ("residential", "Residential care"),
    ("send", "SEND and independent schools"),
    ("leaving_care", "Leaving care and supported accommodation"),
    ("short_breaks", "Short breaks"),
    ("early_help", "Early help and family support"),
    ("advocacy", "Advocacy and independent visitors"),
    ("health", "Health and emotional wellbeing"),
    ("youth", "Youth services"),
    ("send_transport", "SEND transport"),
    ("supported_accom", "Supported accommodation"),
    ("family_support", "Family support"),
    ("edge_of_care", "Edge of care"),
    ("childrens_centres", "Children's centres"),
    ("parenting", "Parenting support"),
    ("uasc", "Unaccompanied asylum-seeking children"),
    ("youth_justice", "Youth justice"),
    ("other", "Other"),
]


def service_areas_seed(sender=None, **kwargs) -> None:
    """Make sure the starting areas exist (idempotent). Runs after every migrate, so a database emptied by
    `flush` (as transactional tests do) gets them back as it gets the role groups back."""
    from .models import ServiceArea

    for order, (code, label) in enumerate(SERVICE_AREAS, start=1):
        ServiceArea.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})
