"""Argument parsing and error handling shared by every command.

Each command module defines ``register(subparsers)`` which adds its parser and sets
``func``; this module only dispatches and turns :class:`TrackerError` into a message
and an exit code, so that no user error ever ends in a traceback.

Start-up time is most of what a user waits for, so command modules import only the
standard library's light modules at the top and everything else inside the function
that runs the command: building every parser (for ``--help``) loads no YAML, rich,
jinja2, networkx, Textual or PyGithub (tests/cli/test_imports.py checks it).
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
    "claims", "history", "snapshot", "update", "check", "tui",
]
# Commands registered by a module of another name. With these, running one command
# builds only its own parser (``--help`` and a mistyped command build them all).
MODULE_OF = {"claim": "claims", "release": "claims", "contributors": "history"}


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that does not ask the terminal's width while it is built.

    argparse checks each argument's metavar with a help formatter, and a formatter
    asks ``shutil`` for the terminal's width: importing shutil (with bz2, lzma, zlib)
    costs a few ms of every command for a width that check never reads. The check gets
    a formatter of a fixed width; help, usage and errors still get the terminal's.
    Subparsers are of this class too (argparse makes them of their parent's class).
    """

    _building = False

    def add_argument(self, *args, **kwargs):
        self._building = True
        try:
            return super().add_argument(*args, **kwargs)
        finally:
            self._building = False

    def _get_formatter(self):
        if self._building:
            return self.formatter_class(prog=self.prog, width=80)
        return super()._get_formatter()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of ``command`` when it is a known one."""
    parser = Parser(
        prog="jit-tracker",
        description="Organise community work on CPython's JIT from its instruction definitions.",
        epilog="Run 'jit-tracker COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"jit-tracker {__version__}")
    # prog given: argparse would format a usage line of no positional argument for it
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", prog=parser.prog)
    module_name = MODULE_OF.get(command or "", command)
    for name in [module_name] if module_name in COMMANDS else COMMANDS:
        try:
            module = importlib.import_module(f".{name}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{name}":
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:  # an answer needing no parser
        print(f"jit-tracker {__version__}")
        return 0
    as_program = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except TrackerError as exc:
        # DSL errors already start with file:line:col, like a compiler's
        # (escaped: a message may quote a file, GitHub or the user, escape sequences and all)
        from ..text import clean_block

        prefix = "" if isinstance(exc, DSLError) else "jit-tracker: error: "
        print(f"{prefix}{clean_block(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("jit-tracker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        if as_program:
            # The process ends next. Everything the command built is now in the oldest
            # generation, which the interpreter's last full collection would walk
            # (~8 ms after a listing of 300 tasks); frozen, it is skipped, and memory
            # goes back to the system with the process. (Not when called in-process.)
            import gc

            gc.freeze()
