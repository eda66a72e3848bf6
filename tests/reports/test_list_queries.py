"""The report list costs exactly as many queries at 1 report as at 20 (of several units and months)."""

from django.urls import reverse

from tests.factories.reports import ReportFactory
from tests.querycount import assert_same_queries, page_queries


def test_report_list_same_queries_at_1_and_20_rows(client, users, tree):
    client.force_login(users.province)
    url = reverse("reports:report_list")
    ReportFactory(unit=tree.x)
    one, response = page_queries(client, url)
    assert len(response.context["reports"]) == 1
    for i in range(19):
        ReportFactory(unit=(tree.x, tree.y, tree.d, tree.p)[i % 4], month=1 + i // 4)
    many, response = page_queries(client, url)
    assert len(response.context["reports"]) == 20
    assert_same_queries(one, many)
