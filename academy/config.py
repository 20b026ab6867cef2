"""Settings, read from the environment (ACADEMY_*); the test settings live apart.

The embedded default needs nothing: SQLite in ``instance/``, jobs in a worker thread, and a
secret key generated once and kept in ``instance/secret_key``. Production (``ACADEMY_ENV=production``)
refuses to start without an explicit secret, because a generated one would differ per host, and
without ``ACADEMY_PUBLIC_URL`` or ``ACADEMY_TRUSTED_HOSTS`` (see ``academy/web/urls.py``).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo

from academy.database import DEFAULT_CITY_TIMEZONE

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = BASE_DIR / "instance"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"ACADEMY_{name}")
    return value if value not in (None, "") else default


def _dev_secret(instance_path: Path, name: str) -> str:
    """Keep one generated secret per installation so sessions and encrypted data survive restarts."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / name
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    """The embedded default and the production settings, both from the environment."""

    def __init__(self, instance_path: Path | None = None) -> None:
        instance = Path(_env("INSTANCE_PATH", str(instance_path or DEFAULT_INSTANCE)))
        self.INSTANCE_PATH = str(instance)
        self.ENV_NAME = _env("ENV", "development")
        self.SECRET_KEY = self._secret("SECRET_KEY", instance, "secret_key")
        # Encrypts national ID numbers at rest and keys their search hash. Kept apart from the
        # session secret so that rotating one does not make the other's data unreadable.
        self.DATA_KEY = self._secret("DATA_KEY", instance, "data_key")
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{instance / 'academy.db'}")
        self.REDIS_URL = _env("REDIS_URL")
        self.FILES_DIR = _env("FILES_DIR", str(instance / "files"))
        self.MAX_CONTENT_LENGTH = int(_env("MAX_UPLOAD_MB", "20")) * 1024 * 1024
        self.PROXY_COUNT = int(_env("PROXY_COUNT", "0"))
        # The city's zone: its days are the days of due dates, expiry, renewal windows, annual hours
        # and statistics (academy/database.py city_today), and the zone times are shown in by default.
        # ZoneInfo refuses an unknown name here, at start-up, not at the first page that counts days.
        self.CITY_TIMEZONE = self.BABEL_DEFAULT_TIMEZONE = str(ZoneInfo(_env("CITY_TIMEZONE", DEFAULT_CITY_TIMEZONE)))
        self.DEMO_PASSWORD = _env("DEMO_PASSWORD", "grid-academy-demo")
        self.PUBLIC_URL = _env("PUBLIC_URL")
        # Flask answers 400 to any other Host header; production needs this or PUBLIC_URL (academy/web/urls.py).
        hosts = [host.strip() for host in (_env("TRUSTED_HOSTS") or "").split(",") if host.strip()]
        self.TRUSTED_HOSTS = hosts or None
        # Public pages and APIs anyone can call, per client (count/seconds; see academy/web/ratelimit.py).
        self.RATELIMIT_BOARD = _env("RATELIMIT_BOARD", "60/600")
        self.RATELIMIT_OPEN311 = _env("RATELIMIT_OPEN311", "600/600")
        # An integrator's key to the certificate verification API counts against its own quota.
        self.RATELIMIT_VERIFY_KEY = _env("RATELIMIT_VERIFY_KEY", "6000/600")
        # Open311: the jurisdiction_id this city serves (others then get 404; unset: ignored), where
        # developers ask for a key, and whether media links may point into private networks.
        self.OPEN311_JURISDICTION_ID = _env("OPEN311_JURISDICTION_ID")
        self.OPEN311_CONTACT = _env("OPEN311_CONTACT", "")
        self.OPEN311_KEY_SERVICE = _env("OPEN311_KEY_SERVICE", "")
        self.OPEN311_MEDIA_PRIVATE_HOSTS = (_env("OPEN311_MEDIA_PRIVATE_HOSTS") or "") == "1"
        # Sign-in through the city's identity provider (OpenID Connect; academy/oidc): offered only
        # when the issuer, client id and secret are all set. The claims name where the provider
        # puts the worker number and the national ID number (matched by its keyed hash, never kept).
        self.OIDC_ISSUER = _env("OIDC_ISSUER")
        self.OIDC_CLIENT_ID = _env("OIDC_CLIENT_ID")
        self.OIDC_CLIENT_SECRET = _env("OIDC_CLIENT_SECRET")
        self.OIDC_NAME = _env("OIDC_NAME", "")
        self.OIDC_SCOPES = _env("OIDC_SCOPES", "openid profile")
        self.OIDC_WORKER_NUMBER_CLAIM = _env("OIDC_WORKER_NUMBER_CLAIM", "worker_number")
        self.OIDC_ID_NUMBER_CLAIM = _env("OIDC_ID_NUMBER_CLAIM", "id_number")
        self.RATELIMIT_OIDC = _env("RATELIMIT_OIDC", "120/600")
        # First sign-in and SMS resets (academy/activation): letters' codes live this many days; the
        # SMS provider and its keys (academy/activation/sms.py); the public pages' limits per address.
        self.ACTIVATION_DAYS = int(_env("ACTIVATION_DAYS", "30"))
        self.SMS_PROVIDER = _env("SMS_PROVIDER", "outbox")
        self.SMS_URL = _env("SMS_URL")
        self.SMS_KEY_ID = _env("SMS_KEY_ID")
        self.SMS_KEY_SECRET = _env("SMS_KEY_SECRET")
        self.SMS_SIGN_NAME = _env("SMS_SIGN_NAME")
        self.SMS_TEMPLATE = _env("SMS_TEMPLATE")
        self.SMS_NOTICE_TEMPLATE = _env("SMS_NOTICE_TEMPLATE")
        # Notifications (academy/notifications/channels.py): e-mail over SMTP (off unless a host is
        # set), the WeCom and DingTalk group robots' webhooks, retries and their back-off.
        self.SMTP_HOST = _env("SMTP_HOST")
        self.SMTP_PORT = int(_env("SMTP_PORT", "25"))
        self.SMTP_USER = _env("SMTP_USER")
        self.SMTP_PASSWORD = _env("SMTP_PASSWORD")
        self.SMTP_STARTTLS = (_env("SMTP_STARTTLS") or "") == "1"
        self.SMTP_FROM = _env("SMTP_FROM", "academy@localhost")
        self.WECOM_WEBHOOK = _env("WECOM_WEBHOOK")
        self.DINGTALK_WEBHOOK = _env("DINGTALK_WEBHOOK")
        # the work-notice APIs (a person with his user id on his preferences; else the robots above)
        self.WECOM_API = _env("WECOM_API", "https://qyapi.weixin.qq.com/cgi-bin")
        self.WECOM_CORP_ID = _env("WECOM_CORP_ID")
        self.WECOM_CORP_SECRET = _env("WECOM_CORP_SECRET")
        self.WECOM_AGENT_ID = _env("WECOM_AGENT_ID")
        self.DINGTALK_API = _env("DINGTALK_API", "https://oapi.dingtalk.com")
        self.DINGTALK_APP_KEY = _env("DINGTALK_APP_KEY")
        self.DINGTALK_APP_SECRET = _env("DINGTALK_APP_SECRET")
        self.DINGTALK_AGENT_ID = _env("DINGTALK_AGENT_ID")
        self.NOTIFY_MAX_ATTEMPTS = int(_env("NOTIFY_MAX_ATTEMPTS", "5"))
        self.NOTIFY_BACKOFF_SECONDS = int(_env("NOTIFY_BACKOFF_SECONDS", "60"))
        self.NOTIFY_ESSAY_DAYS = int(_env("NOTIFY_ESSAY_DAYS", "3"))  # essays waiting longer tell the instructors
        self.SMS_CODES_PER_HOUR = int(_env("SMS_CODES_PER_HOUR", "3"))
        self.RATELIMIT_ACTIVATE = _env("RATELIMIT_ACTIVATE", "30/600")
        self.RATELIMIT_PASSWORD_RESET = _env("RATELIMIT_PASSWORD_RESET", "20/3600")
        # Production runs behind HTTPS: cookies are never sent in clear, even when the proxy's
        # X-Forwarded-Proto is not passed on (ACADEMY_PROXY_COUNT left at 0).
        self.SESSION_COOKIE_SECURE = self.REMEMBER_COOKIE_SECURE = self.ENV_NAME == "production"

    def _secret(self, name: str, instance: Path, file_name: str) -> str:
        value = _env(name)
        if value is None:
            if self.ENV_NAME == "production":
                raise RuntimeError(f"ACADEMY_{name} must be set in production (ACADEMY_ENV=production).")
            value = _dev_secret(instance, file_name)
        return value

    # Fixed settings, the same everywhere.
    # pre-ping: a connection the database dropped (restart, failover) is replaced before use, so the
    # first request after a restart does not fail. hide_parameters: error messages and logs never
    # carry the values of a failed statement (names, phone numbers, encrypted ID numbers).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    BABEL_DEFAULT_LOCALE = "zh_CN"
    LANGUAGES = ("zh_CN", "en")
    BOOTSTRAP_SERVE_LOCAL = True
    PERMANENT_SESSION_LIFETIME = 12 * 3600  # a working day; each request renews it
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # an exam or a long form must not expire its token mid-way
    LOGIN_WINDOW_MINUTES = 15
    # Log-in throttling (academy/accounts/throttle.py says how the three limits work together).
    LOGIN_MAX_FAILURES_PER_PAIR = 5  # one account from one address: blocks that pair only
    LOGIN_ACCOUNT_THROTTLE_AFTER = 10  # one account from all addresses: then unknown addresses wait
    LOGIN_ACCOUNT_MAX_DELAY_SECONDS = 300  # the doubling wait stops growing here
    LOGIN_MAX_ACCOUNTS_PER_ADDRESS = 30  # distinct accounts failed from one address (offices share one)
    LOGIN_KNOWN_ADDRESS_DAYS = 90  # an address the account logged in from this recently is known
    SQLITE_BUSY_TIMEOUT_MS = 15000
    JOB_WORKER_THREADS = 1
    JOB_TIMEOUT_SECONDS = 3600  # a job running longer is taken as dead (see jobs.sweep_stale_jobs)
    # How often the web process looks for jobs nobody will run (jobs.recovery), and how long a
    # queued job still counts as "waiting" for de-duplication before it is taken as stuck.
    JOB_RECOVER_SECONDS = 60
    # Tries of one code (activation) or one person's reset codes, whatever the address, per window.
    RATELIMIT_ACTIVATE_CODE = "5/3600"
    RATELIMIT_RESET_CHECK = "5/900"
    # The reset request answers after at least this long, whether or not the number exists and
    # whatever the SMS provider takes, so its timing does not tell who is registered.
    RESET_ANSWER_SECONDS = 1.5
    JOB_QUEUE_TIMEOUT_SECONDS = 300
    JOB_RUNNER = "auto"  # RQ when ACADEMY_REDIS_URL is set, else a worker thread
    TESTING = False


class TestConfig(Config):
    """Tests: a database of the test run's choosing, CSRF on (tests send real tokens)."""

    __test__ = False  # not a pytest test class

    TESTING = True
    JOB_RUNNER = "manual"  # tests share one connection; they run jobs where they can see them
    # An app a test starts with a real runner (a live server, a fault test) takes up lost jobs at its
    # first request only: its recovery thread outlives the test, and waking during a later test it
    # would work in that test's session (the fixture puts it on db.session) and roll its savepoint back.
    JOB_RECOVER_SECONDS = 10 ** 7
    # The reset request's floor (RESET_ANSWER_SECONDS) kept short: tests measure it, and walk the form often.
    RESET_ANSWER_SECONDS = 0.3
    # Argon2 at full cost makes a test run crawl; the policy test checks production parameters.
    PASSWORD_HASH_FAST = True

    def __init__(self, database_url: str, instance_path: Path, **overrides) -> None:
        super().__init__(instance_path)
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.FILES_DIR = str(instance_path / "files")
        self.REDIS_URL = None
        for key, value in overrides.items():
            setattr(self, key, value)
