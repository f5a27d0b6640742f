"""``jit-tracker sync``: plan, and with --apply make, the GitHub issues for the tasks."""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TYPE_CHECKING

from ..errors import UsageError
from . import common
from .tickets import add_render_args, load_tasks

if TYPE_CHECKING:
    from ..github import planning

REPO_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sync", help="keep GitHub issues in step with the tasks (plan; --apply to act)",
        description="List the repository's issues and print what would change: issues to create "
        "for open tasks, to update when their rendered content changed, to close when their task "
        "is done. Nothing changes on GitHub without --apply. Only issues carrying jit-tracker's "
        "hidden marker are ever touched, and closed issues are never reopened.",
    )
    common.add_source_args(p)
    p.add_argument("--repo", required=True, metavar="OWNER/NAME", help="the GitHub repository holding the issues")
    p.add_argument("--apply", action="store_true", help="make the changes (default: only print the plan)")
    p.add_argument("--max-new", type=int, default=10, metavar="N",
                   help="create at most N issues in this run, ready and easy tasks first (default: 10)")
    p.add_argument("--token-env", default="GITHUB_TOKEN", metavar="NAME",
                   help="environment variable holding the token (default: GITHUB_TOKEN)")
    add_render_args(p)
    common.add_format_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import tickets
    from ..github import client as gh_client, planning, writing

    args.base_url = args.base_url or gh_client.DEFAULT_BASE_URL  # --base-url comes with the sources' options
    if not REPO_RE.fullmatch(args.repo or ""):
        raise UsageError(f"--repo must be OWNER/NAME, got {args.repo!r}")
    if not re.match(r"https?://[^/\s]+", args.base_url or ""):
        raise UsageError(f"--base-url must be an http(s) URL, got {args.base_url!r}",
                         hint="for GitHub Enterprise: https://HOST/api/v3")
    if args.max_new < 0:
        raise UsageError("--max-new must be 0 or more")
    token = os.environ.get(args.token_env) or None
    if args.apply and not token:
        raise UsageError(f"--apply needs a GitHub token in ${args.token_env}",
                         hint="export it, or name another variable with --token-env")
    renderer = tickets.Renderer(args.template_dir)  # template errors before any network use
    taskset = load_tasks(args)
    client = gh_client.GitHub(args.repo, token, base_url=args.base_url)
    issues = client.issues()
    plan = planning.plan(taskset, issues, renderer, max_new=args.max_new)

    if not args.apply:
        common.emit(plan.to_json(), args.format, lambda: print_plan(plan, args))
        return 0

    from ..store import Store

    store = Store(args.state)
    progress = (lambda msg: print(f"  {msg}", file=sys.stderr)) if args.format == "table" else None
    result = writing.Executor(client, renderer, store, progress).run(taskset, plan, issues)
    data = {"repo": args.repo, "writes": result.writes, "done": [a.to_json() for a in result.done],
            "claims_from_assignees": len(result.claims), "stopped": result.stopped}

    def table() -> None:
        made = {op: sum(1 for a in result.done if a.op == op) for op in planning.WRITE_OPS}
        print(f"{args.repo}: created {made['create']}, updated {made['update']}, closed {made['close']} "
              f"({result.writes} writes); {len(result.claims)} assignee(s) recorded as claims")

    common.emit(data, args.format, table)
    if result.stopped:
        raise gh_client.SyncStopped(f"stopped after {len(result.done)} change(s): {result.stopped}")
    return 0


def print_plan(plan: "planning.Plan", args: argparse.Namespace) -> None:
    rows = [(a.op, a.id, f"#{a.number}" if a.number else "", a.reason, a.title)
            for a in plan.actions if a.op != "later"]
    common.print_table(["action", "task", "issue", "why", "title"], rows, title=f"sync plan for {args.repo}")
    later = [a.id for a in plan.actions if a.op == "later"]
    if later:
        shown = ", ".join(later[:12]) + (f", … ({len(later) - 12} more; --json lists all)" if len(later) > 12 else "")
        print(f"later: {len(later)} open task(s) over --max-new {args.max_new}, filed by later runs "
              f"in this order: {shown}")
    c = plan.counts()
    print(f"plan: {c['create']} create, {c['update']} update, {c['close']} close, {c['unchanged']} unchanged, "
          f"{c['skip']} skip, {c['later']} later" + ("" if args.apply else "; nothing changed (use --apply)"))
