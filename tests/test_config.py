"""Settings: the ARCHITECTURE names, normalisation, and one-line refusals."""

from __future__ import annotations

import pytest

from bot.config import Settings, SettingsError, load_settings


def _load(**env: str) -> Settings:
    return load_settings(_env_file=None, **env)


def test_defaults_match_the_architecture_table(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "PORT", "SLACK_API_URL", "TWOWAY_SCHEDULER", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = _load()
    assert settings.database_url == "sqlite:///twoway.db"
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.scheduler == "on"
    assert settings.socket_mode is False


def test_environment_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal:5432/twoway")
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("TWOWAY_ADMIN_CHANNEL", "C0ADMIN")
    monkeypatch.setenv("TWOWAY_COORDINATORS", " U1, U2 ,,U3")
    monkeypatch.setenv("TWOWAY_SCHEDULER", "OFF")
    settings = _load()
    assert settings.socket_mode is True
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.database_url == "postgresql+psycopg://u:p@db.internal:5432/twoway"
    assert settings.port == 8080
    assert settings.admin_channel == "C0ADMIN"
    assert settings.coordinators == frozenset({"U1", "U2", "U3"})
    assert settings.scheduler == "off"
    assert settings.missing_slack_settings() == []


def test_dotenv_file_is_read(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PORT", raising=False)
    env_file = tmp_path / ".env"  # type: ignore[operator]
    env_file.write_text("PORT=4567\nTWOWAY_ADMIN_CHANNEL=C0FROMFILE\n")
    settings = load_settings(_env_file=str(env_file))
    assert (settings.port, settings.admin_channel) == (4567, "C0FROMFILE")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL must be a sqlite"),
        ({"DATABASE_URL": "::not a url::"}, "DATABASE_URL is not a SQLAlchemy URL"),
        ({"PORT": "eighty"}, "PORT "),
        ({"PORT": "70000"}, "PORT "),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN must be a bot token"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN must be an app-level token"),
        ({"TWOWAY_SCHEDULER": "sometimes"}, "TWOWAY_SCHEDULER "),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL must be an http(s) URL"),
    ],
)
def test_invalid_values_give_one_clear_line(env: dict[str, str], expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        _load(**env)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert message.startswith("invalid configuration: ")


def test_missing_slack_settings_depend_on_mode() -> None:
    assert _load(
        SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="", SLACK_APP_TOKEN=""
    ).missing_slack_settings() == [
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
    ]
    socket = _load(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", SLACK_SIGNING_SECRET="")
    assert socket.missing_slack_settings() == []


def test_secrets_stay_out_of_repr() -> None:
    settings = _load(SLACK_BOT_TOKEN="xoxb-very-secret", SLACK_SIGNING_SECRET="signing-very-secret")
    assert "very-secret" not in repr(settings)
