"""Production: hardens the base settings. There is no default secret key: DJANGO_SECRET_KEY must be set.

Nor is there a default public domain: OCOP_SITE_DOMAIN is printed in every certificate's QR code and every
e-mail link, and a certificate pointing at 127.0.0.1 cannot be verified by anyone.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SITE_DOMAIN = env("OCOP_SITE_DOMAIN", default="").strip()
if not SITE_DOMAIN or SITE_DOMAIN.split(":")[0] in ("127.0.0.1", "localhost", "0.0.0.0", "::1", "[::1]"):  # noqa: S104 - refused, not bound
    raise ImproperlyConfigured(
        "Set OCOP_SITE_DOMAIN to the portal's public domain (e.g. ocop.quangninh.gov.vn): it is printed in the "
        "QR code of every certificate and in e-mail links, and must not be a local address."
    )
SITE_SCHEME = env("OCOP_SITE_SCHEME", default="https")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_SCHEME

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Static files with long-lived hashed names, served by whitenoise straight after the security middleware.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
CONN_MAX_AGE = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE  # noqa: F405
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
