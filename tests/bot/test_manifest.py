"""The Slack manifest lets leads answer their DM reminders (SPEC section 10)."""

from __future__ import annotations

import re
from pathlib import Path

MANIFEST = (Path(__file__).resolve().parents[2] / "slack-manifest.yml").read_text()


def setting(name: str) -> str:
    found = re.findall(rf"^\s*{re.escape(name)}:\s*(\S+)\s*$", MANIFEST, re.MULTILINE)
    assert len(found) == 1, name
    return found[0]


def listed(entry: str) -> bool:
    return re.search(rf"^\s*-\s*{re.escape(entry)}\s*$", MANIFEST, re.MULTILINE) is not None


def test_the_messages_tab_is_on_and_people_can_write_in_it():
    assert setting("messages_tab_enabled") == "true"
    assert setting("messages_tab_read_only_enabled") == "false"


def test_dm_replies_reach_the_bot():
    assert listed("im:history") and listed("message.im") and listed("im:write")
