"""Settings shared by every run mode. Everything that differs comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "nutag.core",
    "nutag.orgs",
    "nutag.people",
    "nutag.notify",
    "nutag.stats",
    "nutag.assess",
    "nutag.sites",
    "nutag.voice",
    "nutag.study",
    "nutag.youth",
    "nutag.revival",
    "nutag.api",
    "nutag.wechat",
    "nutag.disclosure",
    "nutag.market",
    "nutag.grid",
    "ninja",  # its own static Swagger UI (no CDN, no inline script: CSP)
    "nutag.demo",  # the top of the import graph: may import every app, none imports it
    "nutag.tourism",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nutag.core.security.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "nutag.sites.early.EarlyPageCacheMiddleware",  # cached anonymous pages (issue 17)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "nutag.api.tokens.TokenMiddleware",  # API tokens, /api/ only (docs/architecture.md)
    "nutag.people.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nutag.sites.counting.VisitorCookieMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nutag" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nutag.core.context_processors.nutag",
                "nutag.notify.context_processors.bell",
            ],
        },
    },
]

_CONN_MAX_AGE = os.environ.get("DATABASE_CONN_MAX_AGE", "")
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(_CONN_MAX_AGE or "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (the embedded default) keeps each worker thread's connection open unless told
    # otherwise: opening one runs the WAL pragmas, and closing the last one checkpoints and
    # removes the WAL file; per request that was two thirds of a rendered page's time as
    # served (issue 17, session 9; bench/RESULTS.md). Health checks are on (below).
    if not _CONN_MAX_AGE:
        DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            # A burst of submissions queues for SQLite's one write lock: wait up to 20 s
            # rather than answer "database is locked" after the default 5 s (bench/voice).
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nutag",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Cache generations (the purge of every cache) must be the same in every worker process:
# in Redis when there is one, else in a small memory-mapped file every worker maps
# (nutag/core/generations.py). Empty = in the default cache.
NUTAG_GENERATIONS_FILE = os.environ.get(
    "NUTAG_GENERATIONS_FILE", "" if REDIS_URL else str(BASE_DIR / ".nutag-generations")
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]
# Passwords elders can live with: long passphrases welcome, no composition rules (no
# "one digit, one capital"); only a minimum length, the common-password list and not the
# username itself. See docs/architecture.md, "Logins".
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/desk/login/"
LOGIN_REDIRECT_URL = "/desk/"
LOGOUT_REDIRECT_URL = "/desk/login/"

# --- Login protection (django-axes) and the second factor (django-otp) ------------------
# After NUTAG_LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one address,
# logins are refused for NUTAG_LOGIN_COOLOFF_MINUTES; the unit's secretary can unlock
# sooner. Every failed and successful login is kept (the admin's "Axes" section).
AXES_FAILURE_LIMIT = int(os.environ.get("NUTAG_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NUTAG_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "nutag.people.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "nutag.people.accounts.lockout.attempted_username"  # cut to 255
# Behind nginx the client's address is the last hop it adds (deployment.md).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("NUTAG_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
# A second factor (TOTP) is required of platform admins and of officers who can read ID
# numbers or young people's records (nutag/people/accounts/second_factor.py). Officers get
# NUTAG_OTP_GRACE_DAYS from their login's creation to enrol; platform admins none.
NUTAG_OTP_REQUIRED = env_bool("NUTAG_OTP_REQUIRED", True)
NUTAG_OTP_GRACE_DAYS = int(os.environ.get("NUTAG_OTP_GRACE_DAYS", "7"))
OTP_TOTP_ISSUER = os.environ.get("NUTAG_OTP_ISSUER", "Nutag")
# Invitation and password-reset links stay valid this many days.
# Fernet key sealing official accounts' secrets at rest (nutag/wechat/vault.py); no default.
NUTAG_SECRETS_KEY = os.environ.get("NUTAG_SECRETS_KEY", "")
# The chat platform's API (nutag/wechat/platform.py); tests point it at a local fake server.
NUTAG_WECHAT_API_BASE = os.environ.get("NUTAG_WECHAT_API_BASE", "https://api.weixin.qq.com")
NUTAG_WECHAT_TIMEOUT = float(os.environ.get("NUTAG_WECHAT_TIMEOUT", "5"))
NUTAG_INVITATION_DAYS = int(os.environ.get("NUTAG_INVITATION_DAYS", "7"))

# --- Languages -------------------------------------------------------------------------
# Simplified Chinese is the default; traditional Chinese, traditional Mongolian script
# (written vertically) and English are switchable. Strings missing from a catalogue fall
# back to simplified Chinese (Django adds LANGUAGE_CODE's catalogue as the fallback).
LANG_INFO.setdefault(
    "mn-mong",
    {
        "bidi": False,
        "code": "mn-mong",
        "name": "Mongolian (traditional script)",
        "name_local": "ᠮᠣᠩᠭᠣᠯ",
    },
)
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
    ("mn-mong", _("Mongolian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "nutag_lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"

# --- security headers (nutag/core/security.py) --------------------------------------------
# Scripts only from our origin: no inline <script>, no onclick=. Inline styles stay allowed
# (the critical CSS is inlined). Uploads kept in a bucket need its origin in
# NUTAG_CSP_MEDIA_SOURCES (space-separated), e.g. "https://media.example.org".
_MEDIA_SOURCES = os.environ.get("NUTAG_CSP_MEDIA_SOURCES", "").split()
NUTAG_CONTENT_SECURITY_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    # the chat app's JS-SDK, loaded by wechat/share.js inside the chat app only (share cards)
    "script-src": ["'self'", "https://res.wx.qq.com"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", *_MEDIA_SOURCES],
    "media-src": ["'self'", *_MEDIA_SOURCES],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
NUTAG_CSP_REPORT_ONLY = env_bool("NUTAG_CSP_REPORT_ONLY", False)
# Only features Chromium knows: an unknown one ("bluetooth") is a console warning on every
# page (test_browser_csp).
NUTAG_PERMISSIONS_POLICY = (
    "camera=(self), microphone=(self), geolocation=(self), payment=(), usb=(), serial=(), "
    "midi=(), display-capture=(), browsing-topics=()"
)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# Youth photos (visits, activities): kept outside MEDIA_ROOT, served only after an access
# check (nutag/youth/storage.py). Never put it under the web server's document root.
NUTAG_PRIVATE_ROOT = Path(os.environ.get("NUTAG_PRIVATE_ROOT", str(BASE_DIR / "private-media")))
# Serve MEDIA_URL from MEDIA_ROOT through Django: the demo settings only (nginx or a bucket
# serves uploads in a deployment; prod forces it off). DEBUG serves them too (runserver).
NUTAG_SERVE_MEDIA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Media on S3-compatible object storage (scale mode) -------------------------------
# Set AWS_STORAGE_BUCKET_NAME to keep uploads in a bucket instead of MEDIA_ROOT. Needs the
# django-storages[s3] package. The bucket stays private: files are served through signed,
# expiring URLs, since uploads may concern minors. boto3 reads the keys from
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    S3_MEDIA: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "3600")),
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    STORAGES = {**STORAGES, "default": S3_MEDIA}

# Imports may be large spreadsheets.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Nutag ------------------------------------------------------------------------------
# Aggregate figures (committees, people in care work, five elders) are published by the
# banner and public by default. Set NUTAG_PUBLIC_STATS=0 to require a login with a right
# at the unit. Per-person data is never public.
NUTAG_PUBLIC_STATS = env_bool("NUTAG_PUBLIC_STATS", True)
# How background work runs: "thread" (embedded default), "inline" (tests), "celery".
NUTAG_TASK_MODE = os.environ.get("NUTAG_TASK_MODE", "thread")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A job is acknowledged when it finishes, and a worker takes one at a time: a killed worker
# leaves the rest on the broker for the next one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "nutag")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
NUTAG_IMPORT_MAX_ROWS = int(os.environ.get("NUTAG_IMPORT_MAX_ROWS", "20000"))
NUTAG_IMPORT_MAX_BYTES = int(os.environ.get("NUTAG_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# A roster file larger than this is read in the background, in a child process whose memory
# (above its start-up size) and CPU time are capped (nutag/people/importing/sandbox.py).
NUTAG_IMPORT_BACKGROUND_BYTES = int(os.environ.get("NUTAG_IMPORT_BACKGROUND_BYTES", "262144"))
NUTAG_IMPORT_READ_MEMORY_MB = int(os.environ.get("NUTAG_IMPORT_READ_MEMORY_MB", "384"))
NUTAG_IMPORT_READ_SECONDS = int(os.environ.get("NUTAG_IMPORT_READ_SECONDS", "120"))
# Article uploads (nutag/core/media.py): pictures are decoded and re-encoded, attachments
# and audio checked by their first bytes.
NUTAG_IMAGE_MAX_BYTES = int(os.environ.get("NUTAG_IMAGE_MAX_BYTES", str(8 * 1024 * 1024)))
NUTAG_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("NUTAG_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
)
NUTAG_AUDIO_MAX_BYTES = int(os.environ.get("NUTAG_AUDIO_MAX_BYTES", str(20 * 1024 * 1024)))
NUTAG_IS_PRODUCTION = False
# Public pages: anonymous pages cached this long (purged earlier when their content changes).
NUTAG_PAGE_CACHE_SECONDS = int(os.environ.get("NUTAG_PAGE_CACHE_SECONDS", "300"))
# After a purge, up to this many of the purged units' recent pages are rendered again in the
# background (0: off); an expired page is served this many seconds more while it is rendered
# again (nutag/sites/refresh.py, issue 17).
NUTAG_PAGE_REFRESH = int(os.environ.get("NUTAG_PAGE_REFRESH", "12"))
NUTAG_PAGE_CACHE_GRACE = int(os.environ.get("NUTAG_PAGE_CACHE_GRACE", "3600"))
# How long a page's kept answers live (nutag/sites/selectors/memo.py); unset: as a page.
# Public pages made of kept shapes (nutag/sites/shapes.py); 0 renders every miss whole.
NUTAG_PAGE_SHAPES = os.environ.get("NUTAG_PAGE_SHAPES", "1") != "0"
_SITE_MEMO = os.environ.get("NUTAG_SITE_MEMO_SECONDS", "")
NUTAG_SITE_MEMO_SECONDS = int(_SITE_MEMO) if _SITE_MEMO else None
# Read counts are buffered in the cache and written after this many reads or seconds.
NUTAG_READS_FLUSH_EVERY = int(os.environ.get("NUTAG_READS_FLUSH_EVERY", "200"))
NUTAG_READS_FLUSH_SECONDS = int(os.environ.get("NUTAG_READS_FLUSH_SECONDS", "60"))
# manage.py backup / python3 run.py backup write their archives here (docs/operations.md).
NUTAG_BACKUP_DIR = os.environ.get("NUTAG_BACKUP_DIR", str(BASE_DIR / "var" / "backups"))
# Without Redis, pending read counts wait in this file, shared by every process of the machine
# (nutag/sites/counting/store.py: FileStore), so a stopped worker loses none.
NUTAG_READS_BUFFER = os.environ.get("NUTAG_READS_BUFFER", str(BASE_DIR / "var" / "reads.buffer"))

# --- Notifications (nutag/notify) --------------------------------------------------------
# SMS: a log file by default (nothing leaves the machine); Aliyun SMS at scale.
NUTAG_SMS_BACKEND = os.environ.get("NUTAG_SMS_BACKEND", "nutag.notify.channels.sms.LogFileSms")
NUTAG_SMS_LOG = os.environ.get("NUTAG_SMS_LOG", str(BASE_DIR / "sms.log"))
NUTAG_SMS_TIMEOUT = float(os.environ.get("NUTAG_SMS_TIMEOUT", "10"))
NUTAG_ALIYUN_SMS_ENDPOINT = os.environ.get(
    "NUTAG_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"
)
NUTAG_ALIYUN_ACCESS_KEY_ID = os.environ.get("NUTAG_ALIYUN_ACCESS_KEY_ID", "")
NUTAG_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("NUTAG_ALIYUN_ACCESS_KEY_SECRET", "")
NUTAG_ALIYUN_SMS_SIGN_NAME = os.environ.get("NUTAG_ALIYUN_SMS_SIGN_NAME", "")
NUTAG_ALIYUN_SMS_TEMPLATE = os.environ.get("NUTAG_ALIYUN_SMS_TEMPLATE", "")
# The chat app's template messages to people bound to an official account (nutag/wechat).
NUTAG_CHAT_BACKEND = os.environ.get(
    "NUTAG_CHAT_BACKEND", "nutag.wechat.channel.TemplateMessageSender"
)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nutag@localhost")
# A claimed delivery a worker has not finished within this many seconds is taken again.
NUTAG_NOTIFY_LEASE_SECONDS = int(os.environ.get("NUTAG_NOTIFY_LEASE_SECONDS", "120"))
NUTAG_NOTIFY_RETRY_SECONDS = int(os.environ.get("NUTAG_NOTIFY_RETRY_SECONDS", "30"))
NUTAG_NOTIFY_SWEEP_SECONDS = int(os.environ.get("NUTAG_NOTIFY_SWEEP_SECONDS", "60"))
# Periodic jobs: {name: (function, every so many seconds)}. Run by Celery beat at scale,
# by ``manage.py run_worker`` in the embedded mode; never on a page view.
# Articles read aloud by the server (espeak-ng + opusenc, nutag/sites/speech.py) for phones
# with no voice; off in tests except where a test switches it on.
NUTAG_SPEECH = env_bool("NUTAG_SPEECH", True)

NUTAG_PERIODIC_JOBS = {
    "notify-sweep": ("nutag.notify.delivery.deliver_due", NUTAG_NOTIFY_SWEEP_SECONDS),
    "reminders": ("nutag.assess.reminders.send_reminders", 3600),
    "reads-flush": ("nutag.sites.counting.flush_reads", NUTAG_READS_FLUSH_SECONDS),
    "scheduled-publishing": ("nutag.sites.events.publish_due", 60),
    "speech": ("nutag.sites.services.speech.speech_sweep", 300),
    "concerns-overdue": ("nutag.voice.services.escalate_overdue", 900),
    "youth-visits": ("nutag.youth.reminders.send_visit_reminders", 3600),
    "youth-coming-of-age": ("nutag.youth.reminders.archive_adults", 86400),
    "youth-archive-expiry": ("nutag.youth.reminders.delete_expired", 86400),
    "grid-follow-ups": ("nutag.grid.reminders.send_follow_up_reminders", 3600),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Read replica (nutag/core/db.py, docs/deploy.md) ------------------------------------
# DATABASE_REPLICA_URL: a streaming replica of DATABASE_URL. The dashboard, stats, public
# pages and exports then read from it, unless the request writes or follows a write by the
# same browser within NUTAG_REPLICA_PIN_SECONDS (then everything reads from the primary).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
NUTAG_REPLICA_PIN_SECONDS = int(os.environ.get("NUTAG_REPLICA_PIN_SECONDS", "10"))
NUTAG_REPLICA_VIEWS = [
    "site-*",  # the public sites: home, columns, articles, search
    "unit-figures*",  # the dashboard, its print page and its spreadsheet
    "*:unit_stats",  # GET /api/v1/units/{code}/stats
    "*-export",  # spreadsheet exports (people, youth records, rounds, tasks)
]
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
    # Tests run on the primary's test database; the replica tests point the alias at the
    # streamed copy of it themselves (nutag/core/tests/test_replica.py).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["nutag.core.db.ReplicaRouter"]
    MIDDLEWARE = ["nutag.core.db.ReplicaMiddleware", *MIDDLEWARE]

# --- Faults (issue 20, bench/faults.py) ---------------------------------------------------
# A stopped Redis must not stop the site: the resilient backend treats it as an empty cache
# (nutag/core/cache.py), and short socket timeouts keep a hung Redis from holding requests.
if REDIS_URL:
    CACHES["default"]["BACKEND"] = "nutag.core.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
            "socket_timeout": float(os.environ.get("REDIS_SOCKET_TIMEOUT", "1.0")),
        }
    )
# A restarted PostgreSQL: a persistent connection is checked before reuse, a connection
# attempt gives up after DATABASE_CONNECT_TIMEOUT seconds, and (when set) a statement after
# DATABASE_STATEMENT_TIMEOUT milliseconds, so no request waits for ever.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )
    if os.environ.get("DATABASE_STATEMENT_TIMEOUT"):
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={int(os.environ['DATABASE_STATEMENT_TIMEOUT'])}"
        )

# --- The page cache's hit path and shared tier (issue 17; nutag/sites/early.py, pagecache.py) --
# Cached anonymous pages are served before sessions, CSRF, auth … (0: through the whole stack).
NUTAG_PAGE_CACHE_EARLY = os.environ.get("NUTAG_PAGE_CACHE_EARLY", "1") != "0"
# Without Redis: a folder every worker shares behind its local page cache, so a page rendered
# by one worker (after a publish) serves all of them; at most this many files. "" = none.
NUTAG_PAGE_CACHE_SHARED = os.environ.get(
    "NUTAG_PAGE_CACHE_SHARED",
    str(Path(NUTAG_GENERATIONS_FILE).with_name(".nutag-pages"))
    if NUTAG_GENERATIONS_FILE and not REDIS_URL
    else "",
)
NUTAG_PAGE_CACHE_SHARED_ENTRIES = int(os.environ.get("NUTAG_PAGE_CACHE_SHARED_ENTRIES", "3000"))
