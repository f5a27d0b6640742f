#!/usr/bin/env python3
"""Every revision of CPython's Python/bytecodes.c, judged by jit-tracker and by its own generator.

For each revision that changed ``Python/bytecodes.c`` (main since 2022-11, and the
3.12-3.15 branches), this runs that revision's own ``Tools/cases_generator`` as
``make regen-cases`` would: in a temporary tree holding only the generator and the
file, in a child process with only the generator's directory on ``sys.path``:

* 2022-11 .. 2024-01 (``generate_cases.py``): the script's ``main()``, which parses
  and analyzes the file and refuses it on any error;
* 2024-01 .. (``analyzer.py``): ``analyze_files``, which every generator of the recipe
  runs first.

With ``JIT_TRACKER_PARITY_WRITE=1`` the outputs are written too (the whole
``generate_cases.py``, or ``tier1_generator.py``), as regen-cases does (about twice
the time).

A revision is *judged alike* when both accept it (jit-tracker: parsed and resolved
with no error and no warning) and the definitions they keep agree, or when both
refuse it. Compared for an accepted file: which instructions exist and whether each
is an inst, a macro or a 3.12 super-instruction, every macro's parts as written, every
uop's stack inputs and outputs (name, type, array size, condition) and cache entries,
family members and pseudo targets: what the analyzer kept, after a later definition
replaced an earlier one. One model detail is left out: jit-tracker (like the
analyzers since 2024-03) makes BINARY_OP_INPLACE_ADD_UNICODE a member of BINARY_OP's
family although the family does not list it; the generators before did not, or set it
on the instruction only. And where an inst's ``unused/N`` cache
words are (parts of the instruction, or inside its uop as in the analyzer of
2024-01..02) is compared for macros only.

References are cached per (generator tree, file blob) under
``~/.cache/jit-tracker-history-parity/`` so that a rerun only runs new revisions.
Without the mirror (``$JIT_TRACKER_CPYTHON_MIRROR``, default
``~/cpython-mirror/cpython.git``) it skips cleanly.

    nice .venv/bin/python benchmarks/history_parity.py [-j 2] [-v] [--branch main ...]

Exit status 1 when a revision is judged differently.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIRROR = Path(os.environ.get("JIT_TRACKER_CPYTHON_MIRROR", "~/cpython-mirror/cpython.git")).expanduser()
CACHE = Path(os.environ.get("JIT_TRACKER_PARITY_CACHE", "~/.cache/jit-tracker-history-parity")).expanduser()
CACHE_VERSION = 4
PYTHONS = [os.path.expanduser(p) for p in (
    "~/.pyenv/versions/3.12.1/bin/python", "~/.pyenv/versions/3.13.0/bin/python",
    "~/.pyenv/versions/3.11.7/bin/python",
)] + [sys.executable]
SINCE = "2022-11-01"
BRANCHES = ("main", "3.12", "3.13", "3.14", "3.15")


# -- the reference side (runs in a child process, cwd = a temporary tree) ---------------

def _effect(e) -> tuple[str, str]:
    """("stack"|"cache", normalised text) of a reference stack or cache effect."""
    if isinstance(e, str):
        return "stack", e
    if type(e).__name__ == "CacheEffect":
        return "cache", f"{e.name}/{e.size}"
    return "stack", _item(e.name, getattr(e, "type", "") or "", getattr(e, "size", "") or "",
                          getattr(e, "cond", None) or getattr(e, "condition", None) or "")


def _item(name: str, type_: str, size: str, cond: str) -> str:
    type_ = type_.replace(" ", "")
    if size == "1":  # 2024's analyzer gives every scalar a size of 1
        size = ""
    if size and type_ in ("PyObject**", "_PyStackRef*"):  # arrays' implied types
        type_ = ""
    text = name
    if type_:
        text += ":" + type_
    if size:
        text += "[" + size.replace(" ", "") + "]"
    if cond:
        text += " if " + cond.replace(" ", "")
    return text


def _uop_entry(inputs, outputs) -> dict:
    caches, stack = [], []
    for e in inputs:
        where, text = _effect(e)
        if where == "cache":
            if not text.startswith("unused/"):
                caches.append(text)
        else:
            stack.append(text)
    return {"caches": caches, "inputs": stack, "outputs": [_effect(e)[1] for e in outputs]}


def _family(name: str, members: list[str], instructions) -> tuple[str, list[str]]:
    if name not in instructions and members and members[0] in instructions:
        return members[0], members[1:]  # 3.12: family(lower_name) = { HEAD, MEMBER, ... }
    return name, members


# Also write the outputs (the whole generate_cases.py, or tier1_generator.py), as
# regen-cases does; else stop after the analysis, which every generator runs first.
WRITE = os.environ.get("JIT_TRACKER_PARITY_WRITE") == "1"


class _Analyzed(Exception):
    """Raised to stop a generator once it has parsed and analyzed the file."""


def child(gen_dir: str) -> None:
    """Run the generator in ``gen_dir`` on ../../Python/bytecodes.c; print JSON."""
    sys.path.insert(0, gen_dir)
    sys.argv = [os.path.join(gen_dir, "x.py")]
    import runpy
    try:
        if os.path.exists(os.path.join(gen_dir, "analyzer.py")):
            import analyzer
            import parser as ref_parser
        else:
            import generate_cases
    except Exception as e:  # the generator does not run on this Python
        print(json.dumps({"broken": f"{type(e).__name__}: {e}"}))
        return
    result: dict = {}
    try:
        if os.path.exists(os.path.join(gen_dir, "analyzer.py")):
            stash = []
            orig = analyzer.analyze_files

            def analyze_files(*args, **kwargs):
                stash.append(orig(*args, **kwargs))
                return stash[-1]
            analyzer.analyze_files = analyze_files
            forests = []  # what the analyzer parsed: the macro names come from it
            orig_parse_files = ref_parser.parse_files

            def parse_files(*args, **kwargs):
                forests.append(orig_parse_files(*args, **kwargs))
                return forests[-1]
            ref_parser.parse_files = parse_files
            if WRITE:
                sys.argv = [os.path.join(gen_dir, "tier1_generator.py")]
                runpy.run_path(sys.argv[0], run_name="__main__")
            else:
                analyze_files(["Python/bytecodes.c"])
            forest = forests[0] if forests else orig_parse_files(["Python/bytecodes.c"])
            result = _dump_analysis(stash[0], forest)
            if os.path.exists(os.path.join(gen_dir, "generate_cases.py")):
                # 2023-12..2024-02: regen-cases ran the old generator too; both must accept
                _run_generate_cases()  # refusing raises, as for the old generator alone
                result["also"] = "generate_cases.py"
        elif not hasattr(generate_cases, "Analyzer") and hasattr(generate_cases, "parse_cases"):
            stash = []  # 2022-11: a function, parse_cases(src) -> (instrs, supers, families)
            orig_parse = generate_cases.parse_cases

            def parse_cases(*args, **kwargs):
                stash.append(orig_parse(*args, **kwargs))
                if not WRITE:
                    raise _Analyzed
                return stash[-1]
            generate_cases.parse_cases = parse_cases
            sys.argv = [os.path.join(gen_dir, "generate_cases.py")]
            try:
                generate_cases.main()
            except _Analyzed:
                pass
            result = _dump_parse_cases(*stash[0])  # (instrs, supers[, families])
        else:
            stash = _run_generate_cases()
            result = _dump_generator(stash[0])
        result["ok"] = True
        result["step"] = "generation" if WRITE else "analysis"
    except SystemExit as e:
        if e.code not in (0, None):
            result = {"ok": False, "error": str(e.code)}
        else:
            result = _dump_generator(stash[0]) if stash else {}
            result["ok"] = True
    except BaseException as e:
        result = {"ok": False, "error": f"{type(e).__name__}: {e}".splitlines()[0][:300]}
    print(json.dumps(result))


def _dump_analysis(a, forest) -> dict:
    macro_names = {n.name for n in forest if type(n).__name__ == "Macro"}
    instructions, macros, uops = {}, {}, {}
    for name, inst in a.instructions.items():
        parts = []
        for p in inst.parts:
            kind = type(p).__name__
            parts.append(f"cache/{p.size}" if kind == "Skip" else "flush" if kind == "Flush" else p.name)
        instructions[name] = "macro" if name in macro_names else "inst"
        macros[name] = parts
    for u in a.uops.values():
        entry = {"caches": [f"{c.name}/{c.size}" for c in u.caches if c.name != "unused"],
                 "inputs": [], "outputs": []}
        for side in ("inputs", "outputs"):
            for i in getattr(u.stack, side):
                entry[side].append(_item(i.name, getattr(i, "type", "") or "", i.size or "",
                                         getattr(i, "condition", None) or getattr(i, "cond", None) or ""))
        uops[u.name] = entry
    return {
        "instructions": instructions, "parts": macros, "uops": uops,
        "families": {f.name: [m.name for m in f.members] for f in a.families.values()},
        "pseudos": {p.name: [t.name for t in p.targets] for p in a.pseudos.values()},
    }


def _run_generate_cases() -> list:
    """generate_cases.py's main(), stopped after its analysis; its Analyzer in a list."""
    import generate_cases
    cls = getattr(generate_cases, "Generator", None) or generate_cases.Analyzer
    stash: list = []
    orig = cls.analyze

    def analyze(self):
        stash.append(self)
        out = orig(self)
        if not WRITE and not self.errors:
            raise _Analyzed
        return out
    cls.analyze = analyze
    sys.argv = [os.path.join(os.path.dirname(generate_cases.__file__), "generate_cases.py")]
    try:
        generate_cases.main()
    except _Analyzed:
        pass
    return stash


def _dump_parse_cases(instrs, supers=(), families=()) -> dict:
    """The earliest generator's lists (a later definition of a name wins here)."""
    class Like:
        pass
    a = Like()
    a.instrs = {}
    for i in instrs:
        holder = Like()
        holder.inst = i
        a.instrs[i.name] = holder
    a.supers = {s.name: s for s in supers}
    a.families = {f.name: f for f in families}
    return _dump_generator(a)


def _dump_generator(a) -> dict:
    instructions, macros, uops = {}, {}, {}
    for name, instr in a.instrs.items():
        node = getattr(instr, "inst", instr)  # 2022-12: the Instruction is the InstDef
        kind = getattr(node, "kind", "inst")
        if kind == "legacy":  # 2023: inst(NAME) { ... } with no stack effect
            kind = "inst"
        if kind == "inst":
            instructions[name] = "inst"
        uops["_" + name if kind == "inst" else name] = _uop_entry(node.inputs or (), node.outputs or ())
    for name, m in getattr(a, "macros", {}).items():
        parts = []
        for p in m.uops:
            parts.append(f"{p.name}/{p.size}" if type(p).__name__ == "CacheEffect" else p.name)
        if parts == [name] and name in a.instrs:
            continue  # the implicit macro of an inst (2023-07 .. 2024-01)
        instructions[name] = "macro"
        macros[name] = parts
    for name, s in getattr(a, "supers", {}).items():
        instructions[name] = getattr(s, "kind", "super")  # 2022-12: Super("macro" | "super")
        macros[name] = [p if isinstance(p, str) else p.name for p in s.ops]
    families = {}
    for f in getattr(a, "families", {}).values():
        head, members = _family(f.name, list(f.members), instructions)
        families[head] = members
    pseudos = {p.name: list(p.targets) for p in getattr(a, "pseudos", {}).values()}
    return {"instructions": instructions, "parts": macros, "uops": uops, "families": families,
            "pseudos": pseudos, "era": "generate_cases"}


# -- our side ---------------------------------------------------------------------------

def ours(text: str, era_b: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    from tracker import model
    from tracker.dsl import parse_text
    from tracker.errors import DSLError

    try:
        parsed = parse_text(text, "Python/bytecodes.c")
        m = model.build(parsed)
    except DSLError as e:
        return {"ok": False, "error": str(e).splitlines()[0]}
    warnings = [str(w) for w in getattr(m, "warnings", ())]
    if warnings:
        return {"ok": False, "error": "warnings: " + "; ".join(warnings[:3])}
    instructions, parts, uops = {}, {}, {}
    for i in m.instructions.values():
        kind = i.kind if i.kind == "inst" else i.definition.keyword
        instructions[i.name] = kind
        if era_b:
            if kind != "inst":
                parts[i.name] = [str(p) for p in i.definition.parts]
        else:
            parts[i.name] = [f"cache/{p.cache.size}" if p.cache else p.name for p in i.parts]
    for u in m.uops.values():
        d = u.definition
        uops[u.name] = _uop_entry_ours(d)
    out = {"ok": True, "instructions": instructions, "parts": parts, "uops": uops,
           "families": {f.head: list(f.members) for f in m.families.values()},
           "pseudos": {p.name: list(p.targets) for p in m.pseudos.values()}}
    return out


def _uop_entry_ours(d) -> dict:
    from tracker.dsl import CacheItem
    caches, stack = [], []
    for i in d.inputs:
        if isinstance(i, CacheItem):
            if i.name != "unused":
                caches.append(f"{i.name}/{i.size}")
        else:
            stack.append(_item(i.name, i.type or "", i.size or "", i.cond or ""))
    return {"caches": caches, "inputs": stack,
            "outputs": [_item(o.name, o.type or "", o.size or "", o.cond or "") for o in d.outputs]}


def compare(ref: dict, mine: dict) -> list[str]:
    if not ref["ok"] or not mine["ok"]:
        if ref["ok"] == mine["ok"]:
            return []
        return [f"generator: {'accepts' if ref['ok'] else 'refuses: ' + ref['error']}; "
                f"jit-tracker: {'accepts' if mine['ok'] else 'refuses: ' + mine['error']}"]
    diffs = []
    for key in ("instructions", "parts", "families", "pseudos"):
        a, b = mine[key], ref[key]
        if key == "parts":
            # an inst's unused cache words: parts of the instruction since 2024-03, inside
            # its uop in the analyzer of 2024-01..02; compared for macros only
            a = {k: [p for p in v if not (mine["instructions"].get(k) == "inst" and p.startswith("cache/"))]
                 for k, v in a.items()}
            b = {k: [p for p in v if not (ref["instructions"].get(k) == "inst" and p.startswith("cache/"))]
                 for k, v in b.items()}
        if key == "families":
            # BINARY_OP_INPLACE_ADD_UNICODE's membership of BINARY_OP's family is a special
            # case each generator kept its own way (see the docstring)
            a = {k: [m for m in v if m != "BINARY_OP_INPLACE_ADD_UNICODE"] for k, v in a.items()}
            b = {k: [m for m in v if m != "BINARY_OP_INPLACE_ADD_UNICODE"] for k, v in b.items()}
        for name in sorted(set(a) | set(b)):
            if key == "families":
                # 2024's analyzer appends BINARY_OP_INPLACE_ADD_UNICODE a second time
                x, y = sorted(set(a.get(name) or [])), sorted(set(b.get(name) or []))
                if x == y and (name in a) == (name in b):
                    continue
            if a.get(name) != b.get(name):
                diffs.append(f"{key} {name}: ours={a.get(name)!r} generator={b.get(name)!r}")
    a, b = mine["uops"], ref["uops"]
    for name in sorted(set(a) | set(b)):
        base = re.sub(r"_[0-9]+$", "", name)
        if name not in a and base != name and base in a:
            continue  # replicate(N) stamps out _NAME_0 .. _NAME_<N-1> in the analyzer
        if a.get(name) != b.get(name):
            diffs.append(f"uop {name}: ours={a.get(name)!r} generator={b.get(name)!r}")
    return diffs


# -- driving ----------------------------------------------------------------------------

def git(*args: str) -> str:
    return subprocess.run(["git", f"--git-dir={MIRROR}", *args], check=True,
                          capture_output=True, text=True).stdout


def reference(rev: str, gen_tree: str, blob: str) -> dict:
    key = CACHE / f"v{CACHE_VERSION}-{gen_tree[:16]}-{blob[:16]}.json"
    if key.is_file():
        return json.loads(key.read_text())
    tmp = Path(tempfile.mkdtemp(prefix="jit-parity-"))
    try:
        gen = tmp / "Tools" / "cases_generator"
        gen.mkdir(parents=True)
        for d in ("Python", "Include/internal", "Lib"):
            (tmp / d).mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", f"--git-dir={MIRROR}", "archive", rev, "Tools/cases_generator"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        for path in ("Python/bytecodes.c", "Python/optimizer_bytecodes.c"):
            data = subprocess.run(["git", f"--git-dir={MIRROR}", "show", f"{rev}:{path}"],
                                  capture_output=True).stdout
            if data:
                (tmp / path).write_bytes(data)
        result = None
        for python in PYTHONS:
            if not os.path.exists(python):
                continue
            proc = subprocess.run([python, "-I", __file__, "--child", str(gen)],
                                  capture_output=True, text=True, cwd=tmp, timeout=600)
            try:
                result = json.loads(proc.stdout.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                result = {"broken": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
            if "broken" not in result:
                result["python"] = python
                break
        assert result is not None
        if "broken" not in result:
            CACHE.mkdir(parents=True, exist_ok=True)
            key.write_text(json.dumps(result))
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def revisions(branch: str) -> list[str]:
    return git("log", "--format=%H", f"refs/heads/{branch}", f"--since={SINCE}", "--",
               "Python/bytecodes.c").split()


def judge(rev: str) -> tuple[str, list[str], str]:
    info = git("ls-tree", rev, "Tools/cases_generator", "Python/bytecodes.c")
    ids = {line.split("\t")[1]: line.split()[2] for line in info.splitlines()}
    gen_tree, blob = ids["Tools/cases_generator"], ids["Python/bytecodes.c"]
    ref = reference(rev, gen_tree, blob)
    if "broken" in ref:
        return rev, [f"the generator did not run: {ref['broken']}"], "?"
    text = git("cat-file", "blob", blob)
    mine = ours(text, ref.get("era") == "generate_cases")
    verdict = "accepted" if ref["ok"] else "refused"
    return rev, compare(ref, mine), verdict


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(argv[1])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("-v", action="store_true")
    ap.add_argument("--branch", action="append", choices=BRANCHES)
    ap.add_argument("--rev", action="append", help="judge these revisions only")
    args = ap.parse_args(argv)
    if not (MIRROR / "HEAD").is_file():
        print(f"skip: no CPython mirror at {MIRROR} (see ../shared/REFERENCE.md)")
        return 0
    branches = args.branch or list(BRANCHES)
    per_branch = {b: revisions(b) for b in branches} if not args.rev else {"given": args.rev}
    todo = sorted({r for revs in per_branch.values() for r in revs})
    with ThreadPoolExecutor(args.j) as pool:
        results = {r: (d, v) for r, d, v in pool.map(judge, todo)}
    dates = dict(line.split(" ", 1) for line in git(
        "show", "-s", "--format=%H %cs", *todo).splitlines()) if todo else {}
    bad = 0
    groups: list[tuple[str, list[str]]] = []
    for b, revs in per_branch.items():
        if b == "main":
            groups.append(("main 2022-11..2024-12", [r for r in revs if dates[r] < "2025-01-01"]))
            groups.append(("main 2025-01..", [r for r in revs if dates[r] >= "2025-01-01"]))
        else:
            groups.append((b, revs))
            main_revs = set(per_branch.get("main", ()))
            if main_revs:
                own = [r for r in revs if r not in main_revs]
                groups.append((f"{b} (not on main)", own))
    for label, revs in groups:
        alike = [r for r in revs if not results[r][0]]
        refused = sum(1 for r in revs if results[r][1] == "refused")
        print(f"{label}: {len(alike)} of {len(revs)} revisions judged as their generator judged them"
              f" ({refused} refused by the generator)")
        for r in revs:
            diffs, _ = results[r]
            if diffs:
                bad += 1
                print(f"  {r[:11]} {dates.get(r, '')}: {len(diffs)} difference(s)")
                for line in diffs[: None if args.v else 5]:
                    print(f"      {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
