"""Settings read from the environment and `.env`; names are fixed by ARCHITECTURE.md."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SLACK_DEFAULT_API_URL = "https://slack.com/api/"


class Settings(BaseSettings):
    """Everything the process needs to start; invalid values fail fast with one clear line."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN", repr=False)
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET", repr=False)
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN", repr=False)
    slack_api_url: str = Field(default=SLACK_DEFAULT_API_URL, alias="SLACK_API_URL")
    database_url: str = Field(default="sqlite:///twoway.db", alias="DATABASE_URL", repr=False)
    port: int = Field(default=3000, ge=1, le=65535, alias="PORT")
    admin_channel: str | None = Field(default=None, alias="TWOWAY_ADMIN_CHANNEL")
    coordinators: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), alias="TWOWAY_COORDINATORS"
    )
    scheduler: Literal["on", "off"] = Field(default="on", alias="TWOWAY_SCHEDULER")

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value or None

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value or None

    @field_validator("slack_signing_secret", "admin_channel")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        value = value.strip()
        if value.startswith("postgres://"):  # Heroku-style URLs
            value = "postgresql://" + value.removeprefix("postgres://")
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"is not a SQLAlchemy URL ({exc})") from None
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)

    @field_validator("scheduler", mode="before")
    @classmethod
    def _scheduler(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("coordinators", mode="before")
    @classmethod
    def _coordinators(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def missing_slack_settings(self) -> list[str]:
        """Names of the variables the chosen mode still needs."""
        missing = [] if self.slack_bot_token else ["SLACK_BOT_TOKEN"]
        if not self.socket_mode and not self.slack_signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        return missing


class SettingsError(Exception):
    """A setting is invalid; `str()` is one line naming the variable and the problem."""


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "settings"
            field = Settings.model_fields.get(name)
            env_name = field.alias if field and field.alias else name
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{env_name} {message}")
        raise SettingsError("invalid configuration: " + "; ".join(problems)) from None
