"""The project ships its fonts (Arimo, Arial's metrics, from npm; Liberation Sans and two Noto symbol fonts in
static/fonts/) and every page, PDF and chart loads them from the project's own static files: a machine with no
fonts at all prints every character of every report, and embeds the same fonts in the same places."""

import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import tinycss2
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import transaction
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from core.charts import FONT_FAMILY, bar_chart_svg, timeline_svg, trend_chart_svg
from reports.build import render_report_html
from reports.models import ReportRun
from reports.services import report_run_request
from tests.pdf import normalise_whitespace, pdf_text

ROOT = Path(__file__).resolve().parents[1]
# static/css/fonts.css, in the order pages, reports and charts list them (the first that has a character draws it).
SHIPPED_FAMILIES = ["Arimo", "Liberation Sans", "Noto Sans Symbols 2", "Noto Sans Math"]

# Run in a fresh process: fontconfig reads its configuration once per process.
RENDER = r"""
import io, json, sys
import django
django.setup()
from pypdf import PdfReader
from reports.pdf import html_to_pdf

html = '''<!DOCTYPE html><html lang="en-GB"><head><title>t</title>
<link rel="stylesheet" href="/static/reports/pdf/report.css"></head>
<body><p>Plain <strong>bold</strong> <em>italic</em> <strong><em>bold italic</em></strong> £1,250.50</p>
</body></html>'''
pdf, _ = html_to_pdf(html)

def fonts(resources, seen):
    resources = resources.get_object() if resources is not None else {}
    for font in resources.get("/Font", {}).values():
        seen.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    for xobject in resources.get("/XObject", {}).values():
        fonts(xobject.get_object().get("/Resources"), seen)
    return seen

seen = set()
for page in PdfReader(io.BytesIO(pdf)).pages:
    fonts(page.get("/Resources"), seen)
sys.stdout.buffer.write(pdf)
sys.stderr.write("FONTS " + json.dumps(sorted(seen)) + "\n")
"""


def test_a_report_embeds_arimo_on_a_machine_with_no_fonts(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(  # no <dir>: fontconfig sees no font at all
        f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n'
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "DJANGO_SETTINGS_MODULE": "commissioning.settings_test"}
    result = subprocess.run(
        [sys.executable, "-W", "ignore::UserWarning", "-c", RENDER], cwd=ROOT, env=env, capture_output=True,
        timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    fonts_line = next(line for line in result.stderr.decode().splitlines() if line.startswith("FONTS "))
    assert json.loads(fonts_line.removeprefix("FONTS ")) == ["Arimo", "Arimo-Bold", "Arimo-Bold-Italic", "Arimo-Italic"]
    text = pdf_text(result.stdout)
    assert "Plain bold italic bold italic £1,250.50" in text
    assert "Page 1 of 1" in text  # the @page margin box has the font too


def test_every_font_file_the_stylesheets_name_is_a_static_file():
    css = (ROOT / "static" / "css" / "fonts.css").read_text()
    urls = re.findall(r'url\("([^"]+)"\)', css)
    # Arimo (its Latin subset) and Liberation Sans: 2 weights x 2 styles each; two symbol fonts: one file each
    assert len(urls) == 10
    assert all(url.endswith((".woff", ".ttf")) for url in urls)  # WeasyPrint decodes WOFF2 in pure Python: slow
    for url in urls:
        assert finders.find(posixpath.normpath(posixpath.join("css", url))), url
    assert "css/fonts.css" in (ROOT / "templates" / "base.html").read_text()
    report_css = finders.find("reports/pdf/report.css")
    assert '@import url("../../css/fonts.css")' in Path(report_css).read_text()
    for folder in ("liberation-sans", "noto-sans-symbols-2", "noto-sans-math"):
        assert "SIL Open Font License" in (ROOT / "static" / "fonts" / folder / "LICENSE").read_text()


def font_faces() -> list[dict]:
    """Each @font-face rule of fonts.css: family, style, weight, the font file and the characters it claims. The
    file is all @font-face rules and comments: a stray "*/" in a comment would hide the rules after it."""
    css = (ROOT / "static" / "css" / "fonts.css").read_text()
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    assert [(rule.type, getattr(rule, "lower_at_keyword", "")) for rule in rules] == [("at-rule", "font-face")] * 10
    faces = []
    for rule in rules:
        declarations = {
            d.lower_name: tinycss2.serialize(d.value).strip()
            for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
        }
        chars = set()
        for part in declarations["unicode-range"].split(","):
            first, _, last = part.strip().upper().removeprefix("U+").partition("-")
            chars.update(range(int(first, 16), int(last or first, 16) + 1))
        url = re.search(r'url\("([^"]+)"\)', declarations["src"])[1]
        faces.append({
            "family": declarations["font-family"].strip('"'), "style": declarations["font-style"],
            "weight": int(declarations["font-weight"]), "chars": chars,
            "path": finders.find(posixpath.normpath(posixpath.join("css", url))),
        })
    return faces


def test_every_font_face_claims_only_characters_its_file_draws():
    """WeasyPrint takes a rule's unicode-range as what its font has: a claimed character the file lacks prints as an
    empty box, and no later font is tried (bin/font-faces writes the ranges from the files)."""
    for face in font_faces():
        drawn = set(TTFont(face["path"]).getBestCmap())
        assert face["chars"] <= drawn, (face["path"], "".join(sorted(map(chr, face["chars"] - drawn)))[:50])


def test_fonts_css_is_what_bin_font_faces_writes_from_the_font_files():
    result = subprocess.run(
        [sys.executable, "bin/font-faces", "--check"], cwd=ROOT, capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr.decode()


def test_no_two_font_files_share_a_family_style_and_weight():
    """WeasyPrint makes one PDF font of the files that share them: one file's glyphs drawn by the other's glyph ids,
    every letter of that font garbled (so Arimo's Latin Extended subset is not shipped: Liberation Sans has it)."""
    faces = [(face["family"], face["style"], face["weight"]) for face in font_faces()]
    assert len(faces) == len(set(faces))


# Every character the pages, reports and charts print beyond ASCII (grep templates and Python for others), and
# what people type into names and notes: accented Latin letters (Welsh, Polish, Vietnamese), arrows and signs.
PRINTED = "£€–—‘’“”…·•° ½×÷±−≤≥≠≈‰†→←↑↓↔↗↘⇒✓✔✗ÀÉÎÕÜçëñøßŁłŚźŻŵŷẂẀẄ Ỳ ĞİşĂțỆễứ"


def test_the_shipped_fonts_have_every_character_printed_in_every_style():
    faces = font_faces()
    assert {face["family"] for face in faces} == set(SHIPPED_FAMILIES)
    for style, weight in [("normal", 400), ("italic", 400), ("normal", 700), ("italic", 700)]:
        covered = set().union(*(
            face["chars"] for face in faces
            if (face["style"], face["weight"]) == (style, weight) or face["family"].startswith("Noto")
        ))
        missing = [char for char in PRINTED if char != " " and ord(char) not in covered]
        assert missing == [], (style, weight)


def test_pages_reports_and_charts_name_the_shipped_fonts_in_one_order():
    chain = ", ".join(f'"{family}"' if " " in family else family for family in SHIPPED_FAMILIES)
    report_css = Path(finders.find("reports/pdf/report.css")).read_text()
    assert re.findall(r"font-family: ([^;]+);", report_css) == [chain, chain]  # @page's margin boxes and the body
    app_css = (ROOT / "static" / "css" / "app.css").read_text()
    assert f'font-family: "Arimo", {chain.removeprefix("Arimo, ")}, arial, sans-serif !important;' in app_css
    assert FONT_FAMILY == chain.replace('"', "'")
    today = date(2026, 3, 31)
    charts = [
        trend_chart_svg([(today, 1)], title="t"), trend_chart_svg([], title="t"),
        bar_chart_svg([("a", 1, "1")], title="t"), timeline_svg([(today, None, "a")], today=today, title="t"),
    ]
    for svg in charts:
        assert re.match(r"<svg [^>]*font-family=\"([^\"]+)\"", svg)[1] == FONT_FAMILY, svg[:300]


def test_pdf_text_does_not_depend_on_where_a_line_wraps():
    from reports.pdf import html_to_pdf

    pdf, _ = html_to_pdf('<p style="width: 25mm">Re-tender the supported lodgings contract</p>')
    assert "lodgings\ncontract" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()  # the line did wrap
    assert "Re-tender the supported lodgings contract" in pdf_text(pdf)
    assert normalise_whitespace(" a \n\t b\n") == "a b"


# Every kind of report, built from the demo data with these in its front sheet: the title printed bold, the summary
# in the body, the lead officer in the front sheet's table. The KPI tables and charts bring their own text.
BUILT_ON = datetime(2026, 4, 20, 9, 0, tzinfo=ZoneInfo("Europe/London"))
TITLE = "Sufficiency → placements ≤ 12 weeks ✓"
SUMMARY = "Fees ≤ £5,000 × 2 − 3% ↑ ↓ → ← ↔ ↗ ↘ ⇒ ≥ ≠ – — ‰ † ✓ ✔ ✗ “quoted” ½"
LEAD_OFFICER = "Zoë Łukasiewicz Nguyễn Ŵyn Çelik Ørsted"
# What pdffonts calls each shipped family (a subset prefix "ABCDEF+" before it, a style after it).
PDF_FONT_NAMES = ("Arimo", "Liberation-Sans", "Noto-Sans-Symbols-2", "Noto-Sans-Math")

# Each report's HTML to PDF, in a fresh process: fontconfig reads its configuration when a process first uses it.
CONVERT = r"""
import sys
from pathlib import Path
import django
django.setup()
from reports.pdf import html_to_pdf

for path in sorted(Path(sys.argv[1]).glob("*.html")):
    pdf, _ = html_to_pdf(path.read_text())
    (Path(sys.argv[2]) / path.name).with_suffix(".pdf").write_bytes(pdf)
"""


@pytest.fixture(scope="module")
def report_html(django_db_setup, django_db_blocker, tmp_path_factory):
    """A folder with every kind of report as HTML (kind.html), from the demo data (rolled back afterwards)."""
    folder = tmp_path_factory.mktemp("reports")
    with django_db_blocker.unblock(), time_machine.travel(BUILT_ON, tick=False), transaction.atomic():
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        for kind in ReportRun.Kind.values:
            run = report_run_request(
                kind=kind, period="2025-Q4", requested_by=None, queue=False, title=TITLE, summary=SUMMARY,
                lead_officer=LEAD_OFFICER,
            )
            (folder / f"{kind}.html").write_text(render_report_html(run))
        transaction.set_rollback(True)
    return folder


def convert_to_pdf(folder: Path, out: Path, *, fonts_conf: Path | None) -> str:
    """Write out/kind.pdf for each folder/kind.html; fonts_conf replaces the machine's fontconfig configuration.
    Returns what the conversion logged."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "commissioning.settings_test"}
    if fonts_conf:
        env["FONTCONFIG_FILE"] = str(fonts_conf)
    result = subprocess.run(
        [sys.executable, "-W", "ignore::UserWarning", "-c", CONVERT, str(folder), str(out)], cwd=ROOT, env=env,
        capture_output=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    return result.stderr.decode()


def poppler(tool: str, *args: str) -> str:
    """pdffonts or pdftotext (Debian's poppler-utils, which `make install` installs)."""
    assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils (make install does)"
    return subprocess.run([tool, *args], capture_output=True, check=True, timeout=60).stdout.decode()


def embedded_fonts(pdf: Path) -> set[tuple[str, str]]:
    """(font name without its subset prefix, embedded yes/no) for each font pdffonts lists."""
    lines = poppler("pdffonts", str(pdf)).splitlines()[2:]  # a heading and a rule first
    # name, type (one to three words), encoding, emb, sub, uni, object number, generation
    return {(line.split()[0].split("+", 1)[-1], line.split()[-5]) for line in lines}


# django_db: the module's report_html runs on the test database. One xdist process builds the reports for both.
@pytest.mark.django_db
@pytest.mark.xdist_group("report-fonts")
def test_every_report_kind_prints_every_character_in_the_shipped_fonts_on_a_machine_with_no_fonts(
    report_html, tmp_path,
):
    conf = tmp_path / "fonts.conf"
    conf.write_text(  # no <dir>: fontconfig sees no font at all
        f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n'
    )
    log = convert_to_pdf(report_html, tmp_path, fonts_conf=conf)
    assert ".notdef" not in log  # WeasyPrint's word for a character no font has: an empty box on the page
    assert sorted(path.stem for path in tmp_path.glob("*.pdf")) == sorted(ReportRun.Kind.values)
    for kind in ReportRun.Kind.values:
        pdf = tmp_path / f"{kind}.pdf"
        fonts = embedded_fonts(pdf)
        assert all(name.startswith(PDF_FONT_NAMES) and embedded == "yes" for name, embedded in fonts), (kind, fonts)
        names = {name.rstrip(",") for name, _ in fonts}  # pdffonts writes "Noto-Sans-Symbols-2,"
        assert {"Arimo", "Arimo-Bold", "Liberation-Sans", "Liberation-Sans-Bold"} <= names, (kind, names)
        assert {"Noto-Sans-Symbols-2", "Noto-Sans-Math"} <= names, (kind, names)  # ✓ and ↗ in the summary
        text = normalise_whitespace(poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
        for printed in (TITLE, SUMMARY, LEAD_OFFICER):
            assert printed in text, (kind, printed)


@pytest.mark.django_db
@pytest.mark.xdist_group("report-fonts")
def test_every_report_kind_embeds_only_the_shipped_fonts_on_this_machine(report_html, tmp_path):
    """With the machine's own fonts (DejaVu on Debian), nothing falls back to one: not a chart's text either."""
    convert_to_pdf(report_html, tmp_path, fonts_conf=None)
    for kind in ReportRun.Kind.values:
        fonts = embedded_fonts(tmp_path / f"{kind}.pdf")
        assert all(name.startswith(PDF_FONT_NAMES) for name, _ in fonts), (kind, fonts)
