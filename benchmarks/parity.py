#!/usr/bin/env python3
"""Parity of our DSL parser with CPython's own (Tools/cases_generator), definition by definition.

Compared, in file order: kind, name, annotations, inputs and outputs (names, types,
array sizes, conditions, cache entries), macro parts, family size and members, pseudo
flags/targets, spilled labels, first and last line, and the DSL's special calls in each
body with their line and column.

* the 2025-05 reference parser (~/ref/gen-2025-05, else the tree's own
  Tools/cases_generator) on that tree's
  Python/bytecodes.c and Python/optimizer_bytecodes.c;
* the 3.13, 3.14 and 3.15 generators (~/.cache/cpython-reference/<v>/generator) on our
  own fixtures tests/fixtures/dsl/syntax_<v>.c, each written in that release's syntax
  (each generator only accepts its own).

Each reference runs in a child process with only its own directory on sys.path, so
its ``parser``/``lexer`` modules never meet ours or each other. Missing references are
skipped with a message; the exit status is 1 only when a comparison differs.

    .venv/bin/python benchmarks/parity.py [-v]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF_2025 = Path(os.environ.get("JIT_TRACKER_REF_GEN", "~/ref/gen-2025-05")).expanduser()
SRC_2025 = Path(os.environ.get("JIT_TRACKER_REF_CPYTHON", "~/ref/cpython-2025-05")).expanduser()
RELEASES_DIR = Path(os.environ.get("JIT_TRACKER_REF_RELEASES", "~/.cache/cpython-reference")).expanduser()
FIXTURES = ROOT / "tests" / "fixtures" / "dsl"
RELEASES = ("3.13", "3.14", "3.15")

# Special calls compared by position; the same set our lexer marks as "special".
SPECIALS = (
    "DEOPT_IF", "EXIT_IF", "ERROR_IF", "ERROR_NO_POP", "DECREF_INPUTS", "SYNC_SP", "DEAD",
    "INPUTS_DEAD", "CHECK_PERIODIC", "DISPATCH", "DISPATCH_INLINED", "DISPATCH_SAME_OPARG",
    "GO_TO_INSTRUCTION", "JUMPBY", "SAVE_STACK", "RELOAD_STACK", "AT_END_EXIT_IF",
    "HANDLE_PENDING_AND_DEOPT_IF", "PyStackRef_CLOSE", "PyStackRef_XCLOSE",
    "PyStackRef_CLOSE_SPECIALIZED",
)


# -- the reference side (runs in a child process) ------------------------------------

def dump_reference(gen_dir: str, filename: str) -> None:
    """Child mode: parse ``filename`` with the generator in ``gen_dir``; print JSON."""
    sys.path.insert(0, gen_dir)
    import parser as ref  # noqa: E402  (the reference's module, alone on this path)

    nodes = ref.parse_files([filename])
    with open(filename, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    for node in nodes:
        tokens = node.context.owner.tokens
        begin, end = node.context.begin, node.context.end
        while begin < end and tokens[begin].kind == "COMMENT":
            begin += 1
        d: dict = {
            "kind": type(node).__name__, "name": node.name,
            "line": tokens[begin].line, "end_line": tokens[end - 1].end_line,
        }
        if isinstance(node, ref.InstDef):
            d["kind"] = node.kind
            d["annotations"] = list(node.annotations)
            d["inputs"] = [_ref_item(i, ref) for i in node.inputs]
            d["outputs"] = [_ref_item(o, ref) for o in node.outputs]
            d["specials"] = _ref_specials(_block_tokens(node, tokens), lines)
        elif isinstance(node, ref.Macro):
            d["kind"] = "macro"
            d["parts"] = [f"{u.name}/{u.size}" if isinstance(u, ref.CacheEffect) else u.name
                          for u in node.uops]
        elif isinstance(node, ref.Family):
            d["kind"] = "family"
            d["size"] = node.size
            d["members"] = list(node.members)
        elif isinstance(node, ref.Pseudo):
            d["kind"] = "pseudo"
            if hasattr(node, "inputs"):  # 3.13's pseudos have no stack effect
                d["inputs"] = [_ref_item(i, ref) for i in node.inputs]
                d["outputs"] = [_ref_item(o, ref) for o in node.outputs]
            d["flags"] = list(node.flags)
            d["targets"] = list(node.targets)
            d["as_sequence"] = bool(getattr(node, "as_sequence", False))
        elif type(node).__name__ == "LabelDef":
            d["kind"] = "label"
            d["spilled"] = bool(node.spilled)
            d["specials"] = _ref_specials(_block_tokens(node, tokens), lines)
        out.append(d)
    json.dump(out, sys.stdout)


def dump_analysis(gen_dir: str, filename: str) -> None:
    """Child mode: the reference analyzer's instructions, uops, families, pseudos, labels."""
    sys.path.insert(0, gen_dir)
    import analyzer  # noqa: E402

    a = analyzer.analyze_files([filename])

    def part(p) -> str:
        size = getattr(p, "size", None)
        return f"cache/{size}" if type(p).__name__ == "Skip" else p.name

    json.dump({
        "instructions": {i.name: [part(p) for p in i.parts] for i in a.instructions.values()},
        "uops": sorted({u.name for u in a.uops.values()}),
        "families": {f.name: [m.name for m in f.members] for f in a.families.values()},
        "pseudos": {p.name: {"targets": [t.name for t in p.targets], "flags": list(p.flags)}
                    for p in a.pseudos.values()},
        "labels": {lb.name: bool(lb.spilled) for lb in a.labels.values()},
    }, sys.stdout)


def _block_tokens(node, tokens) -> list:
    """The tokens of a definition (its header holds no special call, so no need to cut)."""
    return tokens[node.context.begin:node.context.end]


def _ref_item(item, ref) -> dict:
    if isinstance(item, ref.CacheEffect):
        return {"name": item.name, "cache": item.size}
    size = item.size or ""
    type_ = getattr(item, "type", "") or ""
    if size and type_ == "PyObject **":  # 3.13 gives every array this implied type
        type_ = ""
    return {"name": item.name, "type": type_, "size": size, "cond": getattr(item, "cond", "") or ""}


def _ref_specials(tokens, lines: list[str]) -> list:
    """Special calls as (text, line, column).

    The reference lexer counts columns from 0 instead of 1 on a line that follows a
    preprocessor line (it sets the line start past that line's newline), so the
    column is re-read from the source text: the token is at the column given or one
    to its right.
    """
    out = []
    for t in tokens:
        if t.text in SPECIALS:
            col = t.column
            line = lines[t.line - 1]
            if not line[col - 1:].startswith(t.text) and line[col:].startswith(t.text):
                col += 1
            out.append([t.text, t.line, col])
    return out


def run_reference(gen_dir: Path, filename: Path, mode: str = "--dump-reference"):
    """The reference's definitions of ``filename`` (or its analysis), or its error message."""
    proc = subprocess.run(
        [sys.executable, __file__, mode, str(gen_dir), str(Path(filename).resolve())],
        capture_output=True, text=True, cwd=gen_dir,
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        return lines[-1] if lines else f"exit status {proc.returncode}"
    return json.loads(proc.stdout)


# -- our side -------------------------------------------------------------------------

def run_ours(filename: Path, release: str | None) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from tracker.dsl import CacheItem, FamilyDef, InstDef, LabelDef, MacroDef, PseudoDef
    from tracker.dsl import parse_text

    def item(i) -> dict:
        if isinstance(i, CacheItem):
            return {"name": i.name, "cache": i.size}
        return {"name": i.name, "type": i.type or "", "size": i.size or "", "cond": i.cond or ""}

    def specials(body) -> list:
        return [[t.text, t.line, t.col] for t in body.tokens if t.text in SPECIALS]

    def annotation(a: str) -> str:
        # 3.15 spells replicate(N) as replicate(0:N)
        if release == "3.15" and a.startswith("replicate(") and ":" not in a:
            return f"replicate(0:{a[10:-1]})"
        return a

    parsed = parse_text(filename.read_text(encoding="utf-8"), str(filename))
    out = []
    for w in parsed.warnings:  # a definition skipped: never the case where the reference reads it
        out.append({"kind": "skipped", "name": str(w), "line": w.line, "end_line": w.line})
    for d in parsed.definitions:
        o: dict = {"kind": d.kind, "name": d.name, "line": d.loc.line, "end_line": d.loc.end_line}
        if isinstance(d, InstDef):
            o["annotations"] = [annotation(a) for a in d.annotations]
            o["inputs"] = [item(i) for i in d.inputs]
            o["outputs"] = [item(i) for i in d.outputs]
            o["specials"] = specials(d.body)
        elif isinstance(d, MacroDef):
            o["parts"] = [str(p) for p in d.parts]
        elif isinstance(d, FamilyDef):
            o["size"] = d.size
            o["members"] = list(d.members)
        elif isinstance(d, PseudoDef):
            if release != "3.13":
                o["inputs"] = [item(i) for i in d.inputs]
                o["outputs"] = [item(i) for i in d.outputs]
            o["flags"] = list(d.flags)
            o["targets"] = list(d.targets)
            o["as_sequence"] = d.as_sequence
        elif isinstance(d, LabelDef):
            o["spilled"] = d.spilled
            o["specials"] = specials(d.body)
        out.append(o)
    return out


def model_ours(filename: Path) -> dict:
    """Our model of ``filename``, in the shape of :func:`dump_analysis`."""
    sys.path.insert(0, str(ROOT))
    from tracker import model
    from tracker.dsl import parse_text

    m = model.build(parse_text(filename.read_text(encoding="utf-8"), str(filename)))
    if m.warnings:
        raise SystemExit("our model skipped definitions: " + "; ".join(map(str, m.warnings)))
    # the reference also lists the uops that replicate(N) stamps out, _NAME_0 .. _NAME_<N-1>
    uops = set(m.uops)
    for u in m.uops.values():
        for a in u.annotations:
            if a.startswith("replicate("):
                lo, _, hi = a[10:-1].rpartition(":")
                uops.update(f"{u.name}_{i}" for i in range(int(lo or 0), int(hi)))
    return {
        "instructions": {i.name: [f"cache/{p.cache.size}" if p.cache else p.name for p in i.parts]
                         for i in m.instructions.values()},
        "uops": sorted(uops),
        "families": {f.head: list(f.members) for f in m.families.values()},
        "pseudos": {p.name: {"targets": list(p.targets), "flags": list(p.flags)}
                    for p in m.pseudos.values()},
        "labels": {lb.name: lb.spilled for lb in m.labels.values()},
    }


def compare_model(label: str, gen_dir: Path, filename: Path, verbose: bool) -> bool:
    ref = run_reference(gen_dir, filename, "--dump-analysis")
    if isinstance(ref, str):
        print(f"FAIL  {label}: the reference analyzer failed: {ref}")
        return False
    ours = model_ours(filename)
    diffs = []
    for key in ("instructions", "families", "pseudos", "labels"):
        for name in sorted(set(ours[key]) | set(ref[key])):
            a, b = ours[key].get(name), ref[key].get(name)
            if a != b:
                diffs.append(f"{key} {name}: ours={a!r} ref={b!r}")
    if ours["uops"] != ref["uops"]:
        diffs.append(f"uops only here: {sorted(set(ours['uops']) - set(ref['uops']))}; "
                     f"only in the reference: {sorted(set(ref['uops']) - set(ours['uops']))}")
    if diffs:
        print(f"FAIL  {label}: {len(diffs)} difference(s)")
        for line in diffs[: None if verbose else 10]:
            print(f"        {line}")
        return False
    print(f"ok    {label}: identical ({len(ours['instructions'])} instructions with their parts, "
          f"{len(ours['uops'])} uops, {len(ours['families'])} families, "
          f"{len(ours['pseudos'])} pseudos, {len(ours['labels'])} labels)")
    return True


# -- comparison -----------------------------------------------------------------------

def compare(label: str, gen_dir: Path, filename: Path, release: str | None, verbose: bool) -> bool:
    ref = run_reference(gen_dir, filename)
    if isinstance(ref, str):
        print(f"FAIL  {label}: the reference parser rejected it: {ref}")
        return False
    ours = run_ours(filename, release)
    diffs: list[str] = []
    if len(ours) != len(ref):
        diffs.append(f"{len(ours)} definitions here, {len(ref)} in the reference")
    for a, b in zip(ours, ref):
        if a != b:
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            diffs.append(f"{a['kind']} {a['name']} (line {a['line']}) vs {b['kind']} {b['name']}: "
                         + "; ".join(f"{k}: ours={a.get(k)!r} ref={b.get(k)!r}" for k in keys))
    kinds: dict[str, int] = {}
    for d in ours:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    counts = ", ".join(f"{n} {k}" for k, n in kinds.items())
    specials = sum(len(d.get("specials", ())) for d in ours)
    if diffs:
        print(f"FAIL  {label}: {len(diffs)} difference(s) in {len(ref)} definitions")
        for line in diffs[: None if verbose else 10]:
            print(f"        {line}")
        return False
    print(f"ok    {label}: {len(ours)} definitions identical ({counts}; {specials} special calls)")
    return True


def _reference_2025() -> Path | None:
    """The 2025-05 generator: ~/ref/gen-2025-05, or the tree's own Tools/cases_generator
    (kept there with another suffix) copied as modules into a temporary directory."""
    if (REF_2025 / "parser.py").is_file():
        return REF_2025
    kept = SRC_2025 / "Tools" / "cases_generator"
    files = sorted(kept.glob("*.her")) if kept.is_dir() else []
    if not any(f.stem == "parser" for f in files):
        return None
    import atexit
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="jit-tracker-gen-2025-05-"))
    atexit.register(shutil.rmtree, tmp, True)
    for f in files:
        shutil.copyfile(f, tmp / f"{f.stem}.py")
    return tmp


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "--dump-reference":
        dump_reference(argv[1], argv[2])
        return 0
    if len(argv) >= 3 and argv[0] == "--dump-analysis":
        dump_analysis(argv[1], argv[2])
        return 0
    verbose = "-v" in argv
    ok = True
    ran = 0
    ref_2025 = _reference_2025()
    if ref_2025 is not None and (SRC_2025 / "Python" / "bytecodes.c").is_file():
        for name in ("bytecodes.c", "optimizer_bytecodes.c"):
            ok &= compare(f"2025-05 Python/{name}", ref_2025, SRC_2025 / "Python" / name, None, verbose)
            ran += 1
        ok &= compare_model("2025-05 model of Python/bytecodes.c (reference analyzer)", ref_2025,
                            SRC_2025 / "Python" / "bytecodes.c", verbose)
    else:
        print(f"skip  2025-05: reference not found ({REF_2025}, {SRC_2025})")
    for release in RELEASES:
        gen = RELEASES_DIR / release / "generator"
        fixture = FIXTURES / f"syntax_{release.replace('.', '_')}.c"
        if not (gen / "parser.py").is_file():
            print(f"skip  {release}: generator not found in {gen}")
            continue
        ok &= compare(f"{release} generator on {fixture.relative_to(ROOT)}", gen, fixture, release, verbose)
        ran += 1
    if not ran:
        print("parity: no reference found; nothing compared (see the module docstring)")
        return 0
    print("parity: all identical" if ok else "parity: DIFFERENCES FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
