"""Every module of tracker/ sits in one of the three layers the import contract checks."""

from __future__ import annotations

import pkgutil
import re
import tomllib
from pathlib import Path

import tracker

ROOT = Path(__file__).resolve().parent.parent


def layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    return [[m.strip() for m in layer.replace("|", ":").split(":")] for layer in contract["layers"]]


def test_every_module_is_in_exactly_one_layer():
    listed = [m for layer in layers() for m in layer]
    assert len(listed) == len(set(listed))
    modules = [m.name for m in pkgutil.walk_packages(tracker.__path__, "tracker.")
               if not (m.ispkg and any(name.startswith(m.name + ".") for name in listed))]
    unplaced = [m for m in modules
                if not any(m == name or m.startswith(name + ".") for name in listed)]
    assert unplaced == [], "add these to a layer of [tool.importlinter] in pyproject.toml"


def test_the_readme_names_the_same_layers():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    for layer in layers():
        for name in layer:
            shown = name.replace(".", "/")  # tracker/cli/ or tracker/git.py
            assert re.search(re.escape(shown) + r"(\.py|/)", section), \
                f"the README's layout section does not name {name}"
