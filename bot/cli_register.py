"""`govbot add`, `edit`, `import-register` and `export`: the register by hand and by spreadsheet."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bot.services import Services
from bot.spreadsheets import read_sheets
from commands.context import Context
from commands.districts import Districts
from commands.errors import BadInput
from commands.export import FORMATS, export_register
from commands.item_edits import ItemFields, NewSource, add_item, edit_item
from commands.matching import resolve_choice
from commands.recs_parse import parse_recs
from commands.register_cells import parse_date
from commands.register_import import import_register
from storage.models import ITEM_KINDS, SOURCE_KINDS


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-03-31") from None


def _item_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--text")
    parser.add_argument("--kind", choices=ITEM_KINDS)
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--timescale", help='e.g. "within three months", "immediately"')
    when.add_argument("--due", type=_date, help="a due date, e.g. 2024-03-31")
    parser.add_argument("--area")
    parser.add_argument("--lead", help="Slack user id(s), comma-separated")
    parser.add_argument("--districts", help="comma-separated, e.g. Rotherham,Sheffield")
    parser.add_argument("--addressee")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The register's subcommands, beside the others."""
    add = sub.add_parser("add", help="add an item by hand (as the first admin)")
    add.add_argument("--source", required=True, help="source id, e.g. CSE13")
    add.add_argument("--title", help="title of a new source")
    add.add_argument("--published", type=_date, help="publication date of a new source")
    add.add_argument("--source-kind", default="inspection", choices=SOURCE_KINDS)
    _item_options(add)
    edit = sub.add_parser("edit", help="edit an item's fields (as the first admin)")
    edit.add_argument("item")
    _item_options(edit)
    edit.add_argument("--reason", default="", help="why the due date moves (into the history)")
    reg = sub.add_parser("import-register", help="import a spreadsheet register (.csv, .xlsx)")
    reg.add_argument("file", type=Path)
    reg.add_argument("--dry-run", action="store_true")
    exp = sub.add_parser("export", help="write the register to FILE.csv or FILE.xlsx")
    exp.add_argument("file", type=Path)


def _fields(args: argparse.Namespace, known: Districts) -> ItemFields:
    leads = None
    if args.lead is not None:
        leads = tuple(u.strip().lstrip("@") for u in args.lead.split(",") if u.strip())
    districts = None
    if args.districts is not None:
        names = [d for d in args.districts.split(",") if d.strip()]
        districts = tuple(resolve_choice(d, known.names, "district") for d in names)
    return ItemFields(
        kind=args.kind,
        text=args.text,
        timescale=args.timescale,
        due=args.due,
        area=args.area,
        leads=leads,
        districts=districts,
        addressee=args.addressee,
    )


def _admin_context(services: Services) -> Context:
    admins = sorted(services.config.admins)
    if not admins:
        raise BadInput("set GOVBOT_ADMINS: the command line acts as the first admin")
    return services.context(admins[0])


def cmd_add(services: Services, args: argparse.Namespace) -> int:
    source: str | NewSource = args.source
    if args.title or args.published:
        source = NewSource(args.source, args.title or "", args.published, kind=args.source_kind)
    ctx = _admin_context(services)
    result = add_item(ctx, source, _fields(args, ctx.settings.districts))
    print(result.describe())
    return 0


def cmd_edit(services: Services, args: argparse.Namespace) -> int:
    ctx = _admin_context(services)
    fields = _fields(args, ctx.settings.districts)
    result = edit_item(ctx, args.item, fields, reason=args.reason)
    print(result.describe())
    for entry in result.entries:
        print(f"  {entry.field}: {entry.old or '(none)'} → {entry.new or '(none)'}")
    return 0


def cmd_import_register(services: Services, args: argparse.Namespace) -> int:
    ctx = services.context("import")
    sheets = [(s.name, s.rows) for s in read_sheets(args.file)]
    plan = import_register(
        services.store,
        sheets,
        name=args.file.name,
        now=ctx.now,
        today=ctx.today,
        grace_days=ctx.settings.immediate_grace_days,
        dry_run=args.dry_run,
        districts=ctx.settings.districts,
    )
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} sheet “{plan.sheet}” of {args.file.name}: {plan.summary()}")
    print(f"  columns read: {', '.join(plan.columns.names())}")
    for note in plan.notes:
        print(f"  {note}")
    return 0


def cmd_export(services: Services, args: argparse.Namespace) -> int:
    fmt = args.file.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise BadInput(f"{args.file.name}: export to a .csv or .xlsx file")
    reply = export_register(_admin_context(services), parse_recs(f"export {fmt}"))
    # with a BOM: Excel reads a CSV without one in the Windows code page
    content = reply.content.encode("utf-8-sig") if isinstance(reply.content, str) else reply.content
    try:
        args.file.write_bytes(content)
    except OSError as err:
        raise BadInput(f"{args.file}: {err.strerror}") from None
    print(f"{reply.summary} → {args.file}")
    return 0


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {
    "add": cmd_add,
    "edit": cmd_edit,
    "import-register": cmd_import_register,
    "export": cmd_export,
}
