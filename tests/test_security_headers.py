"""Security headers a council's assurance team asks for: a Content-Security-Policy with a nonce for
the one inline script, a Permissions-Policy, and Cache-Control: no-store on every child-level page and
every download."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from commissioning.roles import ADMINISTRATOR, COMMITTEE_OFFICER, PLACEMENTS_OFFICER

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


def test_trend_charts_use_presentation_attributes_not_style():
    from datetime import date

    from kpis.charts import trend_chart_svg

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
