"""Security headers a council's assurance team asks for: a Content-Security-Policy with a nonce for
the one inline script, a Permissions-Policy, and Cache-Control: no-store on every child-level page and
every download."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.roles import ADMINISTRATOR, COMMITTEE_OFFICER, PLACEMENTS_OFFICER
from tests.test_permission_matrix import _declared_cases

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [ROOT / "templates", *sorted(p for p in ROOT.glob("*/templates") if "node_modules" not in p.parts)]


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


def _no_store(response) -> bool:
    return "no-store" in {v.strip() for v in response.get("Cache-Control", "").split(",")}


# --- Content-Security-Policy ---


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_whose_nonce_is_on_every_inline_script(client, make_user):
    client.force_login(make_user(ADMINISTRATOR))
    response = client.get(reverse("home"))
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    nonces = [s[len("'nonce-"):-1] for s in csp["script-src"] if s.startswith("'nonce-")]
    assert csp["script-src"][0] == "'self'" and len(nonces) == 1
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", html)
    assert inline, "base.html has an inline script (the js-enabled class)"
    assert all(f'nonce="{nonces[0]}"' in attrs for attrs in inline), inline


@pytest.mark.django_db
def test_each_request_gets_a_new_nonce(client, make_user):
    client.force_login(make_user(ADMINISTRATOR))
    first = _csp(client.get(reverse("home")))["script-src"]
    second = _csp(client.get(reverse("home")))["script-src"]
    assert first != second


def test_sign_in_page_has_the_csp_too(client):
    response = client.get(reverse("login"))
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]


def _templates():
    for directory in TEMPLATE_DIRS:
        yield from directory.rglob("*.html")


def test_no_template_has_an_inline_script_without_the_nonce_an_event_handler_or_a_style_attribute():
    problems = []
    for path in _templates():
        text = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", path.read_text(), flags=re.S)
        name = path.relative_to(ROOT)
        for tag in re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", text):
            if 'nonce="{{ request.csp_nonce }}"' not in tag:
                problems.append(f"{name}: inline script without the nonce: {tag}")
        for attr in re.findall(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", text):
            problems.append(f"{name}: inline event handler {attr}=")
        if re.search(r"<[a-zA-Z][^>]*\sstyle\s*=", text):
            problems.append(f"{name}: style attribute (blocked by style-src 'self')")
        if re.search(r"<style(?=[\s>])(?![^>]*nonce=)", text):
            problems.append(f"{name}: <style> element without the nonce")
    assert len(list(_templates())) > 50
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_no_page_renders_a_style_attribute_handler_or_script_without_the_nonce(client, users):
    """What templates, widgets, tables and charts render together, on every page an administrator opens."""
    client.force_login(users[ADMINISTRATOR])
    problems = []
    for name, (kwargs, expected) in sorted(_declared_cases().items()):
        if expected[ADMINISTRATOR] != 200:
            continue
        response = client.get(reverse(name, kwargs=kwargs or None))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        for tag in re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html):
            if not nonce or f'nonce="{nonce.group(1)}"' not in tag:
                problems.append(f"{name}: inline script without the nonce: {tag}")
        problems += [f"{name}: {m}" for m in re.findall(r"<[a-zA-Z][^>]*\s(?:style|on[a-z]+)=[^>]*>", html)]
    assert not problems, "\n".join(problems)


def test_trend_charts_use_presentation_attributes_not_style():
    from datetime import date

    from core.charts import trend_chart_svg

    svg = trend_chart_svg([(date(2025, 3, 31), 10), (date(2025, 6, 30), 12)], target=11, benchmark=9)
    assert "style=" not in svg and "<style" not in svg and 'stroke="' in svg


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_its_indicator_style(client, make_user):
    client.force_login(make_user(COMMITTEE_OFFICER))
    html = client.get(reverse("reports")).content.decode()
    assert "htmx.min.js" in html
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', html)
    assert meta and '"includeIndicatorStyles":false' in meta.group(1).replace(" ", "")


# --- Permissions-Policy ---


@pytest.mark.django_db
def test_permissions_policy_turns_off_powerful_features(client, make_user):
    client.force_login(make_user(PLACEMENTS_OFFICER))
    header = client.get(reverse("home"))["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


# --- Cache-Control: no-store ---


@pytest.mark.django_db
def test_every_child_level_page_is_no_store(client, users):
    """Walk the permission matrix as the roles that see child-level data: every placements page, the
    history of a child, and any other page that shows a child's reference is never stored."""
    from placements.models import Child

    cases = _declared_cases()
    references = list(Child.objects.values_list("reference", flat=True))
    assert references
    checked, problems = [], []
    for role in (ADMINISTRATOR, PLACEMENTS_OFFICER):
        client.force_login(users[role])
        for name, (kwargs, expected) in sorted(cases.items()):
            if expected[role] != 200:
                continue
            response = client.get(reverse(name, kwargs=kwargs or None))
            body = response.content.decode(errors="replace") if not response.streaming else ""
            child_level = name.startswith("placements:") or (
                name == "record_history" and kwargs["app_label"] == "placements"
            ) or any(ref in body for ref in references)
            if child_level:
                checked.append(name)
                if not _no_store(response):
                    problems.append(f"{role} {name}: Cache-Control {response.get('Cache-Control')!r}")
    assert {"placements:child", "placements:list", "placements:ipa_queue", "placements:panel_reviews",
            "placements:cost_approvals", "placements:placement", "record_history"} <= set(checked)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_download_is_no_store(client, users, settings, tmp_path):
    from contracts.tests.factories import ContractFactory
    from kpis.tests.factories import IndicatorFactory, MeasurementFactory
    from reports.tests.factories import ReportRunFactory

    settings.MEDIA_ROOT = tmp_path
    MeasurementFactory(indicator=IndicatorFactory())
    ContractFactory()
    run = ReportRunFactory(status="complete", page_count=1)
    run.file.save("report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    client.force_login(users[ADMINISTRATOR])
    downloads = [
        f"{reverse('kpis:index')}?export=csv",
        f"{reverse('kpis:index')}?export=xlsx",
        reverse("contracts:export", kwargs={"fmt": "csv"}),
        reverse("contracts:export", kwargs={"fmt": "xlsx"}),
        reverse("contracts:transparency"),
        reverse("contracts:ocds"),
        reverse("reports_download", kwargs={"pk": run.pk}),
    ]
    problems = []
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment"), url
        if not _no_store(response) or "private" not in response["Cache-Control"]:
            problems.append(f"{url}: Cache-Control {response.get('Cache-Control')!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_a_committee_officer_sees_the_aggregate_placements_dashboard_no_store_too(client, users):
    client.force_login(users[COMMITTEE_OFFICER])
    response = client.get(reverse("placements:index"))
    assert response.status_code == 200 and _no_store(response)
