"""The `govbot` command line: run, ask, import-report, import-figures, tick, report, demo,
migrate, verify."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.config import ConfigError, load_environment, read_config
from bot.dispatch import answer
from bot.documents import PANEL_FORMATS, panel_report_file
from bot.people import names_and_roles
from bot.render.general import render
from bot.render.text import blocks_to_text
from bot.services import Services
from bot.slack_client import make_client
from bot.store_copy import add_parsers as add_store_copy_parsers
from bot.store_copy import cmd_migrate, cmd_verify
from bot.tick import cmd_tick
from commands.errors import CommandError
from commands.imports import import_figures, import_report
from commands.panel_report import panel_report
from storage.errors import StorageError
from storage.store import open_store


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2014-01-31") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="serve Slack (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)")
    ask = sub.add_parser("ask", help='answer one slash command offline, e.g. "/recs overdue"')
    ask.add_argument("line")
    ask.add_argument("--user", default="", help="Slack user id to ask as (default: first admin)")
    rep = sub.add_parser("import-report", help="extract recommendations from a report's text")
    rep.add_argument("file", type=Path)
    rep.add_argument("--source", required=True, help="source id, e.g. CSE13")
    rep.add_argument("--title", required=True)
    rep.add_argument("--published", required=True, type=_date, help="YYYY-MM-DD")
    rep.add_argument("--publisher", default="HMIC")
    rep.add_argument("--kind", default="inspection", choices=["inspection", "review", "meeting"])
    rep.add_argument("--dry-run", action="store_true")
    fig = sub.add_parser("import-figures", help="import district figures (CSV/TSV or a report)")
    fig.add_argument("file", type=Path)
    fig.add_argument("--source", default="")
    fig.add_argument("--dry-run", action="store_true")
    tick = sub.add_parser("tick", help="run one reminder sweep as if at a moment")
    tick.add_argument("--at", default="", help="YYYY-MM-DDTHH:MM (local time; default now)")
    tick.add_argument("--dry-run", action="store_true")
    report = sub.add_parser("report", help="the Panel progress report for a source")
    report.add_argument("source", help="source id, e.g. CSE13")
    report.add_argument("--format", default="html", choices=PANEL_FORMATS)
    report.add_argument(
        "--out", type=Path, default=None, help="file (default SOURCE-progress-report.EXT)"
    )
    demo = sub.add_parser("demo", help="a walkthrough on the reference reports")
    demo.add_argument("--reference", type=Path, default=None)
    add_store_copy_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        config = read_config(load_environment())
        if args.command == "demo":
            from bot.demo import run_demo

            return run_demo(args.reference)
        if args.command == "run":
            from bot.runner import run

            return run(config)
        store = open_store(config.db_path)
        services = Services(config, store)
        return _COMMANDS[args.command](services, args)
    except (ConfigError, StorageError, CommandError) as err:
        message = err.message if isinstance(err, CommandError) else str(err)
        print(f"govbot: {message}", file=sys.stderr)
        return 2


def cmd_ask(services: Services, args: argparse.Namespace) -> int:
    command, _, text = args.line.strip().partition(" ")
    user = args.user or next(iter(sorted(services.config.admins)), "UCLI")
    reply = answer(services.context(user), command, text)
    print(blocks_to_text(render(reply)))
    return 0 if getattr(reply, "ok", True) else 1


def cmd_import_report(services: Services, args: argparse.Namespace) -> int:
    result = import_report(
        services.store,
        args.file,
        source_id=args.source,
        title=args.title,
        published=args.published,
        now=services.clock(),
        publisher=args.publisher,
        kind=args.kind,
        grace_days=services.config.immediate_grace_days,
        dry_run=args.dry_run,
    )
    verb = "Would store" if args.dry_run else "Stored"
    print(f"{verb} {len(result.items)} items from {args.file.name} as {result.source.id}")
    for timescale, count in result.counts_by_timescale().items():
        print(f"  {timescale}: {count}")
    for item in result.items:
        due = item.due.isoformat() if item.due else "no due date"
        print(f"  {item.id}  {due:<11}  {item.area[:28]:<28}  {item.text[:70]}")
    if not args.dry_run:
        print(f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged")
    return 0


def cmd_import_figures(services: Services, args: argparse.Namespace) -> int:
    result = import_figures(services.store, args.file, source_id=args.source, dry_run=args.dry_run)
    verb = "Would store" if args.dry_run else "Stored"
    print(f"{verb} {len(result.figures)} figures from {args.file.name} as source {result.source}")
    if result.replaced:
        print(f"  (replacing {result.replaced} figures from the previous import of this source)")
    metrics: dict[str, int] = {}
    for f in result.figures:
        metrics[f.metric] = metrics.get(f.metric, 0) + 1
    for metric, count in metrics.items():
        print(f"  {metric}: {count}")
    for mismatch in result.mismatches:
        print(f"  TOTAL MISMATCH {mismatch}")
    return 1 if result.mismatches else 0


def cmd_report(services: Services, args: argparse.Namespace) -> int:
    report = panel_report(services.store, args.source, services.context("").today)
    if services.config.bot_token:  # leads by name and role; without Slack, by user id
        report = replace(
            report, people=names_and_roles(make_client(services.config), report.lead_ids)
        )
    document = panel_report_file(report, args.format)
    out = args.out or Path(document.filename)
    out.write_bytes(document.content)
    print(f"Wrote {out}: {len(report.rows)} item(s) of {report.source.id}, as at {report.as_of}")
    return 0


_COMMANDS = {
    "ask": cmd_ask,
    "import-report": cmd_import_report,
    "import-figures": cmd_import_figures,
    "tick": cmd_tick,
    "report": cmd_report,
    "migrate": cmd_migrate,
    "verify": cmd_verify,
}


if __name__ == "__main__":
    raise SystemExit(main())
