"""Newsroom settings: one module, read from the environment.

Development needs nothing set (`DJANGO_DEBUG=1` is what `make run` uses). Production
must set at least `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS`; the README lists the rest.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from js_asset import static_lazy

from newsroom.frontcache.backends import parse as frontend_caches
from newsroom.pagecache.redis import CONNECTION_CLASSES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_prose_editor",
    "reversion",
    "django.contrib.sitemaps",
    "axes",
    "authors",
    "articles",
    "pages",
    "newsroom.notices",
    "newsroom.pagecache",
    "newsroom.frontcache",
    "newsroom.permalinks",
    "newsroom.transfer",
    "newsroom.images",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that may answer early (an unknown Host's 400 comes from the page
    # cache, which reads the host; a cached page skips what is below it): every response
    # gets the CSP and the framing ban.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the page cache, so that a page rendered again after a replica failure is too.
    "newsroom.replica.ReplicaMiddleware",
    # First after security headers: a cached page skips everything below it.
    "newsroom.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before django-axes, after the rest: it sees a 404 before the language and
    # trailing-slash redirects do.
    "newsroom.permalinks.middleware.RedirectFallbackMiddleware",
    # Inside the header middleware, so that its 400 carries the same headers as any page.
    "newsroom.security.RejectNulInQueryMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "newsroom.context_processors.site",
                "newsroom.notices.context_processors.site_notice",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # A transaction takes the write lock when it begins, so a writer waits its turn
        # (up to `timeout` seconds, below gunicorn's 30 s worker timeout) instead of
        # failing with "database is locked" halfway.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Write-ahead log: readers read while a writer writes, never waiting for it.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
# Readers' pages read from a streaming replica of the primary when one is set; everything
# else, and every read inside a write, from the primary (newsroom/replica.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        # A replica that does not answer costs readers a second at most, then is skipped.
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 1}
    # Tests read the replica through the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
# Seconds readers' pages read from the primary after the replica failed, before it is tried.
NEWSROOM_REPLICA_RETRY_SECONDS = int(os.environ.get("NEWSROOM_REPLICA_RETRY_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# A Redis call that takes longer fails; Redis is then left alone for NEWSROOM_REDIS_RETRY_SECONDS
# by the process that saw it fail (newsroom/pagecache/redis.py).
NEWSROOM_REDIS_TIMEOUT_SECONDS = float(os.environ.get("NEWSROOM_REDIS_TIMEOUT_SECONDS", "0.25"))
NEWSROOM_REDIS_RETRY_SECONDS = float(os.environ.get("NEWSROOM_REDIS_RETRY_SECONDS", "5"))


def redis_cache(url):
    scheme = urlsplit(url).scheme
    if scheme not in CONNECTION_CLASSES:
        raise ImproperlyConfigured(
            f"REDIS_URL must start with {', '.join(f'{name}://' for name in CONNECTION_CLASSES)}"
        )
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "newsroom",
        # A Redis outage degrades to cache misses instead of errors for readers.
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": NEWSROOM_REDIS_TIMEOUT_SECONDS,
            "SOCKET_TIMEOUT": NEWSROOM_REDIS_TIMEOUT_SECONDS,
            "CONNECTION_POOL_KWARGS": {
                "connection_class": CONNECTION_CLASSES[scheme],
            },
        },
    }


REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache's change marks live where every process sees them: in a shared cache, or
# else in the database (newsroom/pagecache/marks.py).
NEWSROOM_CHANGE_MARKS_IN_CACHE = bool(REDIS_URL)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks every login against its lockout list before Django's own backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Languages: adding one is a change here plus `manage.py makemigrations` (see README).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
]
# How OpenGraph names each language (language_COUNTRY); one not listed here gets its own
# code as the country (`de` → `de_DE`).
NEWSROOM_LOCALES = {"en": "en_GB", "fr": "fr_FR", "ru": "ru_RU"}
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_I18N = True
USE_TZ = True
# The newsroom's time zone: pages show times of day in it ("14:05 CET").
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# Names of people, sections and topics fall back to English; article texts never do
# (see articles/translation.py), because an article is public only where it is translated.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# modeltranslation's tabbed admin would otherwise load jQuery UI from a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploaded images live on the local disk, or in an S3-compatible object store when a
# bucket is named (needs the `s3` extra: django-storages with boto3). Credentials come
# from boto3's usual sources: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a role...
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Where readers' browsers fetch images from, besides this site (for the CSP's img-src).
MEDIA_ORIGINS = []
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    _bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    _domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN")
    _endpoint = os.environ.get("AWS_S3_ENDPOINT_URL")
    _region = os.environ.get("AWS_S3_REGION_NAME")
    if _domain:
        MEDIA_ORIGINS = [f"https://{_domain}"]
    elif _endpoint:
        # Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key) URLs.
        _scheme, _host = urlsplit(_endpoint)[:2]
        MEDIA_ORIGINS = [f"{_scheme}://{_host}", f"{_scheme}://{_bucket}.{_host}"]
    else:
        MEDIA_ORIGINS = [f"https://{_bucket}.s3.amazonaws.com"]
        if _region:
            MEDIA_ORIGINS.append(f"https://{_bucket}.s3.{_region}.amazonaws.com")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": _endpoint or None,
            "region_name": _region or None,
            "custom_domain": _domain or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            # Images are public: plain, stable URLs that browsers and CDNs can cache.
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }


def _pixel_size(name, default):
    """Parse `WIDTHxHEIGHT` (e.g. `1200x630`) into a (width, height) pair."""
    raw = os.environ.get(name) or default
    width, separator, height = raw.lower().partition("x")
    if not (separator and width.isdigit() and height.isdigit()):
        raise ImproperlyConfigured(f"{name}: {raw!r} is not WIDTHxHEIGHT, e.g. 1200x630")
    return int(width), int(height)


# Image uploads beyond these limits are refused with a form error (see README, Images).
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", 20 * 1024 * 1024))
# Decoding takes up to 4 bytes a pixel: 40 million (a 40-megapixel camera) is 160 MB, and a
# worker stays under 300 MB while it accepts one (see newsroom/images/uploads.py).
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000))
# A file past NEWSROOM_IMAGE_MAX_BYTES is counted, not kept; a larger request is refused
# before it is read (the proxy in front should refuse it first: see README, Images).
FILE_UPLOAD_HANDLERS = [
    "newsroom.images.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The smallest image the library accepts; lead images and author photos have their own.
NEWSROOM_IMAGE_MIN_SIZE = _pixel_size("NEWSROOM_IMAGE_MIN_SIZE", "200x200")
# Large enough for the 1200 x 630 social-media rendition without upscaling.
NEWSROOM_LEAD_IMAGE_MIN_SIZE = _pixel_size("NEWSROOM_LEAD_IMAGE_MIN_SIZE", "1200x630")
NEWSROOM_AUTHOR_PHOTO_MIN_SIZE = _pixel_size("NEWSROOM_AUTHOR_PHOTO_MIN_SIZE", "200x200")

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Meridian Review")


def _social_links(raw):
    """Parse `Name=https://url,Name=https://url` into (name, url) pairs."""
    links = []
    for item in env_list(raw):
        name, separator, url = item.partition("=")
        if not separator or not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(f"NEWSROOM_SOCIAL_LINKS: {item!r} is not Name=https://url")
        links.append((name.strip(), url.strip()))
    return links


# "Follow us on" links in the footer.
NEWSROOM_SOCIAL_LINKS = _social_links("NEWSROOM_SOCIAL_LINKS") or [
    ("Mastodon", "https://mastodon.example/@meridian"),
    ("Bluesky", "https://bsky.example/profile/meridian"),
    ("Telegram", "https://t.example/meridian"),
]

NEWSROOM_PAGE_SIZE = int(os.environ.get("NEWSROOM_PAGE_SIZE", "12"))

# How long readers' pages stay in the cache at most; 0 turns the page cache off. Changes
# and scheduled publications refresh pages sooner (newsroom/pagecache/middleware.py).
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "3600"))
# With Redis, each worker process also keeps the pages it served last, up to this many bytes
# (newsroom/pagecache/recent.py); 0 turns this off.
NEWSROOM_RECENT_PAGES_BYTES = int(os.environ.get("NEWSROOM_RECENT_PAGES_BYTES", str(32 << 20)))

# Shared caches in front of the site (Varnish...), purged by the page cache's tags when
# something changes: `varnish:http://10.0.0.5:6081,http:https://purger.internal/newsroom`
# (newsroom/frontcache/backends.py). Readers' pages then say how long they may keep them.
NEWSROOM_FRONTEND_CACHES = frontend_caches(os.environ.get("NEWSROOM_FRONTEND_CACHES", ""))

# Security. Production defaults are strict (see README, "HTTPS and security"); development
# with DJANGO_DEBUG=1 runs on plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe health over plain HTTP, from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
# Behind a proxy that terminates TLS: trust its X-Forwarded-Proto and X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(8 * 3600)))

# Embeds in article bodies (articles/embeds.py). Mastodon has many servers: those whose
# posts become embeds (a post elsewhere stays a link). The oEmbed endpoint asked for an
# embed's title and thumbnail when the body is saved, per provider ("{host}": the Mastodon
# server), and how long each request may take.
EMBED_MASTODON_HOSTS = os.environ.get(
    "EMBED_MASTODON_HOSTS", "mastodon.social,mastodon.online,mstdn.social"
).split(",")
EMBED_OEMBED_ENDPOINTS = {
    "youtube": "https://www.youtube.com/oembed",
    "vimeo": "https://vimeo.com/api/oembed.json",
    "x": "https://publish.twitter.com/oembed",
    "bluesky": "https://embed.bsky.app/oembed",
    "mastodon": "https://{host}/api/oembed",
    "soundcloud": "https://soundcloud.com/oembed",
}
EMBED_FETCH_TIMEOUT = float(os.environ.get("EMBED_FETCH_TIMEOUT", "3"))
# Exactly the frames of the embeds' providers (articles.embeds.frame_origins()).
EMBED_FRAME_ORIGINS = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://platform.twitter.com",
    "https://embed.bsky.app",
    *(f"https://{host}" for host in EMBED_MASTODON_HOSTS),
    "https://t.me",
    "https://w.soundcloud.com",
]

# The rich text editor's extensions of our own (static/js/body-extensions.js and, for
# figures, static/js/figure-extension.js). What they
# may write is decided by articles.sanitize.clean_html(), the form field's sanitizer, so
# they add nothing to django-prose-editor's own allowlist.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/body-extensions.js")],
        "extensions": dict.fromkeys(
            [
                "Table",
                "Deleted",
                "Inserted",
                "Cite",
                "DescriptionList",
                "DescriptionTerm",
                "DescriptionDetails",
                "Note",
                "Embed",
            ],
            lambda config, shared_config: None,
        ),
    },
    {
        "js": [static_lazy("js/figure-extension.js")],
        # The editor's own allowlist (unused: articles/sanitize.py is the one that runs).
        "extensions": {
            "LibraryFigure": "articles.sanitize.figure_allowlist",
            "LibraryGallery": "articles.sanitize.figure_allowlist",
        },
    },
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Inline scripts run only with the per-response nonce: {{ CSP_NONCE }} in templates.
        "script-src": [SELF, NONCE],
        # Plus the base stylesheet the rich text editor (Tiptap, in django-prose-editor 0.28)
        # injects into admin pages: only that exact stylesheet, by its hash.
        "style-src": [SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "frame-src": EMBED_FRAME_ORIGINS,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Staff sign in at the admin's login; without a safe `next`, they land on the desk.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Admin login throttling: failures count per username and address together, so an attacker
# cannot lock a colleague out from elsewhere, and unknown usernames lock out the same way.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "newsroom.security.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
