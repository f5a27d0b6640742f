"""Argument parsing and error handling shared by every command.

Each command module defines ``register(subparsers)`` which adds its parser and sets
``func``; this module only dispatches and turns :class:`TrackerError` into a message
and an exit code, so that no user error ever ends in a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..errors import DSLError, TrackerError

# Command modules, in the order `--help` lists them.
COMMANDS = [
    "defs", "scan", "tasks", "instructions", "graph", "tickets", "sync",
    "claims", "history", "snapshot", "update", "tui",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jit-tracker",
        description="Organise community work on CPython's JIT from its instruction definitions.",
        epilog="Run 'jit-tracker COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"jit-tracker {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f".{name}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except TrackerError as exc:
        # DSL errors already start with file:line:col, like a compiler's
        prefix = "" if isinstance(exc, DSLError) else "jit-tracker: error: "
        print(f"{prefix}{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("jit-tracker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
