"""Django settings: everything comes from the environment (12-factor), with embedded-profile defaults."""
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    return str(env(name, default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in str(env(name, default)).split(",") if item.strip()]


DATA_DIR = Path(env("CONDUIT_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "insecure-dev-key-change-me-in-production-0123456789")
BASE_DOMAIN = env("CONDUIT_BASE_DOMAIN", "localhost").lower()

# Host validation is done by TenantMiddleware against the registry (custom domains are dynamic);
# ALLOWED_HOSTS lists extra hosts that reach the control plane (e.g. an IP used by health checks).
ALLOWED_HOSTS = ["*"]
CONTROL_HOSTS = [BASE_DOMAIN, *env_list("ALLOWED_HOSTS", "127.0.0.1,[::1]")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files: /api/docs works offline
    "conduit",
    "tenants",
    "events",
    "accounts",
    "content",
    "search",
    "media",
    "spa",
    "httpcache",
    "publishing",
    "feeds",
    "webhooks",
]

MIDDLEWARE = [
    "conduit.logging.RequestLogMiddleware",
    "tenants.middleware.TenantMiddleware",
    "httpcache.middleware.HttpCacheMiddleware",  # after the tenant's 503s; a hit skips the rest (replayed)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "tenants.middleware.TenantSessionMiddleware",  # Django's, skipped on tenant hosts
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "conduit.urls_control"
WSGI_APPLICATION = "conduit.wsgi.application"
APPEND_SLASH = False

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

# --- Databases: `default` is the control database; tenant aliases are added lazily at runtime.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'control.sqlite3'}"), conn_max_age=600
    ),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "timeout": 10,
    }
DATABASE_ROUTERS = ["tenants.router.TenantRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Conduit's own settings, read in one place (conduit.conf.conduit_settings).
CONDUIT = {
    "TENANT_DATABASE_URL": env("CONDUIT_TENANT_DATABASE_URL", f"sqlite:///{DATA_DIR / 'tenants' / '{slug}.sqlite3'}"),
    "MAX_TENANT_CONNECTIONS": int(env("CONDUIT_MAX_TENANT_CONNECTIONS", 64)),
    # MongoDB tenants: one client per server per process, shared by the server's tenant databases; its socket pool
    # is bounded by this unless the URL sets maxPoolSize (tenants/engines/mongodb/base.py).
    "MONGODB_MAX_POOL_SIZE": int(env("CONDUIT_MONGODB_MAX_POOL_SIZE", 16)),
    "TENANT_HEADER_ENABLED": env_bool("CONDUIT_TENANT_HEADER", False),
    "REGISTRY_REFRESH_SECONDS": float(env("CONDUIT_REGISTRY_REFRESH_SECONDS", 0.5)),
    "MOVE_GRACE_SECONDS": float(env("CONDUIT_MOVE_GRACE_SECONDS", 1.0)),  # in-flight writes finish before a move reads
    # Test hook of tenant moves (tests/move): sleep MOVE_PAUSE_SECONDS after step MOVE_PAUSE_AT, to be killed there.
    "MOVE_PAUSE_AT": env("CONDUIT_MOVE_PAUSE_AT", ""),
    "MOVE_PAUSE_SECONDS": float(env("CONDUIT_MOVE_PAUSE_SECONDS", 3600)),
    "RESERVED_SLUGS": env_list(
        "CONDUIT_RESERVED_SLUGS",
        "www,admin,api,static,media,mail,smtp,ftp,control,root,status,metrics,health,template,default,localhost",
    ),
    "DEMO_TENANT": env("CONDUIT_DEMO_TENANT", "demo"),
    "ROUTING_ENABLED": env_bool("CONDUIT_ROUTING_ENABLED", True),
    # The built Conduit Frontend (frontend/dist) that tenant hosts serve (spa/); absent: a 503 "not built" page.
    "FRONTEND_DIR": Path(env("CONDUIT_FRONTEND_DIR", BASE_DIR / "frontend" / "dist")),
    # Feeds and sitemaps (feeds/, docs/publishing.md): entries per feed, Cache-Control max-age of feeds, sitemaps
    # and robots.txt, URLs per sitemap page (past it /sitemap.xml is an index), and the scheme of the URLs they
    # name ("" = the request's; "https" behind a TLS proxy that sends no X-Forwarded-Proto).
    "FEED_ITEMS": int(env("CONDUIT_FEED_ITEMS", 20)),
    "FEED_MAX_AGE": int(env("CONDUIT_FEED_MAX_AGE", 300)),
    "SITEMAP_PAGE_SIZE": int(env("CONDUIT_SITEMAP_PAGE_SIZE", 50_000)),
    "SITE_URL_SCHEME": env("CONDUIT_SITE_URL_SCHEME", ""),
    # Creator media (media/): allowed types per kind (filetype extensions, judged by content) and size limits.
    "MEDIA_TYPES": {
        "image": env_list("CONDUIT_MEDIA_IMAGE_TYPES", "png,jpg,gif,webp"),
        "audio": env_list("CONDUIT_MEDIA_AUDIO_TYPES", "mp3,ogg,wav,m4a,aac"),
        "video": env_list("CONDUIT_MEDIA_VIDEO_TYPES", "mp4,webm,mov"),
    },
    "MEDIA_MAX_BYTES": {
        "image": int(env("CONDUIT_MEDIA_MAX_IMAGE_BYTES", 10 * 1024**2)),
        "audio": int(env("CONDUIT_MEDIA_MAX_AUDIO_BYTES", 50 * 1024**2)),
        "video": int(env("CONDUIT_MEDIA_MAX_VIDEO_BYTES", 500 * 1024**2)),
    },
    "MEDIA_URL_EXPIRES": int(env("CONDUIT_MEDIA_URL_EXPIRES", 3600)),
    # JWT key ring "kid1:secret1,kid2:secret2": the first signs, all verify (conduit.auth); empty: derived from SECRET_KEY.
    "JWT_KEYS": env("CONDUIT_JWT_KEYS", ""),
    # Tenant logins per tenant and client IP; failed operator logins per client IP (DRF throttle syntax).
    "LOGIN_RATE": env("CONDUIT_LOGIN_RATE", "20/min"),
    # GET /metrics: this bearer token or a staff session; unset: a staff session or a loopback client.
    "METRICS_TOKEN": env("CONDUIT_METRICS_TOKEN", ""),
    # Search: "embedded" (per-tenant tantivy + vectors under DATA_DIR/search) or an Elasticsearch http(s):// URL.
    "SEARCH_URL": env("CONDUIT_SEARCH_URL", "embedded"),
    "SEARCH_INDEX_PREFIX": env("CONDUIT_SEARCH_INDEX_PREFIX", "conduit-"),
    "SEARCH_MIN_SIMILARITY": float(env("CONDUIT_SEARCH_MIN_SIMILARITY", 0.2)),
    "SEARCH_QUERY_EMBED_WAIT": float(env("CONDUIT_SEARCH_QUERY_EMBED_WAIT", 2.0)),  # s a web process waits for the model
    "EMBEDDING_MODEL": env("CONDUIT_EMBEDDING_MODEL", ""),  # a sentence-transformers name/path; empty: the bundled MiniLM
    # torch/BLAS threads of a process that embeds: 1 keeps query latency stable when processes share the cores.
    "EMBEDDING_THREADS": int(env("CONDUIT_EMBEDDING_THREADS", 1)),
    # Content events (events/): "db" (embedded log in the control DB) or "kafka://host:port[,host:port]".
    "EVENT_BUS": env("CONDUIT_EVENT_BUS", "db"),
    "KAFKA_TOPIC": env("CONDUIT_KAFKA_TOPIC", "conduit.content"),
    "KAFKA_GROUP": env("CONDUIT_KAFKA_GROUP", "conduit-indexers"),
    "KAFKA_PUBLISH_TIMEOUT": float(env("CONDUIT_KAFKA_PUBLISH_TIMEOUT", 2.0)),  # s before a publish counts as failed
    "EVENT_HANDLER": env("CONDUIT_EVENT_HANDLER", "search.indexing.indexer"),  # an events.handler.EventHandler
    "WORKER_BATCH_SIZE": int(env("CONDUIT_WORKER_BATCH_SIZE", 100)),
    "WORKER_THREADS": int(env("CONDUIT_WORKER_THREADS", 8)),  # tenants of one batch indexed concurrently
    "WORKER_POLL_SECONDS": float(env("CONDUIT_WORKER_POLL_SECONDS", 0.02)),  # idle wait between polls of the db bus
    "WORKER_MAX_ATTEMPTS": int(env("CONDUIT_WORKER_MAX_ATTEMPTS", 5)),  # then the event is dead-lettered
    "WORKER_RETRY_BASE_SECONDS": float(env("CONDUIT_WORKER_RETRY_BASE_SECONDS", 1.0)),  # doubled on each attempt
    "OUTBOX_SWEEP_SECONDS": float(env("CONDUIT_OUTBOX_SWEEP_SECONDS", 300)),  # full sweep of every tenant's outbox
    # Scheduled publishing (content/scheduling.py): the worker's tick, and the cycle of its repair sweep of all tenants.
    "SCHEDULE_TICK_SECONDS": float(env("CONDUIT_SCHEDULE_TICK_SECONDS", 0.25)),
    "SCHEDULE_SWEEP_SECONDS": float(env("CONDUIT_SCHEDULE_SWEEP_SECONDS", 300)),
    # Where new tenant databases may be created or moved to (issue 10): SQLite files under these directories, servers
    # on these hosts ("host" or "host:port"). Defaults: the data dir and the directory of a SQLite tenant URL; the
    # hosts of DATABASE_URL and CONDUIT_TENANT_DATABASE_URL.
    "DATABASE_DIRS": env_list("CONDUIT_DATABASE_DIRS", ""),
    "DATABASE_HOSTS": env_list("CONDUIT_DATABASE_HOSTS", ""),
    # Webhooks (webhooks/, docs/publishing.md): http:// and private/loopback addresses only to these hosts ("host" or
    # "host:port"); per-attempt timeout; back-off base (doubled per attempt, full jitter, capped) within a retry window,
    # then dead; an endpoint is disabled after this many consecutive failed attempts; the sender's pool and tick.
    "WEBHOOK_ALLOWED_HOSTS": env_list("CONDUIT_WEBHOOK_ALLOWED_HOSTS", ""),
    "WEBHOOK_TIMEOUT": float(env("CONDUIT_WEBHOOK_TIMEOUT", 5.0)),
    "WEBHOOK_MAX_RESPONSE_BYTES": int(env("CONDUIT_WEBHOOK_MAX_RESPONSE_BYTES", 65536)),
    "WEBHOOK_RETRY_BASE_SECONDS": float(env("CONDUIT_WEBHOOK_RETRY_BASE_SECONDS", 10.0)),
    "WEBHOOK_RETRY_MAX_SECONDS": float(env("CONDUIT_WEBHOOK_RETRY_MAX_SECONDS", 3600.0)),
    "WEBHOOK_RETRY_WINDOW_SECONDS": float(env("CONDUIT_WEBHOOK_RETRY_WINDOW_SECONDS", 86400.0)),
    "WEBHOOK_DISABLE_AFTER": int(env("CONDUIT_WEBHOOK_DISABLE_AFTER", 50)),
    "WEBHOOK_THREADS": int(env("CONDUIT_WEBHOOK_THREADS", 16)),
    "WEBHOOK_ENDPOINT_CONCURRENCY": int(env("CONDUIT_WEBHOOK_ENDPOINT_CONCURRENCY", 4)),
    "WEBHOOK_TICK_SECONDS": float(env("CONDUIT_WEBHOOK_TICK_SECONDS", 0.2)),
    "WEBHOOK_SWEEP_SECONDS": float(env("CONDUIT_WEBHOOK_SWEEP_SECONDS", 300)),  # each worker re-reads every tenant
    # HTTP caching of the public tenant API (httpcache/, docs/caching.md): the shared cache of anonymous answers
    # (entry lifetime, entries kept in each process), unsafe paths whose 2xx changes no content, and per endpoint
    # family "max-age,stale-while-revalidate" seconds of anonymous answers (CONDUIT_CACHE_<FAMILY>).
    "HTTP_CACHE": {
        "ENABLED": env_bool("CONDUIT_HTTP_CACHE", True),
        "ENTRY_SECONDS": int(env("CONDUIT_HTTP_CACHE_ENTRY_SECONDS", 600)),
        "LOCAL_ENTRIES": int(env("CONDUIT_HTTP_CACHE_LOCAL_ENTRIES", 2000)),
        "NO_BUMP_PATHS": env_list("CONDUIT_HTTP_CACHE_NO_BUMP_PATHS", "/api/users/login"),
        "FAMILIES": {
            family: tuple(int(v) for v in env_list(name, default)) for family, name, default in (
                ("articles", "CONDUIT_CACHE_ARTICLES", "5,30"), ("article", "CONDUIT_CACHE_ARTICLE", "10,60"),
                ("comments", "CONDUIT_CACHE_COMMENTS", "5,30"), ("tags", "CONDUIT_CACHE_TAGS", "30,120"),
                ("profiles", "CONDUIT_CACHE_PROFILES", "10,60"),
            )
        },
    },
    # CDN purge by surrogate key on each content event (httpcache/purge.py): empty URL = no purge; style "tags"
    # (POST {"tags": [...]}, Bearer token: Cloudflare's shape) or "fastly" (POST {"surrogate_keys": [...]}, Fastly-Key).
    "CDN_PURGE_URL": env("CONDUIT_CDN_PURGE_URL", ""),
    "CDN_PURGE_STYLE": env("CONDUIT_CDN_PURGE_STYLE", "tags"),
    "CDN_PURGE_TOKEN": env("CONDUIT_CDN_PURGE_TOKEN", ""),
    "CDN_PURGE_TIMEOUT": float(env("CONDUIT_CDN_PURGE_TIMEOUT", 2.0)),
    # Limits of an imported tenant archive (tenants/transfer/reader.py): anything over one is refused, named.
    "ARCHIVE_LIMITS": {
        "manifest_bytes": int(env("CONDUIT_ARCHIVE_MAX_MANIFEST_BYTES", 64 * 1024**2)),
        "member_bytes": int(env("CONDUIT_ARCHIVE_MAX_MEMBER_BYTES", 4 * 1024**3)),
        "row_bytes": int(env("CONDUIT_ARCHIVE_MAX_ROW_BYTES", 16 * 1024**2)),
        "members": int(env("CONDUIT_ARCHIVE_MAX_MEMBERS", 200_000)),
    },
}


def _database_defaults(*urls):
    """Default allow-lists for new tenant databases: the data dir, and the places the operator already configured."""
    dirs, hosts = [str(DATA_DIR)], []
    for url in filter(None, urls):
        if url.startswith(("mongodb://", "mongodb+srv://")):  # every seed host (or the SRV name), ports dropped
            netloc = urlsplit(url.replace("{slug}", "x")).netloc.rsplit("@", 1)[-1]
            hosts.extend(h.rsplit(":", 1)[0].lower() for h in netloc.split(",") if h)
        elif url.startswith("sqlite:"):
            dirs.append(str(Path(dj_database_url.parse(url.split("{slug}")[0] + "x")["NAME"]).parent))
        else:
            hosts.append((dj_database_url.parse(url.replace("{slug}", "x")).get("HOST") or "localhost").lower())
    return list(dict.fromkeys(dirs)), list(dict.fromkeys(h for hs in hosts for h in hs.split(",")))


_dirs, _hosts = _database_defaults(env("DATABASE_URL"), CONDUIT["TENANT_DATABASE_URL"])
CONDUIT["DATABASE_DIRS"] = CONDUIT["DATABASE_DIRS"] or _dirs
CONDUIT["DATABASE_HOSTS"] = CONDUIT["DATABASE_HOSTS"] or _hosts

# Prometheus multiprocess mode: the gunicorn workers and run_worker of one deployment share one metrics directory:
# PROMETHEUS_MULTIPROC_DIR if the operator set it, else $CONDUIT_DATA_DIR/prometheus (derived afresh in each process,
# so a child process with another data dir never writes into its parent's directory).
if env("PROMETHEUS_MULTIPROC_DIR") and env("PROMETHEUS_MULTIPROC_DIR") != env("CONDUIT_METRICS_DIR_DERIVED"):
    METRICS_DIR = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
else:
    METRICS_DIR = DATA_DIR / "prometheus"
    os.environ["CONDUIT_METRICS_DIR_DERIVED"] = str(METRICS_DIR)
METRICS_DIR.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(METRICS_DIR)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("CONDUIT_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Creator media: CONDUIT_STORAGE_URL empty → $CONDUIT_DATA_DIR/media; s3://bucket?endpoint_url=…&region=… → S3/MinIO.
from conduit.storage_url import storage_settings  # noqa: E402

STORAGES["media"] = storage_settings(
    env("CONDUIT_STORAGE_URL", ""), local_root=DATA_DIR / "media", url_expires=CONDUIT["MEDIA_URL_EXPIRES"]
)
# Uploads above this size stream to a temporary file instead of memory (Django's default, stated on purpose).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
WHITENOISE_USE_FINDERS = DEBUG

# Proxy headers are trusted only when the operator says a proxy sits in front (deploy/nginx).
if env_bool("CONDUIT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

REST_FRAMEWORK = {
    # No view authenticates unless it says how: tenant views by token (conduit.api.TenantApi), the control API by
    # an operator's session or throttled HTTP Basic (tenants.apis). Never Basic or sessions on a tenant host.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PARSER_CLASSES": [
        "conduit.parsers.JSONParser",  # bounded nesting depth
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "conduit.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Conduit control plane API",
    "DESCRIPTION": "Staff-only tenant lifecycle API of the Conduit platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the app's own static files (drf-spectacular-sidecar), never a CDN: private networks have none.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Tenant API (RealWorld): JWT, CORS, login throttling.
from datetime import timedelta  # noqa: E402

SIMPLE_JWT = {
    "AUTH_HEADER_TYPES": ("Token", "Bearer"),
    "ACCESS_TOKEN_LIFETIME": timedelta(hours=float(env("CONDUIT_JWT_LIFETIME_HOURS", 24 * 7))),
    "ALGORITHM": "HS256",
    "UPDATE_LAST_LOGIN": False,
}
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "")
CORS_ALLOW_ALL_ORIGINS = env_bool("CORS_ALLOW_ALL_ORIGINS", False)
CORS_URLS_REGEX = r"^/api/.*$"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Login throttle counts (conduit.throttling), shared by every process: Redis, else files under DATA_DIR (one
    # machine). Several web hosts without Redis would each count on their own: set REDIS_URL there.
    "throttle": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL"),
         "KEY_PREFIX": "conduit"}
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": DATA_DIR / "throttle",
              "OPTIONS": {"MAX_ENTRIES": 10000}}
    ),
    # Content versions and anonymous answers of the tenant API (httpcache/), shared by every process: Redis, else
    # files under DATA_DIR (one machine; each process also keeps hot entries in memory, httpcache/store.py).
    "http": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL"),
         "KEY_PREFIX": "conduit"}
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": DATA_DIR / "httpcache",
              "OPTIONS": {"MAX_ENTRIES": 5000}}
    ),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "conduit.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "conduit.access": {"level": env("ACCESS_LOG_LEVEL", "INFO")},
        "conduit.auth": {"level": env("AUTH_LOG_LEVEL", env("LOG_LEVEL", "INFO"))},  # DEBUG: why tokens are rejected
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}
