"""Tables in the PDF: a total is printed once, at the end of its table, even when the table runs over a page."""

from django.templatetags.static import static

from reports.build import html_to_pdf
from tests.pdf import pdf_text


def test_a_table_over_two_pages_prints_its_total_once():
    rows = "".join(f"<tr><td>Placement type {i}</td><td class='num'>{i}</td></tr>" for i in range(90))
    html = (
        f"<html lang='en'><head><title>t</title><link rel='stylesheet' href='{static('reports/pdf/report.css')}'>"
        "</head><body><table class='data'><caption>Children looked after by placement type</caption>"
        "<thead><tr><th scope='col'>Placement type</th><th scope='col'>Children</th></tr></thead>"
        f"<tbody>{rows}</tbody><tfoot><tr><th scope='row'>Total</th><td class='num'>212</td></tr></tfoot>"
        "</table></body></html>"
    )
    pdf, pages = html_to_pdf(html)
    text = pdf_text(pdf)
    assert pages >= 2
    assert text.count("Total 212") == 1 and "Placement type 89 89 Total 212" in text
    assert text.count("Placement type Children") == pages  # the header still repeats on every page
