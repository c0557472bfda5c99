"""The equality impact assessment and the options appraisal as structured records, signed off only when whole."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme import services
from programme.models import Characteristic, Option

from .factories import OptionFactory, ProjectFactory
from .pages import page_text

pytestmark = pytest.mark.django_db


def _all_neutral():
    return {value: {"impact": "neutral", "evidence": "Service data by group.", "mitigation": ""}
            for value in Characteristic.values}


def test_eia_cannot_be_signed_off_until_every_characteristic_is_assessed_and_mitigated(commissioner):
    project = ProjectFactory()
    lines = _all_neutral()
    del lines["care_experience"], lines["religion"]
    services.eia_record(project=project, lines=lines, user=commissioner)
    with pytest.raises(ValidationError) as exc:
        services.product_record(project=project, kind="eia", status="approved", user=commissioner)
    assert exc.value.messages == ["The equality impact assessment cannot be signed off until every characteristic is "
                                  "assessed. Not yet assessed: Religion or belief, Care experience."]
    services.eia_record(project=project, user=commissioner, lines={
        "religion": {"impact": "neutral", "evidence": "", "mitigation": ""},
        "care_experience": {"impact": "negative", "evidence": "Care leavers lose a named worker.", "mitigation": ""}})
    with pytest.raises(ValidationError, match="No mitigation for: Care experience"):
        services.product_record(project=project, kind="eia", status="approved", user=commissioner)
    services.eia_record(project=project, user=commissioner, lines={
        "care_experience": {"impact": "negative", "evidence": "Care leavers lose a named worker.",
                            "mitigation": "Personal advisers keep their caseloads through the change."}})
    product = services.product_record(project=project, kind="eia", status="approved", user=commissioner)
    assert (product.status, product.approved_by) == ("approved", commissioner)
    # Changing a signed-off assessment needs a new sign-off.
    services.eia_record(project=project, user=commissioner,
                        lines={"age": {"impact": "positive", "evidence": "More 16-17 places.", "mitigation": ""}})
    product.refresh_from_db()
    assert (product.status, product.approved_on) == ("draft", None)


def test_options_appraisal_needs_two_options_and_one_chosen(commissioner):
    first = OptionFactory(name="Block contract")
    project = first.product.project
    with pytest.raises(ValidationError, match="at least two options and one is chosen"):
        services.product_record(project=project, kind="options_appraisal", status="approved", user=commissioner)
    second = services.option_save(option=Option(product=first.product, name="In-house service", chosen=True,
                                                why_chosen="Lowest cost over five years."), user=commissioner)
    services.option_save(option=Option(product=first.product, name="Spot purchase", chosen=True,
                                       why_chosen="Most flexible."), user=commissioner)
    second.refresh_from_db()
    assert not second.chosen  # one chosen option per appraisal
    services.product_record(project=project, kind="options_appraisal", status="approved", user=commissioner)
    with pytest.raises(ValidationError, match="Enter why this option was chosen"):
        services.option_save(option=Option(product=first.product, name="Grant", chosen=True), user=commissioner)


def test_eia_page_saves_and_the_project_page_shows_it(commissioner_client):
    project = ProjectFactory()
    data = {f"{value}_impact": "neutral" for value in Characteristic.values}
    data.update({"disability_impact": "negative", "disability_evidence": "Fewer accessible homes."})
    response = commissioner_client.post(reverse("programme:eia", args=[project.pk]), data)
    html = page_text(response)
    assert "There is a problem" in html and "Enter how the negative impact on disability is mitigated" in html
    data["disability_mitigation"] = "Two homes adapted before the contract starts."
    response = commissioner_client.post(reverse("programme:eia", args=[project.pk]), data, follow=True)
    html = page_text(response)
    assert "Equality impact assessment saved: 10 of 10 characteristics assessed." in html
    assert "Two homes adapted before the contract starts." in html


def test_options_show_the_chosen_one_and_why(viewer_client, commissioner):
    option = OptionFactory(name="Regional framework", chosen=True, why_chosen="Best value and local homes.")
    OptionFactory(product=option.product, name="Do nothing", score=20)
    html = " ".join(viewer_client.get(option.product.project.get_absolute_url()).content.decode().split())
    assert "Why Regional framework was chosen: Best value and local homes." in html
    assert html.index("Regional framework") < html.index("Do nothing")
