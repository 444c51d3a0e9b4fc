"""The rules know no Slack: nothing under commands/ imports bot/, slack_bolt or slack_sdk."""

from __future__ import annotations

import ast
import dataclasses
import typing
from pathlib import Path

import commands.replies as replies
from bot.render.general import RENDERERS
from commands.context import setting_name

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("bot", "slack_bolt", "slack_sdk")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_module_under_commands_imports_slack_or_the_adapter():
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "commands").rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offenders


def test_the_scan_sees_a_late_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from bot.render.gab import x\n")
    assert "bot.render.gab" in imported_modules(sample)


def test_every_reply_type_has_exactly_one_renderer():
    namespace = {**vars(replies)}
    from commands.minutes import MinutesToPost
    from commands.panel_report import ReportDocuments

    namespace |= {"MinutesToPost": MinutesToPost, "ReportDocuments": ReportDocuments}
    union = eval(replies.Reply, namespace)  # noqa: S307 - our own type alias, a string
    members = set(typing.get_args(union))
    assert members and all(dataclasses.is_dataclass(m) for m in members)
    assert members == set(RENDERERS)


def test_settings_are_named_by_the_adapter_not_the_rules(tmp_path):
    from bot.config import Config

    settings = Config(bot_token="x", signing_secret="y", db_path=str(tmp_path / "db")).settings()
    assert setting_name(settings.setting_names, "channel") == "GOVBOT_CHANNEL"
    assert setting_name(settings.setting_names, "gab_schedule") == "GOVBOT_GAB_SCHEDULE"
    offenders = [
        path.name
        for path in (ROOT / "commands").rglob("*.py")
        if "importing" not in path.parts and "os.environ" in path.read_text(encoding="utf-8")
    ]
    assert not offenders
