#!/usr/bin/env python3
"""Accuracy of the rules against CPython's own generated metadata.

Checks, on a CPython tree (default: ~/ref/cpython-2025-05, the start of the
refcount campaign):
  * tier 2: the instructions we say tier 2 can run equal those with an entry in that
    tree's generated ``_PyOpcode_macro_expansion``;
  * refcount: the instructions that a later release's metadata (default 3.15, from
    ../shared/tools/fetch-cpython-reference) shows converted — pop uops right after a
    uop in the expansion — are open ``refcount`` tasks in the tree;
  * no refcount task names a tier-1-only or instrumented instruction;
  * recipes: for each of those instructions, the pops our recipe proposes equal the
    pop uops CPython shipped in the later expansion (``POP_TOP`` in a macro is the uop
    ``_POP_TOP``); the ones that differ are printed with the reason.
Prints the figures; exits 0 and says so when the references are absent, 1 when a
check fails.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import sources  # noqa: E402
from tracker.rules import default_rules, scan  # noqa: E402

POPS = {"POP_TOP", "_POP_TOP", "_POP_TOP_INT", "_POP_TOP_FLOAT", "_POP_TOP_UNICODE",
        "_POP_TOP_NOP", "_POP_TOP_OPARG", "_POP_TWO", "_POP_CALL", "_POP_CALL_ONE", "_POP_CALL_TWO"}


def expansions(header: Path) -> dict[str, list[str]]:
    """Instruction -> its uops, from a generated pycore_opcode_metadata.h."""
    text = header.read_text()
    start = text.index("_PyOpcode_macro_expansion[256] = {")
    section = text[start : text.index("};", start)]
    out = {}
    for name, body in re.findall(r"^\s*\[(\w+)\] = \{ \.nuops = \d+, \.uops = \{(.*)\} \},$", section, re.M):
        out[name] = re.findall(r"\{ (\w+),", body)
    return out


def shipped_pops(uops: list[str]) -> list[str]:
    """The pop uops of an expansion (a uop's second-operand entry is not a new uop)."""
    out = []
    previous = None
    for u in uops:
        if u in POPS and u != previous:
            out.append(u)
        previous = u if u not in POPS else None
    return out


def as_uop(name: str) -> str:
    """``POP_TOP`` in a macro means the instruction's uop ``_POP_TOP``."""
    return name if name.startswith("_") else "_" + name


def proposed_pops(ts, inst: str) -> tuple[list[str] | None, str]:
    """The pops our refcount recipes propose for ``inst``, or, when it is converted in
    this tree, the pops it has; and why none."""
    pops: list[str] = []
    found = False
    for t in ts.tasks:
        if t.kind != "refcount" or inst not in t.instructions:
            continue
        if t.status == "done":
            seen = t.recipe.get("pops_in", {}).get(inst)
            if seen is None:
                return None, f"done in this tree ({t.id}) but no pops recorded for it"
            return [as_uop(p) for p in seen], ""
        for m in t.recipe.get("macros", []):
            if m["instruction"] == inst:
                found = True
                pops.extend(m["pops"])
    if not found:
        return None, "no refcount recipe for it"
    return [as_uop(p) for p in pops], ""


def converted(expansion: dict[str, list[str]]) -> dict[str, str]:
    """Instructions whose expansion has pop uops right after another uop."""
    out = {}
    for name, uops in expansion.items():
        for i, u in enumerate(uops):
            if u in POPS and i > 0 and uops[i - 1] not in POPS:
                out[name] = uops[i - 1]
                break
    out.pop("POP_TOP", None)
    return out


def explain(ts, inst: str) -> str:
    """What our recipe was built from, to read a difference against."""
    for t in ts.tasks:
        if t.kind == "refcount" and inst in t.instructions:
            names = sorted({r.name for r in t.released_inputs})
            return f" (released by {t.uop}: {', '.join(names) or 'none'})"
    return ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tree", nargs="?", default=str(Path.home() / "ref/cpython-2025-05"))
    ap.add_argument("--later", default=str(Path.home() / ".cache/cpython-reference/3.15/include"),
                    help="include/ dir of a later release's generated metadata")
    args = ap.parse_args()
    tree = Path(args.tree)
    header = tree / "Include/internal/pycore_opcode_metadata.h"
    later = Path(args.later) / "pycore_opcode_metadata.h"
    if not (tree / "Python/bytecodes.c").is_file() or not header.is_file():
        print(f"skipped: no CPython tree with generated metadata at {tree} (see ../shared/REFERENCE.md)")
        return 0

    ts = scan(sources.from_checkout(tree))
    failures = 0
    counts = ts.counts()
    print(f"tree: {tree} ({(ts.source.get('revision') or '')[:10]})")
    print("tasks by kind:  ", dict(sorted(counts["kind"].items())))
    print("tasks by status:", dict(sorted(counts["status"].items())))
    for kind in sorted(counts["kind"]):
        per = {}
        for t in ts.tasks:
            if t.kind == kind:
                per[t.status] = per.get(t.status, 0) + 1
        print(f"  {kind:10} {dict(sorted(per.items()))}")

    exp = expansions(header)
    ours = {f["name"] for f in ts.instructions if f["tier2"]}
    missing, extra = sorted(set(exp) - ours), sorted(ours - set(exp))
    ok = not missing and not extra
    failures += not ok
    print(f"tier 2: {len(ours)} traceable by us, {len(exp)} in _PyOpcode_macro_expansion: "
          f"{'equal' if ok else f'missing {missing}, extra {extra}'}")
    not_t2 = sorted(f["name"] for f in ts.instructions if not f["tier2"])
    tier2_tasks = sorted(t.subject for t in ts.tasks if t.kind == "tier2")
    by_design = sorted(f["name"] for f in ts.instructions if not f["tier2"] and f.get("by_design"))
    print(f"  not traceable: {len(not_t2)} = {len(tier2_tasks)} tier2 tasks + {len(by_design)} by design")
    if sorted(tier2_tasks + by_design) != not_t2:
        failures += 1
        print("  MISMATCH between tier2 tasks + by-design and the untraceable instructions")
    print(f"  tier2 tasks: {', '.join(tier2_tasks)}")

    untraceable = set(not_t2)
    bad = [t.id for t in ts.tasks if t.kind == "refcount" and set(t.instructions) & untraceable]
    failures += bool(bad)
    print(f"refcount tasks naming tier-1-only or instrumented instructions: {len(bad)} {bad or ''}")

    if later.is_file():
        conv = converted(expansions(later))
        by_inst: dict[str, list[tuple[str, str]]] = {}
        for t in ts.tasks:
            if t.kind == "refcount":
                for i in t.instructions:
                    by_inst.setdefault(i, []).append((t.id, t.status))
        state = {}
        for inst in conv:
            found = by_inst.get(inst, [])
            state[inst] = ("open" if any(s in ("open", "blocked") for _, s in found)
                           else "done" if any(s == "done" for _, s in found) else None)
        opened = sorted(i for i, s in state.items() if s == "open")
        done = sorted(i for i, s in state.items() if s == "done")
        print(f"converted later ({later.parent.parent.name}): {len(conv)} instructions; "
              f"open refcount tasks here: {len(opened)}; already done here: {len(done)}; "
              f"neither: {len(conv) - len(opened) - len(done)}")
        names = {f['name'] for f in ts.instructions}
        for inst, uop in sorted(conv.items()):
            if state[inst] is None:
                why = "no such instruction in this tree" if inst not in names else f"no refcount task (later via {uop})"
                print(f"  {inst}: {why}")
        wrong = sorted({i for t in ts.tasks if t.kind == "refcount" and t.status == "done"
                        for i in t.recipe.get("converted_in", []) if i not in conv})
        print(f"done refcount tasks here whose instructions {later.parent.parent.name}'s metadata does "
              f"not show converted: {len(wrong)} {wrong or ''}")
        failures += bool(wrong)
        later_exp = expansions(later)
        exact = same_count = 0
        differ = []
        for inst in sorted(conv):
            shipped = shipped_pops(later_exp[inst])
            ours, why = proposed_pops(ts, inst)
            exact += ours == shipped
            same_count += ours is not None and len(ours) == len(shipped)
            if ours != shipped:
                if ours is not None:
                    why = "another pop" if len(ours) == len(shipped) else "another number of pops"
                    why += explain(ts, inst)
                differ.append(f"  {inst}: shipped {' + '.join(shipped)}; "
                              f"ours {' + '.join(ours) if ours else '-'}: {why}")
        print(f"recipes: {exact} of {len(conv)} equal the pops shipped in {later.parent.parent.name} "
              f"(proposed for the open ones, seen in this tree for the done ones); "
              f"{same_count} the right number of pops")
        if differ:
            print("\n".join(differ))
        if exact < len(conv) - 3:
            failures += 1
            print("  FAILED: fewer than all but three recipes are exact")
    else:
        print(f"later metadata not found at {later}: skipped the conversion check")
    print("FAILED" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
