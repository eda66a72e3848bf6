"""Settings shared by every environment; everything variable is read from the environment."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# The public domain printed in certificate QR codes and e-mails.
SITE_DOMAIN = env("OCOP_SITE_DOMAIN", default="127.0.0.1:8000")
SITE_SCHEME = env("OCOP_SITE_SCHEME", default="http")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "apps.core",
    "apps.geo",
    "apps.accounts",
    "apps.audit",
    "apps.producers",
    "apps.products",
    "apps.cycles",
    "apps.evaluation",
    "apps.certificates",
    "apps.catalog",
    "apps.traceability",
    "apps.reports",
    "apps.demo",
]

MIDDLEWARE = [
    "apps.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "ocop_portal.urls"
WSGI_APPLICATION = "ocop_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation",
                "apps.core.context_processors.language_links",
            ],
        },
    },
]

# With no DATABASE_URL the portal runs on an embedded SQLite file (``make run`` on a bare machine).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'ocop.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- allauth: e-mail login, no open sign-up, throttled failures, TOTP MFA ---------------------------
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Five failed logins per account (and twenty per address) in 15 minutes, then a pause.
    "login_failed": env("OCOP_LOGIN_RATE_LIMIT", default="20/15m/ip,5/15m/key"),
    # Every login attempt, successful or not: allauth's own default, settable so a load test from one address passes.
    "login": env("OCOP_LOGIN_ATTEMPT_RATE_LIMIT", default="30/m/ip"),
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_SCHEME
LOGIN_REDIRECT_URL = "core:dashboard"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cổng OCOP"
# Roles that must have TOTP before they may use the portal, when OCOP_REQUIRE_MFA is on.
OCOP_REQUIRE_MFA = env.bool("OCOP_REQUIRE_MFA", default=True)
OCOP_MFA_REQUIRED_ROLES = ["province_officer", "central_officer", "system_admin"]

# --- i18n: Vietnamese first, English available -------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ocop_portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Evidence files and certificates are private: never under the web root, served through views.
PRIVATE_STORAGE_ROOT = env("OCOP_PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private"))
MEDIA_URL = "/media/"
# Product photos (public, random names) are served by the application unless a front web server serves MEDIA_ROOT
# at MEDIA_URL itself; then set this to false.
OCOP_SERVE_MEDIA = env.bool("OCOP_SERVE_MEDIA", default=True)
OCOP_MAX_UPLOAD_BYTES = env.int("OCOP_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Web processes keep no files of their own when OCOP_FILE_STORAGE=s3: public media and private files then live in two
# buckets of an S3-compatible store (AWS, MinIO, Viettel/VNPT object storage) through django-storages, so a second
# web node or a restarted container sees every upload. Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
# (or the instance's role), as boto3 reads them.
OCOP_FILE_STORAGE = env("OCOP_FILE_STORAGE", default="filesystem")
if OCOP_FILE_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured("OCOP_FILE_STORAGE must be 'filesystem' or 's3'.")
OCOP_S3_OPTIONS = {
    "endpoint_url": env("OCOP_S3_ENDPOINT_URL", default="") or None,
    "region_name": env("OCOP_S3_REGION", default="") or None,
    "file_overwrite": False,
    "signature_version": "s3v4",
    "addressing_style": env("OCOP_S3_ADDRESSING_STYLE", default="path"),
}
OCOP_S3_PRIVATE_OPTIONS = {
    **OCOP_S3_OPTIONS,
    "bucket_name": env("OCOP_S3_PRIVATE_BUCKET", default="ocop-private"),
    "default_acl": "private",
    "querystring_auth": True,
}
if OCOP_FILE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **OCOP_S3_OPTIONS,
            "bucket_name": env("OCOP_S3_MEDIA_BUCKET", default="ocop-media"),
            # Product photos are public and have random names: plain URLs, cacheable by browsers and CDNs.
            "querystring_auth": False,
            # Set OCOP_S3_MEDIA_ACL to "" where a bucket policy makes the bucket public and ACLs are disabled.
            "default_acl": env("OCOP_S3_MEDIA_ACL", default="public-read") or None,
            "custom_domain": env("OCOP_S3_MEDIA_DOMAIN", default="") or None,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    OCOP_SERVE_MEDIA = False  # the bucket (or its CDN domain) serves the photos

# --- Cache and Celery ------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis is an optimisation: unreachable, each process falls back to its own memory (apps/core/cache.py).
    # Short socket timeouts so a dead Redis costs a request a fraction of a second, once per RETRY_AFTER.
    CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env.float("OCOP_REDIS_CONNECT_TIMEOUT", default=0.3),
                "socket_timeout": env.float("OCOP_REDIS_TIMEOUT", default=1.0),
                "RETRY_AFTER": env.float("OCOP_REDIS_RETRY_AFTER", default=5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each process's own memory in front of Redis for entries keyed by a data version read from the database on every
# request (the dashboard's figures, work queue and their rendered tables: apps/reports/selectors/versioned.py): a new
# version is a new key, so no process can serve another's stale entry, and a hit costs no round trip to Redis.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "ocop-versioned",
    "OPTIONS": {"MAX_ENTRIES": 500},
}
# The same for the public catalogue's parts keyed by its version (apps/catalog/cache.py: product cards, facet counts,
# the rendered filter form, product pages): a page-cache miss reads them without a round trip to Redis. Pickled, a
# card is ~1 KB, a filter form ~6 KB, a product page ~25 KB: at most ~50 MB per process, and far less in practice.
CACHES["catalog"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "ocop-catalog",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker (``make run`` on a bare machine) tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A request sends its tasks after commit (apps/core/outbox.py): a broker that is down must not hold it for long.
# An unsent task stays in the outbox and the one-minute sweep sends it when the broker is back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("OCOP_BROKER_CONNECT_TIMEOUT", default=1.0)
CELERY_TIMEZONE = TIME_ZONE
# Redis hands a taken but never acknowledged task (worker killed) to another worker after this many seconds:
# longer than the hard time limit, so a task still running is never handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("OCOP_CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60),
    "socket_connect_timeout": env.float("OCOP_BROKER_CONNECT_TIMEOUT", default=1.0),
}
# Hard time limit of one certificate or decision-document render task (a batch takes a few seconds).
OCOP_RENDER_TIME_LIMIT_SECONDS = env.int("OCOP_RENDER_TIME_LIMIT_SECONDS", default=45)
# A document row left "being generated" longer than this (its worker died) may be claimed again: just past the
# task's hard limit, so a render still running is never taken twice. With the one-minute sweep, a killed
# worker's rows are rendered again within two minutes.
OCOP_RENDER_STALE_SECONDS = env.int("OCOP_RENDER_STALE_SECONDS", default=OCOP_RENDER_TIME_LIMIT_SECONDS + 10)
# A row still pending this long after it was created has lost its message and is queued again by the
# one-minute sweep: 60 s plus the sweep's minute keep recovery within two minutes (a row queued twice is still
# rendered once: the claim is conditional). Messages can be lost: Redis pops a task before the worker records it
# as unacknowledged, and a worker killed in between takes it with it. (A broker down at commit time is the
# outbox's job.)
OCOP_RENDER_LOST_AFTER_SECONDS = env.int("OCOP_RENDER_LOST_AFTER_SECONDS", default=60)
# Names rendered pages in the cache (apps/core/release.py): the image's commit; empty: a digest of the source.
OCOP_RELEASE = env("OCOP_RELEASE", default="")
# Certificates rendered per task, in one WeasyPrint document (layout has a fixed cost per document).
OCOP_CERTIFICATES_PER_DOCUMENT = env.int("OCOP_CERTIFICATES_PER_DOCUMENT", default=25)

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# The SMTP server (with DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend). Mail is sent by the
# core.send_mail task, never in a request; a short timeout keeps an unreachable server from holding a worker.
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
# A mail that could not be sent is tried again after this many seconds, doubling each time (up to an hour).
OCOP_MAIL_RETRY_SECONDS = env.int("OCOP_MAIL_RETRY_SECONDS", default=30)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Cổng OCOP <no-reply@ocop.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step of every PDF at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Open-data API (/api/v1/): read-only, public, rate-limited per client --------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.catalog.api.pagination.OpenDataPagination",
    "DEFAULT_THROTTLE_CLASSES": ["apps.catalog.api.throttles.OpenDataThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # The client address is REMOTE_ADDR unless a known number of proxies sets X-Forwarded-For.
    "NUM_PROXIES": env.int("OCOP_API_NUM_PROXIES", default=0),
}
# Whole public catalogue pages cached for anonymous visitors (invalidated by any catalogue change and at midnight).
OCOP_PUBLIC_PAGE_CACHE = env.bool("OCOP_PUBLIC_PAGE_CACHE", default=True)
# Requests per client (address) on the open-data API, counted in the cache.
OCOP_API_RATE_LIMIT = env("OCOP_API_RATE_LIMIT", default="600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "OCOP open data API",
    "DESCRIPTION": "Certified OCOP products, their producers, administrative units and statistics (read-only).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# Anyone may read the open data from a browser on another site; nothing else crosses origins.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]

# --- ux (issue 9): data labels (groups, sets, opening hours, unit names) in the page's language everywhere ---
TEMPLATES[0]["OPTIONS"].setdefault("builtins", []).append("apps.core.templatetags.data_labels")

# --- Traceability and QR e-stamps (apps/traceability) ------------------------------------------------------
# Who approves stamp requests where a province has not chosen (StampApprovalPolicy): "commune" or "province".
OCOP_STAMP_APPROVAL_LEVEL = env("OCOP_STAMP_APPROVAL_LEVEL", default="province")
# A stamp scanned more than this many times shows the "may be a copied stamp" warning.
OCOP_STAMP_SCAN_LIMIT = env.int("OCOP_STAMP_SCAN_LIMIT", default=20)
# Two consecutive scans further apart than OCOP_STAMP_MIN_DISTANCE_KM, at a speed above OCOP_STAMP_MAX_SPEED_KMH,
# mean two packages carry the same code (GeoIP places are city-level, so short hops are ignored).
OCOP_STAMP_MAX_SPEED_KMH = env.int("OCOP_STAMP_MAX_SPEED_KMH", default=300)
OCOP_STAMP_MIN_DISTANCE_KM = env.int("OCOP_STAMP_MIN_DISTANCE_KM", default=50)
# A GeoLite2/GeoIP2 City database (.mmdb) to place scans by city; without one only the address prefix is kept.
OCOP_GEOIP_CITY_DATABASE = env("OCOP_GEOIP_CITY_DATABASE", default="")
# Labels per part when generating a batch (each part's pages are stored, then streamed into the final PDFs), and
# the time one task spends before handing the rest of a large batch to the next task (under the soft time limit).
OCOP_STAMP_LABELS_PER_PART = env.int("OCOP_STAMP_LABELS_PER_PART", default=1300)
OCOP_STAMP_TASK_BUDGET_SECONDS = env.int("OCOP_STAMP_TASK_BUDGET_SECONDS", default=6 * 60)
# Where the DejaVu TrueType fonts of the labels are (Debian's fonts-dejavu-core; Vietnamese diacritics, ★).
OCOP_LABEL_FONT_DIR = env("OCOP_LABEL_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")
# A batch whose generation has not reported progress for this long (its worker died) is claimed again.
OCOP_STAMP_STALE_SECONDS = env.int("OCOP_STAMP_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)

# --- Security (issue 11) ---
# Uploaded images larger than this many pixels are refused before decoding (decompression bombs).
OCOP_MAX_IMAGE_PIXELS = env.int("OCOP_MAX_IMAGE_PIXELS", default=40_000_000)
from csp.constants import NONCE as CSP_NONCE  # noqa: E402

# Content-Security-Policy (django-csp 4): no inline script or style anywhere. The catalogue's JSON-LD is a data block,
# never executed, so script-src does not apply to it; a page that ever needs an inline script uses request.csp_nonce.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
# Public catalogue pages for visitors without cookies, from the page cache, before sessions and the rest (README,
# Performance).
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "apps.catalog.middleware.PublicPageMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", CSP_NONCE],  # the request's nonce, used only where a page asks for it
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Staff sessions: signed out after this many idle minutes, and this many hours after signing in.
OCOP_STAFF_IDLE_MINUTES = env.int("OCOP_STAFF_IDLE_MINUTES", default=30)
OCOP_STAFF_SESSION_HOURS = env.int("OCOP_STAFF_SESSION_HOURS", default=12)
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware"),
    "apps.accounts.middleware.StaffSessionTimeoutMiddleware",
)
# Password or TOTP again, at most this long before revoking, recording a decision, changing a role, importing a sheet.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("OCOP_REAUTHENTICATION_SECONDS", default=10 * 60)
OCOP_REAUTHENTICATE_SENSITIVE = env.bool("OCOP_REAUTHENTICATE_SENSITIVE", default=True)
# Every role that can open producers' documents or dossier evidence must have TOTP (when OCOP_REQUIRE_MFA is on).
OCOP_MFA_REQUIRED_ROLES = [
    "commune_officer",
    "district_officer",
    "council_member",
    "province_officer",
    "central_officer",
    "system_admin",
]
# A password-reset request for an unknown address sends nothing (allauth would otherwise mail, in English).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Row history (issue 11): pghistory triggers, installed after every migrate (not in the tracked apps' migrations, so
# the other apps' migration graphs stay untouched); PostgreSQL only, the SQLite demo simply has empty event tables.
INSTALLED_APPS += ["pgtrigger", "pghistory"]
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
PGHISTORY_MIDDLEWARE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "apps.audit.middleware.AuditContextMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("apps.audit.middleware.AuditContextMiddleware") + 1, "apps.audit.security.DownloadAuditMiddleware"
)
