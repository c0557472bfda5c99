"""The project ships its font (Arimo, Arial's metrics, from npm) and every page and PDF loads it from the project's
own static files: a machine with no fonts at all embeds the same font in the same places."""

import io
import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

from django.contrib.staticfiles import finders
from pypdf import PdfReader

from tests.pdf import normalise_whitespace, pdf_text

ROOT = Path(__file__).resolve().parents[1]

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
    assert len(urls) == 8  # 2 weights x 2 styles x 2 subsets (Latin, Latin Extended)
    assert all(url.endswith(".woff") for url in urls)  # WeasyPrint decodes WOFF2 in pure Python: seconds per report
    for url in urls:
        assert finders.find(posixpath.normpath(posixpath.join("css", url))), url
    assert "css/fonts.css" in (ROOT / "templates" / "base.html").read_text()
    report_css = finders.find("reports/pdf/report.css")
    assert '@import url("../../css/fonts.css")' in Path(report_css).read_text()


def test_pdf_text_does_not_depend_on_where_a_line_wraps():
    from reports.pdf import html_to_pdf

    pdf, _ = html_to_pdf('<p style="width: 25mm">Re-tender the supported lodgings contract</p>')
    assert "lodgings\ncontract" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()  # the line did wrap
    assert "Re-tender the supported lodgings contract" in pdf_text(pdf)
    assert normalise_whitespace(" a \n\t b\n") == "a b"
