"""Apps add to a report's data notes by registration (core.registry.DataNoteSpec), never by import."""

from unittest import mock

import pytest
from django.urls import reverse

from core.registry import DataNoteSpec, registry
from reports.build import render_report_html
from reports.tests.factories import ReportRunFactory

pytestmark = pytest.mark.django_db


def test_the_placements_section_brings_the_link_to_how_each_figure_is_worked_out(settings):
    settings.SITE_URL = "https://commissioning.example.gov.uk"
    url = "https://commissioning.example.gov.uk" + reverse("placements:definitions")
    html = render_report_html(ReportRunFactory(kind="placements"))
    notes = html[html.index("Data notes</h2>"):]
    assert f'<a href="{url}">How each figure is worked out</a> ({url}).' in notes
    assert '"Children looked after in England including adoptions"' in notes.replace("&quot;", '"')


def test_a_report_without_the_section_leaves_its_note_out():
    html = render_report_html(ReportRunFactory(kind="actions"))
    assert "How each figure is worked out" not in html


def test_a_note_for_every_report_is_printed_in_order():
    notes = {
        "b": DataNoteSpec(key="b", text="Second note.", order=2),
        "a": DataNoteSpec(key="a", text="First note.", order=1),
    }
    with mock.patch.dict(registry.data_notes, notes, clear=True):
        html = render_report_html(ReportRunFactory(kind="actions"))
    assert html.index('<p class="data-note">First note.</p>') < html.index('<p class="data-note">Second note.</p>')
