"""Hub settings, read from `HOMELAB_CMD_*` environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the hub; defaults suit a single-box homelab install."""

    model_config = SettingsConfigDict(env_prefix="HOMELAB_CMD_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    data_dir: Path = Path("./data")
    database_url: str | None = None
    api_key: SecretStr | None = None
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

    @field_validator("api_key")
    @classmethod
    def _refuse_placeholder_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("HOMELAB_CMD_API_KEY must be at least 16 characters")
        return value

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
