"""``jit-tracker claim | release | claims``: who works on which task, and since when."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from . import common
from .common import add_format_args, add_source_args, emit, print_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "claim", help="claim a task so others know you work on it",
        description="Record that NAME works on TASK_ID. Unknown and done tasks are refused "
        "(checked against CPYTHON_DIR, or the bundled snapshot); a task someone else holds "
        "can be taken once their claim is stale, or now with --force.",
    )
    p.add_argument("task_id", metavar="TASK_ID", help="e.g. refcount:_BINARY_OP_ADD_INT")
    p.add_argument("--by", metavar="NAME",
                   help="who claims it (default: setting user.name, else git's user.name)")
    p.add_argument("--note", metavar="TEXT", help="a note for others (a PR link, how far you got)")
    p.add_argument("--force", action="store_true", help="take over a claim someone else holds")
    _comment_args(p, base_url=False)  # add_source_args' --base-url serves both
    _stale_arg(p)
    _state_arg(p)
    add_source_args(p)
    p.set_defaults(func=run_claim)

    p = sub.add_parser("release", help="give a claimed task back",
                       description="Remove the claim on TASK_ID.")
    p.add_argument("task_id", metavar="TASK_ID")
    _comment_args(p)
    _state_arg(p)
    p.set_defaults(func=run_release)

    p = sub.add_parser(
        "claims", help="list who holds which task and since when",
        description="List claims: local ones, and those the last 'jit-tracker sync' read from GitHub "
        "(assignees, comments claiming a task, pull requests working on one), each with its source "
        "and link; claims older than the stale limit are marked stale (others may take them over).",
    )
    _stale_arg(p)
    p.add_argument("--set-stale-days", type=_days, metavar="N",
                   help="store N as the stale limit for this state file")
    _state_arg(p)
    add_format_args(p)
    p.set_defaults(func=run_claims)


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("the stale limit is at least 1 day")
    return value


def _comment_args(p: argparse.ArgumentParser, base_url: bool = True) -> None:
    p.add_argument("--comment", action="store_true",
                   help="also post it as a comment on the task's GitHub issue (or its tracking issue), "
                   "so every jit-tracker sees it after a sync; needs a token")
    p.add_argument("--repo", metavar="OWNER/NAME", help="where to comment (default: the repository of the last sync)")
    if base_url:
        p.add_argument("--base-url", metavar="URL", help="GitHub API URL (default: the one of the last sync)")
    p.add_argument("--token-env", default="GITHUB_TOKEN", metavar="NAME",
                   help="environment variable holding the token (default: GITHUB_TOKEN)")


def _post(args: argparse.Namespace, store: Store, task, by: str, action: str) -> None:
    """Post the claim or release; the local change stands whatever GitHub says."""
    from ..github import posting

    result = posting.post(store, task, by, action, repo=args.repo, base_url=args.base_url,
                          token_env=args.token_env, client_options={"max_retries": 1})
    if result.ok:
        if action == "claim":
            store.annotate_claim(task.id, url=result.url)
        print(result.message)
    else:
        print(f"jit-tracker: {result.message}", file=sys.stderr)


def _stale_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stale-days", type=_days, metavar="N",
                   help="a claim older than N days is stale (default: setting claims.stale_days, else 30)")


def _state_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--state", metavar="PATH",
                   help="state file (default: $JIT_TRACKER_STATE, else the user data directory)")


if TYPE_CHECKING:
    from ..store import Store
    from ..tasks import TaskSet


def open_store(args: argparse.Namespace) -> "Store":
    from ..store import Store

    return Store(getattr(args, "state", None), stale_days=getattr(args, "stale_days", None))


def current_tasks(args: argparse.Namespace) -> "TaskSet":
    """The tasks claims are checked against: a live scan, else the bundled snapshot."""
    return common.task_set(args)


def default_name(store: "Store") -> str | None:
    name = store.get_setting("user.name")
    if name:
        return str(name)
    from .. import git

    return git.config("user.name")


def run_claim(args: argparse.Namespace) -> int:
    store = open_store(args)
    by = args.by or default_name(store)
    if not by:
        raise UsageError("who is claiming? pass --by NAME",
                         hint="or set your name once: git config --global user.name NAME")
    ts = current_tasks(args)
    done = {t.id for t in ts.tasks if t.status == "done"}
    before = store.claims().get(args.task_id)
    claim = store.claim(args.task_id, by, args.note, force=args.force,
                        known={t.id for t in ts.tasks}, done=done)
    if before is not None and before.by != claim.by:
        why = "stale" if store.is_stale(before) else "forced"
        print(f"took over {args.task_id} from {before.by} ({why}); claimed by {claim.by}")
    else:
        print(f"{args.task_id} claimed by {claim.by} since {claim.since}")
    task = ts.get(args.task_id)
    if args.comment and task is not None:
        _post(args, store, task, claim.by, "claim")
    if task is not None and task.status == "blocked":
        print(f"jit-tracker: note: {args.task_id} is blocked"
              + (f": {task.blocked_reason}" if task.blocked_reason else ""), file=sys.stderr)
    return 0


def run_release(args: argparse.Namespace) -> int:
    store = open_store(args)
    claim = store.release(args.task_id)
    print(f"released {args.task_id} (was claimed by {claim.by})")
    if args.comment:
        from ..tasks import Task

        kind, _, subject = args.task_id.partition(":")
        task = Task(args.task_id, kind, args.task_id, subject if subject.startswith("_") else None, [])
        _post(args, store, task, claim.by, "release")
    return 0


def run_claims(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from ..store import parse_time

    store = open_store(args)
    if args.set_stale_days:
        store.set_setting("claims.stale_days", args.set_stale_days)
        if args.stale_days is None:
            store.stale_days = args.set_stale_days
    now = datetime.now(timezone.utc)
    rows: list[dict[str, Any]] = []
    pulls = store.pulls()
    for task_id, c in sorted(store.claims().items()):
        try:
            age = (now - parse_time(c.since)).days
        except ValueError:
            age = None
        rows.append({"task": task_id, "by": c.by, "since": c.since, "age_days": age,
                     "stale": store.is_stale(c, now), "source": c.source, "note": c.note,
                     "issue": c.issue, "url": c.url, "pull_request": pulls.get(task_id)})

    def table() -> None:
        if not rows:
            print(f"no claims (state: {store.path})")
            return
        from ..text import clip
        from .table import Column

        print_table(
            [Column("task", min=20), Column("by", min=8), Column("since"), Column("days", right=True),
             Column("stale", hide_empty=True), Column("source", keep=2), Column("note", keep=1, min=10)],
            # a name from a hand-edited state file may be any length: shown cut, even piped
            [(clip(r["task"], 80), clip(str(r["by"]), 40), str(r["since"])[:10], r["age_days"], "stale" if r["stale"] else "",
              r["source"], r["note"] or r["url"] or r["issue"] or "") for r in rows],
            title=f"claims (stale after {store.stale_days} days)",
        )

    emit({"state": str(store.path), "stale_days": store.stale_days, "claims": rows},
         args.format, table)
    return 0
