"""Build small git repositories of made-up instruction definitions for history tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tracker import model
from tracker.tasks import Task, TaskSet

HEADER = "// A made-up instruction set for jit-tracker's history tests.\n\n// BEGIN BYTECODES //\n\n"
FOOTER = "\n// END BYTECODES //\n"


def bytecodes(ops: dict[str, bool], broken: bool = False) -> str:
    """One op per entry; an op still releasing its inputs by hand when its value is False."""
    parts = [HEADER]
    for name, converted in ops.items():
        body = "            DEAD(x);\n" if converted else "            DECREF_INPUTS();\n"
        parts.append(f"        op({name}, (x --)) {{\n{body}        }}\n\n")
    parts.append(f"        macro(ALL) = {' + '.join(ops)};\n")
    if broken:
        # a body never closed: the rest of the file cannot be read (a definition that
        # is merely malformed would only be skipped, with a warning)
        parts.append("        op(_BROKEN, (x --)) {\n")
    parts.append(FOOTER)
    return "".join(parts)


def optimizer(cases: list[str]) -> str:
    body = "".join(f"op({c}, (x --)) {{\n}}\n\n" for c in cases)
    return "// abstract cases\n\n// BEGIN BYTECODES //\n\n" + body + "// END BYTECODES //\n"


CALLS = {"n": 0}


def standin_scan(srcs) -> TaskSet:
    """A stand-in for the rules: a refcount task per op (done once it no longer uses
    DECREF_INPUTS) and an optimizer task per op (done once it has an abstract case)."""
    CALLS["n"] += 1
    m = model.load(srcs)
    tasks = []
    for name, uop in m.uops.items():
        if uop.implicit:
            continue
        status = "open" if "DECREF_INPUTS" in uop.body.text else "done"
        tasks.append(Task(f"refcount:{name}", "refcount", f"convert {name}", name,
                          list(uop.instructions), status=status))
        if srcs.optimizer is not None:
            tasks.append(Task(f"optimizer:{name}", "optimizer", f"abstract case for {name}", name,
                              list(uop.instructions),
                              status="done" if uop.optimizer_case else "open"))
    return TaskSet({"origin": srcs.origin}, tasks)


class Repo:
    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.count = 0

    def git(self, *args: str, env: dict | None = None) -> str:
        full = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", **(env or {})}
        return subprocess.run(["git", "-C", str(self.path), *args], check=True, capture_output=True,
                              text=True, env=full).stdout

    def commit(self, files: dict[str, str], message: str, author: str, date: str,
               email: str | None = None) -> str:
        for name, text in files.items():
            p = self.path / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
            self.git("add", name)
        email = email or f"{author.split()[0].lower()}@example.org"
        env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
               "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date}
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        self.count += 1
        return self.git("rev-parse", "HEAD").strip()


def real_bytecodes(ops: dict[str, bool], broken: bool = False) -> str:
    """Versions the real rules read: an unconverted op releases its input itself; a
    converted one hands it on as an output, popped by POP_TOP in its macro."""
    parts = [HEADER, "        inst(POP_TOP, (value --)) {\n            PyStackRef_CLOSE(value);\n        }\n\n"]
    for name, converted in ops.items():
        inst = name.lstrip("_")
        if converted:
            parts.append(f"        op({name}, (x -- res, x_out)) {{\n"
                         f"            res = PyStackRef_FromPyObjectNew(Toy_Make(x));\n"
                         f"            x_out = x;\n            DEAD(x);\n        }}\n\n"
                         f"        macro({inst}) = {name} + POP_TOP;\n\n")
        else:
            parts.append(f"        op({name}, (x -- res)) {{\n"
                         f"            res = PyStackRef_FromPyObjectNew(Toy_Make(x));\n"
                         f"            DECREF_INPUTS();\n        }}\n\n"
                         f"        macro({inst}) = {name};\n\n")
    if broken:
        # a body never closed: the rest of the file cannot be read (a definition that
        # is merely malformed would only be skipped, with a warning)
        parts.append("        op(_BROKEN, (x --)) {\n")
    parts.append(FOOTER)
    return "".join(parts)
