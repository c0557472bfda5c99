import datetime

# The day the programme's page tests see (the `on_test_day` fixture): due dates and overdue gateways are relative to it.
TEST_DAY = datetime.date(2026, 6, 10)


def page_text(response) -> str:
    """A page's HTML with its whitespace run together, as a reader sees the words."""
    return " ".join(response.content.decode().split())
