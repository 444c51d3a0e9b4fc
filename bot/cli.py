"""The `govbot` command line: run, ask, import-report, import-figures, tick, report, demo,
verify [--against], migrate, and the register's add, edit, import-register and export."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from bot import cli_register
from bot.config import ConfigError, load_environment, read_config
from bot.dispatch import answer
from bot.districts_cli import add_districts_parser, cmd_districts
from bot.documents import PANEL_FORMATS, panel_report_file
from bot.errors import describe_failure, log
from bot.figure_files import import_figures_file
from bot.files import read_document
from bot.logs import configure_logging
from bot.people import names_and_roles
from bot.render.general import render
from bot.render.text import blocks_to_text
from bot.services import Services
from bot.slack_client import make_client
from bot.store_copy import add_parsers as add_store_copy_parsers
from bot.store_copy import cmd_migrate, compare_with
from bot.tick import cmd_tick, parse_moment
from commands.errors import CommandError
from commands.figures_import import describe_figures_import
from commands.hygiene import check_plausible, clean_text
from commands.import_preview import describe_import
from commands.imports import import_report
from commands.panel_report import panel_report
from commands.replies import refused
from commands.verify import verify_store
from storage.errors import StorageError
from storage.store import open_store


def _date(text: str) -> date:
    try:
        return check_plausible(date.fromisoformat(text), "publication date")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2014-01-31") from None
    except CommandError as err:
        raise argparse.ArgumentTypeError(err.message) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="serve Slack (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)")
    ask = sub.add_parser("ask", help='answer one slash command offline, e.g. "/recs overdue"')
    ask.add_argument("line")
    ask.add_argument("--user", default="", help="Slack user id to ask as (default: first admin)")
    ask.add_argument("--at", default="", help="YYYY-MM-DD[THH:MM]: answer as at that moment")
    rep = sub.add_parser(
        "import-report", help="extract recommendations from a .txt/.pdf/.docx/.html report"
    )
    rep.add_argument("file", type=Path)
    rep.add_argument("--source", required=True, help="source id, e.g. CSE13")
    rep.add_argument("--title", required=True)
    rep.add_argument("--published", required=True, type=_date, help="YYYY-MM-DD")
    rep.add_argument("--publisher", default="HMIC")
    rep.add_argument("--kind", default="inspection", choices=["inspection", "review", "meeting"])
    rep.add_argument("--dry-run", action="store_true")
    fig = sub.add_parser(
        "import-figures", help="import district figures (XLSX/CSV/TSV tables or a report)"
    )
    fig.add_argument("file", type=Path)
    fig.add_argument("--source", default="")
    fig.add_argument("--metric", default="", help="the measure of tables that do not name one")
    fig.add_argument("--year", default="", help="2015 or 2015/16, for headers such as Apr")
    fig.add_argument("--dry-run", action="store_true")
    add_districts_parser(sub)
    tick = sub.add_parser("tick", help="run one reminder sweep as if at a moment")
    tick.add_argument("--at", default="", help="YYYY-MM-DDTHH:MM (local time; default now)")
    tick.add_argument("--dry-run", action="store_true")
    report = sub.add_parser("report", help="the Panel progress report for a source")
    report.add_argument("source", help="source id, e.g. CSE13")
    report.add_argument("--format", default="html", choices=PANEL_FORMATS)
    report.add_argument(
        "--out", type=Path, default=None, help="file (default SOURCE-progress-report.EXT)"
    )
    verify = sub.add_parser(
        "verify",
        help="check the register against its history and ledgers"
        " (and, with --against, that another database holds the same register)",
    )
    verify.add_argument("--against", default="", help="a postgresql:// URL or a TinyDB file")
    demo = sub.add_parser("demo", help="a walkthrough on the reference reports")
    demo.add_argument("--reference", type=Path, default=None)
    cli_register.add_parsers(sub)
    add_store_copy_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(logging.INFO)
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
    except ConfigError as err:
        print(f"govbot: {err}", file=sys.stderr)
        return 2
    except Exception as err:
        failure = describe_failure(err, f"govbot {args.command}")
        if not isinstance(err, (CommandError, StorageError)):
            log.log(failure.level, failure.log_line)  # a bug: where it happened, in one line
        print(f"govbot: {failure.message}", file=sys.stderr)
        return 2


def cmd_ask(services: Services, args: argparse.Namespace) -> int:
    command, _, text = args.line.strip().partition(" ")
    user = args.user or next(iter(sorted(services.config.admins)), "UCLI")
    if args.at:
        moment = parse_moment(args.at, services)
        services.clock = lambda: moment
    reply = answer(services.context(user), command, text)
    print(clean_text(blocks_to_text(render(reply))))  # text stored before hygiene, too
    return 1 if refused(reply) else 0


def cmd_import_report(services: Services, args: argparse.Namespace) -> int:
    result = import_report(
        services.store,
        read_document(args.file),
        file_name=args.file.name,
        source_id=args.source,
        title=args.title,
        published=args.published,
        now=services.clock(),
        publisher=args.publisher,
        kind=args.kind,
        grace_days=services.config.immediate_grace_days,
        dry_run=args.dry_run,
        districts=services.districts(),
    )
    print("\n".join(describe_import(result)))
    return 0


def cmd_import_figures(services: Services, args: argparse.Namespace) -> int:
    result = import_figures_file(
        services.store,
        args.file,
        districts=services.districts(),
        source_id=args.source,
        metric=args.metric,
        year=args.year,
        dry_run=args.dry_run,
    )
    print("\n".join(describe_figures_import(result)))
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


def cmd_verify(services: Services, args: argparse.Namespace) -> int:
    """Print what is inconsistent in the register (and how it differs from --against); exit 1
    if anything is."""
    result = verify_store(services.store)
    for finding in result.findings:
        print(f"PROBLEM  {clean_text(finding)}")
    print(
        f"checked {result.items} items, {result.entries} history entries, "
        f"{result.ledger_keys} ledger keys: "
        + (f"{len(result.findings)} problem(s)" if result.findings else "consistent")
    )
    same = not args.against or compare_with(services.store, args.against) == 0
    return 0 if result.ok and same else 1


_COMMANDS = {
    "ask": cmd_ask,
    "import-report": cmd_import_report,
    "import-figures": cmd_import_figures,
    "tick": cmd_tick,
    "report": cmd_report,
    **cli_register.COMMANDS,
    "districts": cmd_districts,
    "migrate": cmd_migrate,
    "verify": cmd_verify,
}


if __name__ == "__main__":
    raise SystemExit(main())
