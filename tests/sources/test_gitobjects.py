"""A commit's date read from the object files equals what git prints, loose or packed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tracker.sources import git_head, head_revision
from tracker.sources.gitobjects import commit_date


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="A Tester", GIT_AUTHOR_EMAIL="a@example.org",
               GIT_COMMITTER_NAME="A Tester", GIT_COMMITTER_EMAIL="a@example.org")
    if date:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = date
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout.strip()


def commit(repo: Path, text: str, date: str) -> str:
    (repo / "f.txt").write_text(text)
    git(repo, "add", "f.txt")
    git(repo, "commit", "-q", "-m", f"change {text}", date=date)
    return git(repo, "rev-parse", "HEAD")


def git_says(repo: Path) -> tuple[str, str]:
    sha, date = git(repo, "log", "-1", "--format=%H %cI").split()
    return sha, date


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    return r


ZONES = ["2025-05-30T17:20:19+08:00", "2024-01-02T03:04:05-05:30", "2026-12-03T10:15:12+00:00"]


def test_loose_commits_in_any_zone_read_as_git_prints_them(repo):
    for i, when in enumerate(ZONES):
        sha = commit(repo, str(i), when)
        assert commit_date(repo / ".git" / "objects", sha) == git_says(repo)[1] == when
        assert git_head(repo) == git_says(repo)


def test_packed_commits_and_packed_refs_read_as_git_prints_them(repo):
    shas = [commit(repo, str(i), when) for i, when in enumerate(ZONES)]
    git(repo, "gc", "-q", "--aggressive")  # every object into a pack, the branch into packed-refs
    objects = repo / ".git" / "objects"
    assert not [d for d in os.listdir(objects) if len(d) == 2]  # nothing loose is left
    assert (repo / ".git" / "packed-refs").is_file()
    for sha, when in zip(shas, ZONES):
        assert commit_date(objects, sha) == when
    assert head_revision(repo) == shas[-1] and git_head(repo) == git_says(repo)
    assert commit_date(objects, "0" * 40) is None  # not there at all


def test_a_linked_worktree_reads_the_common_object_store(repo, tmp_path):
    commit(repo, "a", ZONES[0])
    git(repo, "gc", "-q")
    git(repo, "worktree", "add", "-q", "--detach", str(tmp_path / "wt"))
    assert git_head(tmp_path / "wt") == git_says(tmp_path / "wt")


def test_objects_kept_elsewhere_are_left_to_git(repo, tmp_path):
    sha = commit(repo, "a", ZONES[1])
    shared = tmp_path / "shared"
    subprocess.run(["git", "clone", "-q", "--shared", str(repo), str(shared)], check=True)
    assert (shared / ".git" / "objects" / "info" / "alternates").is_file()
    assert commit_date(shared / ".git" / "objects", sha) is None  # not in this object store
    assert git_head(shared) == (sha, ZONES[1])  # git follows the alternates


def test_a_damaged_index_is_no_answer_rather_than_a_wrong_one(repo):
    sha = commit(repo, "a", ZONES[1])
    git(repo, "gc", "-q")
    objects = repo / ".git" / "objects"
    for idx in (objects / "pack").glob("*.idx"):
        idx.chmod(0o644)
        idx.write_bytes(idx.read_bytes()[:600])  # cut short
    assert commit_date(objects, sha) is None
