"""`govbot districts`: show, set or reset the force's districts (stored with the register)."""

from __future__ import annotations

import argparse

from bot.services import Services
from commands.districts import DEFAULT_DISTRICTS, forget_districts, save_districts, stored_districts


def add_districts_parser(sub: argparse._SubParsersAction) -> None:
    """The `districts` subcommand and its `set` / `reset` actions."""
    parser = sub.add_parser("districts", help="show, set or reset the force's districts")
    actions = parser.add_subparsers(dest="action")
    setter = actions.add_parser(
        "set", help='e.g. "Bradford;Calderdale;Kirklees;Leeds=Leeds LPA|Leeds District;Wakefield"'
    )
    setter.add_argument("spec", help="Name;Name=Alias|Alias;… (aliases are optional)")
    actions.add_parser("reset", help="forget the stored list: GOVBOT_DISTRICTS or the default")


def cmd_districts(services: Services, args: argparse.Namespace) -> int:
    if args.action == "set":
        districts = save_districts(services.store, args.spec)
        print(f"Districts set: {districts.describe()}")
        return 0
    if args.action == "reset":
        had = forget_districts(services.store)
        print("Stored districts forgotten." if had else "No districts were stored.")
    stored = stored_districts(services.store)
    if stored is not None:
        where = "stored with the register (govbot districts set)"
    elif services.config.districts != DEFAULT_DISTRICTS:
        where = "from GOVBOT_DISTRICTS"
    else:
        where = "the default (South Yorkshire)"
    print(f"Districts, {where}: {services.districts().describe()}")
    return 0
