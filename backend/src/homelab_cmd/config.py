"""Hub settings, read from `HOMELAB_CMD_*` environment variables."""

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from homelab_cmd.domain.hub_url import HUB_URL_RULE, is_hub_url
from homelab_cmd.domain.passwords import MIN_PASSWORD_CHARS
from homelab_cmd.domain.report_schedule import DEFAULT_SCHEDULE, parse_schedule

MIN_API_KEY_CHARS = 16
# Keys shipped as examples or defaults, compared lower-case with only letters and digits kept.
DEFAULT_KEYS = frozenset(
    {"devkeychangeme", "changeme", "changethis", "secret", "admin", "password", "apikey",
     "default", "test", "homelab", "homelabcmd", "yourapikey", "letmein", "example",
     "yoursecureapikey", "yoursecurekeyhere"}
)  # fmt: skip
# Words of a placeholder to be replaced, anywhere in the folded key (`my-example-key-123456`), and
# the start of one addressed to the reader (the 1.x docs: `your-secure-api-key`, and the like).
PLACEHOLDER_WORDS = ("changeme", "changethis", "replaceme", "placeholder", "example")
PLACEHOLDER_START = "your"
DEFAULT_KEY_ADVICE = (
    "it would make whoever holds it an admin. For agents of HomelabCmd 1.x give their old key "
    "as HOMELAB_CMD_LEGACY_AGENT_KEY instead (heartbeats only); for scripts create an API token "
    "(docs/security.md); or set HOMELAB_CMD_API_KEY to a random value "
    "(`openssl rand -hex 32`), or unset it"
)


def known_default_key(key: str) -> str | None:
    """Why `key` is a known default or guessable, or None when it is neither."""
    folded = "".join(ch for ch in key.lower() if ch.isalnum())
    if folded in DEFAULT_KEYS:
        return "is a known default key (HomelabCmd 1.x shipped `dev-key-change-me`)"
    if folded.startswith(PLACEHOLDER_START) or any(w in folded for w in PLACEHOLDER_WORDS):
        return "is a placeholder from an example, not a secret"
    if len(key.strip()) < MIN_API_KEY_CHARS:
        return f"must be at least {MIN_API_KEY_CHARS} characters"
    # `aaaa…`, `0000…`: long enough, yet one guess away.
    if len(set(key)) < 5:
        return "repeats too few characters to be secret"
    return None


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class Settings(BaseSettings):
    """Every knob of the hub; defaults suit a single-box homelab install."""

    model_config = SettingsConfigDict(env_prefix="HOMELAB_CMD_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    data_dir: Path = Path("./data")
    database_url: str | None = None
    api_key: SecretStr | None = None
    # The shared key of HomelabCmd 1.x agents (their HOMELAB_CMD_API_KEY): good for heartbeats
    # only, from servers that never enrolled; read beside DATA_DIR/api_key (docs/upgrading.md).
    legacy_agent_key: SecretStr | None = None
    # The first admin, created on the first start with no account (docs/security.md).
    admin_username: str | None = Field(None, min_length=1, max_length=64)
    admin_password: SecretStr | None = None
    # How the hub is reached from browsers and hosts (setup link, install command); by default
    # the listening address.
    public_url: str | None = None
    # Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto the hub believes: addresses
    # or networks, comma-separated (e.g. "127.0.0.1,10.0.0.0/24"). None by default: the client
    # is the peer of the connection (docs/security.md).
    trusted_proxies: str = ""
    session_hours: int = Field(24 * 7, ge=1, le=24 * 366)
    # Each hub reads the shared revocation generation this often: a token revoked on one hub
    # is refused by every hub within this plus one request (docs/security.md).
    revocation_poll_seconds: float = Field(2.0, gt=0, le=60)
    # Sign-in (docs/security.md): failures counted in a sliding window per (username, address),
    # per address, and per username for addresses the user never signed in from; password
    # hashes run at most this many at once (64 MiB each), a caller waits at most this long.
    login_window_seconds: int = Field(300, ge=1)
    login_failures_per_user_address: int = Field(5, ge=1)
    login_failures_per_address: int = Field(20, ge=1)
    login_failures_per_user: int = Field(10, ge=1)
    max_concurrent_password_checks: int = Field(2, ge=1, le=64)
    password_check_wait_seconds: float = Field(5.0, gt=0)
    # Enrolling a host: attempts per client address within a minute, right code or wrong.
    enroll_attempts_per_minute: int = Field(30, ge=1)
    # The agent wheel install.sh hands to hosts; by default the one bundled with the hub (or, in
    # a checkout, `dist/`'s or one built from `agent/`).
    agent_wheel: Path | None = None
    # TLS: a certificate and key (PEM files), or "self-signed" for a pair made on first start in
    # DATA_DIR/tls. Hosts pin the certificate when they enroll (docs/security.md).
    tls_cert: Path | None = None
    tls_key: Path | None = None
    tls: Literal["off", "self-signed"] = "off"
    offline_after_seconds: int = Field(180, ge=1)
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    max_clock_skew_seconds: int = Field(300, ge=0)
    cors_origins: list[str] = []
    ui_dir: Path | None = None
    # Serve GET /metrics without credentials, for a LAN whose Prometheus sends none.
    metrics_public: bool = False
    maintenance_interval_seconds: int = Field(300, ge=0)
    raw_retention_days: int = Field(7, ge=1)
    hourly_retention_days: int = Field(90, ge=1)
    daily_retention_days: int = Field(365, ge=1)
    # Audit events older than this are deleted by the maintenance pass (docs/security.md).
    audit_retention_days: int = Field(365, ge=1)
    # Caps: each is answered with a clear 4xx/503 and stores nothing (docs/limits.md).
    max_filesystems_per_heartbeat: int = Field(1000, ge=1)
    max_filesystems_per_server: int = Field(2000, ge=1)
    max_servers: int = Field(10_000, ge=1)
    max_collector_errors: int = Field(64, ge=0)
    max_collector_error_chars: int = Field(2048, ge=16)
    max_history_series: int = Field(250, ge=1)
    # Per-host budgets (docs/security.md): past one, a heartbeat gets 429/422 and stores nothing.
    # Live heartbeats per server and minute; a heartbeat older than REPLAY_AFTER_SECONDS is a
    # spool replay and draws on the larger replay budget.
    max_heartbeats_per_minute: int = Field(12, ge=1)
    max_replay_heartbeats_per_minute: int = Field(600, ge=1)
    replay_after_seconds: int = Field(300, ge=1)
    # A replay stamped closer than this to a heartbeat its server already has is refused, so a
    # host back-dating heartbeats stores at most two a minute of its history; 0 switches it off.
    replay_spacing_seconds: int = Field(30, ge=0)
    max_heartbeat_age_days: int = Field(30, ge=1)
    max_capacity_domain_depth: int = Field(16, ge=1)
    max_open_alerts_per_server: int = Field(100, ge=1)
    max_queued_messages_per_server: int = Field(100, ge=1)
    # Backpressure: queued heartbeats beyond this get 503 with Retry-After at once, and none
    # waits for its commit longer than the deadline.
    writer_queue_size: int = Field(2048, ge=1)
    writer_deadline_seconds: float = Field(8.0, gt=0)
    retry_after_seconds: int = Field(5, ge=1)
    # FULL: a 2xx survives power loss. NORMAL in WAL survives a crash of the hub only.
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    # Connections (connections.py, docs/limits.md): a request head must arrive within this,
    # idle keep-alive connections close after that, and bodies must arrive at a minimum rate.
    header_timeout_seconds: float = Field(5.0, gt=0)
    keep_alive_seconds: float = Field(5.0, gt=0)
    body_min_bytes_per_second: int = Field(1024, ge=1)
    max_connections: int = Field(1000, ge=2)
    # Alerts (docs/alerts.md): a pass after heartbeats that cross a level, a check of offline
    # servers and of changed levels this often, and a full pass every sixth time; 0 switches
    # alert evaluation and notifications off.
    alert_evaluation_seconds: float = Field(10.0, ge=0)
    # A condition must hold this long before it fires (pending until then).
    alert_hold_seconds: int = Field(60, ge=0)
    # A mount must stay unreachable (hung) this long before it fires.
    alert_unreachable_seconds: int = Field(300, ge=0)
    alert_history_days: int = Field(90, ge=1)
    alert_repeat_warning_seconds: int = Field(24 * 3600, ge=1)
    alert_repeat_critical_seconds: int = Field(4 * 3600, ge=1)
    # Flapping (docs/alerts.md): a condition changing state more than this many times within the
    # window is held to one message until no change for the settle time; 0 switches it off.
    alert_flap_changes: int = Field(4, ge=0)
    alert_flap_window_seconds: int = Field(3600, ge=60)
    alert_flap_settle_seconds: int = Field(1800, ge=1)
    # A ZFS pool whose last scrub ended longer ago than this warns (docs/alerts.md).
    scrub_max_age_days: int = Field(35, ge=1)
    # A filesystem whose confident fill date comes within this many days gets a usage scan
    # (at most one a day) to find what grew (docs/alerts.md "What grew"); 0 turns it off.
    usage_scan_horizon_days: int = Field(30, ge=0, le=3650)
    # Notifications: comma-separated Apprise URLs, each sent every alert at or above the level.
    notify_urls: str = ""
    notify_min_severity: Literal["warning", "critical"] = "warning"
    # Messages about one server due within this window go out as one.
    notify_group_seconds: float = Field(30.0, ge=0)
    # Retry back-off of a failing channel doubles from the first to the last value.
    notify_retry_seconds: float = Field(10.0, gt=0)
    notify_retry_max_seconds: float = Field(600.0, gt=0)
    # Unsent messages one channel holds; past it, one summary says how many were dropped
    # (capacity reports are never dropped).
    notify_max_queued_per_channel: int = Field(500, ge=1)
    # The weekly capacity report (docs/reports.md): a weekday and time in the hub's local time
    # zone (or one named after it, "Mon 08:00 Europe/Berlin"); empty sends none.
    report_schedule: str = DEFAULT_SCHEDULE

    @field_validator("api_key")
    @classmethod
    def _refuse_placeholder_key(cls, value: SecretStr | None) -> SecretStr | None:
        # An admin key anyone could guess (HomelabCmd 1.x shipped `dev-key-change-me`, and its
        # agents still carry it) would make every old agent, and everyone, an admin here.
        if value is not None:
            problem = known_default_key(value.get_secret_value())
            if problem:
                raise ValueError(f"HOMELAB_CMD_API_KEY {problem}: {DEFAULT_KEY_ADVICE}")
        return value

    @field_validator("admin_password")
    @classmethod
    def _refuse_short_password(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_PASSWORD_CHARS:
            raise ValueError(
                f"HOMELAB_CMD_ADMIN_PASSWORD must be at least {MIN_PASSWORD_CHARS} characters"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url_is_plain_http(cls, value: str | None) -> str | None:
        # It is written into install.sh, which hosts run as root, and into the commands people
        # paste into a shell: nothing a shell would read as more than a word gets in.
        if value is not None and not is_hub_url(value):
            raise ValueError(f"HOMELAB_CMD_PUBLIC_URL must be {HUB_URL_RULE}")
        return value.rstrip("/") if value else None

    @field_validator("report_schedule")
    @classmethod
    def _report_schedule_is_weekly(cls, value: str) -> str:
        parse_schedule(value)  # a malformed schedule stops the hub at start, naming the form
        return value.strip()

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies_are_addresses(cls, value: str) -> str:
        for item in _split(value):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"HOMELAB_CMD_TRUSTED_PROXIES: {item!r} is neither an IP address nor a "
                    "network (such as 127.0.0.1 or 10.0.0.0/24)"
                ) from None
        return value

    @model_validator(mode="after")
    def _tls_files_come_in_pairs(self) -> "Settings":
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("set both HOMELAB_CMD_TLS_CERT and HOMELAB_CMD_TLS_KEY")
        if self.tls_cert and self.tls == "self-signed":
            raise ValueError("HOMELAB_CMD_TLS=self-signed and TLS_CERT/TLS_KEY exclude each other")
        return self

    @model_validator(mode="after")
    def _legacy_key_is_not_the_admin_key(self) -> "Settings":
        legacy, admin = self.legacy_agent_key, self.api_key
        if legacy is not None and not legacy.get_secret_value().strip():
            raise ValueError("HOMELAB_CMD_LEGACY_AGENT_KEY is empty: unset it or give the old key")
        if legacy and admin and legacy.get_secret_value() == admin.get_secret_value():
            raise ValueError(
                "HOMELAB_CMD_LEGACY_AGENT_KEY and HOMELAB_CMD_API_KEY are the same key: every old "
                "agent would be an admin; give HOMELAB_CMD_API_KEY a new random value"
            )
        return self

    @model_validator(mode="after")
    def _admin_comes_whole(self) -> "Settings":
        if (self.admin_username is None) != (self.admin_password is None):
            raise ValueError("set both HOMELAB_CMD_ADMIN_USERNAME and HOMELAB_CMD_ADMIN_PASSWORD")
        return self

    @model_validator(mode="after")
    def _tiers_outlive_their_sources(self) -> "Settings":
        # A daily row is recomputed from hourly rows and an hourly one from raw rows; a source
        # pruned before its rollup would leave partial buckets.
        if not self.raw_retention_days <= self.hourly_retention_days <= self.daily_retention_days:
            raise ValueError(
                "retention must not shrink from tier to tier: "
                "RAW_RETENTION_DAYS <= HOURLY_RETENTION_DAYS <= DAILY_RETENTION_DAYS"
            )
        return self

    @model_validator(mode="after")
    def _server_holds_a_heartbeat(self) -> "Settings":
        if self.max_filesystems_per_server < self.max_filesystems_per_heartbeat:
            raise ValueError(
                "MAX_FILESYSTEMS_PER_SERVER must be at least MAX_FILESYSTEMS_PER_HEARTBEAT"
            )
        return self

    @property
    def base_url(self) -> str:
        """Where browsers and hosts reach the hub: PUBLIC_URL, else the listening address."""
        if self.public_url:
            return self.public_url
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def scheme(self) -> str:
        """https when the hub serves TLS itself."""
        return "https" if self.tls_cert or self.tls == "self-signed" else "http"

    @property
    def notify_url_list(self) -> list[str]:
        """HOMELAB_CMD_NOTIFY_URLS split at commas, blanks dropped."""
        return [url.strip() for url in self.notify_urls.split(",") if url.strip()]

    @property
    def trusted_proxy_list(self) -> list[str]:
        """HOMELAB_CMD_TRUSTED_PROXIES split at commas, blanks dropped."""
        return _split(self.trusted_proxies)

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file inside the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'homelab.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
