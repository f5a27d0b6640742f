"""A commit's date read from the object files equals what git prints, loose or packed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tracker.sources import git_head, head_revision
from tracker.sources.gitobjects import commit_date

from ..gitrepo import Repo

ZONES = ["2025-05-30T17:20:19+08:00", "2024-01-02T03:04:05-05:30", "2026-12-03T10:15:12+00:00"]


def commit(repo: Repo, text: str, date: str) -> str:
    return repo.commit({"f.txt": text}, f"change {text}", "A Tester", date)


def git_says(path: Path) -> tuple[str, str]:
    out = subprocess.run(["git", "-C", str(path), "log", "-1", "--format=%H %cI"], check=True,
                         capture_output=True, text=True).stdout
    sha, date = out.split()
    return sha, date


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def test_loose_commits_in_any_zone_read_as_git_prints_them(repo):
    for i, when in enumerate(ZONES):
        sha = commit(repo, str(i), when)
        assert commit_date(repo.path / ".git" / "objects", sha) == git_says(repo.path)[1] == when
        assert git_head(repo.path) == git_says(repo.path)


def test_packed_commits_and_packed_refs_read_as_git_prints_them(repo):
    shas = [commit(repo, str(i), when) for i, when in enumerate(ZONES)]
    repo.git("gc", "-q", "--aggressive")  # every object into a pack, the branch into packed-refs
    objects = repo.path / ".git" / "objects"
    assert not [d for d in os.listdir(objects) if len(d) == 2]  # nothing loose is left
    assert (repo.path / ".git" / "packed-refs").is_file()
    for sha, when in zip(shas, ZONES):
        assert commit_date(objects, sha) == when
    assert head_revision(repo.path) == shas[-1] and git_head(repo.path) == git_says(repo.path)
    assert commit_date(objects, "0" * 40) is None  # not there at all


def test_a_linked_worktree_reads_the_common_object_store(repo, tmp_path):
    commit(repo, "a", ZONES[0])
    repo.git("gc", "-q")
    repo.git("worktree", "add", "-q", "--detach", str(tmp_path / "wt"))
    assert git_head(tmp_path / "wt") == git_says(tmp_path / "wt")


def test_objects_kept_elsewhere_are_left_to_git(repo, tmp_path):
    sha = commit(repo, "a", ZONES[1])
    shared = tmp_path / "shared"
    subprocess.run(["git", "clone", "-q", "--shared", str(repo.path), str(shared)], check=True)
    assert (shared / ".git" / "objects" / "info" / "alternates").is_file()
    assert commit_date(shared / ".git" / "objects", sha) is None  # not in this object store
    assert git_head(shared) == (sha, ZONES[1])  # git follows the alternates


def test_a_damaged_index_is_no_answer_rather_than_a_wrong_one(repo):
    sha = commit(repo, "a", ZONES[1])
    repo.git("gc", "-q")
    objects = repo.path / ".git" / "objects"
    for idx in (objects / "pack").glob("*.idx"):
        idx.chmod(0o644)
        idx.write_bytes(idx.read_bytes()[:600])  # cut short
    assert commit_date(objects, sha) is None


@pytest.mark.parametrize("committer", [b"committer A <a@example.org>", b"committer A <a@example.org> soon +0000",
                                       b"committer A <a@example.org> 1700000000 +9999"])
def test_a_malformed_committer_line_is_no_answer(repo, tmp_path, committer):
    empty_tree = b"4b825dc642cb6eb9a060e54bf8d69288fbee4904"
    text = b"tree " + empty_tree + b"\nauthor A <a@example.org> 1700000000 +0000\n" + committer + b"\n\nbad\n"
    (tmp_path / "commit.txt").write_bytes(text)
    sha = repo.git("hash-object", "-t", "commit", "--literally", "-w", str(tmp_path / "commit.txt")).strip()
    assert commit_date(repo.path / ".git" / "objects", sha) is None
