"""check against a pull request over real HTTP (pytest-httpserver): the base and head read
through the API, and the one comment kept up to date (found by its marker, edited on a
rerun, never posted twice)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from werkzeug.wrappers import Request, Response

from tracker.cli.check import MARKER
from tracker.cli.main import main
from tracker.github import client as gc
from tracker.github import prcheck

from .fake import OWNER, REPO, FakeGitHub

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "check"
BC, OPT = "Python/bytecodes.c", "Python/optimizer_bytecodes.c"
SLUG = f"{OWNER}/{REPO}"


class PullsGitHub(FakeGitHub):
    """The fake, plus one pull request, the compare API's merge-base and comment edits."""

    def __init__(self, httpserver):
        super().__init__(httpserver)
        self.pull: dict | None = None
        self.details: dict[int, dict] = {}  # pulls/N of pull requests listed in self.pulls
        self.edits: list[int] = []

    def open_pull(self, base: str, head: str, merge_base: str) -> int:
        issue = self.add_issue("gh-134584: Convert _TOY_MUL_INT", "", pull_request=True)
        self.pull = {"number": issue["number"], "base": {"sha": base, "repo": {"full_name": SLUG}},
                     "head": {"sha": head, "repo": {"full_name": "fork/jit-tasks"}}, "merged_at": None,
                     "html_url": f"https://github.example/{SLUG}/pull/{issue['number']}"}
        self.merge_base = merge_base
        return issue["number"]

    def route(self, request: Request, path: str) -> Response:
        rp = self.repo_path
        if self.pull and path == f"{rp}/pulls/{self.pull['number']}":
            return self._json(self.pull)
        m = re.fullmatch(re.escape(rp) + r"/pulls/(\d+)", path)
        if m and int(m.group(1)) in self.details:
            return self._json(self.details[int(m.group(1))])
        m = re.fullmatch(re.escape(rp) + r"/compare/(\w+)\.\.\.(\w+)", path)
        if m:
            return self._json({"merge_base_commit": {"sha": self.merge_base}})
        m = re.fullmatch(re.escape(rp) + r"/issues/comments/(\d+)", path)
        if m and request.method == "PATCH":
            for comments in self.comments.values():
                for c in comments:
                    if c["id"] == int(m.group(1)):
                        if c["user"]["login"] != self.login:  # only one's own comments
                            return self._json({"message": "Resource not accessible by integration"}, 403)
                        c["body"] = request.get_json()["body"]
                        self.edits.append(c["id"])
                        return self._json(c)
            return self._json({"message": "Not Found"}, 404)
        return super().route(request, path)


def files(case: str) -> dict[str, bytes]:
    return {BC: (FIXTURES / f"{case}.c").read_bytes(), OPT: (FIXTURES / f"{case}_opt.c").read_bytes()}


@pytest.fixture
def fake(httpserver, monkeypatch, tmp_path):
    monkeypatch.setenv("JIT_TRACKER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("JIT_TRACKER_STATE", str(tmp_path / "state.yaml"))
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    return PullsGitHub(httpserver)


@pytest.fixture
def pull(fake):
    old = fake.add_commit(files("base"), repo=SLUG, ref="old-main", date="2026-11-01T10:00:00Z")
    base = fake.add_commit(files("base"), repo=SLUG, ref="main", date="2026-11-02T10:00:00Z")
    head = fake.add_commit(files("wrong_pop"), repo=SLUG, ref="pull-head", date="2026-11-03T10:00:00Z")
    number = fake.open_pull(base, head, merge_base=old)
    return {"number": number, "base": base, "head": head, "merge_base": old}


def check(fake, number, *extra):
    return main(["check", "--github", SLUG, "--pr", str(number), "--base-url", fake.base_url, *extra])


def test_reads_the_merge_base_and_the_head(fake, pull, capsys):
    found = prcheck.read_pull(SLUG, pull["number"], base_url=fake.base_url)
    assert (found.base_sha, found.head_sha, found.head_repo) == (pull["merge_base"], pull["head"], "fork/jit-tasks")
    assert check(fake, pull["number"]) == 0
    out = capsys.readouterr().out
    assert "refcount:_TOY_MUL_INT  done" in out
    assert "Python/bytecodes.c:43: TOY_MUL_INT appends POP_TOP + POP_TOP" in out
    # the head of a fork is read from the base repository, by commit; nothing is written
    assert all(m == "GET" for m, _ in fake.requests)
    assert f"/repos/{SLUG}/commits/{pull['head']}" in [p for _, p in fake.requests]


def test_one_comment_kept_up_to_date(fake, pull, capsys):
    n = pull["number"]
    assert check(fake, n, "--post") == 0
    assert "check comment created on #" in capsys.readouterr().err
    [comment] = fake.comments[n]
    assert comment["body"].startswith(MARKER) and "appends `POP_TOP` + `POP_TOP`" in comment["body"]

    assert check(fake, n, "--post") == 0  # a rerun at the same head changes nothing
    assert "check comment unchanged" in capsys.readouterr().err
    assert len(fake.comments[n]) == 1 and fake.edits == []

    fixed = fake.add_commit(files("clean"), repo=SLUG, ref="pull-head", date="2026-11-04T10:00:00Z")
    fake.pull["head"]["sha"] = fixed  # the author pushed a fix
    fake.add_comment(n, "reviewer", "Thanks, looking.")
    assert check(fake, n, "--post") == 0
    assert "check comment edited" in capsys.readouterr().err
    assert len(fake.comments[n]) == 2 and fake.edits == [comment["id"]]
    assert "Recipe check" not in fake.comments[n][0]["body"]
    assert "Completes 1 task" in fake.comments[n][0]["body"]
    assert fake.comments[n][1]["body"] == "Thanks, looking."


def test_post_file_from_the_unprivileged_run(fake, pull, tmp_path, capsys):
    n = pull["number"]
    report = tmp_path / "check.md"
    assert check(fake, n, "--markdown", "--out", str(report)) == 0
    # the trusted job posts the report only while the pull request's head is the one checked
    assert check(fake, n, "--post-file", str(report), "--expect-head", "f" * 40) == 0
    assert "has moved on" in capsys.readouterr().err and fake.comments[n] == []
    assert check(fake, n, "--post-file", str(report), "--expect-head", pull["head"]) == 0
    assert [c["body"] for c in fake.comments[n]] == [report.read_text()]
    assert check(fake, n, "--post-file", str(report)) == 0
    assert len(fake.comments[n]) == 1


def test_post_file_refuses_what_check_did_not_write(fake, pull, tmp_path, capsys):
    bad = tmp_path / "other.md"
    bad.write_text("hello\n")
    assert check(fake, pull["number"], "--post-file", str(bad)) == 2
    assert "no marker at its top" in capsys.readouterr().err
    assert fake.writes == []


def test_post_needs_a_token(fake, pull, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_TOKEN")
    assert check(fake, pull["number"], "--post") == 2
    err = capsys.readouterr().err
    assert "needs a GitHub token in $GITHUB_TOKEN" in err and "Traceback" not in err


def test_unknown_pull_request(fake, pull, capsys):
    assert check(fake, 999) == 2
    assert "jit-tracker: error: octo/jit-tasks: no pull request #999" in capsys.readouterr().err


def test_the_token_is_never_printed(fake, pull, capsys):
    check(fake, pull["number"], "--post", "--json")
    out, err = capsys.readouterr()
    assert "t0ken" not in out + err


def test_sync_closes_the_issue_of_a_task_a_merged_pull_request_completes(fake, tmp_path, monkeypatch, capsys):
    """Close the loop: the tree sync scans is older than the merge (the task is still open
    there), but check of the merged pull request says it completes the task."""
    monkeypatch.setattr(gc, "WRITE_INTERVAL", None)
    base = ["--bytecodes", str(FIXTURES / "base.c"), "--optimizer", str(FIXTURES / "base_opt.c")]
    sync = ["sync", *base, "--repo", SLUG, "--prs-repo", SLUG, "--base-url", fake.base_url, "--state", str(tmp_path / "s.yaml")]
    assert main([*sync, "--apply", "--max-new", "5"]) == 0
    capsys.readouterr()
    task = fake.ours()["refcount:_TOY_MUL_INT"][0]
    other = fake.ours()["refcount:_TOY_PACK"][0]
    before = fake.add_commit(files("base"), repo=SLUG, ref="main", date="2026-11-02T10:00:00Z")
    after = fake.add_commit(files("clean"), repo=SLUG, ref="merged", date="2026-11-03T10:00:00Z")
    pr = fake.add_pull(f"gh-{task['number']}: Convert _TOY_MUL_INT", "", "bob", merged=True)
    fake.details[pr["number"]] = {**pr, "base": {"sha": before}, "head": {"sha": after}}
    fake.merge_base = before

    assert main([*sync, "--json"]) == 0  # the plan says so first
    plan = json.loads(capsys.readouterr().out)
    [close] = [a for a in plan["actions"] if a["op"] == "close"]
    assert (close["id"], close["reason"], close["pull"]) == (
        "refcount:_TOY_MUL_INT", f"completed by #{pr['number']} (merged)", pr["html_url"])

    assert main([*sync, "--apply"]) == 0
    assert fake.issues[task["number"]]["state"] == "closed"
    assert fake.issues[task["number"]]["state_reason"] == "completed"
    [comment] = fake.comments[task["number"]]
    assert comment["body"].startswith(f"Done in {pr['html_url']}: jit-tracker's check of that merged pull request")
    assert fake.issues[other["number"]]["state"] == "open"  # the pull request did not complete it


def test_a_marker_pasted_into_someone_elses_comment_is_not_ours(fake, pull, capsys):
    n = pull["number"]
    fake.add_comment(n, "mallory", f"{MARKER}\nlooks fine to me")
    assert check(fake, n, "--post") == 0
    assert "check comment created" in capsys.readouterr().err
    assert [c["user"]["login"] for c in fake.comments[n]] == ["mallory", fake.login]
    assert fake.comments[n][0]["body"].endswith("looks fine to me")
    fixed = fake.add_commit(files("clean"), repo=SLUG, ref="pull-head", date="2026-11-04T10:00:00Z")
    fake.pull["head"]["sha"] = fixed
    assert check(fake, n, "--post") == 0  # edits its own, still not mallory's
    assert "check comment edited" in capsys.readouterr().err
    assert len(fake.comments[n]) == 2 and "Completes 1 task" in fake.comments[n][1]["body"]
