"""Dependencies point one way, bot → commands → storage: the rules know no Slack, and the
adapter reaches the store's repositories only through the rules (or the wiring that opens it)."""

from __future__ import annotations

import ast
import dataclasses
import typing
from collections.abc import Callable
from pathlib import Path

import commands.replies as replies
from bot.render.general import RENDERERS
from commands.context import setting_name
from storage.interface import REPOSITORIES

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("bot", "slack_bolt", "slack_sdk")
# what reads or writes a file: the adapter hands the rules text and rows, never paths
FILE_CALLS = frozenset({"open", "read_text", "read_bytes", "write_text", "write_bytes"})
# the bot/ modules that open the store (and Services, which hands it on): only they may reach into it
STORE_WIRING = (
    "bot/cli.py",
    "bot/demo.py",
    "bot/runner.py",
    "bot/services.py",
    "bot/store_copy.py",
)


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


def listed(nodes: list[ast.expr]) -> list[str]:
    """The nodes as "line: source", in the order they stand in the file."""
    in_order = sorted(nodes, key=lambda node: (node.lineno, node.col_offset))
    return [f"{node.lineno}: {ast.unparse(node)}" for node in in_order]


def offenders_in(
    folder: str, scan: Callable[[Path], list[str]], allowed: frozenset[Path] = frozenset()
) -> list[str]:
    """What `scan` finds in the modules under `folder` (bar the `allowed` ones), by path."""
    return [
        f"{path.relative_to(ROOT)}:{found}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in allowed
        for found in scan(path)
    ]


def store_names(tree: ast.AST) -> set[str]:
    """Local names that hold a store: typed `Store`, opened, or bound by `with ….transaction() as`."""

    def called(node: ast.expr | None) -> str:
        """The name of the function `node` calls: "open_store" for `open_store(url)`."""
        return ast.unparse(node.func).split(".")[-1] if isinstance(node, ast.Call) else ""

    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            if ast.unparse(node.annotation).split(".")[-1] == "Store":
                names.add(node.arg)
        elif isinstance(node, ast.Assign) and called(node.value) == "open_store":
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.withitem) and called(node.context_expr) == "transaction":
            names |= {v.id for v in (node.optional_vars,) if isinstance(v, ast.Name)}
    return names


def repository_accesses(path: Path) -> list[str]:
    """Each `….store.events`, `store.items` … in a file, as "line: expression"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = store_names(tree)

    def is_store(node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in names or node.id.endswith("store")
        return isinstance(node, ast.Attribute) and node.attr == "store"

    return listed(
        [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr in REPOSITORIES
            and is_store(node.value)
        ]
    )


def test_bot_reaches_the_repositories_only_through_commands():
    wiring = frozenset(ROOT / name for name in STORE_WIRING)
    openers = {p for p in (ROOT / "bot").rglob("*.py") if "open_store(" in p.read_text("utf-8")}
    assert wiring == openers | {ROOT / "bot/services.py"}
    assert not offenders_in("bot", repository_accesses, allowed=wiring)


def test_the_scan_sees_every_way_of_holding_the_store(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(services, ctx, register: Store, config):\n"
        "    services.store.events.seen('k')\n"
        "    ctx.store.history.for_item('A-01')\n"
        "    register.sent.claim('k', now)\n"
        "    other_store.items.all()\n"
        "    with services.store.transaction() as db:\n"
        "        db.threads.resolve('C', '1')\n"
        "    target = open_store(config.db_path)\n"
        "    target.snoozes.all()\n"
        "    config.settings()\n"
        "    ctx.settings.admins\n"
        "    {}.items()\n"
    )
    assert repository_accesses(sample) == [
        "2: services.store.events",
        "3: ctx.store.history",
        "4: register.sent",
        "5: other_store.items",
        "7: db.threads",
        "9: target.snoozes",
    ]


def file_calls(path: Path) -> list[str]:
    """Each call in a file that opens one (`open(…)`, `….read_text()` …), as "line: call"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return listed(
        [
            node.func
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] in FILE_CALLS
        ]
    )


def test_the_rules_open_no_files():
    assert not offenders_in("commands", file_calls)


def test_the_file_scan_sees_opening_reading_and_writing(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(path, name):\n"
        "    with open(name) as f: pass\n"
        "    path.read_text(encoding='utf-8')\n"
        "    Path(name).write_bytes(b'')\n"
        "    Path(name).stem\n"
    )
    assert file_calls(sample) == ["2: open", "3: path.read_text", "4: Path(name).write_bytes"]
