"""Query counts of a page at two sizes: a list page must cost exactly the same at 1 row as at many."""

import re
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url, data=None):
    """The SQL queries of one GET of ``url`` (which must answer 200), and the response."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in ctx.captured_queries], response


def _shape(sql):
    return re.sub(r"\b\d+\b|_django_curs_\w+", "?", sql)


def assert_same_queries(one, many):
    """Exactly equal counts; on failure, the statement the larger page repeats (an N+1 shows as one shape)."""
    assert one, "no query at all: the page came from a cache, nothing was measured"
    extra = Counter(map(_shape, many)) - Counter(map(_shape, one))
    assert len(one) == len(many), f"{len(one)} queries at 1 row, {len(many)} at many; added: {extra.most_common(2)}"
