"""Configuration from the environment or `.env` in the current directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from commands.context import Settings
from commands.districts import DEFAULT_DISTRICTS, Districts, parse_districts
from commands.errors import BadInput

DEFAULT_SCHEDULE = "last Tuesday of each month at 10:00"


# the environment variable behind each setting commands/ may need to name in a message
SETTING_NAMES = {
    "channel": "GOVBOT_CHANNEL",
    "gab_channel": "GOVBOT_GAB_CHANNEL",
    "gab_schedule": "GOVBOT_GAB_SCHEDULE",
}


class ConfigError(ValueError):
    """A setting is missing or wrong; the message names it."""


@dataclass(frozen=True)
class Config:
    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    api_url: str = ""
    team_id: str = ""
    db_path: str = "govbot.json"
    timezone: str = "Europe/London"
    admins: frozenset[str] = frozenset()
    channel: str = ""
    gab_channel: str = ""
    gab_schedule: str = DEFAULT_SCHEDULE
    remind_at: time = time(9, 0)
    port: int = 3000
    suppress_below: int = 0
    immediate_grace_days: int = 0
    districts: Districts = DEFAULT_DISTRICTS

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    def settings(self) -> Settings:
        return Settings(
            admins=self.admins,
            tz=self.tz,
            immediate_grace_days=self.immediate_grace_days,
            gab_schedule=self.gab_schedule,
            suppress_below=self.suppress_below,
            gab_channel=self.gab_channel or self.channel,
            districts=self.districts,
            setting_names=SETTING_NAMES,
        )

    def __repr__(self) -> str:  # tokens never appear in logs
        return f"Config(db_path={self.db_path!r}, socket_mode={self.socket_mode}, port={self.port})"


def load_environment(
    env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> dict[str, str]:
    """`.env` from the current directory, overridden by the real environment."""
    dotenv_path = (cwd or Path.cwd()) / ".env"
    values = {k: v for k, v in dotenv_values(dotenv_path).items() if v is not None}
    values.update(os.environ if env is None else env)
    return values


def _int(values: Mapping[str, str], name: str, default: int) -> int:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _time(values: Mapping[str, str], name: str, default: time) -> time:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        hours, minutes = raw.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ConfigError(f"{name} must be a time like 09:00, not {raw!r}") from None


def read_config(values: Mapping[str, str]) -> Config:
    """Settings that every command needs (database, time zone, admins)."""
    timezone = values.get("GOVBOT_TIMEZONE", "").strip() or "Europe/London"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"GOVBOT_TIMEZONE {timezone!r} is not a known time zone") from None
    admins = frozenset(a.strip() for a in values.get("GOVBOT_ADMINS", "").split(",") if a.strip())
    return Config(
        bot_token=values.get("SLACK_BOT_TOKEN", "").strip(),
        signing_secret=values.get("SLACK_SIGNING_SECRET", "").strip(),
        app_token=values.get("SLACK_APP_TOKEN", "").strip(),
        api_url=values.get("SLACK_API_URL", "").strip(),
        team_id=values.get("SLACK_TEAM_ID", "").strip(),
        db_path=values.get("GOVBOT_DB", "").strip() or "govbot.json",
        timezone=timezone,
        admins=admins,
        channel=values.get("GOVBOT_CHANNEL", "").strip(),
        gab_channel=values.get("GOVBOT_GAB_CHANNEL", "").strip(),
        gab_schedule=values.get("GOVBOT_GAB_SCHEDULE", "").strip() or DEFAULT_SCHEDULE,
        remind_at=_time(values, "GOVBOT_REMIND_AT", time(9, 0)),
        port=_int(values, "PORT", 3000),
        suppress_below=_int(values, "GOVBOT_SUPPRESS_BELOW", 0),
        immediate_grace_days=_int(values, "GOVBOT_IMMEDIATE_GRACE_DAYS", 0),
        districts=_districts(values),
    )


def _districts(values: Mapping[str, str]) -> Districts:
    raw = values.get("GOVBOT_DISTRICTS", "").strip()
    if not raw:
        return DEFAULT_DISTRICTS
    try:
        return parse_districts(raw)
    except BadInput as err:
        raise ConfigError(f"GOVBOT_DISTRICTS: {err.message}") from None


def require_for_run(config: Config) -> None:
    """Stop start-up naming the first missing setting `govbot run` needs."""
    required = ["SLACK_BOT_TOKEN"]
    present = {"SLACK_BOT_TOKEN": config.bot_token, "SLACK_SIGNING_SECRET": config.signing_secret}
    if not config.socket_mode:
        required.append("SLACK_SIGNING_SECRET")
    missing = [name for name in required if not present[name]]
    if missing:
        mode = "Socket Mode" if config.socket_mode else "HTTP mode"
        raise ConfigError(
            f"missing setting {', '.join(missing)} (needed for {mode}); "
            "set it in the environment or in .env — see .env.example"
        )
