import pytest
from django.urls import reverse

from core.imports import ImportSummary
from core.services import import_record_create

pytestmark = pytest.mark.django_db


def _records(n, user):
    for i in range(n):
        import_record_create(area="contracts", kind="contracts", filename=f"register-{i}.csv", data=str(i).encode(),
                             summary=ImportSummary(created=i), user=user)
    import_record_create(area="kpis", kind="framework", filename="kpis.xlsx", data=b"x", summary=ImportSummary(),
                         user=user)


@pytest.mark.parametrize("n", [3, 30])
def test_the_imports_page_lists_one_areas_imports_in_the_same_number_of_queries(
    n, commissioner, commissioner_client, django_assert_num_queries
):
    _records(n, commissioner)
    commissioner_client.get(reverse("contracts:imports"))  # warm the session and permission caches
    with django_assert_num_queries(7):
        html = commissioner_client.get(reverse("contracts:imports")).content.decode()
    assert html.count("register-") == n and "kpis.xlsx" not in html
