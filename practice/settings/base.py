"""Settings shared by every environment, read from the environment.

SQLite is the embedded default; ``DATABASE_URL`` selects PostgreSQL (or any database
dj-database-url understands). ``REDIS_URL`` moves the cache, and with it the API
throttles, to Redis so that limits hold across server processes.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith((".base", ".test")):
        # Development and tests only: production settings refuse to start without one.
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "csp",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "practice",
    "clinical",
    "scheduling",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "practice.api.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "practice.api.middleware.RejectNullBytesMiddleware",
    "practice.api.middleware.CurrentRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from Accept-Language (else LANGUAGE_CODE); a signed-in user's own
    # language replaces it once they are known (practice.i18n), and Content-Language says which.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "practice.middleware.AdminLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "practice.urls"
WSGI_APPLICATION = "practice.wsgi.application"
ASGI_APPLICATION = "practice.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with timestamps parsed in C (practice/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "practice.db.postgresql"
    # Parameters travel separately from the SQL (server-side binding), so that a statement
    # a connection runs again and again (a list page's, the audit insert) is parsed and
    # planned once per connection: psycopg prepares it on its DB_PREPARE_THRESHOLD-th run.
    # Planning is most of what a page's statements cost the database. Empty turns prepared
    # statements off, for a pooler in transaction mode that cannot keep them (PgBouncer
    # before 1.21, or without max_prepared_statements).
    _prepare_threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5").strip()
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=int(_prepare_threshold) if _prepare_threshold else None,
    )
    # The planner's cost of reading a page out of order. PostgreSQL's default, 4, models
    # disks that seek; for solid-state storage, or a database that stays in memory, its
    # documentation suggests 1.1. With 4 the planner reads every client of the practice to
    # find a therapist's hundred (a hash join), the plan of the client list, the sessions
    # page's clients and the dashboard. Sent as a startup option of each connection;
    # empty leaves the server's value (set it there, or for a pooler that refuses options).
    _random_page_cost = os.environ.get("DB_RANDOM_PAGE_COST", "1.1").strip()
    if _random_page_cost:
        _options = DATABASES["default"]["OPTIONS"]
        _options["options"] = " ".join(
            filter(None, [_options.get("options", ""), f"-c random_page_cost={float(_random_page_cost)}"])
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout lets concurrent writers wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Every API request runs in one transaction: a request that fails writes nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Covering indexes (INCLUDE) exist on PostgreSQL; SQLite builds the same index without the
# extra columns, which is all the development database needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache (backs the API throttles) -----------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "practice"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "practice.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("JWT_ACCESS_MINUTES", "15"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("JWT_REFRESH_DAYS", "7"))),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY", SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "CHECK_USER_IS_ACTIVE": True,
}
# The refresh token is also set as an httpOnly cookie, readable only by the auth endpoints.
# A frontend on another site than the API needs AUTH_COOKIE_SAMESITE=None, which browsers
# accept only with Secure (a system check refuses the one without the other).
AUTH_REFRESH_COOKIE_NAME = "refreshToken"
AUTH_REFRESH_COOKIE_PATH = os.environ.get("AUTH_COOKIE_PATH", "/api/auth/")
AUTH_REFRESH_COOKIE_DOMAIN = os.environ.get("AUTH_COOKIE_DOMAIN") or None
AUTH_REFRESH_COOKIE_SECURE = env_bool("AUTH_COOKIE_SECURE", not DEBUG)
AUTH_REFRESH_COOKIE_SAMESITE = os.environ.get("AUTH_COOKIE_SAMESITE", "Lax")
# A refresh token presented again this many seconds after its rotation answers with the
# same successor (two tabs refreshing at once); later, reuse revokes the token family.
AUTH_REFRESH_GRACE_SECONDS = int(os.environ.get("AUTH_REFRESH_GRACE_SECONDS", "30"))

# Two-factor authentication (TOTP). Secrets are encrypted with keys derived from this
# setting (comma-separated: the first encrypts, all decrypt), or from SECRET_KEY when unset.
TWO_FACTOR_ENCRYPTION_KEY = os.environ.get("TWO_FACTOR_ENCRYPTION_KEY", "")
TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Practice")
# How long the tempToken of a sign-in's second step is valid (seconds).
TWO_FACTOR_TEMP_TOKEN_SECONDS = int(os.environ.get("TWO_FACTOR_TEMP_TOKEN_SECONDS", "300"))

# Failed logins per account before it is locked, and for how long (seconds). Counted in
# the cache, so with REDIS_URL the count is shared by every server process.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", str(15 * 60)))

# --- Content-Security-Policy (django-csp), on every response --------------------------------
# What the pages this app serves really load: the admin, Swagger UI and Redoc, all from its own
# static files (drf-spectacular-sidecar). Swagger UI and Redoc set inline styles, and Redoc
# runs its search in a worker built from a blob; no page runs inline script or loads anything
# from another origin. API responses are JSON and load nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Opening the docs from another site gets no handle on their window (Django's default, stated).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- CORS (the frontend's origins; it sends the refresh cookie, so credentials are allowed) ---
CORS_ALLOWED_ORIGINS = env_list(
    "CORS_ALLOWED_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000,http://localhost:5173"
)
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/.*$"

# --- API --------------------------------------------------------------------------------
THROTTLE_RATES = {
    # Brute-force targets: per client IP (anonymous) or user.
    "login": "10/minute",
    "refresh": "30/minute",
    "two_factor": "10/minute",
    # Sensitive clinical reads and the no-show (fee) endpoint.
    "clinical": "120/minute",
    "no_show": "30/minute",
    # Photo uploads: each is decoded and re-encoded.
    "uploads": "30/hour",
    # Sending messages (each one notifies its recipient).
    "messages": "60/minute",
    # Everything else.
    "api": "1200/minute",
}
for _scope in list(THROTTLE_RATES):
    THROTTLE_RATES[_scope] = os.environ.get(f"THROTTLE_RATE_{_scope.upper()}", THROTTLE_RATES[_scope])

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "practice.api.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["practice.api.permissions.IsPracticeMember"],
    "DEFAULT_RENDERER_CLASSES": ["practice.api.renderers.EnvelopeJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["practice.api.parsers.CamelCaseJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "practice.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["practice.api.throttles.ScopedThrottle"],
    "DEFAULT_THROTTLE_RATES": THROTTLE_RATES,
    "DEFAULT_SCHEMA_CLASS": "practice.api.schema.EnvelopeAutoSchema",
    "EXCEPTION_HANDLER": "practice.api.exceptions.api_exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Practice API",
    "DESCRIPTION": """Backend for therapy practices: the therapist frontend's JSON API.

## Wire conventions

**Envelope.** Every response is an envelope: `{success: true, data, message?}` on success;
`{success: true, data, pagination: {page, limit, total, totalPages, hasNext, hasPrev}}` for
lists (every list is paginated: `page` from 1, `limit` default 20, at most 100); and
`{success: false, statusCode, code, message, errors: [{field, message}]}` on every error, from
every layer (validation, authentication, permissions, 404, 405, 409, 413, 415, 429, 500).
`code` is stable and machine-readable (`validation_error`, `not_authenticated`,
`permission_denied`, `not_found`, `conflict`, `throttled`, ...); nested error fields use dotted
camelCase paths (`goals.0.targetDate`). A 429 carries `Retry-After`. A failed request writes
nothing.

**Field names.** Entities (users, clients, appointments, sessions, session notes,
availability, invoices, surveys, challenges, resources, notifications, messages) are
snake_case, as the frontend's types declare them. The payloads of the seed's endpoints
(medical history, therapy goals, recurring series, no-show, session stats and summary,
emergency contact, session templates, preparation) are camelCase. Request bodies are accepted
in camelCase and snake_case and documented in camelCase; query parameters are spelt as the
frontend sends them (`startDate`, `endDate`, `status`, `page`, `limit`); unknown ones are
ignored, and an empty optional one means "not given".

**Values.** Datetimes are ISO 8601 with an offset (responses in UTC, `Z`); a datetime sent
without an offset is wall-clock time in the practice's time zone (a time inside a DST gap is a
400). Dates are `YYYY-MM-DD` in the practice's time zone, times of day `HH:MM:SS`. Money is a
JSON number with two decimals next to a `currency` code. Mood is an integer 1-10, goal progress
an integer 0-100.

**Authentication.** `POST /api/auth/login` answers an access token (send it as
`Authorization: Bearer ...`) and sets the refresh token as an httpOnly cookie (also in the body);
with two-factor authentication on, login answers `requiresTwoFactor` and a `tempToken` that
`POST /api/auth/verify-2fa` completes. `POST /api/auth/refresh-token` rotates the refresh token.

**Language.** Messages and labels are Dutch or English (`Content-Language` says which): the
signed-in user's `preferred_language`, else the `Accept-Language` header, else the practice's
default language.
""",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from validator.swagger.io: the docs ask no other server for anything.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "practice.api.schema.camelize_request_bodies",
        "practice.schema_summaries.add_operation_summaries",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClientStatusEnum": "practice.models.Client.Status",
        "TherapyGoalStatusEnum": "clinical.models.TherapyGoal.Status",
        "AppointmentStatusEnum": "scheduling.models.Appointment.Status",
        # Named here because other fields called "type" exist (resources, notifications).
        "AppointmentTypeEnum": "scheduling.models.Appointment.Type",
        "TypeEnum": "scheduling.serializers.appointments.FRONTEND_TYPE_CHOICES",
        "SessionStatusEnum": "clinical.models.Session.Status",
        "UserStatusEnum": ["active", "inactive"],
        "SurveyTypeEnum": "clinical.models.Survey.Type",
        "SurveyStatusEnum": "clinical.models.Survey.Status",
        "SurveyCreateStatusEnum": "clinical.serializers.surveys.SURVEY_CREATE_STATUSES",
        "SurveyQuestionTypeEnum": "clinical.services.surveys.QUESTION_TYPES",
        "SurveyAssignmentStatusEnum": "clinical.models.SurveyAssignment.Status",
        "UserRoleEnum": "practice.models.User.Role",
        "LanguageEnum": "practice.models.Language",
        "PriorityLevelEnum": "practice.models.Message.Priority",
        "NotificationPriorityEnum": "practice.models.UserNotification.Priority",
        "NotificationTypeEnum": "practice.models.UserNotification.TYPES",
        "ResourceTypeEnum": "clinical.models.Resource.Type",
        "ResourceStatusEnum": "clinical.models.Resource.Status",
        "AssignmentStatusEnum": "clinical.models.AssignmentStatus",
    },
}

# --- Scheduling -----------------------------------------------------------------------------
# How far ahead recurring series are materialised (weeks).
RECURRING_HORIZON_WEEKS = int(os.environ.get("RECURRING_HORIZON_WEEKS", "12"))
# Days from an invoice's issue date to its due date, unless the practice's billing settings say otherwise.
INVOICE_PAYMENT_TERM_DAYS = int(os.environ.get("INVOICE_PAYMENT_TERM_DAYS", "30"))

# --- Internationalisation -------------------------------------------------------------------
# Dutch and English. A request is answered in the signed-in user's preferred_language, else
# the Accept-Language header's, else the practice's default_language; LANGUAGE_CODE answers
# requests with none of these (anonymous, no Accept-Language). See practice/i18n.py.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "E164"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Static assets (admin, Swagger UI, Redoc) are served by the app itself through WhiteNoise:
# no CDN and no separate web server needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Media (uploaded files: profile photos) ----------------------------------------------------
# Stored through Django's storage API: a local folder by default, an S3-compatible bucket
# (AWS S3, MinIO, Ceph, ...) through django-storages when AWS_STORAGE_BUCKET_NAME is set. Media
# files are never served as static files: the API streams each one to those allowed to see it.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "media/"
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role.
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            # Private objects: the bucket is never read directly by browsers.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Profile photos: the largest upload accepted, the largest image decoded (width x height,
# checked from the header before any pixel is decoded: a small file may declare a huge
# image), and the longest side kept after re-encoding.
PROFILE_PHOTO_MAX_BYTES = int(os.environ.get("PROFILE_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
PROFILE_PHOTO_MAX_PIXELS = int(os.environ.get("PROFILE_PHOTO_MAX_PIXELS", str(40_000_000)))
PROFILE_PHOTO_MAX_DIMENSION = int(os.environ.get("PROFILE_PHOTO_MAX_DIMENSION", "1024"))
# profile_photo_url is a signed link (an <img> tag sends no token): it opens the photo for at
# least this many seconds and at most twice as long; every user object carries a fresh one.
PROFILE_PHOTO_LINK_LIFETIME = int(os.environ.get("PROFILE_PHOTO_LINK_LIFETIME", str(12 * 3600)))
# The therapist frontend's address: the admin's "View site" link (hidden when empty).
FRONTEND_URL = os.environ.get("FRONTEND_URL", "")
# The API's public origin, for absolute links (profile_photo_url) in responses.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/")

# --- Request limits -------------------------------------------------------------------------
# Every request body; the photo upload views allow their own larger limit (the photo plus
# the multipart framing), and nothing else does.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024)))
UPLOAD_MAX_REQUEST_BYTES = PROFILE_PHOTO_MAX_BYTES + 64 * 1024

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Practice <no-reply@practice.example>")

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# The audit trail's head checkpoints (practice/audit_checkpoint.py): an append-only file each
# verify_audit_trail run adds to (keep it off the database server, or ship the log), and the
# key that signs them, never stored in the database (default: derived from SECRET_KEY).
AUDIT_CHECKPOINT_PATH = os.environ.get("AUDIT_CHECKPOINT_PATH", str(BASE_DIR / "audit-checkpoints.jsonl"))
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "")

# --- Audit trail -----------------------------------------------------------------------------
# How long audit entries are kept (days) before `manage.py prune_audit_trail` may remove them.
# NEN 7513 asks for at least five years: a shorter setting fails the system checks.
AUDIT_RETENTION_MIN_DAYS = 5 * 365 + 2  # five years, leap days included
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", str(AUDIT_RETENTION_MIN_DAYS)))

# Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
