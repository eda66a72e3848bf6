"""Permission matrix: every URL pattern the resolver knows × role variants × GET/POST against a declared table.

A pattern that is not declared fails the test (a new view must say who may open it). Objects are absent (pk 999999),
so an allowed request ends in 404 or a redirect, and a refused one in the login redirect or 403 — never a 200 with
data, never a 500. Only what the table declares is checked: anonymous visitors on every pattern, and non-staff
accounts (producer, commune officer) on every admin pattern; role-by-role access to staff pages is covered by the
need-to-know tests."""

import re

import pytest
from django.urls import URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Declared classes. "public": anyone may read. "account": allauth's own sign-in pages (their rules are allauth's).
# "staff": signed-in staff only (anonymous → login). "admin": Django admin (staff flag; anonymous and non-staff → the
# admin's login page).
DECLARED = {
    "public": [
        r"api:.*",
        "sitemap",
        "robots_txt",
        "media",
        "core:home",
        "verify:certificate",
        "verify:lookup",
        r"catalog:.*",
        r"trace_scan:.*",
    ],
    "account": [r"account_.*", r"mfa_.*", "admin:login", "admin:logout"],
    "staff": [
        "core:dashboard",
        r"geo:.*",
        r"accounts:.*",
        r"audit:.*",
        r"producers:.*",
        r"products:.*",
        r"cycles:.*",
        r"evaluation:.*",
        r"certificates:.*",
        r"trade:.*",
        r"reports:.*",
        r"traceability:.*",
    ],
    "admin": [r"admin:(?!login$|logout$).*"],
}
# Staff patterns that only redirect to another staff page (which then asks for a login).
STAFF_REDIRECTS = {"trade:index": "trade:point_of_sale_list"}
_KWARGS = {"int": "999999", "slug": "khong-co", "str": "khong-co", "path": "999999"}
_SPECIAL = {"app_label": "accounts", "key": "khong-co", "uidb36": "1", "path": "khong-co.png", "token": "khong-co"}


def _walk(resolver, ns=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, ":".join(x for x in [ns, p.namespace] if x) or None)
        else:
            yield (f"{ns}:" if ns else "") + (p.name or ""), p


def _url(name, pattern):
    regex = pattern.pattern.regex
    kwargs = {}
    for group in regex.groupindex:
        converter = pattern.pattern.converters.get(group) if hasattr(pattern.pattern, "converters") else None
        kind = type(converter).__name__.replace("Converter", "").lower() if converter else "str"
        kwargs[group] = _SPECIAL.get(group, _KWARGS.get(kind, "1"))
        if group == "object_id":
            kwargs[group] = "999999"
    return reverse(name, kwargs=kwargs)


def _classify(name):
    found = [cls for cls, names in DECLARED.items() if any(re.fullmatch(n, name) for n in names)]
    return found[0] if len(found) == 1 else None


# Unnamed patterns cannot be reversed; they are counted, not opened.
ALL_PATTERNS = list(_walk(get_resolver()))
PATTERNS = [(name, p) for name, p in ALL_PATTERNS if p.name]


def test_every_pattern_is_declared_exactly_once():
    undeclared = [name for name, _ in PATTERNS if _classify(name) is None]
    assert undeclared == []
    assert len(PATTERNS) > 250
    # The only unnamed ones are the admin's redirect from <object_id>/ to its change page and its catch-all.
    assert {str(p.pattern) for _, p in ALL_PATTERNS if not p.name} <= {"<path:object_id>/", "(?P<url>.*)$"}


def _check_anonymous(client, name, url, method):
    response = getattr(client, method)(url)
    cls = _classify(name)
    assert response.status_code != 500, (name, url)
    if cls == "staff":
        assert response.status_code in (302, 405), (name, method, response.status_code)
        if response.status_code == 302 and name in STAFF_REDIRECTS:
            assert response["Location"] == reverse(STAFF_REDIRECTS[name])
        elif response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login")), (name, response["Location"])
    elif cls == "admin":
        assert response.status_code in (302, 405), (name, method, response.status_code)
        if response.status_code == 302:
            assert reverse("admin:login") in response["Location"], (name, response["Location"])
    else:  # public pages and allauth's: answered (a page, a redirect, 404 for an absent object, 405), never a 500
        assert response.status_code in (200, 301, 302, 400, 403, 404, 405), (name, method, response.status_code)
    return response.status_code


def test_anonymous_matrix(client, tree):
    seen = {}
    for name, pattern in PATTERNS:
        url = _url(name, pattern)
        for method in ("get", "post"):
            seen[(name, method)] = _check_anonymous(client, name, url, method)
    # The matrix is the full declared table (patterns × GET/POST), not a sample.
    assert len(seen) == 2 * len(PATTERNS)


@pytest.mark.parametrize("who", ["producer", "commune_x"])
def test_non_staff_accounts_never_open_an_admin_page(client, users, who):
    client.force_login(getattr(users, who))
    checked = 0
    for name, pattern in PATTERNS:
        if _classify(name) != "admin":
            continue
        url = _url(name, pattern)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 405), (name, method, response.status_code)
            if response.status_code == 302:
                assert reverse("admin:login") in response["Location"], (name, response["Location"])
            checked += 1
    assert checked == 2 * sum(_classify(name) == "admin" for name, _ in PATTERNS) > 250
