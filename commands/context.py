"""What every command is given: the store, the moment, who is asking, and the settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from commands.districts import DEFAULT_DISTRICTS, Districts
from storage.store import Store


@dataclass(frozen=True)
class Settings:
    """The parts of configuration that rules depend on."""

    admins: frozenset[str] = frozenset()
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    immediate_grace_days: int = 0
    gab_schedule: str = "last Tuesday of each month at 10:00"
    suppress_below: int = 0
    gab_channel: str = ""  # where GAB meetings are held in Slack
    districts: Districts = DEFAULT_DISTRICTS
    # what people call each setting where they set it (bot/ knows: environment variables)
    setting_names: Mapping[str, str] = field(default_factory=dict)


def setting_name(names: Mapping[str, str], setting: str) -> str:
    """What to call a setting in a message: as bot/ names it, else “the channel setting”."""
    return names.get(setting, f"the {setting.replace('_', ' ')} setting")


@dataclass(frozen=True)
class Context:
    store: Store
    now: datetime  # timezone-aware
    user: str
    settings: Settings
    channel: str = ""
    is_dm: bool = False

    @property
    def today(self) -> date:
        return self.now.astimezone(self.settings.tz).date()

    @property
    def is_admin(self) -> bool:
        return self.user in self.settings.admins
