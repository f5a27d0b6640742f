"""``jit-tracker defs FILE...``: every definition of DSL files, in file order."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import add_format_args, emit, print_table, say_warnings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "defs", help="list the definitions of DSL files",
        description="Parse instruction-definition files (the text between the BEGIN/END "
        "BYTECODES markers) and list every definition in file order.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="bytecodes.c or optimizer_bytecodes.c")
    add_format_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..dsl import parse_text
    from ..sources import read_file

    definitions: list[dict[str, Any]] = []
    for path in args.files:
        src = read_file(path)
        parsed = parse_text(src.text, src.name)
        say_warnings(parsed.warnings)
        definitions.extend(d.to_json() for d in parsed.definitions)

    def table() -> None:
        rows = []
        for d in definitions:
            if "inputs" in d:
                ins = ", ".join(_item(i) for i in d["inputs"])
                outs = ", ".join(_item(o) for o in d["outputs"])
                detail = f"({ins} -- {outs})"
            elif "parts" in d:
                detail = " + ".join(d["parts"])
            elif "members" in d:
                detail = ", ".join(d["members"])
            else:
                detail = ""
            if "targets" in d:
                detail += " = " + ", ".join(d["targets"])
            where = f"{Path(d['file']).name}:{d['line']}"  # full paths are in --json
            rows.append((where, d["kind"], " ".join(d["annotations"]), d["name"], detail))
        print_table(["where", "kind", "annotations", "name", "detail"], rows)

    emit({"definitions": definitions}, args.format, table)
    return 0


def _item(item: dict) -> str:
    if "cache" in item:
        return f"{item['name']}/{item['cache']}"
    text = item["name"]
    if item.get("type"):
        text += f": {item['type']}"
    if item.get("size") is not None:
        text += f"[{item['size']}]"
    if item.get("cond") is not None:
        text += f" if ({item['cond']})"
    return text
