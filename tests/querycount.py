"""Query counts of a page at two sizes: a list page must cost exactly the same at 1 row as at many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url, data=None):
    """The SQL queries of one GET of ``url`` (which must answer 200), and the response."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in ctx.captured_queries], response


def assert_same_queries(one, many):
    """Equal counts, and on failure the queries the larger page added (an N+1 shows as one repeated statement)."""
    extra = sorted(set(many) - set(one)) if len(many) != len(one) else []
    assert len(one) == len(many), f"{len(one)} queries at 1 row, {len(many)} at many; new statements: {extra[:3]}"
