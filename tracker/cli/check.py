"""``jit-tracker check``: what a change completes and what it breaks, for a PR comment or CI."""

from __future__ import annotations

import argparse
import os
import re
import sys

from ..errors import TrackerError, UsageError

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from typing import Any

    from ..check import Review, Side
    from ..sources import SourceSet

MARKER = "<!-- jit-tracker: check -->"
BASE_BRANCHES = ("main", "origin/main", "upstream/main")
FAIL_ON = ("problems", "remarks")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help="review a change: the tasks it completes, its recipe check, new problems",
        description="Compare the definitions at BASE and HEAD of a CPython checkout (default: "
        "the merge-base with main, and the working tree) and say what the change does for the "
        "campaign: tasks completed (converted or removed) with the issues they close, the "
        "recipe check of each conversion (pops, optimizer case), new problems (a uop that now "
        "releases its inputs, a new uop with no optimizer case, an instruction tier 2 cannot "
        "run any more, a definition the parser skipped), tasks opened. With --github and --pr, "
        "reads a pull request's base and head through GitHub's API instead.",
    )
    p.add_argument("base", nargs="?", metavar="BASE", help="base revision (default: the merge-base of HEAD with main)")
    p.add_argument("head", nargs="?", metavar="HEAD", help="head revision (default: the working tree)")
    p.add_argument("-C", "--checkout", metavar="DIR", default=".",
                   help="the CPython checkout (default: the current directory)")
    p.add_argument("--github", metavar="OWNER/NAME", help="read pull request --pr N of this repository on GitHub")
    p.add_argument("--pr", type=int, metavar="N", help="the pull request number (with --github)")
    p.add_argument("--base-url", metavar="URL", help="GitHub API URL (GitHub Enterprise: https://HOST/api/v3)")
    p.add_argument("--repo", metavar="OWNER/NAME",
                   help="the repository whose tracking issues to name (default: --github, else the "
                   "one the last sync recorded, else python/cpython)")
    p.add_argument("--format", choices=["table", "markdown", "json"], default="table",
                   help="output format (default: table); markdown is the pull-request comment")
    p.add_argument("--json", dest="format", action="store_const", const="json", help="shorthand for --format json")
    p.add_argument("--markdown", dest="format", action="store_const", const="markdown",
                   help="shorthand for --format markdown")
    p.add_argument("--out", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--fail-on", choices=FAIL_ON, metavar="WHAT",
                   help="exit with status 1 when there are new problems ('problems') or also recipe "
                   "remarks ('remarks'); off by default")
    p.add_argument("--post", action="store_true",
                   help="with --github and --pr: keep the pull request's check comment up to date "
                   "(one comment, found by its hidden marker, edited on rerun); needs $GITHUB_TOKEN")
    p.add_argument("--post-file", metavar="FILE",
                   help="with --github and --pr: post FILE, a report made earlier with --markdown "
                   "--out, instead of checking again (what the workflow's trusted job does)")
    p.add_argument("--expect-head", metavar="SHA",
                   help="with --post-file: post only while the pull request's head is SHA (the "
                   "commit the report was made for)")
    p.add_argument("--state", metavar="PATH",
                   help="state file with the task issues a sync recorded (default: $JIT_TRACKER_STATE, "
                   "else the user data directory)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..check import review

    if args.github or args.pr is not None:
        if not (args.github and args.pr is not None):
            raise UsageError("--github OWNER/NAME and --pr N go together")
        if args.base or args.head:
            raise UsageError("give BASE/HEAD for a checkout, or --github with --pr, not both")
    elif args.post or args.post_file:
        raise UsageError("--post and --post-file need --github OWNER/NAME and --pr N")
    if args.expect_head and not args.post_file:
        raise UsageError("--expect-head goes with --post-file")
    if args.post_file:
        return _post_file(args)
    if args.github:
        base_src, head_src, described, analyses = _from_pull(args)
    else:
        base_src, head_src, described, analyses = _from_checkout(args)
    base, head = _side(base_src, analyses[0]), _side(head_src, analyses[1])
    tracking, issues = _links(args)
    result = review(base, head, tracking=tracking, issues=issues)
    for w in getattr(head.model, "warnings", None) or ():  # the head's: what the change is judged on
        print(_clean(str(w)), file=sys.stderr)
    text = render(result, args.format, described)
    if args.out:
        from pathlib import Path

        from ..atomic import write_bytes

        try:
            write_bytes(Path(args.out), text.encode("utf-8"), mode=0o644)  # a report to share
        except OSError as exc:
            raise UsageError(f"{args.out}: cannot write ({exc.strerror})") from None
    else:
        sys.stdout.write(text)
    if args.post:
        _post(args, text if args.format == "markdown" else markdown(result, described))
    if args.fail_on == "problems" and result.problems:
        return 1
    if args.fail_on == "remarks" and (result.problems or result.checks):
        return 1
    return 0


# --------------------------------------------------------------------------- sources


ANALYSIS = "Python/optimizer_analysis.c"  # the optimizer's C code: the uops it emits itself


def _side(found: "SourceSet", analysis: str | None = None) -> "Side":
    from ..check import Side

    return Side.scan(found, analysis=analysis)


def analysis_at(root: str, rev: str | None) -> str | None:
    """The optimizer's C code at ``rev`` (None: the working tree), or None."""
    from .. import git

    if rev is None:
        try:
            with open(os.path.join(root, ANALYSIS), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return None
    return git.show(root, rev, ANALYSIS)


def _from_checkout(args: argparse.Namespace) -> "tuple[SourceSet, SourceSet, tuple[str, str], tuple[str | None, str | None]]":
    from .. import sources

    root = repository_root(args.checkout)
    if args.base is None:
        base = _merge_base(root)
    else:
        base = _commit(root, args.base)
    if args.head is None:
        if not sources.is_checkout(root):
            raise UsageError(f"{root}: no Python/bytecodes.c in its work tree",
                             hint="give HEAD as a revision, or run check in a CPython checkout")
        head_src = _working_tree(root)
        head_text = "the working tree"
    else:
        head = _commit(root, args.head)
        head_src = _at_revision(root, head)
        head_text = head[:10]
    base_src = _at_revision(root, base)
    analyses = (analysis_at(root, base), analysis_at(root, None if args.head is None else head_src.revision))
    return base_src, head_src, (base[:10] + ("" if args.base else " (merge-base with main)"), head_text), analyses


def _working_tree(root: str) -> "SourceSet":
    """The working tree's files, named as in git (``Python/bytecodes.c``) like the base."""
    from pathlib import Path

    from .. import git
    from ..sources import BYTECODES, OPTIMIZER, SourceSet, read_file

    top = Path(root)
    optimizer = read_file(top / OPTIMIZER, OPTIMIZER) if (top / OPTIMIZER).is_file() else None
    revision, date = git.head(top)
    return SourceSet(read_file(top / BYTECODES, BYTECODES), optimizer, "files", revision, date)


def repository_root(directory: str) -> str:
    """The work tree's top directory, or the git directory of a bare clone (a mirror)."""
    from .. import git

    directory = os.path.abspath(directory)
    if not os.path.isdir(directory):
        raise UsageError(f"{directory}: no such directory")
    if git.ask(directory, "rev-parse", "--is-bare-repository") == "true":
        return os.path.abspath(directory)
    top = git.ask(directory, "rev-parse", "--show-toplevel")
    if not top:
        raise UsageError(f"{directory}: not a git repository",
                         hint="check compares revisions of a CPython clone (git clone, not a tarball)")
    return top


def _commit(root: str, rev: str) -> str:
    from .. import git

    if rev.startswith("-"):
        raise UsageError(f"{rev!r} is not a revision")
    sha = git.ask(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if not sha:
        raise UsageError(f"{rev}: no such revision in {root}",
                         hint="give a branch, tag or commit of this clone (git fetch first?)")
    return sha


def _merge_base(root: str) -> str:
    from .. import git

    for branch in BASE_BRANCHES:
        if not git.ask(root, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"):
            continue
        found = git.ask(root, "merge-base", "HEAD", branch)
        if not found:
            raise UsageError(f"{root}: HEAD has no common ancestor with {branch}",
                             hint="give BASE explicitly")
        return found
    raise UsageError(f"{root}: no branch main, origin/main or upstream/main to compare with",
                     hint="give BASE explicitly: jit-tracker check BASE [HEAD]")


def _at_revision(root: str, rev: str) -> "SourceSet":
    """Both definition files at ``rev`` (a commit id), named as in the tree."""
    from .. import git
    from ..sources import BYTECODES, OPTIMIZER, SourceSet, SourceText

    bc = git.show(root, rev, BYTECODES)
    if bc is None:
        raise UsageError(f"{rev[:10]}: no {BYTECODES} at this revision",
                         hint="is this a CPython clone (3.12 or newer)?")
    opt = git.show(root, rev, OPTIMIZER)
    date = git.ask(root, "show", "-s", "--format=%cI", rev) or None
    return SourceSet(SourceText(BYTECODES, bc), SourceText(OPTIMIZER, opt) if opt is not None else None,
                     f"git:{rev}", rev, date)


def _from_pull(args: argparse.Namespace) -> "tuple[SourceSet, SourceSet, tuple[str, str], tuple[str | None, str | None]]":
    from ..github import prcheck

    from ..github.client import SyncStopped

    token = os.environ.get("GITHUB_TOKEN") or None
    gh = prcheck.client(args.github, token, args.base_url)
    try:
        pull = prcheck.read_pull(args.github, args.pr, gh=gh)
    except SyncStopped as exc:  # its hint speaks of sync
        raise TrackerError(str(exc).split("\n", 1)[0],
                           hint="check the network and --base-url, or run check on a checkout") from None
    base, head = prcheck.fetch_sides(pull, base_url=args.base_url, token=token)
    analyses = (prcheck.analysis_text(gh, pull.base_sha), prcheck.analysis_text(gh, pull.head_sha))
    return base, head, (f"{args.github}@{pull.base_sha[:10]} (merge-base)",
                        f"{pull.head_repo}@{pull.head_sha[:10]} (#{args.pr})"), analyses


def _token(args: argparse.Namespace) -> str:
    token = os.environ.get("GITHUB_TOKEN") or None
    if not token:
        raise UsageError("posting the comment needs a GitHub token in $GITHUB_TOKEN",
                         hint="in a workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} with "
                         "permissions: pull-requests: write")
    return token


def _post(args: argparse.Namespace, body: str) -> None:
    from ..github import prcheck

    gh = prcheck.client(args.github, _token(args), args.base_url)
    done, url = prcheck.upsert_comment(gh, args.pr, body, MARKER)
    print(f"jit-tracker: check comment {done} on #{args.pr}" + (f": {url}" if url else ""), file=sys.stderr)


def _post_file(args: argparse.Namespace) -> int:
    from ..github import prcheck

    try:
        with open(args.post_file, encoding="utf-8") as f:
            body = f.read(prcheck.MAX_COMMENT * 4)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{args.post_file}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    if not body.startswith(MARKER):
        raise UsageError(f"{args.post_file}: not a report of 'jit-tracker check --markdown' (no marker at its top)")
    token = _token(args)
    gh = prcheck.client(args.github, token, args.base_url)
    if args.expect_head:
        pull = prcheck.read_pull(args.github, args.pr, gh=gh)
        if pull.head_sha != args.expect_head.strip().lower():
            print(f"jit-tracker: #{args.pr} has moved on to {pull.head_sha[:10]}; this report of "
                  f"{args.expect_head[:10]} is not posted (the run of the new head will be)", file=sys.stderr)
            return 0
    done, url = prcheck.upsert_comment(gh, args.pr, _clean(body), MARKER)
    print(f"jit-tracker: check comment {done} on #{args.pr}" + (f": {url}" if url else ""), file=sys.stderr)
    return 0


def _links(args: argparse.Namespace) -> "tuple[dict[str, tuple[str, bool]], dict[str, str]]":
    """Tracking issues of each kind and the task issues a sync recorded, as shown."""
    from ..campaign import tracking
    from ..store import Store

    issues: dict[str, str] = {}
    remembered: dict[str, Any] = {}
    settings_repo = None
    try:
        store = Store(args.state)
        recorded = store.issues()
        settings = store.get_setting("github") or {}
        settings_repo = settings.get("repo") if isinstance(settings, dict) else None
        remembered = ((store.get_setting("tracking") or {}).get((args.repo or args.github or settings_repo or "").lower())
                      or {})
    except TrackerError as exc:  # a broken state must not keep a review from being said
        print(f"jit-tracker: warning: {exc}; task issues are not named", file=sys.stderr)
        recorded = {}
    repo = args.repo or args.github or settings_repo or "python/cpython"
    for task_id, entry in recorded.items():
        if entry.get("state") == "open" and entry.get("url"):
            issues[task_id] = entry["url"]
    adopted = tracking.adopted(repo, remembered)
    shown: dict[str, tuple[str, bool]] = {k: (f"{repo}#{n}", True) for k, n in adopted.items()}
    for task_id, entry in recorded.items():
        if task_id.startswith("umbrella:") and entry.get("url"):
            kind = task_id.split(":", 1)[1]
            shown.setdefault(kind, (entry["url"], False))
    return shown, issues


# --------------------------------------------------------------------------- output


def render(result: "Review", fmt: str, described: tuple[str, str]) -> str:
    if fmt == "json":
        from .common import json_text

        data = result.to_json()
        data["compared"] = {"base": described[0], "head": described[1]}
        return json_text(data)
    if fmt == "markdown":
        return markdown(result, described)
    return table(result, described)


_NAME = re.compile(r"(?<![`\w])(_?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|_[A-Z][A-Z0-9]+)(?![`\w])")


def _names(text: str) -> str:
    """Uop and instruction names as code spans (Markdown would read _X_ as emphasis)."""
    return _NAME.sub(r"`\1`", _clean(text))


def _clean(text: str) -> str:
    """Control characters of file or GitHub text shown as escapes (line breaks kept)."""
    from ..text import clean_block

    return clean_block(text)


def markdown(result: "Review", described: tuple[str, str]) -> str:
    import jinja2

    from .. import __version__
    from ..tickets import inline_code, locate_templates

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(locate_templates())),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, autoescape=False)
    env.filters.update(code=inline_code, names=_names)
    try:
        template = env.get_template("check.md.j2")
    except jinja2.TemplateNotFound:
        raise TrackerError(f"template check.md.j2 not found in {locate_templates()}") from None
    data = result.to_json()
    data["summary"] = result.summary()
    text = template.render(review=data, marker=MARKER, base=_clean(described[0]), head=_clean(described[1]),
                           version=__version__)
    return re.sub(r"\n{3,}", "\n\n", text)


def table(result: "Review", described: tuple[str, str]) -> str:
    lines = [f"check: {described[0]} -> {described[1]}", result.summary(), ""]

    def section(title: str, rows: list[str]) -> None:
        if rows:
            lines.append(f"{title}:")
            lines.extend(f"  {_clean(r)}" for r in rows)
            lines.append("")
    completed = []
    for c in result.completed:
        row = f"{c.task}  {c.how}"
        if c.issue:
            row += f"  closes {c.issue}"
        if c.tracking:
            row += f"  {'tick it in' if c.adopted else 'tracked in'} {c.tracking}"
        if c.pops:
            row += "  pops: " + ", ".join(f"{i} + {' + '.join(p)}" for i, p in c.pops.items())
        completed.append(row)
    section("completed", completed)
    where = lambda n: f"{n.where}: " if n.where else ""  # noqa: E731
    section("recipe check", [f"{where(n)}{n.message}" for n in result.checks])
    section("new problems", [f"{where(n)}{n.message}" for n in result.problems])
    section("opened", [f"{m.task}  {m.what}" + (f"  {m.file}:{m.line}" if m.file else "") for m in result.opened])
    section("difficulty", [f"{m.task}  {m.before} -> {m.after}" for m in result.difficulty])
    section("no longer counted (tier 2 does not run the uop now; not done)", [m.task for m in result.left_tier2])
    return "\n".join(lines).rstrip("\n") + "\n"
