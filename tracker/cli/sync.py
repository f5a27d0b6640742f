"""``jit-tracker sync``: read the campaign (claims, pull requests, tracking issues) into the
state; plan, and with --apply make, the GitHub issues for the tasks."""

from __future__ import annotations

import argparse
import os
import re
import sys

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers

from ..errors import UsageError
from . import common
from .tickets import add_render_args, load_tasks

if TYPE_CHECKING:  # imported where used: jinja2 and PyGithub cost start-up time
    from .. import tickets
    from ..github import planning, reading

REPO_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sync", help="keep GitHub issues in step with the tasks (plan; --apply to act)",
        description="List the repository's issues and print what would change: issues to create "
        "for open tasks, to update when their rendered content changed, to close when their task "
        "is done. Nothing changes on GitHub without --apply. Only issues carrying jit-tracker's "
        "hidden marker are ever touched, and closed issues are never reopened. Every run also reads the "
        "campaign into the local state: claims made in comments on the tracking and task issues, "
        "assignees, and the pull requests of --prs-repo that work on a task.",
    )
    common.add_source_args(p)
    p.add_argument("--repo", required=True, metavar="OWNER/NAME", help="the GitHub repository holding the issues")
    p.add_argument("--apply", action="store_true", help="make the changes (default: only print the plan)")
    p.add_argument("--max-new", type=int, default=10, metavar="N",
                   help="create at most N issues in this run, ready and easy tasks first (default: 10)")
    p.add_argument("--token-env", default="GITHUB_TOKEN", metavar="NAME",
                   help="environment variable holding the token (default: GITHUB_TOKEN)")
    p.add_argument("--prs-repo", default="python/cpython", metavar="OWNER/NAME",
                   help="where the work is merged (default: python/cpython); its pull requests are found through "
                   "the campaign issues' Linked PRs and timelines, never by listing the repository")
    p.add_argument("--tracking", action="append", default=[], metavar="KIND=NUMBER",
                   help="adopt an existing issue of --repo as the tracking issue of KIND (read, never edited); "
                   "repeatable, remembered in the state; KIND=file goes back to a filed one")
    p.add_argument("--adopt-followups", action="store_true",
                   help="adopt the follow-up issues the reader finds (labelled topic-JIT, saying they follow up "
                   "a tracking issue) as their kind's tracking issue, remembered in the state")
    p.add_argument("--label", metavar="LABEL",
                   help="list only the issues carrying LABEL (e.g. jit-tracker): a few requests instead of "
                   "every issue of a large repository such as python/cpython; an issue whose label was "
                   "removed is then not seen, so use it only where jit-tracker files no issues or keeps "
                   "the label (adopted tracking issues are read by number either way)")
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
    if not REPO_RE.fullmatch(args.prs_repo or ""):
        raise UsageError(f"--prs-repo must be OWNER/NAME, got {args.prs_repo!r}")
    if args.max_new < 0:
        raise UsageError("--max-new must be 0 or more")
    from ..campaign import tracking

    table = tracking.load()
    options = dict(tracking.parse_option(t, table.all_kinds) for t in args.tracking)
    token = os.environ.get(args.token_env) or None
    if args.apply and not token:
        raise UsageError(f"--apply needs a GitHub token in ${args.token_env}",
                         hint="export it, or name another variable with --token-env")
    renderer = tickets.Renderer(args.template_dir)  # template errors before any network use
    taskset = load_tasks(args)
    from ..store import Store

    from ..github import reading, rest  # the campaign's phrase patterns load only when a sync runs

    store = Store(args.state)
    remembered = (store.get_setting("tracking") or {}).get(args.repo.lower()) or {}
    tracked = tracking.campaign(args.repo, remembered, options, table)
    client = gh_client.GitHub(args.repo, token, base_url=args.base_url)
    issues = client.issues(args.label)
    kept, _ = planning.ours(issues)
    from ..tickets import is_tracking_id

    adopted_kinds = {t.kind for t in tracked}
    filed = {tid.split(":", 1)[1]: i.number for tid, i in kept.items()
             if is_tracking_id(tid) and ":" in tid and tid.split(":", 1)[1] not in adopted_kinds}
    # every open task issue's timeline: its comments, and the pull requests that name it
    # ("Closes #N"); a rerun asks conditionally, so unchanged ones cost nothing
    task_issues = {tid: i.number for tid, i in kept.items() if not is_tracking_id(tid) and i.state == "open"}
    reader = rest.Reader(args.repo, token, base_url=args.base_url)
    progress = (lambda message, fraction: print(f"  {message}", file=sys.stderr)) if (
        args.format == "table" and sys.stderr.isatty()) else None
    campaign = reading.read_campaign(reader, taskset, tracked, task_issues=task_issues, filed=filed,
                                     kinds=table.kinds, report=progress)
    for warning in campaign.warnings:
        print(f"jit-tracker: warning: {warning}", file=sys.stderr)
    adopt_followups(store, args, campaign, remembered)
    known = record(store, args, campaign, issues, options, remembered)
    plan = planning.plan(taskset, issues, renderer, max_new=args.max_new, known=known,
                         completed_by=_completed_by(args, campaign, issues, token))

    if campaign.stopped and args.apply:
        raise gh_client.SyncStopped(f"read the campaign in part: {campaign.stopped}",
                                    hint="nothing was changed on GitHub; run sync again after the reset")
    if not args.apply:
        data = plan.to_json()
        data["campaign"] = campaign.to_json()

        def show_plan() -> None:
            print_plan(plan, args)
            print_campaign(campaign, args)

        common.emit(data, args.format, show_plan)
        if campaign.stopped:
            raise gh_client.SyncStopped(f"read the campaign in part: {campaign.stopped}")
        return 0

    say = (lambda msg: print(f"  {msg}", file=sys.stderr)) if args.format == "table" else None
    result = writing.Executor(client, renderer, store, say, known).run(taskset, plan, issues)
    data = {"repo": args.repo, "writes": result.writes, "done": [a.to_json() for a in result.done],
            "claims_from_assignees": len(result.claims), "stopped": result.stopped}

    def show_result() -> None:
        made = {op: sum(1 for a in result.done if a.op == op) for op in planning.WRITE_OPS}
        print(f"{args.repo}: created {made['create']}, updated {made['update']}, closed {made['close']} "
              f"({result.writes} writes); {len(result.claims)} assignee(s) recorded as claims")

    common.emit(data, args.format, show_result)
    if result.stopped:
        raise gh_client.SyncStopped(f"stopped after {len(result.done)} change(s): {result.stopped}")
    return 0


def _completed_by(args: argparse.Namespace, campaign: "reading.Campaign", issues: list,
                  token: str | None) -> dict:
    """Close the loop: tasks whose open issue a merged pull request completes, as
    ``check`` of that pull request says (adopted tracking issues are never edited)."""
    from ..github import planning, prcheck

    kept, _ = planning.ours(issues)
    merged = {p.number: p.url for t, p in campaign.pulls.items()
              if p.state == "merged" and t in kept and kept[t].state == "open"}
    # each check costs about 6 requests (fewer with blobs cached): few without a token
    return prcheck.completed_by(args.prs_repo, merged, base_url=args.base_url, token=token,
                                limit=10 if token else 3, warn=lambda m: print(f"jit-tracker: warning: {m}", file=sys.stderr))


def record(store, args: argparse.Namespace, campaign: "reading.Campaign", issues: list, options: dict,
           remembered: dict) -> "tickets.Links":
    """Keep what was read in the state (claims, pull requests, issue numbers, where it came
    from) and return it as the links tickets are rendered with."""
    from .. import tickets
    from ..github import planning, reading

    if options:
        saved = dict(store.get_setting("tracking") or {})
        saved[args.repo.lower()] = {**remembered, **options}
        store.set_setting("tracking", saved)
    kept, _ = planning.ours(issues)
    store.set_issues({tid: {"number": i.number, "url": i.url, "state": i.state} for tid, i in kept.items()})
    adopted = {k: v["number"] for k, v in campaign.tracking.items() if v.get("adopted")}
    reading.record(store, campaign, {"repo": args.repo, "base_url": args.base_url, "prs_repo": args.prs_repo,
                                     "tracking": adopted}, {tid: i.url for tid, i in kept.items()})
    return tickets.Links(claimers={t: c.by for t, c in campaign.claims.items()}, tracking=adopted,
                         pulls={t: p.to_json() for t, p in campaign.pulls.items()})


def adopt_followups(store, args: argparse.Namespace, campaign: "reading.Campaign", remembered: dict) -> None:
    """Report the follow-ups the reader found; with --adopt-followups, remember them in the
    state as their kind's tracking issue (the one before goes on as a predecessor)."""
    for f in campaign.followups:
        verb = "adopted" if args.adopt_followups else "found"
        what = "a follow-up" if f.get("role", "follow-up") == "follow-up" else "a one-item issue"
        print(f"jit-tracker: {verb} {what} of #{f['follows']} ({f['kind']}): #{f['number']} "
              f"{f['title']} {f['url']}" + ("" if args.adopt_followups else " (adopt it with --adopt-followups)"),
              file=sys.stderr)
    if not (args.adopt_followups and campaign.followups):
        return
    from ..campaign import tracking

    saved = dict(store.get_setting("tracking") or {})
    saved[args.repo.lower()] = tracking.with_found(saved.get(args.repo.lower()) or remembered, campaign.followups)
    store.set_setting("tracking", saved)


def print_campaign(campaign: "reading.Campaign", args: argparse.Namespace) -> None:
    from ..github import reading

    print(reading.describe(campaign, args.repo) + "; recorded in the local state")


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
