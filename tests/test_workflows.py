"""The GitHub Actions workflows: valid YAML, pinned actions, and commands our CLI accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from tracker.cli.main import build_parser

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[\w./-]+)?@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as True
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict) -> list[dict]:
    return [s for job in data["jobs"].values() for s in job["steps"]]


@pytest.mark.parametrize("name", ["jit-tasks.yml", "ci.yml"])
def test_workflow_parses_and_pins_every_action(name):
    data = load(name)
    assert data["jobs"]
    uses = [s["uses"] for s in steps(data) if "uses" in s]
    assert uses
    for ref in uses:
        assert PINNED.match(ref), f"{name}: {ref} is not pinned to a version (vX.Y.Z or a commit)"


def test_pin_check_rejects_floating_refs():
    for ref in ("actions/checkout@main", "actions/checkout@v4", "actions/checkout", "actions/checkout@latest"):
        assert not PINNED.match(ref)
    assert PINNED.match("actions/checkout@v4.2.2")
    assert PINNED.match("actions/checkout@" + "a" * 40)


def test_jit_tasks_workflow_shape():
    data = load("jit-tasks.yml")
    on = data["on"]
    assert "cron" in on["schedule"][0]
    assert "workflow_dispatch" in on
    assert data["permissions"] == {"issues": "write", "contents": "read"}
    assert data["concurrency"]["group"]
    assert data["concurrency"]["cancel-in-progress"] is False  # never cut a sync short
    job = data["jobs"]["sync"]
    assert "python/cpython" in job["env"]["CPYTHON_REPO"] and "main" in job["env"]["CPYTHON_REF"]
    assert "github.repository" in job["env"]["TARGET_REPO"]
    checkouts = [s for s in steps(data) if s.get("uses", "").startswith("actions/checkout@")]
    assert any(s["with"].get("repository") == "${{ env.CPYTHON_REPO }}" for s in checkouts)
    artifact = [s for s in steps(data) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert artifact and artifact[0]["with"]["path"].startswith("tickets")
    runs = " ".join(s.get("run", "") for s in steps(data))
    assert "pip install" in runs
    sync = next(s for s in steps(data) if "jit-tracker sync" in s.get("run", ""))
    assert "GITHUB_TOKEN" in sync["env"]
    assert "--apply" in job["env"]["APPLY"] and "$APPLY" in sync["run"]


def jit_tracker_commands(data: dict) -> list[list[str]]:
    env = {"TARGET_REPO": "octo/tasks", "MAX_NEW": "10", "APPLY": "--apply"}
    commands = []
    for s in steps(data):
        run = s.get("run", "")
        for line in run.replace("\\\n", " ").split("\n") if "\n" in run.strip() else [run]:
            line = line.strip()
            if line.startswith("jit-tracker "):
                for k, v in env.items():
                    line = line.replace(f'"${k}"', v).replace(f"${k}", v)
                commands.append(shlex.split(line)[1:])
    return commands


def test_workflow_commands_are_ones_our_cli_accepts():
    commands = jit_tracker_commands(load("jit-tasks.yml"))
    assert [c[0] for c in commands] == ["tickets", "sync"]
    parser = build_parser()
    for argv in commands:
        args = parser.parse_args(argv)  # exits (fails the test) on an unknown option
        assert args.cpython_dir == "cpython"
    sync = parser.parse_args(commands[1])
    assert sync.apply and sync.repo == "octo/tasks" and sync.max_new == 10


def test_ci_runs_the_test_suite_on_push_and_pull_request():
    data = load("ci.yml")
    assert "push" in data["on"] and "pull_request" in data["on"]
    assert any(s.get("run", "").strip() == ".ci/run" for s in steps(data))
    script = (WORKFLOWS.parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    assert all(step in script for step in ("make test", "lint-imports", "mypy"))
