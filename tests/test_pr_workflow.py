"""The pull-request check workflows: fork-safe by construction, commands the CLI accepts."""

from __future__ import annotations

import shlex

from tracker.cli.main import build_parser

from .test_workflows import PINNED, load, steps


def test_the_check_runs_read_only_and_runs_no_pull_request_code():
    data = load("jit-pr-check.yml")
    assert set(data["on"]) == {"pull_request"}  # never pull_request_target
    assert sorted(data["on"]["pull_request"]["paths"]) == ["Python/bytecodes.c", "Python/optimizer_bytecodes.c"]
    assert data["permissions"] == {"contents": "read", "pull-requests": "read"}
    assert not any(s.get("uses", "").startswith("actions/checkout@") for s in steps(data))
    upload = [s for s in steps(data) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"] == "report/"
    for s in steps(data):
        assert "${{" not in s.get("run", ""), "expressions go through env:, never into a script"


def test_the_comment_job_checks_out_nothing_and_trusts_only_the_event():
    data = load("jit-pr-check-comment.yml")
    assert data["on"] == {"workflow_run": {"workflows": ["JIT PR check"], "types": ["completed"]}}
    assert load("jit-pr-check.yml")["name"] == "JIT PR check"
    assert data["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert not any(s.get("uses", "").startswith("actions/checkout@") for s in steps(data))
    job = data["jobs"]["comment"]
    assert job["env"]["HEAD_SHA"] == "${{ github.event.workflow_run.head_sha }}"
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]
    for s in steps(data):
        assert "${{" not in s.get("run", "")


def test_actions_are_pinned():
    for name in ("jit-pr-check.yml", "jit-pr-check-comment.yml"):
        for s in steps(load(name)):
            if "uses" in s:
                assert PINNED.match(s["uses"]), s["uses"]


def commands(name: str) -> list[list[str]]:
    env = {"$REPO": "octo/cpython", "$PR": "12", "$HEAD_SHA": "a" * 40, "$FAIL_ON": "--fail-on=problems"}
    out = []
    for s in steps(load(name)):
        for line in s.get("run", "").splitlines():
            line = line.strip()
            if line.startswith("jit-tracker "):
                for k, v in env.items():
                    line = line.replace(f'"{k}"', v).replace(k, v)
                out.append(shlex.split(line)[1:])
    return out


def test_workflow_commands_are_ones_our_cli_accepts():
    parser = build_parser()
    [check] = commands("jit-pr-check.yml")
    args = parser.parse_args(check)
    assert (args.github, args.pr, args.format, args.out, args.fail_on) == (
        "octo/cpython", 12, "markdown", "report/check.md", "problems")
    [post] = commands("jit-pr-check-comment.yml")
    args = parser.parse_args(post)
    assert (args.post_file, args.expect_head) == ("report/check.md", "a" * 40)
